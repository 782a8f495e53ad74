//! Project use cases for customers and staff. Rules come from `domain`; this module orders
//! them with storage, and is the only place that turns rows into what pages and the API show.
use super::accounts::ServiceError;
use super::db::audit::{self, AuditEntry};
pub use super::db::projects::ProjectRow;
use super::db::projects::{
    self as q, CapacityCols, InsertError, NewProject, NewTarget, PlanChange, Window,
};
use super::price_catalogue::Catalogue;
use super::startup::AppState;
use crate::domain::kst::{format_kst, from_millis, to_millis};
use crate::domain::lifecycle::{self, LifecycleFacts, LifecycleState};
use crate::domain::plan::{self, Capacity, Plan, TargetKind, TargetSpec};
use crate::domain::prefix::DomainPrefix;
use crate::domain::project::ProjectName;
use crate::domain::stored::{ProjectId, UserId};
use crate::model::StaffRole;
use crate::model::projects::*;
use chrono::{DateTime, NaiveDate, Utc};

fn plan_of(row: &ProjectRow) -> Plan {
    row.plan
}

pub fn facts(row: &ProjectRow) -> LifecycleFacts {
    LifecycleFacts {
        plan: row.plan,
        created_at: row.created_at.0,
        trial_extension_days: row.trial_extension_days,
        missed_payment_date: row.missed_payment_date.0,
    }
}

pub fn capacity_of(row: &ProjectRow) -> Capacity {
    Capacity {
        ingest_gb_per_day: row.ingest_gb_per_day,
        storage_gb: row.storage_gb,
        extended_retention: row.extended_retention.0,
        remote_support: row.remote_support.0,
    }
}

fn cols(c: &Capacity) -> CapacityCols {
    CapacityCols {
        ingest_gb_per_day: i64::from(c.ingest_gb_per_day),
        storage_gb: i64::from(c.storage_gb),
        extended_retention: i64::from(c.extended_retention),
        remote_support: i64::from(c.remote_support),
    }
}

pub fn summary(state: &AppState, row: &ProjectRow, now: DateTime<Utc>) -> ProjectSummary {
    let f = facts(row);
    let plan = f.plan;
    let limit = state.settings.free_target_limit;
    let count = u32::try_from(row.target_count).unwrap_or(0);
    let trial_end =
        (plan == Plan::Free).then(|| plan::trial_ends_at(f.created_at, row.trial_extension_days));
    ProjectSummary {
        id: row.id,
        name: row.name.clone(),
        prefix: row.prefix.clone(),
        address: format!("{}.{}", row.prefix, state.settings.service_domain),
        plan,
        state: lifecycle::state_at(&f, now),
        days_left: trial_end.map(|e| plan::days_left(e, now)),
        trial_ends_at: trial_end.map(format_kst),
        target_count: count,
        targets_left: plan::targets_left(plan, count, limit),
        target_limit: (plan == Plan::Free).then_some(limit),
        created_at: format_kst(f.created_at),
        owner_login_id: row.owner_login_id.clone(),
        month_to_date: None,
    }
}

/// Rows per page on the customer's pages (projects, targets, capacity and plan history).
pub const PAGE_SIZE: i64 = 20;

/// The `?page=` (1-based) of a page's list as a window of `PAGE_SIZE` rows.
pub fn page_window(page: Option<i64>) -> Window {
    let page = page.unwrap_or(1).clamp(1, 100_000);
    Window {
        after: None,
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
    }
}

/// Which page of each of the project page's lists to show.
#[derive(Debug, Clone, Copy)]
pub struct DetailPages {
    pub targets: Window,
    pub capacity: Window,
    pub plans: Window,
}

impl Default for DetailPages {
    fn default() -> Self {
        Self {
            targets: page_window(None),
            capacity: page_window(None),
            plans: page_window(None),
        }
    }
}

pub async fn targets(
    state: &AppState,
    row: &ProjectRow,
    w: Window,
) -> Result<Vec<TargetView>, ServiceError> {
    Ok(q::targets(&state.db, row.id, w)
        .await?
        .into_iter()
        .map(|t| TargetView {
            id: t.id,
            kind: t.kind,
            name: t.name,
            detail: t.detail,
        })
        .collect())
}

