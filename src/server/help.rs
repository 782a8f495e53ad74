//! Help content use cases (SPEC R8.1, R8.4, R8.5): anyone reads the published manual, SLA
//! guide, notices and FAQ in their language; support staff and administrators write, preview,
//! publish and withdraw articles and turn a resolved ticket into an FAQ draft (each write
//! audited); other staff read. The only caller of `db::help`, and the only place that turns
//! its rows into what pages show: bodies are rendered and sanitised here, never in a page.
use super::auth::session::AuthSession;
use super::db::audit::AuditEntry;
use super::db::help::{self as q, ReadError, StoredArticle};
use super::startup::AppState;
use crate::domain::help::input::{ArticleInput, NewArticle, Problem};
use crate::domain::help::search;
use crate::domain::help::{FaqCategory, HelpKind};
use crate::domain::kst::{format_kst, kst_date, to_millis};
use crate::domain::language::Language;
use crate::domain::support::markdown;
use crate::model::StaffRole;
use crate::model::help::{
    AdminArticle, AdminArticleRow, AdminHelpList, ArticleForm, ArticleView, FaqDraftForm,
    FaqDraftOutcome, FaqGroup, FaqResults, FieldProblem, PublishArticleOutcome, SaveArticleOutcome,
};
use chrono::{DateTime, Utc};

#[derive(Debug, thiserror::Error)]
pub enum HelpError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Read(#[from] ReadError),
}

/// Support staff answer customers and learn what belongs in the manual and FAQ (R8.5), and
/// administrators run the site: they write. Billing and operations read.
pub fn may_edit(role: StaffRole) -> bool {
    matches!(role, StaffRole::Support | StaffRole::Admin)
}

fn view(a: &StoredArticle) -> ArticleView {
    ArticleView {
        id: a.id,
        title: a.title.clone(),
        html: markdown::render(&a.body),
        published_on: a
            .published_at
            .map(|t| kst_date(t).format("%Y-%m-%d").to_string()),
    }
}

/// The published articles of a page (manual, SLA guide or notices) in the reader's language.
pub async fn public_articles(
    state: &AppState,
    kind: HelpKind,
    language: Language,
) -> Result<Vec<ArticleView>, HelpError> {
    let rows = q::published(&state.db, kind, language).await?;
    Ok(rows.iter().map(view).collect())
}

/// `/help/faq`: the published entries in the reader's language that match `query` (every
/// word in the question or the answer), of `category` only when it is a known one, grouped
/// by category in the fixed order. An unknown category shows them all.
pub async fn faq_page(
    state: &AppState,
    language: Language,
    query: &str,
    category: &str,
) -> Result<FaqResults, HelpError> {
    let words = search::words(query);
    let only = FaqCategory::from_code(category.trim());
    let rows = q::published(&state.db, HelpKind::Faq, language).await?;
    let groups = FaqCategory::ALL
        .into_iter()
        .filter(|c| only.is_none_or(|o| o == *c))
        .filter_map(|c| {
            let entries: Vec<ArticleView> = rows
                .iter()
                .filter(|a| a.category == Some(c) && search::matches(&words, &a.title, &a.body))
                .map(view)
                .collect();
            (!entries.is_empty()).then(|| FaqGroup {
                category: c.code().into(),
                entries,
            })
        })
        .collect();
    Ok(FaqResults {
        query: query.chars().take(search::MAX_QUERY_CHARS).collect(),
        category: only.map(|c| c.code().to_string()).unwrap_or_default(),
        groups,
    })
}

/// Every article for the staff list, drafts included.
pub async fn admin_list(state: &AppState, role: StaffRole) -> Result<AdminHelpList, HelpError> {
    let rows = q::all(&state.db).await?;
    Ok(AdminHelpList {
        articles: rows
            .into_iter()
            .map(|a| AdminArticleRow {
                id: a.id,
                kind: a.kind.code().into(),
                category: a.category.map(|c| c.code().to_string()),
                language: a.language.code().into(),
                title: a.title,
                position: a.position,
                published: a.published,
                updated_at: format_kst(a.updated_at),
                updated_by: a.updated_by,
                source_ticket: a.source_ticket_id,
            })
            .collect(),
        may_edit: may_edit(role),
    })
}

