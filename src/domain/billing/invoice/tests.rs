//! The invoice computation, case by case: several metrics, a price change mid-history, a
//! project paid from mid-month, credits larger than the invoice, zero usage, VAT rounding,
//! late usage, month lengths, capacity changed mid-month (a line per level).
use super::*;
use crate::domain::test_time::month as m;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn q(s: &str) -> Quantity {
    Quantity::parse(s).unwrap()
}

fn metrics() -> Vec<String> {
    vec![
        "agent_hours".into(),
        "ingest_gb".into(),
        "storage_gb_days".into(),
    ]
}

fn version(from: &str, agent: &str, ingest: &str, stored: &str) -> PriceTable {
    let mut prices = BTreeMap::new();
    for (kind, code, p) in [
        (ItemKind::Metric, "agent_hours", agent),
        (ItemKind::Metric, "ingest_gb", ingest),
        (ItemKind::Metric, "storage_gb_days", stored),
        (ItemKind::Capacity, "ingest_gb_per_day", "3000"),
        (ItemKind::Capacity, "storage_gb", "100"),
        (ItemKind::Option, "extended_retention", "50000"),
        (ItemKind::Option, "remote_support", "100000"),
    ] {
        prices.insert((kind, code.to_string()), d(p));
    }
    PriceTable {
        effective_from: m(from),
        prices,
    }
}

fn capacity(ingest: u32, storage: u32) -> Capacity {
    Capacity {
        ingest_gb_per_day: ingest,
        storage_gb: storage,
        extended_retention: false,
        remote_support: false,
    }
}

fn usage(pairs: &[(&str, &str)]) -> BTreeMap<String, Quantity> {
    pairs.iter().map(|(k, v)| (k.to_string(), q(v))).collect()
}

struct Case {
    month: &'static str,
    versions: Vec<PriceTable>,
    usage: BTreeMap<String, Quantity>,
    late: Vec<LateUsage>,
    paid: Vec<PaidPeriod>,
    credits: Vec<PendingCredit>,
    vat: &'static str,
}

impl Case {
    fn new(month: &'static str) -> Self {
        Self {
            month,
            versions: vec![version("2020-01", "40", "200", "3")],
            usage: BTreeMap::new(),
            late: Vec::new(),
            paid: vec![PaidPeriod {
                days: BillingMonth::parse(month).unwrap().days(),
                capacity: capacity(10, 100),
            }],
            credits: Vec::new(),
            vat: "0.1",
        }
    }

    fn run(&self) -> Result<ComputedInvoice, InvoiceError> {
        let metrics = metrics();
        compute(&InvoiceInput {
            month: m(self.month),
            versions: &self.versions,
            metrics: &metrics,
            usage: &self.usage,
            late_usage: &self.late,
            paid: &self.paid,
            credits: &self.credits,
            vat_rate: d(self.vat),
        })
    }
}

fn amounts(inv: &ComputedInvoice) -> Vec<(&str, i64)> {
    inv.lines
        .iter()
        .map(|l| (l.code.as_str(), l.amount))
        .collect()
}

#[test]
fn a_full_month_with_several_metrics() {
    let mut c = Case::new("2026-11");
    c.usage = usage(&[
        ("agent_hours", "720"),
        ("ingest_gb", "12.5"),
        ("storage_gb_days", "3000"),
    ]);
    let inv = c.run().unwrap();
    assert_eq!(
        amounts(&inv),
        [
            ("agent_hours", 28_800),
            ("ingest_gb", 2_500),
            ("storage_gb_days", 9_000),
            ("ingest_gb_per_day", 30_000),
            ("storage_gb", 10_000),
        ]
    );
    assert_eq!(inv.subtotal, 80_300);
    assert_eq!(inv.vat, 8_030);
    assert_eq!(inv.total, 88_330);
    assert!(inv.lines.iter().all(|l| l.usage_month == m("2026-11")));
    assert_eq!(inv.lines[3].paid_days, Some(30));
    assert_eq!(inv.lines[3].quantity, d("10"));
}

#[test]
fn zero_usage_still_bills_the_capacity_and_shows_each_metric_as_zero() {
    let inv = Case::new("2026-02").run().unwrap();
    let metric_lines: Vec<_> = inv
        .lines
        .iter()
        .filter(|l| l.kind == ItemKind::Metric)
        .collect();
    assert_eq!(metric_lines.len(), 3);
    assert!(
        metric_lines
            .iter()
            .all(|l| l.amount == 0 && l.quantity.is_zero())
    );
    assert_eq!(inv.subtotal, 40_000);
    assert_eq!(inv.total, 44_000);
}

