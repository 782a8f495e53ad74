//! What the help pages receive from the server (SPEC R8.1, R8.4): articles with their
//! Markdown already rendered and sanitised, stable codes for kinds, categories and problems,
//! never translated UI text.
use serde::{Deserialize, Serialize};

/// A published article as visitors read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleView {
    pub id: i64,
    /// An FAQ entry's question.
    pub title: String,
    /// The body rendered from Markdown and sanitised on the server (safe for `inner_html`).
    pub html: String,
    /// When it was last published (`YYYY-MM-DD`, KST), shown on notices.
    pub published_on: Option<String>,
}

/// The FAQ entries of one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqGroup {
    /// A `FaqCategory` code.
    pub category: String,
    pub entries: Vec<ArticleView>,
}

/// `/help/faq`: the matching published entries, grouped by category in the fixed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqResults {
    /// The query as read (cut to its limit), to show in the search field.
    pub query: String,
    /// The category filtered on (a code), empty for all of them.
    pub category: String,
    pub groups: Vec<FaqGroup>,
}

/// One article in the staff list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminArticleRow {
    pub id: i64,
    pub kind: String,
    pub category: Option<String>,
    pub language: String,
    pub title: String,
    pub position: i64,
    pub published: bool,
    /// `YYYY-MM-DD HH:MM KST`
    pub updated_at: String,
    /// Who last changed it (login ID); None for the content the portal shipped with.
    pub updated_by: Option<String>,
    /// The ticket an FAQ draft was made from (R8.5).
    pub source_ticket: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminHelpList {
    pub articles: Vec<AdminArticleRow>,
    /// Support staff and administrators edit; other staff read.
    pub may_edit: bool,
}

/// The editor's fields as typed (or as stored), kept so a refused form or a preview comes
/// back filled in, also without JavaScript. `id` 0 is a new article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleForm {
    pub id: i64,
    /// The revision the editor started from: a save over someone else's newer one is refused.
    pub revision: i64,
    pub kind: String,
    pub category: String,
    pub language: String,
    pub title: String,
    pub body: String,
    pub position: String,
}

/// `/admin/help/{id}` (or `/admin/help/new`): the article as stored and how it reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminArticle {
    pub form: ArticleForm,
    pub published: bool,
    /// The stored body rendered as visitors see it (empty for a new article).
    pub html: String,
    pub source_ticket: Option<i64>,
    pub may_edit: bool,
}

/// One refused field: `field` is the form field's name, `code` a stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaveArticleOutcome {
    /// Stored (as a new revision); `created` for a new article.
    Saved {
        id: i64,
        created: bool,
    },
    /// Not stored: how the typed body reads, with the form as typed.
    Preview {
        html: String,
        kept: ArticleForm,
    },
    Invalid {
        problems: Vec<FieldProblem>,
        kept: ArticleForm,
    },
    /// Someone else saved the article since the editor loaded it; nothing was stored.
    Changed {
        id: i64,
        kept: ArticleForm,
    },
    NotFound,
    NotAllowed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PublishArticleOutcome {
    Published {
        id: i64,
    },
    Unpublished {
        id: i64,
    },
    /// It already was what was asked; nothing changed (and nothing audited).
    Unchanged {
        id: i64,
    },
    NotFound,
    NotAllowed,
}

/// The FAQ draft made from a resolved ticket (R8.5), as typed on the ticket page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqDraftForm {
    pub category: String,
    pub language: String,
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FaqDraftOutcome {
    /// An unpublished FAQ entry, to edit and publish from `/admin/help/{id}`.
    Drafted {
        id: i64,
    },
    Invalid {
        problems: Vec<FieldProblem>,
        kept: FaqDraftForm,
    },
    NotFound,
    NotAllowed,
}
