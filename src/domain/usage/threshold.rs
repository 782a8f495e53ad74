//! Monthly usage thresholds (R5.3): the value a customer may set for a project and metric,
//! and when a KST month's usage has crossed it.
//!
//! A threshold is crossed when the month's total reaches it (equal counts: "alert me at 100
//! GB" means at 100, not above). Each crossing is alerted once per project, metric, KST month
//! and threshold value ([`alert_key`]): records arriving after the crossing, or a re-send that
//! lowers and raises the total again, alert nothing new, while a customer who raises the
//! threshold after an alert is alerted again when usage reaches the new value.
use super::Quantity;
use super::quantity::QuantityError;
use crate::domain::billing::BillingMonth;
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// The largest threshold taken, in the metric's unit: far above any real month (a month of
/// the largest hourly value of any metric is below it), so a typo of extra zeros is refused.
pub const MAX_UNITS: i64 = 1_000_000_000;

/// A monthly threshold: a positive decimal, at most six places, at most [`MAX_UNITS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Threshold(Quantity);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThresholdError {
    NotANumber,
    /// Zero or below: a threshold of nothing would alert at once every month.
    NotPositive,
    TooPrecise,
    TooLarge,
}

impl ThresholdError {
    /// Stable code for forms and the API.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotANumber => "threshold_not_a_number",
            Self::NotPositive => "threshold_not_positive",
            Self::TooPrecise => "threshold_too_precise",
            Self::TooLarge => "threshold_too_large",
        }
    }
}

impl Threshold {
    pub fn parse(text: &str) -> Result<Self, ThresholdError> {
        let q = Quantity::parse(text).map_err(|e| match e {
            QuantityError::NotANumber => ThresholdError::NotANumber,
            QuantityError::Negative => ThresholdError::NotPositive,
            QuantityError::TooPrecise => ThresholdError::TooPrecise,
            QuantityError::TooLarge => ThresholdError::TooLarge,
        })?;
        Self::from_quantity(q)
    }

    /// A stored value read back (whole millionths); the same rules as a typed one.
    pub fn from_micros(micros: i64) -> Result<Self, ThresholdError> {
        if micros < 0 {
            return Err(ThresholdError::NotPositive);
        }
        Self::from_quantity(Quantity::from_micros(micros))
    }

    fn from_quantity(q: Quantity) -> Result<Self, ThresholdError> {
        if q == Quantity::ZERO {
            return Err(ThresholdError::NotPositive);
        }
        if q.micros() > MAX_UNITS.saturating_mul(1_000_000) {
            return Err(ThresholdError::TooLarge);
        }
        Ok(Self(q))
    }

    pub fn quantity(self) -> Quantity {
        self.0
    }
}

impl std::fmt::Display for Threshold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// What a form asks for: a value to keep, or an empty field to remove the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThresholdChange {
    Set(Threshold),
    Remove,
}

impl ThresholdChange {
    pub fn parse(text: &str) -> Result<Self, ThresholdError> {
        if text.trim().is_empty() {
            Ok(Self::Remove)
        } else {
            Threshold::parse(text).map(Self::Set)
        }
    }
}

/// A crossing to alert: the month's usage has reached its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crossing {
    pub month: BillingMonth,
    pub threshold: Threshold,
    pub total: Quantity,
}

/// Whether `month_total` (the whole KST month's usage so far) has reached `threshold`.
pub fn crossing(
    month: BillingMonth,
    threshold: Threshold,
    month_total: Quantity,
) -> Option<Crossing> {
    (month_total >= threshold.quantity()).then_some(Crossing {
        month,
        threshold,
        total: month_total,
    })
}

/// The key that makes a crossing's alert (and its e-mail) happen once.
pub fn alert_key(project_id: i64, metric: &str, c: &Crossing) -> String {
    format!(
        "usage_threshold:{project_id}:{metric}:{}:{}",
        c.month,
        c.threshold.quantity().micros()
    )
}

