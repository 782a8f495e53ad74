//! The dashboard card's month so far (R2.4): each project's usage this KST month and the
//! estimated charge, computed with the same invoice rules the month close uses.
use super::accounts::ServiceError;
use super::billing::{BillingError, applied_capacity_changes, paid_usage, plan_history};
use super::db::{billing as bq, projects as pq, usage as uq};
use super::startup::AppState;
use crate::domain::billing::estimate::{self, EstimateInput};
use crate::domain::billing::{BillingMonth, prices::PriceTable};
use crate::domain::billing::{capacity_days, paid};
use crate::domain::capacity::Capacity;
use crate::domain::kst::to_millis;
use crate::domain::usage::Quantity;
use crate::model::projects::{Estimate, MetricTotal, MonthToDate};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// The month so far of each given project (rows the caller read as the customer's).
pub async fn for_projects(
    state: &AppState,
    projects: &[pq::ProjectRow],
    now: DateTime<Utc>,
) -> Result<HashMap<i64, MonthToDate>, ServiceError> {
    let mut out = HashMap::new();
    if projects.is_empty() {
        return Ok(out);
    }
    let db = &state.db;
    let month = BillingMonth::containing(now);
    let metrics = uq::metrics(db).await?;
    let codes: Vec<String> = metrics.iter().map(|m| m.code.clone()).collect();
    let versions: Vec<PriceTable> = super::prices::versions(db)
        .await
        .map_err(BillingError::from)?
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    for row in projects {
        let id = row.id.0;
        let totals: HashMap<String, i64> =
            uq::totals_for_project(db, id, to_millis(month.start()), to_millis(month.end()))
                .await?
                .into_iter()
                .collect();
        let shown = metrics
            .iter()
            .map(|m| MetricTotal {
                code: m.code.clone(),
                name_ko: m.name_ko.clone(),
                name_en: m.name_en.clone(),
                unit_ko: m.unit_ko.clone(),
                unit_en: m.unit_en.clone(),
                total: Quantity::from_micros(totals.get(&m.code).copied().unwrap_or(0)).to_string(),
            })
            .collect();
        let mut tx = db.pool.begin().await?;
        let intervals = paid::paid_intervals(&plan_history(bq::plan_changes(&mut *tx, id).await?)?);
        let usage = paid_usage(&mut tx, id, month, &intervals).await?;
        let changes = applied_capacity_changes(&mut tx, id, month).await?;
        tx.commit().await?;
        let current = Capacity {
            ingest_gb_per_day: row.ingest_gb_per_day,
            storage_gb: row.storage_gb,
            extended_retention: row.extended_retention.0,
            remote_support: row.remote_support.0,
        };
        let input = EstimateInput {
            month,
            versions: &versions,
            metrics: &codes,
            usage: &usage,
            intervals: &intervals,
            at_start: capacity_days::capacity_before(month.start(), current, &changes),
            changes: &changes,
            vat_rate: state.settings.vat_rate(),
            now,
        };
        let estimate = match estimate::month_so_far(&input) {
            None => Estimate::FreePlan,
            Some(Ok(inv)) => Estimate::Krw(inv.total),
            Some(Err(_)) => Estimate::NoPrices,
        };
        out.insert(
            id,
            MonthToDate {
                month: month.to_string(),
                metrics: shown,
                estimate,
            },
        );
    }
    Ok(out)
}
