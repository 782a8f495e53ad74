//! The demo's SLA data (issue 17): probe results every minute for the paid demo project's
//! invoiced months, one month with an outage partly inside an announced maintenance window,
//! and the statements of every settled month, so its credit shows on the next invoice.
use super::accounts::ServiceError;
use super::startup::AppState;
use crate::domain::billing::BillingMonth;
use crate::domain::kst::to_millis;
use crate::domain::sla::probe::ProbeResult;
use chrono::{DateTime, Duration, Utc};

/// Called by the billing demo after each month's invoices are issued: results for the
/// month, the outage in `outage_month`, and the month's statements once it has settled.
pub async fn after_invoices(
    state: &AppState,
    project: i64,
    month: BillingMonth,
    outage_month: BillingMonth,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let db = &state.db;
    // 14:00-15:30 KST on the 12th: 90 minutes down, the first 30 in announced maintenance.
    let down_from = month.start() + Duration::days(11) + Duration::hours(14);
    let down_to = down_from + Duration::minutes(90);
    let mut results = Vec::with_capacity(usize::try_from(month.days()).unwrap_or(31) * 1440);
    let mut t = month.start();
    while t < month.end() && t < now {
        let down = month == outage_month && down_from <= t && t < down_to;
        results.push(ProbeResult {
            project_id: project,
            location: "seoul-1".into(),
            at: t,
            ok: !down,
            latency_ms: Some(if down { 10_000 } else { 180 }),
            error: down.then(|| "connect timeout".to_string()),
        });
        t += Duration::minutes(1);
    }
    super::db::sla::store_results(db, &results, to_millis(now)).await?;
    if month == outage_month {
        sqlx::query(
            "INSERT INTO maintenance_windows (starts_at, ends_at, all_projects, notice, published_at, published_by) \
             SELECT $1, $2, 1, $3, $4, id FROM users WHERE login_id = 'admin'",
        )
        .bind(to_millis(down_from))
        .bind(to_millis(down_from + Duration::minutes(30)))
        .bind("데이터베이스 정기 점검 (Scheduled database maintenance)")
        .bind(to_millis(down_from - Duration::days(3)))
        .execute(&db.pool)
        .await?;
    }
    let ready = super::sla::ready_at(month, state.settings.sla_settle_hours);
    if ready <= now {
        super::sla::issue_month(state, month, ready)
            .await
            .map_err(|e| ServiceError::from(sqlx::Error::Protocol(e.to_string())))?;
    }
    Ok(())
}
