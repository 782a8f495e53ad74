//! Versioned legal documents (Terms of Service, Privacy Policy) that sign-up consents point to.
use super::Db;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, PartialEq, Eq)]
pub struct LegalDocument {
    pub id: i64,
    pub kind: String,
    pub version: String,
    pub effective_at: i64,
    pub title_ko: String,
    pub title_en: String,
    pub body_ko: String,
    pub body_en: String,
}

/// The version in force at `now`: the newest one whose effective date has come.
pub async fn current(
    db: &Db,
    kind: &str,
    now_ms: i64,
) -> Result<Option<LegalDocument>, sqlx::Error> {
    sqlx::query_as::<_, LegalDocument>(
        "SELECT id, kind, version, effective_at, title_ko, title_en, body_ko, body_en \
         FROM legal_documents WHERE kind = $1 AND effective_at <= $2 \
         ORDER BY effective_at DESC, id DESC LIMIT 1",
    )
    .bind(kind)
    .bind(now_ms)
    .fetch_optional(&db.pool)
    .await
}

pub async fn ensure(db: &Db, d: &LegalDocument) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO legal_documents (kind, version, effective_at, title_ko, title_en, body_ko, body_en) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (kind, version) DO NOTHING",
    )
    .bind(&d.kind)
    .bind(&d.version)
    .bind(d.effective_at)
    .bind(&d.title_ko)
    .bind(&d.title_en)
    .bind(&d.body_ko)
    .bind(&d.body_en)
    .execute(&db.pool)
    .await?;
    Ok(())
}
