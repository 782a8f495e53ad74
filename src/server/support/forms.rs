//! The support forms as plain HTML form posts (multipart, because they carry files), so they
//! work the same with and without JavaScript: each answers with a 303 to the page to show
//! next; a refused form leaves its problems and typed values in the no-JS flash (see
//! `server::flash`) and goes back to the form. Attachments are served here too.
use super::calendar;
use super::tickets::{self, ActionOutcome, CreateOutcome, CustomerAction, MessageOutcome, Upload};
use crate::domain::support::attachment;
use crate::model::support::TicketFormResult;
use crate::model::{SessionUser, StaffRole};
use crate::server::auth::Auth;
use crate::server::startup::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use http::{HeaderValue, StatusCode, header};
use std::collections::HashMap;

/// Three files of 5 MB and the text, with room for multipart framing.
const BODY_LIMIT: usize =
    attachment::MAX_FILE_BYTES * attachment::MAX_FILES_PER_MESSAGE + 256 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/support/tickets", post(create))
        .route("/support/tickets/{id}/reply", post(customer_reply))
        .route("/support/tickets/{id}/action", post(customer_action))
        .route("/support/attachments/{id}", get(download))
        .route("/admin/support/{id}/message", post(staff_message))
        .route("/admin/support/{id}/status", post(staff_status))
        .route("/admin/support/{id}/assign", post(staff_assign))
        .route("/admin/support/{id}/classify", post(staff_classify))
        .route("/admin/support-holidays", post(holiday))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

enum Who {
    Customer(i64),
    Staff(i64, StaffRole),
}

fn who(req_ext: &http::Extensions) -> Option<Who> {
    let s = req_ext.get::<Auth>()?.0.as_ref()?;
    Some(match s.user {
        SessionUser::Customer { id, .. } => Who::Customer(id),
        SessionUser::Staff { id, role, .. } => Who::Staff(id, role),
    })
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not found").into_response()
}

fn failed(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "support form failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong; please try again.",
    )
        .into_response()
}

/// Text fields and files of a multipart form. A part that cannot be read makes the form
/// refused as a whole (`None`).
async fn read_multipart(mut m: Multipart) -> Option<(HashMap<String, String>, Vec<Upload>)> {
    let mut fields = HashMap::new();
    let mut files = Vec::new();
    loop {
        let field = match m.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return None,
        };
        let name = field.name().unwrap_or_default().to_string();
        if let Some(file_name) = field.file_name().map(str::to_string) {
            let bytes = field.bytes().await.ok()?;
            files.push(Upload {
                name: file_name,
                bytes: bytes.to_vec(),
            });
        } else {
            let text = field.text().await.ok()?;
            fields.insert(name, text);
        }
    }
    Some((fields, files))
}

fn field(fields: &HashMap<String, String>, name: &str) -> String {
    fields.get(name).cloned().unwrap_or_default()
}

fn too_large(ext: &http::Extensions, form: &str, back: &str) -> Response {
    let result = TicketFormResult {
        problems: vec![("attachments".into(), "attachment_too_large".into())],
        ..TicketFormResult::default()
    };
    crate::server::flash::stash_in(ext, form, &result);
    Redirect::to(back).into_response()
}

async fn create(State(state): State<AppState>, req: Request) -> Response {
    let ext = req.extensions().clone();
    let Some(Who::Customer(customer)) = who(&ext) else {
        return not_found();
    };
    let Ok(m) = Multipart::from_request(req, &state).await else {
        return too_large(&ext, "ticket", "/support/new");
    };
    let Some((fields, files)) = read_multipart(m).await else {
        return too_large(&ext, "ticket", "/support/new");
    };
    let input = TicketFormResult {
        kind: field(&fields, "kind"),
        project_id: field(&fields, "project_id"),
        severity: field(&fields, "severity"),
        subject: field(&fields, "subject"),
        body: field(&fields, "body"),
        problems: Vec::new(),
    };
    match tickets::create(&state, customer, input, files, chrono::Utc::now()).await {
        Ok(CreateOutcome::Created(id)) => {
            Redirect::to(&format!("/support/tickets/{id}?created=1")).into_response()
        }
        Ok(CreateOutcome::Refused(result)) => {
            crate::server::flash::stash_in(&ext, "ticket", &result);
            Redirect::to("/support/new").into_response()
        }
        Err(e) => failed(e),
    }
}