pub async fn capacity_history(
    state: &AppState,
    row: &ProjectRow,
    w: Window,
) -> Result<Vec<CapacityChangeView>, ServiceError> {
    Ok(q::capacity_history(&state.db, row.id, w)
        .await?
        .into_iter()
        .map(|c| CapacityChangeView {
            id: c.id,
            requested_at: from_millis(c.requested_at)
                .map(format_kst)
                .unwrap_or_default(),
            applied_at: c.applied_at.and_then(from_millis).map(format_kst),
            from: Capacity {
                ingest_gb_per_day: c.from_ingest_gb_per_day,
                storage_gb: c.from_storage_gb,
                extended_retention: c.from_extended_retention.0,
                remote_support: c.from_remote_support.0,
            },
            to: Capacity {
                ingest_gb_per_day: c.to_ingest_gb_per_day,
                storage_gb: c.to_storage_gb,
                extended_retention: c.to_extended_retention.0,
                remote_support: c.to_remote_support.0,
            },
        })
        .collect())
}

/// The project page: its summary and one page of each list.
pub async fn detail(
    state: &AppState,
    row: &ProjectRow,
    now: DateTime<Utc>,
) -> Result<ProjectDetail, ServiceError> {
    detail_pages(state, row, now, DetailPages::default()).await
}

pub async fn detail_pages(
    state: &AppState,
    row: &ProjectRow,
    now: DateTime<Utc>,
    pages: DetailPages,
) -> Result<ProjectDetail, ServiceError> {
    let targets = targets(state, row, pages.targets).await?;
    let capacity_history = capacity_history(state, row, pages.capacity).await?;
    let mut plan_history = Vec::new();
    for p in q::plan_history(&state.db, row.id, pages.plans).await? {
        // The entry written at creation has no previous plan; any other value must be known.
        let from_plan = match p.from_plan.as_str() {
            "" => None,
            _ => Some(Plan::try_from(p.from_plan).map_err(|e| sqlx::Error::Decode(e.into()))?),
        };
        plan_history.push(PlanChangeView {
            at: from_millis(p.at).map(format_kst).unwrap_or_default(),
            from_plan,
            to_plan: p.to_plan,
            extension_days: p.trial_extension_days,
            reason: p.reason,
            actor: p.actor_login_id,
            by_staff: p.actor_user_id != row.owner_id,
        });
    }
    let next_step = lifecycle::next_step(&facts(row), now).map(|(state, at)| NextStep {
        state,
        at: format_kst(at),
    });
    let (targets_total, capacity_total, plans_total) = q::list_sizes(&state.db, row.id).await?;
    let page_of = |w: Window, total: i64| ListPage {
        page: w.offset / PAGE_SIZE + 1,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
    };
    Ok(ProjectDetail {
        summary: summary(state, row, now),
        targets,
        capacity: capacity_of(row),
        capacity_history,
        plan_history,
        next_step,
        pages: DetailListPages {
            targets: page_of(pages.targets, targets_total),
            capacity: page_of(pages.capacity, capacity_total),
            plans: page_of(pages.plans, plans_total),
        },
    })
}

/// The detail as its owner sees it: staff names and internal reasons are left out.
pub fn for_customer(mut d: ProjectDetail) -> ProjectDetail {
    for p in d.plan_history.iter_mut().filter(|p| p.by_staff) {
        p.actor.clear();
        p.reason.clear();
    }
    d
}

/// The customer's projects in `w`, newest first.
pub async fn list(
    state: &AppState,
    owner_id: UserId,
    w: Window,
    now: DateTime<Utc>,
) -> Result<Vec<ProjectSummary>, ServiceError> {
    let mut conn = state.db.reader().await?;
    Ok(q::list_for_owner(&mut conn, owner_id, w)
        .await?
        .iter()
        .map(|r| summary(state, r, now))
        .collect())
}