/// The KST months the given hours fall in: a batch may touch the end of one and the start
/// of the next (an hour at 2026-11-30T15:00Z is 1 December KST).
pub fn months_touched(hours: impl IntoIterator<Item = DateTime<Utc>>) -> BTreeSet<BillingMonth> {
    hours.into_iter().map(BillingMonth::containing).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_time::{month as m, utc};

    fn t(s: &str) -> Threshold {
        Threshold::parse(s).unwrap()
    }

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap()
    }

    #[test]
    fn thresholds_are_positive_exact_decimals() {
        assert_eq!(t("100").quantity().micros(), 100_000_000);
        assert_eq!(t(" 0.5 ").quantity().micros(), 500_000);
        assert_eq!(t("0.000001").quantity().micros(), 1);
        assert_eq!(t("1000000000").quantity().micros(), MAX_UNITS * 1_000_000);
        assert_eq!(t("2.50").to_string(), "2.5");
    }

    #[test]
    fn bad_thresholds_say_why() {
        for (raw, why) in [
            ("0", ThresholdError::NotPositive),
            ("0.000000", ThresholdError::NotPositive),
            ("-5", ThresholdError::NotPositive),
            ("0.0000001", ThresholdError::TooPrecise),
            ("1000000000.000001", ThresholdError::TooLarge),
            ("1e30", ThresholdError::TooLarge),
            ("abc", ThresholdError::NotANumber),
            ("10 GB", ThresholdError::NotANumber),
            ("1,000", ThresholdError::NotANumber),
        ] {
            assert_eq!(Threshold::parse(raw), Err(why), "{raw}");
        }
        assert_eq!(Threshold::from_micros(0), Err(ThresholdError::NotPositive));
        assert_eq!(Threshold::from_micros(-1), Err(ThresholdError::NotPositive));
        assert_eq!(
            Threshold::from_micros(7).map(|t| t.quantity().micros()),
            Ok(7)
        );
    }

    #[test]
    fn each_error_has_its_own_code() {
        let codes: BTreeSet<&str> = [
            ThresholdError::NotANumber,
            ThresholdError::NotPositive,
            ThresholdError::TooPrecise,
            ThresholdError::TooLarge,
        ]
        .iter()
        .map(|e| e.code())
        .collect();
        assert_eq!(codes.len(), 4);
    }

    #[test]
    fn an_empty_field_removes_the_threshold() {
        assert_eq!(ThresholdChange::parse(""), Ok(ThresholdChange::Remove));
        assert_eq!(ThresholdChange::parse("   "), Ok(ThresholdChange::Remove));
        assert_eq!(
            ThresholdChange::parse("12"),
            Ok(ThresholdChange::Set(t("12")))
        );
        assert_eq!(
            ThresholdChange::parse("0"),
            Err(ThresholdError::NotPositive)
        );
    }

    #[test]
    fn reaching_the_threshold_is_a_crossing_one_millionth_below_is_not() {
        let month = m("2026-11");
        assert_eq!(crossing(month, t("100"), q("99.999999")), None);
        assert_eq!(
            crossing(month, t("100"), q("100")),
            Some(Crossing {
                month,
                threshold: t("100"),
                total: q("100")
            })
        );
        assert!(crossing(month, t("100"), q("250.5")).is_some());
        assert_eq!(crossing(month, t("0.5"), Quantity::ZERO), None);
    }

    #[test]
    fn one_alert_per_project_metric_month_and_threshold_value() {
        let nov = m("2026-11");
        let a = crossing(nov, t("100"), q("120")).unwrap();
        // More usage later in the month: the same key, so no second alert.
        let b = crossing(nov, t("100"), q("180")).unwrap();
        assert_eq!(alert_key(3, "ingest_gb", &a), alert_key(3, "ingest_gb", &b));
        assert_eq!(
            alert_key(3, "ingest_gb", &a),
            "usage_threshold:3:ingest_gb:2026-11:100000000"
        );
        // The next month, another metric, another project, or a raised threshold: new alerts.
        let dec = crossing(m("2026-12"), t("100"), q("100")).unwrap();
        let raised = crossing(nov, t("150"), q("180")).unwrap();
        let keys: BTreeSet<String> = [
            alert_key(3, "ingest_gb", &a),
            alert_key(3, "ingest_gb", &dec),
            alert_key(3, "agent_hours", &a),
            alert_key(4, "ingest_gb", &a),
            alert_key(3, "ingest_gb", &raised),
        ]
        .into_iter()
        .collect();
        assert_eq!(keys.len(), 5);
    }

    #[test]
    fn months_are_kst_months() {
        // 14:00Z on 30 November is 23:00 KST (November); 15:00Z is 00:00 KST on 1 December.
        let months = months_touched([
            utc("2026-11-30T14:00:00Z"),
            utc("2026-11-30T15:00:00Z"),
            utc("2026-11-02T00:00:00Z"),
        ]);
        assert_eq!(
            months.into_iter().collect::<Vec<_>>(),
            [m("2026-11"), m("2026-12")]
        );
        // New Year in KST, and the leap day of 2028 belongs to February.
        let ny = months_touched([utc("2026-12-31T15:00:00Z")]);
        assert_eq!(ny.into_iter().collect::<Vec<_>>(), [m("2027-01")]);
        let leap = months_touched([utc("2028-02-29T14:00:00Z"), utc("2028-02-29T15:00:00Z")]);
        assert_eq!(
            leap.into_iter().collect::<Vec<_>>(),
            [m("2028-02"), m("2028-03")]
        );
        assert!(months_touched(Vec::new()).is_empty());
    }
}
