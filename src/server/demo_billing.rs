//! The demo customer's usage and invoices (issue 18): three full months of hourly usage and
//! this month so far for the paid demo project, its invoices for those months (the oldest
//! paid, one overdue, the newest open), so a newcomer sees real charts and figures.
use super::accounts::ServiceError;
use super::startup::AppState;
use crate::domain::billing::BillingMonth;
use crate::domain::kst::to_millis;
use crate::domain::platform_token::Scope;
use crate::domain::usage::Quantity;
use crate::domain::usage::UsageRecord;
use crate::domain::usage::batch::{self, UsageKey};
use chrono::{DateTime, Duration, Timelike, Utc};

pub async fn seed(state: &AppState, now: DateTime<Utc>) -> Result<(), ServiceError> {
    let db = &state.db;
    let Some(project) =
        sqlx::query_scalar::<_, i64>("SELECT id FROM projects WHERE prefix = 'demo-pay'")
            .fetch_optional(&db.pool)
            .await?
    else {
        return Ok(());
    };
    let seeded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM usage_hourly WHERE project_id = $1")
        .bind(project)
        .fetch_one(&db.pool)
        .await?;
    if seeded > 0 {
        return Ok(());
    }
    let this_month = BillingMonth::containing(now);
    let first = this_month.prev().prev().prev();
    // Paid since a week before the first demo month, so every demo month is a full one.
    let since = to_millis(first.start() - Duration::days(7));
    for sql in [
        "UPDATE projects SET created_at = $1, upgraded_at = $1 WHERE id = $2",
        "UPDATE plan_changes SET at = $1 WHERE project_id = $2",
        "UPDATE capacity_changes SET requested_at = $1, applied_at = $1 WHERE project_id = $2",
    ] {
        sqlx::query(sql)
            .bind(since)
            .bind(project)
            .execute(&db.pool)
            .await?;
    }

    // Usage with a daily rhythm: more agents and data in KST working hours, growing a little.
    let mut records = Vec::new();
    let last_hour = now
        .with_minute(0)
        .and_then(|t| t.with_second(0))
        .unwrap_or(now);
    let mut t = first.start();
    let mut i: i64 = 0;
    while t < last_hour {
        let kst_hour = (t.hour() + 9) % 24;
        let busy = (9..19).contains(&kst_hour);
        let growth = i / 240;
        let agents = if busy { 12 + growth % 4 } else { 6 };
        let ingest_milli = if busy { 450 + (i % 7) * 30 } else { 120 };
        for (metric, micros) in [
            ("agent_hours", agents * 1_000_000),
            ("ingest_gb", ingest_milli * 1_000),
            ("storage_gb_days", (320 + growth) * 1_000_000 / 24),
        ] {
            records.push(UsageRecord {
                project_id: project,
                metric: metric.to_string(),
                hour: t,
                quantity: Quantity::from_micros(micros),
            });
        }
        t += Duration::hours(1);
        i += 1;
    }
    let (token_id, _) =
        super::platform_tokens::create(db, "demo platform", Scope::Usage, None, now).await?;
    let keys: Vec<UsageKey> = records.iter().map(UsageKey::of).collect();
    super::db::usage::store(
        db,
        &keys,
        |stored| batch::plan(&records, stored),
        token_id,
        to_millis(now),
    )
    .await?;

    // A threshold the demo month has crossed, so the usage page and the dashboard show one
    // (and its alert) from the first start.
    super::db::usage_thresholds::upsert(db, project, "agent_hours", 100_000_000, to_millis(now))
        .await?;
    super::usage_thresholds::check(db, &[(project, "agent_hours".into(), this_month)], now).await?;

    let mut month = first;
    while month < this_month {
        super::billing::close_month(state, month, month.end() + Duration::hours(3))
            .await
            .map_err(ServiceError::from)?;
        super::demo_sla::after_invoices(state, project, month, first, now).await?;
        month = month.next();
    }
    // The first month was paid on time; the second is overdue since yesterday (so the
    // project's access has stopped until billing records the payment); the third is open.
    let first_code = first.to_string();
    sqlx::query(
        "UPDATE invoices SET paid_amount = total, paid_at = issued_at + 432000000 \
         WHERE project_id = $1 AND month = $2",
    )
    .bind(project)
    .bind(&first_code)
    .execute(&db.pool)
    .await?;
    sqlx::query(
        "INSERT INTO payments (invoice_id, amount, paid_on, method, reference, recorded_by, recorded_at) \
         SELECT i.id, i.total, $1, 'bank_transfer', '데모 입금', u.id, i.paid_at \
         FROM invoices i, users u WHERE i.project_id = $2 AND i.month = $3 AND u.login_id = 'admin'",
    )
    .bind(first.next().day(5).to_string())
    .bind(project)
    .bind(&first_code)
    .execute(&db.pool)
    .await?;
    let yesterday = crate::domain::kst::kst_date(now) - Duration::days(1);
    sqlx::query("UPDATE invoices SET due_date = $1 WHERE project_id = $2 AND month = $3")
        .bind(yesterday.to_string())
        .bind(project)
        .bind(first.next().to_string())
        .execute(&db.pool)
        .await?;
    // The newest stays open whatever today's date (its real due date may just have passed).
    let open_until = crate::domain::kst::kst_date(now) + Duration::days(14);
    sqlx::query("UPDATE invoices SET due_date = $1 WHERE project_id = $2 AND month = $3")
        .bind(open_until.to_string())
        .bind(project)
        .bind(this_month.prev().to_string())
        .execute(&db.pool)
        .await?;
    super::billing::mark_overdue(state, now)
        .await
        .map_err(ServiceError::from)?;
    Ok(())
}
