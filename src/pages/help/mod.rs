//! The public help area (SPEC R8.1, R8.4): the index, the user manual, the FAQ with its
//! search, the SLA guide and the service notices, readable without logging in. The content is
//! data staff edit in `/admin/help`; what is here is the frame around it and the words for its
//! codes, shared with the staff editor.
//!
//! Texts are Korean and English side by side (`tr`), like the support and SLA areas.
pub mod articles;
pub mod faq;
pub mod index;

use crate::domain::help::{FaqCategory, HelpKind};
use crate::i18n::*;
use leptos::prelude::*;

/// The Korean or English text, by the visitor's language (switching it reloads the page).
pub fn tr(ko: &'static str, en: &'static str) -> &'static str {
    if use_i18n().get_locale_untracked() == Locale::en {
        en
    } else {
        ko
    }
}

pub fn kind_label(k: HelpKind) -> &'static str {
    match k {
        HelpKind::Manual => tr("사용자 매뉴얼", "User manual"),
        HelpKind::Faq => tr("자주 묻는 질문", "FAQ"),
        HelpKind::Sla => tr("SLA 안내", "SLA guide"),
        HelpKind::Notice => tr("서비스 공지", "Service notices"),
    }
}

pub fn category_label(c: FaqCategory) -> &'static str {
    match c {
        FaqCategory::Account => tr("가입·계정", "Sign-up and account"),
        FaqCategory::Projects => tr("프로젝트·모니터링", "Projects and monitoring"),
        FaqCategory::Billing => tr("요금·청구", "Plans and billing"),
        FaqCategory::Sla => tr("SLA·보상", "SLA and credits"),
        FaqCategory::Support => tr("기술 지원", "Support"),
    }
}

/// The message for a stable problem code of the help forms (`domain::help::input`).
pub fn problem_text(code: &str) -> &'static str {
    match code {
        "kind_unknown" => tr("종류를 고르세요.", "Choose the kind."),
        "category_unknown" => tr("FAQ 분류를 고르세요.", "Choose the FAQ category."),
        "language_unknown" => tr("언어를 고르세요.", "Choose the language."),
        "title_missing" => tr("제목(질문)을 입력하세요.", "Enter the title (question)."),
        "title_too_long" => tr(
            "제목(질문)은 200자까지 입력할 수 있습니다.",
            "The title (question) may be at most 200 characters.",
        ),
        "body_missing" => tr("본문(답변)을 입력하세요.", "Enter the body (answer)."),
        "body_too_long" => tr(
            "본문(답변)은 20,000자까지 입력할 수 있습니다.",
            "The body (answer) may be at most 20,000 characters.",
        ),
        "position_invalid" => tr(
            "순서는 0부터 9999까지의 정수입니다.",
            "The order is a whole number from 0 to 9999.",
        ),
        _ => tr("입력을 확인하세요.", "Check this field."),
    }
}

/// The messages for one field out of a refused form's problems; None when it is fine.
pub fn field_error(problems: &[crate::model::help::FieldProblem], field: &str) -> Option<String> {
    let texts: Vec<&str> = problems
        .iter()
        .filter(|p| p.field == field)
        .map(|p| problem_text(&p.code))
        .collect();
    (!texts.is_empty()).then(|| texts.join(" "))
}

/// "← Help", above every help page.
#[component]
fn BackToHelp() -> impl IntoView {
    view! { <p class="crumbs"><a href="/help">{tr("← 도움말", "← Help")}</a></p> }
}
