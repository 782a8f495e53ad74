//! The `customer_alerts` table: alerts beyond lifecycle steps, each stored once by its key.
use super::Db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AlertRow {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// Stores the alert unless one with the same key exists; whether it was new. Pass the
/// caller's transaction so the alert commits with its e-mail.
pub async fn insert_once(
    conn: &mut sqlx::AnyConnection,
    user_id: i64,
    project_id: i64,
    kind: &str,
    dedupe_key: &str,
    payload: &str,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "INSERT INTO customer_alerts (user_id, project_id, kind, dedupe_key, payload, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(user_id)
    .bind(project_id)
    .bind(kind)
    .bind(dedupe_key)
    .bind(payload)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn mark_all_read(db: &Db, user_id: i64, now_ms: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE customer_alerts SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(now_ms)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// How many alerts of a kind a project has (tests and the admin view count them).
pub async fn count_for_project(db: &Db, project_id: i64, kind: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM customer_alerts WHERE project_id = $1 AND kind = $2",
    )
    .bind(project_id)
    .bind(kind)
    .fetch_one(&db.pool)
    .await
}
