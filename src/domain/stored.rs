//! Values read back from storage. An unknown stored code is an error, never a default: a plan
//! that silently became `free` would let the lifecycle job expire a paying project.
use super::language::Language;
use super::lifecycle::LifecycleState;
use super::plan::{Plan, TargetKind};
use chrono::{DateTime, NaiveDate, Utc};
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

/// A moment stored as milliseconds since the Unix epoch (BIGINT). One outside chrono's range
/// is an error: a project whose creation time became 1970 would look long expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct StoredInstant(pub DateTime<Utc>);

impl TryFrom<i64> for StoredInstant {
    type Error = UnknownStoredValue;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        DateTime::from_timestamp_millis(value)
            .map(StoredInstant)
            .ok_or(UnknownStoredValue {
                what: "instant",
                value: value.to_string(),
            })
    }
}

/// A calendar day stored as `YYYY-MM-DD`, NULL when there is none. A malformed day is an
/// error: read as "none", a missed payment would silently stop the collection steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StoredDay(pub Option<NaiveDate>);

impl StoredDay {
    /// The stored form, as `set_missed_payment` writes it and `apply_due` compares it.
    pub fn code(&self) -> String {
        self.0
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    }
}

impl TryFrom<Option<String>> for StoredDay {
    type Error = UnknownStoredValue;
    fn try_from(value: Option<String>) -> Result<Self, Self::Error> {
        match value {
            None => Ok(StoredDay(None)),
            Some(v) => match NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
                // Only the canonical form: `2026-1-5` would compare unequal in `apply_due`.
                Ok(d) if d.format("%Y-%m-%d").to_string() == v => Ok(StoredDay(Some(d))),
                _ => Err(UnknownStoredValue {
                    what: "day",
                    value: v,
                }),
            },
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

/// Ids go to and come from the database as the BIGINT they are, so a query binds the typed id
/// and a row decodes into one, with no `.0` for a wrong id to slip through.
#[cfg(feature = "ssr")]
mod sql {
    use super::{ProjectId, UserId};
    use sqlx::encode::IsNull;
    use sqlx::error::BoxDynError;
    use sqlx::{Any, Database, Decode, Encode, Type};

    macro_rules! bigint_id {
        ($id:ty) => {
            impl Type<Any> for $id {
                fn type_info() -> <Any as Database>::TypeInfo {
                    <i64 as Type<Any>>::type_info()
                }
                fn compatible(ty: &<Any as Database>::TypeInfo) -> bool {
                    <i64 as Type<Any>>::compatible(ty)
                }
            }
            impl<'q> Encode<'q, Any> for $id {
                fn encode_by_ref(
                    &self,
                    buf: &mut <Any as Database>::ArgumentBuffer<'q>,
                ) -> Result<IsNull, BoxDynError> {
                    <i64 as Encode<'q, Any>>::encode_by_ref(&self.0, buf)
                }
            }
            impl<'r> Decode<'r, Any> for $id {
                fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
                    <i64 as Decode<'r, Any>>::decode(value).map(Self)
                }
            }
        };
    }
    bigint_id!(ProjectId);
    bigint_id!(UserId);
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
    fn instants_out_of_range_are_errors() {
        assert_eq!(StoredInstant::try_from(0).map(|i| i.0.timestamp()), Ok(0));
        assert_eq!(
            StoredInstant::try_from(1_709_164_800_000).map(|i| i.0.to_rfc3339()),
            Ok("2024-02-29T00:00:00+00:00".to_string())
        );
        assert!(StoredInstant::try_from(i64::MAX).is_err());
        assert!(StoredInstant::try_from(i64::MIN).is_err());
    }

    #[test]
    fn days_are_canonical_dates_or_null() {
        assert_eq!(StoredDay::try_from(None), Ok(StoredDay(None)));
        let leap = StoredDay::try_from(Some("2028-02-29".to_string()));
        assert_eq!(leap, Ok(StoredDay(NaiveDate::from_ymd_opt(2028, 2, 29))));
        assert_eq!(leap.map(|d| d.code()), Ok("2028-02-29".to_string()));
        assert_eq!(StoredDay(None).code(), "");
        for bad in [
            "",
            "2027-02-29",
            "2026-13-01",
            "2026-1-5",
            "2026-01-05 ",
            "tomorrow",
        ] {
            assert!(
                StoredDay::try_from(Some(bad.to_string())).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn ids_serialise_as_plain_numbers() {
        assert_eq!(serde_json::to_string(&ProjectId(7)).ok(), Some("7".into()));
        assert_eq!(serde_json::from_str::<UserId>("9").ok(), Some(UserId(9)));
    }
}