fn form_of(a: &StoredArticle) -> ArticleForm {
    ArticleForm {
        id: a.id,
        revision: a.revision,
        kind: a.kind.code().into(),
        category: a.category.map(|c| c.code().to_string()).unwrap_or_default(),
        language: a.language.code().into(),
        title: a.title.clone(),
        body: a.body.clone(),
        position: a.position.to_string(),
    }
}

/// The editor's data: the stored article with how it reads, or for `id` 0 an empty new one
/// of `kind` (an FAQ entry when the kind is unknown). None when no article has the id.
pub async fn admin_article(
    state: &AppState,
    role: StaffRole,
    id: i64,
    kind: &str,
) -> Result<Option<AdminArticle>, HelpError> {
    if id == 0 {
        let kind = HelpKind::from_code(kind).unwrap_or(HelpKind::Faq);
        return Ok(Some(AdminArticle {
            form: ArticleForm {
                kind: kind.code().into(),
                language: Language::Ko.code().into(),
                category: match kind {
                    HelpKind::Faq => FaqCategory::Account.code().into(),
                    _ => String::new(),
                },
                ..ArticleForm::default()
            },
            published: false,
            html: String::new(),
            source_ticket: None,
            may_edit: may_edit(role),
        }));
    }
    Ok(q::find(&state.db, id).await?.map(|a| AdminArticle {
        form: form_of(&a),
        published: a.published,
        html: markdown::render(&a.body),
        source_ticket: a.source_ticket_id,
        may_edit: may_edit(role),
    }))
}

fn problems_of(
    problems: &[Problem],
    rename: impl Fn(&'static str) -> &'static str,
) -> Vec<FieldProblem> {
    problems
        .iter()
        .map(|p| FieldProblem {
            field: rename(p.field()).into(),
            code: p.code().into(),
        })
        .collect()
}

fn audit_entry<'a>(
    staff: &AuthSession,
    role: &'a StaffRole,
    action: &'a str,
    id: i64,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> AuditEntry<'a> {
    AuditEntry {
        at_ms: to_millis(now),
        actor_user_id: staff.user.id(),
        actor_role: role.code(),
        action,
        target_kind: "help_article",
        target_id: id,
        customer_user_id: None,
        reason: "",
        detail,
    }
}

/// What an audit row says about the article's content (never the whole body: the audit log
/// is read as a list).
fn summary(a: &NewArticle) -> serde_json::Value {
    serde_json::json!({
        "kind": a.kind.code(),
        "category": a.category.map(FaqCategory::code),
        "language": a.language.code(),
        "title": a.title,
    })
}

/// The fields of `stored` that `edited` changes, by form name.
fn changed_fields(stored: &StoredArticle, edited: &NewArticle) -> Vec<&'static str> {
    [
        ("kind", stored.kind != edited.kind),
        ("category", stored.category != edited.category),
        ("language", stored.language != edited.language),
        ("title", stored.title != edited.title),
        ("body", stored.body != edited.body),
        ("position", stored.position != edited.position),
    ]
    .into_iter()
    .filter_map(|(f, changed)| changed.then_some(f))
    .collect()
}

