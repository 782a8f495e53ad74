//! Language switch that works without JavaScript: a plain link sets leptos_i18n's cookie
//! and goes back to the page the visitor was on. A signed-in account keeps the choice too, so
//! mail sent while they are away is in their language.
use super::auth::session::Auth;
use super::startup::AppState;
use crate::domain::language::Language;
use crate::domain::redirect::SafeNext;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::{HeaderValue, header};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// leptos_i18n reads this cookie first when choosing the locale (then Accept-Language).
pub const COOKIE: &str = "i18n_pref_locale";

pub async fn switch(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    Path(lang): Path<String>,
    Query(q): Query<Next>,
) -> Response {
    let language = Language::from_code(&lang).unwrap_or_default();
    let lang = language.code();
    if let Some(session) = auth.0 {
        // The page still switches if this fails; only later mail would be in the old language.
        if let Err(e) = super::db::users::set_language(&state.db, session.user.id(), language).await
        {
            tracing::error!(error = %e, "storing the account's language failed");
        }
    }
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
