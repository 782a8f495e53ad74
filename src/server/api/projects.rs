//! `/api/v1/projects...`
use super::{ApiError, Customer, JsonBody};
use crate::domain::plan::{Capacity, CapacityError, TargetError, TargetKind};
use crate::domain::stored::ProjectId;
use crate::model::error::{AppError, FieldError};
use crate::model::projects::{
    CapacityOutcome, PrefixProblem, ProjectSummary, TargetOutcome, TargetView,
};
use crate::server::db::projects::{ProjectRow, Window};
use crate::server::projects as svc;
use crate::server::startup::AppState;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use chrono::Utc;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/projects", get(list).post(create))
        .route("/projects/{id}", get(read))
        .route("/projects/{id}/targets", get(targets).post(add_target))
        .route(
            "/projects/{id}/targets/{target_id}",
            patch(rename_target).delete(remove_target),
        )
        .route("/projects/{id}/upgrade", post(upgrade))
        .route(
            "/projects/{id}/capacity-changes",
            get(capacity_history).post(change_capacity),
        )
        .route("/prefix-availability", get(prefix_availability))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectJson {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub address: String,
    /// `free` | `paid`
    pub plan: String,
    /// `active` | `access_stopped` | `collection_stopped` | `deleted`
    pub state: String,
    pub days_left: Option<i64>,
    pub trial_ends_at: Option<String>,
    pub target_count: u32,
    pub targets_left: Option<u32>,
    pub created_at: String,
}

impl From<ProjectSummary> for ProjectJson {
    fn from(s: ProjectSummary) -> Self {
        Self {
            id: s.id.0,
            name: s.name,
            prefix: s.prefix,
            address: s.address,
            plan: s.plan.code().into(),
            state: s.state.code().into(),
            days_left: s.days_left,
            trial_ends_at: s.trial_ends_at,
            target_count: s.target_count,
            targets_left: s.targets_left,
            created_at: s.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewProjectJson {
    pub name: String,
    pub prefix: String,
    /// `free` | `paid`
    pub plan: String,
}

/// A refused field in an error body (the portal-wide `FieldError`).
pub type FieldErrorJson = FieldError;

impl From<&TargetError> for FieldErrorJson {
    fn from(e: &TargetError) -> Self {
        FieldError::new(e.field(), e.code())
    }
}

impl From<&CapacityError> for FieldErrorJson {
    fn from(e: &CapacityError) -> Self {
        FieldError::new(e.field(), e.code())
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TargetJson {
    pub id: i64,
    /// `was` | `web_server` | `system` | `url` | `kubernetes`
    pub kind: String,
    pub name: String,
    pub detail: String,
}

impl From<TargetView> for TargetJson {
    fn from(t: TargetView) -> Self {
        Self {
            id: t.id,
            kind: t.kind.code().into(),
            name: t.name,
            detail: t.detail,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewTargetJson {
    pub kind: String,
    pub name: String,
    pub detail: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RenameTargetJson {
    pub name: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, Clone, Copy)]
pub struct CapacityJson {
    pub ingest_gb_per_day: u32,
    pub storage_gb: u32,
    pub extended_retention: bool,
    pub remote_support: bool,
}

impl From<Capacity> for CapacityJson {
    fn from(c: Capacity) -> Self {
        Self {
            ingest_gb_per_day: c.ingest_gb_per_day,
            storage_gb: c.storage_gb,
            extended_retention: c.extended_retention,
            remote_support: c.remote_support,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CapacityChangeJson {
    pub id: i64,
    pub requested_at: String,
    pub applied_at: Option<String>,
    pub from: CapacityJson,
    pub to: CapacityJson,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PrefixJson {
    pub prefix: String,
    pub address: String,
    pub available: bool,
    /// Why not, when not available: a prefix rule code or `prefix_taken`.
    pub reason: Option<String>,
}

/// `?limit=&cursor=` of the list endpoints.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// How many items (1 to 100; 50 when left out).
    limit: Option<i64>,
    /// `next_cursor` of the previous answer; left out for the first page.
    cursor: Option<String>,
}

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 100;

/// A cursor is opaque to clients: it names the last item given, so a page does not shift when
/// items are added meanwhile. Versioned so its form can change.
fn encode_cursor(last_id: i64) -> String {
    hex::encode(format!("v1:{last_id}"))
}

fn decode_cursor(c: &str) -> Option<i64> {
    let raw = String::from_utf8(hex::decode(c.trim()).ok()?).ok()?;
    raw.strip_prefix("v1:")?.parse().ok()
}

impl ListQuery {
    fn first() -> Self {
        Self {
            limit: None,
            cursor: None,
        }
    }

    /// One more row than asked for is read, so the answer knows whether there is a next page.
    fn window(&self) -> Result<(Window, i64), ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_limit",
                format!("limit must be between 1 and {MAX_LIMIT}."),
            ));
        }
        let after = match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => Some(decode_cursor(c).ok_or_else(|| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_cursor",
                    "cursor is not one this API gave out.",
                )
            })?),
        };
        Ok((
            Window {
                after,
                offset: 0,
                limit: limit + 1,
            },
            limit,
        ))
    }
}

/// One page of a list: `next_cursor` is absent on the last page.
pub struct PageJson<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

macro_rules! page_json {
    ($name:ident, $item:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Serialize, ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            /// Pass as `cursor` for the next page; absent on the last page.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub next_cursor: Option<String>,
        }
        impl From<PageJson<$item>> for $name {
            fn from(p: PageJson<$item>) -> Self {
                Self {
                    items: p.items,
                    next_cursor: p.next_cursor,
                }
            }
        }
    };
}
page_json!(
    ProjectPageJson,
    ProjectJson,
    "A page of projects, newest first."
);
page_json!(
    TargetPageJson,
    TargetJson,
    "A page of monitoring targets, oldest first."
);
page_json!(
    CapacityChangePageJson,
    CapacityChangeJson,
    "A page of the capacity history, newest first."
);

fn page<T, J>(
    mut rows: Vec<T>,
    limit: i64,
    id: impl Fn(&T) -> i64,
    to_json: impl Fn(T) -> J,
) -> PageJson<J> {
    let more = i64::try_from(rows.len()).unwrap_or(i64::MAX) > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    let next_cursor = if more {
        rows.last().map(|r| encode_cursor(id(r)))
    } else {
        None
    };
    PageJson {
        items: rows.into_iter().map(to_json).collect(),
        next_cursor,
    }
}

fn validation(fields: Vec<FieldErrorJson>) -> ApiError {
    ApiError::from(AppError::Invalid(fields))
}

fn prefix_code(p: PrefixProblem) -> &'static str {
    match p {
        PrefixProblem::Taken => "prefix_taken",
        PrefixProblem::Invalid(e) => e.code(),
    }
}

async fn owned(state: &AppState, c: &Customer, id: i64) -> Result<ProjectRow, ApiError> {
    svc::owned(state, c.user_id, ProjectId(id))
        .await?
        .ok_or_else(ApiError::not_found)
}

/// The customer's projects, newest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", params(ListQuery),
    responses((status = 200, body = ProjectPageJson),
        (status = 400, body = ApiError, description = "invalid_limit or invalid_cursor"),
        (status = 401, body = ApiError)), security(("token" = [])))]
