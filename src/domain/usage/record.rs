//! One reported usage record, checked: the project and metric exist, the hour is a whole
//! hour with an offset and not more than an hour ahead, the quantity a sane decimal.
use super::quantity::{Quantity, QuantityError};
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use std::collections::HashMap;

/// A metric from the `usage_metrics` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metric {
    pub code: String,
    /// The most one hour can plausibly hold; more is a platform bug, refused as absurd.
    pub max_per_hour: Quantity,
}

/// What a batch is checked against: projects by domain prefix, and the metrics.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub projects: HashMap<String, i64>,
    pub metrics: HashMap<String, Metric>,
}

/// A record that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageRecord {
    pub project_id: i64,
    pub metric: String,
    /// The start of the hour, UTC.
    pub hour: DateTime<Utc>,
    pub quantity: Quantity,
}

/// Why a record was refused; `code()` is the stable code in the API answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// Not an object, or a field missing or of the wrong type.
    Malformed,
    UnknownProject,
    UnknownMetric,
    /// Not an RFC 3339 time with an offset.
    InvalidHour,
    NotOnTheHour,
    /// More than an hour ahead of the portal's clock.
    HourInFuture,
    NegativeQuantity,
    /// Above the metric's plausible maximum for one hour, or too large to hold.
    AbsurdQuantity,
    /// More than six decimal places.
    TooPrecise,
}

impl Rejection {
    pub fn code(self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::UnknownProject => "unknown_project",
            Self::UnknownMetric => "unknown_metric",
            Self::InvalidHour => "invalid_hour",
            Self::NotOnTheHour => "hour_not_on_the_hour",
            Self::HourInFuture => "hour_in_future",
            Self::NegativeQuantity => "negative_quantity",
            Self::AbsurdQuantity => "absurd_quantity",
            Self::TooPrecise => "too_precise",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::Malformed => {
                "A record is an object with string `project`, `metric`, `hour` and a number `quantity`."
            }
            Self::UnknownProject => "No project has this domain prefix.",
            Self::UnknownMetric => "No metric has this code.",
            Self::InvalidHour => "`hour` must be an RFC 3339 time with an offset.",
            Self::NotOnTheHour => "`hour` must be the start of an hour (minutes and seconds 0).",
            Self::HourInFuture => "`hour` is more than one hour ahead of the portal's clock.",
            Self::NegativeQuantity => "`quantity` must not be negative.",
            Self::AbsurdQuantity => "`quantity` is above what one hour of this metric can hold.",
            Self::TooPrecise => "`quantity` has more than six decimal places.",
        }
    }
}

/// The latest hour a record may name: the next hour starts at most an hour from now.
pub const FUTURE_ALLOWANCE_HOURS: i64 = 1;

pub fn check(raw: &Value, catalog: &Catalog, now: DateTime<Utc>) -> Result<UsageRecord, Rejection> {
    let obj = raw.as_object().ok_or(Rejection::Malformed)?;
    let text = |k: &str| obj.get(k).and_then(Value::as_str);
    let (Some(project), Some(metric), Some(hour)) = (text("project"), text("metric"), text("hour"))
    else {
        return Err(Rejection::Malformed);
    };
    let quantity_text = match obj.get("quantity") {
        Some(Value::Number(n)) => n.to_string(),
        // An exact decimal sent as a string is accepted too: JSON numbers may pass through floats.
        Some(Value::String(s)) => s.clone(),
        _ => return Err(Rejection::Malformed),
    };
    let project_id = *catalog
        .projects
        .get(project)
        .ok_or(Rejection::UnknownProject)?;
    let metric = catalog
        .metrics
        .get(metric)
        .ok_or(Rejection::UnknownMetric)?;
    let hour = parse_hour(hour, now)?;
    let quantity = Quantity::parse(&quantity_text).map_err(|e| match e {
        QuantityError::NotANumber => Rejection::Malformed,
        QuantityError::Negative => Rejection::NegativeQuantity,
        QuantityError::TooPrecise => Rejection::TooPrecise,
        QuantityError::TooLarge => Rejection::AbsurdQuantity,
    })?;
    if quantity > metric.max_per_hour {
        return Err(Rejection::AbsurdQuantity);
    }
    Ok(UsageRecord {
        project_id,
        metric: metric.code.clone(),
        hour,
        quantity,
    })
}

