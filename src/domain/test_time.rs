//! Instants and months written as text in the domain's unit tests (test builds only).
use super::billing::BillingMonth;
use chrono::{DateTime, Utc};

/// An RFC 3339 instant, such as `2024-02-29T14:59:59Z` or `2024-03-01T00:00:00+09:00`.
pub fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A billing month, such as `2024-02`.
pub fn month(s: &str) -> BillingMonth {
    BillingMonth::parse(s).unwrap()
}