pub async fn list(
    State(state): State<AppState>,
    c: Customer,
    Query(q): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let (w, limit) = q.window()?;
    let rows = svc::list(&state, c.user_id, w, Utc::now()).await?;
    let p = page(rows, limit, |r| r.id.0, ProjectJson::from);
    Ok(axum::Json(ProjectPageJson::from(p)).into_response())
}

/// Creates a project; it is usable at once. A customer may have `APM_MAX_PROJECTS_PER_CUSTOMER`
/// projects (deleted ones do not count) and create `APM_PROJECT_CREATIONS_PER_HOUR` an hour.
#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", request_body = NewProjectJson,
    responses((status = 201, body = ProjectJson),
        (status = 409, body = ApiError, description = "prefix_taken or project_limit_reached"),
        (status = 422, body = ApiError),
        (status = 429, body = ApiError, description = "rate_limited; see the Retry-After header (seconds)")),
    security(("token" = [])))]
pub async fn create(
    State(state): State<AppState>,
    c: Customer,
    JsonBody(body): JsonBody<NewProjectJson>,
) -> Result<Response, ApiError> {
    let now = Utc::now();
    let out = svc::create(
        &state,
        c.user_id,
        crate::model::projects::CreateProjectValues {
            name: body.name,
            prefix: body.prefix,
            plan: body.plan,
        },
        now,
    )
    .await?;
    if let Some(id) = out.project_id {
        let row = owned(&state, &c, id.0).await?;
        return Ok((
            StatusCode::CREATED,
            axum::Json(ProjectJson::from(svc::summary(&state, &row, now))),
        )
            .into_response());
    }
    if let Some(limit) = out.project_limit {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "project_limit_reached",
            format!("A customer may have {limit} projects. Contact support if you need more."),
        ));
    }
    if let Some(secs) = out.retry_after_secs {
        let mut res = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "Too many projects created lately; try again later.",
        )
        .into_response();
        res.headers_mut()
            .insert(http::header::RETRY_AFTER, http::HeaderValue::from(secs));
        return Ok(res);
    }
    if out.prefix == Some(PrefixProblem::Taken) && out.name.is_none() && !out.plan_missing {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "prefix_taken",
            "That domain prefix is already in use.",
        ));
    }
    let mut fields = Vec::new();
    if let Some(e) = out.name {
        fields.push(FieldError::new("name", e.code()));
    }
    if let Some(p) = out.prefix {
        fields.push(FieldError::new("prefix", prefix_code(p)));
    }
    if out.plan_missing {
        fields.push(FieldError::new("plan", "plan_invalid"));
    }
    Err(validation(fields))
}

