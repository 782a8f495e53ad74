//! Personal API tokens on the account page: create (shown once), list, revoke. Staff have
//! the same list on `/admin/account`: theirs open only `/api/v1/admin/` (see
//! `server::api_tokens::staff_from_bearer`), customers' everything else.
use crate::domain::api_token::{DEFAULT_EXPIRY_DAYS, EXPIRY_CHOICES};
use crate::i18n::*;
use crate::model::error::AppError;
use crate::model::projects::{ApiTokenView, NewTokenOutcome};
use crate::pages::auth::guard::is_signed_in;
use crate::pages::forms::form_flash;
use crate::ui::fields::FormNotice;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

#[server(prefix = "/api", endpoint = "account/tokens")]
pub async fn list_tokens() -> Result<Vec<ApiTokenView>, AppError> {
    use crate::server::context;
    let (state, auth) = context::require_signed_in()?;
    crate::server::api_tokens::list(&state.db, &auth, chrono::Utc::now())
        .await
        .map_err(context::internal)
}

/// With JavaScript the secret comes back as this function's value. Without it the result is
/// kept server-side (see `server::flash`) for the next page, shown once; never in a cookie.
#[server(prefix = "/api", endpoint = "account/tokens/create")]
pub async fn create_token(
    name: String,
    // Optional so that leaving it out is answered like a wrong password, not a bad request.
    current_password: Option<String>,
    expiry_days: Option<String>,
) -> Result<NewTokenOutcome, AppError> {
    use crate::server::{context, flash};
    let (state, auth) = context::require_signed_in()?;
    let out = crate::server::api_tokens::create(
        &state,
        &auth,
        &name,
        current_password.as_deref().unwrap_or_default(),
        expiry_days.as_deref(),
        chrono::Utc::now(),
    )
    .await
    .map_err(context::internal)?;
    flash::stash("token", &out);
    Ok(out)
}

#[server(prefix = "/api", endpoint = "account/tokens/revoke")]
pub async fn revoke_token(token_id: i64) -> Result<bool, AppError> {
    use crate::server::context;
    let (state, auth) = context::require_signed_in()?;
    crate::server::api_tokens::revoke(&state.db, &auth, token_id, chrono::Utc::now())
        .await
        .map_err(context::internal)
}

/// The token list and its actions. Created by the page itself, outside every Suspense (see
/// `AccountPage`), so the server and the browser number the resource alike.
#[derive(Clone, Copy)]
pub struct TokensState {
    create: ServerAction<CreateToken>,
    revoke: ServerAction<RevokeToken>,
    data: Resource<Option<(Vec<ApiTokenView>, Option<String>)>>,
}

impl TokensState {
    /// The token list of the signed-in account, and the actions that change it.
    pub fn load() -> Self {
        let signed_in = is_signed_in();
        let create = ServerAction::<CreateToken>::new();
        let revoke = ServerAction::<RevokeToken>::new();
        let data = Resource::new(
            move || (create.version().get(), revoke.version().get()),
            move |_| async move {
                if !signed_in {
                    return None;
                }
                Some((
                    list_tokens().await.unwrap_or_default(),
                    form_flash("token".into()).await.ok().flatten(),
                ))
            },
        );
        Self {
            create,
            revoke,
            data,
        }
    }
}

/// `staff`: the lead says where a staff token works (only `/api/v1/admin/`).
#[component]
pub fn ApiTokens(state: TokensState, #[prop(optional)] staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let TokensState {
        create,
        revoke,
        data,
    } = state;
    view! {
        <h2>{t!(i18n, tokens.title)}</h2>
        <p class="hint">{if staff { t_string!(i18n, tokens.staff_lead).to_string() } else { t_string!(i18n, tokens.lead).to_string() }}</p>
        <Suspense fallback=crate::ui::Loading>
            {move || Suspend::new(async move {
                let (tokens, flash) = data.await.unwrap_or_default();
                let from_flash: Option<NewTokenOutcome> = flash.and_then(|f| serde_json::from_str(&f).ok());
                let outcome = Signal::derive(move || create.value().get().and_then(|r| r.ok()).or_else(|| from_flash.clone()));
                view! {
                    {move || outcome.get().and_then(|o| match o { NewTokenOutcome::Created { secret, expires_at } => Some((secret, expires_at)), _ => None }).map(|(s, until)| view! {
                        <div class="notice notice-success" role="status">
                            <p>{t!(i18n, tokens.shown_once)}</p>
                            <code class="secret" data-test="token-secret">{s}</code>
                            <p>{t!(i18n, tokens.expires)} " " {until}</p>
                        </div>
                    })}
                    <FormNotice message=Signal::derive(move || outcome.get().and_then(|o| problem_text(i18n, &o))) />
                    <ActionForm action=create attr:class="form inline-form" attr:id="token-form">
                        <label for="token-name">{t!(i18n, tokens.name)}</label>
                        <input id="token-name" name="name" maxlength="50" required />
                        <label for="token-expiry">{t!(i18n, tokens.expiry)}</label>
                        <select id="token-expiry" name="expiry_days">
                            {EXPIRY_CHOICES.iter().map(|d| view! {
                                <option value={d.to_string()} selected={*d == DEFAULT_EXPIRY_DAYS}>{d.to_string()} " " {t!(i18n, tokens.days)}</option>
                            }).collect_view()}
                        </select>
                        <label for="token-password">{t!(i18n, fields.current_password)}</label>
                        <input id="token-password" name="current_password" type="password" autocomplete="current-password" required />
                        <button type="submit" class="button">{t!(i18n, tokens.create)}</button>
                    </ActionForm>
                    {if tokens.is_empty() {
                        view! { <p class="empty">{t!(i18n, tokens.empty)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="plain" data-test="tokens">
                                {tokens.into_iter().map(|t| view! {
                                    <li>
                                        <strong>{t.name}</strong> " " <code>{t.hint} "…"</code> " · " {t.created_at}
                                        " · " {if t.expired { t_string!(i18n, tokens.expired).to_string() } else { t_string!(i18n, tokens.expires).to_string() }} " " {t.expires_at}
                                        " · " {t!(i18n, tokens.last_used)} " " {t.last_used_at.unwrap_or_else(|| t_string!(i18n, tokens.never_used).to_string())}
                                        <ActionForm action=revoke attr:class="inline">
                                            <input type="hidden" name="token_id" value=t.id />
                                            <button type="submit" class="link-button danger">{t!(i18n, tokens.revoke)}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                }
            })}
        </Suspense>
    }
}

/// Every problem of a refused creation, in one line.
fn problem_text(i18n: I18nContext<Locale>, o: &NewTokenOutcome) -> Option<String> {
    match *o {
        NewTokenOutcome::Created { .. } => None,
        NewTokenOutcome::LimitReached { token_limit } => {
            Some(t_string!(i18n, tokens.limit_reached, limit = token_limit).to_string())
        }
        NewTokenOutcome::Invalid {
            name_invalid,
            expiry_invalid,
            wrong_password,
        } => {
            let parts = [
                name_invalid.then(|| t_string!(i18n, tokens.name_invalid).to_string()),
                expiry_invalid.then(|| t_string!(i18n, tokens.expiry_invalid).to_string()),
                wrong_password.then(|| t_string!(i18n, errors.wrong_password).to_string()),
            ];
            Some(parts.into_iter().flatten().collect::<Vec<_>>().join(" "))
        }
    }
}