/// One page of the customer's projects for the dashboard.
pub async fn list_page(
    state: &AppState,
    owner_id: UserId,
    page: Option<i64>,
    now: DateTime<Utc>,
) -> Result<ProjectListPage, ServiceError> {
    let (catalogue, mut conn) = super::month_to_date::catalogue_then_connection(state, now).await?;
    list_page_on(state, &mut conn, &catalogue, owner_id, page, now).await
}

/// [`list_page`] on a connection the caller holds, priced with the catalogue of the month
/// containing `now` (both from `month_to_date::catalogue_then_connection`).
pub async fn list_page_on(
    state: &AppState,
    conn: &mut super::db::ReadConnection,
    catalogue: &Catalogue,
    owner_id: UserId,
    page: Option<i64>,
    now: DateTime<Utc>,
) -> Result<ProjectListPage, ServiceError> {
    let w = page_window(page);
    let rows = q::list_for_owner(conn, owner_id, w).await?;
    let shown = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    // A page that is not full is the last one, so it tells the total without counting (most
    // customers have one page); past the end, or on a full page, the rows do not.
    let total = if shown < w.limit && (shown > 0 || w.offset == 0) {
        w.offset + shown
    } else {
        q::count_for_owner(conn, owner_id).await?
    };
    let mut month = super::month_to_date::for_projects(state, conn, catalogue, &rows, now).await?;
    let projects = rows
        .iter()
        .map(|r| ProjectSummary {
            month_to_date: month.remove(&r.id.0),
            ..summary(state, r, now)
        })
        .collect();
    Ok(ProjectListPage {
        projects,
        page: ListPage {
            page: w.offset / PAGE_SIZE + 1,
            pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        },
    })
}

pub async fn owned(
    state: &AppState,
    owner_id: UserId,
    id: ProjectId,
) -> Result<Option<ProjectRow>, ServiceError> {
    Ok(q::find_for_owner(&state.db, owner_id, id).await?)
}

pub async fn check_prefix(state: &AppState, raw: &str) -> Result<PrefixCheck, ServiceError> {
    let normalised = raw.trim().to_ascii_lowercase();
    let address = format!("{normalised}.{}", state.settings.service_domain);
    let problem = match DomainPrefix::parse(raw) {
        Err(e) => Some(PrefixProblem::Invalid(e)),
        Ok(p) if q::prefix_taken(&state.db, p.as_str()).await? => Some(PrefixProblem::Taken),
        Ok(_) => None,
    };
    Ok(PrefixCheck {
        normalised,
        address,
        problem,
    })
}

pub async fn create(
    state: &AppState,
    owner_id: UserId,
    values: CreateProjectValues,
    now: DateTime<Utc>,
) -> Result<CreateProjectOutcome, ServiceError> {
    let mut out = CreateProjectOutcome {
        values: values.clone(),
        ..Default::default()
    };
    let name = ProjectName::parse(&values.name)
        .map_err(|e| out.name = Some(e))
        .ok();
    let prefix = DomainPrefix::parse(&values.prefix)
        .map_err(|e| out.prefix = Some(PrefixProblem::Invalid(e)))
        .ok();
    let plan = Plan::from_code(values.plan.trim());
    out.plan_missing = plan.is_none();
    if let Some(p) = &prefix
        && q::prefix_taken(&state.db, p.as_str()).await?
    {
        out.prefix = Some(PrefixProblem::Taken);
    }
    let (Some(name), Some(prefix), Some(plan), None) = (name, prefix, plan, out.prefix) else {
        return Ok(out);
    };
    // Only valid requests count against the rate: a customer fixing a typo is not slowed down.
    if let Err(wait) = state.project_limiter.check(&owner_id) {
        out.retry_after_secs = Some(wait.as_secs().max(1));
        return Ok(out);
    }
    let capacity = match plan {
        Plan::Free => Capacity::FREE_DEFAULT,
        Plan::Paid => Capacity::PAID_DEFAULT,
    };
    let inserted = q::insert(
        &state.db,
        &NewProject {
            owner_id,
            name: name.as_str(),
            prefix: prefix.as_str(),
            plan: plan.code(),
            ingest_gb_per_day: i64::from(capacity.ingest_gb_per_day),
            storage_gb: i64::from(capacity.storage_gb),
            next_step_at: new_project_next_step(plan, now),
            max_projects: Some(i64::from(state.settings.max_projects_per_customer)),
        },
        to_millis(now),
    )
    .await;
    match inserted {
        Ok(id) => {
            tracing::info!(project_id = id.0, owner_id = owner_id.0, "project created");
            out.project_id = Some(id);
        }
        Err(InsertError::PrefixTaken) => out.prefix = Some(PrefixProblem::Taken),
        Err(InsertError::LimitReached) => {
            out.project_limit = Some(state.settings.max_projects_per_customer);
        }
        Err(InsertError::Db(e)) => return Err(e.into()),
    }
    Ok(out)
}

