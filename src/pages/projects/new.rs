//! Creating a project: its name, a domain prefix checked while typing, and the plan.
use super::labels;
use crate::domain::prefix::PrefixError;
use crate::i18n::*;
use crate::model::error::AppError;
use crate::model::projects::{CreateProjectOutcome, PrefixCheck, PrefixProblem};
use crate::pages::auth::guard::CustomerOnly;
use crate::pages::forms::{form_flash, form_result};
use crate::pages::plan_terms::{FreePlan, FreePlanText, FreePlanWording, free_plan_terms};
use crate::ui::fields::{Field, FormNotice};
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/api", endpoint = "projects/create")]
pub async fn create_project(
    name: String,
    prefix: String,
    plan: Option<String>,
) -> Result<CreateProjectOutcome, AppError> {
    use crate::model::projects::CreateProjectValues;
    use crate::server::{context, flash};
    let (state, auth) = context::require_customer()?;
    let values = CreateProjectValues {
        name,
        prefix,
        plan: plan.unwrap_or_default(),
    };
    let out =
        crate::server::projects::create(&state, auth.user.user_id(), values, chrono::Utc::now())
            .await
            .map_err(context::internal)?;
    match out.project_id {
        Some(id) => leptos_axum::redirect(&format!("/projects/{id}?created=1")),
        None => flash::stash("project", &out),
    }
    Ok(out)
}

#[server(prefix = "/api", endpoint = "projects/prefix")]
pub async fn check_prefix(prefix: String) -> Result<PrefixCheck, AppError> {
    use crate::server::context;
    let (state, _) = context::require_customer()?;
    let prefix: String = prefix.chars().take(64).collect();
    crate::server::projects::check_prefix(&state, &prefix)
        .await
        .map_err(context::internal)
}

/// The service domain, so the address preview is right before the first keystroke.
#[server(prefix = "/api", endpoint = "projects/service_domain")]
pub async fn service_domain() -> Result<String, AppError> {
    Ok(crate::server::context::state()?
        .settings
        .service_domain
        .clone())
}

#[component]
pub fn NewProjectPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(
        || (),
        |_| async move {
            (
                form_flash("project".into()).await.ok().flatten(),
                service_domain().await.unwrap_or_default(),
                free_plan_terms().await.ok(),
            )
        },
    );
    view! {
        <Title text=td_string!(i18n.get_locale_untracked(), projects.create).to_string() />
        <CustomerOnly>
            <Suspense fallback=crate::ui::Loading>
                {move || Suspend::new(async move {
                    let (flash, domain, free_terms) = data.await;
                    view! { <NewProjectForm flash domain free_terms /> }
                })}
            </Suspense>
        </CustomerOnly>
    }
}

#[component]
fn NewProjectForm(
    flash: Option<String>,
    domain: String,
    free_terms: Option<FreePlan>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CreateProject>::new();
    let result = form_result::<CreateProject, CreateProjectOutcome>(action, flash);
    let kept = result.get_untracked().map(|r| r.values).unwrap_or_default();
    let submitted_prefix_error = result
        .get_untracked()
        .and_then(|r| r.prefix)
        .map(|p| labels::prefix(i18n, p));
    let problem_labels: Vec<(PrefixProblem, String)> = std::iter::once(PrefixProblem::Taken)
        .chain(PrefixError::ALL.into_iter().map(PrefixProblem::Invalid))
        .map(|p| (p, labels::prefix(i18n, p)))
        .collect();
    let prefix_texts = PrefixTexts {
        label: t_string!(i18n, prefix.label).to_string(),
        hint: t_string!(i18n, prefix.hint).to_string(),
        placeholder: t_string!(i18n, prefix.placeholder).to_string(),
        available: t_string!(i18n, prefix.available).to_string(),
        problems: problem_labels,
    };
    let plan_checked = move |p: &str| kept.plan == p;
    view! {
        <section class="page narrow">
            <h1>{t!(i18n, projects.create)}</h1>
            <p class="lead">{t!(i18n, projects.create_lead)}</p>
            <FormNotice message=Signal::derive(move || {
                action.value().get().and_then(|r| r.err()).map(|_| t_string!(i18n, common.failure).to_string())
            }) />
            <FormNotice message=Signal::derive(move || {
                let r = result.get()?;
                if let Some(limit) = r.project_limit {
                    return Some(t_string!(i18n, projects.limit_reached, limit = limit).to_string());
                }
                r.retry_after_secs.map(|s| {
                    t_string!(i18n, projects.rate_limited, minutes = s.div_ceil(60)).to_string()
                })
            }) />
            <ActionForm action=action attr:class="form" attr:novalidate=true attr:id="project-form">
                <Field id="name" label=Signal::derive(move || t_string!(i18n, projects.name).to_string())
                    error=Signal::derive(move || result.get().and_then(|r| r.name).map(|e| labels::project_name(i18n, e)))>
                    <input id="name" name="name" maxlength="50" required value=kept.name.clone() aria-describedby="name-error" />
                </Field>
                <PrefixField texts=prefix_texts domain value=kept.prefix.clone() submitted_error=submitted_prefix_error />
                <fieldset class="plans-choice">
                    <legend>{t!(i18n, projects.plan)}</legend>
                    <label class="plan-option">
                        <input type="radio" name="plan" value="free" checked=plan_checked("free") />
                        <span><strong>{t!(i18n, plan.free)}</strong> <small data-test="free-plan-terms">{free_terms.map(|terms| view! { <FreePlanText terms wording=FreePlanWording::PlanChoice /> })}</small></span>
                    </label>
                    <label class="plan-option">
                        <input type="radio" name="plan" value="paid" checked=plan_checked("paid") />
                        <span><strong>{t!(i18n, plan.paid)}</strong> <small>{t!(i18n, plan.paid_desc)}</small></span>
                    </label>
                    <p class="field-error" role="alert">
                        {move || result.get().filter(|r| r.plan_missing).map(|_| t_string!(i18n, projects.plan_required))}
                    </p>
                </fieldset>
                <button type="submit" class="button primary wide" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { t_string!(i18n, common.working) } else { t_string!(i18n, projects.create_submit) }}
                </button>
            </ActionForm>
        </section>
    }
}

