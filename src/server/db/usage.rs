//! Usage storage: the metrics list, hourly values, the values re-sends replaced, and the
//! rollups pages and invoices read; storing hours keeps the month roll-up (`usage_monthly`).
use super::Db;
use super::usage_monthly::{MonthDeltas, month_start_ms};
use crate::domain::usage::Quantity;
use crate::domain::usage::batch::{BatchPlan, UsageKey};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use std::collections::HashMap;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MetricRow {
    pub code: String,
    pub position: i64,
    pub name_ko: String,
    pub name_en: String,
    pub unit_ko: String,
    pub unit_en: String,
    pub max_per_hour: String,
}

pub async fn metrics(db: &Db) -> Result<Vec<MetricRow>, sqlx::Error> {
    sqlx::query_as::<_, MetricRow>(
        "SELECT code, position, name_ko, name_en, unit_ko, unit_en, max_per_hour \
         FROM usage_metrics ORDER BY position, code",
    )
    .fetch_all(&db.pool)
    .await
}

/// Prefixes or project ids per `IN (...)` list of a batch's reads.
const CHUNK: usize = 1000;

/// `($1,$2),($3,$4)...` for a multi-row INSERT (also the SLA roll-up's).
pub(super) fn placeholders(rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 6);
    for r in 0..rows {
        if r > 0 {
            s.push(',');
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push(',');
            }
            s.push('$');
            s.push_str(&(r * cols + c + 1).to_string());
        }
        s.push(')');
    }
    s
}

/// Project ids by domain prefix, for the prefixes that exist.
pub async fn projects_by_prefix(
    db: &Db,
    prefixes: &[&str],
) -> Result<HashMap<String, i64>, sqlx::Error> {
    let mut out = HashMap::new();
    for chunk in prefixes.chunks(CHUNK) {
        let list = (1..=chunk.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!("SELECT prefix, id FROM projects WHERE prefix IN ({list})");
        let mut q = sqlx::query_as::<_, (String, i64)>(&sql);
        for p in chunk {
            q = q.bind(*p);
        }
        out.extend(q.fetch_all(&db.pool).await?);
    }
    Ok(out)
}

/// Stores a checked batch in one transaction: takes the ingestion lock, reads the stored
/// values of the batch's keys, lets `plan` decide, writes the values and the replaced ones.
/// Answers the plan that was applied.
pub async fn store<F>(
    db: &Db,
    keys: &[UsageKey],
    plan: F,
    token_id: i64,
    now_ms: i64,
) -> Result<BatchPlan, sqlx::Error>
where
    F: FnOnce(&HashMap<UsageKey, Quantity>) -> BatchPlan,
{
    let mut tx = db.pool.begin().await?;
    // Serialises batches (row lock on PostgreSQL, the write lock on SQLite) so the values
    // read below are the ones replaced.
    sqlx::query("UPDATE job_leases SET lease_until = lease_until WHERE name = 'usage_ingest'")
        .execute(&mut *tx)
        .await?;
    let mut stored = HashMap::new();
    if let (Some(min), Some(max)) = (
        keys.iter().map(|k| k.hour_ms).min(),
        keys.iter().map(|k| k.hour_ms).max(),
    ) {
        let mut projects: Vec<i64> = keys.iter().map(|k| k.project_id).collect();
        projects.sort_unstable();
        projects.dedup();
        let wanted: std::collections::HashSet<&UsageKey> = keys.iter().collect();
        for chunk in projects.chunks(CHUNK) {
            let list = (3..chunk.len() + 3)
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(",");
            let sql = format!(
                "SELECT project_id, metric, hour_at, quantity_micro FROM usage_hourly \
                 WHERE hour_at >= $1 AND hour_at <= $2 AND project_id IN ({list})"
            );
            let mut q = sqlx::query_as::<_, (i64, String, i64, i64)>(&sql)
                .bind(min)
                .bind(max);
            for p in chunk {
                q = q.bind(*p);
            }
            for (project_id, metric, hour_ms, micros) in q.fetch_all(&mut *tx).await? {
                let key = UsageKey {
                    project_id,
                    metric,
                    hour_ms,
                };
                if wanted.contains(&key) {
                    stored.insert(key, Quantity::from_micros(micros));
                }
            }
        }
    }
    let plan = plan(&stored);
    let mut months = MonthDeltas::new();
    for (k, qty) in &plan.writes {
        let before = stored.get(k).map_or(0, |q| q.micros());
        *months
            .entry((k.project_id, month_start_ms(k.hour_ms)?, k.metric.clone()))
            .or_default() += qty.micros() - before;
    }
    for chunk in plan.writes.chunks(super::ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO usage_hourly (project_id, metric, hour_at, quantity_micro, received_at) \
             VALUES {} ON CONFLICT (project_id, metric, hour_at) DO UPDATE SET \
             quantity_micro = excluded.quantity_micro, received_at = excluded.received_at",
            placeholders(chunk.len(), 5)
        );
        let mut q: Query<'_, sqlx::Any, AnyArguments<'_>> = sqlx::query(&sql);
        for (k, qty) in chunk {
            q = q
                .bind(k.project_id)
                .bind(k.metric.as_str())
                .bind(k.hour_ms)
                .bind(qty.micros())
                .bind(now_ms);
        }
        q.execute(&mut *tx).await?;
    }
    for chunk in plan.replacements.chunks(super::ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO usage_replacements (project_id, metric, hour_at, old_quantity_micro, \
             new_quantity_micro, replaced_at, token_id) VALUES {}",
            placeholders(chunk.len(), 7)
        );
        let mut q: Query<'_, sqlx::Any, AnyArguments<'_>> = sqlx::query(&sql);
        for r in chunk {
            q = q
                .bind(r.key.project_id)
                .bind(r.key.metric.as_str())
                .bind(r.key.hour_ms)
                .bind(r.old.micros())
                .bind(r.new.micros())
                .bind(now_ms)
                .bind(token_id);
        }
        q.execute(&mut *tx).await?;
    }
    super::usage_monthly::apply(&mut tx, &months).await?;
    tx.commit().await?;
    Ok(plan)
}

/// Hourly values of one project in `[from_ms, to_ms)`: (metric, hour_ms, micros).
pub async fn hourly_for_project(
    db: &Db,
    project_id: i64,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as::<_, (String, i64, i64)>(
        "SELECT metric, hour_at, quantity_micro FROM usage_hourly \
         WHERE project_id = $1 AND hour_at >= $2 AND hour_at < $3 ORDER BY hour_at, metric",
    )
    .bind(project_id)
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(&db.pool)
    .await
}

/// Totals per metric of one project in `[from_ms, to_ms)`.
pub async fn totals_for_project(
    db: &Db,
    project_id: i64,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as::<_, (String, i64)>(
        "SELECT metric, CAST(SUM(quantity_micro) AS BIGINT) FROM usage_hourly \
         WHERE project_id = $1 AND hour_at >= $2 AND hour_at < $3 GROUP BY metric",
    )
    .bind(project_id)
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(&db.pool)
    .await
}

/// Values replaced so far, all projects (for reconciliation checks and tests).
pub async fn replacement_count(db: &Db, project_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM usage_replacements WHERE project_id = $1")
        .bind(project_id)
        .fetch_one(&db.pool)
        .await
}
