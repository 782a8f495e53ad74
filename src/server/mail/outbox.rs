//! The `mail_outbox` table: rows go `pending` -> `sending` (claimed by one worker) -> `sent`,
//! or back to `pending` with a later `next_attempt_at`, or `failed` when given up.
use crate::server::db::Db;
use sqlx::AnyConnection;

/// What a worker needs to send one mail: the stored content and who it goes to, the address
/// and language of an account read now (the account's current contact e-mail).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub attempts: i64,
    pub payload: String,
    pub address: Option<String>,
    pub language: Option<String>,
}

pub struct NewRow<'a> {
    pub recipient_user_id: Option<i64>,
    pub to_address: Option<&'a str>,
    pub to_locale: Option<&'a str>,
    pub kind: &'a str,
    pub payload: &'a str,
    pub dedupe_key: Option<&'a str>,
}

/// The new row's id, or None when a row with the same dedupe key exists.
pub async fn insert(
    conn: &mut AnyConnection,
    row: &NewRow<'_>,
    now_ms: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "INSERT INTO mail_outbox (recipient_user_id, to_address, to_locale, kind, payload, \
         dedupe_key, status, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7) \
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
    )
    .bind(row.recipient_user_id)
    .bind(row.to_address)
    .bind(row.to_locale)
    .bind(row.kind)
    .bind(row.payload)
    .bind(row.dedupe_key)
    .bind(now_ms)
    .fetch_optional(conn)
    .await
}

/// Removes a mail not yet sent (the event it reported was withdrawn); whether one was.
pub async fn delete_pending(
    conn: &mut AnyConnection,
    dedupe_key: &str,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM mail_outbox WHERE dedupe_key = $1 AND status = 'pending'")
        .bind(dedupe_key)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// Mail whose time has come, oldest first.
pub async fn due(db: &Db, now_ms: i64, limit: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= $1 \
         ORDER BY next_attempt_at, id LIMIT $2",
    )
    .bind(now_ms)
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

/// Takes one due mail for this worker with a conditional UPDATE (atomic on both backends):
/// of several instances racing for the row exactly one gets it, and counts the attempt before
/// the SMTP conversation starts. None when another worker was first (or it is no longer due).
pub async fn claim(
    db: &Db,
    id: i64,
    holder: &str,
    now_ms: i64,
    claimed_until_ms: i64,
) -> Result<Option<Claimed>, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, claimed_by = $1, \
         claimed_until = $2 WHERE id = $3 AND status = 'pending' AND next_attempt_at <= $4",
    )
    .bind(holder)
    .bind(claimed_until_ms)
    .bind(id)
    .bind(now_ms)
    .execute(&db.pool)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(None);
    }
    sqlx::query_as::<_, Claimed>(
        "SELECT o.id, o.attempts, o.payload, COALESCE(o.to_address, u.email) AS address, \
         COALESCE(o.to_locale, u.locale) AS language FROM mail_outbox o \
         LEFT JOIN users u ON u.id = o.recipient_user_id WHERE o.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// The outcome of a claimed mail; each only while this worker still holds the claim.
pub async fn mark_sent(db: &Db, id: i64, holder: &str, now_ms: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE mail_outbox SET status = 'sent', sent_at = $1, last_error = NULL, \
         claimed_until = NULL WHERE id = $2 AND status = 'sending' AND claimed_by = $3",
    )
    .bind(now_ms)
    .bind(id)
    .bind(holder)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn mark_retry(
    db: &Db,
    id: i64,
    holder: &str,
    next_attempt_ms: i64,
    error: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE mail_outbox SET status = 'pending', next_attempt_at = $1, last_error = $2, \
         claimed_until = NULL WHERE id = $3 AND status = 'sending' AND claimed_by = $4",
    )
    .bind(next_attempt_ms)
    .bind(error)
    .bind(id)
    .bind(holder)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn mark_failed(db: &Db, id: i64, holder: &str, error: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE mail_outbox SET status = 'failed', last_error = $1, claimed_until = NULL \
         WHERE id = $2 AND status = 'sending' AND claimed_by = $3",
    )
    .bind(error)
    .bind(id)
    .bind(holder)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A claim whose time ran out: the instance holding it stopped mid-send. The SMTP server may
/// have taken the mail, so it is not sent again (at most once); it is marked failed with the
/// reason, for staff to see. Returns how many.
pub async fn fail_abandoned(db: &Db, now_ms: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE mail_outbox SET status = 'failed', claimed_until = NULL, \
         last_error = 'interrupted while sending (the instance stopped); not resent, it may have been delivered' \
         WHERE status = 'sending' AND claimed_until < $1",
    )
    .bind(now_ms)
    .execute(&db.pool)
    .await?
    .rows_affected())
}

/// One row as stored, for tests and staff tools.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<i64>,
}

pub async fn find(db: &Db, id: i64) -> Result<Option<OutboxRow>, sqlx::Error> {
    sqlx::query_as::<_, OutboxRow>(
        "SELECT id, kind, status, attempts, next_attempt_at, last_error, sent_at \
         FROM mail_outbox WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}
