//! Per-customer creation rate (projects per hour), so one script cannot reserve prefixes in
//! bulk even below the cap. Kept per instance, like the log-in limit.
use super::auth::rate_limit::KeyedLimiter;
use crate::domain::stored::UserId;

/// Keyed by the customer's user id; `per_hour(n)` allows `n` creations an hour, all of which
/// may come at once.
pub type CreationLimiter = KeyedLimiter<UserId>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn each_customer_has_their_own_allowance() {
        let l = CreationLimiter::per_hour(2);
        assert!(l.check(&UserId(1)).is_ok());
        assert!(l.check(&UserId(1)).is_ok());
        let wait = l.check(&UserId(1)).unwrap_err();
        assert!(wait > Duration::from_secs(60) && wait <= Duration::from_secs(1800));
        assert!(
            l.check(&UserId(2)).is_ok(),
            "another customer is not slowed down"
        );
    }
}
