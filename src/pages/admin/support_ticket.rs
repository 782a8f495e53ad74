//! `/admin/support/{id}`: one ticket for staff: clocks, the whole conversation with internal
//! notes, reply / progress / written report / internal note, status, assignment,
//! classification (R8.5) and, once resolved, an FAQ draft that becomes an unpublished FAQ
//! entry (`faq_draft`). Read-only roles see no forms.
use crate::domain::support::ticket::{
    MessagePurpose, ResolutionCategory, ResolutionCause, TicketStatus,
};
use crate::model::error::AppError;
use crate::model::support::{StaffTicket, TicketFormResult};
use crate::pages::admin::faq_draft::FaqDraftPanel;
use crate::pages::auth::guard::StaffOnly;
use crate::pages::forms::form_flash;
use crate::pages::support::ticket::{ClockTable, Conversation};
use crate::pages::support::{labels, tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[server(prefix = "/api", endpoint = "admin/support/ticket")]
pub async fn support_ticket(id: i64) -> Result<StaffTicket, AppError> {
    use crate::server::context;
    let (state, _, role) = context::require_staff()?;
    crate::server::support::tickets::staff_ticket(&state, role, id, chrono::Utc::now())
        .await
        .map_err(context::internal)?
        .ok_or_else(context::not_found)
}

#[component]
pub fn AdminTicketPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || params.get().get("id").and_then(|s| s.parse::<i64>().ok()),
        |id| async move {
            let t = support_ticket(id?).await.ok()?;
            let kept: TicketFormResult = form_flash("staff_reply".into())
                .await
                .ok()
                .flatten()
                .and_then(|j| serde_json::from_str(&j).ok())
                .unwrap_or_default();
            let faq_flash = form_flash("faq_draft".into()).await.ok().flatten();
            Some((t, kept, faq_flash))
        },
    );
    let problem = move || query.get().get("problem");
    view! {
        <StaffOnly>
            <Suspense fallback=crate::ui::Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Some((t, kept, faq_flash)) => view! {
                            <Title text=t.detail.summary.subject.clone() />
                            {problem().map(|_| view! { <p class="notice notice-error" role="alert">{tr("요청을 처리할 수 없습니다.", "That change is not possible.")}</p> })}
                            <StaffTicketView t kept faq_flash />
                        }.into_any(),
                        None => view! { <crate::pages::not_found::NotFound /> }.into_any(),
                    }
                })}
            </Suspense>
        </StaffOnly>
    }
}

#[component]
fn StaffTicketView(
    t: StaffTicket,
    kept: TicketFormResult,
    faq_flash: Option<String>,
) -> impl IntoView {
    let d = t.detail.clone();
    let s = d.summary.clone();
    let id = s.id;
    let may = t.may_work;
    let res = d.resolution;
    view! {
        <section class="page">
            <p><a href="/admin/support">{tr("← 대기열", "← Queue")}</a></p>
            <h1>"#" {id} " " {s.subject.clone()}</h1>
            <p class="badges">
                <span class="badge" data-test="ticket-status">{labels::status(s.status)}</span>
                <span class="badge">{labels::kind(s.kind)}</span>
                {s.severity.map(|v| view! { <span class="badge">{labels::severity(v)}</span> })}
                <span class="badge">{s.customer.clone()}</span>
                {s.project_name.clone().map(|p| view! { <span class="badge">{p}</span> })}
                {d.rating.map(|r| view! { <span class="badge">{"★".repeat(r as usize)}</span> })}
            </p>
            <ClockTable d=d.clone() />
            <Conversation messages=d.messages.clone() />
            {may.then(|| view! {
                <form class="form" method="post" action=format!("/admin/support/{id}/message") enctype="multipart/form-data" data-test="staff-reply-form">
                    <div class="field">
                        <label for="purpose">{tr("종류", "Kind")}</label>
                        <select id="purpose" name="purpose">
                            {MessagePurpose::ALL.iter().map(|p| view! { <option value=p.code()>{labels::purpose(*p)}</option> }).collect_view()}
                        </select>
                        <p class="field-hint">{tr("내부 메모는 고객에게 절대 보이지 않습니다.", "Internal notes are never shown to the customer.")}</p>
                    </div>
                    <div class="field">
                        <label for="body">{tr("내용", "Message")}</label>
                        <textarea id="body" name="body" rows="5" required>{kept.body.clone()}</textarea>
                        <p class="field-error" role="alert">{kept.problem("body").map(|c| labels::problem(&c))}</p>
                    </div>
                    <div class="field">
                        <label for="attachments">{tr("첨부 파일 (파일당 5MB, 3개까지)", "Attachments (5 MB each, 3 at most)")}</label>
                        <input id="attachments" name="attachments" type="file" multiple />
                        <p class="field-error" role="alert">{kept.problem("attachments").map(|c| labels::problem(&c))}</p>
                    </div>
                    <button type="submit" class="button primary">{tr("등록", "Post")}</button>
                </form>
                <div class="actions">
                    <form method="post" action=format!("/admin/support/{id}/status")>
                        <label for="status">{tr("상태", "Status")}</label>
                        <select id="status" name="status">
                            {TicketStatus::ALL.iter().map(|v| view! { <option value=v.code() selected=*v == s.status>{labels::status(*v)}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="button">{tr("변경", "Change")}</button>
                    </form>
                    <form method="post" action=format!("/admin/support/{id}/assign")>
                        <label for="assignee">{tr("담당", "Assignee")}</label>
                        <select id="assignee" name="assignee">
                            <option value="">{tr("미배정", "Unassigned")}</option>
                            {t.agents.iter().map(|(aid, name)| view! { <option value=aid.to_string() selected=t.assignee_id == Some(*aid)>{name.clone()}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="button">{tr("배정", "Assign")}</button>
                        <button type="submit" class="button" name="assignee" value="me">{tr("내가 맡기", "Assign to me")}</button>
                    </form>
                    <form method="post" action=format!("/admin/support/{id}/classify")>
                        <label for="category">{tr("분류", "Category")}</label>
                        <select id="category" name="category">
                            {ResolutionCategory::ALL.iter().map(|c| view! { <option value=c.code() selected=res.map(|r| r.0) == Some(*c)>{labels::category(*c)}</option> }).collect_view()}
                        </select>
                        <label for="cause">{tr("원인", "Cause")}</label>
                        <select id="cause" name="cause">
                            {ResolutionCause::ALL.iter().map(|c| view! { <option value=c.code() selected=res.map(|r| r.1) == Some(*c)>{labels::cause(*c)}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="button">{tr("분류 저장", "Save classification")}</button>
                    </form>
                </div>
            })}
            {t.faq_draft.clone().map(|draft| view! {
                <FaqDraftPanel ticket_id=id subject=s.subject.clone() draft may flash=faq_flash />
            })}
        </section>
    }
}
