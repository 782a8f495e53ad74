//! The month roll-up of usage (`usage_monthly`): each project's usage per metric and KST month,
//! changed in the transaction that stores the hours, so the dashboard reads one row per metric
//! instead of summing the month's hours on every view (issue 15).
use super::Db;
use super::usage::placeholders;
use crate::domain::billing::BillingMonth;
use crate::domain::kst::{from_millis, to_millis};
use futures::TryStreamExt;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use std::collections::BTreeMap;

/// What the roll-up gains per (project, month start, metric): the new values minus the ones
/// they replaced.
pub type MonthDeltas = BTreeMap<(i64, i64, String), i64>;

/// The start (epoch ms) of the KST month the hour starting at `hour_ms` falls in.
pub fn month_start_ms(hour_ms: i64) -> Result<i64, sqlx::Error> {
    let hour = from_millis(hour_ms)
        .ok_or_else(|| sqlx::Error::Decode(format!("usage hour {hour_ms} is not a time").into()))?;
    Ok(to_millis(BillingMonth::containing(hour).start()))
}

/// Adds `deltas` to the roll-up, inside the caller's transaction (the one storing the hours).
pub async fn apply(
    conn: &mut sqlx::AnyConnection,
    deltas: &MonthDeltas,
) -> Result<(), sqlx::Error> {
    let rows: Vec<_> = deltas.iter().filter(|(_, d)| **d != 0).collect();
    for chunk in rows.chunks(super::ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO usage_monthly (project_id, month_start, metric, quantity_micro) \
             VALUES {} ON CONFLICT (project_id, month_start, metric) DO UPDATE SET \
             quantity_micro = usage_monthly.quantity_micro + excluded.quantity_micro",
            placeholders(chunk.len(), 4)
        );
        let mut q: Query<'_, sqlx::Any, AnyArguments<'_>> = sqlx::query(&sql);
        for ((project_id, month_start, metric), delta) in chunk {
            q = q
                .bind(*project_id)
                .bind(*month_start)
                .bind(metric.as_str())
                .bind(**delta);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Rolls up the hours stored before the roll-up existed, once: the migration that made the
/// table left a `pending_backfills` row, and whichever instance deletes it does the work in
/// the same transaction, under the ingestion lock, so no batch lands between the read and the
/// write and a second instance starting beside it finds nothing left to do.
pub async fn backfill(db: &Db) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE job_leases SET lease_until = lease_until WHERE name = 'usage_ingest'")
        .execute(&mut *tx)
        .await?;
    let pending = sqlx::query("DELETE FROM pending_backfills WHERE name = 'usage_monthly'")
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if pending == 0 {
        return tx.rollback().await;
    }
    let mut totals = MonthDeltas::new();
    {
        let mut hours = sqlx::query_as::<_, (i64, String, i64, i64)>(
            "SELECT project_id, metric, hour_at, quantity_micro FROM usage_hourly",
        )
        .fetch(&mut *tx);
        while let Some((project_id, metric, hour_ms, micros)) = hours.try_next().await? {
            let key = (project_id, month_start_ms(hour_ms)?, metric);
            *totals.entry(key).or_default() += micros;
        }
    }
    // Rebuilt, not added to: an instance that started beside this one may already have
    // stored a batch, and applied its difference to a roll-up that had no history yet.
    sqlx::query("DELETE FROM usage_monthly")
        .execute(&mut *tx)
        .await?;
    apply(&mut tx, &totals).await?;
    tx.commit().await
}
