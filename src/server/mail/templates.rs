//! The portal's mail texts, per template and language: pure functions from the facts a use
//! case stored to a subject and a plain-text body with links back to the portal. Billing and
//! support add their templates here (a variant, its texts in both languages, a test).
use super::message::{Content, Text};
use crate::domain::billing::money::format_krw as krw;
use crate::domain::kst::format_kst;
use crate::domain::language::Language;
use crate::domain::lifecycle::LifecycleState;
use crate::domain::stored::ProjectId;
use crate::domain::support::ticket::{MessagePurpose, Severity, TicketKind, TicketStatus};
use crate::model::alerts::{CustomerAlert, InvoiceAlert, UsageThresholdAlert};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "template", rename_all = "snake_case")]
pub enum Template {
    /// A lifecycle step of a project is coming (R7: told 3 days and 1 day ahead).
    LifecycleNotice {
        project_id: ProjectId,
        project_name: String,
        step: LifecycleState,
        step_at: DateTime<Utc>,
        days_before: i64,
    },
    /// A lifecycle step of a project was applied.
    LifecycleApplied {
        project_id: ProjectId,
        project_name: String,
        step: LifecycleState,
        at: DateTime<Utc>,
    },
    /// A usage threshold crossed, an invoice about to fall due or overdue: the same facts as
    /// the portal notice.
    Alert(CustomerAlert),
    /// News of a support ticket, for the customer or for staff (R8.2).
    Ticket(TicketMail),
}

impl Template {
    pub fn code(&self) -> &'static str {
        match self {
            Self::LifecycleNotice { .. } => "lifecycle_notice",
            Self::LifecycleApplied { .. } => "lifecycle_applied",
            Self::Alert(a) => a.code(),
            Self::Ticket(t) => t.event.code(),
        }
    }
}

/// A ticket's news. Only small facts are kept (the outbox stores them until sent): the
/// subject as the customer typed it and, for messages, a short excerpt of that one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketMail {
    pub ticket_id: i64,
    pub subject: String,
    pub event: TicketEvent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum TicketEvent {
    /// To each agent: a customer filed a ticket.
    NewTicket {
        kind: TicketKind,
        severity: Option<Severity>,
        customer: String,
        project: Option<String>,
    },
    /// To the assignee: the customer replied.
    CustomerReply { customer: String, excerpt: String },
    /// To the assignee: the customer reopened a resolved or closed ticket.
    Reopened { customer: String },
    /// To the customer: staff answered.
    StaffReply {
        purpose: PublicPurpose,
        excerpt: String,
    },
    /// To the customer: staff moved the ticket.
    StatusChanged { status: TicketStatus },
}

/// The kinds of staff message a customer may be mailed about: an internal note has no
/// variant here, so no customer mail can be made from one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicPurpose {
    Reply,
    Progress,
    Report,
}

impl PublicPurpose {
    /// None for an internal note.
    pub fn of(p: MessagePurpose) -> Option<Self> {
        match p {
            MessagePurpose::Reply => Some(Self::Reply),
            MessagePurpose::Progress => Some(Self::Progress),
            MessagePurpose::Report => Some(Self::Report),
            MessagePurpose::InternalNote => None,
        }
    }
}

impl TicketEvent {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NewTicket { .. } => "ticket_new",
            Self::CustomerReply { .. } => "ticket_customer_reply",
            Self::Reopened { .. } => "ticket_reopened",
            Self::StaffReply { .. } => "ticket_staff_reply",
            Self::StatusChanged { .. } => "ticket_status",
        }
    }

    /// Staff read tickets in the admin pages, customers in their own.
    fn for_staff(&self) -> bool {
        matches!(
            self,
            Self::NewTicket { .. } | Self::CustomerReply { .. } | Self::Reopened { .. }
        )
    }
}

/// Characters of a message quoted in its mail.
pub const EXCERPT_CHARS: usize = 200;

/// The start of a message on one line, cut at [`EXCERPT_CHARS`] with an ellipsis: enough to
/// judge the urgency, while the whole text (and its attachments) stays behind the log-in.
pub fn excerpt(body: &str) -> String {
    let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= EXCERPT_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(EXCERPT_CHARS).collect();
    format!("{}…", cut.trim_end())
}

/// A mail ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

/// `portal` is the public base URL (`APM_PUBLIC_BASE_URL`, no trailing slash).
pub fn render(content: &Content, language: Language, portal: &str) -> Rendered {
    let (main, link) = match content {
        Content::Template(t) => template_text(t, language, portal),
        Content::Text { ko, en, link } => {
            let text = match language {
                Language::Ko => ko,
                Language::En => en,
            };
            (
                text.clone(),
                link.as_deref().map(|p| portal_link(portal, p)),
            )
        }
    };
    let mut body = main.body.trim_end().to_string();
    if let Some(link) = link {
        body.push_str("\n\n");
        body.push_str(&link);
    }
    body.push_str("\n\n-- \n");
    body.push_str(&footer(language, portal));
    body.push('\n');
    let tag = match (content, language) {
        (Content::Template(Template::Ticket(_)), Language::Ko) => "[APM 지원]",
        (Content::Template(Template::Ticket(_)), Language::En) => "[APM support]",
        _ => "[APM]",
    };
    Rendered {
        subject: format!("{tag} {}", one_line(&main.subject)),
        body,
    }
}

