//! Credit policy versions as admins list, add and withdraw them; each change commits with its
//! audit row. Statements read the versions through `sla::policies`.
use super::Db;
use super::audit::{self, AuditEntry};
use super::sla::{bands_json, decode_policy};
use crate::domain::billing::BillingMonth;
use crate::domain::sla::policy::CreditPolicy;

/// A version with who added it and when.
#[derive(Debug, Clone)]
pub struct PolicyRow {
    pub policy: CreditPolicy,
    /// Login ID; None for the seeded version.
    pub created_by: Option<String>,
    pub created_at: i64,
}

/// Every version, oldest month first.
pub async fn versions(db: &Db) -> Result<Vec<PolicyRow>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT c.version, c.effective_from, c.basis, c.bands, u.login_id, c.created_at \
         FROM credit_policies c LEFT JOIN users u ON u.id = c.created_by \
         ORDER BY c.effective_from",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|(version, from, basis, bands, created_by, created_at)| {
            Ok(PolicyRow {
                policy: decode_policy(version, &from, &basis, &bands)?,
                created_by,
                created_at,
            })
        })
        .collect()
}

/// Stores `policy` (its `version` is ignored) and the audit row, in one transaction; the
/// audit row's target is the new version. None when another version took the month
/// meanwhile (the unique index decides), and then nothing is stored.
pub async fn insert(
    db: &Db,
    policy: &CreditPolicy,
    created_by: i64,
    now_ms: i64,
    mut entry: AuditEntry<'_>,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let version = match sqlx::query_scalar::<_, i64>(
        "INSERT INTO credit_policies (effective_from, basis, bands, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING version",
    )
    .bind(policy.effective_from.to_string())
    .bind(policy.basis.code())
    .bind(bands_json(policy.bands()))
    .bind(created_by)
    .bind(now_ms)
    .fetch_one(&mut *tx)
    .await
    {
        Ok(v) => v,
        Err(e) if super::is_unique_violation(&e) => return Ok(None),
        Err(e) => return Err(e),
    };
    entry.target_id = version;
    if let Some(after) = entry.detail.get_mut("after") {
        after["version"] = serde_json::json!(version);
    }
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(Some(version))
}

/// Deletes a version that takes effect after `current` (the KST month now), with its audit
/// row, in one transaction. False when there is no such version or its month has begun by
/// the time the delete runs: the condition is in the statement, so a check made a moment
/// earlier cannot let a started version go.
pub async fn withdraw(
    db: &Db,
    version: i64,
    current: BillingMonth,
    entry: AuditEntry<'_>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    // 'YYYY-MM' text orders as the months do.
    let gone =
        sqlx::query("DELETE FROM credit_policies WHERE version = $1 AND effective_from > $2")
            .bind(version)
            .bind(current.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if gone != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(true)
}