#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = ProjectJson), (status = 404, body = ApiError)), security(("token" = [])))]
pub async fn read(
    State(state): State<AppState>,
    c: Customer,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let row = owned(&state, &c, id).await?;
    Ok(axum::Json(ProjectJson::from(svc::summary(&state, &row, Utc::now()))).into_response())
}

/// A project's monitoring targets, oldest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/projects/{id}/targets", tag = "targets", params(("id" = i64, Path), ListQuery),
    responses((status = 200, body = TargetPageJson), (status = 400, body = ApiError),
        (status = 404, body = ApiError)), security(("token" = [])))]
pub async fn targets(
    State(state): State<AppState>,
    c: Customer,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let (w, limit) = q.window()?;
    let row = owned(&state, &c, id).await?;
    let rows = svc::targets(&state, &row, w).await?;
    let p = page(rows, limit, |t| t.id, TargetJson::from);
    Ok(axum::Json(TargetPageJson::from(p)).into_response())
}

/// The answer to a target change, `None` when it was done.
fn target_failure(out: TargetOutcome) -> Option<ApiError> {
    match out {
        TargetOutcome::Done => None,
        TargetOutcome::LimitReached { limit } => Some(ApiError::new(
            StatusCode::CONFLICT,
            "target_limit_reached",
            format!("The free plan allows {limit} monitoring targets. Upgrade to add more."),
        )),
        TargetOutcome::ProjectInactive => Some(ApiError::new(
            StatusCode::CONFLICT,
            "project_inactive",
            "This project is not active.",
        )),
        TargetOutcome::TargetMissing => Some(ApiError::not_found()),
        TargetOutcome::Invalid { errors } => Some(validation(
            errors.iter().map(FieldErrorJson::from).collect(),
        )),
    }
}

#[utoipa::path(post, path = "/api/v1/projects/{id}/targets", tag = "targets", params(("id" = i64, Path)),
    request_body = NewTargetJson,
    responses((status = 201, body = TargetPageJson, description = "the first page of targets after the addition"),
        (status = 409, body = ApiError, description = "target_limit_reached or project_inactive"),
        (status = 422, body = ApiError)), security(("token" = [])))]
pub async fn add_target(
    State(state): State<AppState>,
    c: Customer,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewTargetJson>,
) -> Result<Response, ApiError> {
    let row = owned(&state, &c, id).await?;
    if TargetKind::from_code(&body.kind).is_none() {
        return Err(validation(vec![FieldErrorJson::from(
            &TargetError::KindUnknown,
        )]));
    }
    let out = svc::add_target(
        &state,
        &row,
        &body.kind,
        &body.name,
        &body.detail,
        Utc::now(),
    )
    .await?;
    if let Some(e) = target_failure(out) {
        return Err(e);
    }
    let resp = targets(State(state), c, Path(id), Query(ListQuery::first())).await?;
    let (mut parts, body) = resp.into_parts();
    parts.status = StatusCode::CREATED;
    Ok(Response::from_parts(parts, body))
}

#[utoipa::path(patch, path = "/api/v1/projects/{id}/targets/{target_id}", tag = "targets",
    params(("id" = i64, Path), ("target_id" = i64, Path)), request_body = RenameTargetJson,
    responses((status = 204), (status = 404, body = ApiError), (status = 422, body = ApiError)), security(("token" = [])))]
pub async fn rename_target(
    State(state): State<AppState>,
    c: Customer,
    Path((id, target_id)): Path<(i64, i64)>,
    JsonBody(body): JsonBody<RenameTargetJson>,
) -> Result<Response, ApiError> {
    let row = owned(&state, &c, id).await?;
    let out = svc::rename_target(&state, &row, target_id, &body.name, Utc::now()).await?;
    match target_failure(out) {
        None => Ok(StatusCode::NO_CONTENT.into_response()),
        Some(e) => Err(e),
    }
}

#[utoipa::path(delete, path = "/api/v1/projects/{id}/targets/{target_id}", tag = "targets",
    params(("id" = i64, Path), ("target_id" = i64, Path)),
    responses((status = 204), (status = 404, body = ApiError)), security(("token" = [])))]
