//! Staff: all projects, searchable; one project read-only, with plan changes for
//! operations and admin roles.
use super::AdminNav;
use crate::i18n::*;
use crate::model::StaffRole;
use crate::model::error::AppError;
use crate::model::projects::{AdminProjectPage, ProjectDetail, StaffPlanOutcome, StaffPlanProblem};
use crate::pages::auth::guard::StaffOnly;
use crate::pages::not_found::NotFound;
use crate::pages::projects::detail::pager_href;
use crate::pages::projects::labels;
use crate::pages::projects::list::Pager;
use crate::ui::fields::FormNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

pub const PER_PAGE: i64 = 20;

#[server(prefix = "/api", endpoint = "admin/projects")]
pub async fn admin_projects(q: String, page: i64) -> Result<AdminProjectPage, AppError> {
    use crate::server::context;
    let (state, _, _) = context::require_staff()?;
    crate::server::projects::staff_search(&state, &q, page, PER_PAGE, chrono::Utc::now())
        .await
        .map_err(context::internal)
}

#[server(prefix = "/api", endpoint = "admin/project")]
pub async fn admin_project(
    project_id: i64,
    targets_page: Option<i64>,
    capacity_page: Option<i64>,
    plans_page: Option<i64>,
) -> Result<ProjectDetail, AppError> {
    use crate::server::context;
    use crate::server::projects::{DetailPages, page_window};
    let (state, _, _) = context::require_staff()?;
    let row =
        crate::server::projects::staff_find(&state, crate::domain::stored::ProjectId(project_id))
            .await
            .map_err(context::internal)?
            .ok_or_else(context::not_found)?;
    let pages = DetailPages {
        targets: page_window(targets_page),
        capacity: page_window(capacity_page),
        plans: page_window(plans_page),
    };
    crate::server::projects::detail_pages(&state, &row, chrono::Utc::now(), pages)
        .await
        .map_err(context::internal)
}

#[server(prefix = "/api", endpoint = "admin/project/plan")]
pub async fn staff_change_plan(
    project_id: i64,
    to_plan: String,
    extension_days: String,
    reason: String,
) -> Result<StaffPlanOutcome, AppError> {
    use crate::server::context;
    let (state, auth, role) = context::require_staff()?;
    let row =
        crate::server::projects::staff_find(&state, crate::domain::stored::ProjectId(project_id))
            .await
            .map_err(context::internal)?
            .ok_or_else(context::not_found)?;
    let req = crate::server::projects::StaffPlanRequest {
        to_plan,
        extension_days,
        reason,
    };
    let out = crate::server::projects::staff_change_plan(
        &state,
        auth.user.user_id(),
        role,
        &row,
        &req,
        chrono::Utc::now(),
    )
    .await
    .map_err(context::internal)?;
    crate::server::flash::stash("staff_plan", &out);
    Ok(out)
}

#[component]
pub fn AdminProjectsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.get().get("q").unwrap_or_default();
    let page = move || super::page_param(&query.get());
    let data = Resource::new(move || (q(), page()), |(q, p)| admin_projects(q, p));
    view! {
        <StaffOnly>
            <Title text=td_string!(i18n.get_locale_untracked(), admin.projects).to_string() />
            <section class="page">
                <h1>{t!(i18n, admin.projects)}</h1>
                <AdminNav />
                <form method="get" action="/admin/projects" class="search" role="search">
                    <label for="q" class="sr-only">{t!(i18n, admin.search)}</label>
                    <input id="q" name="q" type="search" value=q placeholder=move || t_string!(i18n, admin.search_placeholder) />
                    <button type="submit" class="button">{t!(i18n, admin.search)}</button>
                </form>
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            Err(_) => view! { <NotFound /> }.into_any(),
                            Ok(p) if p.projects.is_empty() => view! { <p class="empty">{t!(i18n, admin.no_projects)}</p> }.into_any(),
                            Ok(p) => {
                                let pages = (p.total + p.per_page - 1) / p.per_page;
                                let qs = q();
                                view! {
                                    <div class="table-wrap">
                                    <table data-test="admin-projects">
                                        <thead><tr>
                                            <th scope="col">{t!(i18n, projects.name)}</th>
                                            <th scope="col">{t!(i18n, prefix.label)}</th>
                                            <th scope="col">{t!(i18n, admin.owner)}</th>
                                            <th scope="col">{t!(i18n, projects.plan)}</th>
                                            <th scope="col">{t!(i18n, admin.state)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {p.projects.into_iter().map(|s| view! {
                                                <tr>
                                                    <td><a href=format!("/admin/projects/{}", s.id)>{s.name.clone()}</a></td>
                                                    <td class="mono">{s.prefix.clone()}</td>
                                                    <td>{s.owner_login_id.clone()}</td>
                                                    <td>{labels::plan(i18n, s.plan)}</td>
                                                    <td>{labels::state(i18n, s.state)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    </div>
                                    <nav class="pager" aria-label="pages">
                                        <span>{t!(i18n, admin.page_of, page = p.page, pages = pages.max(1), total = p.total)}</span>
                                        {(p.page > 1).then(|| view! { <a href=format!("/admin/projects?q={}&page={}", crate::ui::url::encode(&qs), p.page - 1)>{t!(i18n, admin.prev)}</a> })}
                                        {(p.page < pages).then(|| view! { <a href=format!("/admin/projects?q={}&page={}", crate::ui::url::encode(&qs), p.page + 1)>{t!(i18n, admin.next)}</a> })}
                                    </nav>
                                }.into_any()
                            }
                        }
                    })}
                </Suspense>
            </section>
        </StaffOnly>
    }
}

