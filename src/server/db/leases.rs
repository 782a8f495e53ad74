//! Job leases: a background job runs once even with several portal instances.
use super::Db;

/// Takes the named lease until `until_ms` if it is free (expired) or already ours.
/// A conditional UPDATE is atomic on both backends, so exactly one instance wins.
pub async fn try_acquire(
    db: &Db,
    name: &str,
    holder: &str,
    now_ms: i64,
    until_ms: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO job_leases (name, holder, lease_until) VALUES ($1, '', 0) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .execute(&db.pool)
    .await?;
    let taken = sqlx::query(
        "UPDATE job_leases SET holder = $1, lease_until = $2 \
         WHERE name = $3 AND (lease_until < $4 OR holder = $1)",
    )
    .bind(holder)
    .bind(until_ms)
    .bind(name)
    .bind(now_ms)
    .execute(&db.pool)
    .await?;
    Ok(taken.rows_affected() == 1)
}

pub async fn release(db: &Db, name: &str, holder: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE job_leases SET lease_until = 0 WHERE name = $1 AND holder = $2")
        .bind(name)
        .bind(holder)
        .execute(&db.pool)
        .await?;
    Ok(())
}
