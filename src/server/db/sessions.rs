//! Sessions in the database, so any portal instance can serve any request.
use super::users::UserRow;
use super::{Db, ReadConnection};
use std::sync::LazyLock;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub token_hash: String,
    pub user_id: i64,
    pub created_at: i64,
    pub last_seen_at: i64,
}

pub async fn create(
    db: &Db,
    token_hash: &str,
    user_id: i64,
    now_ms: i64,
    client_ip: &str,
    user_agent: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, client_ip, user_agent) \
         VALUES ($1, $2, $3, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now_ms)
    .bind(client_ip)
    .bind(user_agent)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A session and its account as one row: every signed-in request reads it.
#[derive(sqlx::FromRow)]
struct SessionWithUser {
    session_token_hash: String,
    session_user_id: i64,
    session_created_at: i64,
    session_last_seen_at: i64,
    #[sqlx(flatten)]
    user: UserRow,
}

/// One round trip, not two: the session lookup runs before every page and server function.
static FIND: LazyLock<String> = LazyLock::new(|| {
    let user_columns: Vec<String> = super::users::COLUMNS
        .split(", ")
        .map(|c| format!("u.{c}"))
        .collect();
    format!(
        "SELECT s.token_hash AS session_token_hash, s.user_id AS session_user_id, \
         s.created_at AS session_created_at, s.last_seen_at AS session_last_seen_at, {} \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        user_columns.join(", ")
    )
});

pub async fn find(db: &Db, token_hash: &str) -> Result<Option<(SessionRow, UserRow)>, sqlx::Error> {
    let mut conn = db.reader().await?;
    let row = match &mut conn {
        ReadConnection::Inline(c) => {
            return super::sqlite_readers::optional(c, &FIND, [token_hash], |r| {
                Ok((
                    SessionRow {
                        token_hash: r.get(0)?,
                        user_id: r.get(1)?,
                        created_at: r.get(2)?,
                        last_seen_at: r.get(3)?,
                    },
                    UserRow::from_sqlite(r, 4)?,
                ))
            });
        }
        ReadConnection::Pooled(c) => {
            sqlx::query_as::<_, SessionWithUser>(FIND.as_str())
                .bind(token_hash)
                .fetch_optional(&mut **c)
                .await?
        }
    };
    Ok(row.map(|r| {
        (
            SessionRow {
                token_hash: r.session_token_hash,
                user_id: r.session_user_id,
                created_at: r.session_created_at,
                last_seen_at: r.session_last_seen_at,
            },
            r.user,
        )
    }))
}

pub async fn touch(db: &Db, token_hash: &str, now_ms: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now_ms)
        .bind(token_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn delete(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// After a password change every session of the account ends, the current one included
/// (it is replaced by a fresh token).
pub async fn delete_all(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Housekeeping: sessions past their absolute or idle limit are gone for good.
pub async fn purge_expired(
    db: &Db,
    idle_before_ms: i64,
    created_before_ms: i64,
) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(idle_before_ms)
        .bind(created_before_ms)
        .execute(&db.pool)
        .await?;
    Ok(r.rows_affected())
}
