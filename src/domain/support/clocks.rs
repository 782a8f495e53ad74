//! The four incident clocks of SPEC R8.3 and where each one stands.
//!
//! Every clock starts when the incident report is filed and counts business time only. It
//! stops for good when its event happens (start of work: the first staff reply; progress: the
//! first progress note; resolution: the ticket resolved; written report: the report attached).
//! While the ticket waits for the customer, every running clock pauses; the customer's reply
//! resumes it. A clock is met when its event happens with no more than its target used.
use super::business_hours::{HolidayCalendar, add_business_time, business_time_between};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ClockKind {
    StartOfWork,
    FirstProgress,
    Resolution,
    WrittenReport,
}

impl ClockKind {
    pub const ALL: [ClockKind; 4] = [
        Self::StartOfWork,
        Self::FirstProgress,
        Self::Resolution,
        Self::WrittenReport,
    ];

    /// The promised business hours (R8.3).
    pub fn target(self) -> Duration {
        Duration::hours(match self {
            Self::StartOfWork => 4,
            Self::FirstProgress => 6,
            Self::Resolution => 24,
            Self::WrittenReport => 48,
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::StartOfWork => "start_of_work",
            Self::FirstProgress => "first_progress",
            Self::Resolution => "resolution",
            Self::WrittenReport => "written_report",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// A stretch of time during which the ticket waited for the customer. `until` is None while
/// it still waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub from: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
}

/// What a clock needs to know about its ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockFacts<'a> {
    pub filed_at: DateTime<Utc>,
    /// In time order, not overlapping.
    pub pauses: &'a [Pause],
    /// When the clock's event happened, if it has.
    pub stopped_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClockState {
    /// Counting; the event is promised by `due`.
    Running { due: DateTime<Utc> },
    /// Waiting for the customer with `remaining` business time left on the clock.
    Paused { remaining: Duration },
    /// Past its due time with no event yet.
    Breached { due: DateTime<Utc> },
    /// The event happened in time.
    Met { at: DateTime<Utc> },
    /// The event happened, after the target was used up.
    MetLate { at: DateTime<Utc> },
    /// The calendar has no business day ahead (an admin's data error), so no due time.
    NoBusinessDays,
}

impl ClockState {
    pub fn is_breached(self) -> bool {
        matches!(self, Self::Breached { .. } | Self::MetLate { .. })
    }

    pub fn due(self) -> Option<DateTime<Utc>> {
        match self {
            Self::Running { due } | Self::Breached { due } => Some(due),
            _ => None,
        }
    }
}

/// The stretches during which the clock ran, from filing up to `until`.
fn running_stretches(f: &ClockFacts, until: DateTime<Utc>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut out = Vec::new();
    let mut from = f.filed_at;
    for p in f.pauses {
        if p.from >= until {
            break;
        }
        if p.from > from {
            out.push((from, p.from));
        }
        match p.until {
            Some(u) if u > from => from = u,
            Some(_) => {}
            None => return out,
        }
        if from >= until {
            return out;
        }
    }
    if until > from {
        out.push((from, until));
    }
    out
}

/// Business time the clock has used up to `until`.
pub fn used(cal: &HolidayCalendar, f: &ClockFacts, until: DateTime<Utc>) -> Duration {
    running_stretches(f, until)
        .into_iter()
        .map(|(a, b)| business_time_between(cal, a, b))
        .fold(Duration::zero(), |acc, d| acc + d)
}

/// Whether the ticket is waiting for the customer at `t`.
fn paused_at(f: &ClockFacts, t: DateTime<Utc>) -> bool {
    f.pauses
        .iter()
        .any(|p| p.from <= t && p.until.is_none_or(|u| t < u))
}

/// Where the clock with `target` stands at `now`.
pub fn state(
    cal: &HolidayCalendar,
    target: Duration,
    f: &ClockFacts,
    now: DateTime<Utc>,
) -> ClockState {
    if let Some(at) = f.stopped_at {
        return if used(cal, f, at) <= target {
            ClockState::Met { at }
        } else {
            ClockState::MetLate { at }
        };
    }
    let spent = used(cal, f, now);
    let remaining = target - spent;
    if paused_at(f, now) {
        return if remaining > Duration::zero() {
            ClockState::Paused { remaining }
        } else {
            // Breached before the pause began: the due time lies in the past.
            match due_before(cal, target, f, now) {
                Some(due) => ClockState::Breached { due },
                None => ClockState::NoBusinessDays,
            }
        };
    }
    match due_before(cal, target, f, now) {
        Some(due) if due <= now => ClockState::Breached { due },
        Some(due) => ClockState::Running { due },
        None => ClockState::NoBusinessDays,
    }
}

/// The instant at which the clock uses up `target`, assuming no pause begins after `now`.
fn due_before(
    cal: &HolidayCalendar,
    target: Duration,
    f: &ClockFacts,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let mut left = target;
    let stretches = running_stretches(f, now);
    for (a, b) in &stretches {
        let here = business_time_between(cal, *a, *b);
        if here >= left {
            return add_business_time(cal, *a, left);
        }
        left -= here;
    }
    // Still running at `now`: the rest is counted from the later of now and the last resume.
    let resume = f
        .pauses
        .iter()
        .filter_map(|p| p.until)
        .filter(|u| *u <= now)
        .max()
        .map_or(f.filed_at, |u| u.max(f.filed_at));
    add_business_time(cal, now.max(resume), left)
}

/// All four clocks of an incident report.
pub fn incident_clocks(
    cal: &HolidayCalendar,
    filed_at: DateTime<Utc>,
    pauses: &[Pause],
    stopped: impl Fn(ClockKind) -> Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Vec<(ClockKind, ClockState)> {
    ClockKind::ALL
        .into_iter()
        .map(|k| {
            let facts = ClockFacts {
                filed_at,
                pauses,
                stopped_at: stopped(k),
            };
            (k, state(cal, k.target(), &facts, now))
        })
        .collect()
}

/// The pause a reopen records for the time a ticket stayed closed. Closing stops the clocks
/// (nobody works a closed ticket), so that time must count against none of them once the
/// customer reopens it. None when there is nothing to add.
pub fn closed_stretch(
    closed_at: Option<DateTime<Utc>>,
    reopened_at: DateTime<Utc>,
) -> Option<Pause> {
    closed_at.filter(|c| *c < reopened_at).map(|from| Pause {
        from,
        until: Some(reopened_at),
    })
}

/// The earliest due time among the clocks still running: what a queue sorts by and what the
/// customer is promised next.
pub fn next_due(clocks: &[(ClockKind, ClockState)]) -> Option<(ClockKind, DateTime<Utc>)> {
    clocks
        .iter()
        .filter_map(|(k, s)| s.due().map(|d| (*k, d)))
        .min_by_key(|(_, d)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::kst::KST;
    use crate::domain::support::holidays::KOREAN_PUBLIC_HOLIDAYS_2026_2027;
    use chrono::{NaiveDate, TimeZone};

    fn kst(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        KST.with_ymd_and_hms(y, m, d, h, min, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn korea() -> HolidayCalendar {
        HolidayCalendar::new(
            KOREAN_PUBLIC_HOLIDAYS_2026_2027
                .iter()
                .map(|(s, _, _)| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()),
        )
    }

    fn at(
        filed: DateTime<Utc>,
        pauses: &[Pause],
        stop: Option<DateTime<Utc>>,
        k: ClockKind,
        now: DateTime<Utc>,
    ) -> ClockState {
        let f = ClockFacts {
            filed_at: filed,
            pauses,
            stopped_at: stop,
        };
        state(&korea(), k.target(), &f, now)
    }

    #[test]
    fn a_fresh_incident_runs_all_four_clocks() {
        let filed = kst(2026, 11, 27, 17, 30);
        let clocks = incident_clocks(&korea(), filed, &[], |_| None, filed);
        let dues: Vec<_> = clocks.iter().map(|(_, s)| s.due().unwrap()).collect();
        assert_eq!(
            dues,
            vec![
                kst(2026, 11, 30, 12, 30),
                kst(2026, 11, 30, 14, 30),
                kst(2026, 12, 2, 14, 30),
                kst(2026, 12, 7, 11, 30),
            ]
        );
        assert_eq!(
            next_due(&clocks),
            Some((ClockKind::StartOfWork, kst(2026, 11, 30, 12, 30)))
        );
    }

    #[test]
    fn an_event_in_time_stops_the_clock_as_met() {
        let filed = kst(2026, 11, 27, 17, 30);
        let reply = kst(2026, 11, 30, 12, 30);
        assert_eq!(
            at(
                filed,
                &[],
                Some(reply),
                ClockKind::StartOfWork,
                kst(2027, 1, 1, 0, 0)
            ),
            ClockState::Met { at: reply }
        );
        let late = kst(2026, 11, 30, 12, 31);
        assert_eq!(
            at(filed, &[], Some(late), ClockKind::StartOfWork, late),
            ClockState::MetLate { at: late }
        );
    }

    #[test]
    fn breached_at_the_due_instant_not_before() {
        let filed = kst(2026, 11, 25, 9, 0);
        let due = kst(2026, 11, 25, 13, 0);
        assert_eq!(
            at(
                filed,
                &[],
                None,
                ClockKind::StartOfWork,
                due - Duration::seconds(1)
            ),
            ClockState::Running { due }
        );
        assert_eq!(
            at(filed, &[], None, ClockKind::StartOfWork, due),
            ClockState::Breached { due }
        );
    }

    #[test]
    fn paused_over_a_weekend_and_resumed_on_monday() {
        // Filed Friday 10:00; waits for the customer from 15:00 (5 h used) until the reply on
        // Monday 11:00. Resolution (24 h) has 19 h left: Monday 7 h, Tuesday 9 h, Wednesday 3 h.
        let filed = kst(2026, 11, 27, 10, 0);
        let open = [Pause {
            from: kst(2026, 11, 27, 15, 0),
            until: None,
        }];
        assert_eq!(
            at(
                filed,
                &open,
                None,
                ClockKind::Resolution,
                kst(2026, 11, 29, 12, 0)
            ),
            ClockState::Paused {
                remaining: Duration::hours(19)
            }
        );
        let closed = [Pause {
            from: kst(2026, 11, 27, 15, 0),
            until: Some(kst(2026, 11, 30, 11, 0)),
        }];
        assert_eq!(
            at(
                filed,
                &closed,
                None,
                ClockKind::Resolution,
                kst(2026, 11, 30, 11, 0)
            ),
            ClockState::Running {
                due: kst(2026, 12, 2, 12, 0)
            }
        );
        // Without the pause it would have been due on Tuesday at 16:00.
        assert_eq!(
            at(filed, &[], None, ClockKind::Resolution, filed),
            ClockState::Running {
                due: kst(2026, 12, 1, 16, 0)
            }
        );
    }

    #[test]
    fn time_spent_waiting_does_not_count_against_an_event() {
        let filed = kst(2026, 11, 27, 10, 0);
        let pauses = [Pause {
            from: kst(2026, 11, 27, 11, 0),
            until: Some(kst(2026, 12, 1, 9, 0)),
        }];
        // 1 h before the pause, 2 h after: 3 h used, within 4 h.
        let reply = kst(2026, 12, 1, 11, 0);
        assert_eq!(
            at(filed, &pauses, Some(reply), ClockKind::StartOfWork, reply),
            ClockState::Met { at: reply }
        );
    }

    #[test]
    fn a_clock_breached_before_the_pause_stays_breached() {
        let filed = kst(2026, 11, 25, 9, 0);
        let pauses = [Pause {
            from: kst(2026, 11, 25, 15, 0),
            until: None,
        }];
        assert_eq!(
            at(
                filed,
                &pauses,
                None,
                ClockKind::StartOfWork,
                kst(2026, 11, 26, 10, 0)
            ),
            ClockState::Breached {
                due: kst(2026, 11, 25, 13, 0)
            }
        );
    }

    #[test]
    fn several_pauses_add_up() {
        let filed = kst(2026, 11, 23, 9, 0); // Monday
        let pauses = [
            Pause {
                from: kst(2026, 11, 23, 10, 0),
                until: Some(kst(2026, 11, 23, 12, 0)),
            },
            Pause {
                from: kst(2026, 11, 23, 13, 0),
                until: Some(kst(2026, 11, 24, 9, 0)),
            },
        ];
        // Used: 1 h + 1 h; 2 h remain from Tuesday 09:00.
        assert_eq!(
            at(
                filed,
                &pauses,
                None,
                ClockKind::StartOfWork,
                kst(2026, 11, 24, 9, 0)
            ),
            ClockState::Running {
                due: kst(2026, 11, 24, 11, 0)
            }
        );
    }

    #[test]
    fn a_reply_during_a_holiday_resumes_at_the_next_opening() {
        // Filed on Seollal eve 2026 (Friday 13 February 16:00), waits for the customer from
        // 17:00 (1 h used), who answers on Seollal itself. 5 h of first progress remain, counted
        // from Thursday 19 February 09:00.
        let filed = kst(2026, 2, 13, 16, 0);
        let pauses = [Pause {
            from: kst(2026, 2, 13, 17, 0),
            until: Some(kst(2026, 2, 17, 10, 0)),
        }];
        assert_eq!(
            at(
                filed,
                &pauses,
                None,
                ClockKind::FirstProgress,
                kst(2026, 2, 17, 10, 0)
            ),
            ClockState::Running {
                due: kst(2026, 2, 19, 14, 0)
            }
        );
    }

    #[test]
    fn the_time_a_ticket_stayed_closed_does_not_count_after_a_reopen() {
        // Filed Monday 09:00 and closed by the customer at 11:00 (2 h used), reopened on
        // Wednesday 09:00: 22 h of resolution remain (Wednesday 9, Thursday 9, Friday 4).
        let filed = kst(2026, 11, 23, 9, 0);
        let closed = kst(2026, 11, 23, 11, 0);
        let reopened = kst(2026, 11, 25, 9, 0);
        let pause = closed_stretch(Some(closed), reopened).unwrap();
        assert_eq!(
            pause,
            Pause {
                from: closed,
                until: Some(reopened)
            }
        );
        let due_friday = ClockState::Running {
            due: kst(2026, 11, 27, 13, 0),
        };
        assert_eq!(
            at(filed, &[pause], None, ClockKind::Resolution, reopened),
            due_friday
        );
        // Without it, Monday afternoon and all of Tuesday would have been used up too.
        assert_eq!(
            at(filed, &[], None, ClockKind::Resolution, reopened),
            ClockState::Running {
                due: kst(2026, 11, 25, 15, 0)
            }
        );
        // Resolved at 11:00 (a pause), closed on Tuesday (the pause ends), reopened on
        // Wednesday: the same 22 h remain.
        let resolved = [
            Pause {
                from: closed,
                until: Some(kst(2026, 11, 24, 10, 0)),
            },
            closed_stretch(Some(kst(2026, 11, 24, 10, 0)), reopened).unwrap(),
        ];
        assert_eq!(
            at(filed, &resolved, None, ClockKind::Resolution, reopened),
            due_friday
        );
        assert_eq!(closed_stretch(None, reopened), None);
        assert_eq!(closed_stretch(Some(reopened), reopened), None);
    }

    #[test]
    fn codes_round_trip() {
        for k in ClockKind::ALL {
            assert_eq!(ClockKind::from_code(k.code()), Some(k));
        }
        assert_eq!(ClockKind::from_code("sometime"), None);
    }
}