/// When the lifecycle job first looks at a project created now (a free trial's first notice).
pub fn new_project_next_step(plan: Plan, now: DateTime<Utc>) -> Option<i64> {
    let f = LifecycleFacts {
        plan,
        created_at: now,
        trial_extension_days: 0,
        missed_payment_date: None,
    };
    lifecycle::next_check_after_change(&f, LifecycleState::Active, now).map(to_millis)
}

/// What a change of lifecycle facts means for the job: when to look next, and which notices
/// are still true.
fn after_change(
    f: &LifecycleFacts,
    state: LifecycleState,
    now: DateTime<Utc>,
) -> (Option<i64>, Vec<(&'static str, i64)>) {
    (
        lifecycle::next_check_after_change(f, state, now).map(to_millis),
        lifecycle::notice_steps(f)
            .into_iter()
            .map(|(s, at)| (s.code(), to_millis(at)))
            .collect(),
    )
}

/// Billing records the oldest unpaid due date that has passed (or clears it on payment): the
/// paid clock starts or stops (R7), and notices it made untrue are withdrawn.
pub async fn set_missed_payment(
    state: &AppState,
    row: &ProjectRow,
    date: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let mut f = facts(row);
    f.missed_payment_date = date;
    let stored = row.state;
    let (next, true_notices) = after_change(&f, stored, now);
    let date = date.map(|d| d.format("%Y-%m-%d").to_string());
    q::set_missed_payment(
        &state.db,
        row.id,
        date.as_deref(),
        next,
        &true_notices,
        to_millis(now),
    )
    .await?;
    Ok(())
}

fn is_active(row: &ProjectRow, now: DateTime<Utc>) -> bool {
    lifecycle::state_at(&facts(row), now) == LifecycleState::Active
}

pub async fn add_target(
    state: &AppState,
    row: &ProjectRow,
    kind: &str,
    name: &str,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<TargetOutcome, ServiceError> {
    if !is_active(row, now) {
        return Ok(TargetOutcome::ProjectInactive);
    }
    let Some(kind) = TargetKind::from_code(kind) else {
        return Ok(TargetOutcome::Invalid {
            errors: vec![crate::domain::plan::TargetError::KindUnknown],
        });
    };
    let spec = match TargetSpec::parse(kind, name, detail) {
        Ok(s) => s,
        Err(errors) => return Ok(TargetOutcome::Invalid { errors }),
    };
    let plan = plan_of(row);
    let limit = state.settings.free_target_limit;
    let count = u32::try_from(row.target_count).unwrap_or(0);
    if let Err(plan::TargetLimitError::FreePlanLimitReached { limit }) =
        plan::check_can_add_target(plan, count, limit)
    {
        return Ok(TargetOutcome::LimitReached { limit });
    }
    let db_limit = (plan == Plan::Free).then_some(i64::from(limit));
    let added = q::add_target(
        &state.db,
        row.id,
        &NewTarget {
            kind: spec.kind.code(),
            name: &spec.name,
            detail: &spec.detail,
        },
        db_limit,
        to_millis(now),
    )
    .await?;
    Ok(match added {
        Some(_) => TargetOutcome::Done,
        None => TargetOutcome::LimitReached { limit },
    })
}

pub async fn rename_target(
    state: &AppState,
    row: &ProjectRow,
    target_id: i64,
    name: &str,
    now: DateTime<Utc>,
) -> Result<TargetOutcome, ServiceError> {
    if !is_active(row, now) {
        return Ok(TargetOutcome::ProjectInactive);
    }
    let name = match plan::parse_target_name(name) {
        Ok(n) => n,
        Err(e) => return Ok(TargetOutcome::Invalid { errors: vec![e] }),
    };
    let renamed = q::rename_target(&state.db, row.id, target_id, &name, to_millis(now)).await?;
    Ok(done_or_missing(renamed))
}

pub async fn remove_target(
    state: &AppState,
    row: &ProjectRow,
    target_id: i64,
    now: DateTime<Utc>,
) -> Result<TargetOutcome, ServiceError> {
    if !is_active(row, now) {
        return Ok(TargetOutcome::ProjectInactive);
    }
    let removed = q::remove_target(&state.db, row.id, target_id).await?;
    Ok(done_or_missing(removed))
}

fn done_or_missing(changed: bool) -> TargetOutcome {
    if changed {
        TargetOutcome::Done
    } else {
        TargetOutcome::TargetMissing
    }
}

/// A free project becomes paid: the free clock stops (R7) and paid capacity applies.
pub async fn upgrade(
    state: &AppState,
    actor_id: UserId,
    row: &ProjectRow,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    if plan_of(row) != Plan::Free {
        return Ok(false);
    }
    let mut f = facts(row);
    f.plan = Plan::Paid;
    let cap = capacity_of(row);
    let paid = Capacity::PAID_DEFAULT;
    let new_state = lifecycle::state_at(&f, now);
    let (next_step_at, true_notices) = after_change(&f, new_state, now);
    let mut tx = state.db.pool.begin().await?;
    let changed = q::change_plan(
        &mut tx,
        &PlanChange {
            project_id: row.id,
            from_plan: "free",
            to_plan: "paid",
            extension_days: 0,
            actor_user_id: actor_id,
            reason: "upgrade",
            capacity: cols(&Capacity {
                ingest_gb_per_day: cap.ingest_gb_per_day.max(paid.ingest_gb_per_day),
                storage_gb: cap.storage_gb.max(paid.storage_gb),
                ..cap
            }),
            new_state: new_state.code(),
            from_capacity: cols(&cap),
            next_step_at,
            true_notices,
        },
        to_millis(now),
    )
    .await?;
    tx.commit().await?;
    Ok(changed)
}

pub async fn change_capacity(
    state: &AppState,
    actor_id: UserId,
    row: &ProjectRow,
    requested: Capacity,
    now: DateTime<Utc>,
) -> Result<CapacityOutcome, ServiceError> {
    let current = capacity_of(row);
    if let Err(errors) = plan::check_capacity_change(plan_of(row), &current, &requested) {
        return Ok(CapacityOutcome::Invalid { errors });
    }
    if !is_active(row, now) {
        return Ok(CapacityOutcome::Invalid {
            errors: vec![plan::CapacityError::ProjectInactive],
        });
    }
    let applied = q::apply_capacity_change(
        &state.db,
        row.id,
        actor_id,
        cols(&current),
        cols(&requested),
        to_millis(now),
    )
    .await?;
    Ok(if applied {
        CapacityOutcome::Applied
    } else {
        CapacityOutcome::Conflict
    })
}

pub struct StaffPlanRequest {
    pub to_plan: String,
    pub extension_days: String,
    pub reason: String,
}

/// Operations and admin staff change a plan or extend a free trial, with a reason; the
/// change and its audit entry are written together.
pub async fn staff_change_plan(
    state: &AppState,
    staff_id: UserId,
    role: StaffRole,
    row: &ProjectRow,
    req: &StaffPlanRequest,
    now: DateTime<Utc>,
) -> Result<StaffPlanOutcome, ServiceError> {
    use StaffPlanProblem::{DaysInvalid, ReasonMissing};
    if !role.may_change_plans() {
        return Ok(StaffPlanOutcome::NotAllowed);
    }
    let reason = req.reason.trim();
    let mut problems = Vec::new();
    if reason.is_empty() || reason.chars().count() > 500 {
        problems.push(ReasonMissing);
    }
    let days = req.extension_days.trim();
    let extension: Option<i64> = if days.is_empty() {
        Some(0)
    } else {
        days.parse().ok()
    };
    let to_plan = Plan::from_code(req.to_plan.trim());
    let (Some(extension), Some(to_plan)) = (extension.filter(|d| (0..=90).contains(d)), to_plan)
    else {
        problems.push(DaysInvalid);
        return Ok(StaffPlanOutcome::Invalid { problems });
    };
    if !problems.is_empty() {
        return Ok(StaffPlanOutcome::Invalid { problems });
    }
    let from = plan_of(row);
    if from == to_plan && extension == 0 {
        return Ok(StaffPlanOutcome::NothingToDo);
    }
    // Extending only means something on the free plan.
    if to_plan == Plan::Paid && extension > 0 {
        return Ok(StaffPlanOutcome::Invalid {
            problems: vec![DaysInvalid],
        });
    }
    let mut f = facts(row);
    f.plan = to_plan;
    f.trial_extension_days += extension;
    let capacity = if to_plan == from {
        capacity_of(row)
    } else {
        match to_plan {
            Plan::Paid => Capacity::PAID_DEFAULT,
            Plan::Free => Capacity::FREE_DEFAULT,
        }
    };
    let new_state = lifecycle::state_at(&f, now);
    // Moving an old paid project to free would end its long-past trial on the spot and delete
    // it without the notices R7 promises; staff must add enough trial days to keep it running.
    if to_plan == Plan::Free && from == Plan::Paid && new_state != LifecycleState::Active {
        return Ok(StaffPlanOutcome::WouldStop);
    }
    let (next_step_at, true_notices) = after_change(&f, new_state, now);
    let mut tx = state.db.pool.begin().await?;
    let changed = q::change_plan(
        &mut tx,
        &PlanChange {
            project_id: row.id,
            from_plan: from.code(),
            to_plan: to_plan.code(),
            extension_days: extension,
            actor_user_id: staff_id,
            reason,
            capacity: cols(&capacity),
            new_state: new_state.code(),
            from_capacity: cols(&capacity_of(row)),
            next_step_at,
            true_notices,
        },
        to_millis(now),
    )
    .await?;
    if !changed {
        return Ok(StaffPlanOutcome::NothingToDo);
    }
    audit::record(
        &mut *tx,
        &AuditEntry {
            at_ms: to_millis(now),
            actor_user_id: staff_id.0,
            actor_role: role.code(),
            action: if extension > 0 {
                "project.trial_extended"
            } else {
                "project.plan_changed"
            },
            target_kind: "project",
            target_id: row.id.0,
            customer_user_id: Some(row.owner_id.0),
            reason,
            detail: serde_json::json!({
                "prefix": row.prefix,
                "from_plan": from.code(),
                "to_plan": to_plan.code(),
                "extension_days": extension,
                "state_after": new_state.code(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(StaffPlanOutcome::Applied)
}

/// Staff search over all projects (name, prefix, owner ID), one page (from 1) at a time.
pub async fn staff_search(
    state: &AppState,
    query: &str,
    page: i64,
    per_page: i64,
    now: DateTime<Utc>,
) -> Result<AdminProjectPage, ServiceError> {
    let page = page.clamp(1, 100_000);
    let query: String = query.trim().chars().take(100).collect();
    let (rows, total) = q::search(&state.db, &query, per_page, (page - 1) * per_page).await?;
    Ok(AdminProjectPage {
        projects: rows.iter().map(|r| summary(state, r, now)).collect(),
        total,
        page,
        per_page,
    })
}

/// Any customer's project, for staff.
pub async fn staff_find(
    state: &AppState,
    id: ProjectId,
) -> Result<Option<ProjectRow>, ServiceError> {
    Ok(q::find(&state.db, id).await?)
}
