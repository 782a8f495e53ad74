//! Korean Standard Time (UTC+9, no daylight saving): every business rule's calendar.
//!
//! A fixed +09:00 offset rather than chrono-tz's `Asia/Seoul`: Seoul has had no DST since
//! 1988, every time the portal handles is later, and the tz database would add its tables
//! to the browser build for nothing.
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

pub const KST: FixedOffset = match FixedOffset::east_opt(9 * 3600) {
    Some(offset) => offset,
    None => unreachable!(),
};

pub fn to_kst(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&KST)
}

pub fn kst_date(t: DateTime<Utc>) -> NaiveDate {
    to_kst(t).date_naive()
}

/// 00:00 KST of `date`, as UTC (15:00 UTC the day before).
pub fn start_of_kst_day(date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    // A fixed offset: the local time always maps to exactly one instant.
    KST.from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&midnight) - chrono::Duration::hours(9))
}

pub fn format_kst(t: DateTime<Utc>) -> String {
    to_kst(t).format("%Y-%m-%d %H:%M KST").to_string()
}

/// The database keeps times as epoch milliseconds (portable across SQLite and PostgreSQL).
pub fn from_millis(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
}

pub fn to_millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_time::utc;

    #[test]
    fn the_kst_date_turns_at_15_00_utc() {
        assert_eq!(
            kst_date(utc("2024-02-28T14:59:59Z")),
            NaiveDate::from_ymd_opt(2024, 2, 28).unwrap()
        );
        assert_eq!(
            kst_date(utc("2024-02-28T15:00:00Z")),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert_eq!(
            kst_date(utc("2025-12-31T15:00:00Z")),
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
        );
    }

    #[test]
    fn start_of_day_is_midnight_in_seoul() {
        let d = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(start_of_kst_day(d), utc("2024-02-28T15:00:00Z"));
        assert_eq!(format_kst(start_of_kst_day(d)), "2024-02-29 00:00 KST");
    }

    #[test]
    fn millis_round_trip() {
        let t = utc("2026-11-25T03:04:05.678Z");
        assert_eq!(from_millis(to_millis(t)), Some(t));
    }
}
