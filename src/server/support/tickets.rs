//! Ticket use cases: filing, replying, the customer's close / reopen / rating, and the staff's
//! replies, notes, status changes, assignment and classification. Each change is one
//! transaction that also moves the clocks' facts (first reply, progress, resolution, report,
//! waiting pauses), recomputes the next due time, notifies and, for staff, audits.
use super::views::{self, BadRow};
use super::{attachments, calendar, works_tickets};
use crate::domain::kst::{from_millis, to_millis};
use crate::domain::stored::UserId;
use crate::domain::support::attachment::{self, AcceptedFile, AttachmentProblem};
use crate::domain::support::business_hours::HolidayCalendar;
use crate::domain::support::clocks;
use crate::domain::support::ticket::{
    self, MessagePurpose, ResolutionCategory, ResolutionCause, Severity, TicketKind, TicketStatus,
};
use crate::model::StaffRole;
use crate::model::support::{
    CustomerTickets, NotificationView, StaffQueue, StaffTicket, TicketDetail, TicketFormResult,
};
use crate::server::db::Db;
use crate::server::db::audit::{self, AuditEntry};
use crate::server::db::support::{self as db, QueueFilter, TicketRow, Tx};
use crate::server::mail::templates::{self, PublicPurpose, TicketEvent, TicketMail};
use crate::server::mail::{self, Content, Mail, Recipient, Template};
use crate::server::startup::AppState;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

pub const PER_PAGE: i64 = 20;

#[derive(Debug, thiserror::Error)]
pub enum SupportError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    BadRow(#[from] BadRow),
}

