//! What the support pages receive: tickets, their conversation and clocks, the staff queue
//! and the holiday calendar. Times arrive formatted in KST; Markdown arrives as safe HTML.
use crate::domain::support::clocks::ClockKind;
use crate::domain::support::ticket::{
    MessagePurpose, ResolutionCategory, ResolutionCause, Severity, TicketKind, TicketStatus,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketSummary {
    pub id: i64,
    pub kind: TicketKind,
    pub severity: Option<Severity>,
    pub subject: String,
    pub status: TicketStatus,
    pub project_name: Option<String>,
    pub created_at: String,
    pub last_reply_at: String,
    pub last_reply_by_staff: bool,
    /// The next promised time of a running incident clock (KST), and which promise it is.
    pub next_promise: Option<(ClockKind, String)>,
    pub breached: bool,
    /// Staff views only (empty for customers).
    pub customer: String,
    pub assignee: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClockView {
    Running { due: String },
    Paused { remaining_minutes: i64 },
    Breached { due: String },
    Met { at: String },
    MetLate { at: String },
    NoBusinessDays,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: i64,
    pub file_name: String,
    pub size_bytes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: i64,
    pub author: String,
    pub from_staff: bool,
    pub purpose: MessagePurpose,
    /// Sanitised HTML rendered from the author's Markdown on the server.
    pub html: String,
    pub at: String,
    pub attachments: Vec<AttachmentView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketDetail {
    pub summary: TicketSummary,
    pub clocks: Vec<(ClockKind, ClockView)>,
    pub messages: Vec<MessageView>,
    pub may_reply: bool,
    pub may_close: bool,
    pub may_reopen: bool,
    pub may_rate: bool,
    pub rating: Option<i64>,
    pub resolution: Option<(ResolutionCategory, ResolutionCause)>,
    pub reopen_days: i64,
}

/// The customer's ticket list with the unread support notifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerTickets {
    pub tickets: Vec<TicketSummary>,
    pub notifications: Vec<NotificationView>,
    pub page: i64,
    pub has_next: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub ticket_id: i64,
    pub subject: String,
    pub kind: String,
    pub at: String,
}

/// What the new-ticket form needs: the customer's projects and the stated limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketFormInfo {
    pub projects: Vec<(i64, String)>,
    pub max_file_mb: i64,
    pub max_files: i64,
    pub extensions: Vec<String>,
}

/// A refused ticket or reply form: the problems by field (stable codes) and what was typed,
/// kept for the no-JavaScript round trip.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketFormResult {
    pub kind: String,
    pub project_id: String,
    pub severity: String,
    pub subject: String,
    pub body: String,
    pub problems: Vec<(String, String)>,
}

impl TicketFormResult {
    pub fn problem(&self, field: &str) -> Option<String> {
        self.problems
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, c)| c.clone())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffTicket {
    pub detail: TicketDetail,
    pub may_work: bool,
    pub agents: Vec<(i64, String)>,
    pub assignee_id: Option<i64>,
    pub faq_draft: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffQueue {
    pub tickets: Vec<TicketSummary>,
    pub agents: Vec<(i64, String)>,
    pub page: i64,
    pub has_next: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayView {
    pub day: String,
    pub name_ko: String,
    pub name_en: String,
}

/// How many incident reports of a month met one promise, of those already decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetShare {
    pub clock: ClockKind,
    pub met: i64,
    pub decided: i64,
}
