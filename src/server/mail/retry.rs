//! When a mail that could not be sent is tried again: the wait doubles after each failed
//! attempt (from `first_wait`, at most `MAX_WAIT`), and after `max_attempts` the mail is given
//! up (status `failed`, its last error kept). Pure, so the schedule is tested without a clock.
use chrono::{DateTime, Duration, Utc};

/// However many attempts failed, the next is at most this far away.
pub const MAX_WAIT: Duration = Duration::hours(6);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    RetryAt(DateTime<Utc>),
    GiveUp,
}

/// `attempts` counts the attempt that just failed (1 after the first).
pub fn after_failure(
    attempts: i64,
    max_attempts: i64,
    first_wait: Duration,
    now: DateTime<Utc>,
) -> AfterFailure {
    if attempts >= max_attempts {
        return AfterFailure::GiveUp;
    }
    AfterFailure::RetryAt(now + wait_after(attempts, first_wait))
}

/// `first_wait` x 2^(attempts - 1), capped at [`MAX_WAIT`] (and never negative).
pub fn wait_after(attempts: i64, first_wait: Duration) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    let wait = first_wait
        .checked_mul(1_i32 << doublings.min(30))
        .unwrap_or(MAX_WAIT);
    wait.clamp(Duration::zero(), MAX_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn the_wait_doubles_from_the_first() {
        let m = Duration::minutes(1);
        let waits: Vec<i64> = (1..=6).map(|a| wait_after(a, m).num_minutes()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32]);
    }

    #[test]
    fn the_wait_is_capped() {
        assert_eq!(wait_after(10, Duration::minutes(1)), MAX_WAIT);
        assert_eq!(wait_after(i64::MAX, Duration::minutes(1)), MAX_WAIT);
        assert_eq!(wait_after(40, Duration::days(1)), MAX_WAIT);
    }

    #[test]
    fn odd_inputs_still_give_a_sane_wait() {
        assert_eq!(wait_after(0, Duration::minutes(1)), Duration::minutes(1));
        assert_eq!(wait_after(-5, Duration::minutes(1)), Duration::minutes(1));
        assert_eq!(wait_after(3, Duration::zero()), Duration::zero());
        assert_eq!(wait_after(3, Duration::minutes(-1)), Duration::zero());
    }

    #[test]
    fn gives_up_at_the_limit() {
        let m = Duration::seconds(30);
        assert_eq!(
            after_failure(1, 3, m, now()),
            AfterFailure::RetryAt(now() + Duration::seconds(30))
        );
        assert_eq!(
            after_failure(2, 3, m, now()),
            AfterFailure::RetryAt(now() + Duration::seconds(60))
        );
        assert_eq!(after_failure(3, 3, m, now()), AfterFailure::GiveUp);
        assert_eq!(after_failure(4, 3, m, now()), AfterFailure::GiveUp);
        assert_eq!(after_failure(1, 1, m, now()), AfterFailure::GiveUp);
    }
}
