//! Invoices, their lines, credits, payments: the month close's writes and the reads of the
//! invoice pages.
use super::Db;

/// One applied row of `capacity_changes`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CapacityChangeForClose {
    pub applied_at: i64,
    pub from_ingest_gb_per_day: i64,
    pub from_storage_gb: i64,
    pub from_extended_retention: i64,
    pub from_remote_support: i64,
    pub to_ingest_gb_per_day: i64,
    pub to_storage_gb: i64,
    pub to_extended_retention: i64,
    pub to_remote_support: i64,
}

pub const CAPACITY_CHANGE_COLUMNS: &str = "applied_at, from_ingest_gb_per_day, from_storage_gb, \
    from_extended_retention, from_remote_support, to_ingest_gb_per_day, to_storage_gb, \
    to_extended_retention, to_remote_support";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvoiceRow {
    pub id: i64,
    pub number: String,
    pub project_id: i64,
    pub project_name: String,
    pub project_prefix: String,
    pub customer_id: i64,
    pub customer_login_id: String,
    pub month: String,
    pub issued_at: i64,
    pub due_date: String,
    pub subtotal: i64,
    pub credited: i64,
    pub vat_rate: String,
    pub vat: i64,
    pub total: i64,
    pub paid_amount: i64,
    pub paid_at: Option<i64>,
    pub overdue_at: Option<i64>,
    pub credit_noted: i64,
}

