//! Monthly availability (SPEC R3.4): 100 x (1 - outage minutes / service minutes), kept as the
//! two whole numbers so every comparison is exact and nothing is ever a float.
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Availability {
    outage_minutes: u64,
    service_minutes: u64,
}

impl Availability {
    /// Outage minutes beyond the service minutes cannot happen (outages are clipped to the
    /// service); they are capped so the figure stays within [0, 100] whatever the caller does.
    pub fn new(outage_minutes: u64, service_minutes: u64) -> Self {
        Self {
            outage_minutes: outage_minutes.min(service_minutes),
            service_minutes,
        }
    }

    pub fn outage_minutes(self) -> u64 {
        self.outage_minutes
    }

    pub fn service_minutes(self) -> u64 {
        self.service_minutes
    }

    /// Whether availability >= `percent`, exactly: 100 x (s - o) >= percent x s. A month
    /// without service minutes had no outage to speak of and counts as 100 %.
    pub fn at_least(self, percent: Decimal) -> bool {
        let up = Decimal::from(self.service_minutes - self.outage_minutes);
        let s = Decimal::from(self.service_minutes);
        match percent.checked_mul(s) {
            Some(rhs) => up * Decimal::ONE_HUNDRED >= rhs,
            None => false,
        }
    }

    /// Truncated (never rounded) to 3 decimals, so a shown 99.900 never hides 99.8999.
    pub fn truncated(self) -> Decimal {
        if self.service_minutes == 0 {
            return Decimal::new(100_000, 3);
        }
        let up = u128::from(self.service_minutes - self.outage_minutes);
        let thousandths = up * 100_000 / u128::from(self.service_minutes);
        Decimal::from_i128_with_scale(i128::try_from(thousandths).unwrap_or(0), 3)
    }

    /// "99.900": what pages, CSV and the API show.
    pub fn display(self) -> String {
        format!("{:.3}", self.truncated())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// Minutes of a 28, 29, 30 and 31-day month.
    const MONTHS: [(u64, u64); 4] = [(28, 40), (29, 41), (30, 43), (31, 44)];

    #[test]
    fn the_999_target_allows_40_41_43_and_44_minutes() {
        for (days, allowed) in MONTHS {
            let s = days * 1440;
            assert!(
                Availability::new(allowed, s).at_least(d("99.9")),
                "{days} days"
            );
            assert!(
                !Availability::new(allowed + 1, s).at_least(d("99.9")),
                "{days} days"
            );
        }
    }

    #[test]
    fn the_shown_figure_is_truncated_not_rounded() {
        // 30 days, 44 minutes: 99.89814...%, which rounds to 99.898 and must not show 99.899.
        let a = Availability::new(44, 43_200);
        assert_eq!(a.display(), "99.898");
        // 31 days, 45 minutes: 99.89919...% must not show 99.900.
        let a = Availability::new(45, 44_640);
        assert_eq!(a.display(), "99.899");
        assert!(!a.at_least(d("99.9")));
        assert_eq!(Availability::new(0, 44_640).display(), "100.000");
        assert_eq!(Availability::new(44_640, 44_640).display(), "0.000");
        assert_eq!(Availability::new(0, 0).display(), "100.000");
    }

    #[test]
    fn tier_boundaries_compare_exactly() {
        // 30 days: 99.5 % allows 216 minutes exactly, 99.0 % 432, 95.0 % 2160.
        let s = 43_200;
        for (minutes, at) in [(216, "99.5"), (432, "99.0"), (2_160, "95.0")] {
            assert!(
                Availability::new(minutes, s).at_least(d(at)),
                "{at} at its boundary"
            );
            assert_eq!(Availability::new(minutes, s).display(), format!("{}00", at));
            assert!(!Availability::new(minutes + 1, s).at_least(d(at)));
        }
    }

    #[test]
    fn outage_is_capped_at_the_service_minutes() {
        assert_eq!(Availability::new(99, 10).outage_minutes(), 10);
        assert_eq!(Availability::new(99, 10).display(), "0.000");
    }

    proptest! {
        #[test]
        fn availability_stays_between_0_and_100(o in 0u64..50_000, s in 0u64..50_000) {
            let t = Availability::new(o, s).truncated();
            prop_assert!(t >= Decimal::ZERO && t <= Decimal::ONE_HUNDRED);
        }

        #[test]
        fn one_more_down_minute_never_raises_it(o in 0u64..44_640, s in 1u64..44_641) {
            let a = Availability::new(o, s);
            let b = Availability::new(o + 1, s);
            prop_assert!(b.truncated() <= a.truncated());
            for t in ["99.9", "99.5", "99.0", "95.0", "50"] {
                prop_assert!(!b.at_least(d(t)) || a.at_least(d(t)), "{}", t);
            }
        }

        #[test]
        fn the_shown_figure_never_overstates(o in 0u64..44_640, s in 1u64..44_641) {
            let a = Availability::new(o, s);
            prop_assert!(a.at_least(a.truncated()));
        }
    }
}
