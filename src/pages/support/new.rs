//! `/support/new`: filing a ticket. Posts multipart to /support/tickets; a refusal comes back
//! through the no-JS flash with every typed value and a message next to each field.
use super::{AttachmentHint, accept_of, labels, load_ticket_form, tr};
use crate::domain::support::ticket::{Severity, TicketKind};
use crate::model::support::{TicketFormInfo, TicketFormResult};
use crate::pages::auth::guard::{CustomerOnly, is_customer};
use crate::pages::forms::form_flash;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewTicketPage() -> impl IntoView {
    let customer = is_customer();
    let data = Resource::new(
        || (),
        move |_| async move {
            if !customer {
                return None;
            }
            let kept: TicketFormResult = form_flash("ticket".into())
                .await
                .ok()
                .flatten()
                .and_then(|j| serde_json::from_str(&j).ok())
                .unwrap_or_default();
            Some((load_ticket_form().await.ok()?, kept))
        },
    );
    view! {
        <Title text=tr("문의 등록", "New ticket") />
        <CustomerOnly>
            <section class="page narrow">
                <h1>{tr("문의 등록", "New ticket")}</h1>
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            Some((info, kept)) => view! { <TicketForm info kept /> }.into_any(),
                            None => view! { <p class="notice notice-error">{tr("불러오지 못했습니다.", "Could not load.")}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </CustomerOnly>
    }
}

#[component]
fn FieldProblem(kept: TicketFormResult, field: &'static str) -> impl IntoView {
    let id = format!("{field}-error");
    view! {
        <p class="field-error" id=id role="alert">
            {kept.problem(field).map(|c| labels::problem(&c))}
        </p>
    }
}

#[component]
fn TicketForm(info: TicketFormInfo, kept: TicketFormResult) -> impl IntoView {
    let kind_now = kept.kind.clone();
    let sev_now = kept.severity.clone();
    let project_now = kept.project_id.clone();
    let accept = accept_of(&info);
    let refused = !kept.problems.is_empty();
    view! {
        {refused.then(|| view! { <p class="notice notice-error" role="alert">{tr("입력 내용을 확인해 주세요. 첨부 파일은 다시 선택해야 합니다.", "Please check the form. Attachments must be chosen again.")}</p> })}
        <form class="form" method="post" action="/support/tickets" enctype="multipart/form-data" data-test="ticket-form">
            <div class="field">
                <label for="kind">{tr("종류", "Kind")}</label>
                <select id="kind" name="kind" required aria-describedby="kind-error">
                    <option value="">{tr("선택하세요", "Choose")}</option>
                    {TicketKind::ALL.iter().map(|k| view! {
                        <option value=k.code() selected=kind_now == k.code()>{labels::kind(*k)}</option>
                    }).collect_view()}
                </select>
                <FieldProblem kept=kept.clone() field="kind" />
            </div>
            <div class="field">
                <label for="severity">{tr("심각도 (장애 신고)", "Severity (incident reports)")}</label>
                <select id="severity" name="severity" aria-describedby="severity-error severity-hint">
                    <option value="">"—"</option>
                    {Severity::ALL.iter().map(|s| view! {
                        <option value=s.code() selected=sev_now == s.code()>{labels::severity(*s)}</option>
                    }).collect_view()}
                </select>
                <p class="field-hint" id="severity-hint">{tr("장애 신고일 때만 필요합니다.", "Needed for incident reports only.")}</p>
                <FieldProblem kept=kept.clone() field="severity" />
            </div>
            <div class="field">
                <label for="project_id">{tr("프로젝트 (선택)", "Project (optional)")}</label>
                <select id="project_id" name="project_id" aria-describedby="project_id-error">
                    <option value="">{tr("해당 없음", "None")}</option>
                    {info.projects.iter().map(|(id, name)| {
                        let v = id.to_string();
                        let sel = project_now == v;
                        view! { <option value=v selected=sel>{name.clone()}</option> }
                    }).collect_view()}
                </select>
                <FieldProblem kept=kept.clone() field="project_id" />
            </div>
            <div class="field">
                <label for="subject">{tr("제목", "Subject")}</label>
                <input id="subject" name="subject" maxlength="150" required value=kept.subject.clone() aria-describedby="subject-error" />
                <FieldProblem kept=kept.clone() field="subject" />
            </div>
            <div class="field">
                <label for="body">{tr("내용", "Description")}</label>
                <textarea id="body" name="body" rows="8" maxlength="20000" required aria-describedby="body-error body-hint">{kept.body.clone()}</textarea>
                <p class="field-hint" id="body-hint">{tr("마크다운을 쓸 수 있습니다. HTML은 글자 그대로 표시됩니다.", "Markdown works; HTML is shown as typed.")}</p>
                <FieldProblem kept=kept.clone() field="body" />
            </div>
            <div class="field">
                <label for="attachments">{tr("첨부 파일", "Attachments")}</label>
                <input id="attachments" name="attachments" type="file" multiple accept=accept aria-describedby="attachments-hint attachments-error" />
                <AttachmentHint info=info.clone() />
                <FieldProblem kept=kept.clone() field="attachments" />
            </div>
            <button type="submit" class="button primary wide">{tr("등록", "Submit")}</button>
        </form>
    }
}
