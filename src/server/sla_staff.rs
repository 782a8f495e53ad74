//! SLA work of operations staff (issue 17): publishing maintenance windows, recording
//! exclusions, revising an issued statement, and the admin overview. Role-checked here (the
//! pages and `/api/v1/admin/` both call these) and audited in the same transaction.
use super::db::audit::AuditEntry;
use super::db::{Db, sla as q};
use super::sla::SlaError;
use super::startup::AppState;
use crate::domain::billing::BillingMonth;
use crate::domain::kst::{format_kst, from_millis, to_millis};
use crate::domain::sla::exclusions::ExclusionCategory;
use crate::domain::sla::input::{self, Problems};
use crate::model::StaffRole;
use crate::model::error::FieldError;
use crate::model::sla::{
    ExclusionAdminView, LateResultsView, SlaAdminPage, SlaChangeOutcome, WindowView,
};
use chrono::{DateTime, Duration, Utc};

fn invalid(problems: Problems) -> SlaChangeOutcome {
    SlaChangeOutcome::Invalid {
        fields: problems
            .into_iter()
            .map(|(f, p)| FieldError::new(f.name(), p.code()))
            .collect(),
    }
}

/// Who acts: the staff member's id and role.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub user_id: i64,
    pub role: StaffRole,
}

/// `projects`: None for every project, else domain prefixes.
pub async fn publish_window(
    state: &AppState,
    actor: Actor,
    projects: Option<&[String]>,
    start: &str,
    end: &str,
    notice: &str,
    now: DateTime<Utc>,
) -> Result<SlaChangeOutcome, SlaError> {
    if !actor.role.may_change_sla() {
        return Ok(SlaChangeOutcome::NotAllowed);
    }
    let resolved: Option<Vec<(String, Option<i64>)>> = match projects {
        None => None,
        Some(list) => {
            let wanted: Vec<&str> = list
                .iter()
                .map(|p| p.trim())
                .filter(|p| !p.is_empty())
                .collect();
            let found = super::db::usage::projects_by_prefix(&state.db, &wanted).await?;
            Some(
                wanted
                    .iter()
                    .map(|p| (p.to_string(), found.get(*p).copied()))
                    .collect(),
            )
        }
    };
    let w = match input::parse_window(resolved.as_deref(), start, end, notice) {
        Ok(w) => w,
        Err(p) => return Ok(invalid(p)),
    };
    let lead = Duration::hours(i64::from(state.settings.maintenance_lead_hours));
    let detail = serde_json::json!({
        "start": w.start.to_rfc3339(),
        "end": w.end.to_rfc3339(),
        "projects": resolved.as_ref().map(|r| r.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>()),
        "notice": w.notice,
        "announced_in_time": now + lead <= w.start,
    });
    let now_ms = to_millis(now);
    let id = q::insert_window(&state.db, &w, actor.user_id, now_ms, |id| AuditEntry {
        at_ms: now_ms,
        actor_user_id: actor.user_id,
        actor_role: actor.role.code(),
        action: "sla.maintenance_window.published",
        target_kind: "maintenance_window",
        target_id: id,
        customer_user_id: None,
        reason: "",
        detail,
    })
    .await?;
    Ok(SlaChangeOutcome::Done { id })
}

