//! Incident tables (`incidents`, `incident_projects`). Rows are decoded once into
//! [`StoredIncident`]: an unreadable flag or time is a read error, never a guess. Every write
//! commits together with its audit row.
use super::Db;
use super::audit::{self, AuditEntry};
use crate::domain::stored::{Flag, ProjectId, StoredInstant, UnknownStoredValue};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Stored(#[from] UnknownStoredValue),
}

/// One incident as stored, with the prefixes of its projects (empty when it touched all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredIncident {
    pub id: i64,
    pub all_projects: bool,
    pub projects: Vec<String>,
    pub started_at: DateTime<Utc>,
    pub recovered_at: Option<DateTime<Utc>>,
    pub cause: String,
    pub notice_ko: String,
    pub notice_en: String,
    pub published_at: Option<DateTime<Utc>>,
    pub created_by: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    all_projects: i64,
    started_at: i64,
    recovered_at: Option<i64>,
    cause: String,
    notice_ko: String,
    notice_en: String,
    published_at: Option<i64>,
    created_by: String,
}

const COLUMNS: &str = "i.id, i.all_projects, i.started_at, i.recovered_at, i.cause, \
    i.notice_ko, i.notice_en, i.published_at, u.login_id AS created_by \
    FROM incidents i JOIN users u ON u.id = i.created_by";

fn instant(ms: i64) -> Result<DateTime<Utc>, UnknownStoredValue> {
    StoredInstant::try_from(ms).map(|s| s.0)
}

fn decode(r: Row, projects: Vec<String>) -> Result<StoredIncident, UnknownStoredValue> {
    Ok(StoredIncident {
        id: r.id,
        all_projects: Flag::try_from(r.all_projects)?.0,
        projects,
        started_at: instant(r.started_at)?,
        recovered_at: r.recovered_at.map(instant).transpose()?,
        cause: r.cause,
        notice_ko: r.notice_ko,
        notice_en: r.notice_en,
        published_at: r.published_at.map(instant).transpose()?,
        created_by: r.created_by,
    })
}

/// `$1, $2, ...` for `n` values.
fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rows with their project prefixes (one more query for all of them).
async fn with_projects(db: &Db, rows: Vec<Row>) -> Result<Vec<StoredIncident>, ReadError> {
    let ids: Vec<i64> = rows
        .iter()
        .filter(|r| r.all_projects == 0)
        .map(|r| r.id)
        .collect();
    let mut prefixes: HashMap<i64, Vec<String>> = HashMap::new();
    if !ids.is_empty() {
        let sql = format!(
            "SELECT ip.incident_id, p.prefix FROM incident_projects ip \
             JOIN projects p ON p.id = ip.project_id WHERE ip.incident_id IN ({}) \
             ORDER BY p.prefix",
            placeholders(ids.len())
        );
        let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
        for id in &ids {
            q = q.bind(*id);
        }
        for (id, prefix) in q.fetch_all(&db.pool).await? {
            prefixes.entry(id).or_default().push(prefix);
        }
    }
    rows.into_iter()
        .map(|r| {
            let p = prefixes.remove(&r.id).unwrap_or_default();
            decode(r, p).map_err(ReadError::from)
        })
        .collect()
}

/// Project ids of the given prefixes, for those that exist (deleted projects included: an
/// incident may be recorded about a project removed since).
pub async fn projects_by_prefix(
    db: &Db,
    prefixes: &[&str],
) -> Result<HashMap<String, ProjectId>, sqlx::Error> {
    if prefixes.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT prefix, id FROM projects WHERE prefix IN ({})",
        placeholders(prefixes.len())
    );
    let mut q = sqlx::query_as::<_, (String, ProjectId)>(&sql);
    for p in prefixes {
        q = q.bind(*p);
    }
    Ok(q.fetch_all(&db.pool).await?.into_iter().collect())
}

pub struct NewRow<'a> {
    pub all_projects: bool,
    pub projects: &'a [ProjectId],
    pub started_at_ms: i64,
    pub recovered_at_ms: Option<i64>,
    pub cause: &'a str,
    pub notice_ko: &'a str,
    pub notice_en: &'a str,
    pub published_at_ms: Option<i64>,
    pub created_by: i64,
    pub now_ms: i64,
}

