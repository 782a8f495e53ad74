//! Personal API tokens for `/api/v1`: `Authorization: Bearer apm_...`; the use cases of the
//! account page's token list (create with the current password, list, revoke).
use super::accounts::ServiceError;
use super::auth::session::{AuthSession, hash_token, session_user};
use super::db::{Db, api_tokens, users};
use super::startup::AppState;
use crate::domain::api_token;
use crate::domain::kst::{format_kst, from_millis, to_millis};
use crate::model::projects::{ApiTokenView, NewTokenOutcome};
use chrono::{DateTime, Utc};
use http::HeaderMap;
use rand::RngCore;

pub const PREFIX: &str = "apm_";

pub fn new_secret() -> String {
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    format!("{PREFIX}{}", hex::encode(bytes))
}

/// A bearer token stands in for a session for API calls (customers only). The `token_hash`
/// of the resulting AuthSession is the API token's, which no session row has, so a log-out
/// cannot be triggered through a token.
pub async fn from_bearer(
    db: &Db,
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Result<Option<AuthSession>, sqlx::Error> {
    let Some(secret) = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|s| s.starts_with(PREFIX) && s.len() < 200)
    else {
        return Ok(None);
    };
    let hash = hash_token(secret);
    let Some(user_id) = api_tokens::owner_of(db, &hash, to_millis(now)).await? else {
        return Ok(None);
    };
    let Some(user) = users::find_by_id(db, user_id).await? else {
        return Ok(None);
    };
    Ok(session_user(&user)
        .filter(|u| !u.is_staff())
        .map(|user| AuthSession {
            token_hash: format!("api:{hash}"),
            user,
        }))
}

/// A staff member's token, for their own tooling on `/api/v1/admin/` only (issue 17): it
/// is never accepted as a session anywhere else (`from_bearer` drops staff). Answers the
/// staff member's id and role.
pub async fn staff_from_bearer(
    db: &Db,
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Result<Option<(i64, crate::model::StaffRole)>, sqlx::Error> {
    let Some(secret) = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|s| s.starts_with(PREFIX) && s.len() < 200)
    else {
        return Ok(None);
    };
    let Some(user_id) = api_tokens::owner_of(db, &hash_token(secret), to_millis(now)).await? else {
        return Ok(None);
    };
    let Some(user) = users::find_by_id(db, user_id).await? else {
        return Ok(None);
    };
    Ok(match session_user(&user) {
        Some(crate::model::SessionUser::Staff { id, role, .. }) => Some((id, role)),
        _ => None,
    })
}

/// A token for a staff member, made with the command line (`create-staff-token`): staff
/// have no token page, and their tokens open only `/api/v1/admin/`.
pub async fn create_for_staff(
    db: &Db,
    login_id: &str,
    name: &str,
    days: u32,
    now: DateTime<Utc>,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let Some(user) = users::find_by_login_id(db, login_id).await? else {
        return Ok(None);
    };
    if !session_user(&user).is_some_and(|u| u.is_staff()) {
        return Ok(None);
    }
    let secret = new_secret();
    let hint: String = secret.chars().take(10).collect();
    let expires = now + chrono::Duration::days(i64::from(days.clamp(1, 365)));
    let stored = api_tokens::insert(
        db,
        user.id,
        name,
        &hash_token(&secret),
        &hint,
        100,
        to_millis(now),
        to_millis(expires),
    )
    .await?;
    Ok(stored.map(|_| (secret, format_kst(expires))))
}

/// Minting a token needs the current password, checked like a log-in (argon2 on the
/// blocking pool): a session left open on a shared computer must not turn into a
/// credential that outlives it. Every problem is reported at once; nothing is written on any.
pub async fn create(
    state: &AppState,
    current: &AuthSession,
    name: &str,
    current_password: &str,
    expiry_days: Option<&str>,
    now: DateTime<Utc>,
) -> Result<NewTokenOutcome, ServiceError> {
    let name = api_token::parse_name(name);
    let days = api_token::parse_expiry_days(expiry_days).ok();
    let hash = users::find_by_id(&state.db, current.user.id())
        .await?
        .map(|u| u.password_hash);
    let normalised = crate::domain::account::normalise_password(current_password);
    // Verified even when the other fields are wrong, so the answer's timing says nothing.
    let wrong_password = !state.hasher.verify(hash, normalised).await?;
    let (Some(name), Some(days), false) = (name, days, wrong_password) else {
        return Ok(NewTokenOutcome::Invalid {
            name_invalid: name.is_none(),
            expiry_invalid: days.is_none(),
            wrong_password,
        });
    };
    let secret = new_secret();
    let hint: String = secret.chars().take(10).collect();
    let expires = api_token::expires_at(now, days);
    let cap = state.settings.max_tokens_per_customer;
    let stored = api_tokens::insert(
        &state.db,
        current.user.id(),
        name,
        &hash_token(&secret),
        &hint,
        i64::from(cap),
        to_millis(now),
        to_millis(expires),
    )
    .await?;
    if stored.is_none() {
        return Ok(NewTokenOutcome::LimitReached { token_limit: cap });
    }
    Ok(NewTokenOutcome::Created {
        secret,
        expires_at: format_kst(expires),
    })
}

pub async fn list(
    db: &Db,
    current: &AuthSession,
    now: DateTime<Utc>,
) -> Result<Vec<ApiTokenView>, sqlx::Error> {
    let kst = |ms: i64| from_millis(ms).map(format_kst);
    Ok(api_tokens::active_for_user(db, current.user.id())
        .await?
        .into_iter()
        .map(|t| ApiTokenView {
            id: t.id,
            name: t.name,
            hint: t.token_hint,
            created_at: kst(t.created_at).unwrap_or_default(),
            last_used_at: t.last_used_at.and_then(kst),
            expires_at: t.expires_at.and_then(kst).unwrap_or_default(),
            expired: !t
                .expires_at
                .and_then(from_millis)
                .is_some_and(|e| api_token::is_live(e, now)),
        })
        .collect())
}

pub async fn revoke(
    db: &Db,
    current: &AuthSession,
    token_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    api_tokens::revoke(db, current.user.id(), token_id, to_millis(now)).await
}
