//! Platform tokens: the secret is shown once; only its SHA-256 is kept.
use super::Db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlatformTokenRow {
    pub id: i64,
    pub name: String,
    pub scope: String,
    pub token_hint: String,
    pub created_by_login: Option<String>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

pub async fn insert(
    db: &Db,
    name: &str,
    scope: &str,
    hash: &str,
    hint: &str,
    created_by: Option<i64>,
    now_ms: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "INSERT INTO platform_tokens (name, scope, token_hash, token_hint, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(name)
    .bind(scope)
    .bind(hash)
    .bind(hint)
    .bind(created_by)
    .bind(now_ms)
    .fetch_one(&db.pool)
    .await
}

/// Every token, live ones first, newest first: staff see what was revoked too.
pub async fn all(db: &Db) -> Result<Vec<PlatformTokenRow>, sqlx::Error> {
    sqlx::query_as::<_, PlatformTokenRow>(
        "SELECT t.id, t.name, t.scope, t.token_hint, u.login_id AS created_by_login, \
         t.created_at, t.last_used_at, t.revoked_at FROM platform_tokens t \
         LEFT JOIN users u ON u.id = t.created_by \
         ORDER BY CASE WHEN t.revoked_at IS NULL THEN 0 ELSE 1 END, t.id DESC",
    )
    .fetch_all(&db.pool)
    .await
}

/// Revokes a live token; false when there is none with this id (or it is revoked already).
pub async fn revoke<'c, E>(exec: E, id: i64, by: i64, now_ms: i64) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let r = sqlx::query(
        "UPDATE platform_tokens SET revoked_at = $1, revoked_by = $2 \
         WHERE id = $3 AND revoked_at IS NULL",
    )
    .bind(now_ms)
    .bind(by)
    .bind(id)
    .execute(exec)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The live token with this hash (id, scope), marking it used at most once a minute.
pub async fn live_by_hash(
    db: &Db,
    hash: &str,
    now_ms: i64,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    let row: Option<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, scope, last_used_at FROM platform_tokens \
         WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(hash)
    .fetch_optional(&db.pool)
    .await?;
    let Some((id, scope, last)) = row else {
        return Ok(None);
    };
    if last.is_none_or(|l| now_ms - l > 60_000) {
        sqlx::query("UPDATE platform_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now_ms)
            .bind(id)
            .execute(&db.pool)
            .await?;
    }
    Ok(Some((id, scope)))
}
