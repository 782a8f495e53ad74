use super::labels;
use super::list::Pager;
use crate::domain::lifecycle::LifecycleState;
use crate::domain::plan::{Plan, TargetKind};
use crate::i18n::*;
use crate::model::error::AppError;
use crate::model::projects::{CapacityOutcome, DetailListPages, ProjectDetail, TargetOutcome};
use crate::pages::auth::guard::CustomerOnly;
use crate::pages::forms::{form_flash, form_result};
use crate::pages::not_found::NotFound;
use crate::ui::fields::FormNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The customer's own project for a server function (404 for anyone else's); shared by the
/// project's pages.
#[cfg(feature = "ssr")]
pub(crate) async fn owned_row(
    project_id: i64,
) -> Result<
    (
        crate::server::startup::AppState,
        crate::server::auth::AuthSession,
        crate::server::projects::ProjectRow,
    ),
    AppError,
> {
    use crate::server::context;
    let (state, auth) = context::require_customer()?;
    let row = crate::server::projects::owned(
        &state,
        auth.user.user_id(),
        crate::domain::stored::ProjectId(project_id),
    )
    .await
    .map_err(context::internal)?
    .ok_or_else(context::not_found)?;
    Ok((state, auth, row))
}

#[server(prefix = "/api", endpoint = "projects/detail")]
pub async fn load_project(
    project_id: i64,
    targets_page: Option<i64>,
    capacity_page: Option<i64>,
    plans_page: Option<i64>,
) -> Result<ProjectDetail, AppError> {
    use crate::server::projects::{DetailPages, page_window};
    let (state, _, row) = owned_row(project_id).await?;
    let pages = DetailPages {
        targets: page_window(targets_page),
        capacity: page_window(capacity_page),
        plans: page_window(plans_page),
    };
    crate::server::projects::detail_pages(&state, &row, chrono::Utc::now(), pages)
        .await
        .map(crate::server::projects::for_customer)
        .map_err(crate::server::context::internal)
}

#[server(prefix = "/api", endpoint = "projects/targets/add")]
pub async fn add_target(
    project_id: i64,
    kind: String,
    name: String,
    detail: String,
) -> Result<TargetOutcome, AppError> {
    let (state, _, row) = owned_row(project_id).await?;
    let out = crate::server::projects::add_target(
        &state,
        &row,
        &kind,
        &name,
        &detail,
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::server::context::internal)?;
    crate::server::flash::stash("target", &out);
    Ok(out)
}

#[server(prefix = "/api", endpoint = "projects/targets/rename")]
pub async fn rename_target(
    project_id: i64,
    target_id: i64,
    name: String,
) -> Result<TargetOutcome, AppError> {
    let (state, _, row) = owned_row(project_id).await?;
    let out =
        crate::server::projects::rename_target(&state, &row, target_id, &name, chrono::Utc::now())
            .await
            .map_err(crate::server::context::internal)?;
    crate::server::flash::stash("rename", &out);
    Ok(out)
}

#[server(prefix = "/api", endpoint = "projects/targets/remove")]
pub async fn remove_target(project_id: i64, target_id: i64) -> Result<TargetOutcome, AppError> {
    let (state, _, row) = owned_row(project_id).await?;
    crate::server::projects::remove_target(&state, &row, target_id, chrono::Utc::now())
        .await
        .map_err(crate::server::context::internal)
}

#[server(prefix = "/api", endpoint = "projects/upgrade")]
pub async fn upgrade_project(project_id: i64) -> Result<bool, AppError> {
    let (state, auth, row) = owned_row(project_id).await?;
    crate::server::projects::upgrade(&state, auth.user.user_id(), &row, chrono::Utc::now())
        .await
        .map_err(crate::server::context::internal)
}

