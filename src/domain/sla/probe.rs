//! One probe result as the provider's external probes report it, checked: a known project,
//! a location id, a time with an offset not ahead of the portal's clock, the outcome, and
//! optional latency and error text within bounds.
use super::outages::MinuteCounts;
use super::span::minute_of;
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// A result may be stamped this far ahead of the portal's clock (probe clocks drift).
pub const FUTURE_ALLOWANCE: Duration = Duration::minutes(5);
/// Results older than this are refused: no statement could still use them for a revision.
pub const MAX_AGE: Duration = Duration::days(400);
pub const MAX_LOCATION_LEN: usize = 64;
pub const MAX_ERROR_LEN: usize = 1_000;
/// Ten minutes: a probe waits far less before calling the attempt failed.
pub const MAX_LATENCY_MS: i64 = 600_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeResult {
    pub project_id: i64,
    pub location: String,
    pub at: DateTime<Utc>,
    pub ok: bool,
    pub latency_ms: Option<i64>,
    pub error: Option<String>,
}

/// Why a result was refused; `code()` is the stable code in the API answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// Not an object, or a field missing or of the wrong type.
    Malformed,
    UnknownProject,
    /// Empty, too long, or not made of `a-z`, `0-9`, `-`, `_`, `.`.
    InvalidLocation,
    /// Not an RFC 3339 time with an offset.
    InvalidTime,
    TimeInFuture,
    TimeTooOld,
    /// Negative, fractional or above ten minutes.
    InvalidLatency,
    ErrorTooLong,
}

impl Rejection {
    pub fn code(self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::UnknownProject => "unknown_project",
            Self::InvalidLocation => "invalid_location",
            Self::InvalidTime => "invalid_time",
            Self::TimeInFuture => "time_in_future",
            Self::TimeTooOld => "time_too_old",
            Self::InvalidLatency => "invalid_latency",
            Self::ErrorTooLong => "error_too_long",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::Malformed => {
                "A result is an object with string `project`, `location`, `at` and boolean `ok`; `latency_ms` (integer) and `error` (string) are optional."
            }
            Self::UnknownProject => "No project has this domain prefix.",
            Self::InvalidLocation => "`location` is 1-64 characters of a-z, 0-9, '-', '_' and '.'.",
            Self::InvalidTime => "`at` must be an RFC 3339 time with an offset.",
            Self::TimeInFuture => "`at` is more than 5 minutes ahead of the portal's clock.",
            Self::TimeTooOld => "`at` is more than 400 days in the past.",
            Self::InvalidLatency => "`latency_ms` must be a whole number from 0 to 600000.",
            Self::ErrorTooLong => "`error` is longer than 1000 characters.",
        }
    }
}

pub fn check(
    raw: &Value,
    projects: &HashMap<String, i64>,
    now: DateTime<Utc>,
) -> Result<ProbeResult, Rejection> {
    let obj = raw.as_object().ok_or(Rejection::Malformed)?;
    let text = |k: &str| obj.get(k).and_then(Value::as_str);
    let (Some(project), Some(location), Some(at), Some(ok)) = (
        text("project"),
        text("location"),
        text("at"),
        obj.get("ok").and_then(Value::as_bool),
    ) else {
        return Err(Rejection::Malformed);
    };
    let latency_ms = match obj.get("latency_ms") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(
            n.as_i64()
                .filter(|v| (0..=MAX_LATENCY_MS).contains(v))
                .ok_or(Rejection::InvalidLatency)?,
        ),
        Some(_) => return Err(Rejection::Malformed),
    };
    let error = match obj.get("error") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.chars().count() > MAX_ERROR_LEN => {
            return Err(Rejection::ErrorTooLong);
        }
        Some(Value::String(s)) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Some(_) => return Err(Rejection::Malformed),
    };
    let project_id = *projects.get(project).ok_or(Rejection::UnknownProject)?;
    let location = location.trim();
    if location.is_empty()
        || location.len() > MAX_LOCATION_LEN
        || !location
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
    {
        return Err(Rejection::InvalidLocation);
    }
    let at = DateTime::parse_from_rfc3339(at.trim())
        .map_err(|_| Rejection::InvalidTime)?
        .with_timezone(&Utc);
    if at > now + FUTURE_ALLOWANCE {
        return Err(Rejection::TimeInFuture);
    }
    if at < now - MAX_AGE {
        return Err(Rejection::TimeTooOld);
    }
    Ok(ProbeResult {
        project_id,
        location: location.to_string(),
        at,
        ok,
        latency_ms,
        error,
    })
}

