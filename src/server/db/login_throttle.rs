//! Log-in throttle buckets (rules in `domain::throttle`). A bucket moves on only by a
//! compare-and-set on the values just read, and only once its wait has passed, so of many
//! concurrent attempts exactly one can claim a free slot. Times are epoch-ms parameters: no
//! SQL date functions, the same statements on both backends.
use super::Db;
use sqlx::Row;

/// The `network` of the account-wide bucket.
pub const ACCOUNT_WIDE: &str = "*";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BucketRow {
    pub failures: i64,
    pub last_failure_at: i64,
    pub ready_at: i64,
}

pub async fn find(
    db: &Db,
    login_id: &str,
    network: &str,
) -> Result<Option<BucketRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT failures, last_failure_at, ready_at FROM login_throttle \
         WHERE login_id = $1 AND network = $2",
    )
    .bind(login_id)
    .bind(network)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| {
        Ok(BucketRow {
            failures: r.try_get("failures")?,
            last_failure_at: r.try_get("last_failure_at")?,
            ready_at: r.try_get("ready_at")?,
        })
    })
    .transpose()
}

/// Writes `next` if the bucket still holds `seen` (None: does not exist yet) and its wait
/// has passed at `now_ms`. False when another request got there first.
pub async fn compare_and_set(
    db: &Db,
    login_id: &str,
    network: &str,
    seen: Option<&BucketRow>,
    next: &BucketRow,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let r = match seen {
        None => sqlx::query(
            "INSERT INTO login_throttle (login_id, network, failures, last_failure_at, ready_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (login_id, network) DO NOTHING",
        )
        .bind(login_id)
        .bind(network)
        .bind(next.failures)
        .bind(next.last_failure_at)
        .bind(next.ready_at)
        .execute(&db.pool)
        .await?,
        Some(seen) => {
            sqlx::query(
                "UPDATE login_throttle SET failures = $3, last_failure_at = $4, ready_at = $5 \
                 WHERE login_id = $1 AND network = $2 AND failures = $6 \
                 AND last_failure_at = $7 AND ready_at <= $8",
            )
            .bind(login_id)
            .bind(network)
            .bind(next.failures)
            .bind(next.last_failure_at)
            .bind(next.ready_at)
            .bind(seen.failures)
            .bind(seen.last_failure_at)
            .bind(now_ms)
            .execute(&db.pool)
            .await?
        }
    };
    Ok(r.rows_affected() == 1)
}

/// Gives one claimed attempt back (it turned out to be the right password); the wait it
/// started, if any, stays.
pub async fn give_back(db: &Db, login_id: &str, network: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE login_throttle SET failures = failures - 1 \
         WHERE login_id = $1 AND network = $2 AND failures > 0",
    )
    .bind(login_id)
    .bind(network)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn clear(db: &Db, login_id: &str, network: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_throttle WHERE login_id = $1 AND network = $2")
        .bind(login_id)
        .bind(network)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Buckets whose failures are forgotten anyway; keeps the table to a day of attempts.
pub async fn purge_before(db: &Db, last_failure_before_ms: i64) -> Result<u64, sqlx::Error> {
    let r = sqlx::query("DELETE FROM login_throttle WHERE last_failure_at < $1")
        .bind(last_failure_before_ms)
        .execute(&db.pool)
        .await?;
    Ok(r.rows_affected())
}
