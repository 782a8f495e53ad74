//! Incident use cases (SPEC R6.1, R8.1): operations staff and administrators record an
//! incident, set its recovery and publish its notice (each audited); every staff role reads
//! the list and the monthly MTTR report; anyone reads the published notices on `/incidents`.
//! The only place that turns incident rows into what pages show.
use super::auth::session::AuthSession;
use super::db::audit::AuditEntry;
use super::db::incidents::{self as q, NewRow, ReadError, StoredIncident};
use super::startup::AppState;
use crate::domain::billing::BillingMonth;
use crate::domain::incidents::input::{self, IncidentInput, NewIncident, Problem, Scope};
use crate::domain::incidents::report::{self, Span};
use crate::domain::kst::{format_kst, to_millis};
use crate::model::StaffRole;
use crate::model::incidents::{
    AdminIncidentView, AdminIncidentsData, FieldProblem, IncidentForm, PublicIncidentView,
    PublicIncidentsPage, PublishOutcome, RecordIncidentOutcome, RecoveryOutcome, ReportView,
};
use chrono::{DateTime, Duration, Utc};

/// Notices on one page of `/incidents`.
pub const PUBLIC_PER_PAGE: i64 = 20;

#[derive(Debug, thiserror::Error)]
pub enum IncidentsError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Read(#[from] ReadError),
}

/// Incidents and maintenance are operations' (SPEC R10) and administrators' to write; support
/// and billing read them to answer customers.
pub fn may_write(role: StaffRole) -> bool {
    matches!(role, StaffRole::Operations | StaffRole::Admin)
}

fn report_view(r: &report::MonthlyReport) -> ReportView {
    ReportView {
        month: r.month.to_string(),
        failures: r.failures,
        total_minutes: r.total_minutes,
        mttr_seconds: r.mttr.map(|m| m.whole_seconds()),
        longest_minutes: r.longest_minutes,
        // (total + longest * count) * 60 / count, truncated: the exact sum, shown like MTTR.
        combined_seconds: r
            .mttr
            .zip(r.longest_minutes)
            .map(|(m, l)| (m.total() + l * m.count()) * 60 / m.count()),
        open: r.open,
        open_longest_minutes: r.open_longest_minutes,
        mttr_verdict: r.mttr_verdict.code().into(),
        longest_verdict: r.longest_verdict.code().into(),
        combined_verdict: r.combined_verdict.code().into(),
    }
}

fn admin_view(i: StoredIncident, now: DateTime<Utc>) -> AdminIncidentView {
    let span = Span {
        started_at: i.started_at,
        recovered_at: i.recovered_at,
    };
    AdminIncidentView {
        id: i.id,
        all_projects: i.all_projects,
        projects: i.projects,
        started_at: format_kst(i.started_at),
        recovered_at: i.recovered_at.map(format_kst),
        recovered_input: i
            .recovered_at
            .map(input::kst_input_value)
            .unwrap_or_default(),
        minutes: span.minutes(now),
        open: i.recovered_at.is_none(),
        cause: i.cause,
        notice_ko: i.notice_ko,
        notice_en: i.notice_en,
        published_at: i.published_at.map(format_kst),
        created_by: i.created_by,
    }
}

/// The admin page for `month` (`YYYY-MM`, KST; empty for the current month).
pub async fn admin_page(
    state: &AppState,
    role: StaffRole,
    month: &str,
    now: DateTime<Utc>,
) -> Result<AdminIncidentsData, IncidentsError> {
    let current = BillingMonth::containing(now);
    let (m, month_invalid) = if month.trim().is_empty() {
        (current, false)
    } else {
        match BillingMonth::parse(month) {
            Some(m) if m <= current => (m, false),
            _ => (current, true),
        }
    };
    let rows = q::month_and_open(&state.db, to_millis(m.start()), to_millis(m.end())).await?;
    let spans: Vec<Span> = rows
        .iter()
        .map(|i| Span {
            started_at: i.started_at,
            recovered_at: i.recovered_at,
        })
        .collect();
    let r = report::monthly(&spans, m, now);
    Ok(AdminIncidentsData {
        month: m.to_string(),
        prev_month: m.prev().to_string(),
        next_month: (m < current).then(|| m.next().to_string()),
        month_invalid,
        report: report_view(&r),
        incidents: rows.into_iter().map(|i| admin_view(i, now)).collect(),
        may_write: may_write(role),
    })
}

