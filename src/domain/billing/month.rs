//! A KST calendar month (28-31 days), the unit of billing.
use crate::domain::kst::{kst_date, start_of_kst_day};
use chrono::{DateTime, Datelike, NaiveDate, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BillingMonth {
    year: i32,
    month: u32,
}

impl BillingMonth {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (2000..=9999).contains(&year)).then_some(Self { year, month })
    }

    /// `YYYY-MM`, exactly.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let (y, m) = raw.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !y.chars().chain(m.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        Self::new(y.parse().ok()?, m.parse().ok()?)
    }

    /// The KST month `t` falls in.
    pub fn containing(t: DateTime<Utc>) -> Self {
        let d = kst_date(t);
        Self {
            year: d.year(),
            month: d.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn prev(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn days(self) -> u32 {
        let next = self.next().first_day();
        u32::try_from((next - self.first_day()).num_days()).unwrap_or(0)
    }

    /// 00:00 KST on the 1st, as UTC.
    pub fn start(self) -> DateTime<Utc> {
        start_of_kst_day(self.first_day())
    }

    /// 00:00 KST on the 1st of the next month (exclusive end), as UTC.
    pub fn end(self) -> DateTime<Utc> {
        self.next().start()
    }

    pub fn contains(self, t: DateTime<Utc>) -> bool {
        self.start() <= t && t < self.end()
    }

    /// The given day of this month, clamped to its last day (the 31st of February is the 28th/29th).
    pub fn day(self, day: u32) -> NaiveDate {
        let d = day.clamp(1, self.days().max(1));
        NaiveDate::from_ymd_opt(self.year, self.month, d).unwrap_or_default()
    }
}

impl std::fmt::Display for BillingMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_time::utc;

    #[test]
    fn months_parse_strictly() {
        assert_eq!(BillingMonth::parse("2026-02"), BillingMonth::new(2026, 2));
        for bad in [
            "2026-2",
            "2026-13",
            "2026-00",
            "26-02",
            "2026/02",
            "2026-02-01",
            "",
            "abcd-ef",
        ] {
            assert_eq!(BillingMonth::parse(bad), None, "{bad}");
        }
        assert_eq!(BillingMonth::new(2026, 2).unwrap().to_string(), "2026-02");
    }

    #[test]
    fn month_lengths_include_leap_years() {
        let days = |y, m| BillingMonth::new(y, m).unwrap().days();
        assert_eq!(days(2024, 2), 29);
        assert_eq!(days(2025, 2), 28);
        assert_eq!(days(2100, 2), 28);
        assert_eq!(days(2000, 2), 29);
        assert_eq!(days(2026, 4), 30);
        assert_eq!(days(2026, 12), 31);
        assert_eq!(days(2026, 1), 31);
    }

    #[test]
    fn a_kst_month_starts_at_15_00_utc_the_day_before() {
        let m = BillingMonth::new(2026, 3).unwrap();
        assert_eq!(m.start(), utc("2026-02-28T15:00:00Z"));
        assert_eq!(m.end(), utc("2026-03-31T15:00:00Z"));
        assert!(m.contains(utc("2026-02-28T15:00:00Z")));
        assert!(!m.contains(utc("2026-02-28T14:59:59Z")));
        assert!(!m.contains(utc("2026-03-31T15:00:00Z")));
        assert_eq!(BillingMonth::containing(utc("2026-03-31T14:59:59Z")), m);
        assert_eq!(
            BillingMonth::containing(utc("2026-03-31T15:00:00Z")),
            m.next()
        );
    }

    #[test]
    fn the_year_turns_in_december_and_january() {
        let dec = BillingMonth::new(2026, 12).unwrap();
        assert_eq!(dec.next(), BillingMonth::new(2027, 1).unwrap());
        assert_eq!(dec.next().prev(), dec);
        assert_eq!(dec.end(), utc("2026-12-31T15:00:00Z"));
        assert_eq!(
            BillingMonth::containing(utc("2026-12-31T15:00:00Z")),
            BillingMonth::new(2027, 1).unwrap()
        );
    }

    #[test]
    fn days_clamp_to_the_month() {
        let feb = BillingMonth::new(2025, 2).unwrap();
        assert_eq!(feb.day(31), NaiveDate::from_ymd_opt(2025, 2, 28).unwrap());
        assert_eq!(feb.day(25), NaiveDate::from_ymd_opt(2025, 2, 25).unwrap());
        assert_eq!(feb.day(0), NaiveDate::from_ymd_opt(2025, 2, 1).unwrap());
    }
}
