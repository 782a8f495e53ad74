//! Billing use cases: closing a month (invoices for every project paid during it, in one
//! transaction), marking overdue invoices, recording payments, and the invoice views.
use super::accounts::ServiceError;
use super::auth::session::AuthSession;
use super::db::billing::{CAPACITY_CHANGE_COLUMNS, CapacityChangeForClose};
use super::db::{Db, audit, billing as q, usage as uq};
use super::startup::AppState;
use crate::domain::billing::BillingMonth;
use crate::domain::billing::capacity_days::{self, AppliedChange};
use crate::domain::billing::credit_note;
use crate::domain::billing::invoice::{
    self, ComputedInvoice, InvoiceInput, PaidPeriod, PendingCredit,
};
use crate::domain::billing::paid::{self, PaidInterval};
use crate::domain::billing::payment::{self, PaymentProblem};
use crate::domain::billing::prices::{self, PriceTable};
use crate::domain::billing::reminder;
use crate::domain::capacity::Capacity;
use crate::domain::kst::{format_kst, from_millis, kst_date, to_millis};
use crate::domain::plan::Plan;
use crate::domain::usage::Quantity;
use crate::model::StaffRole;
use crate::model::alerts::{CustomerAlert, InvoiceAlert, OverdueSteps};
use crate::model::billing::{
    CreditNoteOutcome, CreditNoteView, InvoiceDetail, InvoiceLineView, InvoiceStatus,
    InvoiceSummary, PaymentOutcome, PaymentView, Prorated,
};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Prices(#[from] super::prices::PricesError),
    #[error("project {project}: {reason:?}")]
    Invoice {
        project: i64,
        reason: invoice::InvoiceError,
    },
    #[error("stored value cannot be read: {0}")]
    Unreadable(String),
}

