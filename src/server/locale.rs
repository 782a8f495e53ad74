//! Language switch that works without JavaScript: a plain link sets leptos_i18n's cookie
//! and goes back to the page the visitor was on.
use crate::domain::redirect::SafeNext;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use http::{HeaderValue, header};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// leptos_i18n reads this cookie first when choosing the locale (then Accept-Language).
pub const COOKIE: &str = "i18n_pref_locale";

pub async fn switch(Path(lang): Path<String>, Query(q): Query<Next>) -> Response {
    let lang = match lang.as_str() {
        "ko" | "en" => lang,
        _ => "ko".to_string(),
    };
    // Only local paths: an open redirect would let a phishing link borrow our domain.
    let next = SafeNext::or(q.next.as_deref(), "/");
    let mut res = Redirect::to(&next).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{COOKIE}={lang}; Path=/; SameSite=Lax; Max-Age=31536000"
    )) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}
