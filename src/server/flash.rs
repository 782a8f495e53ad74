//! Form results for browsers without JavaScript.
//!
//! A no-JS form post is answered with a redirect (to the next page, or back to the form via
//! Referer), so a server function's result would be lost. The result therefore travels in a
//! short-lived HttpOnly cookie (60 s, never the password), which the middleware below takes
//! off the next page request and hands to the page through the request extensions. With
//! JavaScript the same result simply comes back as the server function's value.
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::{HeaderValue, header};
use serde::Serialize;

pub const COOKIE: &str = "apm_form";

/// The raw flash taken off this request: `{form}:{json}`.
#[derive(Debug, Clone)]
pub struct Flash(pub String);

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
    let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let Ok(json) = serde_json::to_string(value) else {
        return;
    };
    let encoded = URL_SAFE_NO_PAD.encode(format!("{form}:{json}"));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{COOKIE}={encoded}; Path=/; HttpOnly; SameSite=Lax; Max-Age=60"
    )) {
        res.append_header(header::SET_COOKIE, v);
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

pub async fn middleware(mut req: Request, next: Next) -> Response {
    let is_page = req.method() == http::Method::GET && !req.uri().path().starts_with("/api/");
    let raw = if is_page {
        super::auth::session::cookie_value(req.headers(), COOKIE).filter(|v| !v.is_empty())
    } else {
        None
    };
    let Some(raw) = raw else {
        return next.run(req).await;
    };
    if let Some(text) = URL_SAFE_NO_PAD
        .decode(raw.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
    {
        req.extensions_mut().insert(Flash(text));
    }
    let mut res = next.run(req).await;
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_static("apm_form=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    res
}
