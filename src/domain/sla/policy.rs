//! The credit policy (SPEC R3.5, R3.6): bands of availability below the target with the credit
//! rate each earns, and the fee basis. Data, not code: versioned by the month it takes effect
//! from and edited by admins; a statement names the version it used.
use super::availability::Availability;
use crate::domain::billing::BillingMonth;
use chrono::{DateTime, Utc};
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
    /// A band row with a rate but no threshold.
    ThresholdMissing,
    /// A band row with a threshold but no rate.
    RateMissing,
    /// The effective-from month is not `YYYY-MM`.
    MonthInvalid,
    /// The month has begun (or passed): its statements may already use the version in force.
    MonthNotInFuture,
    /// Another version already takes effect from that month.
    MonthTaken,
    BasisInvalid,
}

impl PolicyError {
    const ALL: [Self; 12] = [
        Self::NoBands,
        Self::TooManyBands,
        Self::BadThreshold,
        Self::NotDescending,
        Self::BadRate,
        Self::RateFalls,
        Self::ThresholdMissing,
        Self::RateMissing,
        Self::MonthInvalid,
        Self::MonthNotInFuture,
        Self::MonthTaken,
        Self::BasisInvalid,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::NoBands => "no_bands",
            Self::TooManyBands => "too_many_bands",
            Self::BadThreshold => "bad_threshold",
            Self::NotDescending => "thresholds_not_descending",
            Self::BadRate => "bad_rate",
            Self::RateFalls => "rate_falls",
            Self::ThresholdMissing => "threshold_missing",
            Self::RateMissing => "rate_missing",
            Self::MonthInvalid => "month_invalid",
            Self::MonthNotInFuture => "month_not_in_future",
            Self::MonthTaken => "month_taken",
            Self::BasisInvalid => "basis_invalid",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }

    pub fn message(self, korean: bool) -> &'static str {
        match (self, korean) {
            (Self::NoBands, true) => "구간을 하나 이상 입력하세요.",
            (Self::NoBands, false) => "Enter at least one band.",
            (Self::TooManyBands, true) => "구간은 6개까지입니다.",
            (Self::TooManyBands, false) => "At most 6 bands.",
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
            (Self::ThresholdMissing, true) => "이 구간의 가용성 기준을 입력하세요.",
            (Self::ThresholdMissing, false) => "Enter this band's threshold.",
            (Self::RateMissing, true) => "이 구간의 보상 비율을 입력하세요.",
            (Self::RateMissing, false) => "Enter this band's rate.",
            (Self::MonthInvalid, true) => "적용 시작 월을 YYYY-MM 형식으로 입력하세요.",
            (Self::MonthInvalid, false) => "Enter the effective-from month as YYYY-MM.",
            (Self::MonthNotInFuture, true) => {
                "이미 시작된 달이나 지난 달에는 적용할 수 없습니다. 다음 달 이후를 입력하세요 (KST)."
            }
            (Self::MonthNotInFuture, false) => {
                "A month that has begun or passed cannot change. Enter next month or later (KST)."
            }
            (Self::MonthTaken, true) => "그 달부터 적용되는 버전이 이미 있습니다.",
            (Self::MonthTaken, false) => "A version already takes effect from that month.",
            (Self::BasisInvalid, true) => "보상 기준 금액을 고르세요.",
            (Self::BasisInvalid, false) => "Choose a fee basis.",
        }
    }
}

/// Bands a policy may have (and rows the admin form offers).
pub const MAX_BANDS: usize = 6;

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

/// The first version taking effect after `month`, if one is scheduled.
pub fn next_after(policies: &[CreditPolicy], month: BillingMonth) -> Option<&CreditPolicy> {
    policies
        .iter()
        .filter(|p| p.effective_from > month)
        .min_by_key(|p| (p.effective_from, p.version))
}

/// A scheduled version may be withdrawn until its month begins (KST): until then no statement
/// can have used it, and nobody was billed by it. From its first day on it is history.
pub fn may_withdraw(policy: &CreditPolicy, now: DateTime<Utc>) -> bool {
    policy.effective_from > BillingMonth::containing(now)
}

/// Where a problem of the admin form belongs: a whole-form field, or a band row's threshold
/// or rate (rows counted from 1 as the form shows them, empty rows included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyField {
    EffectiveFrom,
    Basis,
    Bands,
    Threshold(usize),
    Rate(usize),
}