#[allow(clippy::too_many_arguments)]
pub async fn record_exclusion(
    state: &AppState,
    actor: Actor,
    project: &str,
    start: &str,
    end: &str,
    category: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<SlaChangeOutcome, SlaError> {
    if !actor.role.may_change_sla() {
        return Ok(SlaChangeOutcome::NotAllowed);
    }
    let prefix = project.trim();
    let found = super::db::usage::projects_by_prefix(&state.db, &[prefix]).await?;
    let project_id = found.get(prefix).copied();
    let e = match input::parse_exclusion(project_id, start, end, category, reason) {
        Ok(e) => e,
        Err(p) => return Ok(invalid(p)),
    };
    let owner: Option<i64> = sqlx::query_scalar("SELECT owner_id FROM projects WHERE id = $1")
        .bind(e.project_id)
        .fetch_optional(&state.db.pool)
        .await?;
    let detail = serde_json::json!({
        "project": prefix,
        "start": e.start.to_rfc3339(),
        "end": e.end.to_rfc3339(),
        "category": e.category.code(),
        "reason": e.reason,
    });
    let now_ms = to_millis(now);
    let id = q::insert_exclusion(&state.db, &e, actor.user_id, now_ms, |id| AuditEntry {
        at_ms: now_ms,
        actor_user_id: actor.user_id,
        actor_role: actor.role.code(),
        action: "sla.exclusion.recorded",
        target_kind: "sla_exclusion",
        target_id: id,
        customer_user_id: owner,
        reason: "",
        detail,
    })
    .await?;
    Ok(SlaChangeOutcome::Done { id })
}

/// Issues a new revision of a project's statement from what is stored now (a late
/// exclusion, a missed outage, results that came late). The issued revisions stay as they
/// were. A larger credit than before is granted as a credit note on the month's invoice;
/// a smaller one is not taken back (the statement says so in its reason).
pub async fn revise(
    state: &AppState,
    actor: Actor,
    project: &str,
    month: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<SlaChangeOutcome, SlaError> {
    if !actor.role.may_change_sla() {
        return Ok(SlaChangeOutcome::NotAllowed);
    }
    let mut problems = Problems::new();
    let reason = reason.trim();
    if reason.is_empty() {
        problems.push((input::Field::Reason, input::Problem::Missing));
    } else if reason.chars().count() > input::MAX_TEXT {
        problems.push((input::Field::Reason, input::Problem::TooLongText));
    }
    let prefix = project.trim();
    let found = super::db::usage::projects_by_prefix(&state.db, &[prefix]).await?;
    let Some(project_id) = found.get(prefix).copied() else {
        problems.push((input::Field::Project, input::Problem::UnknownProject));
        return Ok(invalid(problems));
    };
    if !problems.is_empty() {
        return Ok(invalid(problems));
    }
    let Some(month) = BillingMonth::parse(month) else {
        return Ok(SlaChangeOutcome::NoStatement);
    };
    let month_code = month.to_string();
    let policies = q::policies(&state.db.pool).await?;
    let lead = Duration::hours(i64::from(state.settings.maintenance_lead_hours));
    let now_ms = to_millis(now);
    let mut tx = state.db.pool.begin().await?;
    q::lock_statements(&mut tx).await?;
    let issued = q::revisions(&mut *tx, project_id, &month_code).await?;
    let Some(last) = issued.last() else {
        return Ok(SlaChangeOutcome::NoStatement);
    };
    let granted: i64 = issued.iter().map(|r| r.credit_krw).max().unwrap_or(0);
    let Some((s, policy)) =
        super::sla::recompute(&mut tx, project_id, month, &policies, lead).await?
    else {
        return Ok(SlaChangeOutcome::NoStatement);
    };
    let revision = last.revision + 1;
    let Some(id) = super::sla::store_revision(
        &mut tx,
        project_id,
        &s,
        &policy,
        revision,
        reason,
        actor.user_id,
        now_ms,
    )
    .await?
    else {
        // Another revision was issued at the same moment; this one is not needed.
        return Ok(SlaChangeOutcome::NoStatement);
    };
    let extra = (s.credit_krw() - granted).max(0);
    let note_reason = format!("SLA {month_code} revision {revision}: {reason}");
    // What the revision adds goes first on the month's invoice as a credit note, but never
    // beyond what is still owed on it (read under the invoice's lock, as payments and staff
    // credit notes do); the rest waits for the project's next invoice, so none is lost.
    let mut noted = 0;
    let mut invoice_paid = false;
    if extra > 0
        && let Some((invoice_id, number)) =
            q::invoice_for_month(&mut tx, project_id, &month_code).await?
        && let Some(invoice) = super::db::billing::invoice_locked(&mut tx, invoice_id).await?
    {
        let owed = super::billing::balance_of(&invoice);
        noted = extra.min(owed);
        if noted > 0 {
            let note = format!("CN-{number}-SLA-R{revision}");
            q::add_credit_note(
                &mut tx,
                invoice_id,
                &note,
                noted,
                &note_reason,
                actor.user_id,
                now_ms,
            )
            .await?;
        }
        if noted == owed && invoice.paid_at.is_none() {
            super::db::billing::mark_paid(&mut tx, invoice_id, now_ms).await?;
            invoice_paid = true;
        }
    }
    let waiting = extra - noted;
    if waiting > 0 {
        q::add_sla_credit(&mut tx, id, project_id, waiting, &note_reason, now_ms).await?;
    }
    q::mark_late_reviewed(&mut tx, project_id, &month_code, now_ms).await?;
    let owner: Option<i64> = sqlx::query_scalar("SELECT owner_id FROM projects WHERE id = $1")
        .bind(project_id)
        .fetch_optional(&mut *tx)
        .await?;
    super::db::audit::record(&mut *tx, &AuditEntry {
        at_ms: now_ms,
        actor_user_id: actor.user_id,
        actor_role: actor.role.code(),
        action: "sla.statement.revised",
        target_kind: "sla_statement",
        target_id: id,
        customer_user_id: owner,
        reason,
        detail: serde_json::json!({
            "project": prefix,
            "month": month_code,
            "revision": revision,
            "before": {"availability_percent": last.availability_percent, "outage_minutes": last.outage_minutes, "credit_krw": last.credit_krw},
            "after": {"availability_percent": s.availability.display(), "outage_minutes": s.outage_minutes, "credit_krw": s.credit_krw()},
            "credit_note_krw": noted,
            "credit_waiting_krw": waiting,
            "invoice_paid": invoice_paid,
        }),
    })
    .await?;
    tx.commit().await?;
    if invoice_paid {
        // Settled by the credit: access comes back now, as after a payment.
        super::billing::refresh_missed_payment(state, project_id, now)
            .await
            .map_err(|e| SlaError::Billing(Box::new(e)))?;
    }
    Ok(SlaChangeOutcome::Done { id })
}

fn kst(ms: i64) -> String {
    from_millis(ms).map(format_kst).unwrap_or_default()
}

/// The operations overview: recent windows and exclusions, and months with late results.
pub async fn admin_page(
    db: &Db,
    role: StaffRole,
    lead_hours: u32,
    english: bool,
) -> Result<SlaAdminPage, SlaError> {
    let lead = Duration::hours(i64::from(lead_hours));
    let windows = q::recent_windows(db, 50)
        .await?
        .into_iter()
        .map(|w| WindowView {
            id: w.id,
            start: kst(w.starts_at),
            end: kst(w.ends_at),
            published_at: kst(w.published_at),
            announced_in_time: w.published_at + lead.num_milliseconds() <= w.starts_at,
            projects: w
                .prefixes
                .split(',')
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
            notice: w.notice,
            published_by: w.published_by,
        })
        .collect();
    let exclusions = q::recent_exclusions(db, 50)
        .await?
        .into_iter()
        .map(|e| ExclusionAdminView {
            id: e.id,
            project: e.prefix,
            start: kst(e.starts_at),
            end: kst(e.ends_at),
            category_label: ExclusionCategory::parse(&e.category)
                .map(|c| c.label(!english).to_string())
                .unwrap_or(e.category),
            reason: e.reason,
            recorded_by: e.recorded_by,
        })
        .collect();
    let late = q::unreviewed_late_results(db)
        .await?
        .into_iter()
        .map(
            |(project_id, project, month, results, last)| LateResultsView {
                project_id,
                project,
                month,
                results,
                last_received_at: kst(last),
            },
        )
        .collect();
    Ok(SlaAdminPage {
        may_change: role.may_change_sla(),
        lead_hours,
        windows,
        exclusions,
        late,
        categories: ExclusionCategory::ALL
            .iter()
            .map(|c| (c.code().to_string(), c.label(!english).to_string()))
            .collect(),
    })
}
