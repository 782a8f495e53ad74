//! Monitoring targets (R5.1): what kind of thing, a name for people, and the detail the probe
//! needs, checked per kind (URLs against `domain::address`).
use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
