//! Price versions in the admin view: every version, and a form for billing staff and
//! administrators to add one starting in a future month (audited). Others read only.
use super::AdminNav;
use crate::i18n::*;
use crate::model::billing::{NewPriceVersionOutcome, PricePage};
use crate::model::error::AppError;
use crate::pages::auth::guard::StaffOnly;
use crate::pages::billing::prices::PriceTableView;
use crate::pages::forms::{form_flash, form_result};
use crate::ui::fields::FormNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use std::collections::HashMap;

#[server(prefix = "/api", endpoint = "admin/prices")]
pub async fn admin_prices() -> Result<PricePage, AppError> {
    use crate::server::context;
    let (state, _, role) = context::require_staff()?;
    if !role.may_read_billing() {
        return Err(context::not_allowed());
    }
    crate::server::prices::page(&state, chrono::Utc::now())
        .await
        .map_err(context::internal)
}

/// `prices` maps `{kind}-{code}` (e.g. `metric-agent_hours`) to the unit price as typed.
#[server(prefix = "/api", endpoint = "admin/prices/add")]
pub async fn add_price_version(
    effective_from: String,
    #[server(default)] prices: HashMap<String, String>,
) -> Result<NewPriceVersionOutcome, AppError> {
    use crate::server::context;
    let (state, auth, role) = context::require_staff()?;
    let out = crate::server::prices::add_version(
        &state,
        &auth,
        role,
        &effective_from,
        &prices,
        chrono::Utc::now(),
    )
    .await
    .map_err(context::internal)?;
    crate::server::flash::stash("price_version", &out);
    Ok(out)
}

#[component]
pub fn AdminPricesPage() -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<AddPriceVersion>::new();
    let data = Resource::new(
        move || add.version().get(),
        |_| async move {
            let page = admin_prices().await;
            let flash = form_flash("price_version".into()).await.ok().flatten();
            (page, flash)
        },
    );
    view! {
        <StaffOnly>
            <Title text=move || t_string!(i18n, billing.prices_admin).to_string() />
            <section class="page">
                <h1>{t!(i18n, billing.prices_admin)}</h1>
                <AdminNav />
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            (Err(_), _) => view! { <p class="notice notice-error">{t!(i18n, admin.not_allowed)}</p> }.into_any(),
                            (Ok(p), flash) => view! { <PricesAdminView p add flash /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </StaffOnly>
    }
}

#[component]
fn PricesAdminView(
    p: PricePage,
    add: ServerAction<AddPriceVersion>,
    flash: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let result = form_result::<AddPriceVersion, NewPriceVersionOutcome>(add, flash);
    let ok = Signal::derive(move || match result.get() {
        Some(NewPriceVersionOutcome::Added { effective_from }) => {
            Some(t_string!(i18n, billing.price_version_added, month = effective_from).to_string())
        }
        _ => None,
    });
    let error = Signal::derive(move || match result.get()? {
        NewPriceVersionOutcome::Added { .. } => None,
        NewPriceVersionOutcome::NotAllowed => Some(t_string!(i18n, admin.not_allowed).to_string()),
        NewPriceVersionOutcome::Invalid { problems } => Some(
            problems
                .iter()
                .map(|code| match code.split(':').next().unwrap_or_default() {
                    "month_invalid" => t_string!(i18n, billing.month_invalid).to_string(),
                    "month_not_in_future" => {
                        t_string!(i18n, billing.month_not_in_future).to_string()
                    }
                    "month_taken" => t_string!(i18n, billing.month_taken).to_string(),
                    _ => format!(
                        "{} ({})",
                        t_string!(i18n, billing.price_invalid),
                        code.splitn(3, ':').nth(2).unwrap_or_default()
                    ),
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
    });
    // The form starts from the prices in force, so staff change only what changes.
    let template = p.current.clone().map(|v| v.items).unwrap_or_default();
    view! {
        <section class="panel">
            <h2>{t!(i18n, billing.add_price_version)}</h2>
            <p class="hint">{t!(i18n, billing.add_price_version_hint)}</p>
            <FormNotice message=ok success=true />
            <FormNotice message=error />
            <ActionForm action=add attr:class="form" attr:id="price-version-form">
                <div class="field">
                    <label for="effective_from">{t!(i18n, billing.effective_from)}</label>
                    <input id="effective_from" name="effective_from" placeholder="YYYY-MM" pattern="[0-9]{4}-[0-9]{2}" required />
                </div>
                {template.into_iter().map(|i| {
                    let id = format!("price-{}-{}", i.kind, i.code);
                    let name = format!("prices[{}-{}]", i.kind, i.code);
                    let label = if i18n.get_locale_untracked() == Locale::en { format!("{} ({})", i.name_en, i.unit_en) } else { format!("{} ({})", i.name_ko, i.unit_ko) };
                    view! {
                        <div class="field">
                            <label for=id.clone()>{label} " KRW"</label>
                            <input id=id name=name value=i.unit_price inputmode="decimal" required />
                        </div>
                    }
                }).collect_view()}
                <button type="submit" class="button primary">{t!(i18n, billing.add_price_version)}</button>
            </ActionForm>
        </section>
        <h2>{t!(i18n, billing.price_versions)}</h2>
        {p.all.into_iter().map(|v| view! {
            <h3>{t!(i18n, billing.effective_from)} " " {v.effective_from.clone()}</h3>
            <PriceTableView v test="price-version" />
        }).collect_view()}
    }
}
