//! The platform's side of `/api/v1`: endpoints opened only by a platform token of their
//! scope. A wrong or revoked token is 401, a token of another scope 403; a session or a
//! personal token is never accepted here (401), whoever holds it.
use super::ApiError;
use crate::domain::platform_token::{PlatformAccess, Scope};
use crate::server::startup::AppState;
use axum::extract::FromRequestParts;
use http::StatusCode;
use http::request::Parts;
use std::marker::PhantomData;

/// The scope an endpoint needs, as a type, so a handler's signature says it.
pub trait RequiredScope {
    const SCOPE: Scope;
}

pub struct UsageScope;
impl RequiredScope for UsageScope {
    const SCOPE: Scope = Scope::Usage;
}

pub struct ProbesScope;
impl RequiredScope for ProbesScope {
    const SCOPE: Scope = Scope::Probes;
}

/// A caller holding a live platform token of scope `S`.
pub struct PlatformCaller<S> {
    pub token_id: i64,
    scope: PhantomData<S>,
}

impl<S: RequiredScope + Send + Sync> FromRequestParts<AppState> for PlatformCaller<S> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let access = crate::server::platform_tokens::authorize(
            &state.db,
            &parts.headers,
            S::SCOPE,
            chrono::Utc::now(),
        )
        .await?;
        match access {
            PlatformAccess::Granted { token_id } => Ok(Self {
                token_id,
                scope: PhantomData,
            }),
            PlatformAccess::Unauthenticated => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Send a live platform token as `Authorization: Bearer apmp_...`.",
            )),
            PlatformAccess::WrongScope => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "not_allowed",
                format!("This platform token's scope is not `{}`.", S::SCOPE.code()),
            )),
        }
    }
}