#[server(prefix = "/api", endpoint = "projects/capacity")]
pub async fn change_capacity(
    project_id: i64,
    ingest_gb_per_day: String,
    storage_gb: String,
    extended_retention: Option<String>,
    remote_support: Option<String>,
) -> Result<CapacityOutcome, AppError> {
    use crate::domain::plan::{Capacity, CapacityError};
    let (state, auth, row) = owned_row(project_id).await?;
    // A number that does not parse is simply out of range: the same message tells how to fix it.
    let ingest = ingest_gb_per_day.trim().parse::<u32>().unwrap_or(0);
    let storage = storage_gb.trim().parse::<u32>().unwrap_or(0);
    let requested = Capacity {
        ingest_gb_per_day: ingest,
        storage_gb: storage,
        extended_retention: extended_retention.is_some(),
        remote_support: remote_support.is_some(),
    };
    let out = crate::server::projects::change_capacity(
        &state,
        auth.user.user_id(),
        &row,
        requested,
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::server::context::internal)?;
    let out = match out {
        CapacityOutcome::Invalid { mut errors } => {
            errors.dedup_by_key(|e| std::mem::discriminant::<CapacityError>(e));
            CapacityOutcome::Invalid { errors }
        }
        other => other,
    };
    crate::server::flash::stash("capacity", &out);
    Ok(out)
}

#[component]
pub fn ProjectPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), projects.title).to_string() />
        <CustomerOnly>
            <ProjectView />
        </CustomerOnly>
    }
}

/// What the last no-JavaScript submission of each form on the page left behind.
#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
struct Flashes {
    target: Option<String>,
    rename: Option<String>,
    capacity: Option<String>,
}