/// What the prefix field says, in the visitor's language (islands have no i18n context).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PrefixTexts {
    label: String,
    hint: String,
    placeholder: String,
    available: String,
    problems: Vec<(PrefixProblem, String)>,
}

/// The domain prefix with its address preview and a check while typing: the page's one
/// island (the rest of the form is server HTML that posts without JavaScript). The server
/// checks the prefix again on submission; this only tells the visitor early.
#[island]
fn PrefixField(
    texts: PrefixTexts,
    domain: String,
    value: String,
    submitted_error: Option<String>,
) -> impl IntoView {
    let (typed, set_typed) = signal(value.clone());
    // The answer for the latest prefix typed; a plain signal (not a resource) so the
    // availability check never suspends the field.
    let (availability, set_availability) = signal(None::<PrefixCheck>);
    let generation = StoredValue::new(0u64);
    let on_prefix = move |ev| {
        let v = event_target_value(&ev);
        set_typed.set(v.clone());
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        // `try_`: the answer can come after the visitor has submitted and left the page.
        set_timeout(
            move || {
                if generation.try_get_value() != Some(mine) || v.trim().is_empty() {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let answer = check_prefix(v).await.ok();
                    if generation.try_get_value() == Some(mine) {
                        let _ = set_availability.try_set(answer);
                    }
                });
            },
            std::time::Duration::from_millis(350),
        );
    };
    let PrefixTexts {
        label,
        hint,
        placeholder,
        available,
        problems,
    } = texts;
    let address = move || {
        let p = typed.get().trim().to_ascii_lowercase();
        let shown = if p.is_empty() { placeholder.clone() } else { p };
        format!("{shown}.{domain}")
    };
    let live = Memo::new(move |_| -> Option<(bool, String)> {
        let check = availability.get()?;
        if check.normalised != typed.get().trim().to_ascii_lowercase() {
            return None;
        }
        Some(match check.problem {
            None => (true, available.clone()),
            Some(p) => (
                false,
                problems
                    .iter()
                    .find(|(q, _)| *q == p)
                    .map(|(_, text)| text.clone())
                    .unwrap_or_default(),
            ),
        })
    });
    let prefix_error = Signal::derive(move || match live.get() {
        Some((false, msg)) => Some(msg),
        Some((true, _)) => None,
        None => submitted_error.clone(),
    });
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            crate::ui::mark_island_live(&el);
        }
    });
    view! {
        <Field id="prefix" label=label hint=Some(hint) error=prefix_error>
            <input node_ref=input id="prefix" name="prefix" maxlength="40" required autocapitalize="none" spellcheck="false"
                autocomplete="off" value=value on:input=on_prefix
                aria-describedby="prefix-error prefix-hint prefix-address" />
            <p class="address-preview" id="prefix-address" aria-live="polite">
                <span data-test="address-preview">{address}</span>
                {move || live.get().filter(|(ok, _)| *ok).map(|(_, m)| view! { <span class="ok" data-test="prefix-available">" ✓ " {m}</span> })}
            </p>
        </Field>
    }
}