fn field_problem(p: &Problem) -> FieldProblem {
    FieldProblem {
        field: p.field().into(),
        code: p.code().into(),
        prefix: p.prefix().map(str::to_string),
    }
}

fn invalid(problems: &[Problem], form: IncidentForm) -> RecordIncidentOutcome {
    RecordIncidentOutcome::Invalid {
        problems: problems.iter().map(field_problem).collect(),
        kept: form,
    }
}

fn audit_entry<'a>(
    staff: &AuthSession,
    role: &'a StaffRole,
    action: &'a str,
    id: i64,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> AuditEntry<'a> {
    AuditEntry {
        at_ms: to_millis(now),
        actor_user_id: staff.user.id(),
        actor_role: role.code(),
        action,
        target_kind: "incident",
        target_id: id,
        customer_user_id: None,
        reason: "",
        detail,
    }
}

/// Records an incident from the form; refused with every problem at once, storing nothing.
pub async fn record(
    state: &AppState,
    staff: &AuthSession,
    role: StaffRole,
    form: IncidentForm,
    now: DateTime<Utc>,
) -> Result<RecordIncidentOutcome, IncidentsError> {
    if !may_write(role) {
        return Ok(RecordIncidentOutcome::NotAllowed);
    }
    let parsed = NewIncident::parse(
        &IncidentInput {
            scope: &form.scope,
            projects: &form.projects,
            started_at: &form.started_at,
            recovered_at: &form.recovered_at,
            cause: &form.cause,
            notice_ko: &form.notice_ko,
            notice_en: &form.notice_en,
        },
        now,
    );
    let incident = match parsed {
        Ok(i) => i,
        Err(problems) => return Ok(invalid(&problems, form)),
    };
    let project_ids = match &incident.scope {
        Scope::All => Vec::new(),
        Scope::Projects(prefixes) => {
            let names: Vec<&str> = prefixes.iter().map(|p| p.as_str()).collect();
            let found = q::projects_by_prefix(&state.db, &names).await?;
            let unknown: Vec<Problem> = names
                .iter()
                .filter(|n| !found.contains_key(**n))
                .map(|n| Problem::ProjectUnknown((*n).to_string()))
                .collect();
            if !unknown.is_empty() {
                return Ok(invalid(&unknown, form));
            }
            names
                .iter()
                .filter_map(|n| found.get(*n).copied())
                .collect()
        }
    };
    let prefixes: Vec<String> = match &incident.scope {
        Scope::All => Vec::new(),
        Scope::Projects(p) => p.iter().map(|p| p.as_str().to_string()).collect(),
    };
    let detail = serde_json::json!({
        "projects": if prefixes.is_empty() { serde_json::json!("all") } else { serde_json::json!(prefixes) },
        "started_at": to_millis(incident.started_at),
        "recovered_at": incident.recovered_at.map(to_millis),
        "cause": incident.cause,
        "published": form.publish,
    });
    let now_ms = to_millis(now);
    let id = q::insert(
        &state.db,
        &NewRow {
            all_projects: matches!(incident.scope, Scope::All),
            projects: &project_ids,
            started_at_ms: to_millis(incident.started_at),
            recovered_at_ms: incident.recovered_at.map(to_millis),
            cause: &incident.cause,
            notice_ko: &incident.notice_ko,
            notice_en: &incident.notice_en,
            published_at_ms: form.publish.then_some(now_ms),
            created_by: staff.user.id(),
            now_ms,
        },
        audit_entry(staff, &role, "incident.recorded", 0, detail, now),
    )
    .await?;
    Ok(RecordIncidentOutcome::Recorded {
        id,
        published: form.publish,
    })
}

/// Sets (or corrects) the recovery time of incident `id`.
pub async fn set_recovery(
    state: &AppState,
    staff: &AuthSession,
    role: StaffRole,
    id: i64,
    raw: &str,
    now: DateTime<Utc>,
) -> Result<RecoveryOutcome, IncidentsError> {
    if !may_write(role) {
        return Ok(RecoveryOutcome::NotAllowed);
    }
    let Some(incident) = q::find(&state.db, id).await? else {
        return Ok(RecoveryOutcome::NotFound);
    };
    let recovered = match input::check_recovery(incident.started_at, raw, now) {
        Ok(t) => t,
        Err(p) => {
            return Ok(RecoveryOutcome::Invalid {
                id,
                code: p.code().into(),
            });
        }
    };
    let detail = serde_json::json!({
        "before": incident.recovered_at.map(to_millis),
        "after": to_millis(recovered),
    });
    let saved = q::set_recovery(
        &state.db,
        id,
        incident.recovered_at.map(to_millis),
        to_millis(recovered),
        to_millis(now),
        &audit_entry(staff, &role, "incident.recovery_set", id, detail, now),
    )
    .await?;
    Ok(if saved {
        RecoveryOutcome::Saved { id }
    } else {
        RecoveryOutcome::Changed { id }
    })
}

