//! Per-customer creation rate (projects per hour), so one script cannot reserve prefixes in
//! bulk even below the cap. Kept per instance, like the log-in limit.
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub struct CreationLimiter {
    limiter: Arc<DefaultKeyedRateLimiter<i64>>,
}

impl std::fmt::Debug for CreationLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CreationLimiter")
    }
}

impl CreationLimiter {
    /// `n` creations per hour per customer, all of which may come at once.
    pub fn per_hour(n: u32) -> Self {
        let n = NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN);
        Self {
            limiter: Arc::new(RateLimiter::keyed(Quota::per_hour(n))),
        }
    }

    /// Ok (and one creation counted), or how long the customer must wait.
    pub fn check(&self, user_id: i64) -> Result<(), Duration> {
        self.limiter
            .check_key(&user_id)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_customer_has_their_own_allowance() {
        let l = CreationLimiter::per_hour(2);
        assert!(l.check(1).is_ok());
        assert!(l.check(1).is_ok());
        let wait = l.check(1).unwrap_err();
        assert!(wait > Duration::from_secs(60) && wait <= Duration::from_secs(1800));
        assert!(l.check(2).is_ok(), "another customer is not slowed down");
    }
}
