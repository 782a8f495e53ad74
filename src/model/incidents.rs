//! What the incident pages receive from the server (SPEC R6.1, R8.1): typed figures and
//! stable codes, never translated text.
use serde::{Deserialize, Serialize};

/// An incident as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminIncidentView {
    pub id: i64,
    pub all_projects: bool,
    /// Domain prefixes (empty when it touched all projects).
    pub projects: Vec<String>,
    /// `YYYY-MM-DD HH:MM KST`
    pub started_at: String,
    pub recovered_at: Option<String>,
    /// The recovery as a `datetime-local` value, to prefill its edit form.
    pub recovered_input: String,
    /// Whole minutes; while open, how long it has run so far.
    pub minutes: i64,
    pub open: bool,
    pub cause: String,
    pub notice_ko: String,
    pub notice_en: String,
    pub published_at: Option<String>,
    pub created_by: String,
}

/// The month's figures against the R6.1 targets (see `domain::incidents::report`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    /// `YYYY-MM` (KST)
    pub month: String,
    pub failures: i64,
    pub total_minutes: i64,
    /// MTTR in whole seconds (truncated), None without failures.
    pub mttr_seconds: Option<i64>,
    /// MTTSR: the longest recovery in minutes.
    pub longest_minutes: Option<i64>,
    /// MTTR + MTTSR in whole seconds (truncated), the 6-hour target's figure.
    pub combined_seconds: Option<i64>,
    pub open: i64,
    pub open_longest_minutes: Option<i64>,
    /// `met` | `missed` | `no_failures` | `undecided`
    pub mttr_verdict: String,
    pub longest_verdict: String,
    pub combined_verdict: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminIncidentsData {
    pub month: String,
    pub prev_month: String,
    /// None for the current month (nothing later to look at).
    pub next_month: Option<String>,
    /// The `?month=` given could not be read; the current month is shown instead.
    pub month_invalid: bool,
    pub report: ReportView,
    /// Incidents that started in the month and every open one, newest first.
    pub incidents: Vec<AdminIncidentView>,
    /// Operations and administrators record, edit and publish; other staff read.
    pub may_write: bool,
}

/// The record form's fields as typed, kept so a refused form comes back filled in (also
/// without JavaScript).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentForm {
    pub scope: String,
    pub projects: String,
    pub started_at: String,
    pub recovered_at: String,
    pub cause: String,
    pub notice_ko: String,
    pub notice_en: String,
    pub publish: bool,
}

/// One refused field: `field` is the form field's name, `code` a stable code, `prefix` the
/// project a project problem is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub code: String,
    pub prefix: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordIncidentOutcome {
    Recorded {
        id: i64,
        published: bool,
    },
    Invalid {
        problems: Vec<FieldProblem>,
        kept: IncidentForm,
    },
    NotAllowed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecoveryOutcome {
    Saved {
        id: i64,
    },
    /// `recovery_invalid` | `recovery_not_after_start` | `recovery_in_future`
    Invalid {
        id: i64,
        code: String,
    },
    /// Someone else changed the recovery meanwhile; the page shows the stored value now.
    Changed {
        id: i64,
    },
    NotFound,
    NotAllowed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PublishOutcome {
    Published { id: i64 },
    AlreadyPublished { id: i64 },
    NotFound,
    NotAllowed,
}

/// A published incident as visitors see it: no cause and no project names (which customers
/// were hit is nobody else's business), only how many projects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicIncidentView {
    pub id: i64,
    pub all_projects: bool,
    pub project_count: usize,
    pub started_at: String,
    pub recovered_at: Option<String>,
    /// Whole minutes, None while open.
    pub minutes: Option<i64>,
    pub notice_ko: String,
    pub notice_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicIncidentsPage {
    pub items: Vec<PublicIncidentView>,
    pub page: i64,
    pub has_next: bool,
}
