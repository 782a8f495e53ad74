//! `/incidents` (SPEC R8.1): the public incident notices, no log-in, newest first, 20 to a
//! page, in the visitor's language. Visitors read the notice, when it began and ended and
//! whether all projects or some were affected; never which customers' projects (the names are
//! staff-only, like the cause).
use crate::domain::incidents::report::format_duration;
use crate::i18n::*;
use crate::model::error::AppError;
use crate::model::incidents::{PublicIncidentView, PublicIncidentsPage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn english() -> bool {
    use_i18n().get_locale_untracked() == Locale::en
}

fn tr(ko: &'static str, en: &'static str) -> &'static str {
    if english() { en } else { ko }
}

#[server(prefix = "/api", endpoint = "incidents")]
pub async fn public_incidents(
    #[server(default)] page: i64,
) -> Result<PublicIncidentsPage, AppError> {
    use crate::server::context;
    let state = context::state()?;
    crate::server::incidents::public_page(&state, page)
        .await
        .map_err(context::internal)
}

#[component]
pub fn IncidentsPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || {
        query
            .get()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
    };
    let data = Resource::new(page, public_incidents);
    view! {
        <Title text=tr("장애 공지", "Incident notices") />
        <section class="page">
            <h1>{tr("장애 공지", "Incident notices")}</h1>
            <p class="lead">{tr(
                "서비스 장애와 복구 내역을 알려 드립니다. 시각은 한국 표준시(KST)입니다.",
                "Service incidents and their recovery. Times are Korea Standard Time (KST).",
            )}</p>
            <Suspense fallback=crate::ui::Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(_) => view! { <p class="notice notice-error">{tr("불러오지 못했습니다.", "Could not load.")}</p> }.into_any(),
                        Ok(p) => view! { <NoticeList p /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn NoticeList(p: PublicIncidentsPage) -> impl IntoView {
    let n = p.page;
    let pager = view! {
        <nav class="pager" aria-label=tr("페이지", "Pages")>
            {(n > 1).then(|| view! { <a href=format!("/incidents?page={}", n - 1) data-test="newer">{tr("← 최근 공지", "← Newer")}</a> })}
            {p.has_next.then(|| view! { <a href=format!("/incidents?page={}", n + 1) data-test="older">{tr("이전 공지 →", "Older →")}</a> })}
        </nav>
    };
    if p.items.is_empty() {
        return view! {
            <p class="empty" data-test="no-notices">{tr("게시된 장애 공지가 없습니다.", "No incident notices.")}</p>
            {pager}
        }
        .into_any();
    }
    view! {
        <ul class="plain" data-test="notices">
            {p.items.into_iter().map(|i| view! { <Notice i /> }).collect_view()}
        </ul>
        {pager}
    }
    .into_any()
}

#[component]
fn Notice(i: PublicIncidentView) -> impl IntoView {
    let en = english();
    let scope = if i.all_projects {
        tr("전체 프로젝트", "All projects").to_string()
    } else if en {
        format!("{} project(s)", i.project_count)
    } else {
        format!("프로젝트 {}개", i.project_count)
    };
    let status = match i.minutes {
        Some(m) => view! { <span class="badge badge-paid" data-test="status">{tr("복구 완료", "Recovered")} " · " {format_duration(m * 60, en)}</span> }.into_any(),
        None => view! { <span class="badge badge-overdue" data-test="status">{tr("복구 중", "Ongoing")}</span> }.into_any(),
    };
    let text = if en { i.notice_en } else { i.notice_ko };
    let lang = if en { "en" } else { "ko" };
    view! {
        <li class="panel" data-test="notice" data-id=i.id>
            <h2>{i.started_at.clone()}</h2>
            <p class="badges">{status}<span class="badge">{scope}</span></p>
            <dl class="facts">
                <dt>{tr("시작", "Began")}</dt><dd>{i.started_at}</dd>
                <dt>{tr("복구", "Recovered")}</dt><dd>{i.recovered_at.unwrap_or_else(|| tr("복구 중", "Not yet").to_string())}</dd>
            </dl>
            <div data-test="notice-text" lang=lang>
                {text.lines().filter(|l| !l.trim().is_empty()).map(|l| view! { <p>{l.to_string()}</p> }).collect_view()}
            </div>
        </li>
    }
}
