//! R7: when a project's screens, data collection and data stop, from the facts about it.
//!
//! | step | free | paid (after a missed payment date D, KST) |
//! | access stopped | trial end (creation + 15 days + extensions) | 00:00 KST of D + 1 day |
//! | collection stopped | trial end | 00:00 KST of D + 10 days |
//! | data deleted | trial end | 00:00 KST of D + 20 days |
//!
//! Upgrading to paid stops the free clock (plan becomes Paid); paying clears D.
use super::kst::start_of_kst_day;
use super::plan::{Plan, trial_ends_at};
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum LifecycleState {
    Active,
    AccessStopped,
    CollectionStopped,
    Deleted,
}

impl LifecycleState {
    pub fn code(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::AccessStopped => "access_stopped",
            Self::CollectionStopped => "collection_stopped",
            Self::Deleted => "deleted",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        [
            Self::Active,
            Self::AccessStopped,
            Self::CollectionStopped,
            Self::Deleted,
        ]
        .into_iter()
        .find(|x| x.code() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifecycleFacts {
    pub plan: Plan,
    pub created_at: DateTime<Utc>,
    pub trial_extension_days: i64,
    /// KST due date of the oldest unpaid invoice whose due date has passed.
    pub missed_payment_date: Option<NaiveDate>,
}

pub const PAID_ACCESS_STOP_DAYS: u64 = 1;
pub const PAID_COLLECTION_STOP_DAYS: u64 = 10;
pub const PAID_DELETION_DAYS: u64 = 20;

fn kst_midnight_after(d: NaiveDate, days: u64) -> Option<DateTime<Utc>> {
    d.checked_add_days(Days::new(days)).map(start_of_kst_day)
}

/// The steps that apply to these facts, in order, with their instants.
pub fn schedule(f: &LifecycleFacts) -> Vec<(LifecycleState, DateTime<Utc>)> {
    match f.plan {
        Plan::Free => {
            let end = trial_ends_at(f.created_at, f.trial_extension_days);
            vec![
                (LifecycleState::AccessStopped, end),
                (LifecycleState::CollectionStopped, end),
                (LifecycleState::Deleted, end),
            ]
        }
        Plan::Paid => match f.missed_payment_date {
            None => Vec::new(),
            Some(d) => [
                (LifecycleState::AccessStopped, PAID_ACCESS_STOP_DAYS),
                (LifecycleState::CollectionStopped, PAID_COLLECTION_STOP_DAYS),
                (LifecycleState::Deleted, PAID_DELETION_DAYS),
            ]
            .into_iter()
            .filter_map(|(s, days)| kst_midnight_after(d, days).map(|at| (s, at)))
            .collect(),
        },
    }
}

/// The most severe step whose instant has come.
pub fn state_at(f: &LifecycleFacts, now: DateTime<Utc>) -> LifecycleState {
    schedule(f)
        .into_iter()
        .filter(|(_, at)| *at <= now)
        .map(|(s, _)| s)
        .max()
        .unwrap_or(LifecycleState::Active)
}

/// The next step still to come: for a free project, the three steps share one instant and
/// the customer is told about the most severe (data deletion).
pub fn next_step(
    f: &LifecycleFacts,
    now: DateTime<Utc>,
) -> Option<(LifecycleState, DateTime<Utc>)> {
    let future: Vec<_> = schedule(f)
        .into_iter()
        .filter(|(_, at)| *at > now)
        .collect();
    let first_at = future.iter().map(|(_, at)| *at).min()?;
    future
        .into_iter()
        .filter(|(_, at)| *at == first_at)
        .max_by_key(|(s, _)| *s)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notice {
    pub step: LifecycleState,
    pub at: DateTime<Utc>,
    pub days_before: i64,
}

pub const NOTICE_DAYS: [i64; 2] = [3, 1];

/// The steps notices are about: steps at the same instant (the free plan's three) are one,
/// named after the most severe. A stored notice about anything else (after an upgrade, an
/// extension or a payment) is no longer true.
pub fn notice_steps(f: &LifecycleFacts) -> Vec<(LifecycleState, DateTime<Utc>)> {
    let mut steps: Vec<(LifecycleState, DateTime<Utc>)> = Vec::new();
    for (s, at) in schedule(f) {
        match steps.iter_mut().find(|(_, a)| *a == at) {
            Some(existing) => existing.0 = existing.0.max(s),
            None => steps.push((s, at)),
        }
    }
    steps
}

/// Notices due now: for each step still to come, the 3-day notice while 3 to 1 days remain
/// and the 1-day notice in the last day. Steps at the same instant (the free plan's three)
/// make one notice, named after the most severe. Returning a notice again on a later run is
/// expected: the caller stores each (project, step, instant, days) once.
pub fn due_notices(f: &LifecycleFacts, now: DateTime<Utc>) -> Vec<Notice> {
    let mut out = Vec::new();
    for (step, at) in notice_steps(f).into_iter().filter(|(_, at)| *at > now) {
        let three = at - chrono::Duration::days(3);
        let one = at - chrono::Duration::days(1);
        if now >= one {
            out.push(Notice {
                step,
                at,
                days_before: 1,
            });
        } else if now >= three {
            out.push(Notice {
                step,
                at,
                days_before: 3,
            });
        }
    }
    out
}

/// The instants at which something changes for the lifecycle job: each step, and the opening
/// of its 3-day and 1-day notice windows.
fn triggers(f: &LifecycleFacts) -> impl Iterator<Item = DateTime<Utc>> {
    schedule(f).into_iter().flat_map(|(_, at)| {
        let mut v = vec![at];
        v.extend(NOTICE_DAYS.iter().map(|d| at - chrono::Duration::days(*d)));
        v
    })
}

/// When the job must look at the project again, once it has applied every step and recorded
/// every notice due at `handled`: the first step or notice window strictly after it. None
/// when nothing is scheduled (a paid project that owes nothing).
pub fn next_check_after(f: &LifecycleFacts, handled: DateTime<Utc>) -> Option<DateTime<Utc>> {
    triggers(f).filter(|t| *t > handled).min()
}

/// When the job must look at the project after its facts (plan, trial extension, missed
/// payment) changed at `now`: at once if a step is due or a notice window is open under the new
/// facts (nothing was recorded for them yet), else at the next step or notice window.
pub fn next_check_after_change(
    f: &LifecycleFacts,
    stored: LifecycleState,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if state_at(f, now) != stored || !due_notices(f, now).is_empty() {
        Some(now)
    } else {
        next_check_after(f, now)
    }
}

/// The steps a project passes through to get from `stored` to its state at `now`, in order, so
/// that a job that was late (or a free trial, whose three steps share an instant) records each
/// one. Empty when nothing is due or the stored state is already further along.
pub fn steps_due(
    f: &LifecycleFacts,
    stored: LifecycleState,
    now: DateTime<Utc>,
) -> Vec<(LifecycleState, DateTime<Utc>)> {
    let mut due: Vec<_> = schedule(f)
        .into_iter()
        .filter(|(s, at)| *s > stored && *at <= now)
        .collect();
    due.sort_by_key(|(s, _)| *s);
    due
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    fn kst(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        super::super::kst::KST
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn free(created: DateTime<Utc>) -> LifecycleFacts {
        LifecycleFacts {
            plan: Plan::Free,
            created_at: created,
            trial_extension_days: 0,
            missed_payment_date: None,
        }
    }

    fn paid_missed(d: NaiveDate) -> LifecycleFacts {
        LifecycleFacts {
            plan: Plan::Paid,
            created_at: kst(2023, 1, 1, 9, 0),
            trial_extension_days: 0,
            missed_payment_date: Some(d),
        }
    }

    const MS: Duration = Duration::milliseconds(1);

    #[test]
    fn free_everything_stops_fifteen_days_after_creation() {
        let created = kst(2024, 2, 20, 14, 30);
        let end = kst(2024, 3, 6, 14, 30);
        let f = free(created);
        assert_eq!(state_at(&f, created), LifecycleState::Active);
        assert_eq!(state_at(&f, end - MS), LifecycleState::Active);
        assert_eq!(state_at(&f, end), LifecycleState::Deleted);
        assert_eq!(next_step(&f, created), Some((LifecycleState::Deleted, end)));
        assert_eq!(next_step(&f, end), None);
    }

    #[test]
    fn free_creation_at_day_edges_in_kst() {
        // 23:59 KST and 00:00 KST: the same wall-clock time 15 dates later.
        assert_eq!(
            schedule(&free(kst(2025, 1, 31, 23, 59)))[0].1,
            kst(2025, 2, 15, 23, 59)
        );
        assert_eq!(
            schedule(&free(kst(2025, 2, 1, 0, 0)))[0].1,
            kst(2025, 2, 16, 0, 0)
        );
        // 15:30 UTC on the 14th is already the 15th in Seoul.
        let c = Utc.with_ymd_and_hms(2024, 2, 14, 15, 30, 0).unwrap();
        assert_eq!(schedule(&free(c))[0].1, kst(2024, 3, 1, 0, 30));
        // Across a 28-day February and a year end.
        assert_eq!(
            schedule(&free(kst(2025, 2, 20, 10, 0)))[0].1,
            kst(2025, 3, 7, 10, 0)
        );
        assert_eq!(
            schedule(&free(kst(2025, 12, 25, 10, 0)))[0].1,
            kst(2026, 1, 9, 10, 0)
        );
    }

    #[test]
    fn an_extension_moves_the_free_steps() {
        let mut f = free(kst(2024, 1, 1, 9, 0));
        f.trial_extension_days = 10;
        assert_eq!(state_at(&f, kst(2024, 1, 16, 9, 0)), LifecycleState::Active);
        assert_eq!(
            state_at(&f, kst(2024, 1, 26, 9, 0)),
            LifecycleState::Deleted
        );
    }

    #[test]
    fn upgrading_stops_the_free_clock() {
        let mut f = free(kst(2024, 1, 1, 9, 0));
        f.plan = Plan::Paid;
        assert_eq!(state_at(&f, kst(2030, 1, 1, 0, 0)), LifecycleState::Active);
        assert!(schedule(&f).is_empty());
        assert_eq!(next_step(&f, kst(2024, 1, 2, 0, 0)), None);
    }

    #[test]
    fn paid_steps_after_a_missed_payment() {
        let f = paid_missed(date(2025, 3, 10));
        assert_eq!(
            state_at(&f, kst(2025, 3, 10, 23, 59)),
            LifecycleState::Active
        );
        assert_eq!(
            state_at(&f, kst(2025, 3, 11, 0, 0) - MS),
            LifecycleState::Active
        );
        assert_eq!(
            state_at(&f, kst(2025, 3, 11, 0, 0)),
            LifecycleState::AccessStopped
        );
        assert_eq!(
            state_at(&f, kst(2025, 3, 20, 0, 0) - MS),
            LifecycleState::AccessStopped
        );
        assert_eq!(
            state_at(&f, kst(2025, 3, 20, 0, 0)),
            LifecycleState::CollectionStopped
        );
        assert_eq!(
            state_at(&f, kst(2025, 3, 30, 0, 0) - MS),
            LifecycleState::CollectionStopped
        );
        assert_eq!(
            state_at(&f, kst(2025, 3, 30, 0, 0)),
            LifecycleState::Deleted
        );
    }

    #[test]
    fn paying_stops_the_paid_clock() {
        let mut f = paid_missed(date(2025, 3, 10));
        f.missed_payment_date = None;
        assert_eq!(state_at(&f, kst(2025, 4, 30, 0, 0)), LifecycleState::Active);
    }

    fn steps(d: NaiveDate) -> Vec<DateTime<Utc>> {
        schedule(&paid_missed(d))
            .into_iter()
            .map(|(_, at)| at)
            .collect()
    }

    #[test]
    fn month_ends_leap_years_and_year_end() {
        // Jan 31 -> Feb 1, Feb 10, Feb 20.
        assert_eq!(
            steps(date(2025, 1, 31)),
            vec![
                kst(2025, 2, 1, 0, 0),
                kst(2025, 2, 10, 0, 0),
                kst(2025, 2, 20, 0, 0)
            ]
        );
        // Feb 28 in a leap year -> Feb 29, Mar 9, Mar 19.
        assert_eq!(
            steps(date(2024, 2, 28)),
            vec![
                kst(2024, 2, 29, 0, 0),
                kst(2024, 3, 9, 0, 0),
                kst(2024, 3, 19, 0, 0)
            ]
        );
        // Feb 28 in a common year -> Mar 1, Mar 10, Mar 20.
        assert_eq!(
            steps(date(2025, 2, 28)),
            vec![
                kst(2025, 3, 1, 0, 0),
                kst(2025, 3, 10, 0, 0),
                kst(2025, 3, 20, 0, 0)
            ]
        );
        // Feb 29 itself.
        assert_eq!(
            steps(date(2024, 2, 29)),
            vec![
                kst(2024, 3, 1, 0, 0),
                kst(2024, 3, 10, 0, 0),
                kst(2024, 3, 20, 0, 0)
            ]
        );
        // 30-day April and 31-day months.
        assert_eq!(
            steps(date(2025, 4, 30)),
            vec![
                kst(2025, 5, 1, 0, 0),
                kst(2025, 5, 10, 0, 0),
                kst(2025, 5, 20, 0, 0)
            ]
        );
        assert_eq!(steps(date(2025, 8, 31))[1], kst(2025, 9, 10, 0, 0));
        // Dec 31 -> into the next year.
        assert_eq!(
            steps(date(2025, 12, 31)),
            vec![
                kst(2026, 1, 1, 0, 0),
                kst(2026, 1, 10, 0, 0),
                kst(2026, 1, 20, 0, 0)
            ]
        );
        // 00:00 KST is 15:00 UTC the day before.
        assert_eq!(
            steps(date(2024, 2, 28))[0],
            Utc.with_ymd_and_hms(2024, 2, 28, 15, 0, 0).unwrap()
        );
    }

    #[test]
    fn notices_three_days_and_one_day_before() {
        let f = free(kst(2024, 2, 20, 12, 0));
        let end = kst(2024, 3, 6, 12, 0);
        assert!(due_notices(&f, end - Duration::days(3) - MS).is_empty());
        assert_eq!(
            due_notices(&f, end - Duration::days(3)),
            vec![Notice {
                step: LifecycleState::Deleted,
                at: end,
                days_before: 3
            }]
        );
        assert_eq!(
            due_notices(&f, end - Duration::days(1) - MS)[0].days_before,
            3
        );
        assert_eq!(
            due_notices(&f, end - Duration::days(1)),
            vec![Notice {
                step: LifecycleState::Deleted,
                at: end,
                days_before: 1
            }]
        );
        assert_eq!(due_notices(&f, end - MS)[0].days_before, 1);
        assert!(
            due_notices(&f, end).is_empty(),
            "no notice for a step already reached"
        );
    }

    #[test]
    fn paid_notices_for_each_step_separately() {
        let f = paid_missed(date(2025, 1, 31));
        // Two days before access stops (Feb 1): only the 1-day window is not yet open.
        let n = due_notices(&f, kst(2025, 1, 29, 12, 0));
        assert_eq!(
            n,
            vec![Notice {
                step: LifecycleState::AccessStopped,
                at: kst(2025, 2, 1, 0, 0),
                days_before: 3
            }]
        );
        let n = due_notices(&f, kst(2025, 2, 8, 0, 0));
        assert_eq!(
            n,
            vec![Notice {
                step: LifecycleState::CollectionStopped,
                at: kst(2025, 2, 10, 0, 0),
                days_before: 3
            }]
        );
    }

    #[test]
    fn codes_round_trip() {
        for s in [
            LifecycleState::Active,
            LifecycleState::AccessStopped,
            LifecycleState::CollectionStopped,
            LifecycleState::Deleted,
        ] {
            assert_eq!(LifecycleState::from_code(s.code()), Some(s));
        }
        assert_eq!(LifecycleState::from_code("gone"), None);
    }

    #[test]
    fn next_check_is_the_next_notice_window_or_step() {
        let f = free(kst(2024, 2, 20, 12, 0));
        let end = kst(2024, 3, 6, 12, 0);
        let created = kst(2024, 2, 20, 12, 0);
        assert_eq!(next_check_after(&f, created), Some(end - Duration::days(3)));
        assert_eq!(
            next_check_after(&f, end - Duration::days(3)),
            Some(end - Duration::days(1))
        );
        assert_eq!(next_check_after(&f, end - Duration::days(1)), Some(end));
        assert_eq!(next_check_after(&f, end), None, "all steps done");
        let mut paid = f.clone();
        paid.plan = Plan::Paid;
        assert_eq!(next_check_after(&paid, created), None, "nothing scheduled");
        assert!(
            notice_steps(&paid).is_empty(),
            "no notice stays true after an upgrade"
        );
        assert_eq!(notice_steps(&f), vec![(LifecycleState::Deleted, end)]);
    }

    #[test]
    fn next_check_across_month_ends_and_leap_years() {
        // Missed payment on Jan 31 (31-day month): access stops Feb 1, its notices open
        // Jan 29 and Jan 31; collection Feb 10 (notices Feb 7, Feb 9); deletion Feb 20.
        let f = paid_missed(date(2025, 1, 31));
        let handled = kst(2025, 1, 31, 12, 0);
        assert_eq!(next_check_after(&f, handled), Some(kst(2025, 2, 1, 0, 0)));
        assert_eq!(
            next_check_after(&f, kst(2025, 2, 1, 0, 0)),
            Some(kst(2025, 2, 7, 0, 0))
        );
        // Feb 28 in a leap year: access stops Feb 29; in a common year Mar 1.
        let leap = paid_missed(date(2024, 2, 28));
        assert_eq!(
            next_check_after(&leap, kst(2024, 2, 28, 1, 0)),
            Some(kst(2024, 2, 29, 0, 0))
        );
        let common = paid_missed(date(2025, 2, 28));
        assert_eq!(
            next_check_after(&common, kst(2025, 2, 28, 1, 0)),
            Some(kst(2025, 3, 1, 0, 0))
        );
        // Deletion 20 days after a Feb 29 date in a leap year: Mar 20; its 3-day window Mar 17.
        let feb29 = paid_missed(date(2024, 2, 29));
        assert_eq!(
            next_check_after(&feb29, kst(2024, 3, 10, 0, 0)),
            Some(kst(2024, 3, 17, 0, 0))
        );
        // 30-day April: a missed payment on Apr 30 stops collection on May 10.
        let april = paid_missed(date(2025, 4, 30));
        assert_eq!(
            next_check_after(&april, kst(2025, 5, 1, 0, 0)),
            Some(kst(2025, 5, 7, 0, 0))
        );
        // A free trial that starts Feb 14 ends Feb 29 in a leap year, Mar 1 otherwise; the
        // 1-day window opens 24 hours before the end.
        let leap_trial = free(kst(2024, 2, 14, 10, 0));
        assert_eq!(
            next_check_after(&leap_trial, kst(2024, 2, 27, 10, 0)),
            Some(kst(2024, 2, 28, 10, 0))
        );
        assert_eq!(
            next_check_after(&leap_trial, kst(2024, 2, 28, 10, 0)),
            Some(kst(2024, 2, 29, 10, 0))
        );
        let common_trial = free(kst(2025, 2, 14, 10, 0));
        assert_eq!(
            next_check_after(&common_trial, kst(2025, 2, 27, 10, 0)),
            Some(kst(2025, 2, 28, 10, 0))
        );
        assert_eq!(
            next_check_after(&common_trial, kst(2025, 2, 28, 10, 0)),
            Some(kst(2025, 3, 1, 10, 0))
        );
        // Year end: Dec 31 -> Jan 1.
        let dec = paid_missed(date(2025, 12, 31));
        assert_eq!(
            next_check_after(&dec, kst(2025, 12, 31, 9, 0)),
            Some(kst(2026, 1, 1, 0, 0))
        );
    }

    #[test]
    fn after_a_change_the_job_looks_at_once_only_when_something_is_open() {
        let created = kst(2024, 1, 1, 9, 0);
        let mut f = free(created);
        // Two days before the end a 7-day extension: the new end's 3-day window is not open.
        let now = kst(2024, 1, 14, 9, 0);
        f.trial_extension_days = 7;
        assert_eq!(
            next_check_after_change(&f, LifecycleState::Active, now),
            Some(kst(2024, 1, 20, 9, 0))
        );
        // A 1-day extension keeps a window open: the job must record it now.
        f.trial_extension_days = 1;
        assert_eq!(
            next_check_after_change(&f, LifecycleState::Active, now),
            Some(now)
        );
        // A step already due under the new facts (stored state behind): at once.
        let late = paid_missed(date(2025, 3, 10));
        let now = kst(2025, 3, 12, 0, 0);
        assert_eq!(
            next_check_after_change(&late, LifecycleState::Active, now),
            Some(now)
        );
        // Upgraded and owing nothing: never.
        f.plan = Plan::Paid;
        assert_eq!(
            next_check_after_change(&f, LifecycleState::Active, now),
            None
        );
    }

    #[test]
    fn a_late_job_records_every_step_it_jumps() {
        let f = paid_missed(date(2025, 3, 10));
        assert_eq!(
            steps_due(&f, LifecycleState::Active, kst(2025, 3, 25, 0, 0)),
            vec![
                (LifecycleState::AccessStopped, kst(2025, 3, 11, 0, 0)),
                (LifecycleState::CollectionStopped, kst(2025, 3, 20, 0, 0)),
            ]
        );
        assert_eq!(
            steps_due(&f, LifecycleState::AccessStopped, kst(2025, 3, 25, 0, 0)),
            vec![(LifecycleState::CollectionStopped, kst(2025, 3, 20, 0, 0))]
        );
        assert!(steps_due(&f, LifecycleState::Deleted, kst(2025, 4, 25, 0, 0)).is_empty());
        assert!(steps_due(&f, LifecycleState::Active, kst(2025, 3, 10, 0, 0)).is_empty());
        // The free plan's three steps share one instant: three steps, in order.
        let end = kst(2024, 1, 16, 9, 0);
        let all: Vec<_> = steps_due(&free(kst(2024, 1, 1, 9, 0)), LifecycleState::Active, end)
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        assert_eq!(
            all,
            vec![
                LifecycleState::AccessStopped,
                LifecycleState::CollectionStopped,
                LifecycleState::Deleted
            ]
        );
    }

    proptest! {
        #[test]
        fn state_never_goes_back_as_time_passes(
            days in 0i64..40, ext in 0i64..30, missed in proptest::option::of(0u64..400),
            a in 0i64..5_000_000, b in 0i64..5_000_000, paid: bool,
        ) {
            let created = kst(2024, 1, 1, 0, 0) + Duration::days(days);
            let f = LifecycleFacts {
                plan: if paid { Plan::Paid } else { Plan::Free },
                created_at: created,
                trial_extension_days: ext,
                missed_payment_date: missed.map(|m| date(2024, 1, 1) + Days::new(m)),
            };
            let (t1, t2) = (created + Duration::seconds(a.min(b)), created + Duration::seconds(a.max(b)));
            prop_assert!(state_at(&f, t1) <= state_at(&f, t2));
        }
    }
}
