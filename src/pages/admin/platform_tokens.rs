//! Platform tokens in the admin view (administrators): create one (its secret shown once),
//! see each token's scope and last use, revoke.
use super::AdminNav;
use crate::i18n::*;
use crate::model::billing::{NewPlatformTokenOutcome, PlatformTokenView};
use crate::model::error::AppError;
use crate::pages::auth::guard::StaffOnly;
use crate::pages::forms::{form_flash, form_result};
use crate::ui::fields::FormNotice;
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/api", endpoint = "admin/platform_tokens")]
pub async fn platform_tokens() -> Result<Vec<PlatformTokenView>, AppError> {
    use crate::server::context;
    let (state, _, role) = context::require_staff()?;
    if !role.may_manage_platform_tokens() {
        return Err(context::not_allowed());
    }
    crate::server::platform_tokens::list(&state.db)
        .await
        .map_err(context::internal)
}

#[server(prefix = "/api", endpoint = "admin/platform_tokens/create")]
pub async fn create_platform_token(
    name: String,
    scope: String,
) -> Result<NewPlatformTokenOutcome, AppError> {
    use crate::server::context;
    let (state, auth, role) = context::require_staff()?;
    let out = crate::server::platform_tokens::create_from_form(
        &state.db,
        &auth,
        role,
        &name,
        &scope,
        chrono::Utc::now(),
    )
    .await
    .map_err(context::internal)?;
    crate::server::flash::stash("platform_token", &out);
    Ok(out)
}

#[server(prefix = "/api", endpoint = "admin/platform_tokens/revoke")]
pub async fn revoke_platform_token(token_id: i64) -> Result<bool, AppError> {
    use crate::server::context;
    let (state, auth, role) = context::require_staff()?;
    crate::server::platform_tokens::revoke(&state.db, &auth, role, token_id, chrono::Utc::now())
        .await
        .map_err(context::internal)
}

#[component]
pub fn AdminPlatformTokensPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreatePlatformToken>::new();
    let revoke = ServerAction::<RevokePlatformToken>::new();
    let data = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| async move {
            let list = platform_tokens().await;
            let flash = form_flash("platform_token".into()).await.ok().flatten();
            (list, flash)
        },
    );
    view! {
        <StaffOnly>
            <Title text=move || t_string!(i18n, billing.platform_tokens).to_string() />
            <section class="page">
                <h1>{t!(i18n, billing.platform_tokens)}</h1>
                <AdminNav />
                <p class="hint">{t!(i18n, billing.platform_tokens_lead)}</p>
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        let (list, flash) = data.await;
                        match list {
                            Err(_) => view! { <p class="notice notice-error">{t!(i18n, admin.not_allowed)}</p> }.into_any(),
                            Ok(tokens) => view! { <TokensView tokens create revoke flash /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </StaffOnly>
    }
}

#[component]
fn TokensView(
    tokens: Vec<PlatformTokenView>,
    create: ServerAction<CreatePlatformToken>,
    revoke: ServerAction<RevokePlatformToken>,
    flash: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let result = form_result::<CreatePlatformToken, NewPlatformTokenOutcome>(create, flash);
    let created = move || match result.get() {
        Some(NewPlatformTokenOutcome::Created { secret, scope }) => Some((secret, scope)),
        _ => None,
    };
    let problem = Signal::derive(move || match result.get()? {
        NewPlatformTokenOutcome::Created { .. } => None,
        NewPlatformTokenOutcome::NotAllowed => Some(t_string!(i18n, admin.not_allowed).to_string()),
        NewPlatformTokenOutcome::Invalid {
            name_invalid,
            scope_invalid,
        } => {
            let mut parts = Vec::new();
            if name_invalid {
                parts.push(t_string!(i18n, tokens.name_invalid).to_string());
            }
            if scope_invalid {
                parts.push(t_string!(i18n, billing.scope_invalid).to_string());
            }
            Some(parts.join(" "))
        }
    });
    view! {
        {move || created().map(|(secret, scope)| view! {
            <div class="notice notice-success" role="status">
                <p>{t!(i18n, tokens.shown_once)} " (" {scope} ")"</p>
                <code class="secret" data-test="platform-token-secret">{secret}</code>
            </div>
        })}
        <FormNotice message=problem />
        <ActionForm action=create attr:class="form inline-form" attr:id="platform-token-form">
            <label for="pt-name">{t!(i18n, tokens.name)}</label>
            <input id="pt-name" name="name" maxlength="50" required />
            <label for="pt-scope">{t!(i18n, billing.scope)}</label>
            <select id="pt-scope" name="scope">
                <option value="usage" selected=true>"usage"</option>
                <option value="probes">"probes"</option>
            </select>
            <button type="submit" class="button">{t!(i18n, tokens.create)}</button>
        </ActionForm>
        {if tokens.is_empty() {
            view! { <p class="empty">{t!(i18n, billing.no_platform_tokens)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                <table data-test="platform-tokens">
                    <thead><tr>
                        <th scope="col">{t!(i18n, tokens.name)}</th>
                        <th scope="col">{t!(i18n, billing.scope)}</th>
                        <th scope="col">{t!(i18n, admin.created)}</th>
                        <th scope="col">{t!(i18n, tokens.last_used)}</th>
                        <th scope="col">{t!(i18n, admin.state)}</th>
                    </tr></thead>
                    <tbody>
                        {tokens.into_iter().map(|t| view! {
                            <tr>
                                <td><strong>{t.name}</strong> " " <code>{t.hint} "…"</code></td>
                                <td class="mono">{t.scope}</td>
                                <td>{t.created_at} " · " {t.created_by.unwrap_or_else(|| "CLI".to_string())}</td>
                                <td>{t.last_used_at.unwrap_or_else(|| t_string!(i18n, tokens.never_used).to_string())}</td>
                                <td>{match t.revoked_at {
                                    Some(at) => view! { <span>{t!(i18n, billing.revoked)} " " {at}</span> }.into_any(),
                                    None => view! {
                                        <ActionForm action=revoke attr:class="inline">
                                            <input type="hidden" name="token_id" value=t.id />
                                            <button type="submit" class="link-button danger">{t!(i18n, tokens.revoke)}</button>
                                        </ActionForm>
                                    }.into_any(),
                                }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            }.into_any()
        }}
    }
}
