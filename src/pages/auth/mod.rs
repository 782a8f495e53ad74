//! Sign-up, log-in, log-out and the signed-in account.
pub mod guard;
pub mod login;
pub mod messages;
pub mod signup;

use crate::model::SessionUser;
use crate::model::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    Ok(crate::server::context::auth().map(|a| a.user))
}

#[server(prefix = "/api", endpoint = "auth/logout")]
pub async fn log_out() -> Result<(), AppError> {
    use crate::server::context;
    let state = context::state()?;
    if let Some(current) = context::auth() {
        crate::server::accounts::log_out(&state, &current)
            .await
            .map_err(context::internal)?;
    }
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.append_header(
            http::header::SET_COOKIE,
            crate::server::auth::session::clear_cookie(state.settings.https()),
        );
    }
    if crate::server::flash::is_plain_form_post() {
        leptos_axum::redirect("/");
    }
    Ok(())
}
