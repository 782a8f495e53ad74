//! Results of no-JavaScript form posts waiting for the next page (see `server::flash`).
use super::Db;

/// Keeps one result; expired ones nobody came back for are swept on the way.
pub async fn insert(
    db: &Db,
    key_hash: &str,
    user_id: i64,
    body: &str,
    now_ms: i64,
    expires_at_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM form_flashes WHERE expires_at <= $1")
        .bind(now_ms)
        .execute(&db.pool)
        .await?;
    sqlx::query(
        "INSERT INTO form_flashes (key_hash, user_id, body, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(key_hash)
    .bind(user_id)
    .bind(body)
    .bind(expires_at_ms)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The result for this key, removed as it is read (shown once), if it is still fresh and
/// belongs to the same account (0: a visitor) that made it.
pub async fn take(
    db: &Db,
    key_hash: &str,
    user_id: i64,
    now_ms: i64,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(i64, String, i64)> = sqlx::query_as(
        "DELETE FROM form_flashes WHERE key_hash = $1 RETURNING user_id, body, expires_at",
    )
    .bind(key_hash)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row
        .filter(|(owner, _, expires)| *owner == user_id && *expires > now_ms)
        .map(|(_, body, _)| body))
}
