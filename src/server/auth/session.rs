//! Database sessions: 128-bit random tokens in an HttpOnly cookie, only their hash stored.
use crate::domain::kst::{from_millis, to_millis};
use crate::domain::session::{ABSOLUTE_TIMEOUT_HOURS, session_alive, should_touch};
use crate::model::{SessionUser, StaffRole};
use crate::server::db::{Db, sessions, users::UserRow};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use chrono::{DateTime, Utc};
use http::{HeaderMap, HeaderValue, header};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const COOKIE: &str = "apm_session";
/// On https the `__Host-` prefix makes browsers refuse the cookie unless it is `Secure`,
/// `Path=/` and has no `Domain`, so no sibling subdomain can plant or overwrite a session.
pub const HOST_COOKIE: &str = "__Host-apm_session";

pub fn cookie_name(https: bool) -> &'static str {
    if https { HOST_COOKIE } else { COOKIE }
}

/// The signed-in account for this request, if any; put in the request extensions.
#[derive(Debug, Clone)]
pub struct AuthSession {
    pub token_hash: String,
    pub user: SessionUser,
}

#[derive(Debug, Clone, Default)]
pub struct Auth(pub Option<AuthSession>);

pub fn new_token() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn session_user(u: &UserRow) -> Option<SessionUser> {
    match u.kind.as_str() {
        "customer" => Some(SessionUser::Customer {
            id: u.id,
            login_id: u.login_id.clone(),
            name: u.name.clone(),
        }),
        "staff" => Some(SessionUser::Staff {
            id: u.id,
            login_id: u.login_id.clone(),
            name: u.name.clone(),
            role: StaffRole::from_code(u.staff_role.as_deref()?)?,
        }),
        _ => None,
    }
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// `https` is `Settings::https()`: the cookie's name and `Secure` both follow it.
pub fn set_cookie(token: &str, https: bool) -> Option<HeaderValue> {
    let max_age = ABSOLUTE_TIMEOUT_HOURS * 3600;
    let (name, secure) = (cookie_name(https), if https { "; Secure" } else { "" });
    HeaderValue::from_str(&format!(
        "{name}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .ok()
}

pub fn clear_cookie(https: bool) -> HeaderValue {
    let (name, secure) = (cookie_name(https), if https { "; Secure" } else { "" });
    HeaderValue::from_str(&format!(
        "{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"
    ))
    .unwrap_or(HeaderValue::from_static("apm_session=; Path=/; Max-Age=0"))
}

/// Resolves the cookie to a live session. Expired or unknown tokens are dropped (and the
/// cookie cleared) so the browser stops sending them.
pub async fn load(
    db: &Db,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<AuthSession>, sqlx::Error> {
    let token_hash = hash_token(token);
    let Some((s, u)) = sessions::find(db, &token_hash).await? else {
        return Ok(None);
    };
    let (Some(created), Some(seen)) = (from_millis(s.created_at), from_millis(s.last_seen_at))
    else {
        return Ok(None);
    };
    if !session_alive(created, seen, now) {
        sessions::delete(db, &token_hash).await?;
        return Ok(None);
    }
    if should_touch(seen, now) {
        sessions::touch(db, &token_hash, to_millis(now)).await?;
    }
    Ok(session_user(&u).map(|user| AuthSession { token_hash, user }))
}

pub async fn middleware(
    State(state): State<crate::server::startup::AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let token =
        cookie_value(req.headers(), cookie_name(state.settings.https())).filter(|t| !t.is_empty());
    let mut clear = false;
    let auth = match &token {
        None => Auth(None),
        Some(t) => match load(&state.db, t, Utc::now()).await {
            Ok(Some(s)) => Auth(Some(s)),
            Ok(None) => {
                clear = true;
                Auth(None)
            }
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                Auth(None)
            }
        },
    };
    let auth = if auth.0.is_none() && crate::server::auth::csrf::token_accepted_on(req.uri().path())
    {
        match crate::server::api_tokens::from_bearer(&state.db, req.headers(), Utc::now()).await {
            Ok(Some(s)) => Auth(Some(s)),
            _ => auth,
        }
    } else {
        auth
    };
    req.extensions_mut().insert(auth);
    let mut res = next.run(req).await;
    if clear && !res.headers().contains_key(header::SET_COOKIE) {
        res.headers_mut()
            .append(header::SET_COOKIE, clear_cookie(state.settings.https()));
    }
    res
}
