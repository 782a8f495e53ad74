use crate::i18n::*;
use crate::model::accounts::{BUSY_RETRY_AFTER_SECONDS, LoginOutcome};
use crate::model::error::AppError;
use crate::pages::forms::{WithFlash, action_failure, form_result};
use crate::ui::fields::{Field, FormNotice};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Only paths of this site, so a crafted link cannot send someone elsewhere after log-in.
pub fn safe_next(next: &str) -> Option<String> {
    crate::domain::redirect::SafeNext::parse(next).map(|n| n.into_string())
}

#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn log_in(
    login_id: String,
    password: String,
    next: Option<String>,
) -> Result<LoginOutcome, AppError> {
    use crate::server::accounts::{LoginResult, log_in};
    use crate::server::{context, flash};
    let state = context::state()?;
    let previous = context::auth();
    let result = log_in(
        &state,
        &login_id,
        &password,
        previous.as_ref(),
        &context::client_ip(),
        &context::user_agent(),
        chrono::Utc::now(),
    )
    .await
    .map_err(context::service_failure)?;
    let login_id: String = login_id.chars().take(40).collect();
    let next = next.as_deref().and_then(safe_next);
    let out = match result {
        LoginResult::LoggedIn { token, user } => {
            let default_next = if user.is_staff() {
                "/admin"
            } else {
                "/dashboard"
            };
            let next = next.unwrap_or_else(|| default_next.to_string());
            if let (Some(res), Some(cookie)) = (
                use_context::<leptos_axum::ResponseOptions>(),
                crate::server::auth::session::set_cookie(&token, state.settings.https()),
            ) {
                res.append_header(http::header::SET_COOKIE, cookie);
            }
            if flash::is_plain_form_post() {
                leptos_axum::redirect(&next);
            }
            return Ok(LoginOutcome::LoggedIn { next });
        }
        LoginResult::Busy { seconds } => {
            // A program or the hydrated page gets 503 + Retry-After at once; a browser without
            // JavaScript is sent back to the form, which says to try again shortly.
            if !flash::is_plain_form_post() {
                return Err(context::busy(seconds.unsigned_abs()));
            }
            LoginOutcome::Busy {
                seconds,
                login_id,
                next: next.unwrap_or_default(),
            }
        }
        LoginResult::InvalidCredentials => LoginOutcome::InvalidCredentials {
            login_id,
            next: next.unwrap_or_default(),
        },
        LoginResult::SlowDown { seconds } => LoginOutcome::SlowDown {
            seconds,
            login_id,
            next: next.unwrap_or_default(),
        },
    };
    flash::stash("login", &out);
    Ok(out)
}

#[component]
pub fn LoginPage() -> impl IntoView {
    view! { <WithFlash form="login" render=|flash| view! { <LoginForm flash /> } /> }
}

#[component]
fn LoginForm(flash: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let action = ServerAction::<LogIn>::new();
    let result = form_result::<LogIn, LoginOutcome>(action, flash);
    let next = move || {
        result
            .get()
            .map(|r| r.next().to_string())
            .filter(|n| !n.is_empty())
            .or_else(|| query.get().get("next"))
            .unwrap_or_default()
    };
    let problem = move || -> Option<String> {
        Some(match result.get()? {
            LoginOutcome::LoggedIn { .. } => return None,
            LoginOutcome::InvalidCredentials { .. } => t_string!(i18n, login.invalid).to_string(),
            LoginOutcome::SlowDown { seconds, .. } => {
                t_string!(i18n, login.slow_down, seconds = seconds).to_string()
            }
            LoginOutcome::Busy { seconds, .. } => {
                t_string!(i18n, login.busy, seconds = seconds).to_string()
            }
        })
    };
    // The hydrated page gets a full queue as a 503 error (see `log_in`): same message.
    let busy = Signal::derive(move || {
        matches!(action.value().get(), Some(Err(AppError::Busy { .. })))
            .then(|| t_string!(i18n, login.busy, seconds = BUSY_RETRY_AFTER_SECONDS).to_string())
    });
    let server_error = action_failure(action, t_string!(i18n, common.failure));
    let kept_id = move || {
        result
            .get()
            .map(|r| r.kept_login_id().to_string())
            .unwrap_or_default()
    };
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), login.title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, login.title)}</h1>
            <FormNotice message=Signal::derive(move || problem().or_else(|| busy.get()).or_else(|| server_error.get())) />
            <ActionForm action=action attr:class="form" attr:id="login-form" attr:novalidate=true>
                <input type="hidden" name="next" prop:value=next />
                <Field id="login_id" label=Signal::derive(move || t_string!(i18n, fields.login_id).to_string()) error=Signal::derive(|| None::<String>)>
                    <input
                        id="login_id"
                        name="login_id"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        required
                        value=kept_id
                    />
                </Field>
                <Field id="password" label=Signal::derive(move || t_string!(i18n, fields.password).to_string()) error=Signal::derive(|| None::<String>)>
                    <input id="password" name="password" type="password" autocomplete="current-password" required />
                </Field>
                <button type="submit" class="button primary wide" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { t_string!(i18n, common.working) } else { t_string!(i18n, login.submit) }}
                </button>
            </ActionForm>
            <p class="aside">{t!(i18n, login.no_account)} " " <a href="/signup">{t!(i18n, login.to_signup)}</a></p>
        </section>
    }
}
