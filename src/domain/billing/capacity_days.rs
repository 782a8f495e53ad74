//! The capacity each paid KST day of a month is billed at, from the applied capacity changes.
//!
//! Rule: a paid day is billed at the highest value of each item (ingest GB/day, storage GB;
//! an option counts if it was on) held at any moment of that KST day. So an upgrade at 15:00
//! bills the whole day at the new value, a downgrade takes effect the next day, and a change
//! and its revert inside one day still bill that day at the higher value: the capacity was
//! provisioned for the customer that day, however briefly. Each item is taken on its own (a
//! change raising ingest and lowering storage bills that day at the higher of each). A change
//! at exactly 00:00 KST opens its day: that day never held the old value.
//!
//! Days with the same capacity make one period, whether consecutive or not; the invoice
//! pro-rates each period by its days (`invoice::compute`).
use super::invoice::PaidPeriod;
use super::month::BillingMonth;
use super::paid::PaidInterval;
use crate::domain::capacity::Capacity;
use crate::domain::kst::{kst_date, start_of_kst_day};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeSet;

/// An applied capacity change: from then on the project held `to` instead of `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppliedChange {
    pub at: DateTime<Utc>,
    pub from: Capacity,
    pub to: Capacity,
}

/// The capacity held just before `t`: what the first change at or after `t` changed from,
/// or the current capacity when nothing changed since.
pub fn capacity_before(t: DateTime<Utc>, current: Capacity, changes: &[AppliedChange]) -> Capacity {
    changes
        .iter()
        .filter(|c| c.at >= t)
        .min_by_key(|c| c.at)
        .map_or(current, |c| c.from)
}

/// The paid periods of `month`: each paid KST day billed at the highest capacity held that
/// day, days of equal capacity grouped, in the order each capacity first appears.
/// `at_start` is the capacity held when the month began (see [`capacity_before`]); changes
/// outside the month are ignored, so the whole history may be handed in.
pub fn paid_periods(
    month: BillingMonth,
    intervals: &[PaidInterval],
    at_start: Capacity,
    changes: &[AppliedChange],
) -> Vec<PaidPeriod> {
    let mut in_month: Vec<&AppliedChange> =
        changes.iter().filter(|c| month.contains(c.at)).collect();
    in_month.sort_by_key(|c| c.at);
    // Each capacity with the instant it took over (None: before the month); it holds until
    // the next one takes over. Of changes at the same instant only the last counts: the ones
    // before it were held for no time at all.
    let mut held: Vec<(Option<DateTime<Utc>>, Capacity)> = vec![(None, at_start)];
    for c in in_month {
        match held.last_mut() {
            Some((Some(t), cap)) if *t == c.at => *cap = c.to,
            _ => held.push((Some(c.at), c.to)),
        }
    }

    let mut periods: Vec<PaidPeriod> = Vec::new();
    for day in paid_dates(month, intervals) {
        let open = start_of_kst_day(day);
        let close = day.succ_opt().map_or(month.end(), start_of_kst_day);
        let at_open = held
            .iter()
            .rev()
            .find(|(from, _)| from.is_none_or(|f| f <= open))
            .map_or(at_start, |(_, c)| *c);
        let capacity = held
            .iter()
            .filter(|(from, _)| from.is_some_and(|f| open < f && f < close))
            .fold(at_open, |acc, (_, c)| highest(acc, *c));
        match periods.iter_mut().find(|p| p.capacity == capacity) {
            Some(p) => p.days += 1,
            None => periods.push(PaidPeriod { days: 1, capacity }),
        }
    }
    periods
}

/// The KST dates of `month` on the paid plan, counted as `paid::paid_days_in` counts them:
/// from the day paid service started to the day it ended, that day not included.
fn paid_dates(month: BillingMonth, intervals: &[PaidInterval]) -> BTreeSet<NaiveDate> {
    let first = month.first_day();
    let after_last = month.next().first_day();
    let mut out = BTreeSet::new();
    for i in intervals {
        let end = i.end.map_or(after_last, |e| kst_date(e).min(after_last));
        let mut d = kst_date(i.start).max(first);
        while d < end {
            out.insert(d);
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
        }
    }
    out
}

