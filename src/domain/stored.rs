//! Values read back from storage. An unknown stored code is an error, never a default: a plan
//! that silently became `free` would let the lifecycle job expire a paying project.
use super::language::Language;
use super::lifecycle::LifecycleState;
use super::plan::{Plan, TargetKind};
use serde::{Deserialize, Serialize};

/// A stored value that no version of the portal writes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown stored {what}: {value:?}")]
pub struct UnknownStoredValue {
    pub what: &'static str,
    pub value: String,
}

fn decode<T>(
    what: &'static str,
    value: String,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, UnknownStoredValue> {
    parse(&value).ok_or(UnknownStoredValue { what, value })
}

impl TryFrom<String> for Plan {
    type Error = UnknownStoredValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        decode("plan", value, Plan::from_code)
    }
}

impl TryFrom<String> for Language {
    type Error = UnknownStoredValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        decode("language", value, Language::from_code)
    }
}

impl TryFrom<String> for LifecycleState {
    type Error = UnknownStoredValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        decode("lifecycle state", value, LifecycleState::from_code)
    }
}

impl TryFrom<String> for TargetKind {
    type Error = UnknownStoredValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        decode("target kind", value, TargetKind::from_code)
    }
}

/// A yes/no column (BIGINT 0 or 1: `sqlx::Any` has no portable boolean).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flag(pub bool);

impl TryFrom<i64> for Flag {
    type Error = UnknownStoredValue;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        match value {
            0 => Ok(Flag(false)),
            1 => Ok(Flag(true)),
            v => Err(UnknownStoredValue {
                what: "flag",
                value: v.to_string(),
            }),
        }
    }
}

/// A project's id. Its own type so that a user id cannot be passed where a project's is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProjectId(pub i64);

/// A user's (customer's or staff member's) id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

impl From<i64> for ProjectId {
    fn from(v: i64) -> Self {
        Self(v)
    }
}

impl From<i64> for UserId {
    fn from(v: i64) -> Self {
        Self(v)
    }
}

impl std::fmt::Display for ProjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_decode_and_unknown_ones_are_errors() {
        assert_eq!(Plan::try_from("paid".to_string()), Ok(Plan::Paid));
        assert_eq!(Plan::try_from("free".to_string()), Ok(Plan::Free));
        for bad in ["", "Paid", "enterprise", " free"] {
            assert!(Plan::try_from(bad.to_string()).is_err(), "{bad:?}");
        }
        assert_eq!(
            LifecycleState::try_from("collection_stopped".to_string()),
            Ok(LifecycleState::CollectionStopped)
        );
        assert!(LifecycleState::try_from("paused".to_string()).is_err());
        assert_eq!(TargetKind::try_from("url".to_string()), Ok(TargetKind::Url));
        assert!(TargetKind::try_from("ftp".to_string()).is_err());
    }

    #[test]
    fn flags_are_zero_or_one_only() {
        assert_eq!(Flag::try_from(0), Ok(Flag(false)));
        assert_eq!(Flag::try_from(1), Ok(Flag(true)));
        assert!(Flag::try_from(2).is_err());
        assert!(Flag::try_from(-1).is_err());
    }

    #[test]
    fn ids_serialise_as_plain_numbers() {
        assert_eq!(serde_json::to_string(&ProjectId(7)).ok(), Some("7".into()));
        assert_eq!(serde_json::from_str::<UserId>("9").ok(), Some(UserId(9)));
    }
}
