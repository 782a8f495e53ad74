//! In-portal notifications (lifecycle notices now; billing and support later).
use super::Db;
use crate::domain::stored::{ProjectId, UserId};

pub struct NewNotification<'a> {
    pub user_id: UserId,
    pub project_id: ProjectId,
    pub kind: &'a str,
    pub step: &'a str,
    pub step_at: i64,
    pub days_before: i64,
}

impl NewNotification<'_> {
    /// The outbox key of the e-mail that carries this notice, so it is mailed once however
    /// often the job stores it, and withdrawn with it.
    pub fn mail_key(&self) -> String {
        mail_key(
            self.project_id,
            self.kind,
            self.step,
            self.step_at,
            self.days_before,
        )
    }
}

pub fn mail_key(
    project_id: crate::domain::stored::ProjectId,
    kind: &str,
    step: &str,
    step_at: i64,
    days_before: i64,
) -> String {
    format!(
        "notification:{}:{kind}:{step}:{step_at}:{days_before}",
        project_id.0
    )
}

/// Idempotent: the same notice for the same step is stored once however often jobs run.
pub async fn insert_once<'c, E>(
    exec: E,
    n: &NewNotification<'_>,
    now_ms: i64,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let r = sqlx::query(
        "INSERT INTO notifications (user_id, project_id, kind, step, step_at, days_before, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (project_id, kind, step, step_at, days_before) DO NOTHING",
    )
    .bind(n.user_id)
    .bind(n.project_id)
    .bind(n.kind)
    .bind(n.step)
    .bind(n.step_at)
    .bind(n.days_before)
    .bind(now_ms)
    .execute(exec)
    .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub project_id: Option<i64>,
    pub project_name: Option<String>,
    pub kind: String,
    pub step: String,
    pub step_at: i64,
    pub days_before: i64,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

pub async fn mark_all_read(db: &Db, user_id: i64, now_ms: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(now_ms)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn count_for_project(db: &Db, project_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM notifications WHERE project_id = $1")
        .bind(project_id)
        .fetch_one(&db.pool)
        .await
}
