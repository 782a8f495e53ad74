//! `/help/manual`, `/help/sla` and `/help/notices`: the published articles of one kind in the
//! reader's language, in their order, each rendered from Markdown on the server. One page
//! for the three, so they cost one view in the WASM.
use super::{BackToHelp, kind_label, tr};
use crate::domain::help::HelpKind;
use crate::model::error::AppError;
use crate::model::help::ArticleView;
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/api", endpoint = "help/articles")]
pub async fn help_articles(kind: String) -> Result<Vec<ArticleView>, AppError> {
    use crate::server::context;
    let state = context::state()?;
    // FAQ entries have their own page, with search and categories.
    let kind = HelpKind::from_code(&kind)
        .filter(|k| *k != HelpKind::Faq)
        .ok_or_else(context::not_found)?;
    crate::server::help::public_articles(&state, kind, context::page_language())
        .await
        .map_err(context::internal)
}

/// The line under the heading, and the page the articles lean on.
fn lead(kind: HelpKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        HelpKind::Sla => (
            tr(
                "서비스 수준 협약(SLA)의 요점입니다. 현재 보상 비율은 보상 기준 페이지에 있습니다.",
                "The service-level agreement in short. The credit rates in force are on the compensation scheme.",
            ),
            "/help/compensation",
            tr("SLA 보상 기준 보기", "See the compensation scheme"),
        ),
        HelpKind::Notice => (
            tr(
                "서비스 운영과 지원에 관한 공지입니다. 장애와 복구 내역은 장애 공지에 있습니다.",
                "Notices about running and supporting the service. Incidents and their recovery are on the incident notices.",
            ),
            "/incidents",
            tr("장애 공지 보기", "See the incident notices"),
        ),
        _ => (
            tr(
                "포털을 처음 쓰는 분을 위한 안내입니다. 궁금한 점이 남으면 FAQ를 보거나 문의해 주세요.",
                "A guide for new users of the portal. If something is left unanswered, see the FAQ or ask us.",
            ),
            "/help/faq",
            tr("자주 묻는 질문 보기", "See the FAQ"),
        ),
    }
}

#[component]
pub fn HelpArticlesPage(kind: HelpKind) -> impl IntoView {
    let data = Resource::new(|| (), move |_| help_articles(kind.code().to_string()));
    let (line, link, link_text) = lead(kind);
    let dated = kind == HelpKind::Notice;
    view! {
        <Title text=kind_label(kind) />
        <section class="page help" data-kind=kind.code()>
            <BackToHelp />
            <h1>{kind_label(kind)}</h1>
            <p class="lead">{line} " " <a href=link>{link_text}</a></p>
            <Suspense fallback=crate::ui::Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(_) => view! { <p class="notice notice-error">{tr("불러오지 못했습니다.", "Could not load.")}</p> }.into_any(),
                        Ok(articles) => view! { <ArticleList articles dated /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ArticleList(articles: Vec<ArticleView>, dated: bool) -> impl IntoView {
    if articles.is_empty() {
        return view! { <p class="empty" data-test="no-articles">{tr("아직 게시된 내용이 없습니다.", "Nothing published yet.")}</p> }.into_any();
    }
    // A table of contents only where there is something to skip to.
    let toc = (articles.len() > 2).then(|| {
        view! {
            <nav class="toc" aria-label=tr("목차", "Contents")>
                <ol>
                    {articles.iter().map(|a| view! { <li><a href=format!("#a-{}", a.id)>{a.title.clone()}</a></li> }).collect_view()}
                </ol>
            </nav>
        }
    });
    view! {
        {toc}
        {articles.into_iter().map(|a| view! {
            <section class="panel" id=format!("a-{}", a.id) data-test="article">
                <h2>{a.title}</h2>
                {a.published_on.filter(|_| dated).map(|d| view! { <p class="meta">{tr("게시일 ", "Published ")} {d}</p> })}
                <div class="markdown" inner_html=a.html></div>
            </section>
        }).collect_view()}
    }
    .into_any()
}
