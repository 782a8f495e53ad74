//! `/admin/help/{id}` and `/admin/help/new?kind=`: one help article or FAQ entry in the
//! editor: its fields, a preview of the Markdown as visitors will read it, and publish or
//! withdraw. Support staff and administrators write (each save and publication audited),
//! other staff see the same form disabled. Every form is an `ActionForm`, so it works without
//! JavaScript (`server::flash`).
use crate::domain::help::{FaqCategory, HelpKind};
use crate::domain::language::Language;
use crate::model::error::AppError;
use crate::model::help::{AdminArticle, PublishArticleOutcome, SaveArticleOutcome};
use crate::pages::auth::guard::StaffOnly;
use crate::pages::forms::{form_flash, form_result};
use crate::pages::help::{category_label, field_error, kind_label, tr};
use crate::ui::fields::{Field, FormNotice};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[server(prefix = "/api", endpoint = "admin/help/article")]
pub async fn admin_help_article(
    id: i64,
    #[server(default)] kind: String,
) -> Result<AdminArticle, AppError> {
    use crate::server::context;
    let (state, _, role) = context::require_staff()?;
    crate::server::help::admin_article(&state, role, id, &kind)
        .await
        .map_err(context::internal)?
        .ok_or_else(context::not_found)
}

/// `intent` is the button pressed: `preview` renders without storing, anything else saves.
#[server(prefix = "/api", endpoint = "admin/help/save")]
pub async fn save_help_article(
    #[server(default)] id: i64,
    #[server(default)] revision: i64,
    #[server(default)] kind: String,
    #[server(default)] category: String,
    #[server(default)] language: String,
    #[server(default)] title: String,
    #[server(default)] body: String,
    #[server(default)] position: String,
    #[server(default)] intent: String,
) -> Result<SaveArticleOutcome, AppError> {
    use crate::model::help::ArticleForm;
    use crate::server::{context, flash};
    let (state, auth, role) = context::require_staff()?;
    let form = ArticleForm {
        id,
        revision,
        kind,
        category,
        language,
        title,
        body,
        position,
    };
    let out = crate::server::help::save(
        &state,
        &auth,
        role,
        form,
        intent == "preview",
        chrono::Utc::now(),
    )
    .await
    .map_err(context::internal)?;
    flash::stash("help_article", &out);
    // A new article gets its own address; the editor opens there.
    if let SaveArticleOutcome::Saved { id, created: true } = out {
        leptos_axum::redirect(&format!("/admin/help/{id}"));
    }
    Ok(out)
}

/// `publish` is `1` to publish, anything else to withdraw.
#[server(prefix = "/api", endpoint = "admin/help/publish")]
pub async fn publish_help_article(
    id: i64,
    #[server(default)] publish: String,
) -> Result<PublishArticleOutcome, AppError> {
    use crate::server::context;
    let (state, auth, role) = context::require_staff()?;
    let out = crate::server::help::set_published(
        &state,
        &auth,
        role,
        id,
        publish == "1",
        chrono::Utc::now(),
    )
    .await
    .map_err(context::internal)?;
    crate::server::flash::stash("help_publish", &out);
    Ok(out)
}

type Flashes = (Option<String>, Option<String>);

