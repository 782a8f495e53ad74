//! The credit policy (SPEC R3.5, R3.6): bands of availability below the target with the credit
//! rate each earns, and the fee basis. Data, not code: versioned by the month it takes effect
//! from and edited by admins; a statement names the version it used.
use super::availability::Availability;
use crate::domain::billing::BillingMonth;
use rust_decimal::Decimal;
use std::str::FromStr;

/// What the credit rate is applied to (R3.6 decision).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeeBasis {
    /// That month's invoiced charge for the project, before VAT and credits (§1.2).
    ThisMonth,
    /// The average of that month's and the two previous months' charges (the annex).
    TrailingThreeMonths,
}

impl FeeBasis {
    pub fn code(self) -> &'static str {
        match self {
            Self::ThisMonth => "this_month",
            Self::TrailingThreeMonths => "trailing_3_months",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::ThisMonth, Self::TrailingThreeMonths]
            .into_iter()
            .find(|b| b.code() == raw)
    }

    pub fn label(self, korean: bool) -> &'static str {
        match (self, korean) {
            (Self::ThisMonth, true) => "해당 월 청구 금액 (부가세·크레딧 제외)",
            (Self::ThisMonth, false) => "That month's invoiced charge (before VAT and credits)",
            (Self::TrailingThreeMonths, true) => "최근 3개월 평균 청구 금액",
            (Self::TrailingThreeMonths, false) => "Trailing 3-month average charge",
        }
    }
}

/// Availability below `below` (and at or above the next band's `below`) earns `rate_percent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreditBand {
    pub below: Decimal,
    pub rate_percent: Decimal,
}

/// A band as a statement shows it: `[lower, upper)` and its rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tier {
    pub lower: Decimal,
    pub upper: Decimal,
    pub rate_percent: Decimal,
}

impl Tier {
    /// "[99.5, 99.9)"
    pub fn label(&self) -> String {
        format!("[{}, {})", self.lower.normalize(), self.upper.normalize())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditPolicy {
    pub version: i64,
    pub effective_from: BillingMonth,
    pub basis: FeeBasis,
    /// Highest `below` first.
    bands: Vec<CreditBand>,
}

/// Why a policy an admin entered was refused; `code()` is stable for forms and the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyError {
    NoBands,
    TooManyBands,
    /// A threshold outside (0, 100] or with more than 3 decimals.
    BadThreshold,
    /// Thresholds must fall strictly from one band to the next.
    NotDescending,
    /// A rate outside (0, 100] or with more than 2 decimals.
    BadRate,
    /// A lower availability must never earn a smaller credit.
    RateFalls,
}

impl PolicyError {
    pub fn code(self) -> &'static str {
        match self {
            Self::NoBands => "no_bands",
            Self::TooManyBands => "too_many_bands",
            Self::BadThreshold => "bad_threshold",
            Self::NotDescending => "thresholds_not_descending",
            Self::BadRate => "bad_rate",
            Self::RateFalls => "rate_falls",
        }
    }

    pub fn message(self, korean: bool) -> &'static str {
        match (self, korean) {
            (Self::NoBands, true) => "구간을 하나 이상 입력하세요.",
            (Self::NoBands, false) => "Enter at least one band.",
            (Self::TooManyBands, true) => "구간은 10개까지입니다.",
            (Self::TooManyBands, false) => "At most 10 bands.",
            (Self::BadThreshold, true) => {
                "가용성 기준은 0 초과 100 이하, 소수점 셋째 자리까지입니다."
            }
            (Self::BadThreshold, false) => {
                "A threshold is above 0 and at most 100, with up to 3 decimals."
            }
            (Self::NotDescending, true) => "기준은 위에서 아래로 갈수록 낮아져야 합니다.",
            (Self::NotDescending, false) => "Each threshold must be lower than the one above it.",
            (Self::BadRate, true) => "보상 비율은 0 초과 100 이하, 소수점 둘째 자리까지입니다.",
            (Self::BadRate, false) => "A rate is above 0 and at most 100, with up to 2 decimals.",
            (Self::RateFalls, true) => "가용성이 낮은 구간의 보상 비율이 더 작을 수 없습니다.",
            (Self::RateFalls, false) => "A lower band cannot earn a smaller rate.",
        }
    }
}

