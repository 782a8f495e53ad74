//! Free and paid plans (R2.1, R2.2), monitoring targets and capacity (R5.1).
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Plan {
    Free,
    Paid,
}

impl Plan {
    pub fn code(self) -> &'static str {
        match self {
            Self::Free => "free",
            Self::Paid => "paid",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "free" => Some(Self::Free),
            "paid" => Some(Self::Paid),
            _ => None,
        }
    }
}

pub const FREE_TRIAL_DAYS: i64 = 15;
pub const DEFAULT_FREE_TARGET_LIMIT: u32 = 5;

/// 15 days (plus any extension staff granted) after creation, to the millisecond: KST has
/// no daylight saving, so "15 days later" is the same wall-clock time 15 dates later.
pub fn trial_ends_at(created_at: DateTime<Utc>, extension_days: i64) -> DateTime<Utc> {
    created_at + Duration::days(FREE_TRIAL_DAYS + extension_days.max(0))
}

/// Whole days left, rounded up (14 days and an hour left shows "15 days"); 0 once past.
pub fn days_left(ends_at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let left = ends_at - now;
    if left <= Duration::zero() {
        return 0;
    }
    let day = Duration::days(1).num_milliseconds();
    (left.num_milliseconds() + day - 1) / day
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetLimitError {
    FreePlanLimitReached { limit: u32 },
}

pub fn check_can_add_target(
    plan: Plan,
    current: u32,
    free_limit: u32,
) -> Result<(), TargetLimitError> {
    match plan {
        Plan::Paid => Ok(()),
        Plan::Free if current < free_limit => Ok(()),
        Plan::Free => Err(TargetLimitError::FreePlanLimitReached { limit: free_limit }),
    }
}

/// None: no limit.
pub fn targets_left(plan: Plan, current: u32, free_limit: u32) -> Option<u32> {
    match plan {
        Plan::Paid => None,
        Plan::Free => Some(free_limit.saturating_sub(current)),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetKind {
    Was,
    WebServer,
    System,
    Url,
    Kubernetes,
}

impl TargetKind {
    pub const ALL: [TargetKind; 5] = [
        Self::Was,
        Self::WebServer,
        Self::System,
        Self::Url,
        Self::Kubernetes,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Was => "was",
            Self::WebServer => "web_server",
            Self::System => "system",
            Self::Url => "url",
            Self::Kubernetes => "kubernetes",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetError {
    NameEmpty,
    NameTooLong,
    DetailEmpty,
    DetailInvalid {
        kind: TargetKind,
    },
    DetailTooLong,
    /// Not one of the kinds we monitor (only a tampered form sends one).
    KindUnknown,
}

impl TargetError {
    /// The request field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::NameEmpty | Self::NameTooLong => "name",
            Self::DetailEmpty | Self::DetailInvalid { .. } | Self::DetailTooLong => "detail",
            Self::KindUnknown => "kind",
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::NameEmpty => "name_empty",
            Self::NameTooLong => "name_too_long",
            Self::DetailEmpty => "detail_empty",
            Self::DetailInvalid { .. } => "detail_invalid",
            Self::DetailTooLong => "detail_too_long",
            Self::KindUnknown => "kind_invalid",
        }
    }
}

/// A monitoring target: what kind of thing, a name for people, and the detail the probe
/// needs (a URL to call, a host to reach, a cluster to watch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetSpec {
    pub kind: TargetKind,
    pub name: String,
    pub detail: String,
}

/// A target's name for people: 1-100 characters, no control characters.
pub fn parse_target_name(raw: &str) -> Result<String, TargetError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().any(char::is_control) {
        Err(TargetError::NameEmpty)
    } else if name.chars().count() > 100 {
        Err(TargetError::NameTooLong)
    } else {
        Ok(name.to_string())
    }
}

impl TargetSpec {
    pub fn parse(kind: TargetKind, name: &str, detail: &str) -> Result<Self, Vec<TargetError>> {
        let mut errors = Vec::new();
        let name = parse_target_name(name)
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let detail = detail.trim();
        let max = if kind == TargetKind::Url { 2000 } else { 253 };
        if detail.is_empty() {
            errors.push(TargetError::DetailEmpty);
        } else if detail.len() > max {
            errors.push(TargetError::DetailTooLong);
        } else {
            let ok = match kind {
                TargetKind::Url => valid_url(detail),
                TargetKind::Was | TargetKind::WebServer | TargetKind::System => {
                    valid_host_port(detail)
                }
                TargetKind::Kubernetes => valid_label(detail),
            };
            if !ok {
                errors.push(TargetError::DetailInvalid { kind });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let detail = match kind {
            TargetKind::Url => detail.to_string(),
            _ => detail.to_ascii_lowercase(),
        };
        Ok(Self { kind, name, detail })
    }
}

fn valid_label(s: &str) -> bool {
    (1..=63).contains(&s.len())
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn valid_hostname(h: &str) -> bool {
    let h = h.to_ascii_lowercase();
    !h.is_empty()
        && h.len() <= 253
        && h.split('.').all(|l| {
            (1..=63).contains(&l.len())
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

fn valid_ipv4(h: &str) -> bool {
    h.parse::<std::net::Ipv4Addr>().is_ok()
}

fn valid_port(p: &str) -> bool {
    !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) && p.parse::<u16>().is_ok_and(|n| n >= 1)
}

fn valid_host_port(s: &str) -> bool {
    let (host, port) = match s.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (s, None),
    };
    (valid_ipv4(host) || valid_hostname(host)) && port.is_none_or(valid_port)
}

/// An absolute http(s) URL with a real, public host; written by hand because the rule is
/// small and stricter than a URL parser (which would accept `http://127.1/`).
fn valid_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let rest = match lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    {
        Some(r) => r,
        None => return false,
    };
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        // Credentials in a monitored URL would be stored and shown in clear text.
        return false;
    }
    // An IPv6 literal is bracketed and full of colons; the port follows the bracket.
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !p.contains(']') => (h, Some(p)),
        _ => (authority, None),
    };
    if !port.is_none_or(valid_port) || !super::address::public_url_host(host) {
        return false;
    }
    if host.starts_with('[') {
        return true;
    }
    // A host the cloud probe can reach has a dot in it ("localhost" or "intranet" do not).
    (valid_ipv4(host) || valid_hostname(host)) && host.contains('.')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capacity {
    pub ingest_gb_per_day: u32,
    pub storage_gb: u32,
    pub extended_retention: bool,
    pub remote_support: bool,
}

impl Capacity {
    pub const FREE_DEFAULT: Capacity = Capacity {
        ingest_gb_per_day: 1,
        storage_gb: 10,
        extended_retention: false,
        remote_support: false,
    };
    pub const PAID_DEFAULT: Capacity = Capacity {
        ingest_gb_per_day: 10,
        storage_gb: 100,
        extended_retention: false,
        remote_support: false,
    };
}

pub const INGEST_RANGE: (u32, u32) = (1, 10_000);
pub const STORAGE_RANGE: (u32, u32) = (10, 100_000);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CapacityError {
    IngestOutOfRange {
        min: u32,
        max: u32,
    },
    StorageOutOfRange {
        min: u32,
        max: u32,
    },
    NotPaid,
    NoChange,
    /// Access to the project has stopped (trial over or payment overdue).
    ProjectInactive,
}

impl CapacityError {
    /// The request field the error is about (API error bodies name it).
    pub fn field(&self) -> &'static str {
        match self {
            Self::IngestOutOfRange { .. } => "ingest_gb_per_day",
            Self::StorageOutOfRange { .. } => "storage_gb",
            Self::NotPaid | Self::NoChange | Self::ProjectInactive => "capacity",
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::IngestOutOfRange { .. } => "ingest_out_of_range",
            Self::StorageOutOfRange { .. } => "storage_out_of_range",
            Self::NotPaid => "not_paid",
            Self::NoChange => "no_change",
            Self::ProjectInactive => "project_inactive",
        }
    }
}

pub fn validate_capacity(c: &Capacity) -> Result<(), Vec<CapacityError>> {
    let mut errors = Vec::new();
    if !(INGEST_RANGE.0..=INGEST_RANGE.1).contains(&c.ingest_gb_per_day) {
        errors.push(CapacityError::IngestOutOfRange {
            min: INGEST_RANGE.0,
            max: INGEST_RANGE.1,
        });
    }
    if !(STORAGE_RANGE.0..=STORAGE_RANGE.1).contains(&c.storage_gb) {
        errors.push(CapacityError::StorageOutOfRange {
            min: STORAGE_RANGE.0,
            max: STORAGE_RANGE.1,
        });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Capacity and options are a paid-plan matter (R5.1); a request must change something.
pub fn check_capacity_change(
    plan: Plan,
    current: &Capacity,
    requested: &Capacity,
) -> Result<(), Vec<CapacityError>> {
    if plan != Plan::Paid {
        return Err(vec![CapacityError::NotPaid]);
    }
    validate_capacity(requested)?;
    if current == requested {
        return Err(vec![CapacityError::NoChange]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn trial_is_fifteen_days_plus_extensions() {
        let created = Utc.with_ymd_and_hms(2024, 2, 20, 3, 0, 0).unwrap();
        assert_eq!(
            trial_ends_at(created, 0),
            Utc.with_ymd_and_hms(2024, 3, 6, 3, 0, 0).unwrap(),
            "across Feb 29"
        );
        assert_eq!(
            trial_ends_at(created, 7),
            Utc.with_ymd_and_hms(2024, 3, 13, 3, 0, 0).unwrap()
        );
        assert_eq!(
            trial_ends_at(created, -3),
            trial_ends_at(created, 0),
            "no negative extension"
        );
    }

    #[test]
    fn days_left_rounds_up_and_stops_at_zero() {
        let end = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap();
        assert_eq!(days_left(end, end - Duration::days(15)), 15);
        assert_eq!(
            days_left(end, end - Duration::days(14) - Duration::hours(1)),
            15
        );
        assert_eq!(days_left(end, end - Duration::milliseconds(1)), 1);
        assert_eq!(days_left(end, end), 0);
        assert_eq!(days_left(end, end + Duration::days(3)), 0);
    }

    #[test]
    fn free_target_limit() {
        assert_eq!(check_can_add_target(Plan::Free, 4, 5), Ok(()));
        assert_eq!(
            check_can_add_target(Plan::Free, 5, 5),
            Err(TargetLimitError::FreePlanLimitReached { limit: 5 })
        );
        assert_eq!(
            check_can_add_target(Plan::Free, 9, 5),
            Err(TargetLimitError::FreePlanLimitReached { limit: 5 })
        );
        assert_eq!(check_can_add_target(Plan::Paid, 500, 5), Ok(()));
        assert_eq!(targets_left(Plan::Free, 3, 5), Some(2));
        assert_eq!(targets_left(Plan::Free, 7, 5), Some(0));
        assert_eq!(targets_left(Plan::Paid, 7, 5), None);
    }

    #[test]
    fn target_details_per_kind() {
        let ok = |k, d| TargetSpec::parse(k, "n", d).is_ok();
        assert!(ok(TargetKind::Url, "https://shop.example.com/health?x=1"));
        assert!(ok(TargetKind::Url, "http://203.0.113.7:8080/ping"));
        assert!(ok(TargetKind::Url, "https://[2606:4700:4700::1111]/"));
        assert!(ok(TargetKind::Url, "http://[2606:4700:4700::1111]:8080/x"));
        assert!(ok(TargetKind::Url, "https://status.example.com:8443"));
        // Our own network is off limits to the cloud probe.
        for internal in [
            "http://10.0.0.1:8080/ping",
            "http://127.0.0.1/",
            "http://169.254.169.254/latest/meta-data",
            "http://192.168.0.10/",
            "http://172.16.5.4/",
            "http://100.64.0.1/",
            "http://0.0.0.0/",
            "http://127.1/",
            "http://0x7f.0.0.1/",
            "http://0177.0.0.1/",
            "http://127.000.000.001/",
            "http://169.254.43518/latest/meta-data",
            "http://2130706433/",
            "http://metadata.google.internal/computeMetadata/v1/",
            "http://printer.local/",
            "http://app.localhost:3000/",
            "https://db.internal:5432",
            "http://198.18.0.1/",
            "http://224.0.0.1/",
            "http://240.0.0.1/",
            "http://[::1]/",
            "http://[::1]:8080/",
            "http://[fe80::1]/",
            "http://[fd00::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:a9fe:a9fe]/",
            "http://::1/",
            "http://[::1/",
        ] {
            assert!(!ok(TargetKind::Url, internal), "{internal}");
        }
        // Agents run inside the customer's network, so private hosts are fine there.
        assert!(ok(TargetKind::System, "10.0.0.1:22"));
        assert!(!ok(TargetKind::Url, "ftp://shop.example.com"));
        assert!(!ok(TargetKind::Url, "https://user:pw@shop.example.com"));
        assert!(!ok(TargetKind::Url, "https://"));
        assert!(!ok(TargetKind::Url, "https://shop example.com"));
        assert!(ok(TargetKind::Was, "app01.example.com:8080"));
        assert!(ok(TargetKind::System, "192.168.0.10"));
        assert!(ok(TargetKind::WebServer, "web-01"));
        assert!(!ok(TargetKind::System, "host:0"));
        assert!(!ok(TargetKind::System, "host:65536"));
        assert!(!ok(TargetKind::System, "-bad.example.com"));
        assert!(ok(TargetKind::Kubernetes, "prod-cluster-1"));
        assert!(!ok(TargetKind::Kubernetes, "Prod_Cluster"));
        assert_eq!(
            TargetSpec::parse(TargetKind::System, "DB", "DB01.Example.COM")
                .unwrap()
                .detail,
            "db01.example.com"
        );
    }

    #[test]
    fn target_names_and_lengths() {
        assert_eq!(
            TargetSpec::parse(TargetKind::Url, " ", "").unwrap_err(),
            vec![TargetError::NameEmpty, TargetError::DetailEmpty]
        );
        assert!(TargetSpec::parse(TargetKind::Url, &"가".repeat(100), "https://a.kr").is_ok());
        assert_eq!(
            TargetSpec::parse(TargetKind::Url, &"가".repeat(101), "https://a.kr").unwrap_err(),
            vec![TargetError::NameTooLong]
        );
        let long = format!("https://a.kr/{}", "x".repeat(2000));
        assert_eq!(
            TargetSpec::parse(TargetKind::Url, "n", &long).unwrap_err(),
            vec![TargetError::DetailTooLong]
        );
        assert_eq!(
            TargetSpec::parse(TargetKind::Url, "n", "nope").unwrap_err(),
            vec![TargetError::DetailInvalid {
                kind: TargetKind::Url
            }]
        );
    }

    #[test]
    fn capacity_changes() {
        let cur = Capacity::PAID_DEFAULT;
        let up = Capacity {
            ingest_gb_per_day: 50,
            ..cur
        };
        assert_eq!(check_capacity_change(Plan::Paid, &cur, &up), Ok(()));
        assert_eq!(
            check_capacity_change(Plan::Free, &cur, &up),
            Err(vec![CapacityError::NotPaid])
        );
        assert_eq!(
            check_capacity_change(Plan::Paid, &cur, &cur),
            Err(vec![CapacityError::NoChange])
        );
        let bad = Capacity {
            ingest_gb_per_day: 0,
            storage_gb: 100_001,
            ..cur
        };
        assert_eq!(
            check_capacity_change(Plan::Paid, &cur, &bad),
            Err(vec![
                CapacityError::IngestOutOfRange {
                    min: 1,
                    max: 10_000
                },
                CapacityError::StorageOutOfRange {
                    min: 10,
                    max: 100_000
                }
            ])
        );
        let edges = Capacity {
            ingest_gb_per_day: 10_000,
            storage_gb: 10,
            ..cur
        };
        assert_eq!(validate_capacity(&edges), Ok(()));
        let options_only = Capacity {
            remote_support: true,
            ..cur
        };
        assert_eq!(
            check_capacity_change(Plan::Paid, &cur, &options_only),
            Ok(())
        );
    }
}
