//! The Korean public holidays shipped as the calendar's initial data (2026 and 2027).
//!
//! Sources: 「관공서의 공휴일에 관한 규정」 with the substitute-holiday rules as extended in 2021
//! (national days on a Saturday or Sunday) and 2023 (Buddha's Birthday, Christmas), and the
//! 2026 amendment of 「공휴일에 관한 법률」 that makes every national day a holiday again, so
//! Constitution Day (7-17) is one from 2026. Lunar dates are computed in KST (Seollal 2027 is
//! 7 February in Korea, one day after the Chinese New Year, because the new moon falls at
//! 00:56 KST). Seollal and Chuseok get a substitute only when they meet a Sunday or another
//! holiday, never for a Saturday. The 2026 local election day (6-3) is a holiday by law.
//! Temporary holidays the government declares later are added by admins in the calendar page.
//! Migration 0010 inserts exactly these rows; a test checks that the two agree.

/// (date, Korean name, English name)
pub const KOREAN_PUBLIC_HOLIDAYS_2026_2027: &[(&str, &str, &str)] = &[
    ("2026-01-01", "신정", "New Year's Day"),
    ("2026-02-16", "설날 연휴", "Seollal holiday"),
    ("2026-02-17", "설날", "Seollal"),
    ("2026-02-18", "설날 연휴", "Seollal holiday"),
    ("2026-03-01", "삼일절", "Independence Movement Day"),
    (
        "2026-03-02",
        "대체공휴일(삼일절)",
        "Substitute holiday (Independence Movement Day)",
    ),
    ("2026-05-05", "어린이날", "Children's Day"),
    ("2026-05-24", "부처님오신날", "Buddha's Birthday"),
    (
        "2026-05-25",
        "대체공휴일(부처님오신날)",
        "Substitute holiday (Buddha's Birthday)",
    ),
    ("2026-06-03", "전국동시지방선거일", "Local elections day"),
    ("2026-06-06", "현충일", "Memorial Day"),
    ("2026-07-17", "제헌절", "Constitution Day"),
    ("2026-08-15", "광복절", "Liberation Day"),
    (
        "2026-08-17",
        "대체공휴일(광복절)",
        "Substitute holiday (Liberation Day)",
    ),
    ("2026-09-24", "추석 연휴", "Chuseok holiday"),
    ("2026-09-25", "추석", "Chuseok"),
    ("2026-09-26", "추석 연휴", "Chuseok holiday"),
    ("2026-10-03", "개천절", "National Foundation Day"),
    (
        "2026-10-05",
        "대체공휴일(개천절)",
        "Substitute holiday (National Foundation Day)",
    ),
    ("2026-10-09", "한글날", "Hangul Day"),
    ("2026-12-25", "성탄절", "Christmas Day"),
    ("2027-01-01", "신정", "New Year's Day"),
    ("2027-02-06", "설날 연휴", "Seollal holiday"),
    ("2027-02-07", "설날", "Seollal"),
    ("2027-02-08", "설날 연휴", "Seollal holiday"),
    (
        "2027-02-09",
        "대체공휴일(설날)",
        "Substitute holiday (Seollal)",
    ),
    ("2027-03-01", "삼일절", "Independence Movement Day"),
    ("2027-05-05", "어린이날", "Children's Day"),
    ("2027-05-13", "부처님오신날", "Buddha's Birthday"),
    ("2027-06-06", "현충일", "Memorial Day"),
    ("2027-07-17", "제헌절", "Constitution Day"),
    (
        "2027-07-19",
        "대체공휴일(제헌절)",
        "Substitute holiday (Constitution Day)",
    ),
    ("2027-08-15", "광복절", "Liberation Day"),
    (
        "2027-08-16",
        "대체공휴일(광복절)",
        "Substitute holiday (Liberation Day)",
    ),
    ("2027-09-14", "추석 연휴", "Chuseok holiday"),
    ("2027-09-15", "추석", "Chuseok"),
    ("2027-09-16", "추석 연휴", "Chuseok holiday"),
    ("2027-10-03", "개천절", "National Foundation Day"),
    (
        "2027-10-04",
        "대체공휴일(개천절)",
        "Substitute holiday (National Foundation Day)",
    ),
    ("2027-10-09", "한글날", "Hangul Day"),
    (
        "2027-10-11",
        "대체공휴일(한글날)",
        "Substitute holiday (Hangul Day)",
    ),
    ("2027-12-25", "성탄절", "Christmas Day"),
    (
        "2027-12-27",
        "대체공휴일(성탄절)",
        "Substitute holiday (Christmas Day)",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveDate, Weekday};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dates_parse_are_sorted_and_unique() {
        let dates: Vec<_> = KOREAN_PUBLIC_HOLIDAYS_2026_2027
            .iter()
            .map(|(s, _, _)| d(s))
            .collect();
        assert!(dates.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn every_substitute_holiday_is_a_weekday_after_its_holiday() {
        for (s, ko, _) in KOREAN_PUBLIC_HOLIDAYS_2026_2027 {
            if ko.starts_with("대체공휴일") {
                let wd = d(s).weekday();
                assert!(wd != Weekday::Sat && wd != Weekday::Sun, "{s}");
            }
        }
    }

    #[test]
    fn lunar_holidays_fall_on_the_known_days() {
        let has = |s: &str, name: &str| {
            KOREAN_PUBLIC_HOLIDAYS_2026_2027
                .iter()
                .any(|(x, ko, _)| *x == s && *ko == name)
        };
        assert!(has("2026-02-17", "설날") && d("2026-02-17").weekday() == Weekday::Tue);
        assert!(has("2027-02-07", "설날") && d("2027-02-07").weekday() == Weekday::Sun);
        assert!(has("2026-09-25", "추석") && d("2026-09-25").weekday() == Weekday::Fri);
        assert!(has("2027-09-15", "추석") && d("2027-09-15").weekday() == Weekday::Wed);
        assert!(has("2026-05-24", "부처님오신날") && d("2026-05-24").weekday() == Weekday::Sun);
        assert!(has("2027-05-13", "부처님오신날"));
    }
}
