//! Usage thresholds (R5.3): customers set them on the usage page; every ingested batch and
//! every change of a threshold checks the months it touches and raises one alert (portal and
//! e-mail) per crossing.
use super::db::{Db, projects as pq, usage as uq, usage_thresholds as q};
use crate::domain::billing::BillingMonth;
use crate::domain::kst::to_millis;
use crate::domain::usage::Quantity;
use crate::domain::usage::threshold::{self, Threshold, ThresholdChange};
use crate::model::alerts::{CustomerAlert, UsageThresholdAlert};
use crate::model::billing::ThresholdOutcome;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};

/// The thresholds of a project by metric code, as stored (a row that breaks the rules is an
/// error: the table's CHECK keeps it positive, so this is a damaged database).
pub async fn of_project(
    db: &Db,
    project_id: i64,
) -> Result<BTreeMap<String, Threshold>, sqlx::Error> {
    q::for_project(db, project_id)
        .await?
        .into_iter()
        .map(|r| {
            Threshold::from_micros(r.monthly_micro)
                .map(|t| (r.metric, t))
                .map_err(|e| sqlx::Error::Decode(e.code().into()))
        })
        .collect()
}

/// Sets or removes the threshold of one metric of a project the caller has checked is the
/// customer's; a threshold already reached this month is alerted at once.
pub async fn set(
    db: &Db,
    project: &pq::ProjectRow,
    metric: &str,
    raw: &str,
    now: DateTime<Utc>,
) -> Result<ThresholdOutcome, sqlx::Error> {
    let metric = metric.trim();
    // Sent back into the field after a refusal; a page need not echo a megabyte.
    let typed: String = raw.chars().take(64).collect();
    if !uq::metrics(db).await?.iter().any(|m| m.code == metric) {
        return Ok(ThresholdOutcome::Invalid {
            metric: metric.to_string(),
            code: "metric_unknown".into(),
            typed,
        });
    }
    match ThresholdChange::parse(raw) {
        Err(e) => Ok(ThresholdOutcome::Invalid {
            metric: metric.to_string(),
            code: e.code().into(),
            typed,
        }),
        Ok(ThresholdChange::Remove) => {
            q::remove(db, project.id.0, metric).await?;
            Ok(ThresholdOutcome::Removed {
                metric: metric.to_string(),
            })
        }
        Ok(ThresholdChange::Set(t)) => {
            q::upsert(
                db,
                project.id.0,
                metric,
                t.quantity().micros(),
                to_millis(now),
            )
            .await?;
            let month = BillingMonth::containing(now);
            let metrics = uq::metrics(db).await?;
            let crossed =
                alert_if_crossed(db, &metrics, project.id.0, metric, month, t, now).await?;
            Ok(ThresholdOutcome::Saved {
                metric: metric.to_string(),
                value: t.to_string(),
                already_reached: crossed != Crossed::Below,
            })
        }
    }
}

async fn month_total(
    db: &Db,
    project_id: i64,
    metric: &str,
    month: BillingMonth,
) -> Result<Quantity, sqlx::Error> {
    let totals = uq::totals_for_project(
        db,
        project_id,
        to_millis(month.start()),
        to_millis(month.end()),
    )
    .await?;
    Ok(totals
        .into_iter()
        .find(|(m, _)| m == metric)
        .map(|(_, micros)| Quantity::from_micros(micros))
        .unwrap_or(Quantity::ZERO))
}

/// What an ingested batch touched: the (project, metric, KST month) of each stored record.
pub fn touched(keys: &[crate::domain::usage::batch::UsageKey]) -> Vec<(i64, String, BillingMonth)> {
    let set: BTreeSet<(i64, String, BillingMonth)> = keys
        .iter()
        .filter_map(|k| {
            crate::domain::kst::from_millis(k.hour_ms)
                .map(|h| (k.project_id, k.metric.clone(), BillingMonth::containing(h)))
        })
        .collect();
    set.into_iter().collect()
}

/// Raises the alerts for the touched (project, metric, month)s whose threshold the month's
/// usage has reached and that were not alerted yet; how many were raised. Runs after the
/// batch committed: if it fails, the next batch for the project checks the same month again
/// (the check reads the month's total, not the batch's), so a crossing is never lost for good.
pub async fn check(
    db: &Db,
    touched: &[(i64, String, BillingMonth)],
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    if touched.is_empty() {
        return Ok(0);
    }
    let mut projects: Vec<i64> = touched.iter().map(|(p, _, _)| *p).collect();
    projects.dedup();
    let mut set: BTreeMap<(i64, String), Threshold> = BTreeMap::new();
    for r in q::for_projects(db, &projects).await? {
        if let Ok(t) = Threshold::from_micros(r.monthly_micro) {
            set.insert((r.project_id, r.metric), t);
        }
    }
    if set.is_empty() {
        return Ok(0);
    }
    let metrics = uq::metrics(db).await?;
    let mut raised = 0;
    for (project_id, metric, month) in touched {
        let Some(t) = set.get(&(*project_id, metric.clone())) else {
            continue;
        };
        let crossed = alert_if_crossed(db, &metrics, *project_id, metric, *month, *t, now).await?;
        raised += u64::from(crossed == Crossed::Alerted);
    }
    Ok(raised)
}

/// Where a month's usage stands against its threshold after [`alert_if_crossed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Crossed {
    Below,
    /// Reached, with no new alert: raised before (one alert per crossing), or the project
    /// or metric is gone since the batch.
    AlreadyAlerted,
    /// Reached, and alerted now.
    Alerted,
}

/// Reads the month's total once and raises the alert (portal notice and e-mail, one
/// transaction) when the threshold is reached and this crossing was not alerted yet.
async fn alert_if_crossed(
    db: &Db,
    metrics: &[uq::MetricRow],
    project_id: i64,
    metric: &str,
    month: BillingMonth,
    t: Threshold,
    now: DateTime<Utc>,
) -> Result<Crossed, sqlx::Error> {
    let total = month_total(db, project_id, metric, month).await?;
    let Some(c) = threshold::crossing(month, t, total) else {
        return Ok(Crossed::Below);
    };
    // A project or metric gone since the batch: nobody to tell, nothing to name.
    let Some(project) = pq::find(db, crate::domain::stored::ProjectId(project_id)).await? else {
        return Ok(Crossed::AlreadyAlerted);
    };
    let Some(m) = metrics.iter().find(|m| m.code == metric) else {
        return Ok(Crossed::AlreadyAlerted);
    };
    let alert = CustomerAlert::UsageThreshold(UsageThresholdAlert {
        project_id,
        project_name: project.name.clone(),
        metric: metric.to_string(),
        metric_ko: m.name_ko.clone(),
        metric_en: m.name_en.clone(),
        unit_ko: m.unit_ko.clone(),
        unit_en: m.unit_en.clone(),
        month: month.to_string(),
        threshold: c.threshold.to_string(),
        total: c.total.to_string(),
    });
    let mut tx = db.pool.begin().await?;
    let new = super::alerts::raise(
        &mut tx,
        project.owner_id,
        &alert,
        &threshold::alert_key(project_id, metric, &c),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(if new {
        Crossed::Alerted
    } else {
        Crossed::AlreadyAlerted
    })
}
