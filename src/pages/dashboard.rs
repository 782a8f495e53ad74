//! The customer's home after log-in.
use crate::i18n::*;
use crate::model::error::AppError;
use crate::model::projects::DashboardView;
use crate::pages::auth::guard::CustomerOnly;
use crate::pages::projects::notifications::MarkNotificationsRead;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(prefix = "/api", endpoint = "dashboard/read")]
pub async fn read_dashboard(page: Option<i64>) -> Result<DashboardView, AppError> {
    use crate::server::context;
    let (state, auth) = context::require_customer()?;
    crate::server::dashboard::read(&state, auth.user.user_id(), page, chrono::Utc::now())
        .await
        .map_err(context::internal)
}

/// Every page is a server component (README "How a page is built"), so the dashboard reads
/// its data with a plain future awaited once in the response (a bare `Suspend` in an
/// `SsrMode::Async` route) rather than a `Resource` in a `<Suspense>`: a suspense on the
/// server builds its content two or three times per request, and the dashboard is the page
/// customers open most (issue 15).
#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map().get_untracked();
    let welcome = query.get("welcome").is_some();
    let page = query.get("page").and_then(|p| p.parse::<i64>().ok());
    let mark = ServerAction::<MarkNotificationsRead>::new();
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), dashboard.title).to_string() />
        <CustomerOnly>
            <section class="page">
                {welcome.then(|| view! {
                    <div class="notice notice-success" role="status">{t!(i18n, dashboard.welcome)}</div>
                })}
                <h1>{t!(i18n, dashboard.title)}</h1>
                // Made inside the guard's children, so only a customer's render reads.
                {Suspend::new(async move {
                    let dashboard = read_dashboard(page).await;
                    view! { <crate::pages::projects::list::ProjectList dashboard mark /> }
                })}
            </section>
        </CustomerOnly>
    }
}
