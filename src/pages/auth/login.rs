use crate::i18n::*;
use crate::model::accounts::{LoginOutcome, LoginProblem};
use crate::model::error::AppError;
use crate::pages::forms::{WithFlash, action_failure, failure_text, form_result, go_to};
use crate::ui::fields::{Field, FormNotice};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Only paths of this site, so a crafted link cannot send someone elsewhere after log-in.
pub fn safe_next(next: &str) -> Option<String> {
    (next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') && next.len() < 300)
        .then(|| next.to_string())
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
    .map_err(context::internal)?;
    let kept_id: String = login_id.chars().take(40).collect();
    match result {
        LoginResult::Success { token, user } => {
            let default_next = if user.is_staff() {
                "/admin"
            } else {
                "/dashboard"
            };
            let next = next
                .as_deref()
                .and_then(safe_next)
                .unwrap_or_else(|| default_next.to_string());
            if let (Some(res), Some(cookie)) = (
                use_context::<leptos_axum::ResponseOptions>(),
                crate::server::auth::session::set_cookie(&token, state.settings.https()),
            ) {
                res.append_header(http::header::SET_COOKIE, cookie);
            }
            if flash::is_plain_form_post() {
                leptos_axum::redirect(&next);
            }
            Ok(LoginOutcome {
                ok: true,
                login_id: kept_id,
                problem: None,
                next,
                failure: None,
            })
        }
        LoginResult::Problem(p) => {
            let out = LoginOutcome {
                ok: false,
                login_id: kept_id,
                problem: Some(p),
                next: next.unwrap_or_default(),
                failure: None,
            };
            flash::stash("login", &out);
            Ok(out)
        }
    }
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
    Effect::new(move |_| {
        if let Some(Ok(o)) = action.value().get()
            && o.ok
        {
            go_to(&o.next);
        }
    });
    let next = move || {
        result
            .get()
            .map(|r| r.next)
            .filter(|n| !n.is_empty())
            .or_else(|| query.get().get("next"))
            .unwrap_or_default()
    };
    let problem = move || -> Option<String> {
        let r = result.get()?;
        if let Some(f) = r.failure {
            return Some(failure_text(t_string!(i18n, common.failure), &f));
        }
        Some(match r.problem? {
            LoginProblem::InvalidCredentials => t_string!(i18n, login.invalid).to_string(),
            LoginProblem::SlowDown { seconds } => {
                t_string!(i18n, login.slow_down, seconds = seconds).to_string()
            }
        })
    };
    let server_error = action_failure(action, t_string!(i18n, common.failure));
    let kept_id = move || result.get().map(|r| r.login_id).unwrap_or_default();
    view! {
        <Title text=move || t_string!(i18n, login.title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, login.title)}</h1>
            <FormNotice message=Signal::derive(move || problem().or_else(|| server_error.get())) />
            <ActionForm action=action attr:class="form" attr:novalidate=true>
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
