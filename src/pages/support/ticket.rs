//! `/support/tickets/{id}`: the conversation, the promised times, reply (with files), close,
//! reopen within the window, and rating the answer.
use super::{AttachmentHint, accept_of, labels, load_ticket_form, my_ticket, tr};
use crate::model::support::{MessageView, TicketDetail, TicketFormInfo, TicketFormResult};
use crate::pages::auth::guard::{CustomerOnly, is_customer};
use crate::pages::forms::form_flash;
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn TicketPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let customer = is_customer();
    let data = Resource::new(
        move || params.get().get("id").and_then(|s| s.parse::<i64>().ok()),
        move |id| async move {
            if !customer {
                return None;
            }
            let id = id?;
            let d = my_ticket(id).await.ok();
            let info = load_ticket_form().await.ok()?;
            let kept: TicketFormResult = form_flash("reply".into())
                .await
                .ok()
                .flatten()
                .and_then(|j| serde_json::from_str(&j).ok())
                .unwrap_or_default();
            Some((d, info, kept))
        },
    );
    let created = move || query.get().get("created").is_some();
    let problem = move || query.get().get("problem");
    view! {
        <CustomerOnly>
            <Suspense fallback=crate::ui::Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Some((Some(d), info, kept)) => view! {
                            <Title text=d.summary.subject.clone() />
                            {created().then(|| view! { <p class="notice notice-ok" role="status" data-test="ticket-created">{tr("문의가 등록되었습니다.", "Your ticket has been filed.")}</p> })}
                            {problem().map(|_| view! { <p class="notice notice-error" role="alert">{tr("지금은 할 수 없는 작업입니다.", "That cannot be done now.")}</p> })}
                            <TicketView d info kept />
                        }.into_any(),
                        Some((None, _, _)) => view! { <NotFound /> }.into_any(),
                        None => view! { <p class="notice notice-error">{tr("불러오지 못했습니다.", "Could not load.")}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </CustomerOnly>
    }
}

#[component]
pub fn Conversation(messages: Vec<MessageView>) -> impl IntoView {
    let last = messages.last().map(|m| m.id);
    view! {
        <ol class="conversation" data-test="conversation">
            {messages.into_iter().map(|m| {
                let class = if m.purpose == crate::domain::support::ticket::MessagePurpose::InternalNote {
                    "message internal"
                } else if m.from_staff { "message staff" } else { "message customer" };
                let anchor = (Some(m.id) == last).then_some("latest");
                view! {
                    <li class=class id=anchor data-test="message">
                        <p class="message-head">
                            <strong>{m.author.clone()}</strong>
                            " · " <span>{labels::purpose(m.purpose)}</span>
                            " · " <small>{m.at.clone()}</small>
                        </p>
                        <div class="markdown" inner_html=m.html.clone()></div>
                        {(!m.attachments.is_empty()).then(|| view! {
                            <ul class="attachments">
                                {m.attachments.iter().map(|a| view! {
                                    <li><a href=format!("/support/attachments/{}", a.id) data-test="attachment">{a.file_name.clone()}</a>
                                    " " <small>{format!("{:.1} KB", a.size_bytes as f64 / 1024.0)}</small></li>
                                }).collect_view()}
                            </ul>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

#[component]
pub fn ClockTable(d: TicketDetail) -> impl IntoView {
    (!d.clocks.is_empty()).then(|| view! {
        <div class="table-wrap">
            <table class="table clocks" data-test="clocks">
                <caption>{tr("처리 약속 (업무시간 기준)", "Our promises (in business hours)")}</caption>
                <tbody>
                    {d.clocks.iter().map(|(k, v)| {
                        let breached = matches!(v, crate::model::support::ClockView::Breached { .. } | crate::model::support::ClockView::MetLate { .. });
                        view! {
                            <tr class:breached=breached>
                                <th scope="row">{labels::clock(*k)}</th>
                                <td>{labels::clock_state(v)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    })
}

#[component]
fn TicketView(d: TicketDetail, info: TicketFormInfo, kept: TicketFormResult) -> impl IntoView {
    let s = d.summary.clone();
    let id = s.id;
    let action = format!("/support/tickets/{id}/action");
    view! {
        <section class="page">
            <p><a href="/support">{tr("← 문의 목록", "← All tickets")}</a></p>
            <h1 data-test="ticket-subject">"#" {id} " " {s.subject.clone()}</h1>
            <p class="badges">
                <span class=format!("badge status-{}", s.status.code()) data-test="ticket-status">{labels::status(s.status)}</span>
                <span class="badge">{labels::kind(s.kind)}</span>
                {s.severity.map(|v| view! { <span class="badge">{labels::severity(v)}</span> })}
                {s.project_name.clone().map(|p| view! { <span class="badge">{p}</span> })}
            </p>
            <ClockTable d=d.clone() />
            <Conversation messages=d.messages.clone() />
            {d.may_reply.then(|| {
                let accept = accept_of(&info);
                view! {
                    <form class="form" method="post" action=format!("/support/tickets/{id}/reply") enctype="multipart/form-data" data-test="reply-form">
                        <h2>{tr("답장", "Reply")}</h2>
                        <div class="field">
                            <label for="body">{tr("내용", "Message")}</label>
                            <textarea id="body" name="body" rows="5" maxlength="20000" required aria-describedby="body-error">{kept.body.clone()}</textarea>
                            <p class="field-error" id="body-error" role="alert">{kept.problem("body").map(|c| labels::problem(&c))}</p>
                        </div>
                        <div class="field">
                            <label for="attachments">{tr("첨부 파일", "Attachments")}</label>
                            <input id="attachments" name="attachments" type="file" multiple accept=accept aria-describedby="attachments-hint attachments-error" />
                            <AttachmentHint info=info.clone() />
                            <p class="field-error" id="attachments-error" role="alert">{kept.problem("attachments").map(|c| labels::problem(&c))}</p>
                        </div>
                        <button type="submit" class="button primary">{tr("보내기", "Send")}</button>
                    </form>
                }
            })}
            <div class="actions">
                {d.may_close.then(|| view! {
                    <form method="post" action=action.clone()>
                        <input type="hidden" name="action" value="close" />
                        <button type="submit" class="button">{tr("문의 종료", "Close ticket")}</button>
                    </form>
                })}
                {d.may_reopen.then(|| view! {
                    <form method="post" action=action.clone()>
                        <input type="hidden" name="action" value="reopen" />
                        <button type="submit" class="button" data-test="reopen">{format!("{} ({} {})", tr("다시 열기", "Reopen"), d.reopen_days, tr("일 이내", "days after resolution"))}</button>
                    </form>
                })}
                {d.may_rate.then(|| view! {
                    <form method="post" action=action.clone() class="rating">
                        <input type="hidden" name="action" value="rate" />
                        <label for="rating">{tr("답변 평가", "Rate the answer")}</label>
                        <select id="rating" name="rating">
                            {(1..=5).rev().map(|n| view! { <option value=n.to_string() selected=d.rating == Some(n)>{"★".repeat(n as usize)}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="button">{tr("평가", "Rate")}</button>
                    </form>
                })}
            </div>
        </section>
    }
}