#[test]
fn the_prices_of_each_month_are_the_version_in_force_then() {
    let mut c = Case::new("2026-06");
    c.versions = vec![
        version("2026-01", "40", "200", "3"),
        version("2026-07", "50", "200", "3"),
    ];
    c.usage = usage(&[("agent_hours", "100")]);
    // Before the first version nothing can be billed: see the end of this test.
    assert_eq!(c.run().unwrap().lines[0].amount, 4_000);
    assert_eq!(c.run().unwrap().lines[0].unit_price, d("40"));
    c.month = "2026-07";
    c.paid[0].days = 31;
    assert_eq!(c.run().unwrap().lines[0].amount, 5_000);
    c.month = "2025-12";
    assert_eq!(c.run(), Err(InvoiceError::NoPrices(m("2025-12"))));
}

#[test]
fn a_project_paid_from_mid_month_pays_capacity_for_its_paid_days() {
    // Upgraded on 16 November: 15 of 30 days.
    let mut c = Case::new("2026-11");
    let days = paid_days(
        m("2026-11"),
        NaiveDate::from_ymd_opt(2026, 11, 16).unwrap(),
        None,
    );
    assert_eq!(days, 15);
    c.paid = vec![PaidPeriod {
        days,
        capacity: capacity(10, 100),
    }];
    let inv = c.run().unwrap();
    assert_eq!(inv.lines[3].amount, 15_000, "30,000 x 15/30");
    assert_eq!(inv.lines[4].amount, 5_000);
    assert_eq!(inv.lines[3].quantity, d("5"));
    assert_eq!(inv.lines[3].paid_days, Some(15));
}

#[test]
fn pro_rating_follows_the_length_of_the_month() {
    // 10 paid days of 10 GB/day at 3,000 KRW per GB/day per month.
    for (month, want) in [
        ("2026-02", 10_714), // 300,000 / 28 = 10,714.28
        ("2024-02", 10_345), // 300,000 / 29 = 10,344.83
        ("2026-04", 10_000), // / 30
        ("2026-01", 9_677),  // / 31 = 9,677.42
    ] {
        let mut c = Case::new(month);
        c.paid = vec![PaidPeriod {
            days: 10,
            capacity: capacity(10, 10),
        }];
        assert_eq!(c.run().unwrap().lines[3].amount, want, "{month}");
    }
}

fn capacity_lines(inv: &ComputedInvoice) -> Vec<(&str, Option<u32>, Decimal, i64)> {
    inv.lines
        .iter()
        .filter(|l| l.kind == ItemKind::Capacity)
        .map(|l| (l.code.as_str(), l.paid_days, l.quantity, l.amount))
        .collect()
}

#[test]
fn capacity_changed_mid_month_gets_a_line_per_level_with_its_paid_days() {
    let mut c = Case::new("2026-04");
    c.paid = vec![
        PaidPeriod {
            days: 10,
            capacity: capacity(10, 100),
        },
        PaidPeriod {
            days: 20,
            capacity: Capacity {
                extended_retention: true,
                ..capacity(40, 100)
            },
        },
    ];
    let inv = c.run().unwrap();
    // 10 GB/day x 10/30 x 3,000 and 40 GB/day x 20/30 x 3,000; storage stayed at 100 GB,
    // so it is one line for all 30 days.
    assert_eq!(
        capacity_lines(&inv),
        [
            ("ingest_gb_per_day", Some(10), d("3.333333"), 10_000),
            ("ingest_gb_per_day", Some(20), d("26.666667"), 80_000),
            ("storage_gb", Some(30), d("100"), 10_000),
        ]
    );
    let retention = inv
        .lines
        .iter()
        .find(|l| l.code == "extended_retention")
        .unwrap();
    assert_eq!(retention.amount, 33_333, "50,000 x 20/30 = 33,333.33");
    assert_eq!(retention.paid_days, Some(20));
    assert!(inv.lines.iter().all(|l| l.code != "remote_support"));
}