const MAX_BANDS: usize = 10;

impl CreditPolicy {
    pub fn new(
        version: i64,
        effective_from: BillingMonth,
        basis: FeeBasis,
        bands: Vec<CreditBand>,
    ) -> Result<Self, PolicyError> {
        if bands.is_empty() {
            return Err(PolicyError::NoBands);
        }
        if bands.len() > MAX_BANDS {
            return Err(PolicyError::TooManyBands);
        }
        for b in &bands {
            if b.below <= Decimal::ZERO || b.below > Decimal::ONE_HUNDRED || b.below.scale() > 3 {
                return Err(PolicyError::BadThreshold);
            }
            if b.rate_percent <= Decimal::ZERO
                || b.rate_percent > Decimal::ONE_HUNDRED
                || b.rate_percent.scale() > 2
            {
                return Err(PolicyError::BadRate);
            }
        }
        for pair in bands.windows(2) {
            if pair[1].below >= pair[0].below {
                return Err(PolicyError::NotDescending);
            }
            if pair[1].rate_percent < pair[0].rate_percent {
                return Err(PolicyError::RateFalls);
            }
        }
        Ok(Self {
            version,
            effective_from,
            basis,
            bands,
        })
    }

    /// The bands of SPEC R3.5: [99.5, 99.9) 5 %, [99.0, 99.5) 10 %, [95.0, 99.0) 25 %,
    /// below 95.0 100 %; 99.9 and above nothing. The seed of the policy table.
    pub fn standard_bands() -> Vec<CreditBand> {
        [
            ("99.9", "5"),
            ("99.5", "10"),
            ("99.0", "25"),
            ("95.0", "100"),
        ]
        .into_iter()
        .map(|(below, rate)| CreditBand {
            below: Decimal::from_str(below).unwrap_or_default(),
            rate_percent: Decimal::from_str(rate).unwrap_or_default(),
        })
        .collect()
    }

    pub fn bands(&self) -> &[CreditBand] {
        &self.bands
    }

    /// Every band as `[lower, upper)`, highest first (the compensation scheme's table).
    pub fn tiers(&self) -> Vec<Tier> {
        self.bands
            .iter()
            .enumerate()
            .map(|(i, b)| Tier {
                lower: self.bands.get(i + 1).map_or(Decimal::ZERO, |n| n.below),
                upper: b.below,
                rate_percent: b.rate_percent,
            })
            .collect()
    }

    /// The target: availability at or above the highest band's threshold earns nothing.
    pub fn target(&self) -> Decimal {
        self.bands.first().map_or(Decimal::ONE_HUNDRED, |b| b.below)
    }

    /// The tier `availability` falls in, or None when it met the target.
    pub fn tier_for(&self, availability: Availability) -> Option<Tier> {
        self.tiers()
            .into_iter()
            .rev()
            .find(|t| !availability.at_least(t.upper) && availability.at_least(t.lower))
    }
}

