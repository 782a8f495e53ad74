//! Usage use cases: ingesting the platform's batches; (later in this file) what pages show.
use super::db::{Db, usage as q};
use crate::domain::kst::to_millis;
use crate::domain::usage::batch::{self, UsageKey};
use crate::domain::usage::{Catalog, Metric, Quantity, record};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// The most records one batch may carry.
pub const MAX_RECORDS: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRecord {
    pub index: usize,
    pub code: &'static str,
    pub message: &'static str,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    /// Records stored (including those that replaced an earlier value).
    pub accepted: usize,
    /// Of those, how many replaced a value (stored before, or earlier in the same batch).
    pub replaced: usize,
    pub rejected: Vec<RejectedRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestOutcome {
    Stored(IngestReport),
    TooManyRecords { max: usize },
}

#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("usage metric {0} has an unreadable maximum")]
    BadMetric(String),
}

/// The metrics, as the domain checks records against them.
pub async fn metric_catalog(db: &Db) -> Result<Vec<Metric>, UsageError> {
    q::metrics(db)
        .await?
        .into_iter()
        .map(|m| {
            Quantity::parse(&m.max_per_hour)
                .map(|max| Metric {
                    code: m.code.clone(),
                    max_per_hour: max,
                })
                .map_err(|_| UsageError::BadMetric(m.code))
        })
        .collect()
}

/// Checks every record, stores the good ones in one transaction (last write wins, replaced
/// values kept), and reports each refused one by its index.
pub async fn ingest(
    db: &Db,
    token_id: i64,
    records: &[Value],
    now: DateTime<Utc>,
) -> Result<IngestOutcome, UsageError> {
    if records.len() > MAX_RECORDS {
        return Ok(IngestOutcome::TooManyRecords { max: MAX_RECORDS });
    }
    let mut catalog = Catalog::default();
    for m in metric_catalog(db).await? {
        catalog.metrics.insert(m.code.clone(), m);
    }
    let mut prefixes: Vec<&str> = records
        .iter()
        .filter_map(|r| r.get("project").and_then(Value::as_str))
        .collect();
    prefixes.sort_unstable();
    prefixes.dedup();
    catalog.projects = q::projects_by_prefix(db, &prefixes).await?;

    let mut good = Vec::with_capacity(records.len());
    let mut rejected = Vec::new();
    for (index, raw) in records.iter().enumerate() {
        match record::check(raw, &catalog, now) {
            Ok(r) => good.push(r),
            Err(why) => rejected.push(RejectedRecord {
                index,
                code: why.code(),
                message: why.message(),
            }),
        }
    }
    let mut replaced = 0;
    if !good.is_empty() {
        let keys: Vec<UsageKey> = good.iter().map(UsageKey::of).collect();
        let applied = q::store(
            db,
            &keys,
            |stored| batch::plan(&good, stored),
            token_id,
            to_millis(now),
        )
        .await?;
        replaced = applied.replaced();
    }
    Ok(IngestOutcome::Stored(IngestReport {
        accepted: good.len(),
        replaced,
        rejected,
    }))
}
