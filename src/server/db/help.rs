//! The help content table (`help_articles`). Rows are decoded once into [`StoredArticle`]: an
//! unknown kind, category, language, flag or time is a read error, never a guess. Every write
//! commits together with its audit row.
use super::Db;
use super::audit::{self, AuditEntry};
use crate::domain::help::input::NewArticle;
use crate::domain::help::{FaqCategory, HelpKind};
use crate::domain::language::Language;
use crate::domain::stored::{Flag, StoredInstant, UnknownStoredValue};
use chrono::{DateTime, Utc};

/// A read fails on the database or on a stored value it cannot decode, as incidents' do.
pub use super::incidents::ReadError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredArticle {
    pub id: i64,
    pub kind: HelpKind,
    pub category: Option<FaqCategory>,
    pub language: Language,
    pub title: String,
    pub body: String,
    pub position: i64,
    pub published: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub revision: i64,
    pub source_ticket_id: Option<i64>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    category: Option<String>,
    language: String,
    title: String,
    body: String,
    position: i64,
    published: i64,
    published_at: Option<i64>,
    revision: i64,
    source_ticket_id: Option<i64>,
    updated_at: i64,
    updated_by: Option<String>,
}

const SELECT: &str = "SELECT h.id, h.kind, h.category, h.language, h.title, h.body, h.position, \
    h.published, h.published_at, h.revision, h.source_ticket_id, h.updated_at, \
    u.login_id AS updated_by FROM help_articles h LEFT JOIN users u ON u.id = h.updated_by";

fn unknown(what: &'static str, value: &str) -> UnknownStoredValue {
    UnknownStoredValue {
        what,
        value: value.to_string(),
    }
}

fn instant(ms: i64) -> Result<DateTime<Utc>, UnknownStoredValue> {
    StoredInstant::try_from(ms).map(|s| s.0)
}

fn decode(r: Row) -> Result<StoredArticle, UnknownStoredValue> {
    let kind = HelpKind::from_code(&r.kind).ok_or_else(|| unknown("help kind", &r.kind))?;
    let category = r
        .category
        .map(|c| FaqCategory::from_code(&c).ok_or_else(|| unknown("FAQ category", &c)))
        .transpose()?;
    Ok(StoredArticle {
        id: r.id,
        kind,
        category,
        language: Language::try_from(r.language)?,
        title: r.title,
        body: r.body,
        position: r.position,
        published: Flag::try_from(r.published)?.0,
        published_at: r.published_at.map(instant).transpose()?,
        revision: r.revision,
        source_ticket_id: r.source_ticket_id,
        updated_at: instant(r.updated_at)?,
        updated_by: r.updated_by,
    })
}

fn decode_all(rows: Vec<Row>) -> Result<Vec<StoredArticle>, ReadError> {
    rows.into_iter()
        .map(|r| decode(r).map_err(ReadError::from))
        .collect()
}

/// The published articles of one page in one language, in their order. Bounded: a help page
/// with more than this many sections would be unreadable anyway.
pub async fn published(
    db: &Db,
    kind: HelpKind,
    language: Language,
) -> Result<Vec<StoredArticle>, ReadError> {
    let rows = sqlx::query_as::<_, Row>(&format!(
        "{SELECT} WHERE h.kind = $1 AND h.language = $2 AND h.published = 1 \
         ORDER BY h.position, h.id LIMIT 500"
    ))
    .bind(kind.code())
    .bind(language.code())
    .fetch_all(&db.pool)
    .await?;
    decode_all(rows)
}

/// Every article, drafts included, for the staff list: by page, language and order.
pub async fn all(db: &Db) -> Result<Vec<StoredArticle>, ReadError> {
    let rows = sqlx::query_as::<_, Row>(&format!(
        "{SELECT} ORDER BY h.kind, h.language, h.category, h.position, h.id LIMIT 2000"
    ))
    .fetch_all(&db.pool)
    .await?;
    decode_all(rows)
}

pub async fn find(db: &Db, id: i64) -> Result<Option<StoredArticle>, ReadError> {
    let row = sqlx::query_as::<_, Row>(&format!("{SELECT} WHERE h.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(decode).transpose()?)
}

/// Stores a new unpublished article (revision 1) and its audit row, whose target id is
/// filled in here.
pub async fn insert(
    db: &Db,
    a: &NewArticle,
    source_ticket_id: Option<i64>,
    editor: i64,
    now_ms: i64,
    audit_entry: AuditEntry<'_>,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO help_articles (kind, category, language, title, body, position, published, \
         revision, source_ticket_id, created_at, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, 1, $7, $8, $8, $9) RETURNING id",
    )
    .bind(a.kind.code())
    .bind(a.category.map(FaqCategory::code))
    .bind(a.language.code())
    .bind(&a.title)
    .bind(&a.body)
    .bind(a.position)
    .bind(source_ticket_id)
    .bind(now_ms)
    .bind(editor)
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        &AuditEntry {
            target_id: id,
            ..audit_entry
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces the article's content, only while it is still at the revision the editor started
/// from (a colleague's save in between is not overwritten), with its audit row. False when it
/// was not (or no longer exists).
pub async fn update(
    db: &Db,
    id: i64,
    expected_revision: i64,
    a: &NewArticle,
    editor: i64,
    now_ms: i64,
    audit_entry: &AuditEntry<'_>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let r = sqlx::query(
        "UPDATE help_articles SET kind = $1, category = $2, language = $3, title = $4, \
         body = $5, position = $6, revision = revision + 1, updated_at = $7, updated_by = $8 \
         WHERE id = $9 AND revision = $10",
    )
    .bind(a.kind.code())
    .bind(a.category.map(FaqCategory::code))
    .bind(a.language.code())
    .bind(&a.title)
    .bind(&a.body)
    .bind(a.position)
    .bind(now_ms)
    .bind(editor)
    .bind(id)
    .bind(expected_revision)
    .execute(&mut *tx)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    audit::record(&mut *tx, audit_entry).await?;
    tx.commit().await?;
    Ok(true)
}

/// Publishes or withdraws the article; false when it already was so (nothing written).
pub async fn set_published(
    db: &Db,
    id: i64,
    published: bool,
    editor: i64,
    now_ms: i64,
    audit_entry: &AuditEntry<'_>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    // Withdrawing keeps `published_at`: it is when it was last published, not whether it is.
    let r = sqlx::query(
        "UPDATE help_articles SET published = $1, \
         published_at = CASE WHEN $1 = 1 THEN $2 ELSE published_at END, \
         updated_at = $2, updated_by = $3 WHERE id = $4 AND published <> $1",
    )
    .bind(i64::from(published))
    .bind(now_ms)
    .bind(editor)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    audit::record(&mut *tx, audit_entry).await?;
    tx.commit().await?;
    Ok(true)
}
