//! When a project was on the paid plan, from its plan history, and what that makes of a month.
use super::month::BillingMonth;
use crate::domain::kst::kst_date;
use crate::domain::plan::Plan;
use chrono::{DateTime, Utc};

/// A stretch on the paid plan: from `start` until `end` (exclusive; None: still paid).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaidInterval {
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
}

/// The paid stretches of a plan history (each change: when, and the plan it moved to),
/// in the order the changes happened.
pub fn paid_intervals(changes: &[(DateTime<Utc>, Plan)]) -> Vec<PaidInterval> {
    let mut out: Vec<PaidInterval> = Vec::new();
    let mut open: Option<DateTime<Utc>> = None;
    for &(at, plan) in changes {
        match (plan, open) {
            (Plan::Paid, None) => open = Some(at),
            (Plan::Free, Some(start)) => {
                out.push(PaidInterval {
                    start,
                    end: Some(at),
                });
                open = None;
            }
            _ => {}
        }
    }
    if let Some(start) = open {
        out.push(PaidInterval { start, end: None });
    }
    out
}

/// Paid days of `month`: KST dates from the day paid service started to the day it ended
/// (that day not counted), over every stretch.
pub fn paid_days_in(month: BillingMonth, intervals: &[PaidInterval]) -> u32 {
    intervals
        .iter()
        .map(|i| super::invoice::paid_days(month, kst_date(i.start), i.end.map(kst_date)))
        .sum::<u32>()
        .min(month.days())
}

/// The part of each stretch inside the month, as UTC instants `[from, to)` for usage sums.
pub fn paid_windows(
    month: BillingMonth,
    intervals: &[PaidInterval],
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    intervals
        .iter()
        .filter_map(|i| {
            let from = i.start.max(month.start());
            let to = i.end.map_or(month.end(), |e| e.min(month.end()));
            (from < to).then_some((from, to))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_time::{month as m, utc};

    #[test]
    fn a_project_created_paid_is_paid_ever_since() {
        let i = paid_intervals(&[(utc("2026-10-10T01:00:00Z"), Plan::Paid)]);
        assert_eq!(
            i,
            [PaidInterval {
                start: utc("2026-10-10T01:00:00Z"),
                end: None
            }]
        );
        assert_eq!(paid_days_in(m("2026-10"), &i), 22, "10th to 31st");
        assert_eq!(paid_days_in(m("2026-11"), &i), 30);
        assert_eq!(paid_days_in(m("2026-09"), &i), 0);
    }

    #[test]
    fn free_then_paid_then_free_again() {
        let i = paid_intervals(&[
            (utc("2026-10-01T00:00:00Z"), Plan::Free),
            (utc("2026-10-05T00:00:00Z"), Plan::Paid),
            (utc("2026-10-06T00:00:00Z"), Plan::Paid),
            (utc("2026-10-20T00:00:00Z"), Plan::Free),
        ]);
        assert_eq!(i.len(), 1);
        assert_eq!(
            paid_days_in(m("2026-10"), &i),
            15,
            "5th up to (not incl.) 20th"
        );
    }

    #[test]
    fn the_kst_date_decides_the_day() {
        // 16:00 UTC on the 9th is 01:00 KST on the 10th.
        let i = paid_intervals(&[(utc("2026-10-09T16:00:00Z"), Plan::Paid)]);
        assert_eq!(paid_days_in(m("2026-10"), &i), 22);
        // Upgraded 23:30 KST on the last day of February 2024 (leap year): one paid day.
        let i = paid_intervals(&[(utc("2024-02-29T14:30:00Z"), Plan::Paid)]);
        assert_eq!(paid_days_in(m("2024-02"), &i), 1);
        assert_eq!(paid_days_in(m("2024-03"), &i), 31);
    }

    #[test]
    fn usage_windows_are_the_paid_part_of_the_month() {
        let i = paid_intervals(&[(utc("2026-10-10T01:00:00Z"), Plan::Paid)]);
        assert_eq!(
            paid_windows(m("2026-10"), &i),
            [(utc("2026-10-10T01:00:00Z"), utc("2026-10-31T15:00:00Z"))]
        );
        assert_eq!(paid_windows(m("2026-09"), &i), []);
    }
}