use axum::extract::FromRequest;

async fn customer_reply(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let ext = req.extensions().clone();
    let Some(Who::Customer(customer)) = who(&ext) else {
        return not_found();
    };
    let back = format!("/support/tickets/{id}");
    let Ok(m) = Multipart::from_request(req, &state).await else {
        return too_large(&ext, "reply", &back);
    };
    let Some((fields, files)) = read_multipart(m).await else {
        return too_large(&ext, "reply", &back);
    };
    match tickets::customer_reply(
        &state,
        customer,
        id,
        &field(&fields, "body"),
        files,
        chrono::Utc::now(),
    )
    .await
    {
        Ok(MessageOutcome::Sent) => Redirect::to(&format!("{back}#latest")).into_response(),
        Ok(MessageOutcome::Refused(result)) => {
            crate::server::flash::stash_in(&ext, "reply", &result);
            Redirect::to(&back).into_response()
        }
        Ok(MessageOutcome::NotFound) => not_found(),
        Ok(MessageOutcome::NotAllowed) => Redirect::to(&back).into_response(),
        Err(e) => failed(e),
    }
}

async fn customer_action(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    axum::Extension(auth): axum::Extension<Auth>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let Some(SessionUser::Customer { id: customer, .. }) = auth.0.map(|s| s.user) else {
        return not_found();
    };
    let action = match f.get("action").map(String::as_str) {
        Some("close") => CustomerAction::Close,
        Some("reopen") => CustomerAction::Reopen,
        Some("rate") => match f
            .get("rating")
            .and_then(|r| crate::domain::support::ticket::parse_rating(r))
        {
            Some(n) => CustomerAction::Rate(n),
            None => {
                return Redirect::to(&format!("/support/tickets/{id}?problem=rating"))
                    .into_response();
            }
        },
        _ => return (StatusCode::BAD_REQUEST, "Unknown action").into_response(),
    };
    match tickets::customer_action(&state, customer, id, action, chrono::Utc::now()).await {
        Ok(ActionOutcome::NotFound) => not_found(),
        Ok(ActionOutcome::Done) => Redirect::to(&format!("/support/tickets/{id}")).into_response(),
        Ok(_) => Redirect::to(&format!("/support/tickets/{id}?problem=not_now")).into_response(),
        Err(e) => failed(e),
    }
}

/// Served only to those who may see the ticket, always as a download and never sniffed, so
/// nothing uploaded can run in the portal's origin.
async fn download(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    axum::Extension(auth): axum::Extension<Auth>,
) -> Response {
    let Some(user) = auth.0.map(|s| s.user) else {
        return not_found();
    };
    match tickets::attachment_for(&state, user.id(), user.is_staff(), id).await {
        Ok(Some(file)) => {
            let ascii: String = file
                .file_name
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let encoded: String = file
                .file_name
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            let disposition =
                format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
            let mut res = file.content.into_response();
            let h = res.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&file.content_type) {
                h.insert(header::CONTENT_TYPE, v);
            }
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            h.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            );
            res
        }
        Ok(None) => not_found(),
        Err(e) => failed(e),
    }
}

