//! Rows -> what pages and the API show: clocks computed from the calendar, times in KST,
//! Markdown rendered safely, internal notes only where the caller asked for staff views.
use crate::domain::kst::{format_kst, from_millis};
use crate::domain::support::business_hours::HolidayCalendar;
use crate::domain::support::clocks::{self, ClockKind, ClockState, Pause};
use crate::domain::support::markdown;
use crate::domain::support::ticket::{
    MessagePurpose, ResolutionCategory, ResolutionCause, Severity, TicketKind, TicketStatus,
};
use crate::model::support::{AttachmentView, ClockView, MessageView, TicketSummary};
use crate::server::db::support::{AttachmentMeta, MessageRow, PauseRow, TicketRow};
use chrono::{DateTime, Utc};

/// A stored code that is not one of ours: the row is refused rather than guessed at.
#[derive(Debug, thiserror::Error)]
#[error("ticket {id}: unknown stored value {value:?}")]
pub struct BadRow {
    pub id: i64,
    pub value: String,
}

pub struct Decoded {
    pub kind: TicketKind,
    pub severity: Option<Severity>,
    pub status: TicketStatus,
}

pub fn decode(r: &TicketRow) -> Result<Decoded, BadRow> {
    let bad = |v: &str| BadRow {
        id: r.id,
        value: v.to_string(),
    };
    Ok(Decoded {
        kind: TicketKind::from_code(&r.kind).ok_or_else(|| bad(&r.kind))?,
        severity: match &r.severity {
            None => None,
            Some(s) => Some(Severity::from_code(s).ok_or_else(|| bad(s))?),
        },
        status: TicketStatus::from_code(&r.status).ok_or_else(|| bad(&r.status))?,
    })
}

pub fn pauses(rows: &[PauseRow]) -> Vec<Pause> {
    rows.iter()
        .filter_map(|p| {
            Some(Pause {
                from: from_millis(p.from_at)?,
                until: p.until_at.and_then(from_millis),
            })
        })
        .collect()
}

fn ms(v: Option<i64>) -> Option<DateTime<Utc>> {
    v.and_then(from_millis)
}

/// The four clocks of an incident report (none for other kinds).
pub fn clocks_of(
    cal: &HolidayCalendar,
    r: &TicketRow,
    kind: TicketKind,
    pauses: &[Pause],
    now: DateTime<Utc>,
) -> Vec<(ClockKind, ClockState)> {
    let Some(filed) = from_millis(r.created_at) else {
        return Vec::new();
    };
    if !kind.has_clocks() {
        return Vec::new();
    }
    clocks::incident_clocks(
        cal,
        filed,
        pauses,
        |k| match k {
            ClockKind::StartOfWork => ms(r.first_staff_reply_at),
            ClockKind::FirstProgress => ms(r.first_progress_at),
            ClockKind::Resolution => ms(r.resolved_at),
            ClockKind::WrittenReport => ms(r.report_at),
        },
        now,
    )
}

fn kst(v: i64) -> String {
    from_millis(v).map(format_kst).unwrap_or_default()
}

pub fn clock_view(s: ClockState) -> ClockView {
    match s {
        ClockState::Running { due } => ClockView::Running {
            due: format_kst(due),
        },
        ClockState::Paused { remaining } => ClockView::Paused {
            remaining_minutes: remaining.num_minutes(),
        },
        ClockState::Breached { due } => ClockView::Breached {
            due: format_kst(due),
        },
        ClockState::Met { at } => ClockView::Met { at: format_kst(at) },
        ClockState::MetLate { at } => ClockView::MetLate { at: format_kst(at) },
        ClockState::NoBusinessDays => ClockView::NoBusinessDays,
    }
}

pub fn summary(
    r: &TicketRow,
    d: &Decoded,
    clocks: &[(ClockKind, ClockState)],
    for_staff: bool,
) -> TicketSummary {
    let next = clocks::next_due(clocks);
    TicketSummary {
        id: r.id,
        kind: d.kind,
        severity: d.severity,
        subject: r.subject.clone(),
        status: d.status,
        project_name: r.project_name.clone(),
        created_at: kst(r.created_at),
        last_reply_at: kst(r.last_reply_at),
        last_reply_by_staff: r.last_reply_by == "staff",
        next_promise: next.map(|(k, due)| (k, format_kst(due))),
        breached: clocks
            .iter()
            .any(|(_, s)| matches!(s, ClockState::Breached { .. })),
        customer: if for_staff {
            format!("{} ({})", r.customer_name, r.customer_login_id)
        } else {
            String::new()
        },
        assignee: r.assignee_name.clone(),
    }
}

/// The conversation. Internal notes are dropped unless `for_staff`: the one place that
/// decides it, so pages, API and exports cannot disagree.
pub fn messages(
    rows: Vec<MessageRow>,
    attachments: &[AttachmentMeta],
    for_staff: bool,
) -> Vec<MessageView> {
    rows.into_iter()
        .filter_map(|m| {
            let purpose = MessagePurpose::from_code(&m.purpose)?;
            if !for_staff && !purpose.is_visible_to_customer() {
                return None;
            }
            Some(MessageView {
                id: m.id,
                author: m.author_name,
                from_staff: m.author_kind == "staff",
                purpose,
                html: markdown::render(&m.body),
                at: kst(m.created_at),
                attachments: attachments
                    .iter()
                    .filter(|a| a.message_id == m.id)
                    .map(|a| AttachmentView {
                        id: a.id,
                        file_name: a.file_name.clone(),
                        size_bytes: a.size_bytes,
                    })
                    .collect(),
            })
        })
        .collect()
}

pub fn resolution(r: &TicketRow) -> Option<(ResolutionCategory, ResolutionCause)> {
    Some((
        ResolutionCategory::from_code(r.resolution_category.as_deref()?)?,
        ResolutionCause::from_code(r.resolution_cause.as_deref()?)?,
    ))
}