#[component]
pub fn AdminHelpArticlePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let save = ServerAction::<SaveHelpArticle>::new();
    let publish = ServerAction::<PublishHelpArticle>::new();
    let data = Resource::new(
        move || {
            (
                params.get().get("id").unwrap_or_default(),
                query.get().get("kind").unwrap_or_default(),
                save.version().get(),
                publish.version().get(),
            )
        },
        |(id, kind, ..)| async move {
            // `new` opens an empty editor; anything else must be an article's id.
            let id = if id == "new" {
                Some(0)
            } else {
                id.parse::<i64>().ok().filter(|i| *i > 0)
            };
            let article = match id {
                Some(id) => admin_help_article(id, kind).await,
                None => Err(AppError::NotFound),
            };
            let flashes: Flashes = (
                form_flash("help_article".into()).await.ok().flatten(),
                form_flash("help_publish".into()).await.ok().flatten(),
            );
            (article, flashes)
        },
    );
    view! {
        <StaffOnly>
            <Title text=tr("도움말 편집", "Edit help") />
            <section class="page">
                <p class="crumbs"><a href="/admin/help">{tr("← 도움말 관리", "← Help content")}</a></p>
                <Suspense fallback=crate::ui::Loading>
                    {move || Suspend::new(async move {
                        match data.await {
                            (Err(_), _) => view! { <crate::pages::not_found::NotFound /> }.into_any(),
                            (Ok(a), flashes) => view! { <Editor a save publish flashes /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </StaffOnly>
    }
}

fn save_notice(out: &SaveArticleOutcome) -> Option<(bool, &'static str)> {
    Some(match out {
        SaveArticleOutcome::Saved { .. } => (true, tr("저장했습니다.", "Saved.")),
        SaveArticleOutcome::Preview { .. } => (
            true,
            tr(
                "미리보기입니다. 아직 저장하지 않았습니다.",
                "This is a preview; nothing is saved yet.",
            ),
        ),
        SaveArticleOutcome::Invalid { .. } => (
            false,
            tr(
                "아래 표시된 항목을 고쳐 주세요. 저장하지 않았습니다.",
                "Fix the fields marked below; nothing was saved.",
            ),
        ),
        SaveArticleOutcome::Changed { .. } => (
            false,
            tr(
                "그 사이 다른 담당자가 이 항목을 저장했습니다. 아무것도 저장하지 않았습니다. 페이지를 새로 열어 지금 내용을 확인하세요.",
                "Someone else saved this entry meanwhile; nothing was saved. Open the page again to see the current text.",
            ),
        ),
        SaveArticleOutcome::NotFound => (false, tr("항목을 찾을 수 없습니다.", "No such entry.")),
        SaveArticleOutcome::NotAllowed => (false, not_allowed()),
    })
}

fn not_allowed() -> &'static str {
    tr(
        "지원 담당자와 관리자만 도움말을 고칠 수 있습니다.",
        "Only support staff and administrators edit help content.",
    )
}

fn publish_notice(out: &PublishArticleOutcome) -> (bool, &'static str) {
    match out {
        PublishArticleOutcome::Published { .. } => (
            true,
            tr(
                "게시했습니다. /help 에 보입니다.",
                "Published; it is on /help now.",
            ),
        ),
        PublishArticleOutcome::Unpublished { .. } => (
            true,
            tr(
                "게시를 취소했습니다. 방문자에게 보이지 않습니다.",
                "Withdrawn; visitors no longer see it.",
            ),
        ),
        PublishArticleOutcome::Unchanged { .. } => {
            (true, tr("이미 그 상태입니다.", "It already was."))
        }
        PublishArticleOutcome::NotFound => {
            (false, tr("항목을 찾을 수 없습니다.", "No such entry."))
        }
        PublishArticleOutcome::NotAllowed => (false, not_allowed()),
    }
}

#[component]
fn Editor(
    a: AdminArticle,
    save: ServerAction<SaveHelpArticle>,
    publish: ServerAction<PublishHelpArticle>,
    flashes: Flashes,
) -> impl IntoView {
    let (save_flash, publish_flash) = flashes;
    let saved = form_result::<SaveHelpArticle, SaveArticleOutcome>(save, save_flash);
    let published =
        form_result::<PublishHelpArticle, PublishArticleOutcome>(publish, publish_flash);
    // One banner per form and kind, so a save's result and a publication's show side by side.
    let only = |n: Option<(bool, &'static str)>, success: bool| {
        n.filter(|(ok, _)| *ok == success)
            .map(|(_, t)| t.to_string())
    };
    let save_msg = move |success: bool| {
        Signal::derive(move || only(saved.get().as_ref().and_then(save_notice), success))
    };
    let publish_msg = move |success: bool| {
        Signal::derive(move || only(published.get().as_ref().map(publish_notice), success))
    };
    let outcome = saved.get_untracked();
    // A refused or previewed form comes back as typed; otherwise the stored article.
    let (form, preview) = match outcome {
        Some(SaveArticleOutcome::Preview { html, kept }) => (kept, Some(html)),
        Some(
            SaveArticleOutcome::Invalid { kept, .. } | SaveArticleOutcome::Changed { kept, .. },
        ) => (kept, None),
        _ => (a.form.clone(), None),
    };
    let problems = move || match saved.get() {
        Some(SaveArticleOutcome::Invalid { problems, .. }) => problems,
        _ => Vec::new(),
    };
    let err = move |f: &'static str| Signal::derive(move || field_error(&problems(), f));
    let id = a.form.id;
    let may_edit = a.may_edit;
    let heading = if id == 0 {
        tr("새 항목", "New entry").to_string()
    } else {
        format!("{} #{id}", tr("항목 편집", "Edit entry"))
    };
    let (preview_label, preview_html) = match preview {
        Some(html) => (tr("미리보기 (저장 전)", "Preview (not saved)"), html),
        None => (
            tr(
                "방문자에게 보이는 모습 (저장된 내용)",
                "As visitors read it (saved text)",
            ),
            a.html.clone(),
        ),
    };
    let is_faq = form.kind == HelpKind::Faq.code();
    view! {
        <h1>{heading}</h1>
        <p class="badges">
            {if a.published {
                view! { <span class="badge badge-paid" data-test="published">{tr("게시됨", "Published")}</span> }.into_any()
            } else {
                view! { <span class="badge" data-test="draft">{tr("초안", "Draft")}</span> }.into_any()
            }}
            {a.source_ticket.map(|t| view! { <a class="badge" href=format!("/admin/support/{t}")>{tr("문의", "Ticket")} " #" {t}</a> })}
        </p>
        <div data-test="help-result">
            <FormNotice message=save_msg(true) success=true />
            <FormNotice message=save_msg(false) />
            <FormNotice message=publish_msg(true) success=true />
            <FormNotice message=publish_msg(false) />
        </div>
        <ActionForm action=save attr:class="form" attr:id="help-form">
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="revision" value=form.revision />
            <fieldset disabled=!may_edit>
                <Field id="help-kind" label=Signal::derive(|| tr("종류", "Kind").to_string()) error=err("kind")>
                    <select id="help-kind" name="kind">
                        {HelpKind::ALL.into_iter().map(|k| view! { <option value=k.code() selected=form.kind == k.code()>{kind_label(k)}</option> }).collect_view()}
                    </select>
                </Field>
                <Field id="help-category" label=Signal::derive(|| tr("FAQ 분류", "FAQ category").to_string()) hint=tr("FAQ 항목에만 쓰입니다.", "Used for FAQ entries only.").to_string() error=err("category")>
                    <select id="help-category" name="category">
                        {(!is_faq).then(|| view! { <option value="">"—"</option> })}
                        {FaqCategory::ALL.into_iter().map(|c| view! { <option value=c.code() selected=form.category == c.code()>{category_label(c)}</option> }).collect_view()}
                    </select>
                </Field>
                <Field id="help-language" label=Signal::derive(|| tr("언어", "Language").to_string()) error=err("language")>
                    <select id="help-language" name="language">
                        <option value=Language::Ko.code() selected=form.language == Language::Ko.code()>"한국어"</option>
                        <option value=Language::En.code() selected=form.language == Language::En.code()>"English"</option>
                    </select>
                </Field>
                <Field id="help-title" label=Signal::derive(|| tr("제목 (FAQ는 질문)", "Title (for the FAQ, the question)").to_string()) error=err("title")>
                    <input id="help-title" name="title" maxlength="200" required value=form.title.clone() />
                </Field>
                <Field id="help-body" label=Signal::derive(|| tr("본문 (FAQ는 답변, Markdown)", "Body (for the FAQ, the answer; Markdown)").to_string()) hint=tr("링크는 [글자](/help/sla)처럼 씁니다. HTML은 글자 그대로 보입니다.", "Links are written [text](/help/sla). HTML shows as typed text.").to_string() error=err("body")>
                    <textarea id="help-body" name="body" rows="14" maxlength="20000" required>{form.body.clone()}</textarea>
                </Field>
                <Field id="help-position" label=Signal::derive(|| tr("순서 (작을수록 앞)", "Order (lower comes first)").to_string()) error=err("position")>
                    <input id="help-position" name="position" inputmode="numeric" value=form.position.clone() />
                </Field>
                <p class="actions">
                    <button type="submit" class="button" name="intent" value="preview" data-test="preview">{tr("미리보기", "Preview")}</button>
                    <button type="submit" class="button primary" name="intent" value="save" data-test="save">{tr("저장", "Save")}</button>
                </p>
            </fieldset>
        </ActionForm>
        {(may_edit && id != 0).then(|| view! {
            <ActionForm action=publish attr:class="inline" attr:data-test="publish-form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="publish" value=if a.published { "0" } else { "1" } />
                <button type="submit" class=if a.published { "button" } else { "button primary" } data-test="publish">
                    {if a.published { tr("게시 취소", "Withdraw") } else { tr("게시", "Publish") }}
                </button>
            </ActionForm>
        })}
        <section class="panel" data-test="preview-panel">
            <h2>{preview_label}</h2>
            {if preview_html.is_empty() {
                view! { <p class="hint">{tr("아직 내용이 없습니다.", "Nothing yet.")}</p> }.into_any()
            } else {
                view! { <div class="markdown" inner_html=preview_html></div> }.into_any()
            }}
        </section>
    }
}
