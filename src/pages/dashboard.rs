//! The customer's home after log-in.
use crate::i18n::*;
use crate::model::error::AppError;
use crate::model::projects::DashboardView;
use crate::pages::auth::guard::CustomerOnly;
use crate::pages::auth::guard::is_customer;
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

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let welcome = move || query.get().get("welcome").is_some();
    let customer = is_customer();
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let dashboard = Resource::new(
        move || {
            let page = query.get().get("page").and_then(|p| p.parse::<i64>().ok());
            (page, mark.version().get())
        },
        move |(page, _)| async move {
            // For anyone else the server function answers 404, which would override the
            // guard's redirect to the log-in page; the guard shows nothing of this anyway.
            if !customer {
                return Err(AppError::NotFound);
            }
            read_dashboard(page).await
        },
    );
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), dashboard.title).to_string() />
        <CustomerOnly>
            <section class="page">
                <Show when=welcome>
                    <div class="notice notice-success" role="status">{t!(i18n, dashboard.welcome)}</div>
                </Show>
                <h1>{t!(i18n, dashboard.title)}</h1>
                <crate::pages::projects::list::ProjectList dashboard mark />
            </section>
        </CustomerOnly>
    }
}
