//! Personal API tokens on the account page: create (shown once), list, revoke.
use crate::i18n::*;
use crate::model::error::AppError;
use crate::model::projects::{ApiTokenView, NewTokenOutcome};
use crate::pages::forms::form_flash;
use crate::ui::fields::FormNotice;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "account/tokens")]
pub async fn list_tokens() -> Result<Vec<ApiTokenView>, AppError> {
    use crate::domain::kst::{format_kst, from_millis};
    use crate::server::context;
    let (state, auth) = context::require_customer()?;
    let rows = crate::server::db::api_tokens::active_for_user(&state.db, auth.user.id())
        .await
        .map_err(context::internal)?;
    Ok(rows
        .into_iter()
        .map(|t| ApiTokenView {
            id: t.id,
            name: t.name,
            hint: t.token_hint,
            created_at: from_millis(t.created_at)
                .map(format_kst)
                .unwrap_or_default(),
            last_used_at: t.last_used_at.and_then(from_millis).map(format_kst),
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "account/tokens/create")]
pub async fn create_token(name: String) -> Result<NewTokenOutcome, AppError> {
    use crate::server::{api_tokens, context, flash};
    let (state, auth) = context::require_customer()?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 50 || name.chars().any(char::is_control) {
        let out = NewTokenOutcome {
            secret: None,
            name_invalid: true,
        };
        flash::stash("token", &out);
        return Ok(out);
    }
    let secret = api_tokens::new_secret();
    let hint: String = secret.chars().take(10).collect();
    crate::server::db::api_tokens::insert(
        &state.db,
        auth.user.id(),
        name,
        &crate::server::auth::session::hash_token(&secret),
        &hint,
        crate::domain::kst::to_millis(chrono::Utc::now()),
    )
    .await
    .map_err(context::internal)?;
    let out = NewTokenOutcome {
        secret: Some(secret),
        name_invalid: false,
    };
    flash::stash("token", &out);
    Ok(out)
}

#[server(prefix = "/api", endpoint = "account/tokens/revoke")]
pub async fn revoke_token(token_id: i64) -> Result<bool, AppError> {
    use crate::server::context;
    let (state, auth) = context::require_customer()?;
    crate::server::db::api_tokens::revoke(
        &state.db,
        auth.user.id(),
        token_id,
        crate::domain::kst::to_millis(chrono::Utc::now()),
    )
    .await
    .map_err(context::internal)
}

#[component]
pub fn ApiTokens() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let data = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| async move {
            (
                list_tokens().await.unwrap_or_default(),
                form_flash("token".into()).await.ok().flatten(),
            )
        },
    );
    view! {
        <h2>{t!(i18n, tokens.title)}</h2>
        <p class="hint">{t!(i18n, tokens.lead)}</p>
        <Suspense fallback=crate::ui::Loading>
            {move || Suspend::new(async move {
                let (tokens, flash) = data.await;
                let from_flash: Option<NewTokenOutcome> = flash.and_then(|f| serde_json::from_str(&f).ok());
                let outcome = Signal::derive(move || create.value().get().and_then(|r| r.ok()).or_else(|| from_flash.clone()));
                view! {
                    {move || outcome.get().and_then(|o| o.secret).map(|s| view! {
                        <div class="notice notice-success" role="status">
                            <p>{t!(i18n, tokens.shown_once)}</p>
                            <code class="secret" data-test="token-secret">{s}</code>
                        </div>
                    })}
                    <FormNotice message=Signal::derive(move || outcome.get().filter(|o| o.name_invalid).map(|_| t_string!(i18n, tokens.name_invalid).to_string())) />
                    <ActionForm action=create attr:class="form inline-form" attr:id="token-form">
                        <label for="token-name">{t!(i18n, tokens.name)}</label>
                        <input id="token-name" name="name" maxlength="50" required />
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
                                        {t.last_used_at.map(|u| view! { " · " {t!(i18n, tokens.last_used)} " " {u} })}
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