#[component]
pub fn AdminProjectPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let change = ServerAction::<StaffChangePlan>::new();
    let page_of = move |name: &str| query.get().get(name).and_then(|p| p.parse::<i64>().ok());
    let data = Resource::new(
        move || {
            (
                params.get().get("id").and_then(|s| s.parse::<i64>().ok()),
                page_of("targets_page"),
                page_of("capacity_page"),
                page_of("plans_page"),
                change.version().get(),
            )
        },
        |(id, targets_page, capacity_page, plans_page, _)| async move {
            let id = id?;
            let d = admin_project(id, targets_page, capacity_page, plans_page)
                .await
                .ok()?;
            let flash = crate::pages::forms::form_flash("staff_plan".into())
                .await
                .ok()
                .flatten();
            Some((d, flash))
        },
    );
    view! {
        <StaffOnly>
            <section class="page">
                <AdminNav />
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        let role = crate::pages::auth::guard::staff_role();
                        match data.await {
                            None => view! { <NotFound /> }.into_any(),
                            Some((d, flash)) => view! { <AdminProjectView d role change flash /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </StaffOnly>
    }
}

#[component]
fn AdminProjectView(
    d: ProjectDetail,
    role: Option<StaffRole>,
    change: ServerAction<StaffChangePlan>,
    flash: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let s = d.summary.clone();
    let may_change = role.is_some_and(|r| r.may_change_plans());
    let result =
        crate::pages::forms::form_result::<StaffChangePlan, StaffPlanOutcome>(change, flash);
    let outcome = move || result.get();
    let error = Signal::derive(move || {
        let text = match outcome()? {
            StaffPlanOutcome::Applied => return None,
            StaffPlanOutcome::NotAllowed => t_string!(i18n, admin.not_allowed),
            StaffPlanOutcome::Invalid { problems } => match problems.first()? {
                StaffPlanProblem::ReasonMissing => t_string!(i18n, admin.reason_required),
                StaffPlanProblem::DaysInvalid => t_string!(i18n, admin.days_invalid),
            },
            StaffPlanOutcome::NothingToDo => t_string!(i18n, admin.nothing_to_do),
            StaffPlanOutcome::WouldStop => t_string!(i18n, admin.would_stop),
        };
        Some(text.to_string())
    });
    let ok = Signal::derive(move || {
        matches!(outcome(), Some(StaffPlanOutcome::Applied))
            .then(|| t_string!(i18n, admin.plan_saved).to_string())
    });
    view! {
        <Title text=s.name.clone() />
        <h1>{s.name.clone()}</h1>
        <p class="address">{s.address.clone()}</p>
        <dl class="facts">
            <dt>{t!(i18n, admin.owner)}</dt><dd>{s.owner_login_id.clone()}</dd>
            <dt>{t!(i18n, projects.plan)}</dt><dd data-test="plan">{labels::plan(i18n, s.plan)}</dd>
            <dt>{t!(i18n, admin.state)}</dt><dd data-test="state">{labels::state(i18n, s.state)}</dd>
            <dt>{t!(i18n, admin.created)}</dt><dd>{s.created_at.clone()}</dd>
            {s.trial_ends_at.clone().map(|t| view! { <dt>{t!(i18n, admin.trial_ends)}</dt><dd data-test="trial-ends">{t}</dd> })}
            <dt>{t!(i18n, projects.targets)}</dt><dd>{s.target_count}</dd>
        </dl>
        <h2>{t!(i18n, targets.title)}</h2>
        <ul class="plain">
            {d.targets.iter().map(|t| view! { <li>{labels::kind(i18n, t.kind)} " · " {t.name.clone()} " · " <span class="mono">{t.detail.clone()}</span></li> }).collect_view()}
        </ul>
        <Pager page=d.pages.targets href=pager_href(d.pages, "targets_page") />
        {may_change.then(|| view! {
            <section class="panel">
                <h2>{t!(i18n, admin.change_plan)}</h2>
                <FormNotice message=ok success=true />
                <FormNotice message=error />
                <ActionForm action=change attr:class="form" attr:id="staff-plan-form" attr:novalidate=true>
                    <input type="hidden" name="project_id" value={s.id.0} />
                    <div class="field">
                        <label for="to_plan">{t!(i18n, projects.plan)}</label>
                        <select id="to_plan" name="to_plan">
                            <option value="free" selected=s.plan == crate::domain::plan::Plan::Free>{t!(i18n, plan.free)}</option>
                            <option value="paid" selected=s.plan == crate::domain::plan::Plan::Paid>{t!(i18n, plan.paid)}</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="extension_days">{t!(i18n, admin.extend_days)}</label>
                        <input id="extension_days" name="extension_days" type="number" min="0" max="90" value="0" inputmode="numeric" />
                    </div>
                    <div class="field">
                        <label for="reason">{t!(i18n, admin.reason)}</label>
                        <textarea id="reason" name="reason" maxlength="500" required></textarea>
                    </div>
                    <button type="submit" class="button primary">{t!(i18n, admin.apply)}</button>
                </ActionForm>
            </section>
        })}
        <h2>{t!(i18n, projects.plan_history)}</h2>
        <ul class="plain" data-test="plan-history">
            {d.plan_history.iter().map(|p| view! {
                <li>{p.at.clone()} " · " {labels::plan(i18n, p.to_plan)}
                    {(p.extension_days > 0).then(|| { let days = p.extension_days; view! { " " {t!(i18n, projects.trial_extended_by, days = days)} } })}
                    " · " {p.actor.clone()} " · " {p.reason.clone()}</li>
            }).collect_view()}
        </ul>
        <Pager page=d.pages.plans href=pager_href(d.pages, "plans_page") />
    }
}
