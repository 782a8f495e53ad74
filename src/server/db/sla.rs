//! SLA storage (issue 17): raw probe results and their per-minute roll-up, maintenance windows,
//! exclusions, credit policies and the issued statements.
use super::Db;
use super::usage::placeholders;
use crate::domain::billing::BillingMonth;
use crate::domain::billing::paid::{PaidInterval, paid_intervals};
use crate::domain::kst::from_millis;
use crate::domain::plan::Plan;
use crate::domain::sla::exclusions::{ExclusionCategory, MaintenanceWindow, RecordedExclusion};
use crate::domain::sla::outages::MinuteCounts;
use crate::domain::sla::policy::{CreditBand, CreditPolicy, FeeBasis};
use crate::domain::sla::probe::{ProbeResult, per_minute};
use crate::domain::sla::span::minute_of;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use std::collections::{BTreeMap, BTreeSet};

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

fn unreadable(what: &str) -> sqlx::Error {
    sqlx::Error::Protocol(format!("stored SLA value cannot be read: {what}"))
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoredResults {
    /// Results new to the portal (stored and rolled up).
    pub inserted: usize,
    /// Of those, results for a month whose statement was already issued (flagged for review).
    pub late: usize,
}

/// Stores checked results in one transaction: a result already stored (same project,
/// location and time) is left alone; only new ones are added to the per-minute roll-up, so a
/// re-sent batch never counts twice, even when two arrive at once.
pub async fn store_results(
    db: &Db,
    results: &[ProbeResult],
    now_ms: i64,
) -> Result<StoredResults, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    // Queues behind a statement being issued (and it behind this batch): on PostgreSQL a
    // result committed between a statement's read of the roll-up and its insert would
    // otherwise be neither counted nor flagged as late. SQLite serialises writers anyway.
    lock_statements(&mut tx).await?;
    let mut inserted: Vec<ProbeResult> = Vec::with_capacity(results.len());
    for chunk in results.chunks(super::ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO probe_results (project_id, location, at_ms, ok, latency_ms, error, \
             received_at) VALUES {} ON CONFLICT (project_id, location, at_ms) DO NOTHING \
             RETURNING project_id, location, at_ms",
            placeholders(chunk.len(), 7)
        );
        let mut q = sqlx::query_as::<_, (i64, String, i64)>(&sql);
        for r in chunk {
            q = q
                .bind(r.project_id)
                .bind(r.location.as_str())
                .bind(r.at.timestamp_millis())
                .bind(i64::from(r.ok))
                .bind(r.latency_ms)
                .bind(r.error.as_deref())
                .bind(now_ms);
        }
        let new: BTreeSet<(i64, String, i64)> = q.fetch_all(&mut *tx).await?.into_iter().collect();
        inserted.extend(
            chunk
                .iter()
                .filter(|r| {
                    new.contains(&(r.project_id, r.location.clone(), r.at.timestamp_millis()))
                })
                .cloned(),
        );
    }
    let counts: Vec<((i64, i64), MinuteCounts)> = per_minute(&inserted).into_iter().collect();
    for chunk in counts.chunks(super::ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO probe_minutes (project_id, minute, ok_count, failed_count) VALUES {} \
             ON CONFLICT (project_id, minute) DO UPDATE SET \
             ok_count = probe_minutes.ok_count + excluded.ok_count, \
             failed_count = probe_minutes.failed_count + excluded.failed_count",
            placeholders(chunk.len(), 4)
        );
        let mut q: Query<'_, sqlx::Any, AnyArguments<'_>> = sqlx::query(&sql);
        for ((project, minute), c) in chunk {
            q = q
                .bind(*project)
                .bind(*minute)
                .bind(i64::from(c.ok))
                .bind(i64::from(c.failed));
        }
        q.execute(&mut *tx).await?;
    }
    let late = flag_late_results(&mut tx, &inserted, now_ms).await?;
    tx.commit().await?;
    Ok(StoredResults {
        inserted: inserted.len(),
        late,
    })
}

