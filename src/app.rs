//! The shell, the router and the language context.
use crate::i18n::*;
use crate::pages;
use crate::pages::layout::Layout;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, SsrMode, path};

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
                // `defer`: the page is complete server HTML whose forms work without JavaScript, so
                // the WASM is fetched at low priority and starts when the browser is first idle,
                // after the first paint instead of competing with it (issue 15).
                <HydrationScripts options defer=true />
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
                    // Every page is a lazy route (`Lazy::<XRoute>`): its code is its own WASM
                    // chunk, so the first load carries only the shell and the page shown, and
                    // the admin area never reaches a customer. All staff paths share one lazy
                    // route, `AdminAreaRoute` (pages/admin/area.rs says why). README: "How to
                    // add a page".
                    <Routes fallback=pages::not_found::NotFound>
                        <Route path=path!("/") view={Lazy::<pages::home::HomeRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/terms") view={Lazy::<pages::legal::TermsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/privacy") view={Lazy::<pages::legal::PrivacyRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/login") view={Lazy::<pages::auth::login::LoginRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/signup") view={Lazy::<pages::auth::signup::SignUpRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/dashboard") view={Lazy::<pages::dashboard::DashboardRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/account") view={Lazy::<pages::account::AccountRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/projects/new") view={Lazy::<pages::projects::new::NewProjectRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id") view={Lazy::<pages::projects::detail::ProjectRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin") view={Lazy::<pages::admin::area::AdminAreaRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/projects") view={Lazy::<pages::admin::area::AdminAreaRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/projects/:id") view={Lazy::<pages::admin::area::AdminAreaRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/audit") view={Lazy::<pages::admin::area::AdminAreaRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/account") view={Lazy::<pages::admin::area::AdminAreaRoute>::new()} ssr=SsrMode::Async />
                        // Support (issue 16)
                        <Route path=path!("/support") view={Lazy::<pages::support::list::SupportListRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/support/new") view={Lazy::<pages::support::new::NewTicketRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/support/tickets/:id") view={Lazy::<pages::support::ticket::TicketRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/support") view={Lazy::<pages::admin::area::AdminAreaRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/support/holidays") view={Lazy::<pages::admin::area::AdminAreaRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/support/:id") view={Lazy::<pages::admin::area::AdminAreaRoute>::new()} ssr=SsrMode::Async />
                        // Usage and billing (issue 18): one block.
                        <Route path=path!("/prices") view={Lazy::<pages::billing::prices::PricesRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/usage") view={Lazy::<pages::billing::usage::UsageRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/sla") view={Lazy::<pages::sla::statements::StatementsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/sla/:month") view={Lazy::<pages::sla::statement::StatementRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/projects/:id/sla/:month/print") view={Lazy::<pages::sla::statement::StatementPrintRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/invoices") view={Lazy::<pages::billing::invoices::InvoicesRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/invoices/:id") view={Lazy::<pages::billing::invoices::InvoiceRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/invoices/:id/print") view={Lazy::<pages::billing::invoices::InvoicePrintRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/invoices") view={Lazy::<pages::admin::area::AdminAreaRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/invoices/:id") view={Lazy::<pages::admin::area::AdminAreaRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/platform-tokens") view={Lazy::<pages::admin::area::AdminAreaRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/prices") view={Lazy::<pages::admin::area::AdminAreaRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/sla") view={Lazy::<pages::admin::area::AdminAreaRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/sla/policy") view={Lazy::<pages::admin::area::AdminAreaRoute>::new()} ssr=SsrMode::Async />
                        // End of usage and billing.
                        // Incidents (issue 17, R6.1 and R8.1).
                        <Route path=path!("/incidents") view={Lazy::<pages::incidents::IncidentsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/incidents") view={Lazy::<pages::admin::area::AdminAreaRoute>::new()} ssr=SsrMode::Async />
                        // Help (issue 16, R8.1, R8.4): every public help page is one lazy route,
                        // `HelpAreaRoute` (pages/help/area.rs), like the staff area's.
                        <Route path=path!("/help") view={Lazy::<pages::help::area::HelpAreaRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/help/manual") view={Lazy::<pages::help::area::HelpAreaRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/help/faq") view={Lazy::<pages::help::area::HelpAreaRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/help/sla") view={Lazy::<pages::help::area::HelpAreaRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/help/notices") view={Lazy::<pages::help::area::HelpAreaRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/help/compensation") view={Lazy::<pages::help::area::HelpAreaRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/help") view={Lazy::<pages::admin::area::AdminAreaRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/admin/help/:id") view={Lazy::<pages::admin::area::AdminAreaRoute>::new()} ssr=SsrMode::Async />
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
