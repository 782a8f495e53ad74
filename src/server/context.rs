//! What a server function or a server-rendered page knows about its request.
use super::auth::client_ip::ClientIp;
use super::auth::{Auth, AuthSession};
use super::http::RequestId;
use super::startup::AppState;
use crate::model::error::AppError;
use crate::model::{SessionUser, StaffRole};
use leptos::prelude::use_context;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| internal("no application state in context"))
}

fn parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

pub fn auth() -> Option<AuthSession> {
    parts().and_then(|p| p.extensions.get::<Auth>().and_then(|a| a.0.clone()))
}

pub fn client_ip() -> String {
    parts()
        .and_then(|p| p.extensions.get::<ClientIp>().map(|ip| ip.0.to_string()))
        .unwrap_or_else(|| "unknown".into())
}

pub fn user_agent() -> String {
    parts()
        .and_then(|p| {
            p.headers
                .get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(|s| s.chars().take(300).collect())
        })
        .unwrap_or_default()
}

/// The language the visitor is reading the portal in (cookie, then Accept-Language, then ko).
pub fn page_language() -> crate::domain::language::Language {
    let headers = parts().map(|p| p.headers).unwrap_or_default();
    let cookie = super::auth::session::cookie_value(&headers, super::locale::COOKIE);
    let accept = headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    crate::domain::language::choose(cookie.as_deref(), accept)
}

pub fn request_id() -> String {
    parts()
        .and_then(|p| p.extensions.get::<RequestId>().map(|r| r.0.clone()))
        .unwrap_or_default()
}

/// Logs the cause with the request id and gives the browser nothing but the id.
pub fn internal(e: impl std::fmt::Display) -> AppError {
    let request_id = request_id();
    tracing::error!(request_id = %request_id, error = %e, "internal error");
    AppError::Internal { request_id }
}

/// Too many password checks waiting: 503 with Retry-After at once, rather than a queue
/// without end. The page shows its "busy" message for the `server_busy` code.
pub fn busy(retry_after_seconds: u64) -> AppError {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::SERVICE_UNAVAILABLE);
        if let Ok(v) = http::HeaderValue::from_str(&retry_after_seconds.to_string()) {
            res.insert_header(http::header::RETRY_AFTER, v);
        }
    }
    AppError::Busy {
        retry_after_secs: retry_after_seconds,
    }
}

/// An account use case failed: busy (503) or internal (500, logged with the request id).
pub fn service_failure(e: super::accounts::ServiceError) -> AppError {
    if e.is_busy() {
        busy(super::auth::password::BUSY_RETRY_AFTER_SECONDS)
    } else {
        internal(e)
    }
}

/// Not signed in, or not the right kind of account: indistinguishable from a missing page.
pub fn not_found() -> AppError {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    AppError::NotFound
}

/// Signed in, but this role may not (403): staff see that the page exists but is not theirs.
pub fn not_allowed() -> AppError {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::FORBIDDEN);
    }
    AppError::NotAllowed
}

pub fn require_customer() -> Result<(AppState, AuthSession), AppError> {
    let state = state()?;
    match auth() {
        Some(a) if matches!(a.user, SessionUser::Customer { .. }) => Ok((state, a)),
        _ => Err(not_found()),
    }
}

/// Any signed-in account, customer or staff (their own API tokens, say).
pub fn require_signed_in() -> Result<(AppState, AuthSession), AppError> {
    let state = state()?;
    match auth() {
        Some(a) => Ok((state, a)),
        None => Err(not_found()),
    }
}

pub fn require_staff() -> Result<(AppState, AuthSession, StaffRole), AppError> {
    let state = state()?;
    match auth() {
        Some(a) => match a.user {
            SessionUser::Staff { role, .. } => Ok((state, a, role)),
            SessionUser::Customer { .. } => Err(not_found()),
        },
        None => Err(not_found()),
    }
}
