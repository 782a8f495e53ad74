//! The audit log: every staff action that changes customer data leaves a row here.
use super::Db;
use serde::Serialize;

pub struct AuditEntry<'a> {
    pub at_ms: i64,
    pub actor_user_id: i64,
    pub actor_role: &'a str,
    pub action: &'a str,
    pub target_kind: &'a str,
    pub target_id: i64,
    pub customer_user_id: Option<i64>,
    pub reason: &'a str,
    pub detail: serde_json::Value,
}

pub async fn record<'c, E>(exec: E, e: &AuditEntry<'_>) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, actor_role, action, target_kind, target_id, \
         customer_user_id, reason, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(e.at_ms)
    .bind(e.actor_user_id)
    .bind(e.actor_role)
    .bind(e.action)
    .bind(e.target_kind)
    .bind(e.target_id)
    .bind(e.customer_user_id)
    .bind(e.reason)
    .bind(e.detail.to_string())
    .execute(exec)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub actor_login_id: String,
    pub actor_role: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: i64,
    pub reason: String,
    pub detail: String,
}

pub async fn recent(db: &Db, limit: i64, offset: i64) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as::<_, AuditRow>(
        "SELECT a.id, a.at, u.login_id AS actor_login_id, a.actor_role, a.action, a.target_kind, \
         a.target_id, a.reason, a.detail FROM audit_log a JOIN users u ON u.id = a.actor_user_id \
         ORDER BY a.id DESC LIMIT $1 OFFSET $2",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await
}
