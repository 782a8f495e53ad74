//! `POST /api/v1/usage`: the monitoring platform reports hourly usage (platform token, scope
//! `usage`).
use super::platform::{PlatformCaller, UsageScope};
use super::{ApiError, JsonBody};
use crate::server::startup::AppState;
use crate::server::usage::{self as svc, IngestOutcome};
use axum::Router;
use axum::extract::State;
use axum::routing::post;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new().route("/usage", post(ingest))
}

/// One hour of one metric of one project.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct UsageRecordJson {
    /// The project's domain prefix.
    pub project: String,
    /// `agent_hours` | `ingest_gb` | `storage_gb_days` (the list is data; more may come).
    pub metric: String,
    /// The start of the hour, RFC 3339 with an offset, e.g. `2026-11-25T13:00:00+09:00`; at
    /// most one hour ahead of the portal's clock.
    #[schema(format = DateTime)]
    pub hour: String,
    /// A decimal, at most six decimal places, not negative; a JSON number or, to keep it
    /// exact through float-based encoders, a string such as `"12.5"`.
    #[schema(value_type = f64)]
    pub quantity: serde_json::Value,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UsageBatchJson {
    /// Up to 10,000 records. Each is checked on its own: bad ones are reported, good ones stored.
    #[schema(value_type = Vec<UsageRecordJson>)]
    pub records: Vec<serde_json::Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RejectedRecordJson {
    /// The record's position in `records`, from 0.
    pub index: usize,
    /// `malformed`, `unknown_project`, `unknown_metric`, `invalid_hour`,
    /// `hour_not_on_the_hour`, `hour_in_future`, `negative_quantity`, `absurd_quantity`,
    /// `too_precise`.
    pub code: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UsageReportJson {
    /// Records stored, including those that replaced an earlier value.
    pub accepted: usize,
    /// Of the accepted, those that replaced a value for the same project, metric and hour
    /// (the last one sent wins; the replaced value is kept for reconciliation).
    pub replaced: usize,
    pub rejected: Vec<RejectedRecordJson>,
}

#[utoipa::path(post, path = "/api/v1/usage", tag = "usage", request_body = UsageBatchJson,
    responses((status = 200, body = UsageReportJson),
        (status = 422, body = ApiError, description = "bad_request: the body is not a batch"),
        (status = 401, body = ApiError, description = "no live platform token (personal tokens and sessions never work here)"),
        (status = 403, body = ApiError, description = "not_allowed: a platform token of another scope"),
        (status = 413, body = ApiError, description = "payload_too_large: more than 10,000 records")),
    security(("platform_token" = [])))]
pub async fn ingest(
    State(state): State<AppState>,
    caller: PlatformCaller<UsageScope>,
    JsonBody(body): JsonBody<UsageBatchJson>,
) -> Result<axum::Json<UsageReportJson>, ApiError> {
    match svc::ingest(
        &state.db,
        caller.token_id,
        &body.records,
        chrono::Utc::now(),
    )
    .await
    .map_err(ApiError::internal)?
    {
        IngestOutcome::TooManyRecords { max } => Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("At most {max} records per batch."),
        )),
        IngestOutcome::Stored(r) => Ok(axum::Json(UsageReportJson {
            accepted: r.accepted,
            replaced: r.replaced,
            rejected: r
                .rejected
                .into_iter()
                .map(|x| RejectedRecordJson {
                    index: x.index,
                    code: x.code.to_string(),
                    message: x.message.to_string(),
                })
                .collect(),
        })),
    }
}
