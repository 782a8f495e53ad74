//! Sign-up: the form, the password checklist while typing, and the server function.
use super::messages;
use crate::domain::account::{PasswordRule, password_checklist};
use crate::i18n::*;
use crate::model::accounts::{SignUpErrors, SignUpOutcome};
use crate::model::error::AppError;
use crate::pages::forms::{WithFlash, action_failure, form_result};
use crate::ui::fields::{Field, FormNotice};
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/api", endpoint = "auth/sign_up")]
pub async fn sign_up(
    login_id: String,
    password: String,
    password_confirm: String,
    name: String,
    company: Option<String>,
    email: String,
    phone: String,
    agree_terms: Option<String>,
    agree_privacy: Option<String>,
) -> Result<SignUpOutcome, AppError> {
    use crate::server::accounts::{LoginResult, SignUpInput, log_in, sign_up};
    use crate::server::{context, flash};
    let state = context::state()?;
    let input = SignUpInput {
        login_id,
        password,
        password_confirm,
        name,
        company: company.unwrap_or_default(),
        email,
        phone,
        agree_terms: agree_terms.is_some(),
        agree_privacy: agree_privacy.is_some(),
    };
    let ip = context::client_ip();
    let now = chrono::Utc::now();
    let result = sign_up(&state, &input, &ip, now)
        .await
        .map_err(context::service_failure)?;
    match result {
        Err(errors) => {
            let out = SignUpOutcome::Refused {
                values: input.kept_values(),
                errors,
            };
            flash::stash("signup", &out);
            Ok(out)
        }
        Ok(_) => {
            // Signed in straight away: asking for the password just typed helps nobody.
            let login = log_in(
                &state,
                &input.login_id,
                &input.password,
                context::auth().as_ref(),
                &ip,
                &context::user_agent(),
                now,
            )
            .await
            .map_err(context::internal)?;
            if let LoginResult::LoggedIn { user, .. } = &login
                && let Err(e) = crate::server::db::users::set_language(
                    &state.db,
                    user.id(),
                    context::page_language(),
                )
                .await
            {
                // The account is made; only its mail would be in Korean until it switches.
                tracing::error!(error = %e, "storing the new account's language failed");
            }
            if let LoginResult::LoggedIn { token, .. } = login
                && let (Some(res), Some(cookie)) = (
                    use_context::<leptos_axum::ResponseOptions>(),
                    crate::server::auth::session::set_cookie(&token, state.settings.https()),
                )
            {
                res.append_header(http::header::SET_COOKIE, cookie);
            }
            if flash::is_plain_form_post() {
                leptos_axum::redirect("/dashboard?welcome=1");
            }
            Ok(SignUpOutcome::SignedUp)
        }
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    view! { <WithFlash form="signup" render=|flash| view! { <SignUpForm flash /> } /> }
}

#[component]
fn SignUpForm(flash: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignUp>::new();
    let result = form_result::<SignUp, SignUpOutcome>(action, flash);
    // After a refused no-JS submission the page is rendered anew: everything but the
    // passwords (consents included) comes back as the visitor left it.
    let kept = result
        .get_untracked()
        .map(|r| r.values())
        .unwrap_or_default();
    let (checklist_login_id, checklist_email) = (kept.login_id.clone(), kept.email.clone());
    let rule_labels: Vec<(PasswordRule, String)> = PasswordRule::ALL
        .into_iter()
        .map(|r| (r, messages::password_rule(i18n, r)))
        .collect();
    let errors = move || result.get().map(|r| r.errors()).unwrap_or_default();
    let err = move |f: fn(&SignUpErrors) -> Option<String>| Signal::derive(move || f(&errors()));

    let login_id_error = {
        let e = errors;
        Signal::derive(move || e().login_id.map(|p| messages::login_id(i18n, p)))
    };
    let password_error = Signal::derive(move || messages::password(i18n, &errors().password));
    let confirm_error = Signal::derive(move || {
        errors()
            .password_mismatch
            .then(|| t_string!(i18n, errors.password_mismatch).to_string())
    });
    let name_error = Signal::derive(move || errors().name.map(|p| messages::name(i18n, p)));
    let company_error = Signal::derive(move || errors().company.map(|p| messages::name(i18n, p)));
    let email_error = Signal::derive(move || errors().email.map(|p| messages::email(i18n, p)));
    let phone_error = Signal::derive(move || errors().phone.map(|p| messages::phone(i18n, p)));
    let terms_error = err(|e| e.terms_missing.then(String::new));
    let privacy_error = err(|e| e.privacy_missing.then(String::new));
    let summary = move || -> Option<String> {
        let r = result.get()?;
        (!r.errors().is_empty()).then(|| t_string!(i18n, signup.fix_errors).to_string())
    };
    let server_error = action_failure(action, t_string!(i18n, common.failure));

    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), signup.title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, signup.title)}</h1>
            <p class="lead">{t!(i18n, signup.lead)}</p>
            <FormNotice message=Signal::derive(move || summary().or_else(|| server_error.get())) />
            <ActionForm action=action attr:class="form" attr:novalidate=true attr:id="signup-form">
                <Field id="login_id" label=Signal::derive(move || t_string!(i18n, fields.login_id).to_string())
                    hint=Signal::derive(move || Some(t_string!(i18n, signup.login_id_hint).to_string())) error=login_id_error>
                    <input id="login_id" name="login_id" autocomplete="username" autocapitalize="none"
                        spellcheck="false" maxlength="40" required aria-describedby="login_id-error login_id-hint"
                        value=kept.login_id.clone() />
                </Field>
                <Field id="password" label=Signal::derive(move || t_string!(i18n, fields.password).to_string()) error=password_error>
                    <input id="password" name="password" type="password" autocomplete="new-password"
                        required aria-describedby="password-error password-rules" />
                    <PasswordChecklist rule_labels login_id=checklist_login_id email=checklist_email />
                </Field>
                <Field id="password_confirm" label=Signal::derive(move || t_string!(i18n, fields.password_confirm).to_string()) error=confirm_error>
                    <input id="password_confirm" name="password_confirm" type="password" autocomplete="new-password"
                        required aria-describedby="password_confirm-error" />
                </Field>
                <Field id="name" label=Signal::derive(move || t_string!(i18n, fields.name).to_string()) error=name_error>
                    <input id="name" name="name" autocomplete="name" maxlength="50" required
                        aria-describedby="name-error" value=kept.name.clone() />
                </Field>
                <Field id="company" label=Signal::derive(move || t_string!(i18n, fields.company_optional).to_string()) error=company_error>
                    <input id="company" name="company" autocomplete="organization" maxlength="100"
                        aria-describedby="company-error" value=kept.company.clone() />
                </Field>
                <Field id="email" label=Signal::derive(move || t_string!(i18n, fields.email).to_string()) error=email_error>
                    <input id="email" name="email" type="email" autocomplete="email" maxlength="254" required
                        aria-describedby="email-error" value=kept.email.clone() />
                </Field>
                <Field id="phone" label=Signal::derive(move || t_string!(i18n, fields.phone).to_string())
                    hint=Signal::derive(move || Some(t_string!(i18n, signup.phone_hint).to_string())) error=phone_error>
                    <input id="phone" name="phone" type="tel" autocomplete="tel" inputmode="tel" maxlength="20" required
                        aria-describedby="phone-error phone-hint" value=kept.phone.clone() />
                </Field>
                <fieldset class="consents">
                    <legend>{t!(i18n, signup.consents)}</legend>
                    <div class="consent" class:field-invalid=move || terms_error.get().is_some()>
                        <input type="checkbox" id="agree_terms" name="agree_terms" value="on" checked=kept.agree_terms aria-describedby="agree_terms-error" />
                        <label for="agree_terms">{t!(i18n, signup.agree_terms)}</label>
                        " " <a href="/terms" target="_blank" rel="noopener">{t!(i18n, signup.read)}</a>
                        <p class="field-error" id="agree_terms-error" role="alert">
                            {move || terms_error.get().map(|_| t_string!(i18n, errors.consent_required))}
                        </p>
                    </div>
                    <div class="consent" class:field-invalid=move || privacy_error.get().is_some()>
                        <input type="checkbox" id="agree_privacy" name="agree_privacy" value="on" checked=kept.agree_privacy aria-describedby="agree_privacy-error" />
                        <label for="agree_privacy">{t!(i18n, signup.agree_privacy)}</label>
                        " " <a href="/privacy" target="_blank" rel="noopener">{t!(i18n, signup.read)}</a>
                        <p class="field-error" id="agree_privacy-error" role="alert">
                            {move || privacy_error.get().map(|_| t_string!(i18n, errors.consent_required))}
                        </p>
                    </div>
                </fieldset>
                <button type="submit" class="button primary wide" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { t_string!(i18n, common.working) } else { t_string!(i18n, signup.submit) }}
                </button>
            </ActionForm>
            <p class="aside">{t!(i18n, signup.have_account)} " " <a href="/login">{t!(i18n, signup.to_login)}</a></p>
        </section>
    }
}

