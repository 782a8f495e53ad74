//! Hourly usage folded into KST days of a month, per metric, for the usage page.
use super::quantity::Quantity;
use crate::domain::billing::BillingMonth;
use crate::domain::kst::kst_date;
use chrono::{DateTime, Datelike};
use std::collections::BTreeMap;

/// Per metric, one total per day of the month (index 0 is the 1st). Hours outside the month
/// are ignored; sums that would overflow stay at the largest value.
pub fn daily_totals(
    month: BillingMonth,
    hourly: &[(String, i64, i64)],
) -> BTreeMap<String, Vec<Quantity>> {
    let days = month.days() as usize;
    let mut out: BTreeMap<String, Vec<Quantity>> = BTreeMap::new();
    for (metric, hour_ms, micros) in hourly {
        let Some(t) = DateTime::from_timestamp_millis(*hour_ms) else {
            continue;
        };
        if !month.contains(t) {
            continue;
        }
        let day = kst_date(t).day0() as usize;
        let row = out
            .entry(metric.clone())
            .or_insert_with(|| vec![Quantity::ZERO; days]);
        if let Some(slot) = row.get_mut(day) {
            *slot = slot
                .checked_add(Quantity::from_micros(*micros))
                .unwrap_or(Quantity::from_micros(i64::MAX));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis()
    }

    #[test]
    fn hours_land_on_their_kst_day() {
        let feb = BillingMonth::parse("2024-02").unwrap();
        let rows = vec![
            // 23:00 KST on 1 Feb, and 00:00 KST on 2 Feb.
            (
                "agent_hours".to_string(),
                ms("2024-02-01T14:00:00Z"),
                1_000_000,
            ),
            (
                "agent_hours".to_string(),
                ms("2024-02-01T15:00:00Z"),
                2_000_000,
            ),
            // 29 Feb (leap day), and 1 Mar 00:00 KST (outside).
            (
                "agent_hours".to_string(),
                ms("2024-02-29T14:00:00Z"),
                5_000_000,
            ),
            (
                "agent_hours".to_string(),
                ms("2024-02-29T15:00:00Z"),
                7_000_000,
            ),
            // 31 Jan 23:00 KST (outside).
            (
                "agent_hours".to_string(),
                ms("2024-01-31T14:00:00Z"),
                9_000_000,
            ),
        ];
        let d = daily_totals(feb, &rows);
        let a = &d["agent_hours"];
        assert_eq!(a.len(), 29);
        assert_eq!(a[0].micros(), 1_000_000);
        assert_eq!(a[1].micros(), 2_000_000);
        assert_eq!(a[28].micros(), 5_000_000);
        assert_eq!(a.iter().map(|q| q.micros()).sum::<i64>(), 8_000_000);
    }
}
