//! The dashboard's estimate of this month's charge: the invoice the month would get if it
//! closed now, from the usage so far and the paid days so far (today counted as paid), with
//! no credits. Each day so far is billed at the capacity the invoice will bill it at
//! (`capacity_days`). What the month-end invoice adds (later usage, later days) is not guessed.
use super::capacity_days::{self, AppliedChange};
use super::invoice::{self, ComputedInvoice, InvoiceError, InvoiceInput};
use super::month::BillingMonth;
use super::paid::PaidInterval;
use super::prices::PriceTable;
use crate::domain::capacity::Capacity;
use crate::domain::kst::{kst_date, start_of_kst_day};
use crate::domain::usage::Quantity;
use chrono::{DateTime, Days, Utc};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Paid days of `month` from its first day through `now`'s KST day (included).
pub fn paid_days_so_far(
    month: BillingMonth,
    intervals: &[PaidInterval],
    now: DateTime<Utc>,
) -> u32 {
    let today = kst_date(now);
    let Some(tomorrow) = today.checked_add_days(Days::new(1)) else {
        return 0;
    };
    intervals
        .iter()
        .map(|i| {
            let until = i.end.map_or(tomorrow, |e| kst_date(e).min(tomorrow));
            invoice::paid_days(month, kst_date(i.start), Some(until))
        })
        .sum::<u32>()
        .min(month.days())
}

pub struct EstimateInput<'a> {
    pub month: BillingMonth,
    pub versions: &'a [PriceTable],
    pub metrics: &'a [String],
    pub usage: &'a BTreeMap<String, Quantity>,
    pub intervals: &'a [PaidInterval],
    /// The capacity held when the month began ([`capacity_days::capacity_before`]).
    pub at_start: Capacity,
    /// The capacity changes applied so far (those outside the month are ignored).
    pub changes: &'a [AppliedChange],
    pub vat_rate: Decimal,
    pub now: DateTime<Utc>,
}