async fn staff_message(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let ext = req.extensions().clone();
    let Some(Who::Staff(staff, role)) = who(&ext) else {
        return not_found();
    };
    let back = format!("/admin/support/{id}");
    let Ok(m) = Multipart::from_request(req, &state).await else {
        return too_large(&ext, "staff_reply", &back);
    };
    let Some((fields, files)) = read_multipart(m).await else {
        return too_large(&ext, "staff_reply", &back);
    };
    let out = tickets::staff_message(
        &state,
        staff,
        role,
        id,
        &field(&fields, "purpose"),
        &field(&fields, "body"),
        files,
        chrono::Utc::now(),
    )
    .await;
    match out {
        Ok(MessageOutcome::Sent) => Redirect::to(&back).into_response(),
        Ok(MessageOutcome::Refused(result)) => {
            crate::server::flash::stash_in(&ext, "staff_reply", &result);
            Redirect::to(&back).into_response()
        }
        Ok(MessageOutcome::NotFound) => not_found(),
        Ok(MessageOutcome::NotAllowed) => {
            (StatusCode::FORBIDDEN, "Your role may only read tickets.").into_response()
        }
        Err(e) => failed(e),
    }
}

fn staff_of(auth: Auth) -> Option<(i64, StaffRole)> {
    match auth.0?.user {
        SessionUser::Staff { id, role, .. } => Some((id, role)),
        SessionUser::Customer { .. } => None,
    }
}

fn action_response(out: Result<ActionOutcome, tickets::SupportError>, id: i64) -> Response {
    let back = format!("/admin/support/{id}");
    match out {
        Ok(ActionOutcome::Done) => Redirect::to(&back).into_response(),
        Ok(ActionOutcome::NotFound) => not_found(),
        Ok(ActionOutcome::NotAllowed) => {
            (StatusCode::FORBIDDEN, "Your role may only read tickets.").into_response()
        }
        Ok(ActionOutcome::Invalid) => {
            Redirect::to(&format!("{back}?problem=invalid")).into_response()
        }
        Err(e) => failed(e),
    }
}

async fn staff_status(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    axum::Extension(auth): axum::Extension<Auth>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let Some((staff, role)) = staff_of(auth) else {
        return not_found();
    };
    let to = f.get("status").cloned().unwrap_or_default();
    action_response(
        tickets::staff_set_status(&state, staff, role, id, &to, chrono::Utc::now()).await,
        id,
    )
}

async fn staff_assign(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    axum::Extension(auth): axum::Extension<Auth>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let Some((staff, role)) = staff_of(auth) else {
        return not_found();
    };
    let assignee = match f.get("assignee").map(|s| s.trim()) {
        None | Some("") => None,
        Some("me") => Some(staff),
        Some(v) => match v.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => return action_response(Ok(ActionOutcome::Invalid), id),
        },
    };
    action_response(
        tickets::assign(&state, staff, role, id, assignee, chrono::Utc::now()).await,
        id,
    )
}

async fn staff_classify(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    axum::Extension(auth): axum::Extension<Auth>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let Some((staff, role)) = staff_of(auth) else {
        return not_found();
    };
    let category = f.get("category").cloned().unwrap_or_default();
    let cause = f.get("cause").cloned().unwrap_or_default();
    action_response(
        tickets::classify(
            &state,
            staff,
            role,
            id,
            &category,
            &cause,
            chrono::Utc::now(),
        )
        .await,
        id,
    )
}

async fn holiday(
    State(state): State<AppState>,
    axum::Extension(auth): axum::Extension<Auth>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let Some((staff, role)) = staff_of(auth) else {
        return not_found();
    };
    let day = f.get("day").cloned().unwrap_or_default();
    let now = chrono::Utc::now();
    let out = if f.get("action").map(String::as_str) == Some("remove") {
        calendar::remove(&state.db, staff, role, &day, now).await
    } else {
        let ko = f.get("name_ko").cloned().unwrap_or_default();
        let en = f.get("name_en").cloned().unwrap_or_default();
        calendar::save(&state.db, staff, role, &day, &ko, &en, now).await
    };
    match out {
        Ok(calendar::HolidayOutcome::NotAllowed) => (
            StatusCode::FORBIDDEN,
            "Only administrators edit the holiday calendar.",
        )
            .into_response(),
        Ok(o) => Redirect::to(&format!("/admin/support/holidays?result={o:?}")).into_response(),
        Err(e) => failed(e),
    }
}
