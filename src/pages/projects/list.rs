//! The dashboard's list of the customer's projects: a card each, with its month so far.
use super::labels;
use super::notifications::{MarkNotificationsRead, NotificationList};
use crate::i18n::*;
use crate::model::error::AppError;
use crate::model::projects::{
    DashboardView, Estimate, ListPage, MonthToDate, ProjectListPage, ProjectSummary,
};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "projects/list")]
pub async fn list_projects(page: Option<i64>) -> Result<ProjectListPage, AppError> {
    use crate::server::context;
    let (state, auth) = context::require_customer()?;
    crate::server::projects::list_page(&state, auth.user.user_id(), page, chrono::Utc::now())
        .await
        .map_err(context::internal)
}

/// Previous / next links for a paged list; nothing when it fits on one page.
#[component]
pub fn Pager(
    page: ListPage,
    /// The URL of another page, from its number.
    href: Callback<i64, String>,
) -> impl IntoView {
    let i18n = use_i18n();
    (page.pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label="pages">
                <span>{t!(i18n, projects.page_of, page = page.page, pages = page.pages)}</span>
                {(page.page > 1).then(|| view! { <a href=href.run(page.page - 1)>{t!(i18n, projects.prev)}</a> })}
                {(page.page < page.pages).then(|| view! { <a href=href.run(page.page + 1)>{t!(i18n, projects.next)}</a> })}
            </nav>
        }
    })
}

/// The dashboard's notifications and project cards, from one read (`server::dashboard`).
#[component]
pub fn ProjectList(
    dashboard: Result<DashboardView, AppError>,
    mark: ServerAction<MarkNotificationsRead>,
) -> impl IntoView {
    let i18n = use_i18n();
    match dashboard {
        Ok(DashboardView { projects: list, notifications }) => view! {
            <NotificationList items=notifications mark />
            <ProjectsHead />
            {if list.projects.is_empty() && list.page.page == 1 {
                view! {
                    <div class="empty" data-test="empty-projects">
                        <h3>{t!(i18n, projects.empty_title)}</h3>
                        <p>{t!(i18n, projects.empty_body)}</p>
                        <a class="button primary" href="/projects/new">{t!(i18n, projects.create_first)}</a>
                    </div>
                }.into_any()
            } else {
                view! {
                    <ul class="cards" data-test="project-list">
                        {list.projects.into_iter().map(|p| view! { <ProjectCard p /> }).collect_view()}
                    </ul>
                    <Pager page=list.page href=Callback::new(|n| format!("?page={n}")) />
                }.into_any()
            }}
        }.into_any(),
        Err(_) => view! {
            <ProjectsHead />
            <p class="notice notice-error">{t!(i18n, common.failure)}</p>
        }.into_any(),
    }
}

#[component]
fn ProjectsHead() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="section-head">
            <h2>{t!(i18n, projects.title)}</h2>
            <a class="button primary" href="/projects/new">{t!(i18n, projects.create)}</a>
        </div>
    }
}

#[component]
fn ProjectCard(p: ProjectSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/projects/{}", p.id);
    let state_class = format!("badge state-{}", p.state.code());
    view! {
        <li class="card">
            <a class="card-title" href=href>{p.name.clone()}</a>
            <p class="address">{p.address.clone()}</p>
            <p class="badges">
                <span class=format!("badge plan-{}", p.plan.code())>{labels::plan(i18n, p.plan)}</span>
                <span class=state_class>{labels::state(i18n, p.state)}</span>
            </p>
            <dl class="facts">
                {p.days_left.map(|d| view! {
                    <dt>{t!(i18n, projects.days_left)}</dt>
                    <dd data-test="days-left">{t!(i18n, projects.days, count = move || d)}</dd>
                })}
                <dt>{t!(i18n, projects.targets)}</dt>
                <dd>{match p.target_limit {
                    Some(l) => format!("{} / {}", p.target_count, l),
                    None => p.target_count.to_string(),
                }}</dd>
            </dl>
            {p.month_to_date.map(|m| view! { <MonthToDateFacts m project_id=p.id.0 /> })}
            // Statements come for paid projects; the project page links them for every project.
            {(p.plan == crate::domain::plan::Plan::Paid).then(|| view! {
                <p><a href=format!("/projects/{}/sla", p.id) data-test="card-sla-link">{t!(i18n, nav.statements)}</a></p>
            })}
        </li>
    }
}

/// This month's usage per metric and the estimated charge, linking to the usage page.
#[component]
fn MonthToDateFacts(m: MonthToDate, project_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let en = i18n.get_locale_untracked() == Locale::en;
    let estimate = match m.estimate {
        Estimate::Krw(n) => crate::pages::billing::invoices::krw(n),
        Estimate::FreePlan => t_string!(i18n, month_to_date.free).to_string(),
        Estimate::NoPrices => t_string!(i18n, month_to_date.no_prices).to_string(),
    };
    view! {
        <section class="usage-mtd" data-test="month-to-date">
            <a href=format!("/projects/{project_id}/usage")>{t!(i18n, month_to_date.title)} " (" {m.month.clone()} ")"</a>
            <dl class="facts">
                {m.metrics.into_iter().map(|t| {
                    let (name, unit) = if en { (t.name_en, t.unit_en) } else { (t.name_ko, t.unit_ko) };
                    view! { <dt>{name}</dt><dd class="num">{t.total} " " {unit}</dd> }
                }).collect_view()}
                <dt>{t!(i18n, month_to_date.estimate)}</dt>
                <dd data-test="estimate">{estimate}</dd>
            </dl>
            <p class="hint">{t!(i18n, month_to_date.estimate_hint)}</p>
        </section>
    }
}