/// One uploaded file as received.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateOutcome {
    Created(i64),
    Refused(TicketFormResult),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageOutcome {
    Sent,
    Refused(TicketFormResult),
    NotFound,
    /// The ticket is closed (customers) or the role only reads (staff).
    NotAllowed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionOutcome {
    Done,
    NotFound,
    NotAllowed,
    Invalid,
}

fn check_files(files: &[Upload], problems: &mut Vec<(String, String)>) -> Vec<AcceptedFile> {
    let files: Vec<&Upload> = files
        .iter()
        .filter(|f| !(f.name.is_empty() && f.bytes.is_empty()))
        .collect();
    if files.len() > attachment::MAX_FILES_PER_MESSAGE {
        problems.push((
            "attachments".into(),
            AttachmentProblem::TooManyFiles {
                max: attachment::MAX_FILES_PER_MESSAGE,
            }
            .code()
            .into(),
        ));
        return Vec::new();
    }
    let mut ok = Vec::new();
    for f in files {
        match attachment::check(&f.name, &f.bytes) {
            Ok(a) => ok.push(a),
            Err(p) => {
                problems.push(("attachments".into(), p.code().into()));
                return Vec::new();
            }
        }
    }
    ok
}

/// Queues a ticket mail in the event's own transaction, so a rolled-back event mails nobody.
/// The recipient's address and language are read when it is sent. `key` names the event and
/// the recipient, so one event is never queued twice for one person.
async fn enqueue_mail(
    tx: &mut Tx<'_>,
    to: i64,
    r: &TicketRow,
    event: TicketEvent,
    key: String,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let content = Content::Template(Template::Ticket(TicketMail {
        ticket_id: r.id,
        subject: r.subject.clone(),
        event,
    }));
    mail::enqueue(
        tx,
        &Mail {
            to: Recipient::User(UserId(to)),
            content,
            dedupe_key: Some(key),
        },
        now,
    )
    .await?;
    Ok(())
}

/// How staff mails name the customer: the name they gave and their log-in ID.
fn customer_label(r: &TicketRow) -> String {
    format!("{} ({})", r.customer_name, r.customer_login_id)
}

fn real_files(files: Vec<Upload>) -> Vec<Upload> {
    files
        .into_iter()
        .filter(|f| !(f.name.is_empty() && f.bytes.is_empty()))
        .collect()
}

/// The customer files a ticket. Nothing is stored unless every field and file is accepted.
pub async fn create(
    state: &AppState,
    customer_id: i64,
    input: TicketFormResult,
    files: Vec<Upload>,
    now: DateTime<Utc>,
) -> Result<CreateOutcome, SupportError> {
    let mut problems = Vec::new();
    let kind = TicketKind::from_code(input.kind.trim());
    if kind.is_none() {
        problems.push(("kind".into(), "required".into()));
    }
    let severity = Severity::from_code(input.severity.trim());
    if kind == Some(TicketKind::Incident) && severity.is_none() {
        problems.push(("severity".into(), "required".into()));
    }
    let project_id = match input.project_id.trim() {
        "" => None,
        p => match p.parse::<i64>() {
            Ok(id)
                if db::projects_of_customer(&state.db, customer_id)
                    .await?
                    .iter()
                    .any(|(pid, _)| *pid == id) =>
            {
                Some(id)
            }
            _ => {
                problems.push(("project_id".into(), "unknown_project".into()));
                None
            }
        },
    };
    let subject = ticket::parse_subject(&input.subject)
        .map_err(|e| problems.push(("subject".into(), e.code().into())))
        .ok();
    let body = ticket::parse_body(&input.body)
        .map_err(|e| problems.push(("body".into(), e.code().into())))
        .ok();
    let files = real_files(files);
    let accepted = check_files(&files, &mut problems);
    let (Some(kind), Some(subject), Some(body), true) = (kind, subject, body, problems.is_empty())
    else {
        return Ok(CreateOutcome::Refused(TicketFormResult {
            problems,
            ..input
        }));
    };
    let severity = if kind == TicketKind::Incident {
        severity
    } else {
        None
    };
    let now_ms = to_millis(now);
    let mut tx = state.db.pool.begin().await?;
    let id = db::insert_ticket(
        &mut tx,
        &db::NewTicket {
            customer_id,
            project_id,
            kind: kind.code(),
            severity: severity.map(Severity::code),
            subject: &subject,
            now_ms,
        },
    )
    .await?;
    let message_id =
        db::insert_message(&mut tx, id, customer_id, "customer", "reply", &body, now_ms).await?;
    for (file, upload) in accepted.iter().zip(files.iter()) {
        attachments::put(&mut tx, id, message_id, file, &upload.bytes, now_ms).await?;
    }
    let row = db::ticket_in_tx(&mut tx, id).await?;
    for agent in db::agents_in_tx(&mut tx).await? {
        db::notify(&mut tx, agent.id, id, "new_ticket", now_ms).await?;
        if let Some(row) = &row {
            let event = TicketEvent::NewTicket {
                kind,
                severity,
                customer: customer_label(row),
                project: row.project_name.clone(),
            };
            let key = format!("ticket:{id}:new:{}", agent.id);
            enqueue_mail(&mut tx, agent.id, row, event, key, now).await?;
        }
    }
    refresh_due(&state.db, &mut tx, id, now).await?;
    tx.commit().await?;
    Ok(CreateOutcome::Created(id))
}

/// Recomputes the cached next due time of one ticket from its clocks.
async fn refresh_due(
    db_: &Db,
    tx: &mut Tx<'_>,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), SupportError> {
    let cal = calendar::load(db_).await?;
    let Some(mut row) = db::ticket_in_tx(tx, id).await? else {
        return Ok(());
    };
    let pauses = views::pauses(&db::pauses_in_tx(tx, id).await?);
    row.next_due_at = next_due_ms(&cal, &row, &pauses, now)?;
    let updated = row.updated_at;
    db::set_ticket_state(tx, &row, updated).await?;
    Ok(())
}

fn next_due_ms(
    cal: &HolidayCalendar,
    row: &TicketRow,
    pauses: &[clocks::Pause],
    now: DateTime<Utc>,
) -> Result<Option<i64>, BadRow> {
    let d = views::decode(row)?;
    if d.status == TicketStatus::Closed {
        return Ok(None);
    }
    let cs = views::clocks_of(cal, row, d.kind, pauses, now);
    Ok(clocks::next_due(&cs).map(|(_, due)| to_millis(due)))
}

/// After a calendar edit every open incident's due time may move.
pub async fn recompute_open_incidents(db_: &Db, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    for id in db::open_incident_ids(db_).await? {
        let mut tx = db_.pool.begin().await?;
        if let Err(SupportError::Db(e)) = refresh_due(db_, &mut tx, id, now).await {
            return Err(e);
        }
        tx.commit().await?;
    }
    Ok(())
}

/// The customer's ticket list (20 a page, most recent activity first) and unread notices.
pub async fn customer_list(
    state: &AppState,
    customer_id: i64,
    page: i64,
    now: DateTime<Utc>,
) -> Result<CustomerTickets, SupportError> {
    let page = page.clamp(1, 10_000);
    let rows = db::tickets_of_customer(&state.db, customer_id, None, PER_PAGE * page + 1).await?;
    let has_next = i64::try_from(rows.len()).unwrap_or(0) > PER_PAGE * page;
    let cal = calendar::load(&state.db).await?;
    let mut tickets = Vec::new();
    for r in rows
        .iter()
        .skip(usize::try_from(PER_PAGE * (page - 1)).unwrap_or(0))
        .take(usize::try_from(PER_PAGE).unwrap_or(20))
    {
        tickets.push(summary_of(state, &cal, r, now, false).await?);
    }
    let notifications = db::unread_notifications(&state.db, customer_id)
        .await?
        .into_iter()
        .map(|n| NotificationView {
            ticket_id: n.ticket_id,
            subject: n.subject,
            kind: n.kind,
            at: from_millis(n.created_at)
                .map(crate::domain::kst::format_kst)
                .unwrap_or_default(),
        })
        .collect();
    Ok(CustomerTickets {
        tickets,
        notifications,
        page,
        has_next,
    })
}

async fn summary_of(
    state: &AppState,
    cal: &HolidayCalendar,
    r: &TicketRow,
    now: DateTime<Utc>,
    for_staff: bool,
) -> Result<crate::model::support::TicketSummary, SupportError> {
    let d = views::decode(r)?;
    let pauses = views::pauses(&db::pauses(&state.db, r.id).await?);
    let cs = views::clocks_of(cal, r, d.kind, &pauses, now);
    Ok(views::summary(r, &d, &cs, for_staff))
}

async fn detail(
    state: &AppState,
    r: &TicketRow,
    now: DateTime<Utc>,
    for_staff: bool,
) -> Result<TicketDetail, SupportError> {
    let cal = calendar::load(&state.db).await?;
    let d = views::decode(r)?;
    let pauses = views::pauses(&db::pauses(&state.db, r.id).await?);
    let cs = views::clocks_of(&cal, r, d.kind, &pauses, now);
    let msgs = db::messages(&state.db, r.id, for_staff).await?;
    let atts = db::attachments_of_ticket(&state.db, r.id).await?;
    let window = Duration::days(state.settings.ticket_reopen_days);
    let ended_at = from_millis(r.resolved_at.or(r.closed_at).unwrap_or(i64::MIN));
    Ok(TicketDetail {
        summary: views::summary(r, &d, &cs, for_staff),
        clocks: cs
            .iter()
            .map(|(k, s)| (*k, views::clock_view(*s)))
            .collect(),
        messages: views::messages(msgs, &atts, for_staff),
        may_reply: d.status != TicketStatus::Closed,
        may_close: d.status != TicketStatus::Closed,
        may_reopen: ticket::customer_may_reopen(d.status, ended_at, window, now),
        may_rate: !d.status.is_open(),
        rating: r.rating,
        resolution: views::resolution(r),
        reopen_days: state.settings.ticket_reopen_days,
    })
}

/// One of the customer's own tickets; another customer's is None (a 404 to the caller).
pub async fn customer_ticket(
    state: &AppState,
    customer_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Option<TicketDetail>, SupportError> {
    let Some(r) = db::ticket(&state.db, id).await? else {
        return Ok(None);
    };
    if r.customer_id != customer_id {
        return Ok(None);
    }
    db::mark_ticket_notifications_read(&state.db, customer_id, id, to_millis(now)).await?;
    Ok(Some(detail(state, &r, now, false).await?))
}

/// May this user download this attachment? The customer who owns the ticket (only files of
/// messages they can see) or any staff member.
pub async fn attachment_for(
    state: &AppState,
    user_id: i64,
    is_staff: bool,
    attachment_id: i64,
) -> Result<Option<attachments::StoredFile>, SupportError> {
    let Some(file) = attachments::get(&state.db, attachment_id).await? else {
        return Ok(None);
    };
    if is_staff {
        return Ok(Some(file));
    }
    let Some(t) = db::ticket(&state.db, file.ticket_id).await? else {
        return Ok(None);
    };
    if t.customer_id != user_id {
        return Ok(None);
    }
    let visible = db::messages(&state.db, t.id, false)
        .await?
        .iter()
        .any(|m| m.id == file.message_id);
    Ok(visible.then_some(file))
}

fn refused(body: &str, problems: Vec<(String, String)>) -> MessageOutcome {
    MessageOutcome::Refused(TicketFormResult {
        body: body.to_string(),
        problems,
        ..TicketFormResult::default()
    })
}

/// The customer replies: a waiting ticket goes back to the agents and its clocks resume.
pub async fn customer_reply(
    state: &AppState,
    customer_id: i64,
    id: i64,
    body: &str,
    files: Vec<Upload>,
    now: DateTime<Utc>,
) -> Result<MessageOutcome, SupportError> {
    let Some(mut r) = db::ticket(&state.db, id).await? else {
        return Ok(MessageOutcome::NotFound);
    };
    if r.customer_id != customer_id {
        return Ok(MessageOutcome::NotFound);
    }
    let d = views::decode(&r)?;
    if d.status == TicketStatus::Closed {
        return Ok(MessageOutcome::NotAllowed);
    }
    let mut problems = Vec::new();
    let text = ticket::parse_body(body)
        .map_err(|e| problems.push(("body".into(), e.code().into())))
        .ok();
    let files = real_files(files);
    let accepted = check_files(&files, &mut problems);
    let (Some(text), true) = (text, problems.is_empty()) else {
        return Ok(refused(body, problems));
    };
    let now_ms = to_millis(now);
    let mut tx = state.db.pool.begin().await?;
    let mid =
        db::insert_message(&mut tx, id, customer_id, "customer", "reply", &text, now_ms).await?;
    for (file, upload) in accepted.iter().zip(files.iter()) {
        attachments::put(&mut tx, id, mid, file, &upload.bytes, now_ms).await?;
    }
    if d.status == TicketStatus::WaitingForCustomer {
        db::close_pauses(&mut tx, id, now_ms).await?;
        r.status = TicketStatus::InProgress.code().into();
    }
    r.last_reply_at = now_ms;
    r.last_reply_by = "customer".into();
    db::set_ticket_state(&mut tx, &r, now_ms).await?;
    if let Some(agent) = r.assignee_id {
        db::notify(&mut tx, agent, id, "reply", now_ms).await?;
        let event = TicketEvent::CustomerReply {
            customer: customer_label(&r),
            excerpt: templates::excerpt(&text),
        };
        let key = format!("ticket_message:{mid}:to:{agent}");
        enqueue_mail(&mut tx, agent, &r, event, key, now).await?;
    }
    refresh_due(&state.db, &mut tx, id, now).await?;
    tx.commit().await?;
    Ok(MessageOutcome::Sent)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerAction {
    Close,
    Reopen,
    Rate(i64),
}

pub async fn customer_action(
    state: &AppState,
    customer_id: i64,
    id: i64,
    action: CustomerAction,
    now: DateTime<Utc>,
) -> Result<ActionOutcome, SupportError> {
    let Some(mut r) = db::ticket(&state.db, id).await? else {
        return Ok(ActionOutcome::NotFound);
    };
    if r.customer_id != customer_id {
        return Ok(ActionOutcome::NotFound);
    }
    let d = views::decode(&r)?;
    let now_ms = to_millis(now);
    let mut tx = state.db.pool.begin().await?;
    match action {
        CustomerAction::Close => {
            if d.status == TicketStatus::Closed {
                return Ok(ActionOutcome::NotAllowed);
            }
            db::close_pauses(&mut tx, id, now_ms).await?;
            r.status = TicketStatus::Closed.code().into();
            r.closed_at = Some(now_ms);
        }
        CustomerAction::Reopen => {
            let window = Duration::days(state.settings.ticket_reopen_days);
            let ended = from_millis(r.resolved_at.or(r.closed_at).unwrap_or(i64::MIN));
            if !ticket::customer_may_reopen(d.status, ended, window, now) {
                return Ok(ActionOutcome::NotAllowed);
            }
            // Neither the time it stayed resolved (a pause still open) nor the time it stayed
            // closed (closing ended every pause) counts against the resolution clock.
            if d.status == TicketStatus::Resolved {
                db::close_pauses(&mut tx, id, now_ms).await?;
            } else if let Some(p) = clocks::closed_stretch(r.closed_at.and_then(from_millis), now) {
                db::open_pause(&mut tx, id, to_millis(p.from)).await?;
                db::close_pauses(&mut tx, id, now_ms).await?;
            }
            r.status = TicketStatus::InProgress.code().into();
            r.resolved_at = None;
            r.closed_at = None;
            if let Some(agent) = r.assignee_id {
                db::notify(&mut tx, agent, id, "status", now_ms).await?;
                let event = TicketEvent::Reopened {
                    customer: customer_label(&r),
                };
                let key = format!("ticket:{id}:reopened:{now_ms}:to:{agent}");
                enqueue_mail(&mut tx, agent, &r, event, key, now).await?;
            }
        }
        CustomerAction::Rate(n) => {
            if d.status.is_open() || !(1..=5).contains(&n) {
                return Ok(ActionOutcome::Invalid);
            }
            r.rating = Some(n);
        }
    }
    db::record_event(
        &mut tx,
        id,
        customer_id,
        match action {
            CustomerAction::Close => "closed",
            CustomerAction::Reopen => "reopened",
            CustomerAction::Rate(_) => "rated",
        },
        &json!({ "rating": r.rating }),
        now_ms,
    )
    .await?;
    db::set_ticket_state(&mut tx, &r, now_ms).await?;
    refresh_due(&state.db, &mut tx, id, now).await?;
    tx.commit().await?;
    Ok(ActionOutcome::Done)
}

fn audit_entry<'a>(
    now_ms: i64,
    actor: i64,
    role: StaffRole,
    action: &'a str,
    r: &TicketRow,
    detail: serde_json::Value,
) -> AuditEntry<'a> {
    AuditEntry {
        at_ms: now_ms,
        actor_user_id: actor,
        actor_role: role.code(),
        action,
        target_kind: "ticket",
        target_id: r.id,
        customer_user_id: Some(r.customer_id),
        reason: "",
        detail,
    }
}

/// A staff reply (reply, progress report, written report) or an internal note.
#[allow(clippy::too_many_arguments)]
pub async fn staff_message(
    state: &AppState,
    staff_id: i64,
    role: StaffRole,
    id: i64,
    purpose: &str,
    body: &str,
    files: Vec<Upload>,
    now: DateTime<Utc>,
) -> Result<MessageOutcome, SupportError> {
    if !works_tickets(role) {
        return Ok(MessageOutcome::NotAllowed);
    }
    let Some(mut r) = db::ticket(&state.db, id).await? else {
        return Ok(MessageOutcome::NotFound);
    };
    let d = views::decode(&r)?;
    let mut problems = Vec::new();
    let purpose = MessagePurpose::from_code(purpose.trim());
    if purpose.is_none() {
        problems.push(("purpose".into(), "required".into()));
    }
    let text = ticket::parse_body(body)
        .map_err(|e| problems.push(("body".into(), e.code().into())))
        .ok();
    let files = real_files(files);
    let accepted = check_files(&files, &mut problems);
    let (Some(purpose), Some(text), true) = (purpose, text, problems.is_empty()) else {
        return Ok(refused(body, problems));
    };
    if d.status == TicketStatus::Closed {
        return Ok(MessageOutcome::NotAllowed);
    }
    let now_ms = to_millis(now);
    let mut tx = state.db.pool.begin().await?;
    let mid = db::insert_message(
        &mut tx,
        id,
        staff_id,
        "staff",
        purpose.code(),
        &text,
        now_ms,
    )
    .await?;
    for (file, upload) in accepted.iter().zip(files.iter()) {
        attachments::put(&mut tx, id, mid, file, &upload.bytes, now_ms).await?;
    }
    if purpose.is_visible_to_customer() {
        r.first_staff_reply_at.get_or_insert(now_ms);
        if matches!(purpose, MessagePurpose::Progress | MessagePurpose::Report) {
            r.first_progress_at.get_or_insert(now_ms);
        }
        if purpose == MessagePurpose::Report {
            r.report_at.get_or_insert(now_ms);
        }
        if d.status == TicketStatus::New {
            r.status = TicketStatus::InProgress.code().into();
        }
        r.last_reply_at = now_ms;
        r.last_reply_by = "staff".into();
        db::notify(&mut tx, r.customer_id, id, "reply", now_ms).await?;
        // The mail carries a short excerpt of this one public message and a link, not the
        // whole text: mail leaves our control (forwarded, kept on other servers) while the
        // ticket page shows the full text, its attachments and any follow-up behind the log-in.
        // Only this message is quoted, never the thread, so no internal note can be in it;
        // PublicPurpose has no internal note, so none can be mailed even by mistake.
        if let Some(purpose) = PublicPurpose::of(purpose) {
            let event = TicketEvent::StaffReply {
                purpose,
                excerpt: templates::excerpt(&text),
            };
            let key = format!("ticket_message:{mid}:to:{}", r.customer_id);
            enqueue_mail(&mut tx, r.customer_id, &r, event, key, now).await?;
        }
    }
    if r.assignee_id.is_none() {
        r.assignee_id = Some(staff_id);
    }
    db::set_ticket_state(&mut tx, &r, now_ms).await?;
    audit::record(
        &mut *tx,
        &audit_entry(
            now_ms,
            staff_id,
            role,
            if purpose.is_visible_to_customer() {
                "ticket.replied"
            } else {
                "ticket.noted"
            },
            &r,
            json!({"purpose": purpose.code(), "message_id": mid}),
        ),
    )
    .await?;
    refresh_due(&state.db, &mut tx, id, now).await?;
    tx.commit().await?;
    Ok(MessageOutcome::Sent)
}

pub async fn staff_set_status(
    state: &AppState,
    staff_id: i64,
    role: StaffRole,
    id: i64,
    to: &str,
    now: DateTime<Utc>,
) -> Result<ActionOutcome, SupportError> {
    if !works_tickets(role) {
        return Ok(ActionOutcome::NotAllowed);
    }
    let Some(to) = TicketStatus::from_code(to.trim()) else {
        return Ok(ActionOutcome::Invalid);
    };
    let Some(mut r) = db::ticket(&state.db, id).await? else {
        return Ok(ActionOutcome::NotFound);
    };
    let from = views::decode(&r)?.status;
    if !ticket::staff_may_move(from, to) {
        return Ok(ActionOutcome::Invalid);
    }
    let now_ms = to_millis(now);
    let mut tx = state.db.pool.begin().await?;
    // Waiting for the customer and resolved both pause the clocks; anything else runs them.
    let pausing =
        |s: TicketStatus| matches!(s, TicketStatus::WaitingForCustomer | TicketStatus::Resolved);
    if pausing(from) && !pausing(to) {
        db::close_pauses(&mut tx, id, now_ms).await?;
    }
    if !pausing(from) && pausing(to) {
        db::open_pause(&mut tx, id, now_ms).await?;
    }
    match to {
        TicketStatus::Resolved => r.resolved_at = Some(now_ms),
        TicketStatus::Closed => {
            db::close_pauses(&mut tx, id, now_ms).await?;
            r.closed_at = Some(now_ms);
        }
        TicketStatus::InProgress if from == TicketStatus::Resolved => r.resolved_at = None,
        _ => {}
    }
    r.status = to.code().into();
    db::set_ticket_state(&mut tx, &r, now_ms).await?;
    db::record_event(
        &mut tx,
        id,
        staff_id,
        "status",
        &json!({"from": from.code(), "to": to.code()}),
        now_ms,
    )
    .await?;
    audit::record(
        &mut *tx,
        &audit_entry(
            now_ms,
            staff_id,
            role,
            "ticket.status_changed",
            &r,
            json!({"from": from.code(), "to": to.code()}),
        ),
    )
    .await?;
    db::notify(&mut tx, r.customer_id, id, "status", now_ms).await?;
    let key = format!("ticket:{id}:status:{}:{now_ms}", to.code());
    let event = TicketEvent::StatusChanged { status: to };
    enqueue_mail(&mut tx, r.customer_id, &r, event, key, now).await?;
    refresh_due(&state.db, &mut tx, id, now).await?;
    tx.commit().await?;
    Ok(ActionOutcome::Done)
}

pub async fn assign(
    state: &AppState,
    staff_id: i64,
    role: StaffRole,
    id: i64,
    assignee: Option<i64>,
    now: DateTime<Utc>,
) -> Result<ActionOutcome, SupportError> {
    if !works_tickets(role) {
        return Ok(ActionOutcome::NotAllowed);
    }
    let Some(mut r) = db::ticket(&state.db, id).await? else {
        return Ok(ActionOutcome::NotFound);
    };
    if let Some(a) = assignee
        && !db::agents(&state.db).await?.iter().any(|x| x.id == a)
    {
        return Ok(ActionOutcome::Invalid);
    }
    let now_ms = to_millis(now);
    let before = r.assignee_id;
    r.assignee_id = assignee;
    let mut tx = state.db.pool.begin().await?;
    db::set_ticket_state(&mut tx, &r, now_ms).await?;
    db::record_event(
        &mut tx,
        id,
        staff_id,
        "assigned",
        &json!({"from": before, "to": assignee}),
        now_ms,
    )
    .await?;
    audit::record(
        &mut *tx,
        &audit_entry(
            now_ms,
            staff_id,
            role,
            "ticket.assigned",
            &r,
            json!({"from": before, "to": assignee}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(ActionOutcome::Done)
}

pub async fn classify(
    state: &AppState,
    staff_id: i64,
    role: StaffRole,
    id: i64,
    category: &str,
    cause: &str,
    now: DateTime<Utc>,
) -> Result<ActionOutcome, SupportError> {
    if !works_tickets(role) {
        return Ok(ActionOutcome::NotAllowed);
    }
    let (Some(category), Some(cause)) = (
        ResolutionCategory::from_code(category.trim()),
        ResolutionCause::from_code(cause.trim()),
    ) else {
        return Ok(ActionOutcome::Invalid);
    };
    let Some(mut r) = db::ticket(&state.db, id).await? else {
        return Ok(ActionOutcome::NotFound);
    };
    let now_ms = to_millis(now);
    let before = json!({"category": r.resolution_category, "cause": r.resolution_cause});
    r.resolution_category = Some(category.code().into());
    r.resolution_cause = Some(cause.code().into());
    let mut tx = state.db.pool.begin().await?;
    db::set_ticket_state(&mut tx, &r, now_ms).await?;
    db::record_event(
        &mut tx,
        id,
        staff_id,
        "classified",
        &json!({"category": category.code(), "cause": cause.code()}),
        now_ms,
    )
    .await?;
    audit::record(
        &mut *tx,
        &audit_entry(
            now_ms,
            staff_id,
            role,
            "ticket.classified",
            &r,
            json!({"before": before, "category": category.code(), "cause": cause.code()}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(ActionOutcome::Done)
}

/// The staff queue: filters, sorted by the next due time.
pub async fn staff_queue(
    state: &AppState,
    filter: &QueueFilter,
    page: i64,
) -> Result<StaffQueue, SupportError> {
    let page = page.clamp(1, 10_000);
    let now = Utc::now();
    let rows = db::queue(&state.db, filter, PER_PAGE + 1, PER_PAGE * (page - 1)).await?;
    let has_next = i64::try_from(rows.len()).unwrap_or(0) > PER_PAGE;
    let cal = calendar::load(&state.db).await?;
    let mut tickets = Vec::new();
    for r in rows.iter().take(usize::try_from(PER_PAGE).unwrap_or(20)) {
        tickets.push(summary_of(state, &cal, r, now, true).await?);
    }
    Ok(StaffQueue {
        tickets,
        agents: agents(state).await?,
        page,
        has_next,
    })
}

async fn agents(state: &AppState) -> Result<Vec<(i64, String)>, SupportError> {
    Ok(db::agents(&state.db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect())
}

/// A ticket as staff see it (internal notes included), with an FAQ draft once resolved.
pub async fn staff_ticket(
    state: &AppState,
    role: StaffRole,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Option<StaffTicket>, SupportError> {
    let Some(r) = db::ticket(&state.db, id).await? else {
        return Ok(None);
    };
    let detail = detail(state, &r, now, true).await?;
    let faq_draft = (!detail.summary.status.is_open()).then(|| faq_draft(&state.db, &r));
    let faq_draft = match faq_draft {
        Some(f) => Some(f.await?),
        None => None,
    };
    Ok(Some(StaffTicket {
        detail,
        may_work: works_tickets(role),
        agents: agents(state).await?,
        assignee_id: r.assignee_id,
        faq_draft,
    }))
}

/// R8.5: what was learnt, as a starting point for an FAQ entry: the question as the customer
/// asked it and the last answer staff gave (never internal notes), in Markdown.
async fn faq_draft(db_: &Db, r: &TicketRow) -> Result<String, SupportError> {
    let msgs = db::messages(db_, r.id, false).await?;
    let question = msgs
        .iter()
        .find(|m| m.author_kind == "customer")
        .map(|m| m.body.clone())
        .unwrap_or_default();
    let answer = msgs
        .iter()
        .rev()
        .find(|m| m.author_kind == "staff")
        .map(|m| m.body.clone())
        .unwrap_or_default();
    Ok(format!(
        "## {}\n\n{}\n\n### 답변 / Answer\n\n{}\n",
        r.subject, question, answer
    ))
}

/// The API's list: a customer's tickets newest first, `limit` of them after the cursor's id.
pub async fn customer_page_by_id(
    state: &AppState,
    customer_id: i64,
    before_id: Option<i64>,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<Vec<crate::model::support::TicketSummary>, SupportError> {
    let rows = db::tickets_of_customer_by_id(&state.db, customer_id, before_id, limit).await?;
    let cal = calendar::load(&state.db).await?;
    let mut out = Vec::new();
    for r in &rows {
        out.push(summary_of(state, &cal, r, now, false).await?);
    }
    Ok(out)
}

/// A customer's own ticket without marking its notifications read (the API).
pub async fn customer_ticket_detail(
    state: &AppState,
    customer_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Option<TicketDetail>, SupportError> {
    match db::ticket(&state.db, id).await? {
        Some(r) if r.customer_id == customer_id => Ok(Some(detail(state, &r, now, false).await?)),
        _ => Ok(None),
    }
}

/// For the admins' monthly view: per clock, of the incident reports filed in the KST month
/// starting `month`, how many met the target and how many are decided (met, late or
/// breached; still running or paused ones are not counted yet).
pub async fn targets_met(
    state: &AppState,
    month: chrono::NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<crate::model::support::TargetShare>, SupportError> {
    use crate::domain::kst::start_of_kst_day;
    use crate::domain::support::clocks::{ClockKind, ClockState};
    let from = start_of_kst_day(month);
    let next = month
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(month);
    let to = start_of_kst_day(next);
    let rows = db::incidents_filed_between(&state.db, to_millis(from), to_millis(to)).await?;
    let cal = calendar::load(&state.db).await?;
    let mut out: Vec<crate::model::support::TargetShare> = ClockKind::ALL
        .iter()
        .map(|k| crate::model::support::TargetShare {
            clock: *k,
            met: 0,
            decided: 0,
        })
        .collect();
    for r in &rows {
        let d = views::decode(r)?;
        let pauses = views::pauses(&db::pauses(&state.db, r.id).await?);
        for (k, s) in views::clocks_of(&cal, r, d.kind, &pauses, now) {
            if let Some(share) = out.iter_mut().find(|x| x.clock == k) {
                match s {
                    ClockState::Met { .. } => {
                        share.met += 1;
                        share.decided += 1;
                    }
                    ClockState::MetLate { .. } | ClockState::Breached { .. } => share.decided += 1,
                    _ => {}
                }
            }
        }
    }
    Ok(out)
}