/// The version in force in `month`: the latest one taking effect in or before it.
pub fn in_force(policies: &[CreditPolicy], month: BillingMonth) -> Option<&CreditPolicy> {
    policies
        .iter()
        .filter(|p| p.effective_from <= month)
        .max_by_key(|p| (p.effective_from, p.version))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn m(s: &str) -> BillingMonth {
        BillingMonth::parse(s).unwrap()
    }

    fn standard() -> CreditPolicy {
        CreditPolicy::new(
            1,
            m("2026-01"),
            FeeBasis::ThisMonth,
            CreditPolicy::standard_bands(),
        )
        .unwrap()
    }

    fn rate(p: &CreditPolicy, outage: u64, service: u64) -> Option<Decimal> {
        p.tier_for(Availability::new(outage, service))
            .map(|t| t.rate_percent)
    }

    #[test]
    fn each_tier_boundary_belongs_to_the_band_above() {
        let p = standard();
        let s = 43_200; // 30 days
        assert_eq!(rate(&p, 0, s), None);
        assert_eq!(rate(&p, 43, s), None, "99.900 % meets the target");
        assert_eq!(rate(&p, 44, s), Some(d("5")));
        assert_eq!(rate(&p, 216, s), Some(d("5")), "exactly 99.5 %");
        assert_eq!(rate(&p, 217, s), Some(d("10")));
        assert_eq!(rate(&p, 432, s), Some(d("10")), "exactly 99.0 %");
        assert_eq!(rate(&p, 433, s), Some(d("25")));
        assert_eq!(rate(&p, 2_160, s), Some(d("25")), "exactly 95.0 %");
        assert_eq!(rate(&p, 2_161, s), Some(d("100")));
        assert_eq!(rate(&p, s, s), Some(d("100")));
    }

    #[test]
    fn tiers_print_as_half_open_ranges() {
        let labels: Vec<String> = standard().tiers().iter().map(Tier::label).collect();
        assert_eq!(
            labels,
            ["[99.5, 99.9)", "[99, 99.5)", "[95, 99)", "[0, 95)"]
        );
        assert_eq!(standard().target(), d("99.9"));
    }

    #[test]
    fn a_bad_policy_is_refused_with_its_reason() {
        let band = |b: &str, r: &str| CreditBand {
            below: d(b),
            rate_percent: d(r),
        };
        let new = |bands| CreditPolicy::new(2, m("2027-01"), FeeBasis::ThisMonth, bands);
        assert_eq!(new(vec![]), Err(PolicyError::NoBands));
        assert_eq!(
            new(vec![band("100.1", "5")]),
            Err(PolicyError::BadThreshold)
        );
        assert_eq!(new(vec![band("0", "5")]), Err(PolicyError::BadThreshold));
        assert_eq!(
            new(vec![band("99.9999", "5")]),
            Err(PolicyError::BadThreshold)
        );
        assert_eq!(new(vec![band("99.9", "0")]), Err(PolicyError::BadRate));
        assert_eq!(new(vec![band("99.9", "101")]), Err(PolicyError::BadRate));
        assert_eq!(new(vec![band("99.9", "5.001")]), Err(PolicyError::BadRate));
        assert_eq!(
            new(vec![band("99.0", "5"), band("99.5", "10")]),
            Err(PolicyError::NotDescending)
        );
        assert_eq!(
            new(vec![band("99.9", "10"), band("99.0", "5")]),
            Err(PolicyError::RateFalls)
        );
        assert_eq!(
            new(vec![band("99.9", "5"); 11]),
            Err(PolicyError::TooManyBands)
        );
        assert!(new(vec![band("99.95", "10"), band("99.5", "10")]).is_ok());
    }

    #[test]
    fn the_version_in_force_is_the_latest_started() {
        let a = standard();
        let b = CreditPolicy::new(
            2,
            m("2026-07"),
            FeeBasis::TrailingThreeMonths,
            CreditPolicy::standard_bands(),
        )
        .unwrap();
        let all = [a, b];
        assert_eq!(in_force(&all, m("2025-12")), None);
        assert_eq!(in_force(&all, m("2026-06")).map(|p| p.version), Some(1));
        assert_eq!(in_force(&all, m("2026-07")).map(|p| p.version), Some(2));
        assert_eq!(in_force(&all, m("2027-02")).map(|p| p.version), Some(2));
    }

    #[test]
    fn basis_codes_round_trip() {
        for b in [FeeBasis::ThisMonth, FeeBasis::TrailingThreeMonths] {
            assert_eq!(FeeBasis::parse(b.code()), Some(b));
        }
        assert_eq!(FeeBasis::parse("average"), None);
    }
}