impl From<BillingError> for ServiceError {
    fn from(e: BillingError) -> Self {
        match e {
            BillingError::Db(e) => e.into(),
            other => sqlx::Error::Protocol(other.to_string()).into(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CloseReport {
    /// Invoices issued by this run.
    pub issued: u64,
    /// Projects that already had their invoice for the month (an earlier run).
    pub already: u64,
}

/// One project as the month close needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
struct ProjectForClose {
    id: i64,
    owner_id: i64,
    ingest_gb_per_day: i64,
    storage_gb: i64,
    extended_retention: i64,
    remote_support: i64,
}

fn unreadable(what: impl std::fmt::Display) -> BillingError {
    BillingError::Unreadable(what.to_string())
}

/// A capacity as the database stores it (units as BIGINT, options as 0/1).
fn capacity_of(
    ingest_gb_per_day: i64,
    storage_gb: i64,
    extended_retention: i64,
    remote_support: i64,
) -> Result<Capacity, BillingError> {
    Ok(Capacity {
        ingest_gb_per_day: u32::try_from(ingest_gb_per_day)
            .map_err(|_| unreadable("ingest capacity"))?,
        storage_gb: u32::try_from(storage_gb).map_err(|_| unreadable("storage capacity"))?,
        extended_retention: extended_retention != 0,
        remote_support: remote_support != 0,
    })
}

pub(super) fn applied_change(r: CapacityChangeForClose) -> Result<AppliedChange, BillingError> {
    Ok(AppliedChange {
        at: from_millis(r.applied_at).ok_or_else(|| unreadable("capacity change time"))?,
        from: capacity_of(
            r.from_ingest_gb_per_day,
            r.from_storage_gb,
            r.from_extended_retention,
            r.from_remote_support,
        )?,
        to: capacity_of(
            r.to_ingest_gb_per_day,
            r.to_storage_gb,
            r.to_extended_retention,
            r.to_remote_support,
        )?,
    })
}

/// The project's capacity changes applied from the start of `month` on, oldest first. A
/// change not applied yet (`applied_at` NULL) was never held, so it is not billed.
pub(super) async fn applied_capacity_changes(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    project_id: i64,
    month: BillingMonth,
) -> Result<Vec<AppliedChange>, BillingError> {
    let rows = sqlx::query_as::<_, CapacityChangeForClose>(&format!(
        "SELECT {CAPACITY_CHANGE_COLUMNS} FROM capacity_changes \
         WHERE project_id = $1 AND applied_at IS NOT NULL AND applied_at >= $2 \
         ORDER BY applied_at, id"
    ))
    .bind(project_id)
    .bind(to_millis(month.start()))
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter().map(applied_change).collect()
}

/// Closes `month`: every project paid during it gets its invoice. All or nothing: one
/// transaction (holding the ingestion lock, so usage cannot change under it); a project that
/// already has its invoice is left as it is, so running again (or on two instances at once)
/// issues each invoice once.
pub async fn close_month(
    state: &AppState,
    month: BillingMonth,
    now: DateTime<Utc>,
) -> Result<CloseReport, BillingError> {
    let db = &state.db;
    let versions: Vec<(i64, PriceTable)> = super::prices::versions(db).await?;
    let tables: Vec<PriceTable> = versions.iter().map(|(_, t)| t.clone()).collect();
    let metrics: Vec<String> = uq::metrics(db).await?.into_iter().map(|m| m.code).collect();
    let vat_rate = state.settings.vat_rate();
    let due = invoice::due_date(month, state.settings.invoice_due_day);
    let month_code = month.to_string();
    let now_ms = to_millis(now);

    let mut tx = db.pool.begin().await?;
    sqlx::query("UPDATE job_leases SET lease_until = lease_until WHERE name = 'usage_ingest'")
        .execute(&mut *tx)
        .await?;
    let projects = sqlx::query_as::<_, ProjectForClose>(
        "SELECT id, owner_id, ingest_gb_per_day, storage_gb, extended_retention, remote_support \
         FROM projects WHERE created_at < $1 ORDER BY id",
    )
    .bind(to_millis(month.end()))
    .fetch_all(&mut *tx)
    .await?;
    let mut report = CloseReport::default();
    for p in projects {
        let intervals =
            paid::paid_intervals(&plan_history(q::plan_changes(&mut *tx, p.id).await?)?);
        let days = paid::paid_days_in(month, &intervals);
        if days == 0 {
            continue;
        }
        let exists: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM invoices WHERE project_id = $1 AND month = $2",
        )
        .bind(p.id)
        .bind(&month_code)
        .fetch_one(&mut *tx)
        .await?;
        if exists > 0 {
            report.already += 1;
            continue;
        }
        let usage = paid_usage(&mut tx, p.id, month, &intervals).await?;
        let late = late_usage(&mut tx, p.id, &intervals).await?;
        let credits: Vec<PendingCredit> = q::pending_credits(&mut tx, p.id)
            .await?
            .into_iter()
            .map(|(id, amount)| PendingCredit { id, amount })
            .collect();
        let current = capacity_of(
            p.ingest_gb_per_day,
            p.storage_gb,
            p.extended_retention,
            p.remote_support,
        )?;
        // Each paid day at the highest capacity it held that day (the rule is in
        // `domain::billing::capacity_days`). Changes before the month are already in the
        // capacity it started with, so only later ones are read; the current capacity counts
        // only when none came since.
        let changes = applied_capacity_changes(&mut tx, p.id, month).await?;
        let at_start = capacity_days::capacity_before(month.start(), current, &changes);
        let periods: Vec<PaidPeriod> =
            capacity_days::paid_periods(month, &intervals, at_start, &changes);
        let computed = invoice::compute(&InvoiceInput {
            month,
            versions: &tables,
            metrics: &metrics,
            usage: &usage,
            late_usage: &late,
            paid: &periods,
            credits: &credits,
            vat_rate,
        })
        .map_err(|reason| BillingError::Invoice {
            project: p.id,
            reason,
        })?;
        let version_id = versions
            .iter()
            .filter(|(_, t)| t.effective_from <= month)
            .max_by_key(|(_, t)| t.effective_from)
            .map(|(id, _)| *id)
            .ok_or_else(|| unreadable("price version"))?;
        insert_invoice(
            &mut tx,
            &p,
            &computed,
            version_id,
            &month_code,
            due,
            vat_rate,
            now_ms,
        )
        .await?;
        report.issued += 1;
    }
    sqlx::query(
        "INSERT INTO closed_months (month, closed_at, invoices) VALUES ($1, $2, $3) \
         ON CONFLICT (month) DO NOTHING",
    )
    .bind(&month_code)
    .bind(now_ms)
    .bind(i64::try_from(report.issued).unwrap_or(i64::MAX))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(report)
}

#[allow(clippy::too_many_arguments)]
async fn insert_invoice(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    p: &ProjectForClose,
    c: &ComputedInvoice,
    version_id: i64,
    month_code: &str,
    due: NaiveDate,
    vat_rate: Decimal,
    now_ms: i64,
) -> Result<(), BillingError> {
    let number = format!("INV-{}-{:06}", month_code.replace('-', ""), p.id);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO invoices (number, project_id, customer_id, month, issued_at, due_date, \
         price_version_id, subtotal, credited, vat_rate, vat, total, paid_amount, paid_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13) RETURNING id",
    )
    .bind(&number)
    .bind(p.id)
    .bind(p.owner_id)
    .bind(month_code)
    .bind(now_ms)
    .bind(due.format("%Y-%m-%d").to_string())
    .bind(version_id)
    .bind(c.subtotal)
    .bind(c.credited)
    .bind(vat_rate.normalize().to_string())
    .bind(c.vat)
    .bind(c.total)
    // An invoice that owes nothing (credits covered it) is paid as issued.
    .bind((c.total == 0).then_some(now_ms))
    .fetch_one(&mut **tx)
    .await?;
    for (position, l) in c.lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO invoice_lines (invoice_id, position, kind, code, usage_month, quantity, \
             unit_price, paid_days, amount) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(i64::try_from(position).unwrap_or(0))
        .bind(l.kind.code())
        .bind(&l.code)
        .bind(l.usage_month.to_string())
        .bind(l.quantity.normalize().to_string())
        .bind(l.unit_price.normalize().to_string())
        .bind(l.paid_days.map(i64::from))
        .bind(l.amount)
        .execute(&mut **tx)
        .await?;
    }
    for a in &c.credits {
        sqlx::query(
            "INSERT INTO invoice_credits (invoice_id, credit_id, amount) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(a.credit_id)
        .bind(a.amount)
        .execute(&mut **tx)
        .await?;
        sqlx::query("UPDATE credits SET remaining = remaining - $1 WHERE id = $2")
            .bind(a.amount)
            .bind(a.credit_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Stored plan changes as (when, plan); an unreadable one is an error, never skipped.
pub fn plan_history(
    changes: Vec<(i64, String)>,
) -> Result<Vec<(DateTime<Utc>, Plan)>, BillingError> {
    changes
        .into_iter()
        .map(|(at, plan)| {
            let at = from_millis(at).ok_or_else(|| unreadable("plan change time"))?;
            let plan = Plan::from_code(&plan).ok_or_else(|| unreadable("plan change plan"))?;
            Ok((at, plan))
        })
        .collect()
}

/// Usage of the month while the project was paid, per metric.
pub(super) async fn paid_usage(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    project_id: i64,
    month: BillingMonth,
    intervals: &[PaidInterval],
) -> Result<BTreeMap<String, Quantity>, BillingError> {
    let mut out: BTreeMap<String, Quantity> = BTreeMap::new();
    for (from, to) in paid::paid_windows(month, intervals) {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT metric, CAST(SUM(quantity_micro) AS BIGINT) FROM usage_hourly \
             WHERE project_id = $1 AND hour_at >= $2 AND hour_at < $3 GROUP BY metric",
        )
        .bind(project_id)
        .bind(to_millis(from))
        .bind(to_millis(to))
        .fetch_all(&mut **tx)
        .await?;
        for (metric, micros) in rows {
            let e = out.entry(metric).or_default();
            *e = e
                .checked_add(Quantity::from_micros(micros))
                .ok_or_else(|| unreadable("usage sum"))?;
        }
    }
    Ok(out)
}

/// How many invoiced months back late usage is looked for.
const LATE_MONTHS: usize = 3;

/// Usage of the project's recently invoiced months that arrived after their invoices.
async fn late_usage(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    project_id: i64,
    intervals: &[PaidInterval],
) -> Result<Vec<invoice::LateUsage>, BillingError> {
    let mut months: Vec<BillingMonth> = q::invoiced_months(tx, project_id)
        .await?
        .iter()
        .filter_map(|m| BillingMonth::parse(m))
        .collect();
    months.sort_unstable();
    months.dedup();
    let recent: Vec<BillingMonth> = months.into_iter().rev().take(LATE_MONTHS).collect();
    if recent.is_empty() {
        return Ok(Vec::new());
    }
    let mut billed = BTreeMap::new();
    for (usage_month, code, quantity) in q::billed_usage(tx, project_id).await? {
        let Some(m) = BillingMonth::parse(&usage_month) else {
            return Err(unreadable("invoice line month"));
        };
        let qty = Quantity::parse(&quantity).map_err(|_| unreadable("invoice line quantity"))?;
        let e: &mut Quantity = billed.entry((m, code)).or_default();
        *e = e.checked_add(qty).ok_or_else(|| unreadable("billed sum"))?;
    }
    let mut current = BTreeMap::new();
    for m in recent {
        for (metric, q) in paid_usage(tx, project_id, m, intervals).await? {
            current.insert((m, metric), q);
        }
    }
    Ok(invoice::late_usage(&current, &billed))
}

/// The month the automatic close should look at now, if its settle period has passed.
pub fn month_due_for_close(now: DateTime<Utc>, settle_hours: u32) -> BillingMonth {
    BillingMonth::containing(now - chrono::Duration::hours(i64::from(settle_hours))).prev()
}

/// The automatic close: once the settle period after a month's end has passed, the previous
/// month is closed (once; the lease and the unique index keep it so across instances).
pub async fn close_due_month(
    state: &AppState,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<Option<CloseReport>, BillingError> {
    let month = month_due_for_close(now, state.settings.month_close_settle_hours);
    if q::is_month_closed(&state.db, &month.to_string()).await? {
        return Ok(None);
    }
    let now_ms = to_millis(now);
    if !super::db::leases::try_acquire(&state.db, "month_close", holder, now_ms, now_ms + 600_000)
        .await?
    {
        return Ok(None);
    }
    let result = close_month(state, month, now).await;
    super::db::leases::release(&state.db, "month_close", holder).await?;
    result.map(Some)
}

/// Unpaid invoices past their due date: marked overdue, the customer told (portal and e-mail,
/// with the dates of each step), and the project's missed-payment date set to the oldest such
/// due date (the lifecycle then stops access at D+1, collection at D+10, deletes at D+20,
/// with its notices ahead of the later steps).
pub async fn mark_overdue(state: &AppState, now: DateTime<Utc>) -> Result<u64, BillingError> {
    let today = kst_date(now).format("%Y-%m-%d").to_string();
    let mut marked = 0;
    for inv in q::newly_overdue(&state.db, &today).await? {
        let mut tx = state.db.pool.begin().await?;
        if !q::mark_overdue(&mut tx, inv.id, to_millis(now)).await? {
            continue;
        }
        let missed = q::oldest_overdue_due_date(&mut *tx, inv.project_id)
            .await?
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
        let alert =
            CustomerAlert::InvoiceOverdue(invoice_alert(&inv, 0, missed.map(overdue_steps)));
        super::alerts::raise(
            &mut tx,
            crate::domain::stored::UserId(inv.customer_id),
            &alert,
            &reminder::overdue_key(inv.id),
            now,
        )
        .await?;
        tx.commit().await?;
        marked += 1;
        refresh_missed_payment(state, inv.project_id, now).await?;
    }
    Ok(marked)
}

/// The KST dates of the steps a missed payment date leads to (R7, paid projects).
fn overdue_steps(missed: NaiveDate) -> OverdueSteps {
    use crate::domain::lifecycle::{
        PAID_ACCESS_STOP_DAYS, PAID_COLLECTION_STOP_DAYS, PAID_DELETION_DAYS,
    };
    let after = |days: u64| {
        missed
            .checked_add_days(chrono::Days::new(days))
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    OverdueSteps {
        access_stops: after(PAID_ACCESS_STOP_DAYS),
        collection_stops: after(PAID_COLLECTION_STOP_DAYS),
        deleted: after(PAID_DELETION_DAYS),
    }
}

fn invoice_alert(inv: &q::InvoiceRow, days_left: i64, steps: Option<OverdueSteps>) -> InvoiceAlert {
    InvoiceAlert {
        invoice_id: inv.id,
        number: inv.number.clone(),
        project_id: inv.project_id,
        project_name: inv.project_name.clone(),
        month: inv.month.clone(),
        balance: balance_of(inv),
        due_date: inv.due_date.clone(),
        days_left,
        steps,
    }
}

/// Reminds the customer of each unpaid invoice 3 days and 1 day before its due date (portal
/// and e-mail, once each); how many reminders were new. Idempotent: run every minute.
pub async fn remind_due_soon(state: &AppState, now: DateTime<Utc>) -> Result<u64, BillingError> {
    let today = kst_date(now);
    let until = today
        .checked_add_days(chrono::Days::new(3))
        .unwrap_or(today);
    let mut sent = 0;
    for inv in q::unpaid_due_between(
        &state.db,
        &today.format("%Y-%m-%d").to_string(),
        &until.format("%Y-%m-%d").to_string(),
    )
    .await?
    {
        let Ok(due) = NaiveDate::parse_from_str(&inv.due_date, "%Y-%m-%d") else {
            return Err(unreadable("due date"));
        };
        let Some(days_before) = reminder::reminder_due(today, due) else {
            continue;
        };
        if balance_of(&inv) == 0 {
            continue;
        }
        let alert =
            CustomerAlert::InvoiceDueSoon(invoice_alert(&inv, (due - today).num_days(), None));
        let mut tx = state.db.pool.begin().await?;
        let new = super::alerts::raise(
            &mut tx,
            crate::domain::stored::UserId(inv.customer_id),
            &alert,
            &reminder::reminder_key(inv.id, days_before),
            now,
        )
        .await?;
        tx.commit().await?;
        sent += u64::from(new);
    }
    Ok(sent)
}

/// Sets the project's missed-payment date from its overdue unpaid invoices (None clears it),
/// and applies what that changes at once (a payment restores access now, not a minute later).
pub(crate) async fn refresh_missed_payment(
    state: &AppState,
    project_id: i64,
    now: DateTime<Utc>,
) -> Result<(), BillingError> {
    let date = q::oldest_overdue_due_date(&state.db.pool, project_id)
        .await?
        .map(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| unreadable("due date")))
        .transpose()?;
    let id = crate::domain::stored::ProjectId(project_id);
    let Some(row) = super::db::projects::find(&state.db, id).await? else {
        return Ok(());
    };
    let current = row.missed_payment_date.0;
    if current == date {
        return Ok(());
    }
    super::projects::set_missed_payment(state, &row, date, now)
        .await
        .map_err(|e| BillingError::Unreadable(e.to_string()))?;
    if let Some(row) = super::db::projects::find(&state.db, id).await? {
        super::jobs::run_lifecycle_for(&state.db, &row, now).await?;
    }
    Ok(())
}

fn status_of(r: &q::InvoiceRow) -> InvoiceStatus {
    if r.paid_at.is_some() {
        InvoiceStatus::Paid
    } else if r.overdue_at.is_some() {
        InvoiceStatus::Overdue
    } else if r.paid_amount > 0 {
        InvoiceStatus::PartlyPaid
    } else {
        InvoiceStatus::Unpaid
    }
}

/// What is still owed on an invoice (never below zero).
pub(crate) fn balance_of(r: &q::InvoiceRow) -> i64 {
    (r.total - r.credit_noted - r.paid_amount).max(0)
}

fn summary(r: &q::InvoiceRow) -> InvoiceSummary {
    InvoiceSummary {
        id: r.id,
        number: r.number.clone(),
        project_id: r.project_id,
        project_name: r.project_name.clone(),
        customer_login_id: r.customer_login_id.clone(),
        month: r.month.clone(),
        issued_at: from_millis(r.issued_at).map(format_kst).unwrap_or_default(),
        due_date: r.due_date.clone(),
        total: r.total,
        paid_amount: r.paid_amount,
        balance: balance_of(r),
        status: status_of(r),
    }
}

pub async fn customer_invoices(
    db: &Db,
    customer_id: i64,
) -> Result<Vec<InvoiceSummary>, sqlx::Error> {
    Ok(q::for_customer(db, customer_id)
        .await?
        .iter()
        .map(summary)
        .collect())
}

pub const STAFF_PER_PAGE: i64 = 50;

pub async fn staff_invoices(
    db: &Db,
    filter: &str,
    page: i64,
) -> Result<Vec<InvoiceSummary>, sqlx::Error> {
    let page = page.clamp(1, 100_000);
    Ok(
        q::for_staff(db, filter, STAFF_PER_PAGE, (page - 1) * STAFF_PER_PAGE)
            .await?
            .iter()
            .map(summary)
            .collect(),
    )
}

/// One invoice: for its customer (`customer = Some(id)`: anyone else's is None, a 404) or for
/// staff (`None`: every invoice, with who recorded each payment).
pub async fn invoice_detail(
    db: &Db,
    id: i64,
    customer: Option<i64>,
) -> Result<Option<InvoiceDetail>, sqlx::Error> {
    let Some(r) = q::invoice(db, id).await? else {
        return Ok(None);
    };
    if customer.is_some_and(|c| c != r.customer_id) {
        return Ok(None);
    }
    let metrics = uq::metrics(db).await?;
    let lines = q::lines(db, id)
        .await?
        .into_iter()
        .map(|l| {
            let (name_ko, name_en, unit_ko, unit_en) =
                match metrics.iter().find(|m| m.code == l.code) {
                    Some(m) if l.kind == "metric" => (
                        m.name_ko.clone(),
                        m.name_en.clone(),
                        m.unit_ko.clone(),
                        m.unit_en.clone(),
                    ),
                    _ => {
                        let (a, b, c, d) = super::prices::item_names(&l.code);
                        (a.into(), b.into(), c.into(), d.into())
                    }
                };
            let prorated = prorated(&l.quantity, l.paid_days, &l.usage_month);
            InvoiceLineView {
                prorated,
                late: l.usage_month != r.month,
                kind: l.kind,
                code: l.code,
                name_ko,
                name_en,
                unit_ko,
                unit_en,
                usage_month: l.usage_month,
                quantity: l.quantity,
                unit_price: l.unit_price,
                paid_days: l.paid_days,
                amount: l.amount,
            }
        })
        .collect();
    let payments = q::payments(db, id)
        .await?
        .into_iter()
        .map(|p| PaymentView {
            amount: p.amount,
            paid_on: p.paid_on,
            method: p.method,
            reference: p.reference,
            recorded_by: customer.is_none().then_some(p.recorded_by_login),
        })
        .collect();
    let credit_notes = q::credit_notes(db, id)
        .await?
        .into_iter()
        .map(|n| CreditNoteView {
            number: n.number,
            amount: n.amount,
            reason: n.reason,
            created_at: from_millis(n.created_at)
                .map(format_kst)
                .unwrap_or_default(),
            created_by: customer.is_none().then_some(n.created_by_login),
        })
        .collect();
    let vat_percent = Decimal::from_str(&r.vat_rate)
        .map(|v| (v * Decimal::ONE_HUNDRED).normalize().to_string())
        .unwrap_or_default();
    Ok(Some(InvoiceDetail {
        summary: summary(&r),
        project_prefix: r.project_prefix.clone(),
        lines,
        subtotal: r.subtotal,
        credited: r.credited,
        vat_percent,
        vat: r.vat,
        total: r.total,
        credit_noted: r.credit_noted,
        credit_notes,
        payments,
    }))
}

/// Billing staff record a (partial) payment; one that covers what is owed marks the invoice
/// paid and clears the project's missed-payment date if nothing else is overdue. Audited.
pub async fn record_payment(
    state: &AppState,
    staff: &AuthSession,
    role: StaffRole,
    invoice_id: i64,
    form: &PaymentForm<'_>,
    now: DateTime<Utc>,
) -> Result<Option<PaymentOutcome>, BillingError> {
    if !role.may_change_billing() {
        return Ok(Some(PaymentOutcome::NotAllowed));
    }
    let mut tx = state.db.pool.begin().await?;
    // Read under the invoice's lock: a credit note written meanwhile lowers the balance this
    // payment is checked against.
    let Some(r) = q::invoice_locked(&mut tx, invoice_id).await? else {
        return Ok(None);
    };
    let checked = payment::check(
        form.amount,
        form.paid_on,
        form.method,
        form.reference,
        balance_of(&r),
        kst_date(now),
    );
    let p = match checked {
        Ok(p) => p,
        Err(problems) => {
            return Ok(Some(PaymentOutcome::Invalid {
                problems: problems.iter().map(|p| p.code().to_string()).collect(),
            }));
        }
    };
    let now_ms = to_millis(now);
    // Only while what is owed is what we checked against: two clerks recording the same
    // transfer at once cannot both take it.
    let updated = sqlx::query(
        "UPDATE invoices SET paid_amount = paid_amount + $1, \
         paid_at = CASE WHEN paid_amount + $1 >= total - $2 THEN $3 ELSE paid_at END \
         WHERE id = $4 AND paid_amount = $5 AND paid_at IS NULL",
    )
    .bind(p.amount)
    .bind(r.credit_noted)
    .bind(now_ms)
    .bind(invoice_id)
    .bind(r.paid_amount)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Ok(Some(PaymentOutcome::Invalid {
            problems: vec![PaymentProblem::AmountOverBalance.code().to_string()],
        }));
    }
    sqlx::query(
        "INSERT INTO payments (invoice_id, amount, paid_on, method, reference, recorded_by, \
         recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(invoice_id)
    .bind(p.amount)
    .bind(p.paid_on.format("%Y-%m-%d").to_string())
    .bind(p.method.code())
    .bind(&p.reference)
    .bind(staff.user.id())
    .bind(now_ms)
    .execute(&mut *tx)
    .await?;
    let invoice_paid = p.amount >= balance_of(&r);
    audit::record(
        &mut *tx,
        &audit::AuditEntry {
            at_ms: now_ms,
            actor_user_id: staff.user.id(),
            actor_role: role.code(),
            action: "invoice.payment_recorded",
            target_kind: "invoice",
            target_id: invoice_id,
            customer_user_id: Some(r.customer_id),
            reason: &p.reference,
            detail: serde_json::json!({
                "amount": p.amount,
                "paid_on": p.paid_on.format("%Y-%m-%d").to_string(),
                "method": p.method.code(),
                "before": {"paid_amount": r.paid_amount},
                "after": {"paid_amount": r.paid_amount + p.amount, "paid": invoice_paid},
            }),
        },
    )
    .await?;
    tx.commit().await?;
    if invoice_paid {
        refresh_missed_payment(state, r.project_id, now).await?;
    }
    Ok(Some(PaymentOutcome::Recorded { invoice_paid }))
}

pub struct PaymentForm<'a> {
    pub amount: &'a str,
    pub paid_on: &'a str,
    pub method: &'a str,
    pub reference: &'a str,
}

/// Billing staff write a credit note that lowers what the invoice still owes (at most its
/// balance, see `domain::billing::credit_note`); one that covers the balance marks the
/// invoice paid and clears the project's missed-payment date if nothing else is overdue, as a
/// payment does. Audited.
pub async fn create_credit_note(
    state: &AppState,
    staff: &AuthSession,
    role: StaffRole,
    invoice_id: i64,
    amount: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Option<CreditNoteOutcome>, BillingError> {
    if !role.may_change_billing() {
        return Ok(Some(CreditNoteOutcome::NotAllowed));
    }
    let mut tx = state.db.pool.begin().await?;
    // Checked against the balance read under the invoice's lock, so two credit notes (or a
    // credit note and a payment) at once cannot both take the same balance.
    let Some(r) = q::invoice_locked(&mut tx, invoice_id).await? else {
        return Ok(None);
    };
    let before = balance_of(&r);
    let note = match credit_note::check(amount, reason, before) {
        Ok(n) => n,
        Err(problems) => {
            return Ok(Some(CreditNoteOutcome::Invalid {
                problems: problems.iter().map(|p| p.code().to_string()).collect(),
            }));
        }
    };
    let now_ms = to_millis(now);
    let n = q::credit_note_count(&mut tx, invoice_id).await? + 1;
    // The KST month it is written in, then the invoice: CN-202611-000042-1.
    let number = format!("CN-{}-{invoice_id:06}-{n}", kst_date(now).format("%Y%m"));
    super::db::sla::add_credit_note(
        &mut tx,
        invoice_id,
        &number,
        note.amount,
        &note.reason,
        staff.user.id(),
        now_ms,
    )
    .await?;
    let after = before - note.amount;
    let invoice_paid = after == 0;
    if invoice_paid {
        q::mark_paid(&mut tx, invoice_id, now_ms).await?;
    }
    audit::record(
        &mut *tx,
        &audit::AuditEntry {
            at_ms: now_ms,
            actor_user_id: staff.user.id(),
            actor_role: role.code(),
            action: "invoice.credit_note_created",
            target_kind: "invoice",
            target_id: invoice_id,
            customer_user_id: Some(r.customer_id),
            reason: &note.reason,
            detail: serde_json::json!({
                "number": number,
                "amount": note.amount,
                "before": {"credit_noted": r.credit_noted, "balance": before},
                "after": {"credit_noted": r.credit_noted + note.amount, "balance": after, "paid": invoice_paid},
            }),
        },
    )
    .await?;
    tx.commit().await?;
    if invoice_paid {
        refresh_missed_payment(state, r.project_id, now).await?;
    }
    Ok(Some(CreditNoteOutcome::Created {
        number,
        invoice_paid,
    }))
}

/// The units and month length behind a stored pro-rated line (see `invoice::units_held`).
fn prorated(quantity: &str, paid_days: Option<i64>, month: &str) -> Option<Prorated> {
    let paid_days = u32::try_from(paid_days?).ok()?;
    let month_days = BillingMonth::parse(month)?.days();
    let quantity = rust_decimal::Decimal::from_str_exact(quantity).ok()?;
    let units = crate::domain::billing::invoice::units_held(quantity, paid_days, month_days)?;
    Some(Prorated { units, month_days })
}

/// CSV of one invoice (UTF-8 with BOM so spreadsheet programs read Hangul).
pub fn invoice_csv(d: &InvoiceDetail, english: bool) -> String {
    let mut out = String::from("\u{feff}");
    let header = if english {
        "invoice,month,item,usage_month,quantity,unit,unit_price_krw,paid_days,units_held,month_days,amount_krw\n"
    } else {
        "청구서,청구월,항목,사용월,수량,단위,단가(원),유료일수,보유단위,월일수,금액(원)\n"
    };
    out.push_str(header);
    for l in &d.lines {
        let (name, unit) = if english {
            (&l.name_en, &l.unit_en)
        } else {
            (&l.name_ko, &l.unit_ko)
        };
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{}\n",
            csv_field(&d.summary.number),
            d.summary.month,
            csv_field(name),
            l.usage_month,
            l.quantity,
            csv_field(unit),
            l.unit_price,
            l.paid_days.map(|d| d.to_string()).unwrap_or_default(),
            l.prorated.map(|p| p.units.to_string()).unwrap_or_default(),
            l.prorated
                .map(|p| p.month_days.to_string())
                .unwrap_or_default(),
            l.amount
        ));
    }
    let totals: [(&str, &str, i64); 6] = [
        ("subtotal", "소계", d.subtotal),
        ("credits", "크레딧", -d.credited),
        ("vat", "부가가치세", d.vat),
        ("total", "합계", d.total),
        ("credit_notes", "감액 전표", -d.credit_noted),
        ("balance", "미납액", d.summary.balance),
    ];
    // Only an invoice that has credit notes gets their row, so other downloads stay as they were.
    for (en, ko, amount) in totals
        .into_iter()
        .filter(|(en, _, amount)| *en != "credit_notes" || *amount != 0)
    {
        out.push_str(&format!(
            "{},{},{},,,,,,{amount}\n",
            csv_field(&d.summary.number),
            d.summary.month,
            if english { en } else { ko }
        ));
    }
    out
}

/// A CSV field, quoted when needed; a leading formula character is defused for spreadsheets.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Whether a price version is in force for `month` (the close refuses to guess).
pub fn has_prices(versions: &[PriceTable], month: BillingMonth) -> bool {
    prices::in_force(versions, month).is_some()
}