/// A path of the portal as a full address; anything that is not a plain local path (another
/// site, `//host`, `javascript:`) becomes the portal's home, so a mail never links elsewhere.
pub fn portal_link(portal: &str, path: &str) -> String {
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control);
    if local {
        format!("{portal}{path}")
    } else {
        format!("{portal}/")
    }
}

/// A subject is one header line: line breaks in a caller's text (or a project name) become spaces.
fn one_line(s: &str) -> String {
    s.split(char::is_control)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn footer(language: Language, portal: &str) -> String {
    match language {
        Language::Ko => format!(
            "APM 포털에서 보낸 메일입니다. 이 주소로 회신하지 마시고 포털의 고객지원을 이용해 주세요.\n{portal}/"
        ),
        Language::En => format!(
            "Sent by the APM portal. Please do not reply to this address; use support in the portal.\n{portal}/"
        ),
    }
}

fn step_ko(step: LifecycleState) -> (&'static str, &'static str, &'static str) {
    // (noun, "will ..." sentence end, "has ..." sentence end)
    match step {
        LifecycleState::Active => (
            "이용 재개",
            "다시 이용할 수 있습니다",
            "다시 이용할 수 있게 되었습니다",
        ),
        LifecycleState::AccessStopped => (
            "접속 중지",
            "화면 접속이 중지됩니다",
            "화면 접속이 중지되었습니다",
        ),
        LifecycleState::CollectionStopped => (
            "수집 중지",
            "데이터 수집이 중지됩니다",
            "데이터 수집이 중지되었습니다",
        ),
        LifecycleState::Deleted => (
            "데이터 삭제",
            "모니터링 데이터가 삭제됩니다",
            "모니터링 데이터가 삭제되었습니다",
        ),
    }
}

fn step_en(step: LifecycleState) -> (&'static str, &'static str, &'static str) {
    match step {
        LifecycleState::Active => (
            "service resumes",
            "you can use it again",
            "you can use it again",
        ),
        LifecycleState::AccessStopped => (
            "access stops",
            "its screens stop",
            "its screens have stopped",
        ),
        LifecycleState::CollectionStopped => (
            "data collection stops",
            "data collection stops",
            "data collection has stopped",
        ),
        LifecycleState::Deleted => (
            "data is deleted",
            "its monitoring data is deleted",
            "its monitoring data has been deleted",
        ),
    }
}

fn template_text(t: &Template, language: Language, portal: &str) -> (Text, Option<String>) {
    match t {
        Template::LifecycleNotice {
            project_id,
            project_name,
            step,
            step_at,
            days_before,
        } => {
            let when = format_kst(*step_at);
            let link = portal_link(portal, &format!("/projects/{}", project_id.0));
            let text = match language {
                Language::Ko => {
                    let (noun, will, _) = step_ko(*step);
                    Text {
                        subject: format!(
                            "'{project_name}' 프로젝트 {noun} {days_before}일 전 안내"
                        ),
                        body: format!(
                            "안녕하세요.\n\n'{project_name}' 프로젝트는 {when}에 {will}.\n\
                             계속 이용하시려면 그 전에 유료 요금제로 전환하시거나 미납 요금을 납부해 주세요.\n\
                             요금제와 납부 상태는 아래 프로젝트 화면에서 확인하실 수 있습니다."
                        ),
                    }
                }
                Language::En => {
                    let (noun, will, _) = step_en(*step);
                    let days = if *days_before == 1 {
                        "1 day".to_string()
                    } else {
                        format!("{days_before} days")
                    };
                    Text {
                        subject: format!("Project '{project_name}': {noun} in {days}"),
                        body: format!(
                            "Hello,\n\nOn {when}, {will} for project '{project_name}'.\n\
                             To keep using it, upgrade to the paid plan or pay the outstanding \
                             invoice before then.\nThe project page below shows its plan and payments."
                        ),
                    }
                }
            };
            (text, Some(link))
        }
        Template::LifecycleApplied {
            project_id,
            project_name,
            step,
            at,
        } => {
            let when = format_kst(*at);
            let link = portal_link(portal, &format!("/projects/{}", project_id.0));
            let text = match language {
                Language::Ko => {
                    let (noun, _, done) = step_ko(*step);
                    Text {
                        subject: format!("'{project_name}' 프로젝트 {noun} 안내"),
                        body: format!(
                            "안녕하세요.\n\n{when}부로 '{project_name}' 프로젝트의 {done}.\n\
                             자세한 내용은 아래 프로젝트 화면에서 확인하실 수 있습니다."
                        ),
                    }
                }
                Language::En => {
                    let (noun, _, done) = step_en(*step);
                    Text {
                        subject: format!("Project '{project_name}': {noun}"),
                        body: format!(
                            "Hello,\n\nAs of {when}, {done} for project '{project_name}'.\n\
                             The project page below has the details."
                        ),
                    }
                }
            };
            (text, Some(link))
        }
        Template::Alert(a) => (
            alert_text(a, language),
            Some(portal_link(portal, &a.link())),
        ),
        Template::Ticket(t) => {
            let path = if t.event.for_staff() {
                format!("/admin/support/{}", t.ticket_id)
            } else {
                format!("/support/tickets/{}", t.ticket_id)
            };
            let text = match language {
                Language::Ko => ticket_ko(t),
                Language::En => ticket_en(t),
            };
            (text, Some(portal_link(portal, &path)))
        }
    }
}

fn kind_words(k: TicketKind) -> (&'static str, &'static str) {
    match k {
        TicketKind::Inquiry => ("문의", "Inquiry"),
        TicketKind::Incident => ("장애 신고", "Incident report"),
        TicketKind::Complaint => ("불만 접수", "Complaint"),
        TicketKind::RemoteSupport => ("원격 지원 요청", "Remote support request"),
        TicketKind::OnsiteTraining => ("방문 교육 요청", "On-site training request"),
        TicketKind::SecurityReport => ("보안 취약점 보고서 요청", "Security report request"),
    }
}

fn severity_words(s: Severity) -> (&'static str, &'static str) {
    match s {
        Severity::Critical => ("긴급 (서비스 중단)", "Critical (service down)"),
        Severity::Major => ("높음 (주요 기능 장애)", "Major (key feature broken)"),
        Severity::Minor => ("낮음 (일부 불편)", "Minor (inconvenience)"),
    }
}

fn status_words(s: TicketStatus) -> (&'static str, &'static str) {
    match s {
        TicketStatus::New => ("접수", "new"),
        TicketStatus::InProgress => ("처리 중", "in progress"),
        TicketStatus::WaitingForCustomer => ("고객 답변 대기", "waiting for your reply"),
        TicketStatus::Resolved => ("해결됨", "resolved"),
        TicketStatus::Closed => ("종료", "closed"),
    }
}

fn ticket_ko(t: &TicketMail) -> Text {
    let (id, subject) = (t.ticket_id, &t.subject);
    match &t.event {
        TicketEvent::NewTicket {
            kind,
            severity,
            customer,
            project,
        } => {
            let mut facts = format!("유형: {}", kind_words(*kind).0);
            if let Some(s) = severity {
                facts.push_str(&format!("\n심각도: {}", severity_words(*s).0));
            }
            facts.push_str(&format!("\n고객: {customer}"));
            if let Some(p) = project {
                facts.push_str(&format!("\n프로젝트: {p}"));
            }
            Text {
                subject: format!("새 티켓 #{id} - {subject}"),
                body: format!(
                    "새 티켓이 접수되었습니다.\n\n티켓: #{id} {subject}\n{facts}\n\n\
                     아래 관리 화면에서 확인해 주세요."
                ),
            }
        }
        TicketEvent::CustomerReply { customer, excerpt } => Text {
            subject: format!("티켓 #{id} 고객 답변 - {subject}"),
            body: format!(
                "{customer} 고객이 담당하신 티켓 #{id} '{subject}'에 답변했습니다.\n\n> {excerpt}\n\n\
                 전체 내용은 아래 관리 화면에서 확인해 주세요."
            ),
        },
        TicketEvent::Reopened { customer } => Text {
            subject: format!("티켓 #{id} 다시 열림 - {subject}"),
            body: format!(
                "{customer} 고객이 담당하신 티켓 #{id} '{subject}'을(를) 다시 열었습니다. \
                 처리 기한이 다시 진행됩니다.\n\n아래 관리 화면에서 확인해 주세요."
            ),
        },
        TicketEvent::StaffReply { purpose, excerpt } => {
            let (what, sentence) = match purpose {
                PublicPurpose::Reply => ("답변", "지원팀의 답변이 등록되었습니다"),
                PublicPurpose::Progress => ("진행 보고", "진행 상황 보고가 등록되었습니다"),
                PublicPurpose::Report => ("결과 보고서", "결과 보고서가 등록되었습니다"),
            };
            Text {
                subject: format!("티켓 #{id} {what} - {subject}"),
                body: format!(
                    "안녕하세요.\n\n티켓 #{id} '{subject}'에 {sentence}.\n\n> {excerpt}\n\n\
                     전체 내용과 첨부 파일은 아래 티켓 화면에서 확인하실 수 있으며, 답변도 그곳에서 남겨 주세요."
                ),
            }
        }
        TicketEvent::StatusChanged { status } => {
            let next = match status {
                TicketStatus::WaitingForCustomer => {
                    "지원팀이 고객님의 답변을 기다리고 있습니다. 아래 티켓 화면에서 답변해 주세요."
                }
                TicketStatus::Resolved => {
                    "문제가 남아 있다면 아래 티켓 화면에서 티켓을 다시 열어 주세요."
                }
                TicketStatus::Closed => {
                    "티켓이 종료되었습니다. 내용은 아래 티켓 화면에서 계속 보실 수 있습니다."
                }
                TicketStatus::New | TicketStatus::InProgress => {
                    "지원팀이 처리하고 있습니다. 진행 상황은 아래 티켓 화면에서 확인하실 수 있습니다."
                }
            };
            let word = status_words(*status).0;
            // The particle follows the word's last sound: 로 after a vowel, 으로 after a consonant.
            let particle = match status {
                TicketStatus::InProgress | TicketStatus::Resolved => "으로",
                _ => "로",
            };
            Text {
                subject: format!("티켓 #{id} 상태 변경: {word} - {subject}"),
                body: format!(
                    "안녕하세요.\n\n티켓 #{id} '{subject}'의 상태가 '{word}'{particle} 바뀌었습니다.\n{next}"
                ),
            }
        }
    }
}

fn ticket_en(t: &TicketMail) -> Text {
    let (id, subject) = (t.ticket_id, &t.subject);
    match &t.event {
        TicketEvent::NewTicket {
            kind,
            severity,
            customer,
            project,
        } => {
            let mut facts = format!("Kind: {}", kind_words(*kind).1);
            if let Some(s) = severity {
                facts.push_str(&format!("\nSeverity: {}", severity_words(*s).1));
            }
            facts.push_str(&format!("\nCustomer: {customer}"));
            if let Some(p) = project {
                facts.push_str(&format!("\nProject: {p}"));
            }
            Text {
                subject: format!("New ticket #{id} - {subject}"),
                body: format!(
                    "A new ticket was filed.\n\nTicket: #{id} {subject}\n{facts}\n\n\
                     It is in the admin pages below."
                ),
            }
        }
        TicketEvent::CustomerReply { customer, excerpt } => Text {
            subject: format!("Ticket #{id}: customer reply - {subject}"),
            body: format!(
                "{customer} replied on ticket #{id} '{subject}', assigned to you.\n\n> {excerpt}\n\n\
                 The whole message is in the admin pages below."
            ),
        },
        TicketEvent::Reopened { customer } => Text {
            subject: format!("Ticket #{id}: reopened by the customer - {subject}"),
            body: format!(
                "{customer} reopened ticket #{id} '{subject}', assigned to you; its clocks run \
                 again.\n\nSee it in the admin pages below."
            ),
        },
        TicketEvent::StaffReply { purpose, excerpt } => {
            let (what, sentence) = match purpose {
                PublicPurpose::Reply => ("new reply", "Support replied to"),
                PublicPurpose::Progress => ("progress report", "Support reported progress on"),
                PublicPurpose::Report => ("written report", "Support posted the written report on"),
            };
            Text {
                subject: format!("Ticket #{id}: {what} - {subject}"),
                body: format!(
                    "Hello,\n\n{sentence} ticket #{id} '{subject}'.\n\n> {excerpt}\n\n\
                     The whole message and any attachments are on the ticket page below; please \
                     reply there."
                ),
            }
        }
        TicketEvent::StatusChanged { status } => {
            let next = match status {
                TicketStatus::WaitingForCustomer => {
                    "Support is waiting for your reply; please answer on the ticket page below."
                }
                TicketStatus::Resolved => {
                    "If the problem is still there, reopen the ticket on the ticket page below."
                }
                TicketStatus::Closed => {
                    "The ticket is closed; it stays readable on the ticket page below."
                }
                TicketStatus::New | TicketStatus::InProgress => {
                    "Support is working on it; the ticket page below shows its progress."
                }
            };
            let word = status_words(*status).1;
            Text {
                subject: format!("Ticket #{id} is now {word} - {subject}"),
                body: format!("Hello,\n\nTicket #{id} '{subject}' is now {word}.\n{next}"),
            }
        }
    }
}

fn alert_text(a: &CustomerAlert, language: Language) -> Text {
    match (a, language) {
        (CustomerAlert::UsageThreshold(u), Language::Ko) => threshold_ko(u),
        (CustomerAlert::UsageThreshold(u), Language::En) => threshold_en(u),
        (CustomerAlert::InvoiceDueSoon(i), Language::Ko) => Text {
            subject: format!("청구서 {} 납부 기한 안내({})", i.number, i.due_date),
            body: format!(
                "안녕하세요.\n\n'{}' 프로젝트의 {} 청구서 {}의 미납 금액 {}원의 납부 기한은 {}입니다{}.\n\
                 기한까지 납부되지 않으면 다음 날부터 모니터링 화면 접속이 중지되고, \
                 10일 후 데이터 수집이, 20일 후 모니터링 데이터가 삭제됩니다.\n\
                 이미 납부하셨다면 이 안내는 무시하셔도 됩니다. 청구서는 아래에서 확인하실 수 있습니다.",
                i.project_name,
                i.month,
                i.number,
                krw(i.balance),
                i.due_date,
                if i.days_left == 0 {
                    " (오늘)".to_string()
                } else {
                    format!(" ({}일 남음)", i.days_left)
                }
            ),
        },
        (CustomerAlert::InvoiceDueSoon(i), Language::En) => Text {
            subject: format!("Invoice {} is due on {}", i.number, i.due_date),
            body: format!(
                "Hello,\n\nKRW {} is still owed on invoice {} ({}) for project '{}'. It is due \
                 on {}{}.\nIf it is not paid by then, the project's screens stop the next day, \
                 data collection stops 10 days later and its monitoring data is deleted after \
                 20 days.\nIf you have already paid, please ignore this notice. The invoice is below.",
                krw(i.balance),
                i.number,
                i.month,
                i.project_name,
                i.due_date,
                match i.days_left {
                    0 => " (today)".to_string(),
                    1 => " (1 day left)".to_string(),
                    n => format!(" ({n} days left)"),
                }
            ),
        },
        (CustomerAlert::InvoiceOverdue(i), Language::Ko) => overdue_ko(i),
        (CustomerAlert::InvoiceOverdue(i), Language::En) => overdue_en(i),
    }
}

fn threshold_ko(u: &UsageThresholdAlert) -> Text {
    Text {
        subject: format!(
            "'{}' 프로젝트 {} 사용량이 임계값을 넘었습니다",
            u.project_name, u.metric_ko
        ),
        body: format!(
            "안녕하세요.\n\n'{}' 프로젝트의 {} {} 사용량이 {} {}로, 설정하신 월 임계값 {} {}에 도달했습니다.\n\
             이번 달에는 이 임계값으로 다시 알리지 않습니다. 사용량은 아래에서 확인하실 수 있습니다.",
            u.project_name, u.month, u.metric_ko, u.total, u.unit_ko, u.threshold, u.unit_ko
        ),
    }
}

fn threshold_en(u: &UsageThresholdAlert) -> Text {
    Text {
        subject: format!(
            "Project '{}': {} reached your threshold",
            u.project_name, u.metric_en
        ),
        body: format!(
            "Hello,\n\n{} of project '{}' in {} is at {} {}, reaching the monthly threshold of \
             {} {} you set.\nYou will not be told again this month for this threshold. The \
             usage page is below.",
            u.metric_en, u.project_name, u.month, u.total, u.unit_en, u.threshold, u.unit_en
        ),
    }
}

fn overdue_ko(i: &InvoiceAlert) -> Text {
    let steps = i.steps.as_ref().map(|s| {
        format!(
            "\n{}부터 모니터링 화면 접속이 중지되고, {}부터 데이터 수집이 중지되며, {}에 모니터링 데이터가 삭제됩니다.",
            s.access_stops, s.collection_stops, s.deleted
        )
    });
    Text {
        subject: format!("청구서 {} 납부 기한이 지났습니다", i.number),
        body: format!(
            "안녕하세요.\n\n'{}' 프로젝트의 {} 청구서 {}의 납부 기한({})이 지났습니다. 미납 금액은 {}원입니다.{}\n\
             납부하시면 바로 다시 이용하실 수 있습니다. 청구서는 아래에서 확인하실 수 있습니다.",
            i.project_name,
            i.month,
            i.number,
            i.due_date,
            krw(i.balance),
            steps.unwrap_or_default()
        ),
    }
}

fn overdue_en(i: &InvoiceAlert) -> Text {
    let steps = i.steps.as_ref().map(|s| {
        format!(
            "\nThe project's screens stop from {}, data collection stops from {} and its \
             monitoring data is deleted on {}.",
            s.access_stops, s.collection_stops, s.deleted
        )
    });
    Text {
        subject: format!("Invoice {} is overdue", i.number),
        body: format!(
            "Hello,\n\nInvoice {} ({}) for project '{}' was due on {} and KRW {} is still \
             owed.{}\nPaying restores access at once. The invoice is below.",
            i.number,
            i.month,
            i.project_name,
            i.due_date,
            krw(i.balance),
            steps.unwrap_or_default()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const PORTAL: &str = "https://portal.example.kr";

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn notice(step: LifecycleState, days_before: i64) -> Content {
        Content::Template(Template::LifecycleNotice {
            project_id: ProjectId(42),
            project_name: "쇼핑몰".into(),
            step,
            // 2026-02-28 15:00 UTC is 2026-03-01 00:00 KST: the customer reads the KST date.
            step_at: at(2026, 2, 28, 15),
            days_before,
        })
    }

    #[test]
    fn a_notice_in_korean_names_the_step_the_kst_time_and_links_the_project() {
        let r = render(
            &notice(LifecycleState::AccessStopped, 3),
            Language::Ko,
            PORTAL,
        );
        assert_eq!(r.subject, "[APM] '쇼핑몰' 프로젝트 접속 중지 3일 전 안내");
        assert!(
            r.body
                .contains("2026-03-01 00:00 KST에 화면 접속이 중지됩니다."),
            "{}",
            r.body
        );
        assert!(r.body.contains("https://portal.example.kr/projects/42\n"));
        assert!(r.body.contains("회신하지 마시고"));
    }

    #[test]
    fn a_notice_in_english() {
        let r = render(&notice(LifecycleState::Deleted, 1), Language::En, PORTAL);
        assert_eq!(
            r.subject,
            "[APM] Project '쇼핑몰': data is deleted in 1 day"
        );
        assert!(
            r.body
                .contains("On 2026-03-01 00:00 KST, its monitoring data is deleted")
        );
        assert!(r.body.contains("https://portal.example.kr/projects/42"));
        assert!(r.body.contains("do not reply"));
        let three = render(
            &notice(LifecycleState::CollectionStopped, 3),
            Language::En,
            PORTAL,
        );
        assert_eq!(
            three.subject,
            "[APM] Project '쇼핑몰': data collection stops in 3 days"
        );
    }

    #[test]
    fn an_applied_step_in_both_languages() {
        let c = Content::Template(Template::LifecycleApplied {
            project_id: ProjectId(7),
            project_name: "api".into(),
            step: LifecycleState::CollectionStopped,
            at: at(2026, 12, 31, 15),
        });
        let ko = render(&c, Language::Ko, PORTAL);
        assert_eq!(ko.subject, "[APM] 'api' 프로젝트 수집 중지 안내");
        assert!(
            ko.body.contains(
                "2027-01-01 00:00 KST부로 'api' 프로젝트의 데이터 수집이 중지되었습니다."
            )
        );
        let en = render(&c, Language::En, PORTAL);
        assert_eq!(en.subject, "[APM] Project 'api': data collection stops");
        assert!(
            en.body
                .contains("data collection has stopped for project 'api'")
        );
        assert!(en.body.contains("https://portal.example.kr/projects/7"));
    }

    #[test]
    fn every_step_has_words_in_both_languages() {
        for step in [
            LifecycleState::Active,
            LifecycleState::AccessStopped,
            LifecycleState::CollectionStopped,
            LifecycleState::Deleted,
        ] {
            for l in [Language::Ko, Language::En] {
                let r = render(&notice(step, 3), l, PORTAL);
                assert!(r.subject.len() > 10 && r.body.len() > 50);
            }
        }
    }

    #[test]
    fn caller_text_is_sent_in_the_recipients_language_with_its_link() {
        let c = Content::Text {
            ko: Text {
                subject: "답변이 등록되었습니다".into(),
                body: "문의에 답변이 달렸습니다.\n".into(),
            },
            en: Text {
                subject: "Your ticket has a reply".into(),
                body: "Support replied to your ticket.".into(),
            },
            link: Some("/tickets/12".into()),
        };
        let ko = render(&c, Language::Ko, PORTAL);
        assert_eq!(ko.subject, "[APM] 답변이 등록되었습니다");
        assert!(ko.body.starts_with(
            "문의에 답변이 달렸습니다.\n\nhttps://portal.example.kr/tickets/12\n\n-- \n"
        ));
        let en = render(&c, Language::En, PORTAL);
        assert_eq!(en.subject, "[APM] Your ticket has a reply");
        assert!(en.body.contains("https://portal.example.kr/tickets/12"));
    }

    #[test]
    fn links_never_leave_the_portal() {
        assert_eq!(
            portal_link(PORTAL, "/invoices/3"),
            "https://portal.example.kr/invoices/3"
        );
        for bad in [
            "//evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "/\\evil",
            "",
            "/a\nb",
        ] {
            assert_eq!(
                portal_link(PORTAL, bad),
                "https://portal.example.kr/",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_subject_is_one_line() {
        let c = Content::Text {
            ko: Text {
                subject: "a\r\nBcc: x@example.com".into(),
                body: String::new(),
            },
            en: Text {
                subject: String::new(),
                body: String::new(),
            },
            link: None,
        };
        assert_eq!(
            render(&c, Language::Ko, PORTAL).subject,
            "[APM] a Bcc: x@example.com"
        );
    }

    fn invoice_alert(days_left: i64) -> InvoiceAlert {
        InvoiceAlert {
            invoice_id: 31,
            number: "INV-202611-000007".into(),
            project_id: 7,
            project_name: "쇼핑몰".into(),
            month: "2026-11".into(),
            balance: 1_234_500,
            due_date: "2026-12-25".into(),
            days_left,
            steps: None,
        }
    }

    #[test]
    fn a_threshold_alert_names_the_metric_both_figures_and_links_the_usage_month() {
        let c = Content::Template(Template::Alert(CustomerAlert::UsageThreshold(
            UsageThresholdAlert {
                project_id: 7,
                project_name: "쇼핑몰".into(),
                metric: "ingest_gb".into(),
                metric_ko: "수집 데이터".into(),
                metric_en: "Ingested data".into(),
                unit_ko: "GB".into(),
                unit_en: "GB".into(),
                month: "2026-11".into(),
                threshold: "100".into(),
                total: "100.5".into(),
            },
        )));
        assert_eq!(c.kind(), "usage_threshold");
        let ko = render(&c, Language::Ko, PORTAL);
        assert_eq!(
            ko.subject,
            "[APM] '쇼핑몰' 프로젝트 수집 데이터 사용량이 임계값을 넘었습니다"
        );
        assert!(
            ko.body
                .contains("100.5 GB로, 설정하신 월 임계값 100 GB에 도달했습니다."),
            "{}",
            ko.body
        );
        assert!(
            ko.body
                .contains("https://portal.example.kr/projects/7/usage?month=2026-11\n")
        );
        let en = render(&c, Language::En, PORTAL);
        assert_eq!(
            en.subject,
            "[APM] Project '쇼핑몰': Ingested data reached your threshold"
        );
        assert!(
            en.body
                .contains("is at 100.5 GB, reaching the monthly threshold of 100 GB")
        );
    }

    #[test]
    fn a_due_soon_reminder_states_the_balance_the_date_and_what_follows() {
        let c = Content::Template(Template::Alert(CustomerAlert::InvoiceDueSoon(
            invoice_alert(3),
        )));
        assert_eq!(c.kind(), "invoice_due_soon");
        let ko = render(&c, Language::Ko, PORTAL);
        assert_eq!(
            ko.subject,
            "[APM] 청구서 INV-202611-000007 납부 기한 안내(2026-12-25)"
        );
        assert!(
            ko.body
                .contains("미납 금액 1,234,500원의 납부 기한은 2026-12-25입니다 (3일 남음)."),
            "{}",
            ko.body
        );
        assert!(ko.body.contains("https://portal.example.kr/invoices/31\n"));
        let en = render(&c, Language::En, PORTAL);
        assert!(en.body.contains("KRW 1,234,500 is still owed"));
        assert!(en.body.contains("due on 2026-12-25 (3 days left)"));
        let today = render(
            &Content::Template(Template::Alert(CustomerAlert::InvoiceDueSoon(
                invoice_alert(0),
            ))),
            Language::En,
            PORTAL,
        );
        assert!(today.body.contains("2026-12-25 (today)"));
    }

    #[test]
    fn an_overdue_notice_gives_the_dates_of_each_step() {
        let mut i = invoice_alert(0);
        i.steps = Some(crate::model::alerts::OverdueSteps {
            access_stops: "2026-12-26".into(),
            collection_stops: "2027-01-04".into(),
            deleted: "2027-01-14".into(),
        });
        let c = Content::Template(Template::Alert(CustomerAlert::InvoiceOverdue(i)));
        let ko = render(&c, Language::Ko, PORTAL);
        assert_eq!(
            ko.subject,
            "[APM] 청구서 INV-202611-000007 납부 기한이 지났습니다"
        );
        assert!(ko.body.contains("2026-12-26부터 모니터링 화면 접속이 중지되고, 2027-01-04부터 데이터 수집이 중지되며, 2027-01-14에"), "{}", ko.body);
        let en = render(&c, Language::En, PORTAL);
        assert_eq!(en.subject, "[APM] Invoice INV-202611-000007 is overdue");
        assert!(en.body.contains("screens stop from 2026-12-26"));
        assert!(en.body.contains("Paying restores access at once."));
    }

    #[test]
    fn an_alert_round_trips_through_the_outbox_json() {
        let c = Content::Template(Template::Alert(CustomerAlert::InvoiceDueSoon(
            invoice_alert(1),
        )));
        let json = serde_json::to_string(&c).unwrap_or_default();
        let back: Result<Content, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(c), "{json}");
    }

    #[test]
    fn the_stored_form_round_trips() {
        let c = notice(LifecycleState::AccessStopped, 1);
        let json = serde_json::to_string(&c).unwrap_or_default();
        assert!(json.contains("\"template\":\"lifecycle_notice\""), "{json}");
        let back: Result<Content, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(c));
    }

    fn ticket(event: TicketEvent) -> Content {
        Content::Template(Template::Ticket(TicketMail {
            ticket_id: 12,
            subject: "수집 중단".into(),
            event,
        }))
    }

    #[test]
    fn a_staff_reply_tells_the_customer_with_an_excerpt_and_their_ticket_link() {
        let c = ticket(TicketEvent::StaffReply {
            purpose: PublicPurpose::Reply,
            excerpt: excerpt("Collector **restarted**.\n\nPlease check again."),
        });
        assert_eq!(c.kind(), "ticket_staff_reply");
        let ko = render(&c, Language::Ko, PORTAL);
        assert_eq!(ko.subject, "[APM 지원] 티켓 #12 답변 - 수집 중단");
        assert!(
            ko.body.contains(
                "티켓 #12 '수집 중단'에 지원팀의 답변이 등록되었습니다.\n\n> Collector **restarted**. Please check again.\n"
            ),
            "{}",
            ko.body
        );
        assert!(
            ko.body
                .contains("\n\nhttps://portal.example.kr/support/tickets/12\n"),
            "{}",
            ko.body
        );
        assert!(!ko.body.contains("/admin/"));
        let en = render(&c, Language::En, PORTAL);
        assert_eq!(
            en.subject,
            "[APM support] Ticket #12: new reply - 수집 중단"
        );
        assert!(
            en.body
                .contains("Support replied to ticket #12 '수집 중단'.")
        );
        assert!(
            en.body
                .contains("> Collector **restarted**. Please check again.")
        );
        assert!(
            en.body
                .contains("https://portal.example.kr/support/tickets/12\n")
        );
        let report = render(
            &ticket(TicketEvent::StaffReply {
                purpose: PublicPurpose::Report,
                excerpt: "Root cause: disk full.".into(),
            }),
            Language::En,
            PORTAL,
        );
        assert_eq!(
            report.subject,
            "[APM support] Ticket #12: written report - 수집 중단"
        );
    }

    #[test]
    fn an_internal_note_has_no_customer_mail() {
        assert_eq!(PublicPurpose::of(MessagePurpose::InternalNote), None);
        assert_eq!(
            PublicPurpose::of(MessagePurpose::Progress),
            Some(PublicPurpose::Progress)
        );
    }

    #[test]
    fn a_status_change_names_the_new_status_in_both_languages() {
        let c = ticket(TicketEvent::StatusChanged {
            status: TicketStatus::Resolved,
        });
        assert_eq!(c.kind(), "ticket_status");
        let ko = render(&c, Language::Ko, PORTAL);
        assert_eq!(
            ko.subject,
            "[APM 지원] 티켓 #12 상태 변경: 해결됨 - 수집 중단"
        );
        assert!(
            ko.body
                .contains("티켓 #12 '수집 중단'의 상태가 '해결됨'으로 바뀌었습니다."),
            "{}",
            ko.body
        );
        assert!(ko.body.contains("다시 열어 주세요"));
        assert!(
            ko.body
                .contains("https://portal.example.kr/support/tickets/12\n")
        );
        let en = render(&c, Language::En, PORTAL);
        assert_eq!(
            en.subject,
            "[APM support] Ticket #12 is now resolved - 수집 중단"
        );
        assert!(en.body.contains("reopen the ticket"));
        let waiting = render(
            &ticket(TicketEvent::StatusChanged {
                status: TicketStatus::WaitingForCustomer,
            }),
            Language::Ko,
            PORTAL,
        );
        assert!(
            waiting.body.contains("'고객 답변 대기'로 바뀌었습니다."),
            "{}",
            waiting.body
        );
    }

    #[test]
    fn staff_mails_link_the_admin_page() {
        let new = ticket(TicketEvent::NewTicket {
            kind: TicketKind::Incident,
            severity: Some(Severity::Critical),
            customer: "홍길동 (clockcust)".into(),
            project: Some("결제 서비스".into()),
        });
        assert_eq!(new.kind(), "ticket_new");
        let ko = render(&new, Language::Ko, PORTAL);
        assert_eq!(ko.subject, "[APM 지원] 새 티켓 #12 - 수집 중단");
        assert!(
            ko.body.contains(
                "유형: 장애 신고\n심각도: 긴급 (서비스 중단)\n고객: 홍길동 (clockcust)\n프로젝트: 결제 서비스"
            ),
            "{}",
            ko.body
        );
        assert!(
            ko.body
                .contains("https://portal.example.kr/admin/support/12\n")
        );
        let en = render(&new, Language::En, PORTAL);
        assert_eq!(en.subject, "[APM support] New ticket #12 - 수집 중단");
        assert!(
            en.body
                .contains("Kind: Incident report\nSeverity: Critical (service down)")
        );
        let inquiry = render(
            &ticket(TicketEvent::NewTicket {
                kind: TicketKind::Inquiry,
                severity: None,
                customer: "c".into(),
                project: None,
            }),
            Language::En,
            PORTAL,
        );
        assert!(!inquiry.body.contains("Severity") && !inquiry.body.contains("Project"));

        let reopened = ticket(TicketEvent::Reopened {
            customer: "홍길동 (clockcust)".into(),
        });
        let ko = render(&reopened, Language::Ko, PORTAL);
        assert_eq!(ko.subject, "[APM 지원] 티켓 #12 다시 열림 - 수집 중단");
        assert!(
            ko.body
                .contains("https://portal.example.kr/admin/support/12\n")
        );
        let en = render(&reopened, Language::En, PORTAL);
        assert_eq!(
            en.subject,
            "[APM support] Ticket #12: reopened by the customer - 수집 중단"
        );
        assert!(en.body.contains("홍길동 (clockcust) reopened ticket #12"));

        let reply = ticket(TicketEvent::CustomerReply {
            customer: "홍길동 (clockcust)".into(),
            excerpt: "Here is the log.".into(),
        });
        let ko = render(&reply, Language::Ko, PORTAL);
        assert_eq!(ko.subject, "[APM 지원] 티켓 #12 고객 답변 - 수집 중단");
        assert!(ko.body.contains("> Here is the log.\n"));
        assert!(
            ko.body
                .contains("https://portal.example.kr/admin/support/12\n")
        );
        let en = render(&reply, Language::En, PORTAL);
        assert_eq!(
            en.subject,
            "[APM support] Ticket #12: customer reply - 수집 중단"
        );
        assert!(en.body.contains("/admin/support/12"));
    }

    #[test]
    fn an_excerpt_is_one_short_line() {
        assert_eq!(excerpt("  a\n\n b\tc  "), "a b c");
        let long = "가".repeat(EXCERPT_CHARS + 50);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));
        assert_eq!(
            excerpt(&"b".repeat(EXCERPT_CHARS)),
            "b".repeat(EXCERPT_CHARS)
        );
    }

    #[test]
    fn a_ticket_mail_round_trips_through_the_outbox_json() {
        for event in [
            TicketEvent::NewTicket {
                kind: TicketKind::RemoteSupport,
                severity: None,
                customer: "c".into(),
                project: None,
            },
            TicketEvent::CustomerReply {
                customer: "c".into(),
                excerpt: "x".into(),
            },
            TicketEvent::StaffReply {
                purpose: PublicPurpose::Progress,
                excerpt: "y".into(),
            },
            TicketEvent::StatusChanged {
                status: TicketStatus::WaitingForCustomer,
            },
        ] {
            let c = ticket(event);
            let json = serde_json::to_string(&c).unwrap_or_default();
            let back: Result<Content, _> = serde_json::from_str(&json);
            assert_eq!(back.ok(), Some(c), "{json}");
        }
    }
}
