//! Business time (SPEC R8.3 decision): 09:00-18:00 KST, Monday to Friday, minus the public
//! holidays of a calendar. Every function is handed the calendar and the instants; none reads
//! a clock.
//!
//! Conventions: a due time that uses up a day exactly is that day's 18:00 (not the next
//! morning); an instant before 09:00 or from 18:00 counts from the next opening.
use crate::domain::kst::{KST, kst_date};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use std::collections::BTreeSet;

pub const OPENS_AT_HOUR: u32 = 9;
pub const CLOSES_AT_HOUR: u32 = 18;
/// A calendar on which no business day comes within this many days is treated as broken
/// (say, an admin marked a whole decade as holidays): the arithmetic gives up instead of
/// looping for ever.
pub const MAX_SEARCH_DAYS: u32 = 3_660;

/// Dates (KST) on which the support desk does not work although they are weekdays.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidayCalendar {
    holidays: BTreeSet<NaiveDate>,
}

impl HolidayCalendar {
    pub fn new(holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self {
            holidays: holidays.into_iter().collect(),
        }
    }

    pub fn is_holiday(&self, d: NaiveDate) -> bool {
        self.holidays.contains(&d)
    }

    pub fn is_business_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.is_holiday(d)
    }

    /// The business hours of `d` as UTC instants, or None on a weekend or holiday.
    pub fn hours_of(&self, d: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.is_business_day(d) {
            return None;
        }
        Some((at_kst(d, OPENS_AT_HOUR)?, at_kst(d, CLOSES_AT_HOUR)?))
    }

    /// Whether `t` lies inside business hours (opening included, closing excluded).
    pub fn is_open_at(&self, t: DateTime<Utc>) -> bool {
        self.hours_of(kst_date(t))
            .is_some_and(|(open, close)| open <= t && t < close)
    }
}

