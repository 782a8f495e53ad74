//! SLA over `/api/v1` (issue 17): probe results in (platform token, scope `probes`), and a
//! customer's statements out (session or personal token; another customer's is 404).
use super::platform::{PlatformCaller, ProbesScope};
use super::{ApiError, Customer, JsonBody};
use crate::domain::billing::BillingMonth;
use crate::domain::stored::ProjectId;
use crate::model::sla::{StatementSummary, StatementView};
use crate::server::sla::{self as svc, IngestOutcome};
use crate::server::startup::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::routing::{get, post};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// 10,000 results with error texts of up to 1,000 characters each.
const BODY_LIMIT: usize = 16 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/probe-results",
            post(ingest).layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/projects/{id}/sla-statements", get(list))
        .route("/projects/{id}/sla-statements/{month}", get(read))
}

/// One probe attempt from one location.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct ProbeResultJson {
    /// The project's domain prefix.
    pub project: String,
    /// The probe location's id: 1-64 characters of a-z, 0-9, '-', '_', '.'.
    pub location: String,
    /// When the probe ran, RFC 3339 with an offset; at most 5 minutes ahead of the portal.
    #[schema(format = DateTime)]
    pub at: String,
    /// Whether the connection request succeeded.
    pub ok: bool,
    pub latency_ms: Option<i64>,
    pub error: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ProbeBatchJson {
    /// Up to 10,000 results. Each is checked on its own: bad ones are reported, good ones kept.
    #[schema(value_type = Vec<ProbeResultJson>)]
    pub results: Vec<serde_json::Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RejectedResultJson {
    /// The result's position in `results`, from 0.
    pub index: usize,
    /// `malformed`, `unknown_project`, `invalid_location`, `invalid_time`, `time_in_future`,
    /// `time_too_old`, `invalid_latency`, `error_too_long`.
    pub code: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProbeReportJson {
    /// Results new to the portal, stored.
    pub accepted: usize,
    /// Results already stored for the same project, location and time (or twice in this
    /// batch): kept once, never counted twice.
    pub duplicates: usize,
    pub rejected: Vec<RejectedResultJson>,
}

#[utoipa::path(post, path = "/api/v1/probe-results", tag = "sla", request_body = ProbeBatchJson,
    responses((status = 200, body = ProbeReportJson),
        (status = 422, body = ApiError, description = "bad_request: the body is not a batch"),
        (status = 401, body = ApiError, description = "no live platform token"),
        (status = 403, body = ApiError, description = "not_allowed: a platform token of another scope"),
        (status = 413, body = ApiError, description = "payload_too_large: more than 10,000 results")),
    security(("platform_token" = [])))]
pub async fn ingest(
    State(state): State<AppState>,
    _caller: PlatformCaller<ProbesScope>,
    JsonBody(body): JsonBody<ProbeBatchJson>,
) -> Result<axum::Json<ProbeReportJson>, ApiError> {
    match svc::ingest(&state.db, &body.results, chrono::Utc::now())
        .await
        .map_err(ApiError::internal)?
    {
        IngestOutcome::TooManyResults { max } => Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("At most {max} results per batch."),
        )),
        IngestOutcome::Stored {
            accepted,
            duplicates,
            rejected,
        } => Ok(axum::Json(ProbeReportJson {
            accepted,
            duplicates,
            rejected: rejected
                .into_iter()
                .map(|r| RejectedResultJson {
                    index: r.index,
                    code: r.code.to_string(),
                    message: r.message.to_string(),
                })
                .collect(),
        })),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatementSummaryJson {
    pub project_id: i64,
    /// `YYYY-MM` (KST)
    pub month: String,
    /// The latest revision (1 unless staff corrected it).
    pub revision: i64,
    pub availability_percent: String,
    pub outage_minutes: i64,
    pub credit_krw: i64,
    pub eligible: bool,
}