/// Counts new results that fall in a month whose statement is already issued.
async fn flag_late_results(
    tx: &mut Tx<'_>,
    inserted: &[ProbeResult],
    now_ms: i64,
) -> Result<usize, sqlx::Error> {
    let mut per_month: BTreeMap<(i64, BillingMonth), i64> = BTreeMap::new();
    for r in inserted {
        *per_month
            .entry((r.project_id, BillingMonth::containing(r.at)))
            .or_default() += 1;
    }
    let mut late = 0;
    for ((project, month), n) in per_month {
        let issued: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sla_statements WHERE project_id = $1 AND month = $2",
        )
        .bind(project)
        .bind(month.to_string())
        .fetch_one(&mut **tx)
        .await?;
        if issued == 0 {
            continue;
        }
        sqlx::query(
            "INSERT INTO sla_late_results (project_id, month, results, first_received_at, \
             last_received_at, reviewed_at) VALUES ($1, $2, $3, $4, $4, NULL) \
             ON CONFLICT (project_id, month) DO UPDATE SET \
             results = sla_late_results.results + excluded.results, \
             last_received_at = excluded.last_received_at, reviewed_at = NULL",
        )
        .bind(project)
        .bind(month.to_string())
        .bind(n)
        .bind(now_ms)
        .execute(&mut **tx)
        .await?;
        late += usize::try_from(n).unwrap_or(0);
    }
    Ok(late)
}

/// The roll-up of one project from `from` to `to` (epoch minutes, `to` excluded), sorted.
pub async fn minutes<'c, E>(
    exec: E,
    project_id: i64,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, MinuteCounts)>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT minute, ok_count, failed_count FROM probe_minutes \
         WHERE project_id = $1 AND minute >= $2 AND minute < $3 ORDER BY minute",
    )
    .bind(project_id)
    .bind(from)
    .bind(to)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(m, ok, failed)| {
            (
                m,
                MinuteCounts {
                    ok: u32::try_from(ok).unwrap_or(u32::MAX),
                    failed: u32::try_from(failed).unwrap_or(u32::MAX),
                },
            )
        })
        .collect())
}

/// The project's paid stretches, from its plan history.
pub async fn paid_stretches(
    tx: &mut Tx<'_>,
    project_id: i64,
) -> Result<Vec<PaidInterval>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT at, to_plan FROM plan_changes WHERE project_id = $1 ORDER BY at, id",
    )
    .bind(project_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut history = Vec::with_capacity(rows.len());
    for (at, plan) in rows {
        history.push((
            from_millis(at).ok_or_else(|| unreadable("plan change time"))?,
            Plan::from_code(&plan).ok_or_else(|| unreadable("plan change plan"))?,
        ));
    }
    Ok(paid_intervals(&history))
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct WindowRow {
    id: i64,
    starts_at: i64,
    ends_at: i64,
    notice: String,
    published_at: i64,
}

fn window_of(r: WindowRow) -> Result<MaintenanceWindow, sqlx::Error> {
    Ok(MaintenanceWindow {
        id: r.id,
        start: from_millis(r.starts_at).ok_or_else(|| unreadable("window start"))?,
        end: from_millis(r.ends_at).ok_or_else(|| unreadable("window end"))?,
        published_at: from_millis(r.published_at).ok_or_else(|| unreadable("published"))?,
        notice: r.notice,
    })
}

/// Maintenance windows touching `[from_ms, to_ms)` that cover the project.
pub async fn maintenance_for<'c, E>(
    exec: E,
    project_id: i64,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<MaintenanceWindow>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as::<_, WindowRow>(
        "SELECT w.id, w.starts_at, w.ends_at, w.notice, w.published_at FROM maintenance_windows w \
         WHERE w.starts_at < $3 AND w.ends_at > $2 AND (w.all_projects = 1 OR EXISTS \
         (SELECT 1 FROM maintenance_window_projects p WHERE p.window_id = w.id AND p.project_id = $1)) \
         ORDER BY w.starts_at, w.id",
    )
    .bind(project_id)
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(exec)
    .await?
    .into_iter()
    .map(window_of)
    .collect()
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct ExclusionRow {
    id: i64,
    starts_at: i64,
    ends_at: i64,
    category: String,
    reason: String,
    recorded_by: String,
}

/// Exclusions staff recorded for the project touching `[from_ms, to_ms)`.
pub async fn exclusions_for<'c, E>(
    exec: E,
    project_id: i64,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<RecordedExclusion>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as::<_, ExclusionRow>(
        "SELECT e.id, e.starts_at, e.ends_at, e.category, e.reason, \
         COALESCE(u.login_id, '') AS recorded_by FROM sla_exclusions e \
         LEFT JOIN users u ON u.id = e.recorded_by \
         WHERE e.project_id = $1 AND e.starts_at < $3 AND e.ends_at > $2 ORDER BY e.starts_at, e.id",
    )
    .bind(project_id)
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(exec)
    .await?
    .into_iter()
    .map(|r| {
        Ok(RecordedExclusion {
            id: r.id,
            start: from_millis(r.starts_at).ok_or_else(|| unreadable("exclusion start"))?,
            end: from_millis(r.ends_at).ok_or_else(|| unreadable("exclusion end"))?,
            category: ExclusionCategory::parse(&r.category)
                .ok_or_else(|| unreadable("exclusion category"))?,
            reason: r.reason,
            recorded_by: r.recorded_by,
        })
    })
    .collect()
}