fn at_kst(d: NaiveDate, hour: u32) -> Option<DateTime<Utc>> {
    let local = d.and_hms_opt(hour, 0, 0)?;
    // Seoul has no daylight saving, so every local time maps to exactly one instant.
    KST.from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// The instant at which `amount` of business time has passed after `start`. Zero or less
/// gives `start` back. None only for a calendar without a business day in
/// [`MAX_SEARCH_DAYS`].
pub fn add_business_time(
    cal: &HolidayCalendar,
    start: DateTime<Utc>,
    amount: Duration,
) -> Option<DateTime<Utc>> {
    if amount <= Duration::zero() {
        return Some(start);
    }
    let mut remaining = amount;
    let mut day = kst_date(start);
    for _ in 0..MAX_SEARCH_DAYS {
        if let Some((open, close)) = cal.hours_of(day) {
            let from = start.max(open);
            if from < close {
                let available = close - from;
                if remaining <= available {
                    return Some(from + remaining);
                }
                remaining -= available;
            }
        }
        day = day.succ_opt()?;
    }
    None
}

/// Business time between two instants (zero when `to` is not after `from`).
pub fn business_time_between(
    cal: &HolidayCalendar,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Duration {
    let mut total = Duration::zero();
    if to <= from {
        return total;
    }
    let last = kst_date(to);
    let mut day = kst_date(from);
    while day <= last {
        if let Some((open, close)) = cal.hours_of(day) {
            let (a, b) = (from.max(open), to.min(close));
            if a < b {
                total += b - a;
            }
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::support::holidays::KOREAN_PUBLIC_HOLIDAYS_2026_2027;
    use proptest::prelude::*;

    pub(crate) fn kst(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        KST.with_ymd_and_hms(y, m, d, h, min, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    pub(crate) fn korea() -> HolidayCalendar {
        HolidayCalendar::new(
            KOREAN_PUBLIC_HOLIDAYS_2026_2027
                .iter()
                .map(|(s, _, _)| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()),
        )
    }

    fn add(start: DateTime<Utc>, hours: i64) -> DateTime<Utc> {
        add_business_time(&korea(), start, Duration::hours(hours)).unwrap()
    }

    #[test]
    fn filed_friday_17_30_runs_half_an_hour_then_monday() {
        // 2026-11-27 is a Friday.
        assert_eq!(add(kst(2026, 11, 27, 17, 30), 4), kst(2026, 11, 30, 12, 30));
        assert_eq!(add(kst(2026, 11, 27, 17, 30), 6), kst(2026, 11, 30, 14, 30));
        assert_eq!(add(kst(2026, 11, 27, 17, 30), 24), kst(2026, 12, 2, 14, 30));
        assert_eq!(add(kst(2026, 11, 27, 17, 30), 48), kst(2026, 12, 7, 11, 30));
    }

    #[test]
    fn filed_at_08_59_counts_from_nine() {
        assert_eq!(add(kst(2026, 11, 25, 8, 59), 4), kst(2026, 11, 25, 13, 0));
        assert_eq!(add(kst(2026, 11, 25, 0, 0), 9), kst(2026, 11, 25, 18, 0));
    }

    #[test]
    fn filed_at_18_00_exactly_counts_from_next_morning() {
        assert_eq!(add(kst(2026, 11, 25, 18, 0), 4), kst(2026, 11, 26, 13, 0));
        // One minute earlier, that minute counts.
        let t = add_business_time(&korea(), kst(2026, 11, 25, 17, 59), Duration::hours(4)).unwrap();
        assert_eq!(t, kst(2026, 11, 26, 12, 59));
    }

    #[test]
    fn a_due_time_that_uses_up_the_day_is_that_days_closing() {
        assert_eq!(add(kst(2026, 11, 25, 14, 0), 4), kst(2026, 11, 25, 18, 0));
        assert_eq!(add(kst(2026, 11, 27, 9, 0), 9), kst(2026, 11, 27, 18, 0));
    }

    #[test]
    fn on_a_holiday_eve_the_clock_skips_the_holidays() {
        // Chuseok 2026: Thu 24 - Sat 26 September; work resumes Monday 28.
        assert_eq!(add(kst(2026, 9, 23, 16, 0), 4), kst(2026, 9, 28, 11, 0));
        // Christmas Eve 2026 (Thursday), Christmas on Friday.
        assert_eq!(add(kst(2026, 12, 24, 17, 0), 4), kst(2026, 12, 28, 12, 0));
        // Filed on the holiday itself.
        assert_eq!(add(kst(2026, 12, 25, 11, 0), 4), kst(2026, 12, 28, 13, 0));
    }

    #[test]
    fn across_new_year() {
        // 2026-12-31 Thursday, 2027-01-01 Friday holiday, then the weekend.
        assert_eq!(add(kst(2026, 12, 31, 15, 0), 6), kst(2027, 1, 4, 12, 0));
        assert_eq!(add(kst(2026, 12, 31, 15, 0), 48), kst(2027, 1, 8, 18, 0));
    }

    #[test]
    fn across_seollal() {
        // Seollal 2026: Mon 16 - Wed 18 February.
        assert_eq!(add(kst(2026, 2, 13, 14, 0), 24), kst(2026, 2, 23, 11, 0));
        // Seollal 2027: Sat 6 - Mon 8 February, substitute Tuesday 9.
        assert_eq!(add(kst(2027, 2, 5, 17, 0), 4), kst(2027, 2, 10, 12, 0));
    }

    #[test]
    fn across_a_leap_day() {
        // 2028-02-28 is a Monday, 29 February a Tuesday (no holiday data for 2028).
        let cal = HolidayCalendar::default();
        let t = add_business_time(&cal, kst(2028, 2, 28, 17, 0), Duration::hours(4)).unwrap();
        assert_eq!(t, kst(2028, 2, 29, 12, 0));
        let t = add_business_time(&cal, kst(2028, 2, 28, 17, 0), Duration::hours(24)).unwrap();
        assert_eq!(t, kst(2028, 3, 2, 14, 0));
        assert_eq!(
            business_time_between(&cal, kst(2028, 2, 28, 9, 0), kst(2028, 3, 1, 9, 0)),
            Duration::hours(18)
        );
    }

    #[test]
    fn between_counts_only_open_hours() {
        let cal = korea();
        // Friday 17:30 to Monday 10:00: half an hour plus one hour.
        assert_eq!(
            business_time_between(&cal, kst(2026, 11, 27, 17, 30), kst(2026, 11, 30, 10, 0)),
            Duration::minutes(90)
        );
        assert_eq!(
            business_time_between(&cal, kst(2026, 11, 30, 10, 0), kst(2026, 11, 27, 17, 30)),
            Duration::zero()
        );
        // Seollal week 2026: only Thursday and Friday count.
        assert_eq!(
            business_time_between(&cal, kst(2026, 2, 14, 0, 0), kst(2026, 2, 21, 0, 0)),
            Duration::hours(18)
        );
    }

    #[test]
    fn a_calendar_without_business_days_gives_up() {
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let cal = HolidayCalendar::new(start.iter_days().take(MAX_SEARCH_DAYS as usize + 10));
        assert_eq!(
            add_business_time(&cal, kst(2026, 1, 1, 10, 0), Duration::hours(1)),
            None
        );
    }

    #[test]
    fn open_at_includes_nine_and_excludes_eighteen() {
        let cal = korea();
        assert!(cal.is_open_at(kst(2026, 11, 25, 9, 0)));
        assert!(!cal.is_open_at(kst(2026, 11, 25, 18, 0)));
        assert!(!cal.is_open_at(kst(2026, 11, 25, 8, 59)));
        assert!(!cal.is_open_at(kst(2026, 11, 28, 12, 0)));
        assert!(!cal.is_open_at(kst(2026, 12, 25, 12, 0)));
    }

    proptest! {
        #[test]
        fn a_due_time_is_always_within_business_hours(
            start_min in 0i64..(2 * 366 * 24 * 60), minutes in 1i64..(60 * 60),
        ) {
            let cal = korea();
            let start = kst(2026, 1, 1, 0, 0) + Duration::minutes(start_min);
            let due = add_business_time(&cal, start, Duration::minutes(minutes)).unwrap();
            let day = kst_date(due);
            let (open, close) = cal.hours_of(day).unwrap();
            prop_assert!(open < due && due <= close);
            prop_assert_eq!(business_time_between(&cal, start, due), Duration::minutes(minutes));
        }

        #[test]
        fn adding_more_time_never_gives_an_earlier_due(
            start_min in 0i64..(2 * 366 * 24 * 60), a in 0i64..6000, b in 0i64..6000,
        ) {
            let cal = korea();
            let start = kst(2026, 1, 1, 0, 0) + Duration::minutes(start_min);
            let (lo, hi) = (a.min(b), a.max(b));
            let d1 = add_business_time(&cal, start, Duration::minutes(lo)).unwrap();
            let d2 = add_business_time(&cal, start, Duration::minutes(hi)).unwrap();
            prop_assert!(d1 <= d2);
        }

        #[test]
        fn a_later_start_never_gives_an_earlier_due(
            s1 in 0i64..(366 * 24 * 60), s2 in 0i64..(366 * 24 * 60), minutes in 0i64..3000,
        ) {
            let cal = korea();
            let base = kst(2026, 1, 1, 0, 0);
            let (a, b) = (base + Duration::minutes(s1.min(s2)), base + Duration::minutes(s1.max(s2)));
            let m = Duration::minutes(minutes);
            prop_assert!(add_business_time(&cal, a, m).unwrap() <= add_business_time(&cal, b, m).unwrap());
        }
    }
}
