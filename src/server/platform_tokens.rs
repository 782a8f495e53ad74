//! Platform tokens: creating one (admin view or command line), listing, revoking, and
//! deciding what a presented secret may call.
use super::auth::session::{AuthSession, hash_token};
use super::db::{Db, audit, platform_tokens as q};
use crate::domain::kst::{format_kst, from_millis, to_millis};
use crate::domain::platform_token::{self, PlatformAccess, Presented, Scope};
use crate::model::StaffRole;
use crate::model::billing::{NewPlatformTokenOutcome, PlatformTokenView};
use chrono::{DateTime, Utc};
use http::HeaderMap;
use rand::RngCore;

fn new_secret() -> String {
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    format!("{}{}", platform_token::SECRET_PREFIX, hex::encode(bytes))
}

/// A new token: its secret (shown once) and id. `by` is the staff member, None from the CLI.
pub async fn create(
    db: &Db,
    name: &str,
    scope: Scope,
    by: Option<&AuthSession>,
    now: DateTime<Utc>,
) -> Result<(i64, String), sqlx::Error> {
    let secret = new_secret();
    let hint: String = secret.chars().take(12).collect();
    let now_ms = to_millis(now);
    let id = q::insert(
        db,
        name,
        scope.code(),
        &hash_token(&secret),
        &hint,
        by.map(|a| a.user.id()),
        now_ms,
    )
    .await?;
    if let Some(a) = by
        && let crate::model::SessionUser::Staff { role, .. } = a.user
    {
        audit::record(
            &db.pool,
            &audit::AuditEntry {
                at_ms: now_ms,
                actor_user_id: a.user.id(),
                actor_role: role.code(),
                action: "platform_token.created",
                target_kind: "platform_token",
                target_id: id,
                customer_user_id: None,
                reason: "",
                detail: serde_json::json!({"name": name, "scope": scope.code()}),
            },
        )
        .await?;
    }
    Ok((id, secret))
}

/// The admin view's form: a name and a scope, every problem reported at once.
pub async fn create_from_form(
    db: &Db,
    staff: &AuthSession,
    role: StaffRole,
    name: &str,
    scope: &str,
    now: DateTime<Utc>,
) -> Result<NewPlatformTokenOutcome, sqlx::Error> {
    if !role.may_manage_platform_tokens() {
        return Ok(NewPlatformTokenOutcome::NotAllowed);
    }
    let parsed_name = crate::domain::api_token::parse_name(name);
    let parsed_scope = Scope::parse(scope);
    let (Some(name), Some(scope)) = (parsed_name, parsed_scope) else {
        return Ok(NewPlatformTokenOutcome::Invalid {
            name_invalid: parsed_name.is_none(),
            scope_invalid: parsed_scope.is_none(),
        });
    };
    let (_, secret) = create(db, name, scope, Some(staff), now).await?;
    Ok(NewPlatformTokenOutcome::Created {
        secret,
        scope: scope.code().to_string(),
    })
}

pub async fn list(db: &Db) -> Result<Vec<PlatformTokenView>, sqlx::Error> {
    let kst = |ms: i64| from_millis(ms).map(format_kst);
    Ok(q::all(db)
        .await?
        .into_iter()
        .map(|t| PlatformTokenView {
            id: t.id,
            name: t.name,
            scope: t.scope,
            hint: t.token_hint,
            created_by: t.created_by_login,
            created_at: kst(t.created_at).unwrap_or_default(),
            last_used_at: t.last_used_at.and_then(kst),
            revoked_at: t.revoked_at.and_then(kst),
        })
        .collect())
}

/// Revokes and audits in one transaction; false when there was no live token with this id.
pub async fn revoke(
    db: &Db,
    staff: &AuthSession,
    role: StaffRole,
    token_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    if !role.may_manage_platform_tokens() {
        return Ok(false);
    }
    let now_ms = to_millis(now);
    let mut tx = db.pool.begin().await?;
    if !q::revoke(&mut *tx, token_id, staff.user.id(), now_ms).await? {
        return Ok(false);
    }
    audit::record(
        &mut *tx,
        &audit::AuditEntry {
            at_ms: now_ms,
            actor_user_id: staff.user.id(),
            actor_role: role.code(),
            action: "platform_token.revoked",
            target_kind: "platform_token",
            target_id: token_id,
            customer_user_id: None,
            reason: "",
            detail: serde_json::json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// What the `Authorization` header presents, looked up. A session cookie or a personal token
/// is `Nothing` here: they never open a platform endpoint.
pub async fn presented(
    db: &Db,
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Result<Presented, sqlx::Error> {
    let Some(secret) = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|s| platform_token::looks_like_secret(s))
    else {
        return Ok(Presented::Nothing);
    };
    Ok(
        match q::live_by_hash(db, &hash_token(secret), to_millis(now)).await? {
            Some((token_id, scope)) => match Scope::parse(&scope) {
                Some(scope) => Presented::Live { token_id, scope },
                // The column's CHECK makes this impossible; refusing is the safe reading.
                None => Presented::UnknownOrRevoked,
            },
            None => Presented::UnknownOrRevoked,
        },
    )
}

pub async fn authorize(
    db: &Db,
    headers: &HeaderMap,
    required: Scope,
    now: DateTime<Utc>,
) -> Result<PlatformAccess, sqlx::Error> {
    Ok(platform_token::access(
        presented(db, headers, now).await?,
        required,
    ))
}