/// Stores the incident and its audit row (whose target id is filled in here) at once.
pub async fn insert(
    db: &Db,
    n: &NewRow<'_>,
    audit_entry: AuditEntry<'_>,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO incidents (all_projects, started_at, recovered_at, cause, notice_ko, \
         notice_en, published_at, created_at, created_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8) RETURNING id",
    )
    .bind(i64::from(n.all_projects))
    .bind(n.started_at_ms)
    .bind(n.recovered_at_ms)
    .bind(n.cause)
    .bind(n.notice_ko)
    .bind(n.notice_en)
    .bind(n.published_at_ms)
    .bind(n.now_ms)
    .bind(n.created_by)
    .fetch_one(&mut *tx)
    .await?;
    for p in n.projects {
        sqlx::query("INSERT INTO incident_projects (incident_id, project_id) VALUES ($1, $2)")
            .bind(id)
            .bind(*p)
            .execute(&mut *tx)
            .await?;
    }
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

pub async fn find(db: &Db, id: i64) -> Result<Option<StoredIncident>, ReadError> {
    let rows = sqlx::query_as::<_, Row>(&format!("SELECT {COLUMNS} WHERE i.id = $1"))
        .bind(id)
        .fetch_all(&db.pool)
        .await?;
    Ok(with_projects(db, rows).await?.into_iter().next())
}

/// Incidents that started in `[from, to)` and every open one, newest first (a month's list in
/// the admin view; open ones stay in sight until they are recovered).
pub async fn month_and_open(
    db: &Db,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<StoredIncident>, ReadError> {
    let rows = sqlx::query_as::<_, Row>(&format!(
        "SELECT {COLUMNS} WHERE (i.started_at >= $1 AND i.started_at < $2) \
         OR i.recovered_at IS NULL ORDER BY i.started_at DESC, i.id DESC LIMIT 1000"
    ))
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(&db.pool)
    .await?;
    with_projects(db, rows).await
}

/// Published incidents, newest start first.
pub async fn published(db: &Db, limit: i64, offset: i64) -> Result<Vec<StoredIncident>, ReadError> {
    let rows = sqlx::query_as::<_, Row>(&format!(
        "SELECT {COLUMNS} WHERE i.published_at IS NOT NULL \
         ORDER BY i.started_at DESC, i.id DESC LIMIT $1 OFFSET $2"
    ))
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    with_projects(db, rows).await
}

/// Sets the recovery time, only while the row still has the value the caller read (a second
/// staff member's change in between is not overwritten), with its audit row.
pub async fn set_recovery(
    db: &Db,
    id: i64,
    expected: Option<i64>,
    recovered_at_ms: i64,
    now_ms: i64,
    audit_entry: &AuditEntry<'_>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let r = match expected {
        Some(old) => {
            sqlx::query(
                "UPDATE incidents SET recovered_at = $1, updated_at = $2 \
                 WHERE id = $3 AND recovered_at = $4",
            )
            .bind(recovered_at_ms)
            .bind(now_ms)
            .bind(id)
            .bind(old)
            .execute(&mut *tx)
            .await?
        }
        None => {
            sqlx::query(
                "UPDATE incidents SET recovered_at = $1, updated_at = $2 \
                 WHERE id = $3 AND recovered_at IS NULL",
            )
            .bind(recovered_at_ms)
            .bind(now_ms)
            .bind(id)
            .execute(&mut *tx)
            .await?
        }
    };
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    audit::record(&mut *tx, audit_entry).await?;
    tx.commit().await?;
    Ok(true)
}

/// Publishes the notice once; false when it already was.
pub async fn publish(
    db: &Db,
    id: i64,
    now_ms: i64,
    audit_entry: &AuditEntry<'_>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let r = sqlx::query(
        "UPDATE incidents SET published_at = $1, updated_at = $1 \
         WHERE id = $2 AND published_at IS NULL",
    )
    .bind(now_ms)
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

/// How many incidents there are at all (the demo seeds one only into an empty table).
pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM incidents")
        .fetch_one(&db.pool)
        .await
}
