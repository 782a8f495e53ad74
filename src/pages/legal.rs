//! Terms of Service and Privacy Policy: the version in force, from the database.
use crate::i18n::*;
use crate::model::accounts::LegalDocView;
use crate::model::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/api", endpoint = "legal")]
pub async fn legal_document(kind: String, lang: String) -> Result<Option<LegalDocView>, AppError> {
    use crate::server::context;
    let state = context::state()?;
    crate::server::legal::current(&state, &kind, &lang, chrono::Utc::now())
        .await
        .map_err(context::internal)
}

#[component]
pub fn TermsPage() -> impl IntoView {
    view! { <LegalPage kind="terms" /> }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! { <LegalPage kind="privacy" /> }
}

#[component]
fn LegalPage(kind: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let doc = Resource::new(
        move || i18n.get_locale(),
        move |l| legal_document(kind.to_string(), l.as_str().to_string()),
    );
    view! {
        <section class="page prose">
            <Suspense fallback=crate::ui::Loading>
                {move || Suspend::new(async move {
                    match doc.await {
                        Ok(Some(d)) => leptos::either::Either::Left(view! {
                            <Title text=d.title.clone() />
                            <h1>{d.title.clone()}</h1>
                            <p class="meta" data-test="doc-version">
                                {t!(i18n, legal.version)} " " {d.version.clone()} " · "
                                {t!(i18n, legal.effective)} " " {d.effective_date.clone()}
                            </p>
                            {d.paragraphs.iter().map(|p| view! { <p>{p.clone()}</p> }).collect_view()}
                        }),
                        _ => leptos::either::Either::Right(view! { <p>{t!(i18n, common.failure)}</p> }),
                    }
                })}
            </Suspense>
        </section>
    }
}
