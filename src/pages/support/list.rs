//! `/support`: the customer's tickets (status, kind, project, last reply, next promised time)
//! and the notifications of new answers.
use super::{labels, my_tickets, tr};
use crate::model::support::TicketSummary;
use crate::pages::auth::guard::{CustomerOnly, is_customer};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SupportListPage() -> impl IntoView {
    let query = use_query_map();
    let customer = is_customer();
    let data = Resource::new(
        move || query.get().get("page").and_then(|p| p.parse::<i64>().ok()),
        move |page| async move {
            if !customer {
                return None;
            }
            my_tickets(page).await.ok()
        },
    );
    view! {
        <Title text=tr("고객 지원", "Support") />
        <CustomerOnly>
            <section class="page">
                <div class="section-head">
                    <h1>{tr("고객 지원", "Support")}</h1>
                    <a class="button primary" href="/support/new" data-test="new-ticket">{tr("문의 등록", "New ticket")}</a>
                </div>
                <p class="lead">{tr(
                    "장애 신고는 업무시간(평일 09:00-18:00, 공휴일 제외) 기준 4시간 내 착수, 6시간 내 진행 보고, 24시간 내 해결, 48시간 내 결과 보고서를 약속합니다.",
                    "For incident reports we promise, in business hours (weekdays 09:00-18:00 KST, public holidays excepted): work starts within 4 hours, a progress report within 6, resolution within 24 and a written report within 48.",
                )}</p>
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            Some(list) => {
                                let notes = list.notifications.clone();
                                view! {
                                    {(!notes.is_empty()).then(|| view! {
                                        <ul class="notices" data-test="ticket-notifications">
                                            {notes.into_iter().map(|n| view! {
                                                <li class="notice">
                                                    <a href=format!("/support/tickets/{}", n.ticket_id)>
                                                        {if n.kind == "status" { tr("상태 변경", "Status changed") } else { tr("새 답변", "New answer") }}
                                                        ": " {n.subject}
                                                    </a>
                                                    " " <small>{n.at}</small>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    })}
                                    {if list.tickets.is_empty() && list.page == 1 {
                                        view! {
                                            <div class="empty" data-test="empty-tickets">
                                                <h2>{tr("아직 문의가 없습니다", "No tickets yet")}</h2>
                                                <p>{tr("궁금한 점이나 장애가 있으면 문의를 등록하세요.", "File a ticket for a question or an incident.")}</p>
                                            </div>
                                        }.into_any()
                                    } else {
                                        view! { <TicketTable tickets=list.tickets.clone() /> }.into_any()
                                    }}
                                    <nav class="pager">
                                        {(list.page > 1).then(|| view! { <a href=format!("?page={}", list.page - 1)>{tr("이전", "Previous")}</a> })}
                                        {list.has_next.then(|| view! { <a href=format!("?page={}", list.page + 1)>{tr("다음", "Next")}</a> })}
                                    </nav>
                                }.into_any()
                            }
                            None => view! { <p class="notice notice-error">{tr("불러오지 못했습니다.", "Could not load.")}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </CustomerOnly>
    }
}

#[component]
fn TicketTable(tickets: Vec<TicketSummary>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table" data-test="ticket-list">
                <thead>
                    <tr>
                        <th>{tr("제목", "Subject")}</th>
                        <th>{tr("상태", "Status")}</th>
                        <th>{tr("종류", "Kind")}</th>
                        <th>{tr("프로젝트", "Project")}</th>
                        <th>{tr("최근 답변", "Last reply")}</th>
                        <th>{tr("다음 약속 시각", "Next promised")}</th>
                    </tr>
                </thead>
                <tbody>
                    {tickets.into_iter().map(|t| view! {
                        <tr>
                            <td><a href=format!("/support/tickets/{}", t.id)>"#" {t.id} " " {t.subject.clone()}</a></td>
                            <td><span class=format!("badge status-{}", t.status.code())>{labels::status(t.status)}</span></td>
                            <td>{labels::kind(t.kind)}</td>
                            <td>{t.project_name.clone().unwrap_or_else(|| "—".into())}</td>
                            <td>{t.last_reply_at.clone()} " " <small>{if t.last_reply_by_staff { tr("(지원팀)", "(support)") } else { tr("(나)", "(you)") }}</small></td>
                            <td>{match t.next_promise.clone() {
                                Some((k, at)) => format!("{at} · {}", labels::clock(k)),
                                None => "—".into(),
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