/// Results counted per project and minute: what the roll-up adds for a batch of new results.
pub fn per_minute(results: &[ProbeResult]) -> BTreeMap<(i64, i64), MinuteCounts> {
    let mut out: BTreeMap<(i64, i64), MinuteCounts> = BTreeMap::new();
    for r in results {
        let c = out.entry((r.project_id, minute_of(r.at))).or_default();
        if r.ok {
            c.ok += 1;
        } else {
            c.failed += 1;
        }
    }
    out
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

    fn projects() -> HashMap<String, i64> {
        HashMap::from([("shop".to_string(), 7)])
    }

    fn result(v: Value) -> Result<ProbeResult, Rejection> {
        check(&v, &projects(), now())
    }

    #[test]
    fn a_good_result_is_taken_in_utc() {
        let r = result(json!({"project": "shop", "location": "seoul-1", "at": "2026-11-25T12:19:30+09:00", "ok": false, "latency_ms": 3000, "error": " timeout "})).unwrap();
        assert_eq!(r.project_id, 7);
        assert_eq!(r.at.to_rfc3339(), "2026-11-25T03:19:30+00:00");
        assert!(!r.ok);
        assert_eq!(r.latency_ms, Some(3000));
        assert_eq!(r.error.as_deref(), Some("timeout"));
        let bare = result(json!({"project": "shop", "location": "busan", "at": "2026-11-25T03:00:00Z", "ok": true})).unwrap();
        assert_eq!((bare.latency_ms, bare.error), (None, None));
    }

    #[test]
    fn each_bad_field_has_its_own_code() {
        let base = json!({"project": "shop", "location": "seoul-1", "at": "2026-11-25T03:00:00Z", "ok": true});
        let with = |k: &str, v: Value| {
            let mut x = base.clone();
            x[k] = v;
            result(x).unwrap_err().code()
        };
        assert_eq!(result(json!([1])).unwrap_err().code(), "malformed");
        assert_eq!(with("ok", json!("yes")), "malformed");
        assert_eq!(with("project", json!(5)), "malformed");
        assert_eq!(with("project", json!("nope")), "unknown_project");
        assert_eq!(with("location", json!("")), "invalid_location");
        assert_eq!(with("location", json!("Seoul 1")), "invalid_location");
        assert_eq!(with("location", json!("x".repeat(65))), "invalid_location");
        assert_eq!(with("at", json!("2026-11-25 03:00")), "invalid_time");
        assert_eq!(
            with("at", json!("2026-11-25T03:00:00")),
            "invalid_time",
            "no offset"
        );
        assert_eq!(with("at", json!("2026-11-25T03:25:01Z")), "time_in_future");
        assert_eq!(with("at", json!("2025-10-01T00:00:00Z")), "time_too_old");
        assert_eq!(with("latency_ms", json!(-1)), "invalid_latency");
        assert_eq!(with("latency_ms", json!(1.5)), "invalid_latency");
        assert_eq!(with("latency_ms", json!(600_001)), "invalid_latency");
        assert_eq!(with("latency_ms", json!("5")), "malformed");
        assert_eq!(with("error", json!("e".repeat(1001))), "error_too_long");
        assert_eq!(with("error", json!(3)), "malformed");
        // Five minutes ahead exactly is still taken (probe clocks drift).
        assert!(result(json!({"project": "shop", "location": "a", "at": "2026-11-25T03:25:00Z", "ok": true})).is_ok());
    }

    #[test]
    fn results_are_counted_per_project_and_minute() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let r = |p: i64, t: &str, ok: bool| ProbeResult {
            project_id: p,
            location: "a".into(),
            at: at(t),
            ok,
            latency_ms: None,
            error: None,
        };
        let counts = per_minute(&[
            r(1, "2026-11-25T03:00:00Z", true),
            r(1, "2026-11-25T03:00:59Z", false),
            r(1, "2026-11-25T03:01:00Z", false),
            r(2, "2026-11-25T03:00:10Z", false),
        ]);
        let m = minute_of(at("2026-11-25T03:00:00Z"));
        assert_eq!(counts[&(1, m)], MinuteCounts { ok: 1, failed: 1 });
        assert_eq!(counts[&(1, m + 1)], MinuteCounts { ok: 0, failed: 1 });
        assert_eq!(counts[&(2, m)], MinuteCounts { ok: 0, failed: 1 });
        assert_eq!(counts.len(), 3);
    }
}
