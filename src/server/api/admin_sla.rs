//! Operations staff's own tooling over `/api/v1/admin/` (issue 17): maintenance windows and
//! exclusions, with a staff API token (`apm-portal create-staff-token`). Role-checked and
//! audited by the same use cases as the admin pages.
use super::ApiError;
use crate::model::error::AppError;
use crate::model::sla::SlaChangeOutcome;
use crate::server::sla_staff::{self as svc, Actor};
use crate::server::startup::AppState;
use axum::Router;
use axum::extract::{FromRequestParts, State};
use axum::routing::post;
use http::StatusCode;
use http::request::Parts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/maintenance-windows", post(publish_window))
        .route("/admin/exclusions", post(record_exclusion))
}

/// A staff member holding a live staff API token. Anything else is 401: customer tokens
/// and sessions never open the admin API.
pub struct StaffCaller(Actor);

impl FromRequestParts<AppState> for StaffCaller {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match crate::server::api_tokens::staff_from_bearer(
            &state.db,
            &parts.headers,
            chrono::Utc::now(),
        )
        .await?
        {
            Some((user_id, role)) => Ok(Self(Actor { user_id, role })),
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Send a staff API token as `Authorization: Bearer apm_...`.",
            )),
        }
    }
}

/// `"all"` or a list of domain prefixes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum WindowProjectsJson {
    #[schema(value_type = String, example = "all")]
    All(String),
    Some(Vec<String>),
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewWindowJson {
    pub projects: WindowProjectsJson,
    /// RFC 3339 with an offset.
    pub start: String,
    pub end: String,
    pub notice: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewExclusionJson {
    /// The project's domain prefix.
    pub project: String,
    pub start: String,
    pub end: String,
    /// `force_majeure`, `customer_equipment`, `customer_action`, `ignored_recommendations`,
    /// `customer_error`, `incident_containment`, `intrusion`, `suspension`,
    /// `non_paid_period`, `other`.
    pub category: String,
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedJson {
    pub id: i64,
}

fn answer(out: SlaChangeOutcome) -> Result<(StatusCode, axum::Json<CreatedJson>), ApiError> {
    match out {
        SlaChangeOutcome::Done { id } => Ok((StatusCode::CREATED, axum::Json(CreatedJson { id }))),
        SlaChangeOutcome::Invalid { fields } => Err(ApiError::from(AppError::Invalid(fields))),
        SlaChangeOutcome::NotAllowed => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "not_allowed",
            "Only operations staff and administrators may do this.",
        )),
        SlaChangeOutcome::NoStatement => Err(ApiError::not_found()),
    }
}

#[utoipa::path(post, path = "/api/v1/admin/maintenance-windows", tag = "admin",
    request_body = NewWindowJson,
    responses((status = 201, body = CreatedJson),
        (status = 422, body = ApiError, description = "validation_failed, with the fields"),
        (status = 401, body = ApiError), (status = 403, body = ApiError, description = "not_allowed: not operations or admin")),
    security(("token" = [])))]
pub async fn publish_window(
    State(state): State<AppState>,
    StaffCaller(actor): StaffCaller,
    super::JsonBody(body): super::JsonBody<NewWindowJson>,
) -> Result<(StatusCode, axum::Json<CreatedJson>), ApiError> {
    let projects = match &body.projects {
        WindowProjectsJson::All(s) if s == "all" => None,
        WindowProjectsJson::All(s) => Some(vec![s.clone()]),
        WindowProjectsJson::Some(list) => Some(list.clone()),
    };
    let out = svc::publish_window(
        &state,
        actor,
        projects.as_deref(),
        &body.start,
        &body.end,
        &body.notice,
        chrono::Utc::now(),
    )
    .await
    .map_err(ApiError::internal)?;
    answer(out)
}

#[utoipa::path(post, path = "/api/v1/admin/exclusions", tag = "admin",
    request_body = NewExclusionJson,
    responses((status = 201, body = CreatedJson),
        (status = 422, body = ApiError, description = "validation_failed, with the fields"),
        (status = 401, body = ApiError), (status = 403, body = ApiError, description = "not_allowed: not operations or admin")),
    security(("token" = [])))]
pub async fn record_exclusion(
    State(state): State<AppState>,
    StaffCaller(actor): StaffCaller,
    super::JsonBody(body): super::JsonBody<NewExclusionJson>,
) -> Result<(StatusCode, axum::Json<CreatedJson>), ApiError> {
    let out = svc::record_exclusion(
        &state,
        actor,
        &body.project,
        &body.start,
        &body.end,
        &body.category,
        &body.reason,
        chrono::Utc::now(),
    )
    .await
    .map_err(ApiError::internal)?;
    answer(out)
}