fn highest(a: Capacity, b: Capacity) -> Capacity {
    Capacity {
        ingest_gb_per_day: a.ingest_gb_per_day.max(b.ingest_gb_per_day),
        storage_gb: a.storage_gb.max(b.storage_gb),
        extended_retention: a.extended_retention || b.extended_retention,
        remote_support: a.remote_support || b.remote_support,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::billing::paid::{paid_days_in, paid_intervals};
    use crate::domain::plan::Plan;
    use crate::domain::test_time::{month as m, utc};
    use chrono::Duration;
    use proptest::prelude::*;

    fn cap(ingest: u32, storage: u32) -> Capacity {
        Capacity {
            ingest_gb_per_day: ingest,
            storage_gb: storage,
            extended_retention: false,
            remote_support: false,
        }
    }

    fn change(at: &str, from: Capacity, to: Capacity) -> AppliedChange {
        AppliedChange {
            at: utc(at),
            from,
            to,
        }
    }

    fn period(days: u32, capacity: Capacity) -> PaidPeriod {
        PaidPeriod { days, capacity }
    }

    /// Paid since long before any month the tests look at.
    fn always_paid() -> Vec<PaidInterval> {
        vec![PaidInterval {
            start: utc("2020-01-01T00:00:00Z"),
            end: None,
        }]
    }

    /// The periods of `month` for a project paid throughout, its capacity at the start of
    /// the month derived from `current` and the changes as the month close derives it.
    fn periods(month: &str, current: Capacity, changes: &[AppliedChange]) -> Vec<PaidPeriod> {
        let month = m(month);
        let start = capacity_before(month.start(), current, changes);
        paid_periods(month, &always_paid(), start, changes)
    }

    #[test]
    fn without_changes_every_paid_day_has_the_same_capacity() {
        assert_eq!(
            periods("2026-11", cap(10, 100), &[]),
            [period(30, cap(10, 100))]
        );
        assert_eq!(
            periods("2026-12", cap(10, 100), &[]),
            [period(31, cap(10, 100))]
        );
    }

    #[test]
    fn nothing_paid_gives_no_periods() {
        assert_eq!(paid_periods(m("2026-11"), &[], cap(10, 100), &[]), []);
        let later = [PaidInterval {
            start: utc("2026-12-05T00:00:00Z"),
            end: None,
        }];
        assert_eq!(paid_periods(m("2026-11"), &later, cap(10, 100), &[]), []);
    }

    #[test]
    fn an_upgrade_mid_month_counts_its_whole_day() {
        // 15:00 KST on 10 November: the 10th already at 40.
        let up = [change("2026-11-10T06:00:00Z", cap(10, 100), cap(40, 100))];
        assert_eq!(
            periods("2026-11", cap(40, 100), &up),
            [period(9, cap(10, 100)), period(21, cap(40, 100))]
        );
    }

    #[test]
    fn a_downgrade_mid_month_takes_effect_the_next_day() {
        // 15:00 KST on 10 November: the 10th still at 40, the 11th on at 10.
        let down = [change("2026-11-10T06:00:00Z", cap(40, 100), cap(10, 100))];
        assert_eq!(
            periods("2026-11", cap(10, 100), &down),
            [period(10, cap(40, 100)), period(20, cap(10, 100))]
        );
    }

    #[test]
    fn a_change_and_its_revert_inside_one_day_bill_that_day_at_the_higher_value() {
        // Up at 10:00 KST on the 12th, back at 16:00 the same day: the 12th at 40, and the
        // days at 10 before and after it make one period.
        let blip = [
            change("2026-11-12T01:00:00Z", cap(10, 100), cap(40, 100)),
            change("2026-11-12T07:00:00Z", cap(40, 100), cap(10, 100)),
        ];
        assert_eq!(
            periods("2026-11", cap(10, 100), &blip),
            [period(29, cap(10, 100)), period(1, cap(40, 100))]
        );
        // Down and back up the same day: the day still held the higher value.
        let dip = [
            change("2026-11-12T01:00:00Z", cap(40, 100), cap(10, 100)),
            change("2026-11-12T07:00:00Z", cap(10, 100), cap(40, 100)),
        ];
        assert_eq!(
            periods("2026-11", cap(40, 100), &dip),
            [period(30, cap(40, 100))]
        );
        // Two upgrades the same day: the day at the last, highest value.
        let twice = [
            change("2026-11-12T01:00:00Z", cap(10, 100), cap(20, 100)),
            change("2026-11-12T07:00:00Z", cap(20, 100), cap(30, 100)),
        ];
        assert_eq!(
            periods("2026-11", cap(30, 100), &twice),
            [period(11, cap(10, 100)), period(19, cap(30, 100))]
        );
    }

    #[test]
    fn changes_at_the_same_instant_count_only_the_last() {
        let same = [
            change("2026-11-12T01:00:00Z", cap(10, 100), cap(99, 100)),
            change("2026-11-12T01:00:00Z", cap(99, 100), cap(20, 100)),
        ];
        assert_eq!(
            periods("2026-11", cap(20, 100), &same),
            [period(11, cap(10, 100)), period(19, cap(20, 100))]
        );
    }

    #[test]
    fn each_item_is_billed_at_its_own_highest_value() {
        // More ingest, less storage and retention switched on at 15:00 KST on the 10th.
        let mixed = [change(
            "2026-11-10T06:00:00Z",
            cap(10, 500),
            Capacity {
                extended_retention: true,
                ..cap(40, 100)
            },
        )];
        let new = Capacity {
            extended_retention: true,
            ..cap(40, 100)
        };
        let change_day = Capacity {
            extended_retention: true,
            ..cap(40, 500)
        };
        assert_eq!(
            periods("2026-11", new, &mixed),
            [
                period(9, cap(10, 500)),
                period(1, change_day),
                period(20, new)
            ]
        );
        // An option switched on and off within one day bills that day.
        let on_off = [
            change(
                "2026-11-10T01:00:00Z",
                cap(10, 100),
                Capacity {
                    remote_support: true,
                    ..cap(10, 100)
                },
            ),
            change(
                "2026-11-10T02:00:00Z",
                Capacity {
                    remote_support: true,
                    ..cap(10, 100)
                },
                cap(10, 100),
            ),
        ];
        assert_eq!(
            periods("2026-11", cap(10, 100), &on_off),
            [
                period(29, cap(10, 100)),
                period(
                    1,
                    Capacity {
                        remote_support: true,
                        ..cap(10, 100)
                    }
                )
            ]
        );
    }

    #[test]
    fn changes_on_the_first_and_the_last_day_of_the_month() {
        // 09:00 KST on 1 November.
        let first_up = [change("2026-11-01T00:00:00Z", cap(10, 100), cap(40, 100))];
        assert_eq!(
            periods("2026-11", cap(40, 100), &first_up),
            [period(30, cap(40, 100))]
        );
        let first_down = [change("2026-11-01T00:00:00Z", cap(40, 100), cap(10, 100))];
        assert_eq!(
            periods("2026-11", cap(10, 100), &first_down),
            [period(1, cap(40, 100)), period(29, cap(10, 100))]
        );
        // 20:00 KST on 30 November, the last day.
        let last_up = [change("2026-11-30T11:00:00Z", cap(10, 100), cap(40, 100))];
        assert_eq!(
            periods("2026-11", cap(40, 100), &last_up),
            [period(29, cap(10, 100)), period(1, cap(40, 100))]
        );
        let last_down = [change("2026-11-30T11:00:00Z", cap(40, 100), cap(10, 100))];
        assert_eq!(
            periods("2026-11", cap(10, 100), &last_down),
            [period(30, cap(40, 100))]
        );
        // The last-day change seen from December: it is before the month.
        assert_eq!(
            periods("2026-12", cap(10, 100), &last_down),
            [period(31, cap(10, 100))]
        );
    }

    #[test]
    fn changes_before_or_after_the_month_only_set_its_starting_capacity() {
        let history = [
            change("2026-09-05T00:00:00Z", cap(10, 100), cap(20, 100)),
            change("2026-10-20T00:00:00Z", cap(20, 100), cap(30, 100)),
            change("2026-12-03T00:00:00Z", cap(30, 100), cap(50, 100)),
        ];
        let nov = m("2026-11");
        assert_eq!(
            capacity_before(nov.start(), cap(50, 100), &history),
            cap(30, 100)
        );
        assert_eq!(
            periods("2026-11", cap(50, 100), &history),
            [period(30, cap(30, 100))]
        );
        // The order the changes are handed in does not matter.
        let mut shuffled = history;
        shuffled.reverse();
        assert_eq!(
            periods("2026-11", cap(50, 100), &shuffled),
            [period(30, cap(30, 100))]
        );
        // Nothing changed since: the current capacity.
        assert_eq!(
            capacity_before(m("2027-01").start(), cap(50, 100), &history),
            cap(50, 100)
        );
    }

    #[test]
    fn paid_from_mid_month_bills_only_the_paid_days_at_what_was_held_then() {
        // Paid from 15:00 KST on 15 November; the capacity moved to 20 on the 10th, before.
        let paid = [PaidInterval {
            start: utc("2026-11-15T06:00:00Z"),
            end: None,
        }];
        let before = [change("2026-11-10T06:00:00Z", cap(10, 100), cap(20, 100))];
        let nov = m("2026-11");
        let start = capacity_before(nov.start(), cap(20, 100), &before);
        assert_eq!(
            paid_periods(nov, &paid, start, &before),
            [period(16, cap(20, 100))]
        );
        // The upgrade itself moves the free capacity to the paid one at the same instant:
        // the upgrade day is billed at the paid capacity.
        let upgrade = [change(
            "2026-11-15T06:00:00Z",
            Capacity::FREE_DEFAULT,
            Capacity::PAID_DEFAULT,
        )];
        let start = capacity_before(nov.start(), Capacity::PAID_DEFAULT, &upgrade);
        assert_eq!(start, Capacity::FREE_DEFAULT);
        assert_eq!(
            paid_periods(nov, &paid, start, &upgrade),
            [period(16, Capacity::PAID_DEFAULT)]
        );
    }

    #[test]
    fn days_off_the_paid_plan_are_left_out_on_both_sides_of_a_change() {
        // Paid 1-10 November (free from 00:30 KST on the 11th) and again from the 21st; raised
        // to 40 on the 5th and lowered to 20 on the 25th.
        let paid = [
            PaidInterval {
                start: utc("2026-10-01T00:00:00Z"),
                end: Some(utc("2026-11-10T15:30:00Z")),
            },
            PaidInterval {
                start: utc("2026-11-21T03:00:00Z"),
                end: None,
            },
        ];
        let changes = [
            change("2026-11-05T03:00:00Z", cap(10, 100), cap(40, 100)),
            change("2026-11-25T03:00:00Z", cap(40, 100), cap(20, 100)),
        ];
        let nov = m("2026-11");
        assert_eq!(
            paid_periods(nov, &paid, cap(10, 100), &changes),
            [
                period(4, cap(10, 100)),
                period(6 + 5, cap(40, 100)),
                period(5, cap(20, 100))
            ]
        );
        assert_eq!(paid_days_in(nov, &paid), 20);
    }

    #[test]
    fn months_of_28_29_30_and_31_days() {
        // Raised at noon KST on the 15th: 14 days before it, the rest of the month after.
        for (month, days, at) in [
            ("2027-02", 28, "2027-02-15T03:00:00Z"),
            ("2028-02", 29, "2028-02-15T03:00:00Z"),
            ("2026-11", 30, "2026-11-15T03:00:00Z"),
            ("2026-12", 31, "2026-12-15T03:00:00Z"),
        ] {
            let up = [change(at, cap(10, 100), cap(40, 100))];
            assert_eq!(
                periods(month, cap(40, 100), &up),
                [period(14, cap(10, 100)), period(days - 14, cap(40, 100))],
                "{month}"
            );
        }
        // 29 February 2028 is a paid day of its own: raised at 23:00 KST on it.
        let leap_day = [change("2028-02-29T14:00:00Z", cap(10, 100), cap(40, 100))];
        assert_eq!(
            periods("2028-02", cap(40, 100), &leap_day),
            [period(28, cap(10, 100)), period(1, cap(40, 100))]
        );
        assert_eq!(
            periods("2028-03", cap(40, 100), &leap_day),
            [period(31, cap(40, 100))]
        );
    }

    #[test]
    fn one_second_before_midnight_kst_is_the_old_day_midnight_is_the_new_one() {
        // 23:59:59 KST on 14 November is 14:59:59 UTC; 00:00 KST on the 15th is 15:00 UTC.
        let late = "2026-11-14T14:59:59Z";
        let midnight = "2026-11-14T15:00:00Z";
        let up = |at| [change(at, cap(10, 100), cap(40, 100))];
        assert_eq!(
            periods("2026-11", cap(40, 100), &up(late)),
            [period(13, cap(10, 100)), period(17, cap(40, 100))],
            "the 14th held 40 for a second"
        );
        assert_eq!(
            periods("2026-11", cap(40, 100), &up(midnight)),
            [period(14, cap(10, 100)), period(16, cap(40, 100))],
            "the 14th never held 40"
        );
        let down = |at| [change(at, cap(40, 100), cap(10, 100))];
        for at in [late, midnight] {
            assert_eq!(
                periods("2026-11", cap(10, 100), &down(at)),
                [period(14, cap(40, 100)), period(16, cap(10, 100))],
                "the 15th never held 40 ({at})"
            );
        }
        // The same at the turn of a month: 23:59:59 KST on 31 October is October's, 00:00
        // KST on 1 November opens November, so a downgrade then bills November at 10 only.
        let oct_last = "2026-10-31T14:59:59Z";
        let nov_first = "2026-10-31T15:00:00Z";
        for at in [oct_last, nov_first] {
            assert_eq!(
                periods("2026-11", cap(10, 100), &down(at)),
                [period(30, cap(10, 100))],
                "{at}"
            );
            assert_eq!(
                periods("2026-11", cap(40, 100), &up(at)),
                [period(30, cap(40, 100))],
                "{at}"
            );
        }
        assert_eq!(
            periods("2026-10", cap(10, 100), &down(oct_last)),
            [period(31, cap(40, 100))]
        );
        assert_eq!(
            periods("2026-10", cap(10, 100), &down(nov_first)),
            [period(31, cap(40, 100))]
        );
        assert_eq!(
            periods("2026-10", cap(40, 100), &up(oct_last)),
            [period(30, cap(10, 100)), period(1, cap(40, 100))]
        );
        assert_eq!(
            periods("2026-10", cap(40, 100), &up(nov_first)),
            [period(31, cap(10, 100))]
        );
    }

    fn arbitrary_capacity() -> impl Strategy<Value = Capacity> {
        (1u32..50, 10u32..500, any::<bool>(), any::<bool>()).prop_map(|(i, s, e, r)| Capacity {
            ingest_gb_per_day: i,
            storage_gb: s,
            extended_retention: e,
            remote_support: r,
        })
    }

    proptest! {
        // Whatever the history, the periods cover exactly the paid days the month counts,
        // each capacity once.
        #[test]
        fn the_periods_cover_exactly_the_paid_days(
            starts in proptest::collection::vec(0i64..(40 * 24), 0..6),
            steps in proptest::collection::vec((0i64..(40 * 24 * 60), arbitrary_capacity()), 0..8),
            first in arbitrary_capacity(),
        ) {
            let base = utc("2026-10-20T00:00:00Z");
            let mut toggles: Vec<i64> = starts;
            toggles.sort_unstable();
            let mut plan = Vec::new();
            for (n, h) in toggles.iter().enumerate() {
                let p = if n % 2 == 0 { Plan::Paid } else { Plan::Free };
                plan.push((base + Duration::hours(*h), p));
            }
            let intervals = paid_intervals(&plan);
            let mut minutes: Vec<(i64, Capacity)> = steps;
            minutes.sort_by_key(|(t, _)| *t);
            let mut changes = Vec::new();
            let mut now = first;
            for (t, to) in minutes {
                changes.push(AppliedChange { at: base + Duration::minutes(t), from: now, to });
                now = to;
            }
            let nov = m("2026-11");
            let start = capacity_before(nov.start(), now, &changes);
            let out = paid_periods(nov, &intervals, start, &changes);
            let total: u32 = out.iter().map(|p| p.days).sum();
            prop_assert_eq!(total, paid_days_in(nov, &intervals));
            prop_assert!(out.iter().all(|p| p.days > 0));
            for (i, a) in out.iter().enumerate() {
                prop_assert!(out[i + 1..].iter().all(|b| b.capacity != a.capacity));
            }
        }
    }
}
