//! A customer's notifications: lifecycle notices ahead of a step and the steps applied, and
//! the alerts (usage thresholds, invoices due soon or overdue), newest first.
use super::accounts::ServiceError;
use super::db::notification_feed::{self as feed, FeedRow};
use super::db::{alerts as aq, notifications as q};
use super::startup::AppState;
use crate::domain::kst::{format_kst, from_millis, to_millis};
use crate::domain::lifecycle::LifecycleState;
use crate::model::projects::{Notice, NotificationView};
use chrono::{DateTime, Utc};

const SHOWN: i64 = 20;

/// The latest notifications of both kinds; a stored step or alert the portal cannot read is an
/// error, not skipped.
pub async fn recent(state: &AppState, user_id: i64) -> Result<Vec<NotificationView>, ServiceError> {
    recent_on(&mut state.db.reader().await?, user_id).await
}

/// [`recent`] on a connection the caller holds (the dashboard reads everything on one).
pub async fn recent_on(
    conn: &mut super::db::ReadConnection,
    user_id: i64,
) -> Result<Vec<NotificationView>, ServiceError> {
    let mut out = Vec::new();
    for row in feed::recent_for_user(conn, user_id, SHOWN).await? {
        out.push(match row {
            FeedRow::Lifecycle(n) => {
                let step = LifecycleState::try_from(n.step)
                    .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
                NotificationView {
                    unread: n.read_at.is_none(),
                    notice: Notice::Lifecycle {
                        project_id: n.project_id,
                        project_name: n.project_name,
                        step,
                        step_at: from_millis(n.step_at).map(format_kst).unwrap_or_default(),
                        days_before: n.days_before,
                        applied: n.kind == "lifecycle_applied",
                    },
                }
            }
            FeedRow::Alert(a) => NotificationView {
                unread: a.read_at.is_none(),
                notice: Notice::Alert(super::alerts::parse(&a)?),
            },
        });
    }
    Ok(out)
}

pub async fn mark_all_read(
    state: &AppState,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    q::mark_all_read(&state.db, user_id, to_millis(now)).await?;
    Ok(aq::mark_all_read(&state.db, user_id, to_millis(now)).await?)
}
