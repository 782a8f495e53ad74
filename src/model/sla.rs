//! What SLA statement pages receive from the server (issue 17). Times are KST text made on
//! the server; figures are the statement's own, as issued.
use serde::{Deserialize, Serialize};

/// A statement in a project's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementSummary {
    pub project_id: i64,
    pub month: String,
    pub revision: i64,
    pub issued_at: String,
    pub availability_percent: String,
    pub outage_minutes: i64,
    pub credit_krw: i64,
    pub eligible: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutageView {
    /// KST, for people ("2026-11-10 12:00 KST").
    pub start: String,
    pub end: String,
    /// RFC 3339 with the KST offset, for machines.
    pub start_at: String,
    pub end_at: String,
    pub minutes: i64,
    pub excluded_minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExcludedView {
    pub start: String,
    pub end: String,
    pub start_at: String,
    pub end_at: String,
    pub minutes: i64,
    /// `maintenance` | `exclusion`
    pub kind: String,
    /// An R3.8 category code for exclusions; None for maintenance.
    pub category: Option<String>,
    pub category_label: String,
    pub reason: String,
    /// False for maintenance published less than the lead time ahead.
    pub counted: bool,
}

/// A stretch of one KST day on the month timeline: minutes from 00:00 of that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineMark {
    /// Day of the month, from 1.
    pub day: u32,
    pub from_minute: u32,
    pub to_minute: u32,
    pub kind: TimelineKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimelineKind {
    Down,
    Excluded,
    NoData,
    /// Not on the paid plan: not part of the service minutes.
    NotInService,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementView {
    pub project_id: i64,
    pub project_name: String,
    pub domain_prefix: String,
    pub month: String,
    pub days_in_month: u32,
    pub revision: i64,
    pub revisions: Vec<i64>,
    pub revision_reason: Option<String>,
    pub issued_at: String,
    pub policy_version: i64,
    pub month_minutes: i64,
    pub service_minutes: i64,
    pub outage_minutes: i64,
    pub excluded_minutes: i64,
    pub no_data_minutes: i64,
    pub availability_percent: String,
    pub target_percent: String,
    /// "[99.5, 99.9)", None when the target was met.
    pub tier: Option<String>,
    pub credit_rate_percent: String,
    /// `this_month` | `trailing_3_months`
    pub fee_basis: String,
    pub fee_basis_months: Vec<(String, i64)>,
    pub fee_basis_krw: i64,
    pub credit_before_rounding: String,
    pub computed_credit_krw: i64,
    pub credit_krw: i64,
    pub eligible: bool,
    pub ineligible_reason: Option<String>,
    pub outages: Vec<OutageView>,
    pub exclusions: Vec<ExcludedView>,
    pub no_data: Vec<(String, String, i64)>,
    pub timeline: Vec<TimelineMark>,
    /// On a revision (2, ...): the previous revision's figures beside this one's.
    pub revised_from: Option<RevisionComparison>,
}

/// What a revision changed: the revision before it, and each figure as it was there and is
/// here. Made on the server from both stored statements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionComparison {
    pub previous_revision: i64,
    /// KST text.
    pub previous_issued_at: String,
    pub figures: Vec<FigureChange>,
}

/// A figure a revision may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RevisedFigure {
    OutageMinutes,
    ExcludedMinutes,
    NoDataMinutes,
    AvailabilityPercent,
    CreditRatePercent,
    FeeBasisKrw,
    CreditKrw,
}

/// One figure in the previous revision and in this one, as shown with its unit
/// ("100", "99.768 %", "12,340 KRW").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FigureChange {
    pub figure: RevisedFigure,
    pub before: String,
    pub after: String,
    pub changed: bool,
    /// This one minus the previous, signed, with its unit ("+400", "-0.231 %p",
    /// "+1,230 KRW"); None when unchanged.
    pub difference: Option<String>,
}