const SELECT: &str = "SELECT i.id, i.number, i.project_id, p.name AS project_name, \
    p.prefix AS project_prefix, i.customer_id, u.login_id AS customer_login_id, i.month, \
    i.issued_at, i.due_date, i.subtotal, i.credited, i.vat_rate, i.vat, i.total, i.paid_amount, \
    i.paid_at, i.overdue_at, \
    COALESCE((SELECT CAST(SUM(n.amount) AS BIGINT) FROM credit_notes n WHERE n.invoice_id = i.id), 0) AS credit_noted \
    FROM invoices i JOIN projects p ON p.id = i.project_id JOIN users u ON u.id = i.customer_id";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LineRow {
    pub kind: String,
    pub code: String,
    pub usage_month: String,
    pub quantity: String,
    pub unit_price: String,
    pub paid_days: Option<i64>,
    pub amount: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PaymentRow {
    pub id: i64,
    pub amount: i64,
    pub paid_on: String,
    pub method: String,
    pub reference: String,
    pub recorded_by_login: String,
    pub recorded_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CreditNoteRow {
    pub number: String,
    pub amount: i64,
    pub reason: String,
    pub created_by_login: String,
    pub created_at: i64,
}

/// The invoice, read inside `exec`'s transaction after a write to its row, so a second
/// writer (payment or credit note) waits here until the first commits and then reads what
/// the first wrote: PostgreSQL holds the row lock, SQLite its write lock, until commit.
pub async fn invoice_locked(
    exec: &mut sqlx::AnyConnection,
    id: i64,
) -> Result<Option<InvoiceRow>, sqlx::Error> {
    sqlx::query("UPDATE invoices SET paid_amount = paid_amount WHERE id = $1")
        .bind(id)
        .execute(&mut *exec)
        .await?;
    sqlx::query_as::<_, InvoiceRow>(&format!("{SELECT} WHERE i.id = $1"))
        .bind(id)
        .fetch_optional(exec)
        .await
}

pub async fn invoice(db: &Db, id: i64) -> Result<Option<InvoiceRow>, sqlx::Error> {
    sqlx::query_as::<_, InvoiceRow>(&format!("{SELECT} WHERE i.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// A customer's invoices, newest first.
pub async fn for_customer(db: &Db, customer_id: i64) -> Result<Vec<InvoiceRow>, sqlx::Error> {
    sqlx::query_as::<_, InvoiceRow>(&format!(
        "{SELECT} WHERE i.customer_id = $1 ORDER BY i.month DESC, i.id DESC"
    ))
    .bind(customer_id)
    .fetch_all(&db.pool)
    .await
}

/// Staff list: `unpaid` (not yet covered) or `overdue` (unpaid past the due date, marked by
/// the job), newest first, one page.
pub async fn for_staff(
    db: &Db,
    filter: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<InvoiceRow>, sqlx::Error> {
    let cond = match filter {
        "unpaid" => "WHERE i.paid_at IS NULL",
        "overdue" => "WHERE i.paid_at IS NULL AND i.overdue_at IS NOT NULL",
        _ => "",
    };
    sqlx::query_as::<_, InvoiceRow>(&format!(
        "{SELECT} {cond} ORDER BY i.month DESC, i.id DESC LIMIT $1 OFFSET $2"
    ))
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await
}

pub async fn lines(db: &Db, invoice_id: i64) -> Result<Vec<LineRow>, sqlx::Error> {
    sqlx::query_as::<_, LineRow>(
        "SELECT kind, code, usage_month, quantity, unit_price, paid_days, amount \
         FROM invoice_lines WHERE invoice_id = $1 ORDER BY position",
    )
    .bind(invoice_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn payments(db: &Db, invoice_id: i64) -> Result<Vec<PaymentRow>, sqlx::Error> {
    sqlx::query_as::<_, PaymentRow>(
        "SELECT p.id, p.amount, p.paid_on, p.method, p.reference, u.login_id AS recorded_by_login, \
         p.recorded_at FROM payments p JOIN users u ON u.id = p.recorded_by \
         WHERE p.invoice_id = $1 ORDER BY p.id",
    )
    .bind(invoice_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn credit_notes(db: &Db, invoice_id: i64) -> Result<Vec<CreditNoteRow>, sqlx::Error> {
    sqlx::query_as::<_, CreditNoteRow>(
        "SELECT n.number, n.amount, n.reason, u.login_id AS created_by_login, n.created_at \
         FROM credit_notes n JOIN users u ON u.id = n.created_by \
         WHERE n.invoice_id = $1 ORDER BY n.id",
    )
    .bind(invoice_id)
    .fetch_all(&db.pool)
    .await
}

/// How many credit notes the invoice has (any kind), for numbering the next one.
pub async fn credit_note_count(
    exec: &mut sqlx::AnyConnection,
    invoice_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM credit_notes WHERE invoice_id = $1")
        .bind(invoice_id)
        .fetch_one(exec)
        .await
}

pub async fn mark_paid(
    exec: &mut sqlx::AnyConnection,
    invoice_id: i64,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE invoices SET paid_at = $1 WHERE id = $2 AND paid_at IS NULL")
        .bind(now_ms)
        .bind(invoice_id)
        .execute(exec)
        .await?;
    Ok(())
}

/// What earlier invoices of the project billed per (usage month, metric), in millionths.
pub async fn billed_usage(
    exec: &mut sqlx::AnyConnection,
    project_id: i64,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as::<_, (String, String, String)>(
        "SELECT l.usage_month, l.code, l.quantity FROM invoice_lines l \
         JOIN invoices i ON i.id = l.invoice_id WHERE i.project_id = $1 AND l.kind = 'metric'",
    )
    .bind(project_id)
    .fetch_all(exec)
    .await
}

/// Months already invoiced for the project.
pub async fn invoiced_months(
    exec: &mut sqlx::AnyConnection,
    project_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar::<_, String>("SELECT month FROM invoices WHERE project_id = $1")
        .bind(project_id)
        .fetch_all(exec)
        .await
}

/// Credits with something left, oldest first.
pub async fn pending_credits(
    exec: &mut sqlx::AnyConnection,
    project_id: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as::<_, (i64, i64)>(
        "SELECT id, remaining FROM credits WHERE project_id = $1 AND remaining > 0 ORDER BY id",
    )
    .bind(project_id)
    .fetch_all(exec)
    .await
}

pub async fn is_month_closed(db: &Db, month: &str) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM closed_months WHERE month = $1")
            .bind(month)
            .fetch_one(&db.pool)
            .await?
            > 0,
    )
}

/// Unpaid invoices whose due date (KST) is before `today` and not yet marked overdue.
pub async fn newly_overdue(db: &Db, today: &str) -> Result<Vec<InvoiceRow>, sqlx::Error> {
    sqlx::query_as::<_, InvoiceRow>(&format!(
        "{SELECT} WHERE i.paid_at IS NULL AND i.overdue_at IS NULL AND i.due_date < $1 \
         ORDER BY i.id"
    ))
    .bind(today)
    .fetch_all(&db.pool)
    .await
}

/// In the caller's transaction, so the overdue notice commits with the mark.
pub async fn mark_overdue(
    conn: &mut sqlx::AnyConnection,
    invoice_id: i64,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE invoices SET overdue_at = $1 WHERE id = $2 AND overdue_at IS NULL AND paid_at IS NULL",
    )
    .bind(now_ms)
    .bind(invoice_id)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Unpaid invoices not yet overdue whose due date is in `[from, to]` (KST `YYYY-MM-DD`,
/// which sorts as text in date order).
pub async fn unpaid_due_between(
    db: &Db,
    from: &str,
    to: &str,
) -> Result<Vec<InvoiceRow>, sqlx::Error> {
    sqlx::query_as::<_, InvoiceRow>(&format!(
        "{SELECT} WHERE i.paid_at IS NULL AND i.overdue_at IS NULL          AND i.due_date >= $1 AND i.due_date <= $2 ORDER BY i.id"
    ))
    .bind(from)
    .bind(to)
    .fetch_all(&db.pool)
    .await
}

/// The oldest due date of the project's overdue unpaid invoices, if any.
pub async fn oldest_overdue_due_date<'c, E>(
    exec: E,
    project_id: i64,
) -> Result<Option<String>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_scalar::<_, Option<String>>(
        "SELECT MIN(due_date) FROM invoices WHERE project_id = $1 AND paid_at IS NULL \
         AND overdue_at IS NOT NULL",
    )
    .bind(project_id)
    .fetch_one(exec)
    .await
}

/// A project's plan history: (epoch ms, plan code), oldest first.
pub async fn plan_changes<'c, E>(
    exec: E,
    project_id: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as("SELECT at, to_plan FROM plan_changes WHERE project_id = $1 ORDER BY at, id")
        .bind(project_id)
        .fetch_all(exec)
        .await
}
