//! How long a log-in lasts: 30 minutes idle, 12 hours at most.
use chrono::{DateTime, Duration, Utc};

pub const IDLE_TIMEOUT_MINUTES: i64 = 30;
pub const ABSOLUTE_TIMEOUT_HOURS: i64 = 12;

pub fn session_alive(
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    now - last_seen_at < Duration::minutes(IDLE_TIMEOUT_MINUTES)
        && now - created_at < Duration::hours(ABSOLUTE_TIMEOUT_HOURS)
}

/// Refreshing `last_seen` on every request would write to the database per request; once a
/// minute keeps the idle limit accurate to a minute.
pub fn should_touch(last_seen_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - last_seen_at >= Duration::seconds(60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 28, 23, 50, 0).unwrap()
    }

    #[test]
    fn idle_limit_is_exclusive_at_thirty_minutes() {
        let seen = t0();
        assert!(session_alive(
            t0(),
            seen,
            seen + Duration::minutes(30) - Duration::milliseconds(1)
        ));
        assert!(!session_alive(t0(), seen, seen + Duration::minutes(30)));
    }

    #[test]
    fn absolute_limit_holds_even_when_active() {
        let created = t0();
        let now = created + Duration::hours(12);
        assert!(!session_alive(created, now - Duration::seconds(1), now));
        assert!(session_alive(
            created,
            now - Duration::seconds(1),
            now - Duration::milliseconds(1)
        ));
    }

    #[test]
    fn touches_at_most_once_a_minute() {
        assert!(!should_touch(t0(), t0() + Duration::seconds(59)));
        assert!(should_touch(t0(), t0() + Duration::seconds(60)));
    }
}
