//! Price versions and their items.
use super::Db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PriceItemRow {
    pub version_id: i64,
    pub effective_from: String,
    pub kind: String,
    pub code: String,
    pub unit_price: String,
}

/// Every item of every version, oldest version first.
pub async fn all_items(db: &Db) -> Result<Vec<PriceItemRow>, sqlx::Error> {
    sqlx::query_as::<_, PriceItemRow>(
        "SELECT v.id AS version_id, v.effective_from, i.kind, i.code, i.unit_price \
         FROM price_versions v JOIN price_items i ON i.version_id = v.id \
         ORDER BY v.effective_from, i.kind, i.code",
    )
    .fetch_all(&db.pool)
    .await
}

/// Adds a version with its items, and the audit row, in one transaction. None when another
/// version took the month meanwhile (the unique index decides).
pub async fn insert_version<'a>(
    db: &Db,
    effective_from: &str,
    items: impl Iterator<Item = (&'a str, &'a str, String)>,
    created_by: i64,
    mut audit: super::audit::AuditEntry<'_>,
    now_ms: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let id = match sqlx::query_scalar::<_, i64>(
        "INSERT INTO price_versions (effective_from, created_at, created_by) VALUES ($1, $2, $3) \
         RETURNING id",
    )
    .bind(effective_from)
    .bind(now_ms)
    .bind(created_by)
    .fetch_one(&mut *tx)
    .await
    {
        Ok(id) => id,
        Err(e) if super::is_unique_violation(&e) => return Ok(None),
        Err(e) => return Err(e),
    };
    for (kind, code, price) in items {
        sqlx::query(
            "INSERT INTO price_items (version_id, kind, code, unit_price) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(kind)
        .bind(code)
        .bind(price)
        .execute(&mut *tx)
        .await?;
    }
    audit.target_id = id;
    super::audit::record(&mut *tx, &audit).await?;
    tx.commit().await?;
    Ok(Some(id))
}