pub async fn remove_target(
    State(state): State<AppState>,
    c: Customer,
    Path((id, target_id)): Path<(i64, i64)>,
) -> Result<Response, ApiError> {
    let row = owned(&state, &c, id).await?;
    let out = svc::remove_target(&state, &row, target_id, Utc::now()).await?;
    match target_failure(out) {
        None => Ok(StatusCode::NO_CONTENT.into_response()),
        Some(e) => Err(e),
    }
}

/// Upgrades a free project to paid (stops the free clock).
#[utoipa::path(post, path = "/api/v1/projects/{id}/upgrade", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = ProjectJson), (status = 409, body = ApiError, description = "conflict: already paid")),
    security(("token" = [])))]
pub async fn upgrade(
    State(state): State<AppState>,
    c: Customer,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let row = owned(&state, &c, id).await?;
    let now = Utc::now();
    if !svc::upgrade(&state, c.user_id, &row, now).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "The project is already on the paid plan.",
        ));
    }
    let row = owned(&state, &c, id).await?;
    Ok(axum::Json(ProjectJson::from(svc::summary(&state, &row, now))).into_response())
}

/// A project's capacity history (requests, upgrades and staff plan changes), newest first.
#[utoipa::path(get, path = "/api/v1/projects/{id}/capacity-changes", tag = "capacity", params(("id" = i64, Path), ListQuery),
    responses((status = 200, body = CapacityChangePageJson), (status = 400, body = ApiError),
        (status = 404, body = ApiError)), security(("token" = [])))]
pub async fn capacity_history(
    State(state): State<AppState>,
    c: Customer,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let (w, limit) = q.window()?;
    let row = owned(&state, &c, id).await?;
    let rows = svc::capacity_history(&state, &row, w).await?;
    let p = page(
        rows,
        limit,
        |h| h.id,
        |h| CapacityChangeJson {
            id: h.id,
            requested_at: h.requested_at,
            applied_at: h.applied_at,
            from: h.from.into(),
            to: h.to.into(),
        },
    );
    Ok(axum::Json(CapacityChangePageJson::from(p)).into_response())
}

/// Requests a capacity or option change; it is applied at once (R5.1: within 5 minutes).
#[utoipa::path(post, path = "/api/v1/projects/{id}/capacity-changes", tag = "capacity", params(("id" = i64, Path)),
    request_body = CapacityJson,
    responses((status = 201, body = CapacityChangePageJson, description = "the first page of the history, newest first"),
        (status = 409, body = ApiError), (status = 422, body = ApiError)), security(("token" = [])))]
pub async fn change_capacity(
    State(state): State<AppState>,
    c: Customer,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<CapacityJson>,
) -> Result<Response, ApiError> {
    let row = owned(&state, &c, id).await?;
    let requested = Capacity {
        ingest_gb_per_day: body.ingest_gb_per_day,
        storage_gb: body.storage_gb,
        extended_retention: body.extended_retention,
        remote_support: body.remote_support,
    };
    match svc::change_capacity(&state, c.user_id, &row, requested, Utc::now()).await? {
        CapacityOutcome::Applied => {}
        CapacityOutcome::Conflict => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                "The capacity changed meanwhile; read it again.",
            ));
        }
        CapacityOutcome::Invalid { errors } => {
            return Err(validation(
                errors.iter().map(FieldErrorJson::from).collect(),
            ));
        }
    }
    let resp = capacity_history(State(state), c, Path(id), Query(ListQuery::first())).await?;
    let (mut parts, body) = resp.into_parts();
    parts.status = StatusCode::CREATED;
    Ok(Response::from_parts(parts, body))
}

#[derive(Debug, Deserialize)]
pub struct PrefixQuery {
    prefix: String,
}

/// Whether a domain prefix can be used (the same check the sign-up form makes while typing).
#[utoipa::path(get, path = "/api/v1/prefix-availability", tag = "projects", params(("prefix" = String, Query)),
    responses((status = 200, body = PrefixJson), (status = 401, body = ApiError)), security(("token" = [])))]
pub async fn prefix_availability(
    State(state): State<AppState>,
    _c: Customer,
    Query(q): Query<PrefixQuery>,
) -> Result<Response, ApiError> {
    let raw: String = q.prefix.chars().take(64).collect();
    let check = svc::check_prefix(&state, &raw).await?;
    Ok(axum::Json(PrefixJson {
        prefix: check.normalised,
        address: check.address,
        available: check.problem.is_none(),
        reason: check.problem.map(|p| prefix_code(p).to_string()),
    })
    .into_response())
}
