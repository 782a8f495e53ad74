//! The dashboard card's month so far (R2.4): each project's usage this KST month and the
//! estimated charge, computed with the same invoice rules the month close uses.
use super::accounts::ServiceError;
use super::billing::{BillingError, applied_capacity_changes_of, plan_history};
use super::db::{billing as bq, projects as pq, usage as uq};
use super::startup::AppState;
use crate::domain::billing::BillingMonth;
use crate::domain::billing::estimate::{self, EstimateInput};
use crate::domain::billing::{capacity_days, paid};
use crate::domain::capacity::Capacity;
use crate::domain::kst::to_millis;
use crate::domain::usage::Quantity;
use crate::model::projects::{Estimate, MetricTotal, MonthToDate};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};

/// The month so far of each given project (rows the caller read as the customer's).
///
/// The rows of every project are read together, a few queries for the whole page in one
/// read transaction, not a transaction per project: the dashboard is the page customers open
/// most (issue 15).
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
    let (start_ms, end_ms) = (to_millis(month.start()), to_millis(month.end()));
    let catalogue = state.price_catalogue.for_month(db, month).await?;
    let (metrics, versions) = (&catalogue.metrics, &catalogue.versions);
    let codes: Vec<String> = metrics.iter().map(|m| m.code.clone()).collect();
    let ids: Vec<i64> = projects.iter().map(|r| r.id.0).collect();

    // One snapshot for the plan history, the usage and the capacity changes, as before.
    let mut tx = db.pool.begin().await?;
    let mut history: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for (id, at, plan) in bq::plan_changes_of(&mut tx, &ids).await? {
        history.entry(id).or_default().push((at, plan));
    }
    let mut totals: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
    for (id, metric, micros) in uq::totals_of_projects(&mut tx, &ids, start_ms, end_ms).await? {
        totals.entry(id).or_default().push((metric, micros));
    }
    let mut intervals = HashMap::new();
    let mut usage: HashMap<i64, BTreeMap<String, Quantity>> = HashMap::new();
    let mut windows: Vec<(i64, i64, i64)> = Vec::new();
    for &id in &ids {
        let paid = paid::paid_intervals(&plan_history(history.remove(&id).unwrap_or_default())?);
        let project_windows = paid::paid_windows(month, &paid);
        if project_windows == [(month.start(), month.end())] {
            // Paid the whole month: its paid usage is the month's totals, already read.
            let all = totals.get(&id).map(Vec::as_slice).unwrap_or_default();
            let sums = all
                .iter()
                .map(|(m, micros)| (m.clone(), Quantity::from_micros(*micros)));
            usage.insert(id, sums.collect());
        } else {
            windows.extend(
                project_windows
                    .iter()
                    .map(|(from, to)| (id, to_millis(*from), to_millis(*to))),
            );
        }
        intervals.insert(id, paid);
    }
    // Part of the month paid: the usage of each paid stretch, summed like the month close.
    for (id, metric, micros) in uq::totals_in_windows(&mut tx, &windows).await? {
        let e = usage.entry(id).or_default().entry(metric).or_default();
        *e = e
            .checked_add(Quantity::from_micros(micros))
            .ok_or_else(|| BillingError::Unreadable("usage sum".into()))?;
    }
    let mut changes = applied_capacity_changes_of(&mut tx, &ids, month).await?;
    tx.commit().await?;

    for row in projects {
        let id = row.id.0;
        let totals: HashMap<&str, i64> = totals
            .get(&id)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|(m, micros)| (m.as_str(), *micros))
            .collect();
        let shown = metrics
            .iter()
            .map(|m| MetricTotal {
                code: m.code.clone(),
                name_ko: m.name_ko.clone(),
                name_en: m.name_en.clone(),
                unit_ko: m.unit_ko.clone(),
                unit_en: m.unit_en.clone(),
                total: Quantity::from_micros(totals.get(m.code.as_str()).copied().unwrap_or(0))
                    .to_string(),
            })
            .collect();
        let intervals = intervals.remove(&id).unwrap_or_default();
        let usage = usage.remove(&id).unwrap_or_default();
        let changes = changes.remove(&id).unwrap_or_default();
        let current = Capacity {
            ingest_gb_per_day: row.ingest_gb_per_day,
            storage_gb: row.storage_gb,
            extended_retention: row.extended_retention.0,
            remote_support: row.remote_support.0,
        };
        let input = EstimateInput {
            month,
            versions,
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
