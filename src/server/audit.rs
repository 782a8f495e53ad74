//! Reading the audit log (administrators only; the role check is the caller's guard).
use super::accounts::ServiceError;
use super::db::audit;
use super::startup::AppState;
use crate::domain::kst::{format_kst, from_millis};
use crate::model::projects::AuditView;

pub const PER_PAGE: i64 = 50;

/// One page (from 1) of the audit log, newest first.
pub async fn page(state: &AppState, page: i64) -> Result<Vec<AuditView>, ServiceError> {
    let page = page.clamp(1, 100_000);
    let rows = audit::recent(&state.db, PER_PAGE, (page - 1) * PER_PAGE).await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditView {
            id: r.id,
            at: from_millis(r.at).map(format_kst).unwrap_or_default(),
            actor: r.actor_login_id,
            role: r.actor_role,
            action: r.action,
            target: format!("{} #{}", r.target_kind, r.target_id),
            reason: r.reason,
            detail: r.detail,
        })
        .collect())
}
