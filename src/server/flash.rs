//! Form results for browsers without JavaScript.
//!
//! A no-JS form post is answered with a redirect (to the next page, or back to the form via
//! Referer), so a server function's result would be lost. The result is therefore kept in the
//! database for at most 60 s, and the browser gets only a random key for it in an HttpOnly
//! cookie; the next page request takes it (deleting it: shown once) and hands it to the page
//! through the request extensions. A result may hold a secret (a new API token) or personal
//! data (sign-up details), which must never travel in a cookie. It is read back only by the
//! same account (or visitor) that made it. With JavaScript the result simply comes back as the
//! server function's value and nothing is stored.
use super::auth::session::{Auth, cookie_value, hash_token, new_token};
use super::db::form_flashes;
use super::startup::AppState;
use crate::domain::kst::to_millis;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderValue, header};
use serde::Serialize;
use std::sync::{Arc, Mutex};

pub const COOKIE: &str = "apm_form";
const LIFETIME_MS: i64 = 60_000;

/// The raw flash taken off this request: `{form}:{json}`.
#[derive(Debug, Clone)]
pub struct Flash(pub String);

/// Where a server function leaves its result for the middleware to store once it returns.
#[derive(Debug, Clone, Default)]
struct Pending(Arc<Mutex<Option<String>>>);

/// Does the current server-function request come from a plain HTML form (no JavaScript)?
pub fn is_plain_form_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// Keeps `value` for the form's next rendering, when there is no JavaScript to receive it.
pub fn stash<T: Serialize>(form: &str, value: &T) {
    if !is_plain_form_post() {
        return;
    }
    let Some(parts) = leptos::prelude::use_context::<http::request::Parts>() else {
        return;
    };
    let (Some(pending), Ok(json)) = (
        parts.extensions.get::<Pending>(),
        serde_json::to_string(value),
    ) else {
        return;
    };
    if let Ok(mut slot) = pending.0.lock() {
        *slot = Some(format!("{form}:{json}"));
    }
}

/// The same as [`stash`] for a plain axum form handler (multipart forms with files), which
/// is always a no-JavaScript post: it has the request's extensions instead of a context.
pub fn stash_in<T: Serialize>(extensions: &http::Extensions, form: &str, value: &T) {
    let (Some(pending), Ok(json)) = (extensions.get::<Pending>(), serde_json::to_string(value))
    else {
        return;
    };
    if let Ok(mut slot) = pending.0.lock() {
        *slot = Some(format!("{form}:{json}"));
    }
}

/// The stashed result for `form` on this page request, if any.
pub fn take(form: &str) -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let flash = parts.extensions.get::<Flash>()?;
    flash
        .0
        .split_once(':')
        .filter(|(f, _)| *f == form)
        .map(|(_, json)| json.to_string())
}

fn user_id(req: &Request) -> i64 {
    req.extensions()
        .get::<Auth>()
        .and_then(|a| a.0.as_ref().map(|s| s.user.id()))
        .unwrap_or(0)
}

/// Runs inside the session layer, so it knows whose result it keeps or hands out.
pub async fn middleware(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let now = to_millis(chrono::Utc::now());
    let user = user_id(&req);
    let is_page = req.method() == http::Method::GET && !req.uri().path().starts_with("/api/");
    let key = if is_page {
        cookie_value(req.headers(), COOKIE).filter(|v| !v.is_empty())
    } else {
        None
    };
    if let Some(key) = &key {
        match form_flashes::take(&state.db, &hash_token(key), user, now).await {
            Ok(Some(text)) => {
                req.extensions_mut().insert(Flash(text));
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "form result lookup failed"),
        }
    }
    let pending = Pending::default();
    req.extensions_mut().insert(pending.clone());
    let mut res = next.run(req).await;
    if key.is_some() {
        res.headers_mut().append(
            header::SET_COOKIE,
            HeaderValue::from_static("apm_form=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
        );
    }
    let stashed = pending.0.lock().ok().and_then(|mut s| s.take());
    if let Some(body) = stashed {
        let key = new_token();
        match form_flashes::insert(
            &state.db,
            &hash_token(&key),
            user,
            &body,
            now,
            now + LIFETIME_MS,
        )
        .await
        {
            Ok(()) => {
                if let Ok(v) = HeaderValue::from_str(&format!(
                    "{COOKIE}={key}; Path=/; HttpOnly; SameSite=Lax; Max-Age=60"
                )) {
                    res.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            // The action itself succeeded; only its no-JS echo is lost.
            Err(e) => tracing::error!(error = %e, "form result not kept"),
        }
    }
    res
}