/// The month so far as an invoice (None when the project was not paid at all this month).
pub fn month_so_far(e: &EstimateInput<'_>) -> Option<Result<ComputedInvoice, InvoiceError>> {
    // The paid time up to the end of today (KST): the days the month has had so far.
    let tomorrow = kst_date(e.now).checked_add_days(Days::new(1))?;
    let until = start_of_kst_day(tomorrow);
    let so_far: Vec<PaidInterval> = e
        .intervals
        .iter()
        .filter(|i| i.start < until)
        .map(|i| PaidInterval {
            start: i.start,
            end: Some(i.end.map_or(until, |end| end.min(until))),
        })
        .collect();
    let periods = capacity_days::paid_periods(e.month, &so_far, e.at_start, e.changes);
    if periods.iter().all(|p| p.days == 0) {
        return None;
    }
    Some(invoice::compute(&InvoiceInput {
        month: e.month,
        versions: e.versions,
        metrics: e.metrics,
        usage: e.usage,
        late_usage: &[],
        paid: &periods,
        credits: &[],
        vat_rate: e.vat_rate,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::billing::prices::ItemKind;
    use crate::domain::test_time::{month as m, utc};
    use std::str::FromStr;

    fn paid_since(s: &str) -> Vec<PaidInterval> {
        vec![PaidInterval {
            start: utc(s),
            end: None,
        }]
    }

    #[test]
    fn days_so_far_count_today_in_kst() {
        let nov = m("2026-11");
        let since_october = paid_since("2026-10-01T00:00:00+09:00");
        // 09:00 KST on 10 November: days 1-10.
        assert_eq!(
            paid_days_so_far(nov, &since_october, utc("2026-11-10T00:00:00Z")),
            10
        );
        // 23:30 KST on 30 November (14:30Z): the whole month.
        assert_eq!(
            paid_days_so_far(nov, &since_october, utc("2026-11-30T14:30:00Z")),
            30
        );
        // 00:00 KST on 1 November (15:00Z the day before): one day.
        assert_eq!(
            paid_days_so_far(nov, &since_october, utc("2026-10-31T15:00:00Z")),
            1
        );
    }

    #[test]
    fn days_so_far_start_with_the_paid_plan_and_stop_with_it() {
        let feb = m("2028-02");
        // Paid from 20 February 2028 (a leap year), looked at on the 29th: 20-29 is 10 days.
        let since = paid_since("2028-02-20T10:00:00+09:00");
        assert_eq!(
            paid_days_so_far(feb, &since, utc("2028-02-29T12:00:00+09:00")),
            10
        );
        // Paid 3rd to 5th (moved to free on the 5th: that day not paid).
        let stretch = vec![PaidInterval {
            start: utc("2028-02-03T08:00:00+09:00"),
            end: Some(utc("2028-02-05T08:00:00+09:00")),
        }];
        assert_eq!(
            paid_days_so_far(feb, &stretch, utc("2028-02-20T12:00:00+09:00")),
            2
        );
        assert_eq!(
            paid_days_so_far(feb, &stretch, utc("2028-02-03T12:00:00+09:00")),
            1
        );
        assert_eq!(
            paid_days_so_far(feb, &[], utc("2028-02-20T12:00:00+09:00")),
            0
        );
    }

    #[test]
    fn the_estimate_is_the_invoice_of_the_month_so_far() {
        let nov = m("2026-11");
        let mut prices = BTreeMap::new();
        prices.insert(
            (ItemKind::Metric, "ingest_gb".to_string()),
            Decimal::from(100),
        );
        prices.insert(
            (ItemKind::Capacity, "ingest_gb_per_day".to_string()),
            Decimal::from(3000),
        );
        prices.insert(
            (ItemKind::Capacity, "storage_gb".to_string()),
            Decimal::ZERO,
        );
        prices.insert(
            (ItemKind::Option, "extended_retention".to_string()),
            Decimal::ZERO,
        );
        prices.insert(
            (ItemKind::Option, "remote_support".to_string()),
            Decimal::ZERO,
        );
        let versions = [PriceTable {
            effective_from: m("2026-01"),
            prices,
        }];
        let mut usage = BTreeMap::new();
        usage.insert("ingest_gb".to_string(), Quantity::parse("12.5").unwrap());
        let input = EstimateInput {
            month: nov,
            versions: &versions,
            metrics: &["ingest_gb".to_string()],
            usage: &usage,
            intervals: &paid_since("2026-10-01T00:00:00+09:00"),
            at_start: capacity(1),
            changes: &[],
            vat_rate: Decimal::from_str("0.1").unwrap(),
            now: utc("2026-11-15T12:00:00+09:00"),
        };
        let inv = month_so_far(&input).unwrap().unwrap();
        // 12.5 GB x 100 = 1,250; capacity 1 x 3,000 x 15/30 days = 1,500; VAT 10 % of 2,750.
        assert_eq!(inv.subtotal, 2_750);
        assert_eq!(inv.vat, 275);
        assert_eq!(inv.total, 3_025);

        // Raised from 1 to 3 GB/day at 15:00 KST on the 11th: days 1-10 at 1, 11-15 at 3.
        // 1,250 + 3,000 x 10/30 (1,000) + 9,000 x 5/30 (1,500) = 3,750; VAT 375.
        let raised = [AppliedChange {
            at: utc("2026-11-11T15:00:00+09:00"),
            from: capacity(1),
            to: capacity(3),
        }];
        let with_change = EstimateInput {
            changes: &raised,
            ..input
        };
        let inv = month_so_far(&with_change).unwrap().unwrap();
        assert_eq!(inv.subtotal, 3_750);
        assert_eq!(inv.total, 4_125);
        // A change that comes after today is not yet in the estimate (none can be stored,
        // but the days after today are not the estimate's to bill).
        let later = [AppliedChange {
            at: utc("2026-11-20T15:00:00+09:00"),
            from: capacity(1),
            to: capacity(3),
        }];
        let before_change = EstimateInput {
            changes: &later,
            ..with_change
        };
        assert_eq!(
            month_so_far(&before_change).unwrap().unwrap().subtotal,
            2_750
        );

        let free = EstimateInput {
            intervals: &[],
            ..before_change
        };
        assert!(month_so_far(&free).is_none());
    }

    fn capacity(ingest_gb_per_day: u32) -> Capacity {
        Capacity {
            ingest_gb_per_day,
            storage_gb: 0,
            extended_retention: false,
            remote_support: false,
        }
    }
}
