//! Slowing down password guessing without letting a stranger lock the owner out.
//!
//! Failures are counted in buckets keyed by the log-in ID as typed (normalised), whether or
//! not an account has that ID, so the answers say nothing about which IDs exist:
//! - one bucket per (log-in ID, client network), where the network is the IPv4 address or the
//!   IPv6 /64: four free failures, then each attempt waits twice as long as the last, up to
//!   15 minutes. A stranger's failures slow down only the stranger's network.
//! - one account-wide bucket per log-in ID, with a far higher ceiling: 100 free failures,
//!   then waits doubling up to one minute. It bounds guessing spread over many networks
//!   while never keeping the owner out for long.
//!
//! An attempt is claimed (counted as a failure) before the password is checked, so
//! concurrent attempts cannot all slip through once a wait ends; a correct password then
//! clears the network bucket and gives back the account-wide claim. A bucket is forgotten a
//! day after its last failure.
use chrono::{DateTime, Duration, Utc};
use std::net::IpAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Failures before any wait.
    pub free_failures: u32,
    pub max_wait: Duration,
    /// A bucket with no failure for this long starts again from zero.
    pub window: Duration,
}

pub const PER_NETWORK: Policy = Policy {
    free_failures: 4,
    max_wait: Duration::minutes(15),
    window: Duration::hours(24),
};

pub const ACCOUNT_WIDE: Policy = Policy {
    free_failures: 100,
    max_wait: Duration::minutes(1),
    window: Duration::hours(24),
};

/// What a bucket remembers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    pub failures: u32,
    pub last_failure_at: DateTime<Utc>,
    /// The next attempt is not allowed before this.
    pub ready_at: DateTime<Utc>,
}

impl Policy {
    /// The wait after the `failures`-th failure: nothing while free, then 1 s doubling, capped.
    pub fn wait_after(&self, failures: u32) -> Duration {
        if failures <= self.free_failures {
            return Duration::zero();
        }
        let exponent = (failures - self.free_failures - 1).min(30);
        let secs = (1i64 << exponent).min(self.max_wait.num_seconds());
        Duration::seconds(secs)
    }

    /// The failures still counted at `now` (none once the window has passed).
    pub fn live_failures(&self, bucket: Option<&Bucket>, now: DateTime<Utc>) -> u32 {
        match bucket {
            Some(b) if now - b.last_failure_at < self.window => b.failures,
            _ => 0,
        }
    }

    /// The bucket after counting one more attempt at `now`, or how long is left to wait.
    pub fn claim(&self, bucket: Option<&Bucket>, now: DateTime<Utc>) -> Result<Bucket, Duration> {
        // The ready time is at most `max_wait` after the last failure, well inside the window,
        // so a bucket whose failures are forgotten never has a wait left either.
        if let Some(b) = bucket
            && now < b.ready_at
        {
            return Err(b.ready_at - now);
        }
        let failures = self.live_failures(bucket, now).saturating_add(1);
        Ok(Bucket {
            failures,
            last_failure_at: now,
            ready_at: now + self.wait_after(failures),
        })
    }
}

/// Whole seconds to tell the visitor: rounded up, at least one.
pub fn wait_seconds(wait: Duration) -> i64 {
    let ms = wait.num_milliseconds().max(0);
    ((ms + 999) / 1000).max(1)
}

/// The network a client address belongs to: IPv4 addresses stand alone, IPv6 ones are
/// grouped by /64, the block one customer line usually gets (so a client cannot get a fresh
/// bucket by moving within its own /64). IPv4-mapped IPv6 addresses count as IPv4.
pub fn client_network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// The network as stored with a bucket: `203.0.113.7` or `2001:db8:1:2::/64`.
pub fn network_key(ip: IpAddr) -> String {
    match client_network(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("{v6}/64"),
    }
}