#[component]
fn ProjectView() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.get().get("id").and_then(|s| s.parse::<i64>().ok());
    let add = ServerAction::<AddTarget>::new();
    let rename = ServerAction::<RenameTarget>::new();
    let remove = ServerAction::<RemoveTarget>::new();
    let upgrade = ServerAction::<UpgradeProject>::new();
    let capacity = ServerAction::<ChangeCapacity>::new();
    let page_of = move |name: &str| query.get().get(name).and_then(|p| p.parse::<i64>().ok());
    let detail = Resource::new(
        move || {
            (
                (
                    id(),
                    page_of("targets_page"),
                    page_of("capacity_page"),
                    page_of("plans_page"),
                ),
                add.version().get(),
                rename.version().get(),
                remove.version().get(),
                upgrade.version().get(),
                capacity.version().get(),
            )
        },
        |((id, targets_page, capacity_page, plans_page), ..)| async move {
            let Some(id) = id else {
                return (None, Flashes::default());
            };
            let d = load_project(id, targets_page, capacity_page, plans_page)
                .await
                .ok();
            let flashes = Flashes {
                target: form_flash("target".into()).await.ok().flatten(),
                rename: form_flash("rename".into()).await.ok().flatten(),
                capacity: form_flash("capacity".into()).await.ok().flatten(),
            };
            (d, flashes)
        },
    );
    let created = move || query.get().get("created").is_some();
    view! {
        <Suspense fallback=crate::ui::Loading>
            {move || Suspend::new(async move {
                let (d, flashes) = detail.await;
                match d {
                    None => view! { <NotFound /> }.into_any(),
                    Some(d) => {
                        let s = d.summary.clone();
                        let blocked = s.state != LifecycleState::Active;
                        view! {
                            <Title text=s.name.clone() />
                            <section class="page">
                                <Show when=created>
                                    <div class="notice notice-success" role="status">{t!(i18n, projects.created)}</div>
                                </Show>
                                <p class="crumbs"><a href="/dashboard">{t!(i18n, projects.title)}</a> " / "</p>
                                <h1>{s.name.clone()}</h1>
                                <p class="address" data-test="project-address">{s.address.clone()}</p>
                                <p class="subnav">
                                    <a href=format!("/projects/{}/usage", s.id) data-test="usage-link">{t!(i18n, billing.usage_link)}</a>
                                    <a href=format!("/projects/{}/sla", s.id) data-test="sla-link">{t!(i18n, nav.statements)}</a>
                                </p>
                                <p class="badges">
                                    <span class=format!("badge plan-{}", s.plan.code()) data-test="plan">{labels::plan(i18n, s.plan)}</span>
                                    <span class=format!("badge state-{}", s.state.code()) data-test="state">{labels::state(i18n, s.state)}</span>
                                </p>
                                {if blocked {
                                    view! { <Blocked d=d.clone() upgrade /> }.into_any()
                                } else {
                                    view! {
                                        <PlanPanel d=d.clone() upgrade />
                                        <Targets d=d.clone() add rename remove flash=flashes.target.clone() rename_flash=flashes.rename.clone() />
                                        <CapacityPanel d=d.clone() action=capacity flash=flashes.capacity.clone() />
                                    }.into_any()
                                }}
                                <History d=d.clone() />
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Blocked(d: ProjectDetail, upgrade: ServerAction<UpgradeProject>) -> impl IntoView {
    let i18n = use_i18n();
    let s = d.summary;
    let free = s.plan == Plan::Free;
    view! {
        <div class="blocked" role="alert" data-test="blocked">
            <h2>{t!(i18n, projects.blocked_title)}</h2>
            {if free {
                view! { <p>{t!(i18n, projects.blocked_free, at = s.trial_ends_at.clone().unwrap_or_default())}</p> }.into_any()
            } else {
                view! { <p>{t!(i18n, projects.blocked_paid)}</p> }.into_any()
            }}
            {free.then(|| view! {
                <ActionForm action=upgrade>
                    <input type="hidden" name="project_id" value={s.id.0} />
                    <button type="submit" class="button primary">{t!(i18n, projects.upgrade)}</button>
                </ActionForm>
            })}
        </div>
    }
}

#[component]
fn PlanPanel(d: ProjectDetail, upgrade: ServerAction<UpgradeProject>) -> impl IntoView {
    let i18n = use_i18n();
    let s = d.summary.clone();
    view! {
        <section class="panel" aria-labelledby="plan-title">
            <h2 id="plan-title">{t!(i18n, projects.plan)}</h2>
            {if s.plan == Plan::Free {
                let days = s.days_left.unwrap_or(0);
                let left = s.targets_left.unwrap_or(0);
                view! {
                    <p data-test="trial">
                        {t!(i18n, projects.trial_left, count = move || days)} " · "
                        {t!(i18n, projects.trial_ends, at = s.trial_ends_at.clone().unwrap_or_default())}
                    </p>
                    <p data-test="targets-left">{t!(i18n, projects.targets_left, count = move || left)}</p>
                    <ActionForm action=upgrade attr:id="upgrade-form">
                        <input type="hidden" name="project_id" value={s.id.0} />
                        <button type="submit" class="button primary" data-test="upgrade">{t!(i18n, projects.upgrade)}</button>
                    </ActionForm>
                    <p class="hint">{t!(i18n, projects.upgrade_hint)}</p>
                }.into_any()
            } else {
                view! { <p>{t!(i18n, projects.paid_unlimited)}</p> }.into_any()
            }}
            {d.next_step.map(|n| view! {
                <p class="hint" data-test="next-step">{t!(i18n, projects.next_step, step = labels::state(i18n, n.state), at = n.at.clone())}</p>
            })}
        </section>
    }
}

#[component]
fn Targets(
    d: ProjectDetail,
    add: ServerAction<AddTarget>,
    rename: ServerAction<RenameTarget>,
    remove: ServerAction<RemoveTarget>,
    flash: Option<String>,
    rename_flash: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let pid = d.summary.id;
    let result = form_result::<AddTarget, TargetOutcome>(add, flash);
    let notice = Signal::derive(move || labels::target_outcome(i18n, &result.get()?));
    let rename_result = form_result::<RenameTarget, TargetOutcome>(rename, rename_flash);
    let rename_error = Signal::derive(move || labels::target_outcome(i18n, &rename_result.get()?));
    let targets = d.targets.clone();
    view! {
        <section class="panel" aria-labelledby="targets-title">
            <h2 id="targets-title">{t!(i18n, targets.title)} " (" {d.summary.target_count} ")"</h2>
            {if targets.is_empty() {
                view! { <p class="empty" data-test="no-targets">{t!(i18n, targets.empty)}</p> }.into_any()
            } else {
                view! {
                    <FormNotice message=rename_error />
                    <div class="table-wrap">
                    <table data-test="targets">
                        <thead><tr>
                            <th scope="col">{t!(i18n, targets.kind)}</th>
                            <th scope="col">{t!(i18n, targets.name)}</th>
                            <th scope="col">{t!(i18n, targets.detail)}</th>
                            <th scope="col"><span class="sr-only">{t!(i18n, targets.actions)}</span></th>
                        </tr></thead>
                        <tbody>
                            {targets.into_iter().map(|t| view! {
                                <tr>
                                    <td data-label=move || t_string!(i18n, targets.kind)>{labels::kind(i18n, t.kind)}</td>
                                    <td data-label=move || t_string!(i18n, targets.name)>
                                        <ActionForm action=rename attr:class="inline rename">
                                            <input type="hidden" name="project_id" value=pid.0 />
                                            <input type="hidden" name="target_id" value=t.id />
                                            <label class="sr-only" for=format!("rename-{}", t.id)>{t!(i18n, targets.name)}</label>
                                            <input id=format!("rename-{}", t.id) name="name" value=t.name.clone() maxlength="100" />
                                            <button type="submit" class="link-button">{t!(i18n, targets.rename)}</button>
                                        </ActionForm>
                                    </td>
                                    <td data-label=move || t_string!(i18n, targets.detail) class="mono">{t.detail.clone()}</td>
                                    <td>
                                        <details class="confirm">
                                            <summary>{t!(i18n, targets.remove)}</summary>
                                            <ActionForm action=remove attr:class="inline">
                                                <input type="hidden" name="project_id" value=pid.0 />
                                                <input type="hidden" name="target_id" value=t.id />
                                                <button type="submit" class="button danger small">{t!(i18n, targets.remove_confirm)}</button>
                                            </ActionForm>
                                        </details>
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                    <Pager page=d.pages.targets href=pager_href(d.pages, "targets_page") />
                }.into_any()
            }}
            <h3>{t!(i18n, targets.add)}</h3>
            <FormNotice message=notice />
            <ActionForm action=add attr:class="form grid" attr:id="target-form" attr:novalidate=true>
                <input type="hidden" name="project_id" value=pid.0 />
                <div class="field">
                    <label for="target-kind">{t!(i18n, targets.kind)}</label>
                    <select id="target-kind" name="kind">
                        {TargetKind::ALL.into_iter().map(|k| view! {
                            <option value=k.code() selected=k == TargetKind::Url>{labels::kind(i18n, k)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="target-name">{t!(i18n, targets.name)}</label>
                    <input id="target-name" name="name" maxlength="100" required />
                </div>
                <div class="field">
                    <label for="target-detail">{t!(i18n, targets.detail)}</label>
                    <input id="target-detail" name="detail" maxlength="2000" required aria-describedby="target-detail-hint" />
                    // Every kind's hint is in the page; style/main.css shows the chosen kind's
                    // (`:has(option:checked)`), so the hint follows the select without JavaScript.
                    <p class="hint" id="target-detail-hint">
                        {[TargetKind::Url, TargetKind::Was, TargetKind::Kubernetes].into_iter().map(|k| view! {
                            <span data-hint=labels::hint_group(k)>{labels::detail_hint(i18n, k)}</span>
                        }).collect_view()}
                    </p>
                </div>
                <button type="submit" class="button primary" disabled=move || add.pending().get()>{t!(i18n, targets.add_submit)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn CapacityPanel(
    d: ProjectDetail,
    action: ServerAction<ChangeCapacity>,
    flash: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let result = form_result::<ChangeCapacity, CapacityOutcome>(action, flash);
    let c = d.capacity;
    let pid = d.summary.id;
    let paid = d.summary.plan == Plan::Paid;
    let notice = Signal::derive(move || match result.get()? {
        CapacityOutcome::Applied => None,
        CapacityOutcome::Conflict => Some(t_string!(i18n, capacity.conflict).to_string()),
        CapacityOutcome::Invalid { errors } => {
            errors.first().map(|e| labels::capacity_error(i18n, *e))
        }
    });
    let done = Signal::derive(move || {
        matches!(result.get(), Some(CapacityOutcome::Applied))
            .then(|| t_string!(i18n, capacity.applied).to_string())
    });
    view! {
        <section class="panel" aria-labelledby="capacity-title">
            <h2 id="capacity-title">{t!(i18n, capacity.title)}</h2>
            <dl class="facts" data-test="capacity">
                <dt>{t!(i18n, capacity.ingest)}</dt><dd data-test="ingest">{c.ingest_gb_per_day} " GB"</dd>
                <dt>{t!(i18n, capacity.storage)}</dt><dd data-test="storage">{c.storage_gb} " GB"</dd>
                <dt>{t!(i18n, capacity.extended_retention)}</dt><dd>{if c.extended_retention { "✓" } else { "—" }}</dd>
                <dt>{t!(i18n, capacity.remote_support)}</dt><dd>{if c.remote_support { "✓" } else { "—" }}</dd>
            </dl>
            {if paid {
                view! {
                    <FormNotice message=done success=true />
                    <FormNotice message=notice />
                    <ActionForm action=action attr:class="form grid" attr:id="capacity-form" attr:novalidate=true>
                        <input type="hidden" name="project_id" value=pid.0 />
                        <div class="field">
                            <label for="ingest">{t!(i18n, capacity.ingest)} " (GB)"</label>
                            <input id="ingest" name="ingest_gb_per_day" type="number" inputmode="numeric" min="1" max="10000" value=c.ingest_gb_per_day />
                        </div>
                        <div class="field">
                            <label for="storage">{t!(i18n, capacity.storage)} " (GB)"</label>
                            <input id="storage" name="storage_gb" type="number" inputmode="numeric" min="10" max="100000" value=c.storage_gb />
                        </div>
                        <label class="check"><input type="checkbox" name="extended_retention" value="on" checked=c.extended_retention /> {t!(i18n, capacity.extended_retention)}</label>
                        <label class="check"><input type="checkbox" name="remote_support" value="on" checked=c.remote_support /> {t!(i18n, capacity.remote_support)}</label>
                        <button type="submit" class="button primary" disabled=move || action.pending().get()>{t!(i18n, capacity.request)}</button>
                    </ActionForm>
                }.into_any()
            } else {
                view! { <p class="hint">{t!(i18n, capacity.paid_only)}</p> }.into_any()
            }}
            {(!d.capacity_history.is_empty()).then(|| view! {
                <h3>{t!(i18n, capacity.history)}</h3>
                <div class="table-wrap">
                <table data-test="capacity-history">
                    <thead><tr>
                        <th scope="col">{t!(i18n, capacity.requested_at)}</th>
                        <th scope="col">{t!(i18n, capacity.applied_at)}</th>
                        <th scope="col">{t!(i18n, capacity.change)}</th>
                    </tr></thead>
                    <tbody>
                        {d.capacity_history.iter().map(|h| view! {
                            <tr>
                                <td>{h.requested_at.clone()}</td>
                                <td>{h.applied_at.clone().unwrap_or_default()}</td>
                                <td>{labels::capacity_change(i18n, &h.from, &h.to).into_iter().map(|l| view! { <span class="change-line">{l}</span> }).collect_view()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
                <Pager page=d.pages.capacity href=pager_href(d.pages, "capacity_page") />
            })}
        </section>
    }
}

#[component]
fn History(d: ProjectDetail) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel" aria-labelledby="history-title">
            <h2 id="history-title">{t!(i18n, projects.plan_history)}</h2>
            <ul class="plain" data-test="plan-history">
                {d.plan_history.iter().map(|p| {
                    let to = labels::plan(i18n, p.to_plan);
                    let from = p.from_plan.map(|f| labels::plan(i18n, f));
                    view! {
                        <li>
                            {p.at.clone()} " · "
                            {match from { Some(f) => format!("{f} → {to}"), None => to }}
                            {(p.extension_days > 0).then(|| { let days = p.extension_days; view! { " " {t!(i18n, projects.trial_extended_by, days = days)} } })}
                            " · "
                            {if p.by_staff { t!(i18n, projects.by_support).into_any() } else { t!(i18n, projects.by_you).into_any() }}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Pager page=d.pages.plans href=pager_href(d.pages, "plans_page") />
        </section>
    }
}

/// Links to another page of one list that keep the other lists where they are.
pub(crate) fn pager_href(pages: DetailListPages, list: &'static str) -> Callback<i64, String> {
    Callback::new(move |n: i64| {
        let at = |name: &str, current: i64| if name == list { n } else { current };
        format!(
            "?targets_page={}&capacity_page={}&plans_page={}",
            at("targets_page", pages.targets.page),
            at("capacity_page", pages.capacity.page),
            at("plans_page", pages.plans.page),
        )
    })
}