/// What a staff SLA form did. `Invalid` names each field with its problem code; the page
/// shows the message beside the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SlaChangeOutcome {
    Done {
        id: i64,
    },
    Invalid {
        fields: Vec<crate::model::error::FieldError>,
    },
    NotAllowed,
    /// A revision asked for a statement that does not exist.
    NoStatement,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowView {
    pub id: i64,
    pub start: String,
    pub end: String,
    pub published_at: String,
    /// Published the lead time ahead: it excuses downtime.
    pub announced_in_time: bool,
    /// Domain prefixes, empty for all projects.
    pub projects: Vec<String>,
    pub notice: String,
    pub published_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExclusionAdminView {
    pub id: i64,
    pub project: String,
    pub start: String,
    pub end: String,
    pub category_label: String,
    pub reason: String,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateResultsView {
    pub project_id: i64,
    pub project: String,
    pub month: String,
    pub results: i64,
    pub last_received_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaAdminPage {
    pub may_change: bool,
    pub lead_hours: u32,
    pub windows: Vec<WindowView>,
    pub exclusions: Vec<ExclusionAdminView>,
    pub late: Vec<LateResultsView>,
    /// (code, label) of R3.8's categories, for the form.
    pub categories: Vec<(String, String)>,
}

/// The public compensation scheme (R8.1), made from the credit policy in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompensationView {
    pub version: i64,
    pub effective_from: String,
    pub target_percent: String,
    /// `this_month` | `trailing_3_months`
    pub basis: String,
    /// ("[99.5, 99.9)", rate percent), highest band first.
    pub tiers: Vec<(String, String)>,
    /// A version taking effect later, if one is set.
    pub next_effective_from: Option<String>,
    /// That version's target, basis and bands (empty without one), so customers see what
    /// changes before it applies.
    pub next_target_percent: Option<String>,
    pub next_basis: Option<String>,
    pub next_tiers: Vec<(String, String)>,
    pub settle_hours: u32,
    pub lead_hours: u32,
}

/// Where a credit policy version stands on the KST calendar today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PolicyStatus {
    /// Replaced by a later version; statements of its months keep it.
    Past,
    InForce,
    /// Takes effect from a month that has not begun; an admin may still withdraw it.
    Scheduled,
}

/// One credit policy version as the staff list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditPolicyVersionView {
    pub version: i64,
    pub effective_from: String,
    /// `this_month` | `trailing_3_months`
    pub basis: String,
    /// ("[99.5, 99.9)", rate percent), highest band first.
    pub tiers: Vec<(String, String)>,
    /// Who added it (login ID); None for the version the portal was installed with.
    pub created_by: Option<String>,
    /// KST text.
    pub created_at: String,
    pub status: PolicyStatus,
}

/// `/admin/sla/policy`: every version, newest month first, and whether this staff member may
/// add or withdraw one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditPolicyAdminPage {
    pub may_edit: bool,
    pub versions: Vec<CreditPolicyVersionView>,
    /// Band rows the form offers.
    pub max_bands: usize,
    /// The first month a new version may take effect from (next KST month), for the form.
    pub first_open_month: String,
}

/// What the admin typed, handed back with a refusal so the form is not emptied (a no-JS
/// round trip loses the posted values otherwise). Nothing in it is secret.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditPolicyForm {
    pub effective_from: String,
    pub basis: String,
    /// (threshold, rate) per row as typed, top to bottom.
    pub rows: Vec<(String, String)>,
}

/// What adding or withdrawing a credit policy version did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CreditPolicyOutcome {
    Added {
        version: i64,
        effective_from: String,
    },
    Withdrawn {
        version: i64,
        effective_from: String,
    },
    /// Each field with its `PolicyError` code; nothing was stored.
    Invalid {
        fields: Vec<crate::model::error::FieldError>,
        form: CreditPolicyForm,
    },
    NotAllowed,
    /// No such version, or its month has begun: it is history and stays.
    NotWithdrawable,
}
