//! `/api/v1/tickets...`: the customer's support tickets (SPEC R8.2). The same use cases as the
//! pages; internal notes never appear (the views drop them for customers). Attachments are
//! added through the ticket page's forms; the API lists them with their download address.
use super::projects::{ListQuery, page};
use super::{ApiError, Customer, JsonBody};
use crate::model::error::{AppError, FieldError};
use crate::model::support::{ClockView, TicketDetail, TicketFormResult, TicketSummary};
use crate::server::startup::AppState;
use crate::server::support::tickets::{self as svc, CreateOutcome, MessageOutcome, SupportError};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tickets", get(list).post(create))
        .route("/tickets/{id}", get(read))
        .route("/tickets/{id}/messages", post(add_message))
}

impl From<SupportError> for ApiError {
    fn from(e: SupportError) -> Self {
        Self::internal(e)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PromiseJson {
    /// `start_of_work` | `first_progress` | `resolution` | `written_report`
    pub clock: String,
    /// KST, `YYYY-MM-DD HH:MM KST`
    pub due: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TicketJson {
    pub id: i64,
    /// `inquiry` | `incident` | `complaint` | `remote_support` | `onsite_training` | `security_report`
    pub kind: String,
    /// `critical` | `major` | `minor` (incident reports only)
    pub severity: Option<String>,
    pub subject: String,
    /// `new` | `in_progress` | `waiting_for_customer` | `resolved` | `closed`
    pub status: String,
    pub project_name: Option<String>,
    pub created_at: String,
    pub last_reply_at: String,
    pub last_reply_by_staff: bool,
    /// The next promised time of an incident report's running clock.
    pub next_promise: Option<PromiseJson>,
    pub breached: bool,
}

impl From<TicketSummary> for TicketJson {
    fn from(s: TicketSummary) -> Self {
        Self {
            id: s.id,
            kind: s.kind.code().into(),
            severity: s.severity.map(|v| v.code().into()),
            subject: s.subject,
            status: s.status.code().into(),
            project_name: s.project_name,
            created_at: s.created_at,
            last_reply_at: s.last_reply_at,
            last_reply_by_staff: s.last_reply_by_staff,
            next_promise: s.next_promise.map(|(k, due)| PromiseJson {
                clock: k.code().into(),
                due,
            }),
            breached: s.breached,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClockJson {
    pub clock: String,
    /// `running` | `paused` | `breached` | `met` | `met_late` | `no_business_days`
    pub state: String,
    /// Due time (running, breached) or event time (met, met_late), KST.
    pub at: Option<String>,
    /// Business minutes left while paused.
    pub remaining_minutes: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentJson {
    pub id: i64,
    pub file_name: String,
    pub size_bytes: i64,
    /// Download address (same session or token holder only).
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageJson {
    pub id: i64,
    pub author: String,
    pub from_staff: bool,
    /// `reply` | `progress` | `report`
    pub purpose: String,
    /// Sanitised HTML rendered from the Markdown.
    pub html: String,
    pub created_at: String,
    pub attachments: Vec<AttachmentJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TicketDetailJson {
    pub ticket: TicketJson,
    pub clocks: Vec<ClockJson>,
    pub messages: Vec<MessageJson>,
    pub rating: Option<i64>,
}

impl From<TicketDetail> for TicketDetailJson {
    fn from(d: TicketDetail) -> Self {
        Self {
            ticket: d.summary.into(),
            clocks: d
                .clocks
                .into_iter()
                .map(|(k, v)| {
                    let (state, at, remaining_minutes) = match v {
                        ClockView::Running { due } => ("running", Some(due), None),
                        ClockView::Paused { remaining_minutes } => {
                            ("paused", None, Some(remaining_minutes))
                        }
                        ClockView::Breached { due } => ("breached", Some(due), None),
                        ClockView::Met { at } => ("met", Some(at), None),
                        ClockView::MetLate { at } => ("met_late", Some(at), None),
                        ClockView::NoBusinessDays => ("no_business_days", None, None),
                    };
                    ClockJson {
                        clock: k.code().into(),
                        state: state.into(),
                        at,
                        remaining_minutes,
                    }
                })
                .collect(),
            messages: d
                .messages
                .into_iter()
                .map(|m| MessageJson {
                    id: m.id,
                    author: m.author,
                    from_staff: m.from_staff,
                    purpose: m.purpose.code().into(),
                    html: m.html,
                    created_at: m.at,
                    attachments: m
                        .attachments
                        .into_iter()
                        .map(|a| AttachmentJson {
                            url: format!("/support/attachments/{}", a.id),
                            id: a.id,
                            file_name: a.file_name,
                            size_bytes: a.size_bytes,
                        })
                        .collect(),
                })
                .collect(),
            rating: d.rating,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewTicketJson {
    pub kind: String,
    pub severity: Option<String>,
    pub project_id: Option<i64>,
    pub subject: String,
    /// Markdown.
    pub description: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewMessageJson {
    /// Markdown.
    pub body: String,
}

/// A page of tickets, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketPageJson {
    pub items: Vec<TicketJson>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

fn refused(problems: Vec<(String, String)>) -> ApiError {
    ApiError::from(AppError::Invalid(
        problems
            .into_iter()
            .map(|(f, c)| {
                FieldError::new(
                    if f == "body" {
                        "description".to_string()
                    } else {
                        f
                    },
                    c,
                )
            })
            .collect(),
    ))
}

/// The customer's tickets, newest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/tickets", tag = "tickets", params(ListQuery),
    responses((status = 200, body = TicketPageJson),
        (status = 400, body = ApiError, description = "invalid_limit or invalid_cursor"),
        (status = 401, body = ApiError)), security(("token" = [])))]
pub async fn list(
    State(state): State<AppState>,
    c: Customer,
    Query(q): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let (w, limit) = q.window()?;
    let rows = svc::customer_page_by_id(&state, c.user_id.0, w.after, w.limit, Utc::now()).await?;
    let p = page(rows, limit, |t| t.id, TicketJson::from);
    Ok(axum::Json(TicketPageJson {
        items: p.items,
        next_cursor: p.next_cursor,
    })
    .into_response())
}

/// Files a ticket. Incident reports need a severity and get the R8.3 clocks.
#[utoipa::path(post, path = "/api/v1/tickets", tag = "tickets", request_body = NewTicketJson,
    responses((status = 201, body = TicketDetailJson),
        (status = 422, body = ApiError, description = "validation_failed with fields kind, severity, project_id, subject, description")),
    security(("token" = [])))]
pub async fn create(
    State(state): State<AppState>,
    c: Customer,
    JsonBody(body): JsonBody<NewTicketJson>,
) -> Result<Response, ApiError> {
    let now = Utc::now();
    let input = TicketFormResult {
        kind: body.kind,
        project_id: body.project_id.map(|p| p.to_string()).unwrap_or_default(),
        severity: body.severity.unwrap_or_default(),
        subject: body.subject,
        body: body.description,
        problems: Vec::new(),
    };
    match svc::create(&state, c.user_id.0, input, Vec::new(), now).await? {
        CreateOutcome::Created(id) => {
            let d = svc::customer_ticket_detail(&state, c.user_id.0, id, now)
                .await?
                .ok_or_else(ApiError::not_found)?;
            Ok((StatusCode::CREATED, axum::Json(TicketDetailJson::from(d))).into_response())
        }
        CreateOutcome::Refused(r) => Err(refused(r.problems)),
    }
}

/// One of the customer's tickets with its clocks and conversation.
#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "tickets",
    responses((status = 200, body = TicketDetailJson), (status = 404, body = ApiError)),
    security(("token" = [])))]
pub async fn read(
    State(state): State<AppState>,
    c: Customer,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let d = svc::customer_ticket_detail(&state, c.user_id.0, id, Utc::now())
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(axum::Json(TicketDetailJson::from(d)).into_response())
}

/// Replies on a ticket; a ticket waiting for the customer goes back to the agents.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/messages", tag = "tickets", request_body = NewMessageJson,
    responses((status = 201, body = TicketDetailJson), (status = 404, body = ApiError),
        (status = 409, body = ApiError, description = "conflict: the ticket is closed"),
        (status = 422, body = ApiError)),
    security(("token" = [])))]
pub async fn add_message(
    State(state): State<AppState>,
    c: Customer,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewMessageJson>,
) -> Result<Response, ApiError> {
    let now = Utc::now();
    match svc::customer_reply(&state, c.user_id.0, id, &body.body, Vec::new(), now).await? {
        MessageOutcome::Sent => {
            let d = svc::customer_ticket_detail(&state, c.user_id.0, id, now)
                .await?
                .ok_or_else(ApiError::not_found)?;
            Ok((StatusCode::CREATED, axum::Json(TicketDetailJson::from(d))).into_response())
        }
        MessageOutcome::Refused(r) => Err(refused(
            r.problems
                .into_iter()
                .map(|(f, c)| (if f == "body" { "body".into() } else { f }, c))
                .collect(),
        )),
        MessageOutcome::NotFound => Err(ApiError::not_found()),
        MessageOutcome::NotAllowed => Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "The ticket is closed.",
        )),
    }
}
