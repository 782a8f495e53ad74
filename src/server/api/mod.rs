//! `/api/v1`: JSON for the same project operations as the pages, authenticated by the
//! session cookie or a personal API token (`Authorization: Bearer apm_...`).
//! Errors are the portal's one body (`model::error::ErrorBody`): `{"code", "message", "fields"}`.
mod admin_sla;
pub mod platform;
mod projects;
mod sla;
mod tickets;
mod usage;

use super::auth::Auth;
use super::startup::AppState;
use crate::model::error::{AppError, ErrorBody, FieldError};
use axum::Router;
use axum::extract::FromRequestParts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::StatusCode;
use http::request::Parts;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "APM portal API", version = "1", description = "Projects, monitoring targets, capacity and support tickets of the signed-in customer; usage reported by the monitoring platform."),
    paths(
        projects::list, projects::create, projects::read, projects::targets, projects::add_target,
        projects::rename_target, projects::remove_target, projects::upgrade,
        projects::capacity_history, projects::change_capacity, projects::prefix_availability,
        tickets::list, tickets::create, tickets::read, tickets::add_message,
        usage::ingest,
        sla::ingest, sla::list, sla::read,
        admin_sla::publish_window, admin_sla::record_exclusion
    ),
    components(schemas(
        ApiError, ErrorBody, FieldError, projects::ProjectJson, projects::NewProjectJson, projects::TargetJson,
        projects::NewTargetJson, projects::RenameTargetJson, projects::CapacityJson,
        projects::CapacityChangeJson, projects::PrefixJson,
        projects::ProjectPageJson, projects::TargetPageJson, projects::CapacityChangePageJson,
        tickets::TicketJson, tickets::TicketPageJson, tickets::TicketDetailJson, tickets::ClockJson,
        tickets::MessageJson, tickets::AttachmentJson, tickets::PromiseJson, tickets::NewTicketJson,
        tickets::NewMessageJson,
        usage::UsageRecordJson, usage::UsageBatchJson, usage::UsageReportJson, usage::RejectedRecordJson,
        sla::ProbeResultJson, sla::ProbeBatchJson, sla::ProbeReportJson, sla::RejectedResultJson,
        sla::StatementSummaryJson, sla::StatementListJson, sla::StatementJson, sla::OutageJson, sla::ExclusionJson,
        admin_sla::NewWindowJson, admin_sla::WindowProjectsJson, admin_sla::NewExclusionJson, admin_sla::CreatedJson
    )),
    modifiers(&BearerScheme)
)]
pub struct ApiDoc;

struct BearerScheme;
impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme(
                "token",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
            // The monitoring platform's machine tokens (`apmp_...`), one scope each.
            c.add_security_scheme(
                "platform_token",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .merge(projects::router())
        .merge(tickets::router())
        .merge(usage::router())
        .merge(sla::router())
        .merge(admin_sla::router())
        .fallback(|| async { ApiError::not_found() })
}

async fn openapi() -> Response {
    axum::Json(ApiDoc::openapi()).into_response()
}

/// The error of every failed API call: an HTTP status and the portal's one error body.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ApiError {
    #[serde(skip)]
    #[schema(ignore)]
    pub status: StatusCode,
    #[serde(flatten)]
    pub body: ErrorBody,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ErrorBody::new(code, message),
        }
    }
    pub fn not_found() -> Self {
        Self::from(AppError::NotFound)
    }
    pub fn internal(e: impl std::fmt::Display) -> Self {
        let request_id = super::http::current_request_id();
        tracing::error!(error = %e, "api internal error");
        Self::from(AppError::Internal { request_id })
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        Self {
            status: super::http::status_of(&e),
            body: e.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        super::http::error_response(self.status, self.body)
    }
}

impl From<super::accounts::ServiceError> for ApiError {
    fn from(e: super::accounts::ServiceError) -> Self {
        Self::internal(e)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        Self::internal(e)
    }
}

/// The signed-in customer. Visitors get 401; staff get 404, as on customer pages: the customer
/// API has nothing that belongs to a staff account (staff tools live under /admin).
pub struct Customer {
    pub user_id: crate::domain::stored::UserId,
}

impl<S: Send + Sync> FromRequestParts<S> for Customer {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Auth>().and_then(|a| a.0.as_ref()) {
            Some(s) if !s.user.is_staff() => Ok(Customer {
                user_id: s.user.user_id(),
            }),
            Some(_) => Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "Nothing here for this account.",
            )),
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Sign in, or send a personal API token as `Authorization: Bearer apm_...`.",
            )),
        }
    }
}

/// JSON bodies that do not parse get our error shape instead of axum's plain text.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;
    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(JsonBody(v)),
            Err(e) => {
                let status = e.status();
                let code = match status {
                    StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
                    _ => "bad_request",
                };
                Err(ApiError::new(status, code, e.body_text()))
            }
        }
    }
}
