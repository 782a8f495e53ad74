//! The customer's account: contact details, password, API tokens.
use crate::i18n::*;
use crate::model::accounts::{AccountView, ContactOutcome, ContactValues, PasswordChangeOutcome};
use crate::model::error::AppError;
use crate::pages::account_tokens::{ApiTokens, TokensState};
use crate::pages::auth::guard::{CustomerOnly, is_customer};
use crate::pages::auth::messages;
use crate::pages::forms::{action_failure, form_flash, form_result};
use crate::ui::fields::{Field, FormNotice};
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/api", endpoint = "account/view")]
pub async fn load_account() -> Result<AccountView, AppError> {
    use crate::server::context;
    let (state, auth) = context::require_customer()?;
    crate::server::accounts::account_view(&state, auth.user.id())
        .await
        .map_err(context::internal)?
        .ok_or_else(context::not_found)
}

/// Customers and staff (from `/admin/account`) alike; see `accounts::change_password`.
#[server(prefix = "/api", endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_confirm: String,
) -> Result<PasswordChangeOutcome, AppError> {
    use crate::server::{context, flash};
    let state = context::state()?;
    let auth = context::auth().ok_or_else(context::not_found)?;
    let changed = crate::server::accounts::change_password(
        &state,
        &auth,
        &current_password,
        &new_password,
        &new_password_confirm,
        &context::client_ip(),
        &context::user_agent(),
        chrono::Utc::now(),
    )
    .await
    .map_err(context::service_failure)?;
    if let Some(token) = changed.new_session_token
        && let (Some(res), Some(cookie)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            crate::server::auth::session::set_cookie(&token, state.settings.https()),
        )
    {
        res.append_header(http::header::SET_COOKIE, cookie);
    }
    flash::stash("password", &changed.outcome);
    Ok(changed.outcome)
}

#[server(prefix = "/api", endpoint = "account/contact")]
pub async fn update_contact(
    name: String,
    company: Option<String>,
    email: String,
    phone: String,
) -> Result<ContactOutcome, AppError> {
    use crate::server::{context, flash};
    let (state, auth) = context::require_customer()?;
    let values = ContactValues {
        name,
        company: company.unwrap_or_default(),
        email,
        phone,
    };
    let out = crate::server::accounts::update_contact(&state, &auth, values, chrono::Utc::now())
        .await
        .map_err(context::internal)?;
    flash::stash("contact", &out);
    Ok(out)
}

/// What the account page shows: the account, and what no-JS submissions of its two forms left.
type AccountData = (
    Result<AccountView, AppError>,
    Option<String>,
    Option<String>,
);

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    // The page's resources are created here, outside the guard's Suspense. While rendering on
    // the server a Suspense re-runs its children (`dry_resolve`), so a resource created inside
    // is created several times, each taking the next serialized-data id; the browser creates
    // it once and reads another resource's data under its id. The token list read the
    // account's, failed to decode, loaded anew and hydrated its loading fallback over the
    // server's HTML: the hydration panic (tachys hydration.rs "unreachable") on /account.
    let customer = is_customer();
    let data: Resource<Option<AccountData>> = Resource::new(
        || (),
        move |_| async move {
            if !customer {
                return None;
            }
            let view = load_account().await;
            let contact = form_flash("contact".into()).await.ok().flatten();
            let password = form_flash("password".into()).await.ok().flatten();
            Some((view, contact, password))
        },
    );
    let tokens = TokensState::load();
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), account.title).to_string() />
        <CustomerOnly>
            <AccountSections data tokens />
        </CustomerOnly>
    }
}

