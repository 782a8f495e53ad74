//! `/admin/help`: every help article and FAQ entry, drafts included, with links to edit them
//! and to write new ones (support staff and administrators; other staff read).
use super::AdminNav;
use crate::domain::help::{FaqCategory, HelpKind};
use crate::model::error::AppError;
use crate::model::help::{AdminArticleRow, AdminHelpList};
use crate::pages::auth::guard::StaffOnly;
use crate::pages::help::{category_label, kind_label, tr};
use leptos::prelude::*;
use leptos_meta::Title;

#[server(prefix = "/api", endpoint = "admin/help")]
pub async fn admin_help() -> Result<AdminHelpList, AppError> {
    use crate::server::context;
    let (state, _, role) = context::require_staff()?;
    crate::server::help::admin_list(&state, role)
        .await
        .map_err(context::internal)
}

#[component]
pub fn AdminHelpPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| admin_help());
    view! {
        <StaffOnly>
            <Title text=tr("도움말 관리", "Help content") />
            <section class="page">
                <h1>{tr("도움말 관리", "Help content")}</h1>
                <AdminNav />
                <p class="hint">{tr(
                    "매뉴얼, FAQ, SLA 안내, 서비스 공지는 언어별로 한 항목씩입니다. 게시한 항목만 /help 에 보입니다.",
                    "Manual sections, FAQ entries, the SLA guide and notices are one entry per language. Only published entries are on /help.",
                )}</p>
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            Err(_) => view! { <p class="notice notice-error">{tr("불러오지 못했습니다.", "Could not load.")}</p> }.into_any(),
                            Ok(list) => view! { <ArticleTable list /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </StaffOnly>
    }
}

/// "FAQ · Billing", "Manual": what an article is, in words.
pub fn what(kind: &str, category: Option<&str>) -> String {
    let kind = HelpKind::from_code(kind)
        .map(kind_label)
        .unwrap_or_default();
    match category.and_then(FaqCategory::from_code) {
        Some(c) => format!("{kind} · {}", category_label(c)),
        None => kind.to_string(),
    }
}

#[component]
fn ArticleTable(list: AdminHelpList) -> impl IntoView {
    view! {
        {list.may_edit.then(|| view! {
            <p class="actions">
                {HelpKind::ALL.into_iter().map(|k| view! {
                    <a class="button small" href=format!("/admin/help/new?kind={}", k.code()) data-test=format!("new-{}", k.code())>
                        "+ " {kind_label(k)}
                    </a>
                }).collect_view()}
            </p>
        })}
        <div class="table-wrap">
            <table data-test="help-articles">
                <thead><tr>
                    <th scope="col">{tr("종류", "Kind")}</th>
                    <th scope="col">{tr("언어", "Language")}</th>
                    <th scope="col">{tr("제목 / 질문", "Title / question")}</th>
                    <th scope="col" class="num">{tr("순서", "Order")}</th>
                    <th scope="col">{tr("상태", "Status")}</th>
                    <th scope="col">{tr("최근 수정", "Last change")}</th>
                </tr></thead>
                <tbody>
                    {list.articles.into_iter().map(|a| view! { <Row a /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Row(a: AdminArticleRow) -> impl IntoView {
    let status = if a.published {
        view! { <span class="badge badge-paid">{tr("게시됨", "Published")}</span> }.into_any()
    } else {
        view! { <span class="badge">{tr("초안", "Draft")}</span> }.into_any()
    };
    view! {
        <tr data-test="help-article" data-id=a.id>
            <td>{what(&a.kind, a.category.as_deref())}</td>
            <td>{a.language.to_uppercase()}</td>
            <td>
                <a href=format!("/admin/help/{}", a.id)>{a.title}</a>
                {a.source_ticket.map(|t| view! { <span class="hint">" · " {tr("문의", "ticket")} " #" {t}</span> })}
            </td>
            <td class="num">{a.position}</td>
            <td>{status}</td>
            <td class="hint">{a.updated_at} {a.updated_by.map(|u| format!(" · {u}"))}</td>
        </tr>
    }
}
