//! `/help/faq?q=&category=`: the published FAQ in the reader's language, grouped by category.
//! The search is a plain GET form and the category filter plain links, so both work without
//! JavaScript and every result has an address to share.
use super::{BackToHelp, category_label, kind_label, tr};
use crate::domain::help::{FaqCategory, HelpKind};
use crate::model::error::AppError;
use crate::model::help::FaqResults;
use crate::ui::url::encode;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(prefix = "/api", endpoint = "help/faq")]
pub async fn help_faq(
    #[server(default)] q: String,
    #[server(default)] category: String,
) -> Result<FaqResults, AppError> {
    use crate::server::context;
    let state = context::state()?;
    crate::server::help::faq_page(&state, context::page_language(), &q, &category)
        .await
        .map_err(context::internal)
}

/// `/help/faq` with the query and category given (either may be empty).
fn faq_href(q: &str, category: &str) -> String {
    let mut params = Vec::new();
    if !q.is_empty() {
        params.push(format!("q={}", encode(q)));
    }
    if !category.is_empty() {
        params.push(format!("category={category}"));
    }
    if params.is_empty() {
        "/help/faq".into()
    } else {
        format!("/help/faq?{}", params.join("&"))
    }
}

#[component]
pub fn HelpFaqPage() -> impl IntoView {
    let query = use_query_map();
    let wanted = move || {
        let m = query.get();
        (
            m.get("q").unwrap_or_default(),
            m.get("category").unwrap_or_default(),
        )
    };
    let data = Resource::new(wanted, |(q, c)| help_faq(q, c));
    view! {
        <Title text=kind_label(HelpKind::Faq) />
        <section class="page help">
            <BackToHelp />
            <h1>{kind_label(HelpKind::Faq)}</h1>
            <Suspense fallback=crate::ui::Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(_) => view! { <p class="notice notice-error">{tr("불러오지 못했습니다.", "Could not load.")}</p> }.into_any(),
                        Ok(r) => view! { <FaqView r /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn FaqView(r: FaqResults) -> impl IntoView {
    let q = r.query.clone();
    let searching = !q.trim().is_empty();
    let count: usize = r.groups.iter().map(|g| g.entries.len()).sum();
    let chip = |href: String, label: &'static str, current: bool, code: &'static str| {
        view! { <a class="badge" href=href aria-current=current.then_some("page") data-category=code>{label}</a> }
    };
    view! {
        <form method="get" action="/help/faq" class="search help-search" role="search" data-test="faq-search">
            <label for="faq-q" class="sr-only">{tr("검색어", "Search words")}</label>
            <input id="faq-q" type="search" name="q" value=q.clone() maxlength="100" placeholder=tr("예: 청구서, 비밀번호", "e.g. invoice, password") />
            // Searching keeps the category chosen below; "all" clears it.
            {(!r.category.is_empty()).then(|| view! { <input type="hidden" name="category" value=r.category.clone() /> })}
            <button type="submit" class="button primary">{tr("검색", "Search")}</button>
        </form>
        <nav class="badges help-categories" aria-label=tr("분류", "Categories") data-test="faq-categories">
            {chip(faq_href(&q, ""), tr("전체", "All"), r.category.is_empty(), "")}
            {FaqCategory::ALL.into_iter().map(|c| chip(faq_href(&q, c.code()), category_label(c), r.category == c.code(), c.code())).collect_view()}
        </nav>
        {searching.then(|| view! {
            <p class="meta" data-test="faq-count" role="status">
                {format!("‘{q}’ ")}{tr("검색 결과 ", "results: ")}{count}{tr("건", "")}
            </p>
        })}
        {if r.groups.is_empty() {
            view! {
                <p class="empty" data-test="faq-none">
                    {tr("찾는 질문이 없습니다. 다른 말로 검색하거나 ", "No question matches. Try other words, or ")}
                    <a href="/support/new">{tr("문의해 주세요", "ask us")}</a>"."
                </p>
            }.into_any()
        } else {
            r.groups.into_iter().map(|g| {
                let label = FaqCategory::from_code(&g.category).map(category_label).unwrap_or_default();
                view! {
                    <section data-test="faq-group" data-category=g.category.clone()>
                        <h2>{label}</h2>
                        {g.entries.into_iter().map(|e| view! {
                            // Open while searching, so the matching answer shows at once.
                            <details class="panel faq" id=format!("q-{}", e.id) data-test="faq-entry" open=searching>
                                <summary>{e.title}</summary>
                                <div class="markdown" inner_html=e.html></div>
                            </details>
                        }).collect_view()}
                    </section>
                }
            }).collect_view().into_any()
        }}
    }
}