#[component]
fn AccountSections(data: Resource<Option<AccountData>>, tokens: TokensState) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page narrow">
            <h1>{t!(i18n, account.title)}</h1>
            <Suspense fallback=crate::ui::Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Some((Ok(v), contact_flash, password_flash)) => leptos::either::Either::Left(view! {
                            <p class="meta">{t!(i18n, fields.login_id)} ": " <strong>{v.login_id.clone()}</strong></p>
                            <ContactForm initial=v.contact.clone() flash=contact_flash />
                            <PasswordForm flash=password_flash />
                            <ApiTokens state=tokens />
                            <h2>{t!(i18n, account.consents)}</h2>
                            <ul class="plain">
                                {v.consents.iter().map(|c| view! {
                                    <li>{c.kind.clone()} " v" {c.version.clone()} " · " {c.accepted_at.clone()}</li>
                                }).collect_view()}
                            </ul>
                        }),
                        _ => leptos::either::Either::Right(view! { <p>{t!(i18n, common.failure)}</p> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ContactForm(initial: ContactValues, flash: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<UpdateContact>::new();
    let result = form_result::<UpdateContact, ContactOutcome>(action, flash);
    let kept = result
        .get_untracked()
        .map(|r| r.values().clone())
        .filter(|v| !v.email.is_empty())
        .unwrap_or(initial);
    let ok = move || matches!(result.get(), Some(ContactOutcome::Saved { .. }));
    let server_error = action_failure(action, t_string!(i18n, common.failure));
    let notice = Signal::derive(move || {
        ok().then(|| t_string!(i18n, account.saved).to_string())
            .or_else(|| server_error.get())
    });
    view! {
        <h2>{t!(i18n, account.contact)}</h2>
        {move || if ok() {
            view! { <FormNotice message=notice success=true /> }.into_any()
        } else {
            view! { <FormNotice message=notice /> }.into_any()
        }}
        <ActionForm action=action attr:class="form" attr:novalidate=true attr:id="contact-form">
            <Field id="name" label=Signal::derive(move || t_string!(i18n, fields.name).to_string())
                error=Signal::derive(move || result.get().and_then(|r| r.problems().name).map(|p| messages::name(i18n, p)))>
                <input id="name" name="name" autocomplete="name" maxlength="50" required value=kept.name.clone() aria-describedby="name-error" />
            </Field>
            <Field id="company" label=Signal::derive(move || t_string!(i18n, fields.company_optional).to_string())
                error=Signal::derive(move || result.get().and_then(|r| r.problems().company).map(|p| messages::name(i18n, p)))>
                <input id="company" name="company" autocomplete="organization" maxlength="100" value=kept.company.clone() aria-describedby="company-error" />
            </Field>
            <Field id="email" label=Signal::derive(move || t_string!(i18n, fields.email).to_string())
                error=Signal::derive(move || result.get().and_then(|r| r.problems().email).map(|p| messages::email(i18n, p)))>
                <input id="email" name="email" type="email" autocomplete="email" maxlength="254" required value=kept.email.clone() aria-describedby="email-error" />
            </Field>
            <Field id="phone" label=Signal::derive(move || t_string!(i18n, fields.phone).to_string())
                error=Signal::derive(move || result.get().and_then(|r| r.problems().phone).map(|p| messages::phone(i18n, p)))>
                <input id="phone" name="phone" type="tel" inputmode="tel" maxlength="20" required value=kept.phone.clone() aria-describedby="phone-error" />
            </Field>
            <button type="submit" class="button primary" disabled=move || action.pending().get()>{t!(i18n, account.save)}</button>
        </ActionForm>
    }
}

/// Also the staff's form on `/admin/account`.
#[component]
pub fn PasswordForm(flash: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ChangePassword>::new();
    let result = form_result::<ChangePassword, PasswordChangeOutcome>(action, flash);
    let server_error = action_failure(action, t_string!(i18n, common.failure));
    let changed = move || matches!(result.get(), Some(PasswordChangeOutcome::Changed));
    let notice = Signal::derive(move || {
        changed()
            .then(|| t_string!(i18n, account.password_changed).to_string())
            .or_else(|| server_error.get())
    });
    view! {
        <h2>{t!(i18n, account.password)}</h2>
        {move || if changed() {
            view! { <FormNotice message=notice success=true /> }.into_any()
        } else {
            view! { <FormNotice message=notice /> }.into_any()
        }}
        <ActionForm action=action attr:class="form" attr:novalidate=true attr:id="password-form">
            <Field id="current_password" label=Signal::derive(move || t_string!(i18n, fields.current_password).to_string())
                error=Signal::derive(move || result.get().filter(|r| r.problems().wrong_current).map(|_| t_string!(i18n, errors.wrong_password).to_string()))>
                <input id="current_password" name="current_password" type="password" autocomplete="current-password" required aria-describedby="current_password-error" />
            </Field>
            <Field id="new_password" label=Signal::derive(move || t_string!(i18n, fields.new_password).to_string())
                error=Signal::derive(move || result.get().and_then(|r| messages::password(i18n, &r.problems().password)))>
                <input id="new_password" name="new_password" type="password" autocomplete="new-password" required aria-describedby="new_password-error" />
            </Field>
            <Field id="new_password_confirm" label=Signal::derive(move || t_string!(i18n, fields.password_confirm).to_string())
                error=Signal::derive(move || result.get().filter(|r| r.problems().mismatch).map(|_| t_string!(i18n, errors.password_mismatch).to_string()))>
                <input id="new_password_confirm" name="new_password_confirm" type="password" autocomplete="new-password" required aria-describedby="new_password_confirm-error" />
            </Field>
            <button type="submit" class="button primary" disabled=move || action.pending().get()>{t!(i18n, account.change_password)}</button>
        </ActionForm>
    }
}