/// An RFC 3339 time with an offset, on a whole hour (of UTC, which is a whole hour of KST too),
/// at most `FUTURE_ALLOWANCE_HOURS` ahead of `now`.
pub fn parse_hour(raw: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, Rejection> {
    let t = DateTime::parse_from_rfc3339(raw.trim())
        .map_err(|_| Rejection::InvalidHour)?
        .with_timezone(&Utc);
    if t.timestamp().rem_euclid(3600) != 0 || t.timestamp_subsec_nanos() != 0 {
        return Err(Rejection::NotOnTheHour);
    }
    if t > now + Duration::hours(FUTURE_ALLOWANCE_HOURS) {
        return Err(Rejection::HourInFuture);
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-25T03:20:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn catalog() -> Catalog {
        let mut c = Catalog::default();
        c.projects.insert("shop".into(), 7);
        c.metrics.insert(
            "agent_hours".into(),
            Metric {
                code: "agent_hours".into(),
                max_per_hour: Quantity::parse("10000").unwrap(),
            },
        );
        c
    }

    fn rec(project: &str, metric: &str, hour: &str, quantity: Value) -> Value {
        json!({"project": project, "metric": metric, "hour": hour, "quantity": quantity})
    }

    #[test]
    fn a_good_record_is_taken_with_its_exact_quantity() {
        let r = check(
            &rec(
                "shop",
                "agent_hours",
                "2026-11-25T12:00:00+09:00",
                json!(12.5),
            ),
            &catalog(),
            now(),
        )
        .unwrap();
        assert_eq!(r.project_id, 7);
        assert_eq!(r.hour.to_rfc3339(), "2026-11-25T03:00:00+00:00");
        assert_eq!(r.quantity.micros(), 12_500_000);
        let s = check(
            &rec(
                "shop",
                "agent_hours",
                "2026-11-25T03:00:00Z",
                json!("0.000001"),
            ),
            &catalog(),
            now(),
        )
        .unwrap();
        assert_eq!(s.quantity.micros(), 1);
    }

    #[test]
    fn each_problem_has_its_code() {
        let c = catalog();
        let h = "2026-11-25T02:00:00Z";
        let cases = [
            (json!("not an object"), Rejection::Malformed),
            (
                json!({"project": "shop", "metric": "agent_hours", "hour": h}),
                Rejection::Malformed,
            ),
            (
                rec("shop", "agent_hours", h, json!(true)),
                Rejection::Malformed,
            ),
            (
                rec("shop", "agent_hours", h, json!("ten")),
                Rejection::Malformed,
            ),
            (
                rec("other", "agent_hours", h, json!(1)),
                Rejection::UnknownProject,
            ),
            (rec("shop", "cpu", h, json!(1)), Rejection::UnknownMetric),
            (
                rec("shop", "agent_hours", "2026-11-25 02:00", json!(1)),
                Rejection::InvalidHour,
            ),
            (
                rec("shop", "agent_hours", "2026-11-25T02:00:00", json!(1)),
                Rejection::InvalidHour,
            ),
            (
                rec("shop", "agent_hours", "2026-11-25T02:30:00Z", json!(1)),
                Rejection::NotOnTheHour,
            ),
            (
                rec("shop", "agent_hours", "2026-11-25T02:00:01Z", json!(1)),
                Rejection::NotOnTheHour,
            ),
            (
                rec("shop", "agent_hours", "2026-11-25T02:00:00.5Z", json!(1)),
                Rejection::NotOnTheHour,
            ),
            // India is +05:30: its whole hours are not whole hours of UTC or KST.
            (
                rec("shop", "agent_hours", "2026-11-25T08:00:00+05:30", json!(1)),
                Rejection::NotOnTheHour,
            ),
            (
                rec("shop", "agent_hours", "2026-11-25T05:00:00Z", json!(1)),
                Rejection::HourInFuture,
            ),
            (
                rec("shop", "agent_hours", h, json!(-1)),
                Rejection::NegativeQuantity,
            ),
            (
                rec("shop", "agent_hours", h, json!(10000.000001)),
                Rejection::AbsurdQuantity,
            ),
            (
                rec("shop", "agent_hours", h, json!(1e300)),
                Rejection::AbsurdQuantity,
            ),
            (
                rec("shop", "agent_hours", h, json!("0.0000001")),
                Rejection::TooPrecise,
            ),
        ];
        for (raw, want) in cases {
            assert_eq!(check(&raw, &c, now()), Err(want), "{raw}");
        }
    }

    #[test]
    fn the_next_hour_is_allowed_but_not_the_one_after() {
        // now is 03:20 UTC: 04:00 starts within the hour, 05:00 does not.
        assert!(parse_hour("2026-11-25T04:00:00Z", now()).is_ok());
        assert!(parse_hour("2026-11-25T13:00:00+09:00", now()).is_ok());
        assert_eq!(
            parse_hour("2026-11-25T05:00:00Z", now()),
            Err(Rejection::HourInFuture)
        );
        let exactly = DateTime::parse_from_rfc3339("2026-11-25T04:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert!(parse_hour("2026-11-25T05:00:00Z", exactly).is_ok());
    }

    #[test]
    fn the_maximum_itself_is_allowed() {
        assert!(
            check(
                &rec("shop", "agent_hours", "2026-11-25T02:00:00Z", json!(10000)),
                &catalog(),
                now()
            )
            .is_ok()
        );
    }

    #[test]
    fn codes_are_distinct() {
        let all = [
            Rejection::Malformed,
            Rejection::UnknownProject,
            Rejection::UnknownMetric,
            Rejection::InvalidHour,
            Rejection::NotOnTheHour,
            Rejection::HourInFuture,
            Rejection::NegativeQuantity,
            Rejection::AbsurdQuantity,
            Rejection::TooPrecise,
        ];
        let codes: std::collections::HashSet<_> = all.iter().map(|r| r.code()).collect();
        assert_eq!(codes.len(), all.len());
    }
}
