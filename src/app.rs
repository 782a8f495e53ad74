//! The shell, the router and the language context.
use crate::i18n::*;
use crate::pages;
use crate::pages::layout::Layout;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
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
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
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
    // Lets browser tests (and curious people) see when the page has become interactive.
    #[cfg(feature = "hydrate")]
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <I18nContextProvider>
            <AppTitle />
            <Router>
                <Layout>
                    // Async SSR: every page is sent complete, so it reads right without
                    // JavaScript (out-of-order streaming needs a script to place content).
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
                        <Route path=path!("/invoices") view=pages::billing::invoices::InvoicesPage ssr=SsrMode::Async />
                        <Route path=path!("/invoices/:id") view=pages::billing::invoices::InvoicePage ssr=SsrMode::Async />
                        <Route path=path!("/invoices/:id/print") view=pages::billing::invoices::InvoicePrintPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/invoices") view=pages::admin::billing_invoices::AdminInvoicesPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/invoices/:id") view=pages::admin::billing_invoices::AdminInvoicePage ssr=SsrMode::Async />
                        <Route path=path!("/admin/platform-tokens") view=pages::admin::platform_tokens::AdminPlatformTokensPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/prices") view=pages::admin::billing_prices::AdminPricesPage ssr=SsrMode::Async />
                        // End of usage and billing.
                    </Routes>
                </Layout>
            </Router>
        </I18nContextProvider>
    }
}

#[component]
fn AppTitle() -> impl IntoView {
    let i18n = use_i18n();
    view! { <Title formatter=move |t: String| {
        let brand = td_string!(i18n.get_locale_untracked(), brand);
        if t.is_empty() { brand.to_string() } else { format!("{t} · {brand}") }
    } /> }
}
