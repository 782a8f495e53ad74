//! Everything the dashboard shows, read on one database connection.
//!
//! The dashboard is the page customers open most (issue 15), so its reads (projects, their
//! month so far, the notifications) share one connection: on SQLite a kept one, used on the
//! request's own thread (`db::sqlite_readers`); on PostgreSQL one from the pool, which sqlx
//! pings once when it goes back instead of once per read.
use super::accounts::ServiceError;
use super::startup::AppState;
use crate::domain::stored::UserId;
use crate::model::projects::DashboardView;
use chrono::{DateTime, Utc};

pub async fn read(
    state: &AppState,
    owner_id: UserId,
    page: Option<i64>,
    now: DateTime<Utc>,
) -> Result<DashboardView, ServiceError> {
    let (catalogue, mut conn) = super::month_to_date::catalogue_then_connection(state, now).await?;
    let projects =
        super::projects::list_page_on(state, &mut conn, &catalogue, owner_id, page, now).await?;
    let notifications = super::notifications::recent_on(&mut conn, owner_id.0).await?;
    Ok(DashboardView {
        projects,
        notifications,
    })
}
