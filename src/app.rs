//! The shell, the router and the language context.
use crate::bundle::{IslandScripts, Stylesheet};
use crate::domain::help::HelpKind;
use crate::i18n::*;
use crate::pages;
use crate::pages::layout::Layout;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document around the app. Its CSP carries the nonce leptos_axum generated for this
/// response, which leptos also puts on its inline hydration script, so nothing else inline runs.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(v) = http::HeaderValue::from_str(&crate::server::http::page_csp(&nonce))
    {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
    }
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                // Mobile Safari turns numbers into links and breaks hydration (leptos #4450 notes).
                <meta
                    name="format-detection"
                    content="telephone=no, date=no, email=no, address=no"
                />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <Stylesheet options=options.clone() />
                // Islands: the page is complete server HTML whose forms work without JavaScript;
                // the WASM holds only the `#[island]` components, and only a page that has one
                // loads it, when the browser is first idle (issue 15, src/bundle.rs).
                <IslandScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider>
            <AppTitle />
            <Router>
                <Layout>
                    // Async SSR: every page is sent complete, so it reads right without
                    // JavaScript (out-of-order streaming needs a script to place content).
                    // Every page is a server component; only `#[island]`s inside pages run in the
                    // browser (README "How a page is built").
                    <Routes fallback=pages::not_found::NotFound>
                        <Route path=path!("/") view=pages::home::HomePage ssr=SsrMode::Async />
                        <Route path=path!("/terms") view=pages::legal::TermsPage ssr=SsrMode::Async />
                        <Route path=path!("/privacy") view=pages::legal::PrivacyPage ssr=SsrMode::Async />
                        <Route path=path!("/login") view=pages::auth::login::LoginPage ssr=SsrMode::Async />
                        <Route path=path!("/signup") view=pages::auth::signup::SignUpPage ssr=SsrMode::Async />
                        <Route path=path!("/dashboard") view=pages::dashboard::DashboardPage ssr=SsrMode::Async />
                        <Route path=path!("/account") view=pages::account::AccountPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/new") view=pages::projects::new::NewProjectPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id") view=pages::projects::detail::ProjectPage ssr=SsrMode::Async />
                        <Route path=path!("/admin") view=pages::admin::AdminHomePage ssr=SsrMode::Async />
                        <Route path=path!("/admin/projects") view=pages::admin::projects::AdminProjectsPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/projects/:id") view=pages::admin::projects::AdminProjectPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/audit") view=pages::admin::audit::AdminAuditPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/account") view=pages::admin::account::AdminAccountPage ssr=SsrMode::Async />
                        // Support (issue 16)
                        <Route path=path!("/support") view=pages::support::list::SupportListPage ssr=SsrMode::Async />
                        <Route path=path!("/support/new") view=pages::support::new::NewTicketPage ssr=SsrMode::Async />
                        <Route path=path!("/support/tickets/:id") view=pages::support::ticket::TicketPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/support") view=pages::admin::support::AdminSupportQueuePage ssr=SsrMode::Async />
                        <Route path=path!("/admin/support/holidays") view=pages::admin::support_holidays::AdminHolidaysPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/support/:id") view=pages::admin::support_ticket::AdminTicketPage ssr=SsrMode::Async />
                        // Usage and billing (issue 18): one block.
                        <Route path=path!("/prices") view=pages::billing::prices::PricesPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/usage") view=pages::billing::usage::UsagePage ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/sla") view=pages::sla::statements::StatementsPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/sla/:month") view=pages::sla::statement::StatementPage ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/sla/:month/print") view=pages::sla::statement::StatementPrintPage ssr=SsrMode::Async />
                        <Route path=path!("/invoices") view=pages::billing::invoices::InvoicesPage ssr=SsrMode::Async />
                        <Route path=path!("/invoices/:id") view=pages::billing::invoices::InvoicePage ssr=SsrMode::Async />
                        <Route path=path!("/invoices/:id/print") view=pages::billing::invoices::InvoicePrintPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/invoices") view=pages::admin::billing_invoices::AdminInvoicesPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/invoices/:id") view=pages::admin::billing_invoices::AdminInvoicePage ssr=SsrMode::Async />
                        <Route path=path!("/admin/platform-tokens") view=pages::admin::platform_tokens::AdminPlatformTokensPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/prices") view=pages::admin::billing_prices::AdminPricesPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/sla") view=pages::admin::sla::AdminSlaPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/sla/policy") view=pages::admin::credit_policy::AdminCreditPolicyPage ssr=SsrMode::Async />
                        // End of usage and billing.
                        // Incidents (issue 17, R6.1 and R8.1).
                        <Route path=path!("/incidents") view=pages::incidents::IncidentsPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/incidents") view=pages::admin::incidents::AdminIncidentsPage ssr=SsrMode::Async />
                        // Help (issue 16, R8.1, R8.4).
                        <Route path=path!("/help") view=pages::help::index::HelpIndexPage ssr=SsrMode::Async />
                        <Route path=path!("/help/manual") view=|| view! { <pages::help::articles::HelpArticlesPage kind=HelpKind::Manual /> } ssr=SsrMode::Async />
                        <Route path=path!("/help/faq") view=pages::help::faq::HelpFaqPage ssr=SsrMode::Async />
                        <Route path=path!("/help/sla") view=|| view! { <pages::help::articles::HelpArticlesPage kind=HelpKind::Sla /> } ssr=SsrMode::Async />
                        <Route path=path!("/help/notices") view=|| view! { <pages::help::articles::HelpArticlesPage kind=HelpKind::Notice /> } ssr=SsrMode::Async />
                        <Route path=path!("/help/compensation") view=pages::sla::compensation::CompensationPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/help") view=pages::admin::help::AdminHelpPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/help/:id") view=pages::admin::help_article::AdminHelpArticlePage ssr=SsrMode::Async />
                    </Routes>
                </Layout>
            </Router>
        </I18nContextProvider>
    }
}

/// The brand after every page title. Titles are plain strings, never closures over signals:
/// leptos_meta reads them after the page's reactive owner may have been disposed (under load
/// that panicked on /dashboard), and a language change is a full page load anyway.
#[component]
fn AppTitle() -> impl IntoView {
    let i18n = use_i18n();
    let brand = td_string!(i18n.get_locale_untracked(), brand).to_string();
    view! { <Title formatter=move |t: String| {
        if t.is_empty() { brand.clone() } else { format!("{t} · {brand}") }
    } /> }
}