/// Saves the editor's form as a new article (`form.id` 0) or a new revision of one, or with
/// `preview` only renders the typed body. Refused with every problem at once, storing nothing.
pub async fn save(
    state: &AppState,
    staff: &AuthSession,
    role: StaffRole,
    form: ArticleForm,
    preview: bool,
    now: DateTime<Utc>,
) -> Result<SaveArticleOutcome, HelpError> {
    if !may_edit(role) {
        return Ok(SaveArticleOutcome::NotAllowed);
    }
    let parsed = NewArticle::parse(&ArticleInput {
        kind: &form.kind,
        category: &form.category,
        language: &form.language,
        title: &form.title,
        body: &form.body,
        position: &form.position,
    });
    let article = match parsed {
        Ok(a) => a,
        Err(problems) => {
            return Ok(SaveArticleOutcome::Invalid {
                problems: problems_of(&problems, |f| f),
                kept: form,
            });
        }
    };
    if preview {
        return Ok(SaveArticleOutcome::Preview {
            html: markdown::render(&article.body),
            kept: form,
        });
    }
    let now_ms = to_millis(now);
    if form.id == 0 {
        let id = q::insert(
            &state.db,
            &article,
            None,
            staff.user.id(),
            now_ms,
            audit_entry(staff, &role, "help.created", 0, summary(&article), now),
        )
        .await?;
        return Ok(SaveArticleOutcome::Saved { id, created: true });
    }
    let Some(stored) = q::find(&state.db, form.id).await? else {
        return Ok(SaveArticleOutcome::NotFound);
    };
    let mut detail = summary(&article);
    detail["changed"] = serde_json::json!(changed_fields(&stored, &article));
    detail["revision"] = serde_json::json!(form.revision + 1);
    let saved = q::update(
        &state.db,
        form.id,
        form.revision,
        &article,
        staff.user.id(),
        now_ms,
        &audit_entry(staff, &role, "help.edited", form.id, detail, now),
    )
    .await?;
    Ok(if saved {
        SaveArticleOutcome::Saved {
            id: form.id,
            created: false,
        }
    } else {
        SaveArticleOutcome::Changed {
            id: form.id,
            kept: form,
        }
    })
}

/// Publishes article `id` (visitors see it at once) or withdraws it back to a draft.
pub async fn set_published(
    state: &AppState,
    staff: &AuthSession,
    role: StaffRole,
    id: i64,
    publish: bool,
    now: DateTime<Utc>,
) -> Result<PublishArticleOutcome, HelpError> {
    if !may_edit(role) {
        return Ok(PublishArticleOutcome::NotAllowed);
    }
    let Some(a) = q::find(&state.db, id).await? else {
        return Ok(PublishArticleOutcome::NotFound);
    };
    let action = if publish {
        "help.published"
    } else {
        "help.unpublished"
    };
    let detail = serde_json::json!({"title": a.title, "revision": a.revision});
    let changed = q::set_published(
        &state.db,
        id,
        publish,
        staff.user.id(),
        to_millis(now),
        &audit_entry(staff, &role, action, id, detail, now),
    )
    .await?;
    Ok(match (changed, publish) {
        (false, _) => PublishArticleOutcome::Unchanged { id },
        (true, true) => PublishArticleOutcome::Published { id },
        (true, false) => PublishArticleOutcome::Unpublished { id },
    })
}

/// R8.5: what a resolved ticket taught, as an unpublished FAQ entry that staff then edit and
/// publish in `/admin/help`. The question defaults to the ticket's subject.
pub async fn draft_faq_from_ticket(
    state: &AppState,
    staff: &AuthSession,
    role: StaffRole,
    ticket_id: i64,
    form: FaqDraftForm,
    now: DateTime<Utc>,
) -> Result<FaqDraftOutcome, HelpError> {
    if !may_edit(role) {
        return Ok(FaqDraftOutcome::NotAllowed);
    }
    let Some(ticket) = super::db::support::ticket(&state.db, ticket_id).await? else {
        return Ok(FaqDraftOutcome::NotFound);
    };
    let question = if form.question.trim().is_empty() {
        ticket.subject.as_str()
    } else {
        form.question.as_str()
    };
    let parsed = NewArticle::parse(&ArticleInput {
        kind: HelpKind::Faq.code(),
        category: &form.category,
        language: &form.language,
        title: question,
        body: &form.answer,
        position: "",
    });
    let article = match parsed {
        Ok(a) => a,
        Err(problems) => {
            // The ticket page names its fields after what they are there.
            let rename = |f: &'static str| match f {
                "title" => "question",
                "body" => "answer",
                other => other,
            };
            return Ok(FaqDraftOutcome::Invalid {
                problems: problems_of(&problems, rename),
                kept: form,
            });
        }
    };
    let mut detail = summary(&article);
    detail["ticket_id"] = serde_json::json!(ticket_id);
    let id = q::insert(
        &state.db,
        &article,
        Some(ticket_id),
        staff.user.id(),
        to_millis(now),
        audit_entry(staff, &role, "help.faq_drafted", 0, detail, now),
    )
    .await?;
    Ok(FaqDraftOutcome::Drafted { id })
}