#[derive(serde::Serialize, serde::Deserialize)]
struct BandJson {
    below: String,
    rate_percent: String,
}

pub fn bands_json(bands: &[CreditBand]) -> String {
    let v: Vec<BandJson> = bands
        .iter()
        .map(|b| BandJson {
            below: b.below.normalize().to_string(),
            rate_percent: b.rate_percent.normalize().to_string(),
        })
        .collect();
    serde_json::to_string(&v).unwrap_or_else(|_| "[]".into())
}

/// Every credit policy version, oldest first.
pub async fn policies<'c, E>(exec: E) -> Result<Vec<CreditPolicy>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT version, effective_from, basis, bands FROM credit_policies ORDER BY effective_from",
    )
    .fetch_all(exec)
    .await?;
    rows.into_iter()
        .map(|(version, from, basis, bands)| decode_policy(version, &from, &basis, &bands))
        .collect()
}

/// A `credit_policies` row as the domain's policy; a row the rules would refuse is a read
/// error, never a guess.
pub fn decode_policy(
    version: i64,
    from: &str,
    basis: &str,
    bands: &str,
) -> Result<CreditPolicy, sqlx::Error> {
    let bands: Vec<BandJson> =
        serde_json::from_str(bands).map_err(|_| unreadable("policy bands"))?;
    let bands = bands
        .into_iter()
        .map(|b| {
            Ok(CreditBand {
                below: b.below.parse().map_err(|_| unreadable("band threshold"))?,
                rate_percent: b
                    .rate_percent
                    .parse()
                    .map_err(|_| unreadable("band rate"))?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    CreditPolicy::new(
        version,
        BillingMonth::parse(from).ok_or_else(|| unreadable("policy month"))?,
        FeeBasis::parse(basis).ok_or_else(|| unreadable("policy basis"))?,
        bands,
    )
    .map_err(|_| unreadable("policy"))
}

/// What the project was invoiced per month, before VAT and credits: the lines of each
/// month's own invoice for that month (late usage of earlier months billed on it left out).
pub async fn charges(
    tx: &mut Tx<'_>,
    project_id: i64,
) -> Result<BTreeMap<BillingMonth, i64>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT i.month, CAST(COALESCE(SUM(l.amount), 0) AS BIGINT) FROM invoices i \
         LEFT JOIN invoice_lines l ON l.invoice_id = i.id AND l.usage_month = i.month \
         WHERE i.project_id = $1 GROUP BY i.month",
    )
    .bind(project_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter()
        .map(|(m, c)| {
            Ok((
                BillingMonth::parse(&m).ok_or_else(|| unreadable("invoice month"))?,
                c,
            ))
        })
        .collect()
}

/// The epoch-minute window a statement reads (the month and a margin either side).
pub fn statement_window(month: BillingMonth) -> (i64, i64) {
    use crate::domain::sla::statement::WINDOW_MARGIN;
    (
        minute_of(month.start() - WINDOW_MARGIN),
        minute_of(month.end() + WINDOW_MARGIN),
    )
}

/// An issued statement as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StatementRow {
    pub id: i64,
    pub project_id: i64,
    pub month: String,
    pub revision: i64,
    pub issued_at: i64,
    pub policy_version: i64,
    pub service_minutes: i64,
    pub outage_minutes: i64,
    pub excluded_minutes: i64,
    pub no_data_minutes: i64,
    pub availability_percent: String,
    pub credit_rate_percent: String,
    pub fee_basis_krw: i64,
    pub credit_before_rounding: String,
    pub credit_krw: i64,
    pub ineligible_reason: Option<String>,
    pub body: String,
    pub revision_reason: Option<String>,
}

const STATEMENT_COLUMNS: &str = "id, project_id, month, revision, issued_at, policy_version, \
    service_minutes, outage_minutes, excluded_minutes, no_data_minutes, availability_percent, \
    credit_rate_percent, fee_basis_krw, credit_before_rounding, credit_krw, ineligible_reason, \
    body, revision_reason";

/// A statement to store (the id and credit link are the database's).
pub struct NewStatement<'a> {
    pub project_id: i64,
    pub month: &'a str,
    pub revision: i64,
    pub issued_at: i64,
    pub policy_version: i64,
    pub service_minutes: i64,
    pub outage_minutes: i64,
    pub excluded_minutes: i64,
    pub no_data_minutes: i64,
    pub availability_percent: &'a str,
    pub credit_rate_percent: &'a str,
    pub fee_basis_krw: i64,
    pub credit_before_rounding: &'a str,
    pub credit_krw: i64,
    pub ineligible_reason: Option<&'a str>,
    pub body: &'a str,
    pub revision_reason: Option<&'a str>,
    pub revised_by: Option<i64>,
}

/// Stores the statement unless that revision exists already (another run or instance issued
/// it first): answers the new id, or None.
pub async fn insert_statement(
    tx: &mut Tx<'_>,
    s: &NewStatement<'_>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO sla_statements (project_id, month, revision, issued_at, policy_version, \
         service_minutes, outage_minutes, excluded_minutes, no_data_minutes, availability_percent, \
         credit_rate_percent, fee_basis_krw, credit_before_rounding, credit_krw, ineligible_reason, \
         body, revision_reason, revised_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
         $12, $13, $14, $15, $16, $17, $18) \
         ON CONFLICT (project_id, month, revision) DO NOTHING RETURNING id",
    )
    .bind(s.project_id)
    .bind(s.month)
    .bind(s.revision)
    .bind(s.issued_at)
    .bind(s.policy_version)
    .bind(s.service_minutes)
    .bind(s.outage_minutes)
    .bind(s.excluded_minutes)
    .bind(s.no_data_minutes)
    .bind(s.availability_percent)
    .bind(s.credit_rate_percent)
    .bind(s.fee_basis_krw)
    .bind(s.credit_before_rounding)
    .bind(s.credit_krw)
    .bind(s.ineligible_reason)
    .bind(s.body)
    .bind(s.revision_reason)
    .bind(s.revised_by)
    .fetch_optional(&mut **tx)
    .await
}

