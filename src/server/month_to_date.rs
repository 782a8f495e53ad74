//! The dashboard card's month so far (R2.4): each project's usage this KST month and the
//! estimated charge, computed with the same invoice rules the month close uses.
use super::accounts::ServiceError;
use super::billing::{BillingError, applied_change, plan_history};
use super::db::ReadConnection;
use super::db::month_to_date::{self as mq, MonthRead};
use super::db::projects as pq;
use super::price_catalogue::Catalogue;
use super::startup::AppState;
use crate::domain::billing::BillingMonth;
use crate::domain::billing::capacity_days::{self, AppliedChange};
use crate::domain::billing::estimate::{self, EstimateInput};
use crate::domain::billing::paid;
use crate::domain::billing::paid_usage::{self, UsageSince};
use crate::domain::capacity::Capacity;
use crate::domain::kst::{from_millis, to_millis};
use crate::domain::usage::Quantity;
use crate::model::projects::{Estimate, MetricTotal, MonthToDate};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The price catalogue of the month containing `now`, then a connection to read the month
/// so far on, in that order: a catalogue not yet kept is read on a connection of its own, and
/// requests that each held one while waiting for another could take the whole pool.
pub async fn catalogue_then_connection(
    state: &AppState,
    now: DateTime<Utc>,
) -> Result<(Arc<Catalogue>, ReadConnection), ServiceError> {
    let catalogue = state
        .price_catalogue
        .for_month(&state.db, BillingMonth::containing(now))
        .await?;
    Ok((catalogue, state.db.reader().await?))
}

/// The month so far of each given project (rows the caller read as the customer's), priced
/// with `catalogue`, the one of the month containing `now` (`PriceCatalogue::for_month`).
///
/// The rows of every project are read together, in one statement for the whole page
/// (`db::month_to_date`): the dashboard is the page customers open most (issue 15). Take
/// `catalogue` and `conn` from [`catalogue_then_connection`].
pub async fn for_projects(
    state: &AppState,
    conn: &mut ReadConnection,
    catalogue: &Catalogue,
    projects: &[pq::ProjectRow],
    now: DateTime<Utc>,
) -> Result<HashMap<i64, MonthToDate>, ServiceError> {
    let mut out = HashMap::new();
    if projects.is_empty() {
        return Ok(out);
    }
    let month = BillingMonth::containing(now);
    let (start_ms, end_ms) = (to_millis(month.start()), to_millis(month.end()));
    let (metrics, versions) = (&catalogue.metrics, &catalogue.versions);
    let codes: Vec<String> = metrics.iter().map(|m| m.code.clone()).collect();
    let ids: Vec<i64> = projects.iter().map(|r| r.id.0).collect();

    // One statement: the plan histories, the capacity changes and the usage of the whole page,
    // one snapshot and one round trip (issue 15).
    let mut history: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    let mut totals: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
    let mut since: HashMap<i64, UsageSince> = HashMap::new();
    let mut changes: HashMap<i64, Vec<AppliedChange>> = HashMap::new();
    for read in mq::read(conn, &ids, start_ms, end_ms).await? {
        match read {
            MonthRead::PlanChange {
                project_id,
                at_ms,
                plan,
            } => history.entry(project_id).or_default().push((at_ms, plan)),
            MonthRead::CapacityChange { project_id, change } => changes
                .entry(project_id)
                .or_default()
                .push(applied_change(change)?),
            MonthRead::MonthTotal {
                project_id,
                metric,
                micros,
            } => totals.entry(project_id).or_default().push((metric, micros)),
            MonthRead::SinceChange {
                project_id,
                since_ms,
                metric,
                micros,
            } => {
                let at = from_millis(since_ms)
                    .ok_or_else(|| BillingError::Unreadable("plan change time".into()))?;
                since
                    .entry(project_id)
                    .or_default()
                    .entry(at)
                    .or_default()
                    .insert(metric, Quantity::from_micros(micros));
            }
        }
    }
    let mut intervals = HashMap::new();
    let mut usage: HashMap<i64, BTreeMap<String, Quantity>> = HashMap::new();
    for &id in &ids {
        let plans = plan_history(history.remove(&id).unwrap_or_default())?;
        let mut project_since = since.remove(&id).unwrap_or_default();
        // Every point a paid stretch can start or end at was read; a change with no usage
        // since has no rows, which is zero, not unread.
        project_since.insert(
            month.start(),
            totals
                .get(&id)
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|(m, micros)| (m.clone(), Quantity::from_micros(*micros)))
                .collect(),
        );
        for (at, _) in &plans {
            if *at > month.start() && *at < month.end() {
                project_since.entry(*at).or_default();
            }
        }
        let paid = paid::paid_intervals(&plans);
        let windows = paid::paid_windows(month, &paid);
        let used = paid_usage::paid_usage(month, &windows, &project_since)
            .map_err(|e| BillingError::Unreadable(e.to_string()))?;
        usage.insert(id, used);
        intervals.insert(id, paid);
    }

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
