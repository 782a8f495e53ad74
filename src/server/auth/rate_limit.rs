//! Per-IP limits on the log-in and sign-up endpoints (kept per instance, as DEVELOPERS.md
//! allows). `governor` is the GCRA limiter behind tower_governor; we use it directly so the
//! limit applies to exactly the paths that need it and answers with our JSON error shape.
use super::client_ip::ClientIp;
use crate::domain::throttle::client_network;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// A per-key allowance that may be spent all at once and refills evenly (GCRA). One type for
/// every limit we keep in memory: per client network here, per customer for project creation.
#[derive(Clone)]
pub struct KeyedLimiter<K: Clone + Eq + std::hash::Hash> {
    limiter: Arc<DefaultKeyedRateLimiter<K>>,
}

impl<K: Clone + Eq + std::hash::Hash> std::fmt::Debug for KeyedLimiter<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyedLimiter")
    }
}

impl<K: Clone + Eq + std::hash::Hash> KeyedLimiter<K> {
    fn with(quota: fn(NonZeroU32) -> Quota, n: u32) -> Self {
        let n = NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN);
        Self {
            limiter: Arc::new(RateLimiter::keyed(quota(n))),
        }
    }

    pub fn per_minute(n: u32) -> Self {
        Self::with(Quota::per_minute, n)
    }

    pub fn per_hour(n: u32) -> Self {
        Self::with(Quota::per_hour, n)
    }

    /// Ok (and one use counted), or how long the key must wait.
    pub fn check(&self, key: &K) -> Result<(), Duration> {
        self.limiter
            .check_key(key)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
    }
}

/// The per-IP limit on the endpoints below.
#[derive(Clone, Debug)]
pub struct AuthRateLimiter(KeyedLimiter<IpAddr>);

impl AuthRateLimiter {
    pub fn per_minute(n: u32) -> Self {
        Self(KeyedLimiter::per_minute(n))
    }

    /// Ok, or how long the client must wait. IPv6 clients share one limit per /64: a single
    /// line usually holds a whole /64, and per-address limits would give it 2^64 of them.
    pub fn check(&self, ip: ClientIp) -> Result<(), Duration> {
        self.0.check(&client_network(ip.0))
    }

    pub fn forget_idle(&self) {
        self.0.forget_idle();
    }
}

/// The POST endpoints whose every request costs an argon2 hash or creates an account; the
/// password change and token creation are here too because they check the current password,
/// so they could serve to guess it; the contact change because a script could probe it.
pub fn is_limited_path(path: &str) -> bool {
    matches!(
        path,
        "/api/auth/login"
            | "/api/auth/sign_up"
            | "/api/account/password"
            | "/api/account/tokens/create"
            | "/api/account/contact"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> ClientIp {
        ClientIp(s.parse().unwrap())
    }

    #[test]
    fn ipv6_addresses_in_one_slash_64_share_a_limit() {
        let l = AuthRateLimiter::per_minute(2);
        assert!(l.check(ip("2001:db8:1:2::1")).is_ok());
        assert!(l.check(ip("2001:db8:1:2:ffff:ffff:ffff:fffe")).is_ok());
        assert!(l.check(ip("2001:db8:1:2::3")).is_err());
        // The neighbouring /64 and an IPv4 client have their own.
        assert!(l.check(ip("2001:db8:1:3::1")).is_ok());
        assert!(l.check(ip("203.0.113.7")).is_ok());
    }

    #[test]
    fn ipv4_addresses_are_limited_one_by_one() {
        let l = AuthRateLimiter::per_minute(1);
        assert!(l.check(ip("203.0.113.7")).is_ok());
        assert!(l.check(ip("203.0.113.7")).is_err());
        assert!(l.check(ip("203.0.113.8")).is_ok());
    }
}
