//! A project's usage (R2.4): one month per page (this month by default), per day and metric,
//! as bar charts drawn on the server as SVG, the same numbers as a table, and a CSV download.
use crate::i18n::*;
use crate::model::billing::{MetricMonthView, ThresholdOutcome, UsageMonthView};
use crate::model::error::AppError;
use crate::pages::auth::guard::{CustomerOnly, is_customer};
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[server(prefix = "/api", endpoint = "projects/usage")]
pub async fn project_usage(project_id: i64, month: String) -> Result<UsageMonthView, AppError> {
    use crate::domain::billing::BillingMonth;
    use crate::server::context;
    let (state, _, row) = crate::pages::projects::detail::owned_row(project_id).await?;
    let now = chrono::Utc::now();
    let month = BillingMonth::parse(&month)
        .filter(|m| *m <= BillingMonth::containing(now))
        .unwrap_or_else(|| BillingMonth::containing(now));
    crate::server::usage::month_view(&state.db, project_id, &row.name, month, now)
        .await
        .map_err(context::internal)
}

#[server(prefix = "/api", endpoint = "projects/usage/threshold")]
pub async fn set_usage_threshold(
    project_id: i64,
    metric: String,
    threshold: String,
) -> Result<ThresholdOutcome, AppError> {
    use crate::server::context;
    let (state, _, row) = crate::pages::projects::detail::owned_row(project_id).await?;
    let out = crate::server::usage_thresholds::set(
        &state.db,
        &row,
        &metric,
        &threshold,
        chrono::Utc::now(),
    )
    .await
    .map_err(context::internal)?;
    crate::server::flash::stash("usage_threshold", &out);
    Ok(out)
}

#[component]
pub fn UsagePage() -> impl IntoView {
    let i18n = use_i18n();
    let customer = is_customer();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        (
            params.get().get("id").and_then(|s| s.parse::<i64>().ok()),
            query.get().get("month").unwrap_or_default(),
        )
    };
    let save = ServerAction::<SetUsageThreshold>::new();
    let data = Resource::new(
        move || (key(), save.version().get()),
        move |((id, month), _)| async move {
            if !customer {
                return None;
            }
            let v = project_usage(id?, month).await.ok()?;
            let flash = crate::pages::forms::form_flash("usage_threshold".into())
                .await
                .ok()
                .flatten();
            Some((v, flash))
        },
    );
    view! {
        <Title text=move || t_string!(i18n, billing.usage_title).to_string() />
        <CustomerOnly>
            <section class="page">
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            None => view! { <NotFound /> }.into_any(),
                            Some((v, flash)) => view! { <UsageView v save flash /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </CustomerOnly>
    }
}

#[component]
fn UsageView(
    v: UsageMonthView,
    save: ServerAction<SetUsageThreshold>,
    flash: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let result = crate::pages::forms::form_result(save, flash);
    let failed = crate::pages::forms::action_failure(save, t_string!(i18n, common.failure));
    let project_id = v.project_id;
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
        {move || failed.get().map(|m| view! { <p class="notice notice-error" role="alert">{m}</p> })}
        {v.metrics.into_iter().map(|m| view! { <MetricChart m project_id save result /> }).collect_view()}
    }
}

/// One metric: an SVG bar per day (with its value as a tooltip title), then the table.
#[component]
fn MetricChart(
    m: MetricMonthView,
    project_id: i64,
    save: ServerAction<SetUsageThreshold>,
    result: Signal<Option<ThresholdOutcome>>,
) -> impl IntoView {
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
            <ThresholdForm metric=m.code.clone() unit=unit.clone() current=m.threshold.clone() reached=m.threshold_reached project_id save result />
        </section>
    }
}

/// The monthly threshold of one metric (R5.3): set, change, or empty the field to remove it.
#[component]
fn ThresholdForm(
    metric: String,
    unit: String,
    current: Option<String>,
    reached: bool,
    project_id: i64,
    save: ServerAction<SetUsageThreshold>,
    result: Signal<Option<ThresholdOutcome>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = format!("threshold-{metric}");
    let mine = {
        let metric = metric.clone();
        move || result.get().filter(|r| r.metric() == metric)
    };
    let problem = {
        let mine = mine.clone();
        move || match mine() {
            Some(ThresholdOutcome::Invalid { code, .. }) => Some(threshold_problem(i18n, &code)),
            _ => None,
        }
    };
    let has_problem = {
        let problem = problem.clone();
        move || problem().is_some()
    };
    // After a refusal the field keeps what was typed, to be corrected.
    let shown = {
        let mine = mine.clone();
        let current = current.unwrap_or_default();
        move || match mine() {
            Some(ThresholdOutcome::Invalid { typed, .. }) => typed,
            _ => current.clone(),
        }
    };
    let error_id = format!("{field}-error");
    let test_id = format!("threshold-{metric}");
    view! {
        <div class="threshold" data-test=test_id>
            {reached.then(|| view! {
                <p class="notice notice-warning" data-test="threshold-reached">{t!(i18n, usage_alerts.reached)}</p>
            })}
            <ActionForm action=save attr:class="threshold-form" attr:id="threshold-form">
                <input type="hidden" name="project_id" value=project_id />
                <input type="hidden" name="metric" value=metric.clone() />
                <label for=field.clone()>{t!(i18n, usage_alerts.label)} " (" {unit.clone()} ")"</label>
                <input
                    id=field.clone()
                    name="threshold"
                    inputmode="decimal"
                    autocomplete="off"
                    value=shown
                    aria-invalid=move || has_problem().to_string()
                    aria-describedby=format!("{field}-hint {error_id}")
                />
                <button type="submit" class="button">{t!(i18n, usage_alerts.save)}</button>
                <p class="hint" id=format!("{field}-hint")>{t!(i18n, usage_alerts.hint)}</p>
                <p class="field-error" id=error_id.clone() role="alert">{problem}</p>
            </ActionForm>
            {move || match mine() {
                Some(ThresholdOutcome::Saved { value, already_reached, .. }) => Some(view! {
                    <p class="notice notice-success" role="status" data-test="threshold-saved">
                        {t!(i18n, usage_alerts.saved, value = value.clone())}
                        {already_reached.then(|| view! { " " {t!(i18n, usage_alerts.saved_reached)} })}
                    </p>
                }.into_any()),
                Some(ThresholdOutcome::Removed { .. }) => Some(view! {
                    <p class="notice notice-success" role="status" data-test="threshold-removed">{t!(i18n, usage_alerts.removed)}</p>
                }.into_any()),
                _ => None,
            }}
        </div>
    }
}

fn threshold_problem(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> String {
    match code {
        "threshold_not_positive" => t_string!(i18n, usage_alerts.not_positive).to_string(),
        "threshold_too_precise" => t_string!(i18n, usage_alerts.too_precise).to_string(),
        "threshold_too_large" => t_string!(i18n, usage_alerts.too_large).to_string(),
        "metric_unknown" => t_string!(i18n, common.failure).to_string(),
        _ => t_string!(i18n, usage_alerts.not_a_number).to_string(),
    }
}
