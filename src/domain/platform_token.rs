//! Platform tokens: the monitoring platform's credentials for machine-to-machine endpoints.
//!
//! A platform token is not a person: it has no account, no session and no customer, and it
//! opens exactly one group of endpoints (its scope). Who may call what is decided here, from
//! what the server found for the presented secret, so the rule is testable without HTTP.

/// The group of endpoints a platform token opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Scope {
    /// `POST /api/v1/usage`: the platform reports hourly usage.
    Usage,
    /// The SLA work's probe results.
    Probes,
}

impl Scope {
    pub const ALL: [Scope; 2] = [Self::Usage, Self::Probes];

    pub fn code(self) -> &'static str {
        match self {
            Self::Usage => "usage",
            Self::Probes => "probes",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        Self::ALL.into_iter().find(|s| s.code() == raw)
    }
}

/// What the server found for the secret in the `Authorization` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presented {
    /// No bearer secret of the platform kind (nothing, a session cookie, a personal token).
    Nothing,
    /// A platform secret no live token has: unknown, or revoked.
    UnknownOrRevoked,
    /// A live platform token of this scope.
    Live { token_id: i64, scope: Scope },
}

/// The answer to a call on an endpoint of `required` scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlatformAccess {
    Granted {
        token_id: i64,
    },
    /// 401: no platform token, or one that does not work (any more).
    Unauthenticated,
    /// 403: a working platform token, for other endpoints.
    WrongScope,
}

pub fn access(presented: Presented, required: Scope) -> PlatformAccess {
    match presented {
        Presented::Nothing | Presented::UnknownOrRevoked => PlatformAccess::Unauthenticated,
        Presented::Live { token_id, scope } if scope == required => {
            PlatformAccess::Granted { token_id }
        }
        Presented::Live { .. } => PlatformAccess::WrongScope,
    }
}

/// Platform secrets start with this, personal tokens with `apm_`: neither is ever taken for
/// the other, and a leaked secret says which kind it is.
pub const SECRET_PREFIX: &str = "apmp_";

/// A bearer value that could be a platform secret (the rest is decided by the lookup).
pub fn looks_like_secret(bearer: &str) -> bool {
    bearer.starts_with(SECRET_PREFIX)
        && bearer.len() < 200
        && bearer[SECRET_PREFIX.len()..]
            .chars()
            .all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_from_their_codes_only() {
        assert_eq!(Scope::parse("usage"), Some(Scope::Usage));
        assert_eq!(Scope::parse(" probes "), Some(Scope::Probes));
        for bad in ["", "Usage", "all", "usage,probes", "admin"] {
            assert_eq!(Scope::parse(bad), None, "{bad}");
        }
        for s in Scope::ALL {
            assert_eq!(Scope::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn a_token_opens_only_its_own_scope() {
        let usage = Presented::Live {
            token_id: 7,
            scope: Scope::Usage,
        };
        assert_eq!(
            access(usage, Scope::Usage),
            PlatformAccess::Granted { token_id: 7 }
        );
        assert_eq!(access(usage, Scope::Probes), PlatformAccess::WrongScope);
        let probes = Presented::Live {
            token_id: 8,
            scope: Scope::Probes,
        };
        assert_eq!(access(probes, Scope::Usage), PlatformAccess::WrongScope);
    }

    #[test]
    fn no_token_or_a_dead_one_is_unauthenticated() {
        for p in [Presented::Nothing, Presented::UnknownOrRevoked] {
            for s in Scope::ALL {
                assert_eq!(access(p, s), PlatformAccess::Unauthenticated);
            }
        }
    }

    #[test]
    fn personal_tokens_do_not_look_like_platform_secrets() {
        assert!(looks_like_secret("apmp_0123abcdef"));
        assert!(!looks_like_secret("apm_0123abcdef"));
        assert!(!looks_like_secret("apmp_not-hex"));
        assert!(!looks_like_secret(&format!("apmp_{}", "a".repeat(300))));
        assert!(!looks_like_secret("session-cookie-value"));
    }
}
