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
        // After the commit, outside the batch's lock: alerting is not worth holding up
        // other batches, and a failure here is caught up by the next batch (see `check`).
        let touched = super::usage_thresholds::touched(&keys);
        if let Err(e) = super::usage_thresholds::check(db, &touched, now).await {
            tracing::error!(error = %e, "usage threshold check failed; the next batch retries it");
        }
    }
    Ok(IngestOutcome::Stored(IngestReport {
        accepted: good.len(),
        replaced,
        rejected,
    }))
}

/// The usage page's month for a project (the caller has checked the project is the customer's).
pub async fn month_view(
    db: &Db,
    project_id: i64,
    project_name: &str,
    month: crate::domain::billing::BillingMonth,
    now: DateTime<Utc>,
) -> Result<crate::model::billing::UsageMonthView, sqlx::Error> {
    use crate::domain::billing::BillingMonth;
    use crate::model::billing::{MetricMonthView, UsageMonthView};
    let hourly = q::hourly_for_project(
        db,
        project_id,
        to_millis(month.start()),
        to_millis(month.end()),
    )
    .await?;
    let daily = crate::domain::usage::daily::daily_totals(month, &hourly);
    let thresholds = super::usage_thresholds::of_project(db, project_id).await?;
    let mut metrics = Vec::new();
    for m in q::metrics(db).await? {
        let days = daily
            .get(&m.code)
            .cloned()
            .unwrap_or_else(|| vec![Quantity::ZERO; month.days() as usize]);
        let max = days.iter().map(|q| q.micros()).max().unwrap_or(0).max(1);
        let total = days
            .iter()
            .fold(Quantity::ZERO, |a, q| a.checked_add(*q).unwrap_or(a));
        metrics.push(MetricMonthView {
            name_ko: m.name_ko,
            name_en: m.name_en,
            unit_ko: m.unit_ko,
            unit_en: m.unit_en,
            days: days
                .iter()
                .enumerate()
                .map(|(i, q)| {
                    let pct = (i128::from(q.micros()) * 100 / i128::from(max)) as u32;
                    (i as u32 + 1, q.to_string(), pct)
                })
                .collect(),
            total: total.to_string(),
            threshold: thresholds.get(&m.code).map(ToString::to_string),
            threshold_reached: thresholds
                .get(&m.code)
                .is_some_and(|t| total >= t.quantity()),
            code: m.code,
        });
    }
    let current = BillingMonth::containing(now);
    Ok(UsageMonthView {
        project_id,
        project_name: project_name.to_string(),
        month: month.to_string(),
        prev_month: month.prev().to_string(),
        next_month: (month < current).then(|| month.next().to_string()),
        metrics,
    })
}

/// The month's usage per day as CSV (UTF-8 with BOM), one row per day and metric.
pub fn month_csv(v: &crate::model::billing::UsageMonthView, english: bool) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(if english {
        "date,metric,quantity,unit\n"
    } else {
        "날짜,항목,수량,단위\n"
    });
    for m in &v.metrics {
        let (name, unit) = if english {
            (&m.name_en, &m.unit_en)
        } else {
            (&m.name_ko, &m.unit_ko)
        };
        for (day, q, _) in &m.days {
            out.push_str(&format!(
                "{}-{day:02},{},{q},{}\n",
                v.month,
                super::billing::csv_field(name),
                super::billing::csv_field(unit)
            ));
        }
    }
    out
}
