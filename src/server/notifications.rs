//! A customer's notifications: lifecycle notices ahead of a step and the steps applied.
use super::accounts::ServiceError;
use super::db::notifications as q;
use super::startup::AppState;
use crate::domain::kst::{format_kst, from_millis, to_millis};
use crate::domain::lifecycle::LifecycleState;
use crate::model::projects::NotificationView;
use chrono::{DateTime, Utc};

const SHOWN: i64 = 20;

/// The latest notifications; a stored step the portal does not know is an error, not skipped.
pub async fn recent(state: &AppState, user_id: i64) -> Result<Vec<NotificationView>, ServiceError> {
    let mut out = Vec::new();
    for n in q::recent_for_user(&state.db, user_id, SHOWN).await? {
        let step =
            LifecycleState::try_from(n.step).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        out.push(NotificationView {
            id: n.id,
            project_id: n.project_id,
            project_name: n.project_name,
            step,
            step_at: from_millis(n.step_at).map(format_kst).unwrap_or_default(),
            days_before: n.days_before,
            applied: n.kind == "lifecycle_applied",
            unread: n.read_at.is_none(),
        });
    }
    Ok(out)
}

pub async fn mark_all_read(
    state: &AppState,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    Ok(q::mark_all_read(&state.db, user_id, to_millis(now)).await?)
}