impl PolicyField {
    /// The form field's name, as the form posts it and the outcome names it.
    pub fn name(self) -> String {
        match self {
            Self::EffectiveFrom => "effective_from".into(),
            Self::Basis => "basis".into(),
            Self::Bands => "bands".into(),
            Self::Threshold(row) => format!("below_{row}"),
            Self::Rate(row) => format!("rate_{row}"),
        }
    }
}

pub type PolicyProblems = Vec<(PolicyField, PolicyError)>;

/// A percentage as typed: surrounding spaces and a trailing `%` are allowed, trailing zeros
/// do not count as decimals ("99.900" is 99.9).
fn parse_percent(raw: &str) -> Option<Decimal> {
    let raw = raw.trim();
    let raw = raw.strip_suffix('%').unwrap_or(raw).trim();
    if raw.is_empty() || !raw.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    Decimal::from_str(raw).ok().map(|d| d.normalize())
}

/// A new version as an admin typed it: the effective-from month, the fee basis code and the
/// band rows `(threshold, rate)` top to bottom. Rows left empty are skipped. Every problem is
/// reported at once, each on its field; the month must be after the KST month of `now` and
/// not taken by an `existing` version. The result's `version` is 0 until it is stored.
pub fn parse_new_version(
    existing: &[CreditPolicy],
    effective_from: &str,
    basis: &str,
    rows: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<CreditPolicy, PolicyProblems> {
    let mut problems = PolicyProblems::new();
    let month = match BillingMonth::parse(effective_from) {
        None => {
            problems.push((PolicyField::EffectiveFrom, PolicyError::MonthInvalid));
            None
        }
        Some(m) if m <= BillingMonth::containing(now) => {
            problems.push((PolicyField::EffectiveFrom, PolicyError::MonthNotInFuture));
            None
        }
        Some(m) if existing.iter().any(|p| p.effective_from == m) => {
            problems.push((PolicyField::EffectiveFrom, PolicyError::MonthTaken));
            None
        }
        Some(m) => Some(m),
    };
    let basis = FeeBasis::parse(basis.trim());
    if basis.is_none() {
        problems.push((PolicyField::Basis, PolicyError::BasisInvalid));
    }
    // (row, threshold, rate); None where that half has its own problem.
    let mut typed: Vec<(usize, Option<Decimal>, Option<Decimal>)> = Vec::new();
    for (i, (below, rate)) in rows.iter().enumerate() {
        let row = i + 1;
        let (below, rate) = (below.trim(), rate.trim());
        if below.is_empty() && rate.is_empty() {
            continue;
        }
        let threshold = if below.is_empty() {
            problems.push((PolicyField::Threshold(row), PolicyError::ThresholdMissing));
            None
        } else {
            let t = parse_percent(below)
                .filter(|t| *t > Decimal::ZERO && *t <= Decimal::ONE_HUNDRED && t.scale() <= 3);
            if t.is_none() {
                problems.push((PolicyField::Threshold(row), PolicyError::BadThreshold));
            }
            t
        };
        let rate = if rate.is_empty() {
            problems.push((PolicyField::Rate(row), PolicyError::RateMissing));
            None
        } else {
            let r = parse_percent(rate)
                .filter(|r| *r > Decimal::ZERO && *r <= Decimal::ONE_HUNDRED && r.scale() <= 2);
            if r.is_none() {
                problems.push((PolicyField::Rate(row), PolicyError::BadRate));
            }
            r
        };
        typed.push((row, threshold, rate));
    }
    if typed.is_empty() {
        problems.push((PolicyField::Bands, PolicyError::NoBands));
    } else if typed.len() > MAX_BANDS {
        problems.push((PolicyField::Bands, PolicyError::TooManyBands));
    }
    // Each row against the nearest filled row above it whose value could be read.
    let mut above_threshold: Option<Decimal> = None;
    let mut above_rate: Option<Decimal> = None;
    for (row, threshold, rate) in &typed {
        if let (Some(t), Some(a)) = (threshold, above_threshold)
            && *t >= a
        {
            problems.push((PolicyField::Threshold(*row), PolicyError::NotDescending));
        }
        if let (Some(r), Some(a)) = (rate, above_rate)
            && *r < a
        {
            problems.push((PolicyField::Rate(*row), PolicyError::RateFalls));
        }
        above_threshold = threshold.or(above_threshold);
        above_rate = rate.or(above_rate);
    }
    let (Some(month), Some(basis), true) = (month, basis, problems.is_empty()) else {
        return Err(problems);
    };
    let bands = typed
        .into_iter()
        .filter_map(|(_, below, rate)| {
            Some(CreditBand {
                below: below?,
                rate_percent: rate?,
            })
        })
        .collect();
    // The checks above are the constructor's, field by field; it has the last word.
    CreditPolicy::new(0, month, basis, bands).map_err(|e| vec![(PolicyField::Bands, e)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_time::month as m;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
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
            new(vec![band("99.9", "5"); MAX_BANDS + 1]),
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

    /// 12:00 KST on 15 November 2026.
    fn mid_november() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-15T12:00:00+09:00")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn rows(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(b, r)| (b.to_string(), r.to_string()))
            .collect()
    }

    fn parse(month: &str, pairs: &[(&str, &str)]) -> Result<CreditPolicy, PolicyProblems> {
        parse_new_version(
            &[standard()],
            month,
            "this_month",
            &rows(pairs),
            mid_november(),
        )
    }

    const STANDARD_ROWS: [(&str, &str); 4] = [
        ("99.9", "5"),
        ("99.5", "10"),
        ("99.0", "25"),
        ("95.0", "100"),
    ];

    #[test]
    fn a_new_version_is_read_from_the_form_rows() {
        let p = parse("2026-12", &STANDARD_ROWS).unwrap();
        assert_eq!(p.effective_from, m("2026-12"));
        assert_eq!(p.basis, FeeBasis::ThisMonth);
        assert_eq!(p.version, 0, "numbered when stored");
        assert_eq!(p.bands(), CreditPolicy::standard_bands().as_slice());
        let p = parse_new_version(
            &[],
            " 2027-03 ",
            "trailing_3_months",
            &rows(&[(" 99.95 % ", "2.5%"), ("98", "50")]),
            mid_november(),
        )
        .unwrap();
        assert_eq!(p.basis, FeeBasis::TrailingThreeMonths);
        assert_eq!(
            p.tiers().iter().map(Tier::label).collect::<Vec<_>>(),
            ["[98, 99.95)", "[0, 98)"]
        );
        assert_eq!(p.bands()[0].rate_percent, d("2.5"));
    }

    #[test]
    fn empty_rows_are_skipped_and_rows_keep_their_numbers() {
        let p = parse(
            "2026-12",
            &[
                ("", ""),
                ("99.9", "5"),
                ("  ", " "),
                ("95", "100"),
                ("", ""),
            ],
        )
        .unwrap();
        assert_eq!(p.bands().len(), 2);
        // Row numbers are the form's, so a problem lands beside the row typed in.
        assert_eq!(
            parse("2026-12", &[("", ""), ("", ""), ("99.9", "abc")]).unwrap_err(),
            vec![(PolicyField::Rate(3), PolicyError::BadRate)]
        );
        assert_eq!(
            parse("2026-12", &[("", ""), ("", "")]).unwrap_err(),
            vec![(PolicyField::Bands, PolicyError::NoBands)]
        );
        assert_eq!(
            parse("2026-12", &[]).unwrap_err(),
            vec![(PolicyField::Bands, PolicyError::NoBands)]
        );
    }

    #[test]
    fn half_filled_rows_name_the_missing_half() {
        assert_eq!(
            parse("2026-12", &[("99.9", ""), ("", "10")]).unwrap_err(),
            vec![
                (PolicyField::Rate(1), PolicyError::RateMissing),
                (PolicyField::Threshold(2), PolicyError::ThresholdMissing),
            ]
        );
    }

    #[test]
    fn the_month_must_be_a_future_kst_month_not_taken() {
        let only_month = |month: &str, now: DateTime<Utc>| {
            parse_new_version(
                &[standard()],
                month,
                "this_month",
                &rows(&STANDARD_ROWS),
                now,
            )
            .err()
            .map(|p| p[0])
        };
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        // 23:59:59 KST on 30 November: December has not begun yet.
        let last_second = at("2026-11-30T23:59:59+09:00");
        assert_eq!(only_month("2026-12", last_second), None);
        assert_eq!(
            only_month("2026-11", last_second),
            Some((PolicyField::EffectiveFrom, PolicyError::MonthNotInFuture))
        );
        // 00:00 KST on 1 December is still 30 November in UTC, but December has begun.
        let first_second = at("2026-12-01T00:00:00+09:00");
        assert_eq!(first_second.to_rfc3339(), "2026-11-30T15:00:00+00:00");
        assert_eq!(
            only_month("2026-12", first_second),
            Some((PolicyField::EffectiveFrom, PolicyError::MonthNotInFuture))
        );
        assert_eq!(only_month("2027-01", first_second), None);
        // Across the year end.
        assert_eq!(only_month("2027-01", at("2026-12-31T23:59:59+09:00")), None);
        assert_eq!(
            only_month("2025-06", mid_november()),
            Some((PolicyField::EffectiveFrom, PolicyError::MonthNotInFuture))
        );
        for bad in [
            "",
            "2026-13",
            "2026-1",
            "26-12",
            "2026/12",
            "2026-12-01",
            "next",
        ] {
            assert_eq!(
                only_month(bad, mid_november()),
                Some((PolicyField::EffectiveFrom, PolicyError::MonthInvalid)),
                "{bad:?}"
            );
        }
        let scheduled = CreditPolicy::new(
            2,
            m("2027-02"),
            FeeBasis::ThisMonth,
            CreditPolicy::standard_bands(),
        )
        .unwrap();
        assert_eq!(
            parse_new_version(
                &[standard(), scheduled],
                "2027-02",
                "this_month",
                &rows(&STANDARD_ROWS),
                mid_november(),
            )
            .unwrap_err(),
            vec![(PolicyField::EffectiveFrom, PolicyError::MonthTaken)]
        );
    }

    #[test]
    fn the_basis_is_one_of_the_two() {
        for bad in ["", "average", "THIS_MONTH"] {
            assert_eq!(
                parse_new_version(&[], "2026-12", bad, &rows(&STANDARD_ROWS), mid_november())
                    .unwrap_err(),
                vec![(PolicyField::Basis, PolicyError::BasisInvalid)],
                "{bad:?}"
            );
        }
    }

    #[test]
    fn thresholds_fall_strictly_from_row_to_row() {
        assert_eq!(
            parse("2026-12", &[("99.9", "5"), ("99.9", "10")]).unwrap_err(),
            vec![(PolicyField::Threshold(2), PolicyError::NotDescending)],
            "equal thresholds"
        );
        assert_eq!(
            parse("2026-12", &[("99.0", "5"), ("99.5", "10")]).unwrap_err(),
            vec![(PolicyField::Threshold(2), PolicyError::NotDescending)]
        );
        // Compared with the nearest filled row above, across empty rows.
        assert_eq!(
            parse("2026-12", &[("99.5", "5"), ("", ""), ("99.5", "10")]).unwrap_err(),
            vec![(PolicyField::Threshold(3), PolicyError::NotDescending)]
        );
        // "99.90" is 99.9: trailing zeros are no difference.
        assert_eq!(
            parse("2026-12", &[("99.9", "5"), ("99.90", "10")]).unwrap_err(),
            vec![(PolicyField::Threshold(2), PolicyError::NotDescending)]
        );
        assert!(parse("2026-12", &[("99.9", "5"), ("99.899", "10")]).is_ok());
    }

    #[test]
    fn rates_never_fall_as_thresholds_fall() {
        assert_eq!(
            parse("2026-12", &[("99.9", "10"), ("99", "5")]).unwrap_err(),
            vec![(PolicyField::Rate(2), PolicyError::RateFalls)]
        );
        assert_eq!(
            parse("2026-12", &[("99.9", "10"), ("99", "25"), ("95", "24.99")]).unwrap_err(),
            vec![(PolicyField::Rate(3), PolicyError::RateFalls)]
        );
        assert!(
            parse("2026-12", &[("99.9", "10"), ("99", "10")]).is_ok(),
            "an equal rate is allowed, as CreditPolicy::new allows it"
        );
    }

    #[test]
    fn thresholds_and_rates_are_bounded_percentages_with_few_decimals() {
        let one = |below: &str, rate: &str| parse("2026-12", &[(below, rate)]).err();
        assert_eq!(one("100", "100"), None, "the top threshold may be 100");
        assert_eq!(one("99.999", "99.99"), None, "3 and 2 decimals");
        assert_eq!(
            one("99.9990", "5.000"),
            None,
            "trailing zeros are no decimals"
        );
        let threshold = Some(vec![(PolicyField::Threshold(1), PolicyError::BadThreshold)]);
        for bad in [
            "100.001", "101", "0", "0.000", "-5", "99.9999", "abc", "9 9", "1e2", "99,9", "+99",
        ] {
            assert_eq!(one(bad, "5"), threshold, "threshold {bad:?}");
        }
        let rate = Some(vec![(PolicyField::Rate(1), PolicyError::BadRate)]);
        for bad in ["0", "100.01", "5.001", "-1", "ten", "%"] {
            assert_eq!(one("99.9", bad), rate, "rate {bad:?}");
        }
    }

    #[test]
    fn at_most_six_bands() {
        let six: Vec<(String, String)> = (0..MAX_BANDS)
            .map(|i| (format!("{}", 99 - i), format!("{}", 10 + i)))
            .collect();
        let ok = parse_new_version(&[], "2026-12", "this_month", &six, mid_november()).unwrap();
        assert_eq!(ok.bands().len(), 6);
        let mut seven = six.clone();
        seven.push(("50".into(), "100".into()));
        assert_eq!(
            parse_new_version(&[], "2026-12", "this_month", &seven, mid_november()).unwrap_err(),
            vec![(PolicyField::Bands, PolicyError::TooManyBands)]
        );
        // Empty rows do not count.
        let mut padded = six;
        padded.extend(std::iter::repeat_n((String::new(), String::new()), 4));
        assert!(parse_new_version(&[], "2026-12", "this_month", &padded, mid_november()).is_ok());
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let all = parse_new_version(
            &[standard()],
            "2026-11",
            "",
            &rows(&[("101", "5"), ("99", "0"), ("99.5", "")]),
            mid_november(),
        )
        .unwrap_err();
        assert_eq!(
            all,
            vec![
                (PolicyField::EffectiveFrom, PolicyError::MonthNotInFuture),
                (PolicyField::Basis, PolicyError::BasisInvalid),
                (PolicyField::Threshold(1), PolicyError::BadThreshold),
                (PolicyField::Rate(2), PolicyError::BadRate),
                (PolicyField::Rate(3), PolicyError::RateMissing),
                (PolicyField::Threshold(3), PolicyError::NotDescending),
            ]
        );
    }

    #[test]
    fn field_names_and_codes_are_stable() {
        assert_eq!(PolicyField::EffectiveFrom.name(), "effective_from");
        assert_eq!(PolicyField::Basis.name(), "basis");
        assert_eq!(PolicyField::Bands.name(), "bands");
        assert_eq!(PolicyField::Threshold(2).name(), "below_2");
        assert_eq!(PolicyField::Rate(6).name(), "rate_6");
        for e in PolicyError::ALL {
            assert_eq!(PolicyError::from_code(e.code()), Some(e));
            assert!(!e.message(true).is_empty() && !e.message(false).is_empty());
        }
        assert_eq!(PolicyError::from_code("nope"), None);
    }

    #[test]
    fn a_scheduled_version_may_be_withdrawn_until_its_month_begins() {
        let december = CreditPolicy::new(
            2,
            m("2026-12"),
            FeeBasis::ThisMonth,
            CreditPolicy::standard_bands(),
        )
        .unwrap();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert!(may_withdraw(&december, at("2026-11-30T23:59:59+09:00")));
        assert!(!may_withdraw(&december, at("2026-12-01T00:00:00+09:00")));
        assert!(!may_withdraw(&standard(), mid_november()));
        let all = [standard(), december];
        assert_eq!(next_after(&all, m("2026-11")).map(|p| p.version), Some(2));
        assert_eq!(next_after(&all, m("2026-12")), None);
    }

    #[test]
    fn basis_codes_round_trip() {
        for b in [FeeBasis::ThisMonth, FeeBasis::TrailingThreeMonths] {
            assert_eq!(FeeBasis::parse(b.code()), Some(b));
        }
        assert_eq!(FeeBasis::parse("average"), None);
    }
}
