//! HTTP plumbing shared by every route: JSON errors, security headers, request ids, limits.
use super::auth::client_ip::{self, ClientIp};
use super::startup::AppState;
use crate::model::error::{AppError, ErrorBody};
use axum::Json;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use rand::RngCore;
use std::time::Instant;

tokio::task_local! {
    /// The id of the request being answered, for error bodies built far from the request.
    static CURRENT_REQUEST_ID: String;
}

/// The current request's id (empty outside a request).
pub fn current_request_id() -> String {
    CURRENT_REQUEST_ID
        .try_with(Clone::clone)
        .unwrap_or_default()
}

/// The HTTP status that goes with each server-function error.
pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::NotAllowed => StatusCode::FORBIDDEN,
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        AppError::Unreachable(_) => StatusCode::BAD_GATEWAY,
    }
}

/// Every JSON error of the portal goes out through here: one body, the request id on our
/// failures, `Retry-After` on rate limits.
pub fn error_response(status: StatusCode, mut body: ErrorBody) -> Response {
    if status.is_server_error() && body.request_id.as_deref().is_none_or(str::is_empty) {
        let id = current_request_id();
        body.request_id = (!id.is_empty()).then_some(id);
    }
    let retry_after = body.retry_after;
    let mut res = (status, Json(body)).into_response();
    if let Some(secs) = retry_after
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

pub fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    error_response(status, ErrorBody::new(code, message))
}

/// Under `/api/` (the JSON API and the server functions) every error is the JSON body, also
/// when axum or a layer answered in plain text: an unknown route, a wrong method, a body too
/// large, a path id that is not a number, an unknown server function.
pub async fn json_errors_under_api(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    let status = res.status();
    if !is_api || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return res;
    }
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::TOO_MANY_REQUESTS => "rate_limited",
        s if s.is_server_error() => "internal_error",
        _ => "bad_request",
    };
    let message = status.canonical_reason().unwrap_or("Request refused.");
    let mut out = json_error(status, code, message);
    if let Some(v) = res.headers().get(header::RETRY_AFTER) {
        out.headers_mut().insert(header::RETRY_AFTER, v.clone());
    }
    out
}

#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Gives each request an id (echoed in `x-request-id` and shown on error pages), the client
/// IP, and a tracing span, then logs one line per request.
pub async fn request_context(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let mut b = [0u8; 8];
    rand::rng().fill_bytes(&mut b);
    let id = hex::encode(b);
    let ip = client_ip::from_request(&req, state.settings.proxy_trust());
    req.extensions_mut().insert(RequestId(id.clone()));
    req.extensions_mut().insert(ip);
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let span = tracing::info_span!("request", request_id = %id, %method, %path);
    let started = Instant::now();
    let mut res = CURRENT_REQUEST_ID
        .scope(
            id.clone(),
            tracing::Instrument::instrument(next.run(req), span.clone()),
        )
        .await;
    let status = res.status().as_u16();
    let ms = started.elapsed().as_millis();
    span.in_scope(|| {
        if status >= 500 {
            tracing::error!(status, ms, "request failed");
        } else if !path.starts_with("/pkg/") {
            tracing::info!(status, ms, "request");
        }
    });
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

/// The log-in and sign-up endpoints answer 429 with Retry-After to an IP that floods them.
pub async fn auth_rate_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() == http::Method::POST
        && super::auth::rate_limit::is_limited_path(req.uri().path())
    {
        let ip = req
            .extensions()
            .get::<ClientIp>()
            .copied()
            .unwrap_or_else(|| client_ip::from_request(&req, client_ip::ProxyTrust::NONE));
        if let Err(wait) = state.auth_limiter.check(ip) {
            let mut body = ErrorBody::new(
                "rate_limited",
                "Too many attempts from this address. Please wait and try again.",
            );
            body.retry_after = Some(wait.as_secs().max(1));
            return error_response(StatusCode::TOO_MANY_REQUESTS, body);
        }
    }
    next.run(req).await
}

/// The answer to a request whose handler panicked (logged with its request id by
/// `request_context`, which wraps this layer). No internals leak to the client.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("handler panicked");
    json_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal_error",
        "Something went wrong on our side. Please try again; if it keeps happening, quote the request id to support.",
    )
}

/// Pages set their own CSP with the nonce of their inline hydration script (see `app::shell`);
/// everything else gets the same policy without a nonce, so no inline script runs anywhere.
pub const BASE_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
    object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

pub fn page_csp(nonce: &str) -> String {
    BASE_CSP.replace(
        "script-src 'self' 'wasm-unsafe-eval'",
        &format!("script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
    )
}

/// Headers of the static files under `/pkg`, which bypass the page layers.
pub async fn asset_headers(mut res: Response) -> Response {
    let ok = res.status().is_success();
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // cargo-leptos hashes the file names, so a file's content never changes under its name.
    if ok {
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    res
}

/// Only HTML pages are compressed on the fly: assets are precompressed, and JSON answers
/// (which can carry a new API token beside text the client sent) are left alone, so no
/// secret shares a compressed body with attacker-chosen text (BREACH).
pub fn compress_html(
    status: StatusCode,
    _: http::Version,
    headers: &http::HeaderMap,
    _: &http::Extensions,
) -> bool {
    status.is_success()
        && headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
}

pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_asset = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(BASE_CSP),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Same-origin requests keep the full Referer: no-JS form posts are redirected back to it.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if state.settings.https() {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if is_asset {
        // cargo-leptos hashes the file names, so a file's content never changes under its name.
        if res.status().is_success() {
            res.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
        }
    } else if !res.headers().contains_key(header::CACHE_CONTROL) {
        // Pages carry personal data: never keep them in shared caches or the back-forward cache.
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
