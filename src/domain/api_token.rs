//! Personal API tokens: how long one lives, and what a name may be.
//!
//! A token is a password that scripts hold, so it must not live for ever: the customer picks
//! 1 to 365 days (the page offers 30, 90, 180 and 365), 90 when nothing is chosen. There is
//! no "never expires": a forgotten token in an old CI job is the leak we want to bound.
use chrono::{DateTime, Duration, Utc};

pub const DEFAULT_EXPIRY_DAYS: u32 = 90;
pub const MAX_EXPIRY_DAYS: u32 = 365;
/// What the account page offers; the server accepts any whole number of days up to the max.
pub const EXPIRY_CHOICES: [u32; 4] = [30, 90, 180, 365];
pub const MAX_NAME_CHARS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryError {
    /// Not a whole number of days, or outside 1..=365.
    OutOfRange,
}

/// The expiry the customer asked for: empty means the default.
pub fn parse_expiry_days(raw: Option<&str>) -> Result<u32, ExpiryError> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(DEFAULT_EXPIRY_DAYS);
    };
    match raw.parse::<u32>() {
        Ok(d) if (1..=MAX_EXPIRY_DAYS).contains(&d) => Ok(d),
        _ => Err(ExpiryError::OutOfRange),
    }
}

pub fn expires_at(created: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    created + Duration::days(i64::from(days))
}

/// A token is refused from its expiry instant on.
pub fn is_live(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now < expires_at
}

/// The name, trimmed, if it is 1 to 50 characters without control characters.
pub fn parse_name(raw: &str) -> Option<&str> {
    let name = raw.trim();
    (!name.is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && !name.chars().any(char::is_control))
    .then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn expiry_defaults_to_ninety_days() {
        assert_eq!(parse_expiry_days(None), Ok(90));
        assert_eq!(parse_expiry_days(Some("")), Ok(90));
        assert_eq!(parse_expiry_days(Some("  ")), Ok(90));
    }

    #[test]
    fn expiry_accepts_one_to_365_days() {
        for ok in ["1", "30", " 90 ", "180", "365"] {
            assert!(parse_expiry_days(Some(ok)).is_ok(), "{ok}");
        }
        for choice in EXPIRY_CHOICES {
            assert_eq!(parse_expiry_days(Some(&choice.to_string())), Ok(choice));
        }
        for bad in ["0", "366", "-1", "1.5", "never", "99999999999", "９０"] {
            assert_eq!(
                parse_expiry_days(Some(bad)),
                Err(ExpiryError::OutOfRange),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_token_dies_at_its_expiry_instant() {
        let created = Utc.with_ymd_and_hms(2026, 2, 28, 15, 0, 0).unwrap();
        let end = expires_at(created, 1);
        assert_eq!(end, Utc.with_ymd_and_hms(2026, 3, 1, 15, 0, 0).unwrap());
        assert!(is_live(end, end - Duration::milliseconds(1)));
        assert!(!is_live(end, end));
        assert!(!is_live(end, end + Duration::days(1)));
        assert_eq!(
            expires_at(created, 365),
            Utc.with_ymd_and_hms(2027, 2, 28, 15, 0, 0).unwrap()
        );
    }

    #[test]
    fn names_are_one_to_fifty_visible_characters() {
        assert_eq!(parse_name("  ci  "), Some("ci"));
        assert_eq!(parse_name(&"가".repeat(50)), Some("가".repeat(50).as_str()));
        assert_eq!(parse_name(&"가".repeat(51)), None);
        assert_eq!(parse_name(""), None);
        assert_eq!(parse_name("   "), None);
        assert_eq!(parse_name("a\nb"), None);
    }
}