#[test]
fn each_capacity_level_is_one_line_rounded_on_its_own_even_when_its_days_are_apart() {
    // April: 10 GB/day on days 1-7 and 21-30, 25 GB/day on days 8-20 (as the periods of
    // `capacity_days` come: one per capacity, first appearance first), storage changing too.
    let mut c = Case::new("2026-04");
    c.paid = vec![
        PaidPeriod {
            days: 7,
            capacity: capacity(10, 100),
        },
        PaidPeriod {
            days: 13,
            capacity: capacity(25, 200),
        },
        PaidPeriod {
            days: 10,
            capacity: capacity(10, 200),
        },
    ];
    let inv = c.run().unwrap();
    assert_eq!(
        capacity_lines(&inv),
        [
            // 10 x 17/30 x 3,000 = 17,000
            ("ingest_gb_per_day", Some(17), d("5.666667"), 17_000),
            // 25 x 13/30 x 3,000 = 32,500
            ("ingest_gb_per_day", Some(13), d("10.833333"), 32_500),
            // 100 x 7/30 x 100 = 2,333.33 -> 2,333
            ("storage_gb", Some(7), d("23.333333"), 2_333),
            // 200 x 23/30 x 100 = 15,333.33 -> 15,333
            ("storage_gb", Some(23), d("153.333333"), 15_333),
        ]
    );
    assert_eq!(inv.subtotal, 17_000 + 32_500 + 2_333 + 15_333);
    // Without paid days each capacity item keeps its single zero line.
    c.paid = vec![PaidPeriod {
        days: 0,
        capacity: capacity(10, 100),
    }];
    let inv = c.run().unwrap();
    assert_eq!(
        capacity_lines(&inv),
        [
            ("ingest_gb_per_day", Some(0), d("0"), 0),
            ("storage_gb", Some(0), d("0"), 0),
        ]
    );
}

#[test]
fn more_paid_days_than_the_month_has_is_refused() {
    let mut c = Case::new("2026-02");
    c.paid[0].days = 29;
    assert_eq!(c.run(), Err(InvoiceError::TooManyPaidDays));
}

#[test]
fn each_line_is_rounded_half_up_on_its_own() {
    let mut c = Case::new("2026-11");
    c.versions = vec![version("2026-01", "0.5", "0.25", "0.3")];
    c.usage = usage(&[
        ("agent_hours", "3"),      // 1.5 -> 2
        ("ingest_gb", "9"),        // 2.25 -> 2
        ("storage_gb_days", "15"), // 4.5 -> 5
    ]);
    c.paid = vec![PaidPeriod {
        days: 0,
        capacity: capacity(0, 0),
    }];
    let inv = c.run().unwrap();
    assert_eq!(
        amounts(&inv)[..3],
        [("agent_hours", 2), ("ingest_gb", 2), ("storage_gb_days", 5)]
    );
    // Summed after rounding: 9, not round(1.5 + 2.25 + 4.5) = 8.
    assert_eq!(inv.subtotal, 9);
    assert_eq!(inv.vat, 1, "0.9 -> 1");
}

#[test]
fn vat_is_rounded_half_up_once_after_credits() {
    let mut c = Case::new("2026-11");
    c.paid = vec![PaidPeriod {
        days: 0,
        capacity: capacity(0, 0),
    }];
    c.versions = vec![version("2026-01", "1", "1", "1")];
    c.usage = usage(&[("agent_hours", "125")]);
    assert_eq!(c.run().unwrap().vat, 13, "12.5 -> 13");
    c.usage = usage(&[("agent_hours", "124")]);
    assert_eq!(c.run().unwrap().vat, 12, "12.4 -> 12");
    c.vat = "0";
    assert_eq!(c.run().unwrap().total, 124);
    c.vat = "0.075";
    c.usage = usage(&[("agent_hours", "100")]);
    assert_eq!(c.run().unwrap().vat, 8, "7.5 -> 8");
}

#[test]
fn credits_are_taken_before_vat_oldest_first_up_to_the_subtotal() {
    let mut c = Case::new("2026-11");
    c.credits = vec![
        PendingCredit {
            id: 1,
            amount: 30_000,
        },
        PendingCredit {
            id: 2,
            amount: 5_000,
        },
    ];
    let inv = c.run().unwrap();
    assert_eq!(inv.subtotal, 40_000);
    assert_eq!(
        inv.credits,
        [
            AppliedCredit {
                credit_id: 1,
                amount: 30_000
            },
            AppliedCredit {
                credit_id: 2,
                amount: 5_000
            }
        ]
    );
    assert_eq!(inv.credited, 35_000);
    assert_eq!(inv.vat, 500);
    assert_eq!(inv.total, 5_500);
}

#[test]
fn a_credit_larger_than_the_invoice_brings_it_to_zero_and_the_rest_waits() {
    let mut c = Case::new("2026-11");
    c.credits = vec![
        PendingCredit {
            id: 1,
            amount: 100_000,
        },
        PendingCredit { id: 2, amount: 10 },
    ];
    let inv = c.run().unwrap();
    assert_eq!(
        inv.credits,
        [AppliedCredit {
            credit_id: 1,
            amount: 40_000
        }]
    );
    assert_eq!((inv.credited, inv.vat, inv.total), (40_000, 0, 0));
}