impl From<StatementSummary> for StatementSummaryJson {
    fn from(s: StatementSummary) -> Self {
        Self {
            project_id: s.project_id,
            month: s.month,
            revision: s.revision,
            availability_percent: s.availability_percent,
            outage_minutes: s.outage_minutes,
            credit_krw: s.credit_krw,
            eligible: s.eligible,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatementListJson {
    /// Newest month first.
    pub items: Vec<StatementSummaryJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutageJson {
    /// RFC 3339, KST offset.
    pub start: String,
    pub end: String,
    pub minutes: i64,
    /// Of those, minutes inside excluded periods (not counted).
    pub excluded_minutes: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExclusionJson {
    pub start: String,
    pub end: String,
    /// `maintenance` | `exclusion`
    pub kind: String,
    /// R3.8 category code of an exclusion; null for maintenance.
    pub category: Option<String>,
    pub reason: String,
    /// False for a maintenance window published less than the lead time ahead.
    pub counted: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatementJson {
    pub project_id: i64,
    pub domain_prefix: String,
    pub month: String,
    pub revision: i64,
    pub service_minutes: i64,
    pub outage_minutes: i64,
    pub excluded_minutes: i64,
    pub no_data_minutes: i64,
    /// Truncated to 3 decimals, e.g. `"99.898"`.
    pub availability_percent: String,
    pub credit_rate_percent: String,
    pub fee_basis: String,
    pub fee_basis_krw: i64,
    pub credit_before_rounding: String,
    pub credit_krw: i64,
    pub eligible: bool,
    /// `not_paid_all_month` | `no_invoice`; null when eligible.
    pub ineligible_reason: Option<String>,
    pub policy_version: i64,
    pub outages: Vec<OutageJson>,
    pub exclusions: Vec<ExclusionJson>,
}

impl From<StatementView> for StatementJson {
    fn from(v: StatementView) -> Self {
        Self {
            project_id: v.project_id,
            domain_prefix: v.domain_prefix,
            month: v.month,
            revision: v.revision,
            service_minutes: v.service_minutes,
            outage_minutes: v.outage_minutes,
            excluded_minutes: v.excluded_minutes,
            no_data_minutes: v.no_data_minutes,
            availability_percent: v.availability_percent,
            credit_rate_percent: v.credit_rate_percent,
            fee_basis: v.fee_basis,
            fee_basis_krw: v.fee_basis_krw,
            credit_before_rounding: v.credit_before_rounding,
            credit_krw: v.credit_krw,
            eligible: v.eligible,
            ineligible_reason: v.ineligible_reason,
            policy_version: v.policy_version,
            outages: v
                .outages
                .into_iter()
                .map(|o| OutageJson {
                    start: o.start_at,
                    end: o.end_at,
                    minutes: o.minutes,
                    excluded_minutes: o.excluded_minutes,
                })
                .collect(),
            exclusions: v
                .exclusions
                .into_iter()
                .map(|e| ExclusionJson {
                    start: e.start_at,
                    end: e.end_at,
                    kind: e.kind,
                    category: e.category,
                    reason: e.reason,
                    counted: e.counted,
                })
                .collect(),
        }
    }
}

async fn owned_project(
    state: &AppState,
    c: &Customer,
    id: i64,
) -> Result<crate::server::db::projects::ProjectRow, ApiError> {
    crate::server::projects::owned(state, c.user_id, ProjectId(id))
        .await?
        .ok_or_else(ApiError::not_found)
}

#[utoipa::path(get, path = "/api/v1/projects/{id}/sla-statements", tag = "sla",
    params(("id" = i64, Path)),
    responses((status = 200, body = StatementListJson), (status = 404, body = ApiError)),
    security(("token" = [])))]
pub async fn list(
    State(state): State<AppState>,
    c: Customer,
    Path(id): Path<i64>,
) -> Result<axum::Json<StatementListJson>, ApiError> {
    let p = owned_project(&state, &c, id).await?;
    let items = svc::list(&state.db, p.id.0)
        .await
        .map_err(ApiError::internal)?;
    Ok(axum::Json(StatementListJson {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/projects/{id}/sla-statements/{month}", tag = "sla",
    params(("id" = i64, Path), ("month" = String, Path, description = "YYYY-MM (KST)")),
    responses((status = 200, body = StatementJson), (status = 404, body = ApiError)),
    security(("token" = [])))]
pub async fn read(
    State(state): State<AppState>,
    c: Customer,
    Path((id, month)): Path<(i64, String)>,
) -> Result<axum::Json<StatementJson>, ApiError> {
    let p = owned_project(&state, &c, id).await?;
    let month = BillingMonth::parse(&month).ok_or_else(ApiError::not_found)?;
    svc::detail(&state.db, p.id.0, &p.name, &p.prefix, month, None, true)
        .await
        .map_err(ApiError::internal)?
        .map(|v| axum::Json(v.into()))
        .ok_or_else(ApiError::not_found)
}