/// A waiting credit for the project's next invoice, linked from its statement.
pub async fn add_sla_credit(
    tx: &mut Tx<'_>,
    statement_id: i64,
    project_id: i64,
    amount: i64,
    reason: &str,
    now_ms: i64,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO credits (project_id, amount, remaining, source, reason, created_at) \
         VALUES ($1, $2, $2, 'sla', $3, $4) RETURNING id",
    )
    .bind(project_id)
    .bind(amount)
    .bind(reason)
    .bind(now_ms)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("UPDATE sla_statements SET credit_id = $1 WHERE id = $2")
        .bind(id)
        .bind(statement_id)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

/// Every revision of the project's statement for `month`, oldest first.
pub async fn revisions<'c, E>(
    exec: E,
    project_id: i64,
    month: &str,
) -> Result<Vec<StatementRow>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as::<_, StatementRow>(&format!(
        "SELECT {STATEMENT_COLUMNS} FROM sla_statements WHERE project_id = $1 AND month = $2 \
         ORDER BY revision"
    ))
    .bind(project_id)
    .bind(month)
    .fetch_all(exec)
    .await
}

/// The latest revision of each month's statement of the project, newest month first.
pub async fn latest_per_month(db: &Db, project_id: i64) -> Result<Vec<StatementRow>, sqlx::Error> {
    sqlx::query_as::<_, StatementRow>(&format!(
        "SELECT {STATEMENT_COLUMNS} FROM sla_statements s WHERE project_id = $1 AND revision = \
         (SELECT MAX(r.revision) FROM sla_statements r WHERE r.project_id = s.project_id \
         AND r.month = s.month) ORDER BY month DESC"
    ))
    .bind(project_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn is_month_closed(db: &Db, month: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sla_closed_months WHERE month = $1")
        .bind(month)
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}

/// Marks the month's statements issued, recording how many first statements it has.
pub async fn mark_month_closed(
    tx: &mut Tx<'_>,
    month: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let statements: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sla_statements WHERE month = $1 AND revision = 1")
            .bind(month)
            .fetch_one(&mut **tx)
            .await?;
    sqlx::query(
        "INSERT INTO sla_closed_months (month, closed_at, statements) VALUES ($1, $2, $3) \
         ON CONFLICT (month) DO NOTHING",
    )
    .bind(month)
    .bind(now_ms)
    .bind(statements)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The projects that existed before `end_ms`, by id (the ones a month's statements consider).
pub async fn projects_created_before(db: &Db, end_ms: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM projects WHERE created_at < $1 ORDER BY id")
        .bind(end_ms)
        .fetch_all(&db.pool)
        .await
}

/// The projects whose first statement for `month` is issued.
pub async fn projects_with_statement(
    db: &Db,
    month: &str,
) -> Result<std::collections::HashSet<i64>, sqlx::Error> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT project_id FROM sla_statements WHERE month = $1 AND revision = 1",
    )
    .bind(month)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .collect())
}

/// Publishes a window (and the projects it covers) with its audit row, in one transaction.
pub async fn insert_window(
    db: &Db,
    w: &crate::domain::sla::input::NewWindow,
    staff_id: i64,
    now_ms: i64,
    audit: impl FnOnce(i64) -> super::audit::AuditEntry<'static>,
) -> Result<i64, sqlx::Error> {
    use crate::domain::sla::input::Coverage;
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO maintenance_windows (starts_at, ends_at, all_projects, notice, published_at, \
         published_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(w.start.timestamp_millis())
    .bind(w.end.timestamp_millis())
    .bind(i64::from(w.coverage == Coverage::All))
    .bind(&w.notice)
    .bind(now_ms)
    .bind(staff_id)
    .fetch_one(&mut *tx)
    .await?;
    if let Coverage::Projects(ids) = &w.coverage {
        for p in ids {
            sqlx::query(
                "INSERT INTO maintenance_window_projects (window_id, project_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(*p)
            .execute(&mut *tx)
            .await?;
        }
    }
    super::audit::record(&mut *tx, &audit(id)).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn insert_exclusion(
    db: &Db,
    e: &crate::domain::sla::input::NewExclusion,
    staff_id: i64,
    now_ms: i64,
    audit: impl FnOnce(i64) -> super::audit::AuditEntry<'static>,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO sla_exclusions (project_id, starts_at, ends_at, category, reason, \
         recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(e.project_id)
    .bind(e.start.timestamp_millis())
    .bind(e.end.timestamp_millis())
    .bind(e.category.code())
    .bind(&e.reason)
    .bind(staff_id)
    .bind(now_ms)
    .fetch_one(&mut *tx)
    .await?;
    super::audit::record(&mut *tx, &audit(id)).await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WindowListRow {
    pub id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub notice: String,
    pub published_at: i64,
    pub published_by: String,
    /// Comma-separated domain prefixes; empty for all projects.
    pub prefixes: String,
}

/// The most recent windows, newest start first.
pub async fn recent_windows(db: &Db, limit: i64) -> Result<Vec<WindowListRow>, sqlx::Error> {
    let rows = sqlx::query_as::<_, (i64, i64, i64, String, i64, String, i64)>(
        "SELECT w.id, w.starts_at, w.ends_at, w.notice, w.published_at, \
         COALESCE(u.login_id, ''), w.all_projects FROM maintenance_windows w \
         LEFT JOIN users u ON u.id = w.published_by ORDER BY w.starts_at DESC, w.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, starts_at, ends_at, notice, published_at, published_by, all) in rows {
        let prefixes: Vec<String> = if all == 1 {
            Vec::new()
        } else {
            sqlx::query_scalar(
                "SELECT p.prefix FROM maintenance_window_projects m JOIN projects p \
                 ON p.id = m.project_id WHERE m.window_id = $1 ORDER BY p.prefix",
            )
            .bind(id)
            .fetch_all(&db.pool)
            .await?
        };
        out.push(WindowListRow {
            id,
            starts_at,
            ends_at,
            notice,
            published_at,
            published_by,
            prefixes: prefixes.join(","),
        });
    }
    Ok(out)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExclusionListRow {
    pub id: i64,
    pub prefix: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub category: String,
    pub reason: String,
    pub recorded_by: String,
}

pub async fn recent_exclusions(db: &Db, limit: i64) -> Result<Vec<ExclusionListRow>, sqlx::Error> {
    sqlx::query_as::<_, ExclusionListRow>(
        "SELECT e.id, p.prefix, e.starts_at, e.ends_at, e.category, e.reason, \
         COALESCE(u.login_id, '') AS recorded_by FROM sla_exclusions e \
         JOIN projects p ON p.id = e.project_id LEFT JOIN users u ON u.id = e.recorded_by \
         ORDER BY e.starts_at DESC, e.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

/// Months with results that arrived after their statement, not yet reviewed.
pub async fn unreviewed_late_results(
    db: &Db,
) -> Result<Vec<(i64, String, String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.project_id, p.prefix, l.month, l.results, l.last_received_at \
         FROM sla_late_results l JOIN projects p ON p.id = l.project_id \
         WHERE l.reviewed_at IS NULL ORDER BY l.month DESC, p.prefix",
    )
    .fetch_all(&db.pool)
    .await
}

pub async fn mark_late_reviewed(
    tx: &mut Tx<'_>,
    project_id: i64,
    month: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sla_late_results SET reviewed_at = $3 WHERE project_id = $1 AND month = $2",
    )
    .bind(project_id)
    .bind(month)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The project's invoice for `month` (id, number), if one was issued.
pub async fn invoice_for_month(
    tx: &mut Tx<'_>,
    project_id: i64,
    month: &str,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, number FROM invoices WHERE project_id = $1 AND month = $2")
        .bind(project_id)
        .bind(month)
        .fetch_optional(&mut **tx)
        .await
}

/// A credit note on an invoice for what a revision added to a statement's credit.
pub async fn add_credit_note(
    tx: &mut Tx<'_>,
    invoice_id: i64,
    number: &str,
    amount: i64,
    reason: &str,
    staff_id: i64,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO credit_notes (number, invoice_id, amount, reason, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(number)
    .bind(invoice_id)
    .bind(amount)
    .bind(reason)
    .bind(staff_id)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Each month with statements, and when its last one (any project, any revision) was issued:
/// (month `YYYY-MM`, epoch ms).
pub async fn last_issued_per_month(db: &Db) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT month, MAX(issued_at) FROM sla_statements GROUP BY month")
        .fetch_all(&db.pool)
        .await
}

/// Deletes raw results received before `before_ms`; the per-minute roll-up stays.
pub async fn purge_raw_results(db: &Db, before_ms: i64) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM probe_results WHERE received_at < $1")
            .bind(before_ms)
            .execute(&db.pool)
            .await?
            .rows_affected(),
    )
}

/// Takes the write lock first thing in a transaction that reads before it writes: on SQLite
/// two such transactions would otherwise both read and then fail to upgrade ("database is
/// locked"); on PostgreSQL it queues statement runs behind one another.
pub async fn lock_statements(tx: &mut Tx<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE job_leases SET lease_until = lease_until WHERE name = 'probe_ingest'")
        .execute(&mut **tx)
        .await?;
    Ok(())
}
