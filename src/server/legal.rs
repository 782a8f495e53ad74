//! The Terms of Service and Privacy Policy in force, as the legal pages show them.
use super::accounts::ServiceError;
use super::db::legal;
use super::startup::AppState;
use crate::domain::kst::{from_millis, kst_date, to_millis};
use crate::model::accounts::LegalDocView;
use chrono::{DateTime, Utc};

/// The version of `kind` (`terms` or `privacy`) in force at `now`, in `lang` (`en`, else
/// Korean); None for any other kind or when none is in force.
pub async fn current(
    state: &AppState,
    kind: &str,
    lang: &str,
    now: DateTime<Utc>,
) -> Result<Option<LegalDocView>, ServiceError> {
    if kind != "terms" && kind != "privacy" {
        return Ok(None);
    }
    let doc = legal::current(&state.db, kind, to_millis(now)).await?;
    Ok(doc.map(|d| {
        let (title, body) = if lang == "en" {
            (d.title_en, d.body_en)
        } else {
            (d.title_ko, d.body_ko)
        };
        LegalDocView {
            kind: d.kind,
            version: d.version,
            effective_date: from_millis(d.effective_at)
                .map(|t| kst_date(t).to_string())
                .unwrap_or_default(),
            title,
            paragraphs: body
                .split("\n\n")
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect(),
        }
    }))
}
