//! A project's usage (R2.4): one month per page (this month by default), per day and metric,
//! as bar charts drawn on the server as SVG, the same numbers as a table, and a CSV download.
use crate::i18n::*;
use crate::model::billing::{MetricMonthView, UsageMonthView};
use crate::model::error::AppError;
use crate::pages::auth::guard::{CustomerOnly, is_customer};
use crate::pages::layout::use_user;
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[server(prefix = "/api", endpoint = "projects/usage")]
pub async fn project_usage(project_id: i64, month: String) -> Result<UsageMonthView, AppError> {
    use crate::domain::billing::BillingMonth;
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
    let now = chrono::Utc::now();
    let month = BillingMonth::parse(&month)
        .filter(|m| *m <= BillingMonth::containing(now))
        .unwrap_or_else(|| BillingMonth::containing(now));
    crate::server::usage::month_view(&state.db, project_id, &row.name, month, now)
        .await
        .map_err(context::internal)
}

#[component]
pub fn UsagePage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        (
            params.get().get("id").and_then(|s| s.parse::<i64>().ok()),
            query.get().get("month").unwrap_or_default(),
        )
    };
    let data = Resource::new(key, move |(id, month)| async move {
        if !is_customer(user).await {
            return None;
        }
        project_usage(id?, month).await.ok()
    });
    view! {
        <Title text=move || t_string!(i18n, billing.usage_title).to_string() />
        <CustomerOnly>
            <section class="page">
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            None => view! { <NotFound /> }.into_any(),
                            Some(v) => view! { <UsageView v /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </CustomerOnly>
    }
}

#[component]
fn UsageView(v: UsageMonthView) -> impl IntoView {
    let i18n = use_i18n();
    let base = format!("/projects/{}/usage", v.project_id);
    view! {
        <h1>{t!(i18n, billing.usage_title)} " · " {v.project_name.clone()}</h1>
        <nav class="subnav" aria-label=move || t_string!(i18n, billing.month)>
            <a href=format!("/projects/{}", v.project_id)>{v.project_name.clone()}</a>
            <a href=format!("{base}?month={}", v.prev_month) data-test="prev-month">"← " {v.prev_month.clone()}</a>
            <strong data-test="usage-month">{v.month.clone()}</strong>
            {v.next_month.clone().map(|n| view! { <a href=format!("{base}?month={n}")>{n.clone()} " →"</a> })}
            <a href=format!("/projects/{}/usage.csv?month={}", v.project_id, v.month) download="">{t!(i18n, billing.csv)}</a>
        </nav>
        {v.metrics.into_iter().map(|m| view! { <MetricChart m /> }).collect_view()}
    }
}

/// One metric: an SVG bar per day (with its value as a tooltip title), then the table.
#[component]
fn MetricChart(m: MetricMonthView) -> impl IntoView {
    let i18n = use_i18n();
    let en = i18n.get_locale_untracked() == Locale::en;
    let name = if en {
        m.name_en.clone()
    } else {
        m.name_ko.clone()
    };
    let unit = if en {
        m.unit_en.clone()
    } else {
        m.unit_ko.clone()
    };
    let n = m.days.len().max(1) as u32;
    // A 100-unit-high drawing, one 10-unit slot per day; it scales to the page's width.
    let width = n * 10;
    let label = format!("{name}: {} {unit}", m.total);
    view! {
        <section class="usage-metric" data-test=format!("usage-{}", m.code)>
            <h2>{name.clone()} " " <span class="hint">{t!(i18n, billing.month_total)} " " {m.total.clone()} " " {unit.clone()}</span></h2>
            <svg class="chart" viewBox=format!("0 0 {width} 110") preserveAspectRatio="none" role="img" aria-label=label>
                <line x1="0" y1="100" x2=width y2="100" class="axis" />
                {m.days.iter().map(|(day, q, pct)| {
                    let h = (*pct).min(100);
                    view! {
                        <rect x=(day - 1) * 10 + 1 y=100 - h width="8" height=h class="bar">
                            <title>{format!("{day}: {q}")}</title>
                        </rect>
                    }
                }).collect_view()}
                {[1u32, 10, 20].into_iter().filter(|d| *d <= n).map(|d| view! {
                    <text x=(d - 1) * 10 + 1 y="109" class="tick">{d.to_string()}</text>
                }).collect_view()}
            </svg>
            <details>
                <summary>{t!(i18n, billing.as_table)}</summary>
                <div class="table-wrap">
                    <table data-test=format!("usage-table-{}", m.code)>
                        <thead><tr>
                            <th scope="col">{t!(i18n, billing.day)}</th>
                            <th scope="col" class="num">{t!(i18n, billing.quantity)} " (" {unit.clone()} ")"</th>
                        </tr></thead>
                        <tbody>
                            {m.days.into_iter().map(|(day, q, _)| view! {
                                <tr><td>{day}</td><td class="num">{q}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </section>
    }
}

/// The page as a lazy route: its own WASM chunk (README "How to add a page").
pub struct UsageRoute;

#[leptos_router::lazy_route]
impl leptos_router::LazyRoute for UsageRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> leptos::prelude::AnyView {
        leptos::prelude::IntoAny::into_any(leptos::view! { <UsagePage /> })
    }
}
