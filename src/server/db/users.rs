//! Accounts: customers and staff share one table; `kind` tells them apart.
use super::{Db, is_unique_violation};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub kind: String,
    pub staff_role: Option<String>,
    pub login_id: String,
    pub password_hash: String,
    pub name: String,
    pub company: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub created_at: i64,
}

pub(super) const COLUMNS: &str =
    "id, kind, staff_role, login_id, password_hash, name, company, email, phone, created_at";

impl UserRow {
    /// The [`COLUMNS`] of a row read on a kept SQLite connection (`db::sqlite_readers`), in
    /// their order from column `first` on.
    pub(super) fn from_sqlite(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get(first)?,
            kind: r.get(first + 1)?,
            staff_role: r.get(first + 2)?,
            login_id: r.get(first + 3)?,
            password_hash: r.get(first + 4)?,
            name: r.get(first + 5)?,
            company: r.get(first + 6)?,
            email: r.get(first + 7)?,
            phone: r.get(first + 8)?,
            created_at: r.get(first + 9)?,
        })
    }
}

pub async fn find_by_login_id(db: &Db, login_id: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as::<_, UserRow>(&format!("SELECT {COLUMNS} FROM users WHERE login_id = $1"))
        .bind(login_id)
        .fetch_optional(&db.pool)
        .await
}

pub async fn find_by_id(db: &Db, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as::<_, UserRow>(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

pub async fn login_id_taken(db: &Db, login_id: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("SELECT 1 FROM users WHERE login_id = $1")
        .bind(login_id)
        .fetch_optional(&db.pool)
        .await?
        .is_some())
}

pub async fn email_taken(db: &Db, email: &str, except_user: i64) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("SELECT 1 FROM users WHERE email = $1 AND id <> $2")
            .bind(email)
            .bind(except_user)
            .fetch_optional(&db.pool)
            .await?
            .is_some(),
    )
}

pub struct NewUser<'a> {
    pub kind: &'a str,
    pub staff_role: Option<&'a str>,
    pub login_id: &'a str,
    pub password_hash: &'a str,
    pub name: &'a str,
    pub company: Option<&'a str>,
    pub email: &'a str,
    pub phone: Option<&'a str>,
}

pub struct Consent<'a> {
    pub document_id: i64,
    pub kind: &'a str,
    pub version: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("login id taken")]
    LoginIdTaken,
    #[error("email taken")]
    EmailTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Writes the account and its consents together: a sign-up either leaves both or nothing.
pub async fn create(
    db: &Db,
    user: &NewUser<'_>,
    consents: &[Consent<'_>],
    client_ip: &str,
    now_ms: i64,
) -> Result<i64, CreateUserError> {
    let mut tx = db.pool.begin().await?;
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO users (kind, staff_role, login_id, password_hash, name, company, email, \
         phone, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(user.kind)
    .bind(user.staff_role)
    .bind(user.login_id)
    .bind(user.password_hash)
    .bind(user.name)
    .bind(user.company)
    .bind(user.email)
    .bind(user.phone)
    .bind(now_ms)
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        // Two sign-ups raced past the friendly pre-check: the index decides, and says which.
        Err(e) if is_unique_violation(&e) => {
            return Err(if e.to_string().contains("email") {
                CreateUserError::EmailTaken
            } else {
                CreateUserError::LoginIdTaken
            });
        }
        Err(e) => return Err(e.into()),
    };
    for c in consents {
        sqlx::query(
            "INSERT INTO consents (user_id, document_id, kind, version, accepted_at, client_ip) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(c.document_id)
        .bind(c.kind)
        .bind(c.version)
        .bind(now_ms)
        .bind(client_ip)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

pub async fn set_password(db: &Db, id: i64, hash: &str, now_ms: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now_ms)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub struct ContactDetails<'a> {
    pub name: &'a str,
    pub company: Option<&'a str>,
    pub email: &'a str,
    pub phone: Option<&'a str>,
}

pub async fn set_contact(
    db: &Db,
    id: i64,
    c: &ContactDetails<'_>,
    now_ms: i64,
) -> Result<(), CreateUserError> {
    let r = sqlx::query(
        "UPDATE users SET name = $1, company = $2, email = $3, phone = $4, updated_at = $5 \
         WHERE id = $6",
    )
    .bind(c.name)
    .bind(c.company)
    .bind(c.email)
    .bind(c.phone)
    .bind(now_ms)
    .bind(id)
    .execute(&db.pool)
    .await;
    match r {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(CreateUserError::EmailTaken),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConsentRow {
    pub kind: String,
    pub version: String,
    pub accepted_at: i64,
    pub client_ip: String,
}

pub async fn consents_of(db: &Db, user_id: i64) -> Result<Vec<ConsentRow>, sqlx::Error> {
    sqlx::query_as::<_, ConsentRow>(
        "SELECT kind, version, accepted_at, client_ip FROM consents WHERE user_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

/// The language the account reads the portal in (and gets mail in).
pub async fn set_language(
    db: &Db,
    id: i64,
    language: crate::domain::language::Language,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
        .bind(language.code())
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}
