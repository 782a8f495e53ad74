//! The public home page: what the portal does today and the two plans.
use crate::i18n::*;
use crate::pages::plan_terms::{FreePlanText, FreePlanWording, free_plan_terms};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let terms = Resource::new(|| (), |_| free_plan_terms());
    view! {
        <Title text="" />
        <section class="hero">
            <h1>{t!(i18n, home.headline)}</h1>
            <p class="lead">{t!(i18n, home.lead)}</p>
            <div class="actions">
                <a class="button primary" href="/signup">{t!(i18n, home.cta_signup)}</a>
                <a class="button" href="/login">{t!(i18n, home.cta_login)}</a>
            </div>
        </section>
        <section class="features">
            <article>
                <h2>{t!(i18n, home.f1_title)}</h2>
                <p>{t!(i18n, home.f1_body)}</p>
            </article>
            <article>
                <h2>{t!(i18n, home.f2_title)}</h2>
                <p>{t!(i18n, home.f2_body)}</p>
            </article>
            <article>
                <h2>{t!(i18n, home.f3_title)}</h2>
                <p>{t!(i18n, home.f3_body)}</p>
            </article>
        </section>
        <section class="plans">
            <article class="plan">
                <h2>{t!(i18n, home.free_title)}</h2>
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        terms.await.ok().map(|terms| view! {
                            <p data-test="free-plan-terms"><FreePlanText terms wording=FreePlanWording::HomeCard /></p>
                        })
                    })}
                </Suspense>
            </article>
            <article class="plan">
                <h2>{t!(i18n, home.paid_title)}</h2>
                <p>{t!(i18n, home.paid_body)}</p>
            </article>
        </section>
    }
}
