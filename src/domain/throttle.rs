//! Slowing down password guessing on one account without locking its owner out for good:
//! after four free failures each attempt waits twice as long as the last, up to 15 minutes,
//! and the count is forgotten a day after the last failure.
use chrono::{DateTime, Duration, Utc};

pub const FREE_FAILURES: u32 = 4;
pub const MAX_WAIT_MINUTES: i64 = 15;
pub const FAILURE_WINDOW_HOURS: i64 = 24;

pub fn wait_after_failures(failures: u32) -> Duration {
    if failures <= FREE_FAILURES {
        return Duration::zero();
    }
    let exponent = (failures - FREE_FAILURES - 1).min(20);
    let secs = 1i64 << exponent;
    Duration::seconds(secs.min(MAX_WAIT_MINUTES * 60))
}

pub fn effective_failures(
    failures: u32,
    last_failure_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> u32 {
    match last_failure_at {
        Some(last) if now - last < Duration::hours(FAILURE_WINDOW_HOURS) => failures,
        _ => 0,
    }
}

/// Ok, or how long is left to wait.
pub fn may_attempt(
    failures: u32,
    last_failure_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), Duration> {
    let Some(last) = last_failure_at else {
        return Ok(());
    };
    let ready_at = last + wait_after_failures(failures);
    if now >= ready_at {
        Ok(())
    } else {
        Err(ready_at - now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 2, 29, 12, 0, 0).unwrap()
    }

    #[test]
    fn four_failures_are_free_then_waits_double() {
        for f in 0..=4 {
            assert_eq!(wait_after_failures(f), Duration::zero());
        }
        assert_eq!(wait_after_failures(5), Duration::seconds(1));
        assert_eq!(wait_after_failures(6), Duration::seconds(2));
        assert_eq!(wait_after_failures(7), Duration::seconds(4));
        assert_eq!(wait_after_failures(14), Duration::seconds(512));
    }

    #[test]
    fn the_wait_is_capped_and_never_overflows() {
        assert_eq!(wait_after_failures(15), Duration::minutes(15));
        assert_eq!(wait_after_failures(40), Duration::minutes(15));
        assert_eq!(wait_after_failures(u32::MAX), Duration::minutes(15));
    }

    #[test]
    fn may_attempt_reports_the_time_left() {
        assert_eq!(may_attempt(10, None, t0()), Ok(()));
        let last = t0();
        assert_eq!(
            may_attempt(6, Some(last), last + Duration::seconds(1)),
            Err(Duration::seconds(1))
        );
        assert_eq!(
            may_attempt(6, Some(last), last + Duration::seconds(2)),
            Ok(())
        );
        assert_eq!(may_attempt(3, Some(last), last), Ok(()));
    }

    #[test]
    fn failures_are_forgotten_after_a_day() {
        let last = t0();
        assert_eq!(
            effective_failures(
                9,
                Some(last),
                last + Duration::hours(24) - Duration::seconds(1)
            ),
            9
        );
        assert_eq!(
            effective_failures(9, Some(last), last + Duration::hours(24)),
            0
        );
        assert_eq!(effective_failures(9, None, last), 0);
    }
}
