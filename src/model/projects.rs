//! What project pages and forms receive from the server.
use crate::domain::lifecycle::LifecycleState;
use crate::domain::plan::{Capacity, CapacityError, Plan, TargetError, TargetKind};
use crate::domain::prefix::PrefixError;
use crate::domain::project::ProjectNameError;
use crate::domain::stored::ProjectId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectSummary {
    pub id: ProjectId,
    pub name: String,
    pub prefix: String,
    pub address: String,
    pub plan: Plan,
    pub state: LifecycleState,
    /// Free plan only: whole days until the trial ends.
    pub days_left: Option<i64>,
    pub trial_ends_at: Option<String>,
    pub target_count: u32,
    /// None: no limit (paid).
    pub targets_left: Option<u32>,
    pub target_limit: Option<u32>,
    pub created_at: String,
    pub owner_login_id: String,
    /// The dashboard card's month so far; None where a page does not show it.
    pub month_to_date: Option<MonthToDate>,
}

/// A project's usage this KST month so far, and what it would be charged if the month closed now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthToDate {
    /// `YYYY-MM`
    pub month: String,
    pub metrics: Vec<MetricTotal>,
    pub estimate: Estimate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricTotal {
    pub code: String,
    pub name_ko: String,
    pub name_en: String,
    pub unit_ko: String,
    pub unit_en: String,
    /// Decimal, e.g. `12.5`.
    pub total: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Estimate {
    /// Not on the paid plan this month: nothing is billed.
    FreePlan,
    /// No price version covers the month (or an item has no price): no figure rather than a wrong one.
    NoPrices,
    /// Whole KRW, VAT included.
    Krw(i64),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetView {
    pub id: i64,
    pub kind: TargetKind,
    pub name: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapacityChangeView {
    pub id: i64,
    pub requested_at: String,
    pub applied_at: Option<String>,
    pub from: Capacity,
    pub to: Capacity,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanChangeView {
    pub at: String,
    pub from_plan: Option<Plan>,
    pub to_plan: Plan,
    pub extension_days: i64,
    pub reason: String,
    pub actor: String,
    /// Made by staff, not by the customer: customers see that support acted, not who or why
    /// (the reason is an internal note).
    pub by_staff: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextStep {
    pub state: LifecycleState,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectDetail {
    pub summary: ProjectSummary,
    pub targets: Vec<TargetView>,
    pub capacity: Capacity,
    pub capacity_history: Vec<CapacityChangeView>,
    pub plan_history: Vec<PlanChangeView>,
    pub next_step: Option<NextStep>,
    pub pages: DetailListPages,
}

/// Where a paged list of a customer page is: page `page` of `pages` (1-based, `pages` >= 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListPage {
    pub page: i64,
    pub pages: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetailListPages {
    pub targets: ListPage,
    pub capacity: ListPage,
    pub plans: ListPage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectListPage {
    pub projects: Vec<ProjectSummary>,
    pub page: ListPage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PrefixProblem {
    Invalid(PrefixError),
    Taken,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateProjectValues {
    pub name: String,
    pub prefix: String,
    pub plan: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateProjectOutcome {
    pub project_id: Option<ProjectId>,
    pub values: CreateProjectValues,
    pub name: Option<ProjectNameError>,
    pub prefix: Option<PrefixProblem>,
    pub plan_missing: bool,
    /// The customer already has this many projects (not deleted), the most allowed.
    pub project_limit: Option<u32>,
    /// Too many projects created lately: seconds until the next one may be.
    pub retry_after_secs: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrefixCheck {
    /// The prefix as it would be stored (lowercased), and the full address.
    pub normalised: String,
    pub address: String,
    pub problem: Option<PrefixProblem>,
}

/// What became of adding, renaming or removing a monitoring target: exactly one of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum TargetOutcome {
    Done,
    /// The fields were refused; every problem at once.
    Invalid {
        errors: Vec<TargetError>,
    },
    /// The free plan's target limit (the configured number) is reached.
    LimitReached {
        limit: u32,
    },
    /// The project is not active (stopped or deleted): targets cannot change.
    ProjectInactive,
    /// No such target in this project (renaming or removing).
    TargetMissing,
}

impl TargetOutcome {
    pub fn is_done(&self) -> bool {
        matches!(self, Self::Done)
    }
}

/// What became of a capacity change request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CapacityOutcome {
    Applied,
    Invalid {
        errors: Vec<CapacityError>,
    },
    /// The capacity changed since it was read (another request won); read it again.
    Conflict,
}

/// What the dashboard shows: a page of the customer's projects and their notifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    pub projects: ProjectListPage,
    pub notifications: Vec<NotificationView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub unread: bool,
    pub notice: Notice,
}

/// What a notification says: a lifecycle step ahead or applied, or one of the alerts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Notice {
    Lifecycle {
        project_id: Option<i64>,
        project_name: Option<String>,
        step: LifecycleState,
        step_at: String,
        days_before: i64,
        applied: bool,
    },
    Alert(crate::model::alerts::CustomerAlert),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenView {
    pub id: i64,
    pub name: String,
    pub hint: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    /// KST, like the other times.
    pub expires_at: String,
    pub expired: bool,
}

/// What a request for a new API token came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum NewTokenOutcome {
    Created {
        /// Shown once, right after creation; never again.
        secret: String,
        /// KST.
        expires_at: String,
    },
    /// Nothing stored; every problem at once.
    Invalid {
        name_invalid: bool,
        expiry_invalid: bool,
        wrong_password: bool,
    },
    /// The customer already has this many live tokens, the most allowed.
    LimitReached { token_limit: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminProjectPage {
    pub projects: Vec<ProjectSummary>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// A field of the staff plan form that was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffPlanProblem {
    /// Empty, or longer than 500 characters.
    ReasonMissing,
    /// Not a whole number of days from 0 to 90, an unknown plan, or days on the paid plan.
    DaysInvalid,
}

/// What became of a staff plan change or trial extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum StaffPlanOutcome {
    Applied,
    /// This staff role may not change plans.
    NotAllowed,
    Invalid {
        problems: Vec<StaffPlanProblem>,
    },
    /// Same plan and no extension, or the project changed meanwhile.
    NothingToDo,
    /// The change would stop or delete the project at once (an old paid project moved to free
    /// without enough trial days).
    WouldStop,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub target: String,
    pub reason: String,
    pub detail: String,
}
