//! The customer's home after log-in.
use crate::i18n::*;
use crate::pages::auth::guard::CustomerOnly;
use crate::pages::layout::use_user;
use crate::pages::projects::notifications::Notifications;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let welcome = move || query.get().get("welcome").is_some();
    let user = use_user();
    let projects = crate::pages::projects::list::projects_resource(user);
    let notifications = Notifications::new(user);
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), dashboard.title).to_string() />
        <CustomerOnly>
            <section class="page">
                <Show when=welcome>
                    <div class="notice notice-success" role="status">{t!(i18n, dashboard.welcome)}</div>
                </Show>
                <h1>{t!(i18n, dashboard.title)}</h1>
                <crate::pages::projects::list::ProjectList projects notifications />
            </section>
        </CustomerOnly>
    }
}
