//! The FAQ draft on a resolved ticket's staff page (R8.5): what the ticket taught becomes an
//! unpublished FAQ entry (audited), which staff then edit and publish in `/admin/help`. The
//! question starts as the ticket's subject and the answer as the drafted conversation.
use crate::domain::help::FaqCategory;
use crate::domain::language::Language;
use crate::model::error::AppError;
use crate::model::help::{FaqDraftForm, FaqDraftOutcome};
use crate::pages::forms::form_result;
use crate::pages::help::{category_label, field_error, tr};
use crate::ui::fields::{Field, FormNotice};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "admin/support/faq-draft")]
pub async fn draft_faq_from_ticket(
    ticket_id: i64,
    #[server(default)] category: String,
    #[server(default)] language: String,
    #[server(default)] question: String,
    #[server(default)] answer: String,
) -> Result<FaqDraftOutcome, AppError> {
    use crate::server::context;
    let (state, auth, role) = context::require_staff()?;
    let form = FaqDraftForm {
        category,
        language,
        question,
        answer,
    };
    let out = crate::server::help::draft_faq_from_ticket(
        &state,
        &auth,
        role,
        ticket_id,
        form,
        chrono::Utc::now(),
    )
    .await
    .map_err(context::internal)?;
    crate::server::flash::stash("faq_draft", &out);
    Ok(out)
}

/// `may` is whether this staff member works tickets (the same roles write help content; the
/// server checks again). Others see the form disabled.
#[component]
pub fn FaqDraftPanel(
    ticket_id: i64,
    subject: String,
    draft: String,
    may: bool,
    flash: Option<String>,
) -> impl IntoView {
    let action = ServerAction::<DraftFaqFromTicket>::new();
    let result = form_result::<DraftFaqFromTicket, FaqDraftOutcome>(action, flash);
    let drafted = move || match result.get() {
        Some(FaqDraftOutcome::Drafted { id }) => Some(id),
        _ => None,
    };
    let error = Signal::derive(move || match result.get()? {
        FaqDraftOutcome::Drafted { .. } => None,
        FaqDraftOutcome::Invalid { .. } => Some(
            tr(
                "아래 표시된 항목을 고쳐 주세요. 만들지 않았습니다.",
                "Fix the fields marked below; nothing was made.",
            )
            .to_string(),
        ),
        FaqDraftOutcome::NotFound => {
            Some(tr("문의를 찾을 수 없습니다.", "No such ticket.").to_string())
        }
        FaqDraftOutcome::NotAllowed => Some(
            tr(
                "지원 담당자와 관리자만 FAQ를 만들 수 있습니다.",
                "Only support staff and administrators make FAQ entries.",
            )
            .to_string(),
        ),
    });
    let problems = move || match result.get() {
        Some(FaqDraftOutcome::Invalid { problems, .. }) => problems,
        _ => Vec::new(),
    };
    let err = move |f: &'static str| Signal::derive(move || field_error(&problems(), f));
    // A refused form comes back as typed.
    let kept = match result.get_untracked() {
        Some(FaqDraftOutcome::Invalid { kept, .. }) => kept,
        _ => FaqDraftForm {
            category: FaqCategory::Support.code().into(),
            language: Language::Ko.code().into(),
            question: subject,
            answer: draft,
        },
    };
    view! {
        <section class="panel" data-test="faq-draft-panel">
            <h2>{tr("FAQ 초안", "FAQ draft")}</h2>
            <p class="field-hint">{tr(
                "해결된 문의에서 만든 초안입니다. 고객 정보를 지우고 다듬은 뒤 만들면, 도움말 관리에서 게시 전까지 초안으로 남습니다.",
                "Drafted from this resolved ticket. Remove anything about the customer and tidy it; it stays an unpublished draft in Help content until published.",
            )}</p>
            <div data-test="faq-draft-result">
                {move || drafted().map(|id| view! {
                    <p class="notice notice-success" role="status">
                        {tr("FAQ 초안을 만들었습니다: ", "FAQ draft made: ")}
                        <a href=format!("/admin/help/{id}")>{tr("편집하고 게시하기", "edit and publish it")} " #" {id}</a>
                    </p>
                })}
                <FormNotice message=error />
            </div>
            <ActionForm action=action attr:class="form" attr:id="faq-draft-form" attr:data-test="faq-draft-form">
                <input type="hidden" name="ticket_id" value=ticket_id />
                <fieldset disabled=!may>
                    <Field id="faq-category" label=Signal::derive(|| tr("분류", "Category").to_string()) error=err("category")>
                        <select id="faq-category" name="category">
                            {FaqCategory::ALL.into_iter().map(|c| view! { <option value=c.code() selected=kept.category == c.code()>{category_label(c)}</option> }).collect_view()}
                        </select>
                    </Field>
                    <Field id="faq-language" label=Signal::derive(|| tr("언어", "Language").to_string()) error=err("language")>
                        <select id="faq-language" name="language">
                            <option value=Language::Ko.code() selected=kept.language == Language::Ko.code()>"한국어"</option>
                            <option value=Language::En.code() selected=kept.language == Language::En.code()>"English"</option>
                        </select>
                    </Field>
                    <Field id="faq-question" label=Signal::derive(|| tr("질문", "Question").to_string()) error=err("question")>
                        <input id="faq-question" name="question" maxlength="200" value=kept.question.clone() />
                    </Field>
                    <Field id="faq-draft" label=Signal::derive(|| tr("답변 (Markdown)", "Answer (Markdown)").to_string()) error=err("answer")>
                        <textarea id="faq-draft" name="answer" rows="10" maxlength="20000" data-test="faq-draft">{kept.answer.clone()}</textarea>
                    </Field>
                    <button type="submit" class="button primary">{tr("FAQ 초안 만들기", "Make the FAQ draft")}</button>
                </fieldset>
            </ActionForm>
        </section>
    }
}
