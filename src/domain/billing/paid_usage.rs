//! The usage of a month's paid stretches, from the usage since each point a stretch can start
//! or end at: the month's start and each plan change inside the month.
//!
//! Why not a sum per stretch: the dashboard reads the plan history and the usage in one
//! statement (issue 15), before it knows the stretches. A stretch `[from, to)` has both ends at
//! such points (`paid::paid_windows`), so its usage is the usage since `from` less the usage
//! since `to`; whole millionths, so the difference is exactly the sum the month close takes.
use super::month::BillingMonth;
use crate::domain::usage::Quantity;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// Per metric, the usage in `[t, month end)`, for each `t` read. A metric without usage since
/// `t` may have no entry; a `t` that was not read has no key at all.
pub type UsageSince = BTreeMap<DateTime<Utc>, BTreeMap<String, Quantity>>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaidUsageError {
    /// A stretch starts or ends at a time whose usage-since was not read: the caller's rows
    /// do not match its plan history.
    #[error("no usage read since {0}")]
    NotRead(DateTime<Utc>),
    /// Less usage since an earlier time than since a later one: the rows are not one snapshot.
    #[error("usage of {metric} since {from} is less than since {to}")]
    NotIncreasing {
        metric: String,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
    #[error("usage sum beyond an i64 of millionths")]
    TooLarge,
}

/// Usage per metric over the paid `windows` of `month` (each `[from, to)` inside the month).
pub fn paid_usage(
    month: BillingMonth,
    windows: &[(DateTime<Utc>, DateTime<Utc>)],
    since: &UsageSince,
) -> Result<BTreeMap<String, Quantity>, PaidUsageError> {
    let none = BTreeMap::new();
    let read = |t: DateTime<Utc>| -> Result<&BTreeMap<String, Quantity>, PaidUsageError> {
        if t == month.end() {
            // Nothing is used from the month's end on within the month.
            return Ok(&none);
        }
        since.get(&t).ok_or(PaidUsageError::NotRead(t))
    };
    let mut out: BTreeMap<String, Quantity> = BTreeMap::new();
    for &(from, to) in windows {
        let (at_from, at_to) = (read(from)?, read(to)?);
        for (metric, &total) in at_from {
            let later = at_to.get(metric).copied().unwrap_or(Quantity::ZERO);
            let used = total
                .checked_sub(later)
                .ok_or_else(|| PaidUsageError::NotIncreasing {
                    metric: metric.clone(),
                    from,
                    to,
                })?;
            let sum = out.entry(metric.clone()).or_default();
            *sum = sum.checked_add(used).ok_or(PaidUsageError::TooLarge)?;
        }
        if let Some((metric, _)) = at_to.iter().find(|(m, _)| !at_from.contains_key(*m)) {
            return Err(PaidUsageError::NotIncreasing {
                metric: metric.clone(),
                from,
                to,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::billing::paid::{paid_intervals, paid_windows};
    use crate::domain::plan::Plan;
    use crate::domain::test_time::{month as m, utc};

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap()
    }

    /// Hourly usage `(hour, metric, quantity)` summed the way the month close sums a window.
    fn window_sum(
        hours: &[(DateTime<Utc>, &str, Quantity)],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> BTreeMap<String, Quantity> {
        let mut out: BTreeMap<String, Quantity> = BTreeMap::new();
        for (at, metric, used) in hours {
            if *at >= from && *at < to {
                let e = out.entry(metric.to_string()).or_default();
                *e = e.checked_add(*used).unwrap();
            }
        }
        out
    }

    /// What the dashboard's statement reads: usage since the month start and each change.
    fn since_of(
        month: BillingMonth,
        changes: &[(DateTime<Utc>, Plan)],
        hours: &[(DateTime<Utc>, &str, Quantity)],
    ) -> UsageSince {
        let mut points = vec![month.start()];
        points.extend(
            changes
                .iter()
                .map(|(at, _)| *at)
                .filter(|at| *at >= month.start() && *at < month.end()),
        );
        points
            .into_iter()
            .map(|t| (t, window_sum(hours, t, month.end())))
            .collect()
    }

    fn without_zeros(map: BTreeMap<String, Quantity>) -> BTreeMap<String, Quantity> {
        map.into_iter()
            .filter(|(_, v)| *v != Quantity::ZERO)
            .collect()
    }

    /// Same figures as summing each paid stretch directly, for the histories that matter:
    /// paid all month, created paid mid-month, downgraded, upgraded and downgraded twice,
    /// changes on the month's first instant, and a change at the same instant as another.
    #[test]
    fn paid_usage_equals_the_sum_over_each_paid_stretch() {
        let month = m("2024-02"); // leap February: 29 days, from 2024-01-31T15:00Z
        let hours = [
            (utc("2024-01-31T15:00:00Z"), "ingest_gb", q("1.5")),
            (utc("2024-02-03T00:00:00Z"), "ingest_gb", q("2")),
            (utc("2024-02-03T00:00:00Z"), "storage_gb", q("0.000001")),
            (utc("2024-02-10T05:00:00Z"), "ingest_gb", q("4")),
            (utc("2024-02-20T09:00:00Z"), "storage_gb", q("7.25")),
            (utc("2024-02-29T14:00:00Z"), "ingest_gb", q("8")),
            // Outside the month: never counted.
            (utc("2024-02-29T15:00:00Z"), "ingest_gb", q("1000")),
            (utc("2024-01-31T14:00:00Z"), "ingest_gb", q("1000")),
        ];
        let histories: Vec<Vec<(DateTime<Utc>, Plan)>> = vec![
            vec![(utc("2023-05-01T00:00:00Z"), Plan::Paid)],
            vec![(utc("2024-02-03T00:00:00Z"), Plan::Paid)],
            vec![
                (utc("2023-05-01T00:00:00Z"), Plan::Paid),
                (utc("2024-02-10T05:00:00Z"), Plan::Free),
            ],
            vec![
                (utc("2024-01-01T00:00:00Z"), Plan::Free),
                (utc("2024-02-02T00:00:00Z"), Plan::Paid),
                (utc("2024-02-05T00:00:00Z"), Plan::Free),
                (utc("2024-02-10T05:30:00Z"), Plan::Paid),
                (utc("2024-02-25T00:00:00Z"), Plan::Free),
            ],
            vec![(month.start(), Plan::Paid)],
            vec![
                (utc("2024-02-03T00:00:00Z"), Plan::Paid),
                (utc("2024-02-03T00:00:00Z"), Plan::Free),
                (utc("2024-02-20T09:00:00Z"), Plan::Paid),
            ],
            vec![(utc("2023-05-01T00:00:00Z"), Plan::Free)],
        ];
        for changes in histories {
            let windows = paid_windows(month, &paid_intervals(&changes));
            let mut direct: BTreeMap<String, Quantity> = BTreeMap::new();
            for (from, to) in &windows {
                for (metric, used) in window_sum(&hours, *from, *to) {
                    let e = direct.entry(metric).or_default();
                    *e = e.checked_add(used).unwrap();
                }
            }
            let got = paid_usage(month, &windows, &since_of(month, &changes, &hours)).unwrap();
            assert_eq!(
                without_zeros(got),
                without_zeros(direct),
                "history {changes:?}"
            );
        }
    }

    #[test]
    fn a_project_paid_all_month_uses_the_month_total() {
        let month = m("2026-11");
        let mut since = UsageSince::new();
        since.insert(
            month.start(),
            BTreeMap::from([("ingest_gb".to_string(), q("12.5"))]),
        );
        let got = paid_usage(month, &[(month.start(), month.end())], &since).unwrap();
        assert_eq!(got, BTreeMap::from([("ingest_gb".to_string(), q("12.5"))]));
    }

    #[test]
    fn a_free_month_uses_nothing() {
        let month = m("2026-12");
        assert!(
            paid_usage(month, &[], &UsageSince::new())
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_stretch_whose_start_was_not_read_is_an_error_not_zero() {
        let month = m("2026-04"); // 30 days
        let from = utc("2026-04-10T00:00:00Z");
        assert_eq!(
            paid_usage(month, &[(from, month.end())], &UsageSince::new()),
            Err(PaidUsageError::NotRead(from))
        );
    }

    #[test]
    fn less_usage_since_an_earlier_time_is_an_error() {
        let month = m("2026-01");
        let later = utc("2026-01-20T00:00:00Z");
        let since = UsageSince::from([
            (
                month.start(),
                BTreeMap::from([("ingest_gb".to_string(), q("1"))]),
            ),
            (later, BTreeMap::from([("ingest_gb".to_string(), q("2"))])),
        ]);
        assert!(matches!(
            paid_usage(month, &[(month.start(), later)], &since),
            Err(PaidUsageError::NotIncreasing { .. })
        ));
        // A metric used after `later` but not since the start: also not one snapshot.
        let since = UsageSince::from([
            (month.start(), BTreeMap::new()),
            (later, BTreeMap::from([("storage_gb".to_string(), q("2"))])),
        ]);
        assert!(matches!(
            paid_usage(month, &[(month.start(), later)], &since),
            Err(PaidUsageError::NotIncreasing { .. })
        ));
    }

    #[test]
    fn sums_beyond_an_i64_are_an_error() {
        let month = m("2026-03");
        let mid = utc("2026-03-15T00:00:00Z");
        let big = Quantity::from_micros(i64::MAX);
        let since = UsageSince::from([
            (
                month.start(),
                BTreeMap::from([("ingest_gb".to_string(), big)]),
            ),
            (mid, BTreeMap::from([("ingest_gb".to_string(), big)])),
        ]);
        // [start, mid) uses 0 and [mid, end) uses i64::MAX: fine; counting the second twice
        // is not.
        let windows = [(month.start(), mid), (mid, month.end()), (mid, month.end())];
        assert_eq!(
            paid_usage(month, &windows, &since),
            Err(PaidUsageError::TooLarge)
        );
    }
}
