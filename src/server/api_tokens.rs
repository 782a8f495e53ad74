//! Personal API tokens for `/api/v1`: `Authorization: Bearer apm_...`.
use super::auth::session::{AuthSession, hash_token, session_user};
use super::db::{Db, api_tokens, users};
use crate::domain::kst::to_millis;
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