/// Publishes incident `id`'s notice on `/incidents` (once).
pub async fn publish(
    state: &AppState,
    staff: &AuthSession,
    role: StaffRole,
    id: i64,
    now: DateTime<Utc>,
) -> Result<PublishOutcome, IncidentsError> {
    if !may_write(role) {
        return Ok(PublishOutcome::NotAllowed);
    }
    if q::find(&state.db, id).await?.is_none() {
        return Ok(PublishOutcome::NotFound);
    }
    let published = q::publish(
        &state.db,
        id,
        to_millis(now),
        &audit_entry(
            staff,
            &role,
            "incident.published",
            id,
            serde_json::json!({}),
            now,
        ),
    )
    .await?;
    Ok(if published {
        PublishOutcome::Published { id }
    } else {
        PublishOutcome::AlreadyPublished { id }
    })
}

/// One page (from 1) of published notices, newest first; anyone may read it.
pub async fn public_page(
    state: &AppState,
    page: i64,
) -> Result<PublicIncidentsPage, IncidentsError> {
    let page = page.clamp(1, 100_000);
    // One more than a page tells whether there is a next one.
    let mut rows =
        q::published(&state.db, PUBLIC_PER_PAGE + 1, (page - 1) * PUBLIC_PER_PAGE).await?;
    let has_next = rows.len() > usize::try_from(PUBLIC_PER_PAGE).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(PUBLIC_PER_PAGE).unwrap_or(usize::MAX));
    Ok(PublicIncidentsPage {
        items: rows
            .into_iter()
            .map(|i| PublicIncidentView {
                id: i.id,
                all_projects: i.all_projects,
                project_count: i.projects.len(),
                started_at: format_kst(i.started_at),
                recovered_at: i.recovered_at.map(format_kst),
                minutes: i
                    .recovered_at
                    .map(|r| (r - i.started_at).num_minutes().max(0)),
                notice_ko: i.notice_ko,
                notice_en: i.notice_en,
            })
            .collect(),
        page,
        has_next,
    })
}

/// The demo's one past incident: published, recovered, ten days ago, for every project.
/// Only into an empty table, so a restart adds nothing. Recorded by the demo admin.
pub async fn seed_demo(state: &AppState, now: DateTime<Utc>) -> Result<(), IncidentsError> {
    if q::count(&state.db).await? > 0 {
        return Ok(());
    }
    let Some(admin) = super::db::users::find_by_login_id(&state.db, "admin").await? else {
        return Ok(());
    };
    // On the minute, as staff would type it.
    let start_ms = (to_millis(now - Duration::days(10)) / 60_000) * 60_000;
    let recovered_ms = start_ms + 47 * 60_000;
    let admin_id = admin.id;
    q::insert(
        &state.db,
        &NewRow {
            all_projects: true,
            projects: &[],
            started_at_ms: start_ms,
            recovered_at_ms: Some(recovered_ms),
            cause: "수집 서버 한 대의 디스크가 가득 차 데이터 수집이 지연됨",
            notice_ko: "수집 서버 디스크 용량 부족으로 47분 동안 모니터링 데이터 수집이 지연되었습니다. \
                        지연된 데이터는 모두 복구되었으며 재발 방지를 위해 용량 경보를 강화했습니다.",
            notice_en: "Monitoring data collection was delayed for 47 minutes because a collector's \
                        disk ran full. All delayed data has been recovered, and capacity alerts \
                        have been tightened so it does not happen again.",
            published_at_ms: Some(recovered_ms + 30 * 60_000),
            created_by: admin_id,
            now_ms: recovered_ms + 30 * 60_000,
        },
        AuditEntry {
            at_ms: recovered_ms + 30 * 60_000,
            actor_user_id: admin_id,
            actor_role: "admin",
            action: "incident.recorded",
            target_kind: "incident",
            target_id: 0,
            customer_user_id: None,
            reason: "demo data",
            detail: serde_json::json!({"demo": true}),
        },
    )
    .await?;
    Ok(())
}
