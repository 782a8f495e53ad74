//! The staff area. Customers (and visitors) get a 404 here, never a hint it exists.
pub mod account;
pub mod audit;
pub mod billing_invoices;
pub mod billing_prices;
pub mod credit_policy;
pub mod faq_draft;
pub mod help;
pub mod help_article;
pub mod incidents;
pub mod platform_tokens;
pub mod projects;
pub mod sla;
pub mod support;
pub mod support_holidays;
pub mod support_ticket;

use crate::i18n::*;
use crate::pages::auth::guard::StaffOnly;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::params::ParamsMap;

#[component]
pub fn AdminHomePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <StaffOnly>
            <Title text=td_string!(i18n.get_locale_untracked(), admin.title).to_string() />
            <section class="page">
                <h1>{t!(i18n, admin.title)}</h1>
                <AdminNav />
                <p>{t!(i18n, admin.intro)}</p>
            </section>
        </StaffOnly>
    }
}

#[component]
pub fn AdminNav() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="subnav" aria-label=move || t_string!(i18n, admin.title)>
            <a href="/admin">{t!(i18n, admin.home)}</a>
            <a href="/admin/projects">{t!(i18n, admin.projects)}</a>
            <a href="/admin/support">{crate::pages::support::tr("지원", "Support")}</a>
            <a href="/admin/audit">{t!(i18n, admin.audit)}</a>
            <a href="/admin/invoices">{t!(i18n, billing.invoices)}</a>
            <a href="/admin/prices">{t!(i18n, billing.prices_admin)}</a>
            <a href="/admin/sla">{crate::pages::sla::tr("SLA 운영", "SLA")}</a>
            <a href="/admin/platform-tokens">{t!(i18n, billing.platform_tokens)}</a>
            <a href="/admin/help">{crate::pages::help::tr("도움말", "Help")}</a>
            <a href="/admin/incidents">{move || if i18n.get_locale() == Locale::en { "Incidents" } else { "장애 기록" }}</a>
            <a href="/admin/account">{t!(i18n, admin.account)}</a>
        </nav>
    }
}

/// The `?page=` of a staff list; anything missing or unreadable is the first page.
fn page_param(query: &ParamsMap) -> i64 {
    query
        .get("page")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
}