#[test]
fn late_usage_is_billed_at_its_own_months_prices_and_names_it() {
    let mut c = Case::new("2026-08");
    c.versions = vec![
        version("2026-01", "40", "200", "3"),
        version("2026-08", "50", "200", "3"),
    ];
    c.late = vec![LateUsage {
        month: m("2026-07"),
        metric: "agent_hours".into(),
        quantity: q("10"),
    }];
    let inv = c.run().unwrap();
    let late: Vec<_> = inv
        .lines
        .iter()
        .filter(|l| l.usage_month == m("2026-07"))
        .collect();
    assert_eq!(late.len(), 1);
    assert_eq!(late[0].amount, 400, "July's price, 40");
    assert_eq!(late[0].code, "agent_hours");
}

#[test]
fn late_usage_is_what_grew_since_it_was_billed() {
    let jul = m("2026-07");
    let current = BTreeMap::from([
        ((jul, "agent_hours".to_string()), q("12")),
        ((jul, "ingest_gb".to_string()), q("5")),
        ((jul, "storage_gb_days".to_string()), q("3")),
    ]);
    let billed = BTreeMap::from([
        ((jul, "agent_hours".to_string()), q("10")),
        ((jul, "ingest_gb".to_string()), q("5")),
        ((jul, "storage_gb_days".to_string()), q("4")),
    ]);
    assert_eq!(
        late_usage(&current, &billed),
        [LateUsage {
            month: jul,
            metric: "agent_hours".into(),
            quantity: q("2")
        }]
    );
}

#[test]
fn paid_days_count_kst_dates_in_the_month() {
    let nov = m("2026-11");
    let date = |y, mo, da| NaiveDate::from_ymd_opt(y, mo, da).unwrap();
    assert_eq!(paid_days(nov, date(2026, 1, 1), None), 30);
    assert_eq!(paid_days(nov, date(2026, 11, 30), None), 1);
    assert_eq!(paid_days(nov, date(2026, 12, 1), None), 0);
    assert_eq!(
        paid_days(nov, date(2026, 11, 1), Some(date(2026, 11, 11))),
        10
    );
    assert_eq!(
        paid_days(nov, date(2026, 10, 1), Some(date(2026, 10, 20))),
        0
    );
    assert_eq!(paid_days(m("2024-02"), date(2024, 2, 10), None), 20);
    assert!(!is_billable(&[PaidPeriod {
        days: 0,
        capacity: capacity(1, 1)
    }]));
    assert!(is_billable(&[PaidPeriod {
        days: 1,
        capacity: capacity(1, 1)
    }]));
}

#[test]
fn due_on_the_25th_of_the_next_month_clamped_to_its_length() {
    let date = |y, mo, da| NaiveDate::from_ymd_opt(y, mo, da).unwrap();
    assert_eq!(due_date(m("2026-11"), 25), date(2026, 12, 25));
    assert_eq!(due_date(m("2026-12"), 25), date(2027, 1, 25));
    assert_eq!(due_date(m("2026-01"), 31), date(2026, 2, 28));
    assert_eq!(due_date(m("2024-01"), 31), date(2024, 2, 29));
}

#[test]
fn an_item_missing_from_the_price_table_is_an_error_not_free() {
    let mut c = Case::new("2026-11");
    c.versions[0]
        .prices
        .remove(&(ItemKind::Metric, "ingest_gb".to_string()));
    assert_eq!(
        c.run(),
        Err(InvoiceError::Unpriced {
            kind: ItemKind::Metric,
            code: "ingest_gb".into()
        })
    );
}

#[test]
fn the_units_of_a_prorated_line_read_back_from_its_stored_quantity() {
    // Every month length, every paid day count and a spread of unit counts: the quantity as
    // stored (6 places) gives back exactly the units billed.
    for month_days in 28..=31u32 {
        for paid_days in 1..=month_days {
            for units in [0u64, 1, 2, 3, 7, 10, 40, 99, 300, 1_000, 12_345] {
                let stored = (Decimal::from(units) * Decimal::from(paid_days)
                    / Decimal::from(month_days))
                .round_dp(6)
                .normalize();
                assert_eq!(
                    units_held(stored, paid_days, month_days),
                    Some(units),
                    "{units} units, {paid_days}/{month_days} days, stored {stored}"
                );
            }
        }
    }
}

#[test]
fn figures_that_are_not_whole_units_are_not_read_as_units() {
    // 10 x 15/30 is 5; 5.1 is no whole number of units over those days.
    assert_eq!(units_held(d("5"), 15, 30), Some(10));
    assert_eq!(units_held(d("5.1"), 15, 30), None);
    assert_eq!(units_held(d("5"), 0, 30), None);
    assert_eq!(units_held(d("5"), 31, 30), None);
    assert_eq!(units_held(d("-5"), 15, 30), None);
}
