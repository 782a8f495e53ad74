//! SLA use cases (issue 17): taking probe results in, issuing each month's statements once
//! the month has settled and its invoices exist, and the statement views pages, CSV and the
//! API share. Figures come from `domain::sla`; this file only gathers and stores.
use super::db::{Db, sla as q};
use super::startup::AppState;
use crate::domain::billing::BillingMonth;
use crate::domain::kst::{format_kst, to_millis};
use crate::domain::sla::exclusions::{ExcludedKind, ExclusionCategory};
use crate::domain::sla::policy::{self, CreditPolicy};
use crate::domain::sla::probe;
use crate::domain::sla::span::{Span, start_of_minute};
use crate::domain::sla::statement::{self, Statement, StatementInput};
use crate::model::sla::{
    ExcludedView, OutageView, StatementSummary, StatementView, TimelineKind, TimelineMark,
};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashSet;

/// The most results one batch may carry.
pub const MAX_RESULTS: usize = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum SlaError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("no credit policy is in force for {0}")]
    NoPolicy(BillingMonth),
    #[error("stored statement cannot be read: {0}")]
    Unreadable(String),
    /// Settling an invoice with a revised credit failed after the revision was stored.
    #[error(transparent)]
    Billing(#[from] Box<super::billing::BillingError>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedResult {
    pub index: usize,
    pub code: &'static str,
    pub message: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestOutcome {
    Stored {
        accepted: usize,
        duplicates: usize,
        rejected: Vec<RejectedResult>,
    },
    TooManyResults {
        max: usize,
    },
}

/// Checks every result, stores the new ones (a result already stored, or twice in the batch,
/// is a duplicate), and reports each refused one by its index.
pub async fn ingest(db: &Db, raw: &[Value], now: DateTime<Utc>) -> Result<IngestOutcome, SlaError> {
    if raw.len() > MAX_RESULTS {
        return Ok(IngestOutcome::TooManyResults { max: MAX_RESULTS });
    }
    let mut prefixes: Vec<&str> = raw
        .iter()
        .filter_map(|r| r.get("project").and_then(Value::as_str))
        .collect();
    prefixes.sort_unstable();
    prefixes.dedup();
    let projects = super::db::usage::projects_by_prefix(db, &prefixes).await?;
    let mut good = Vec::with_capacity(raw.len());
    let mut rejected = Vec::new();
    let mut seen: HashSet<(i64, String, i64)> = HashSet::with_capacity(raw.len());
    let mut duplicates = 0;
    for (index, r) in raw.iter().enumerate() {
        match probe::check(r, &projects, now) {
            Ok(result) => {
                if seen.insert((
                    result.project_id,
                    result.location.clone(),
                    to_millis(result.at),
                )) {
                    good.push(result);
                } else {
                    duplicates += 1;
                }
            }
            Err(why) => rejected.push(RejectedResult {
                index,
                code: why.code(),
                message: why.message(),
            }),
        }
    }
    let stored = if good.is_empty() {
        q::StoredResults::default()
    } else {
        q::store_results(db, &good, to_millis(now)).await?
    };
    if stored.late > 0 {
        tracing::warn!(
            late = stored.late,
            "probe results arrived for months with issued statements; flagged for review"
        );
    }
    Ok(IngestOutcome::Stored {
        accepted: stored.inserted,
        duplicates: duplicates + (good.len() - stored.inserted),
        rejected,
    })
}

/// What a statement keeps beside its figure columns: every line behind them, as issued.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Body {
    month_minutes: u64,
    service: Vec<(i64, i64)>,
    /// start, end (epoch minutes), excluded minutes
    outages: Vec<(i64, i64, u64)>,
    excluded: Vec<BodyExcluded>,
    no_data: Vec<(i64, i64)>,
    basis: String,
    basis_months: Vec<(String, i64)>,
    tier: Option<String>,
    target: String,
    computed_credit_krw: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct BodyExcluded {
    start: i64,
    end: i64,
    /// `maintenance` | `exclusion`
    kind: String,
    category: Option<String>,
    reason: String,
    counted: bool,
}

fn body_of(s: &Statement, policy: &CreditPolicy) -> Body {
    let pair = |x: &Span| (x.start(), x.end());
    Body {
        month_minutes: s.month_minutes,
        service: s.service.iter().map(pair).collect(),
        outages: s
            .outages
            .iter()
            .map(|o| (o.span.start(), o.span.end(), o.excluded_minutes))
            .collect(),
        excluded: s
            .excluded
            .iter()
            .map(|p| BodyExcluded {
                start: p.span.start(),
                end: p.span.end(),
                kind: match p.kind {
                    ExcludedKind::Maintenance { .. } => "maintenance",
                    ExcludedKind::Exclusion { .. } => "exclusion",
                }
                .into(),
                category: match p.kind {
                    ExcludedKind::Exclusion { category } => Some(category.code().into()),
                    ExcludedKind::Maintenance { .. } => None,
                },
                reason: p.reason.clone(),
                counted: p.counts(),
            })
            .collect(),
        no_data: s.no_data.iter().map(pair).collect(),
        basis: s.fee_basis.basis.code().into(),
        basis_months: s
            .fee_basis
            .months
            .iter()
            .map(|(m, c)| (m.to_string(), *c))
            .collect(),
        tier: s.tier.map(|t| t.label()),
        target: policy.target().normalize().to_string(),
        computed_credit_krw: s.computed_credit.krw,
    }
}

/// Computes the statement of one project for `month` from what is stored now; None when
/// the project had no paid minute in it.
pub async fn recompute(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    project_id: i64,
    month: BillingMonth,
    policies: &[CreditPolicy],
    lead: Duration,
) -> Result<Option<(Statement, CreditPolicy)>, SlaError> {
    let paid = q::paid_stretches(tx, project_id).await?;
    let policy = policy::in_force(policies, month)
        .ok_or(SlaError::NoPolicy(month))?
        .clone();
    let (from, to) = q::statement_window(month);
    let observed = q::minutes(&mut **tx, project_id, from, to).await?;
    let (start_ms, end_ms) = (to_millis(month.start()), to_millis(month.end()));
    let maintenance = q::maintenance_for(&mut **tx, project_id, start_ms, end_ms).await?;
    let exclusions = q::exclusions_for(&mut **tx, project_id, start_ms, end_ms).await?;
    let charges = q::charges(tx, project_id).await?;
    let s = statement::compute(&StatementInput {
        month,
        paid: &paid,
        observed: &observed,
        maintenance: &maintenance,
        exclusions: &exclusions,
        maintenance_lead: lead,
        policy: &policy,
        charges: &charges,
        invoice_issued: !charges.is_empty(),
    });
    Ok((s.service_minutes > 0).then_some((s, policy)))
}

fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[allow(clippy::too_many_arguments)]
async fn store(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    project_id: i64,
    s: &Statement,
    policy: &CreditPolicy,
    revision: i64,
    reason: Option<&str>,
    revised_by: Option<i64>,
    now_ms: i64,
) -> Result<Option<i64>, SlaError> {
    let body = serde_json::to_string(&body_of(s, policy))
        .map_err(|e| SlaError::Unreadable(e.to_string()))?;
    let month = s.month.to_string();
    Ok(q::insert_statement(
        tx,
        &q::NewStatement {
            project_id,
            month: &month,
            revision,
            issued_at: now_ms,
            policy_version: s.policy_version,
            service_minutes: as_i64(s.service_minutes),
            outage_minutes: as_i64(s.outage_minutes),
            excluded_minutes: as_i64(s.excluded_minutes),
            no_data_minutes: as_i64(s.no_data_minutes),
            availability_percent: &s.availability.display(),
            credit_rate_percent: &s.rate_percent().normalize().to_string(),
            fee_basis_krw: s.fee_basis.krw,
            credit_before_rounding: &s.computed_credit.before_rounding.to_string(),
            credit_krw: s.credit_krw(),
            ineligible_reason: s.eligibility.err().map(|r| r.code()),
            body: &body,
            revision_reason: reason,
            revised_by,
        },
    )
    .await?)
}

/// Stores a staff revision of a statement (see `sla_staff::revise`).
#[allow(clippy::too_many_arguments)]
pub async fn store_revision(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    project_id: i64,
    s: &Statement,
    policy: &CreditPolicy,
    revision: i64,
    reason: &str,
    staff_id: i64,
    now_ms: i64,
) -> Result<Option<i64>, SlaError> {
    store(
        tx,
        project_id,
        s,
        policy,
        revision,
        Some(reason),
        Some(staff_id),
        now_ms,
    )
    .await
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatementsReport {
    pub issued: u64,
    pub already: u64,
    pub credits_krw: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueOutcome {
    Issued(StatementsReport),
    /// The settle period after the month's end has not passed.
    NotSettled {
        ready_at: DateTime<Utc>,
    },
    /// The month's invoices are not issued yet (the fee basis needs them).
    InvoicesFirst,
}

/// When a month's statements may be issued: its end plus the settle period.
pub fn ready_at(month: BillingMonth, settle_hours: u32) -> DateTime<Utc> {
    month.end() + Duration::hours(i64::from(settle_hours))
}

/// Issues the first statement of every project that was paid during `month`, one project
/// per transaction: ingestion waits for one statement, not for the whole month (a month of
/// 1,000 projects takes most of a minute). A statement already issued is left as it is and
/// its credit was created with it, so running again, after a failure part-way or on two
/// instances at once, issues each once. The month is marked closed when every project has
/// its statement.
pub async fn issue_month(
    state: &AppState,
    month: BillingMonth,
    now: DateTime<Utc>,
) -> Result<IssueOutcome, SlaError> {
    let ready = ready_at(month, state.settings.sla_settle_hours);
    if now < ready {
        return Ok(IssueOutcome::NotSettled { ready_at: ready });
    }
    let db = &state.db;
    let month_code = month.to_string();
    if !super::db::billing::is_month_closed(db, &month_code).await? {
        return Ok(IssueOutcome::InvoicesFirst);
    }
    let policies = q::policies(&db.pool).await?;
    let lead = Duration::hours(i64::from(state.settings.maintenance_lead_hours));
    let now_ms = to_millis(now);
    let projects = q::projects_created_before(db, to_millis(month.end())).await?;
    let issued_before = q::projects_with_statement(db, &month_code).await?;
    let mut report = StatementsReport::default();
    for project_id in projects {
        if issued_before.contains(&project_id) {
            report.already += 1;
            continue;
        }
        let mut tx = db.begin_write().await?;
        q::lock_statements(&mut tx).await?;
        let Some((s, policy)) = recompute(&mut tx, project_id, month, &policies, lead).await?
        else {
            continue;
        };
        match store(&mut tx, project_id, &s, &policy, 1, None, None, now_ms).await? {
            None => report.already += 1,
            Some(id) => {
                report.issued += 1;
                if s.credit_krw() > 0 {
                    let reason = format!("SLA {month_code}");
                    q::add_sla_credit(&mut tx, id, project_id, s.credit_krw(), &reason, now_ms)
                        .await?;
                    report.credits_krw += s.credit_krw();
                }
            }
        }
        tx.commit().await?;
    }
    let mut tx = db.begin_write().await?;
    q::mark_month_closed(&mut tx, &month_code, now_ms).await?;
    tx.commit().await?;
    Ok(IssueOutcome::Issued(report))
}

/// The month whose statements the job looks at now: the one before the month that contains
/// `now - settle`.
pub fn month_due(now: DateTime<Utc>, settle_hours: u32) -> BillingMonth {
    BillingMonth::containing(now - Duration::hours(i64::from(settle_hours))).prev()
}

/// Deletes the raw probe results no statement needs any more (the rule and why:
/// `domain::sla::retention`); returns how many went.
pub async fn purge_raw_results(state: &AppState, now: DateTime<Utc>) -> Result<u64, SlaError> {
    use crate::domain::sla::retention::{IssuedMonth, raw_results_purge_before};
    let mut issued = Vec::new();
    for (month, at) in q::last_issued_per_month(&state.db).await? {
        let month = BillingMonth::parse(&month)
            .ok_or_else(|| SlaError::Unreadable(format!("statement month {month}")))?;
        let last_issued_at = crate::domain::kst::from_millis(at)
            .ok_or_else(|| SlaError::Unreadable("statement issue time".into()))?;
        issued.push(IssuedMonth {
            month,
            last_issued_at,
        });
    }
    let due = month_due(now, state.settings.sla_settle_hours);
    let before = raw_results_purge_before(now, state.settings.sla_dispute_days, due, &issued);
    Ok(q::purge_raw_results(&state.db, to_millis(before)).await?)
}

/// The automatic issue: once a month has settled and its invoices exist, its statements are
/// issued (once; the lease and the unique index keep it so across instances).
pub async fn issue_due_month(
    state: &AppState,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<Option<StatementsReport>, SlaError> {
    let month = month_due(now, state.settings.sla_settle_hours);
    if q::is_month_closed(&state.db, &month.to_string()).await? {
        return Ok(None);
    }
    let now_ms = to_millis(now);
    if !super::db::leases::try_acquire(
        &state.db,
        "sla_statements",
        holder,
        now_ms,
        now_ms + 600_000,
    )
    .await?
    {
        return Ok(None);
    }
    let result = issue_month(state, month, now).await;
    super::db::leases::release(&state.db, "sla_statements", holder).await?;
    match result? {
        IssueOutcome::Issued(r) => Ok(Some(r)),
        IssueOutcome::NotSettled { .. } | IssueOutcome::InvoicesFirst => Ok(None),
    }
}

fn kst_text(minute: i64) -> String {
    start_of_minute(minute).map(format_kst).unwrap_or_default()
}

fn rfc3339(minute: i64) -> String {
    start_of_minute(minute)
        .map(|t| crate::domain::kst::to_kst(t).to_rfc3339())
        .unwrap_or_default()
}

fn summary_of(r: &q::StatementRow) -> StatementSummary {
    StatementSummary {
        project_id: r.project_id,
        month: r.month.clone(),
        revision: r.revision,
        issued_at: crate::domain::kst::from_millis(r.issued_at)
            .map(format_kst)
            .unwrap_or_default(),
        availability_percent: r.availability_percent.clone(),
        outage_minutes: r.outage_minutes,
        credit_krw: r.credit_krw,
        eligible: r.ineligible_reason.is_none(),
    }
}

/// The project's statements, newest month first (the latest revision of each).
pub async fn list(db: &Db, project_id: i64) -> Result<Vec<StatementSummary>, SlaError> {
    Ok(q::latest_per_month(db, project_id)
        .await?
        .iter()
        .map(summary_of)
        .collect())
}

/// The marks of a month's timeline, cut at each KST midnight.
fn timeline(month: BillingMonth, body: &Body) -> Vec<TimelineMark> {
    let month_start = crate::domain::sla::span::minute_of(month.start());
    let mut marks = Vec::new();
    let mut add = |start: i64, end: i64, kind: TimelineKind| {
        let mut from = start;
        while from < end {
            let day = (from - month_start).div_euclid(1440);
            let day_end = month_start + (day + 1) * 1440;
            let to = end.min(day_end);
            marks.push(TimelineMark {
                day: u32::try_from(day + 1).unwrap_or(0),
                from_minute: u32::try_from(from - (day_end - 1440)).unwrap_or(0),
                to_minute: u32::try_from(to - (day_end - 1440)).unwrap_or(0),
                kind,
            });
            from = to;
        }
    };
    let service: Vec<Span> = body
        .service
        .iter()
        .filter_map(|&(a, b)| Span::new(a, b))
        .collect();
    let month_span = Span::of_month(month);
    for gap in crate::domain::sla::span::subtract(&[month_span], &service) {
        add(gap.start(), gap.end(), TimelineKind::NotInService);
    }
    for &(a, b) in &body.no_data {
        add(a, b, TimelineKind::NoData);
    }
    for &(a, b, _) in &body.outages {
        add(a, b, TimelineKind::Down);
    }
    // Drawn over the outage, so an excused stretch of it shows as excluded.
    let counted: Vec<Span> = body
        .excluded
        .iter()
        .filter(|e| e.counted)
        .filter_map(|e| Span::new(e.start, e.end))
        .collect();
    for e in crate::domain::sla::span::merge(counted) {
        add(e.start(), e.end(), TimelineKind::Excluded);
    }
    marks
}

fn view_of(
    r: &q::StatementRow,
    revisions: Vec<i64>,
    project_name: &str,
    prefix: &str,
    english: bool,
) -> Result<StatementView, SlaError> {
    let body: Body =
        serde_json::from_str(&r.body).map_err(|e| SlaError::Unreadable(e.to_string()))?;
    let month =
        BillingMonth::parse(&r.month).ok_or_else(|| SlaError::Unreadable("month".into()))?;
    Ok(StatementView {
        project_id: r.project_id,
        project_name: project_name.to_string(),
        domain_prefix: prefix.to_string(),
        month: r.month.clone(),
        days_in_month: month.days(),
        revision: r.revision,
        revisions,
        revision_reason: r.revision_reason.clone(),
        issued_at: crate::domain::kst::from_millis(r.issued_at)
            .map(format_kst)
            .unwrap_or_default(),
        policy_version: r.policy_version,
        month_minutes: as_i64(body.month_minutes),
        service_minutes: r.service_minutes,
        outage_minutes: r.outage_minutes,
        excluded_minutes: r.excluded_minutes,
        no_data_minutes: r.no_data_minutes,
        availability_percent: r.availability_percent.clone(),
        target_percent: body.target.clone(),
        tier: body.tier.clone(),
        credit_rate_percent: r.credit_rate_percent.clone(),
        fee_basis: body.basis.clone(),
        fee_basis_months: body.basis_months.clone(),
        fee_basis_krw: r.fee_basis_krw,
        credit_before_rounding: r.credit_before_rounding.clone(),
        computed_credit_krw: body.computed_credit_krw,
        credit_krw: r.credit_krw,
        eligible: r.ineligible_reason.is_none(),
        ineligible_reason: r.ineligible_reason.clone(),
        outages: body
            .outages
            .iter()
            .map(|&(a, b, excluded)| OutageView {
                start: kst_text(a),
                end: kst_text(b),
                start_at: rfc3339(a),
                end_at: rfc3339(b),
                minutes: b - a,
                excluded_minutes: as_i64(excluded),
            })
            .collect(),
        exclusions: body
            .excluded
            .iter()
            .map(|e| ExcludedView {
                start: kst_text(e.start),
                end: kst_text(e.end),
                start_at: rfc3339(e.start),
                end_at: rfc3339(e.end),
                minutes: e.end - e.start,
                kind: e.kind.clone(),
                category: e.category.clone(),
                category_label: match e.category.as_deref().and_then(ExclusionCategory::parse) {
                    Some(c) => c.label(!english).to_string(),
                    None if english => "Announced maintenance".to_string(),
                    None => "사전 공지된 정기 점검".to_string(),
                },
                reason: e.reason.clone(),
                counted: e.counted,
            })
            .collect(),
        no_data: body
            .no_data
            .iter()
            .map(|&(a, b)| (kst_text(a), kst_text(b), b - a))
            .collect(),
        timeline: timeline(month, &body),
        revised_from: None,
    })
}

/// The figures of `prev` (the revision before `r`) beside `r`'s, each marked when it changed
/// and by how much, so a revised statement shows what changed as well as why.
fn comparison(
    prev: &q::StatementRow,
    r: &q::StatementRow,
    english: bool,
) -> crate::model::sla::RevisionComparison {
    use crate::domain::billing::money::format_krw;
    use crate::model::sla::{FigureChange, RevisedFigure as F};
    use rust_decimal::Decimal;
    let signed = |d: String| {
        if d.starts_with('-') {
            d
        } else {
            format!("+{d}")
        }
    };
    let count = |figure, a: i64, b: i64| FigureChange {
        figure,
        before: a.to_string(),
        after: b.to_string(),
        changed: a != b,
        difference: (a != b).then(|| signed((b - a).to_string())),
    };
    let krw = |figure, a: i64, b: i64| FigureChange {
        figure,
        before: format!("{} KRW", format_krw(a)),
        after: format!("{} KRW", format_krw(b)),
        changed: a != b,
        difference: (a != b).then(|| format!("{} KRW", signed(format_krw(b - a)))),
    };
    // Percentages are stored as exact decimal text: compared and subtracted as decimals.
    let percent = |figure, a: &str, b: &str| {
        let parsed = a.parse::<Decimal>().ok().zip(b.parse::<Decimal>().ok());
        let changed = match parsed {
            Some((x, y)) => x != y,
            None => a != b,
        };
        FigureChange {
            figure,
            before: format!("{a} %"),
            after: format!("{b} %"),
            changed,
            difference: parsed.filter(|_| changed).map(|(x, y)| {
                let unit = if english { "pp" } else { "%p" };
                format!("{} {unit}", signed((y - x).to_string()))
            }),
        }
    };
    crate::model::sla::RevisionComparison {
        previous_revision: prev.revision,
        previous_issued_at: crate::domain::kst::from_millis(prev.issued_at)
            .map(format_kst)
            .unwrap_or_default(),
        figures: vec![
            count(F::OutageMinutes, prev.outage_minutes, r.outage_minutes),
            count(
                F::ExcludedMinutes,
                prev.excluded_minutes,
                r.excluded_minutes,
            ),
            count(F::NoDataMinutes, prev.no_data_minutes, r.no_data_minutes),
            percent(
                F::AvailabilityPercent,
                &prev.availability_percent,
                &r.availability_percent,
            ),
            percent(
                F::CreditRatePercent,
                &prev.credit_rate_percent,
                &r.credit_rate_percent,
            ),
            krw(F::FeeBasisKrw, prev.fee_basis_krw, r.fee_basis_krw),
            krw(F::CreditKrw, prev.credit_krw, r.credit_krw),
        ],
    }
}

/// One statement of the project (`revision` None: the latest), or None.
pub async fn detail(
    db: &Db,
    project_id: i64,
    project_name: &str,
    prefix: &str,
    month: BillingMonth,
    revision: Option<i64>,
    english: bool,
) -> Result<Option<StatementView>, SlaError> {
    let rows = q::revisions(&db.pool, project_id, &month.to_string()).await?;
    let numbers: Vec<i64> = rows.iter().map(|r| r.revision).collect();
    let at = match revision {
        None => rows.len().checked_sub(1),
        Some(n) => rows.iter().position(|r| r.revision == n),
    };
    let Some(at) = at else {
        return Ok(None);
    };
    let mut view = view_of(&rows[at], numbers, project_name, prefix, english)?;
    // Revisions are stored oldest first: the one before is the one this revision corrected.
    view.revised_from = at
        .checked_sub(1)
        .map(|before| comparison(&rows[before], &rows[at], english));
    Ok(Some(view))
}

/// The statement as CSV (UTF-8 with BOM): the figures, then one row per outage, excluded
/// period and no-data stretch.
pub fn statement_csv(v: &StatementView, english: bool) -> String {
    let field = super::billing::csv_field;
    let mut out = String::from("\u{feff}");
    let (figure, value) = if english {
        ("figure", "value")
    } else {
        ("항목", "값")
    };
    out.push_str(&format!("{figure},{value}\n"));
    let rows: [(&str, &str, String); 14] = [
        ("프로젝트", "project", v.domain_prefix.clone()),
        ("월", "month", v.month.clone()),
        ("개정", "revision", v.revision.to_string()),
        (
            "서비스 시간(분)",
            "service_minutes",
            v.service_minutes.to_string(),
        ),
        (
            "장애 시간(분)",
            "outage_minutes",
            v.outage_minutes.to_string(),
        ),
        (
            "제외 시간(분)",
            "excluded_minutes",
            v.excluded_minutes.to_string(),
        ),
        (
            "데이터 없음(분)",
            "no_data_minutes",
            v.no_data_minutes.to_string(),
        ),
        (
            "가용성(%)",
            "availability_percent",
            v.availability_percent.clone(),
        ),
        (
            "보상 비율(%)",
            "credit_rate_percent",
            v.credit_rate_percent.clone(),
        ),
        (
            "산정 기준 금액(원)",
            "fee_basis_krw",
            v.fee_basis_krw.to_string(),
        ),
        (
            "절사 전 보상액",
            "credit_before_rounding",
            v.credit_before_rounding.clone(),
        ),
        ("보상액(원)", "credit_krw", v.credit_krw.to_string()),
        ("보상 대상", "eligible", v.eligible.to_string()),
        ("정책 버전", "policy_version", v.policy_version.to_string()),
    ];
    for (ko, en, val) in rows {
        out.push_str(&format!(
            "{},{}\n",
            if english { en } else { ko },
            field(&val)
        ));
    }
    out.push('\n');
    out.push_str(if english {
        "line,start,end,minutes,excluded_minutes,category,reason\n"
    } else {
        "구분,시작,종료,분,제외(분),분류,사유\n"
    });
    for o in &v.outages {
        out.push_str(&format!(
            "{},{},{},{},{},,\n",
            if english { "outage" } else { "장애" },
            o.start,
            o.end,
            o.minutes,
            o.excluded_minutes
        ));
    }
    for e in &v.exclusions {
        out.push_str(&format!(
            "{},{},{},{},,{},{}\n",
            match (e.kind.as_str(), english) {
                ("maintenance", true) => "maintenance",
                ("maintenance", false) => "정기 점검",
                (_, true) => "exclusion",
                (_, false) => "제외",
            },
            e.start,
            e.end,
            e.minutes,
            field(&e.category_label),
            field(&e.reason)
        ));
    }
    for (a, b, n) in &v.no_data {
        out.push_str(&format!(
            "{},{a},{b},{n},,,\n",
            if english {
                "no_data"
            } else {
                "데이터 없음"
            }
        ));
    }
    out
}

/// A policy's bands as the pages show them: ("[99.5, 99.9)", rate), highest first.
pub fn tier_rows(p: &CreditPolicy) -> Vec<(String, String)> {
    p.tiers()
        .iter()
        .map(|t| (t.label(), t.rate_percent.normalize().to_string()))
        .collect()
}

/// The compensation scheme in force at `now`, for the public page.
pub async fn compensation(
    state: &AppState,
    now: DateTime<Utc>,
) -> Result<Option<crate::model::sla::CompensationView>, SlaError> {
    let policies = q::policies(&state.db.pool).await?;
    let month = BillingMonth::containing(now);
    let Some(p) = policy::in_force(&policies, month) else {
        return Ok(None);
    };
    let next = policy::next_after(&policies, month);
    Ok(Some(crate::model::sla::CompensationView {
        version: p.version,
        effective_from: p.effective_from.to_string(),
        target_percent: p.target().normalize().to_string(),
        basis: p.basis.code().to_string(),
        tiers: tier_rows(p),
        next_effective_from: next.map(|n| n.effective_from.to_string()),
        next_target_percent: next.map(|n| n.target().normalize().to_string()),
        next_basis: next.map(|n| n.basis.code().to_string()),
        next_tiers: next.map(tier_rows).unwrap_or_default(),
        settle_hours: state.settings.sla_settle_hours,
        lead_hours: state.settings.maintenance_lead_hours,
    }))
}
