//! Personal API tokens: the secret is shown once; only its SHA-256 is kept.
use super::Db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiTokenRow {
    pub id: i64,
    pub name: String,
    pub token_hint: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    /// NULL only if a row escaped the migration's back-fill; such a token is refused.
    pub expires_at: Option<i64>,
}

/// Stores a token unless the user already has `cap` live ones (None then). The count is taken
/// under the user's row lock (PostgreSQL) or the write lock (SQLite), so two concurrent
/// creations cannot both take the last place.
pub async fn insert(
    db: &Db,
    user_id: i64,
    name: &str,
    hash: &str,
    hint: &str,
    cap: i64,
    now_ms: i64,
    expires_at_ms: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    // Expired tokens no longer work, so they do not hold a place under the cap.
    let live = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL \
         AND expires_at > $2",
    )
    .bind(user_id)
    .bind(now_ms)
    .fetch_one(&mut *tx)
    .await?;
    if live >= cap {
        return Ok(None);
    }
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO api_tokens (user_id, name, token_hash, token_hint, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user_id)
    .bind(name)
    .bind(hash)
    .bind(hint)
    .bind(now_ms)
    .bind(expires_at_ms)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}

pub async fn active_for_user(db: &Db, user_id: i64) -> Result<Vec<ApiTokenRow>, sqlx::Error> {
    sqlx::query_as::<_, ApiTokenRow>(
        "SELECT id, name, token_hint, created_at, last_used_at, expires_at FROM api_tokens \
         WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id DESC",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn revoke(db: &Db, user_id: i64, id: i64, now_ms: i64) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(now_ms)
    .bind(id)
    .bind(user_id)
    .execute(&db.pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// A password change makes every token of the account useless: whoever learnt the old
/// password may have minted one.
pub async fn revoke_all(db: &Db, user_id: i64, now_ms: i64) -> Result<u64, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
    )
    .bind(now_ms)
    .bind(user_id)
    .execute(&db.pool)
    .await?;
    Ok(r.rows_affected())
}

/// The owner of a live token (not revoked, not expired: a NULL expiry counts as expired),
/// marking it used (at most once a minute, to spare writes).
pub async fn owner_of(db: &Db, hash: &str, now_ms: i64) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, user_id, last_used_at FROM api_tokens \
         WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(hash)
    .bind(now_ms)
    .fetch_optional(&db.pool)
    .await?;
    let Some((id, user_id, last)) = row else {
        return Ok(None);
    };
    if last.is_none_or(|l| now_ms - l > 60_000) {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now_ms)
            .bind(id)
            .execute(&db.pool)
            .await?;
    }
    Ok(Some(user_id))
}