/// The password rules, ticked off while the visitor types: the page's one island, so the only
/// part of it that runs in the browser (the server checks the rules again on submission).
/// It listens on `window` for the `input` events of the form's fields, which stay plain
/// server HTML, and takes the rules' texts as props because islands have no i18n context.
#[island]
fn PasswordChecklist(
    rule_labels: Vec<(PasswordRule, String)>,
    login_id: String,
    email: String,
) -> impl IntoView {
    let (login_id, set_login_id) = signal(login_id);
    let (email, set_email) = signal(email);
    let (password, set_password) = signal(String::new());
    let listener = window_event_listener(leptos::ev::input, move |ev| {
        use leptos::wasm_bindgen::JsCast;
        let Some(field) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        match field.id().as_str() {
            "login_id" => set_login_id.set(field.value()),
            "password" => set_password.set(field.value()),
            "email" => set_email.set(field.value()),
            _ => {}
        }
    });
    on_cleanup(move || listener.remove());
    let checklist =
        Memo::new(move |_| password_checklist(&password.get(), &login_id.get(), &email.get()));
    let label = move |rule: PasswordRule| {
        rule_labels
            .iter()
            .find(|(r, _)| *r == rule)
            .map(|(_, text)| text.clone())
            .unwrap_or_default()
    };
    let list = NodeRef::<leptos::html::Ul>::new();
    Effect::new(move |_| {
        if let Some(ul) = list.get() {
            crate::ui::mark_island_live(&ul);
        }
    });
    view! {
        <ul id="password-rules" class="checklist" aria-live="polite" node_ref=list>
            {move || checklist.get().into_iter().map(|(rule, ok)| view! {
                <li class:ok=ok data-rule=rule.code()>
                    <span class="mark" aria-hidden="true">{if ok { "✓" } else { "•" }}</span>
                    {label(rule)}
                    <span class="sr-only">{if ok { " ✓" } else { "" }}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}