/// The log-in ID a bucket is kept under: the normalised ID when it parses, else the input
/// trimmed and lower-cased (bounded), so made-up and malformed IDs are throttled alike.
pub fn throttle_login_id(raw: &str) -> String {
    match crate::domain::account::LoginId::parse(raw) {
        Ok(id) => id.as_str().to_string(),
        Err(_) => raw.trim().to_lowercase().chars().take(64).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 2, 29, 12, 0, 0).unwrap()
    }

    fn bucket(failures: u32, last: DateTime<Utc>, policy: &Policy) -> Bucket {
        Bucket {
            failures,
            last_failure_at: last,
            ready_at: last + policy.wait_after(failures),
        }
    }

    #[test]
    fn per_network_four_failures_are_free_then_waits_double() {
        for f in 0..=4 {
            assert_eq!(PER_NETWORK.wait_after(f), Duration::zero());
        }
        assert_eq!(PER_NETWORK.wait_after(5), Duration::seconds(1));
        assert_eq!(PER_NETWORK.wait_after(6), Duration::seconds(2));
        assert_eq!(PER_NETWORK.wait_after(7), Duration::seconds(4));
        assert_eq!(PER_NETWORK.wait_after(14), Duration::seconds(512));
    }

    #[test]
    fn waits_are_capped_and_never_overflow() {
        assert_eq!(PER_NETWORK.wait_after(15), Duration::minutes(15));
        assert_eq!(PER_NETWORK.wait_after(40), Duration::minutes(15));
        assert_eq!(PER_NETWORK.wait_after(u32::MAX), Duration::minutes(15));
        assert_eq!(ACCOUNT_WIDE.wait_after(u32::MAX), Duration::minutes(1));
    }

    #[test]
    fn the_account_wide_ceiling_is_far_higher_and_its_waits_short() {
        assert_eq!(ACCOUNT_WIDE.wait_after(100), Duration::zero());
        assert_eq!(ACCOUNT_WIDE.wait_after(101), Duration::seconds(1));
        assert_eq!(ACCOUNT_WIDE.wait_after(106), Duration::seconds(32));
        assert_eq!(ACCOUNT_WIDE.wait_after(107), Duration::minutes(1));
        const { assert!(ACCOUNT_WIDE.free_failures > 10 * PER_NETWORK.free_failures) };
        assert!(ACCOUNT_WIDE.max_wait < PER_NETWORK.max_wait);
    }

    #[test]
    fn a_first_claim_starts_a_bucket() {
        assert_eq!(
            PER_NETWORK.claim(None, t0()),
            Ok(Bucket {
                failures: 1,
                last_failure_at: t0(),
                ready_at: t0()
            })
        );
    }

    #[test]
    fn the_fifth_claim_sets_the_first_wait_and_the_sixth_is_told_how_long() {
        let mut b = None;
        for i in 1..=5 {
            let next = PER_NETWORK.claim(b.as_ref(), t0()).unwrap();
            assert_eq!(next.failures, i);
            b = Some(next);
        }
        let b = b.unwrap();
        assert_eq!(b.ready_at, t0() + Duration::seconds(1));
        assert_eq!(
            PER_NETWORK.claim(Some(&b), t0() + Duration::milliseconds(300)),
            Err(Duration::milliseconds(700))
        );
    }

    #[test]
    fn once_the_wait_has_passed_exactly_one_claim_moves_the_bucket_on() {
        let b = bucket(5, t0(), &PER_NETWORK);
        let at = t0() + Duration::seconds(1);
        let next = PER_NETWORK.claim(Some(&b), at).unwrap();
        assert_eq!(next.failures, 6);
        assert_eq!(next.ready_at, at + Duration::seconds(2));
        // Whoever claims from the new state has to wait again.
        assert_eq!(
            PER_NETWORK.claim(Some(&next), at),
            Err(Duration::seconds(2))
        );
    }

    #[test]
    fn failures_are_forgotten_after_the_window() {
        let b = bucket(9, t0(), &PER_NETWORK);
        let almost = t0() + Duration::hours(24) - Duration::seconds(1);
        assert_eq!(PER_NETWORK.live_failures(Some(&b), almost), 9);
        let day = t0() + Duration::hours(24);
        assert_eq!(PER_NETWORK.live_failures(Some(&b), day), 0);
        assert_eq!(PER_NETWORK.claim(Some(&b), day).unwrap().failures, 1);
        assert_eq!(PER_NETWORK.live_failures(None, day), 0);
    }

    #[test]
    fn a_wait_left_after_a_refund_still_applies() {
        // The account-wide claim given back after a correct password keeps its ready time.
        let b = Bucket {
            failures: 0,
            last_failure_at: t0(),
            ready_at: t0() + Duration::seconds(30),
        };
        assert_eq!(
            PER_NETWORK.claim(Some(&b), t0()),
            Err(Duration::seconds(30))
        );
        let later = t0() + Duration::seconds(30);
        assert_eq!(PER_NETWORK.claim(Some(&b), later).unwrap().failures, 1);
    }

    #[test]
    fn the_failure_count_saturates() {
        let b = bucket(u32::MAX, t0(), &PER_NETWORK);
        let at = t0() + Duration::minutes(15);
        assert_eq!(PER_NETWORK.claim(Some(&b), at).unwrap().failures, u32::MAX);
    }

    #[test]
    fn seconds_told_are_rounded_up_and_at_least_one() {
        assert_eq!(wait_seconds(Duration::milliseconds(1)), 1);
        assert_eq!(wait_seconds(Duration::milliseconds(999)), 1);
        assert_eq!(wait_seconds(Duration::milliseconds(1000)), 1);
        assert_eq!(wait_seconds(Duration::milliseconds(1001)), 2);
        assert_eq!(wait_seconds(Duration::zero()), 1);
        assert_eq!(wait_seconds(Duration::milliseconds(-5)), 1);
    }

    #[test]
    fn networks_are_ipv4_addresses_and_ipv6_slash_64s() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(network_key(ip("203.0.113.7")), "203.0.113.7");
        assert_eq!(
            network_key(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            network_key(ip("2001:db8:1:2::1")),
            network_key(ip("2001:db8:1:2:ffff::9"))
        );
        assert_ne!(
            network_key(ip("2001:db8:1:2::1")),
            network_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(network_key(ip("::ffff:198.51.100.4")), "198.51.100.4");
        assert_eq!(client_network(ip("::1")), ip("::"));
    }

    #[test]
    fn buckets_are_kept_under_the_normalised_id_or_the_bounded_input() {
        assert_eq!(throttle_login_id("  Hong.GilDong "), "hong.gildong");
        assert_eq!(throttle_login_id("No Such ID!"), "no such id!");
        assert_eq!(throttle_login_id(&"x".repeat(500)).len(), 64);
    }
}
