//! HTTP plumbing shared by every route: JSON errors, security headers, request ids, limits.
use super::auth::client_ip::{self, ClientIp};
use super::startup::AppState;
use axum::Json;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use rand::RngCore;
use serde::Serialize;
use std::time::Instant;

/// Every JSON error has a stable `code` for programs and a `message` for people.
#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    pub code: &'a str,
    pub message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<&'a str>,
}

pub fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(ErrorBody {
            code,
            message,
            request_id: None,
        }),
    )
        .into_response()
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
    let mut res = tracing::Instrument::instrument(next.run(req), span.clone()).await;
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
            let secs = wait.as_secs().max(1);
            let mut res = json_error(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "Too many attempts from this address. Please wait and try again.",
            );
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return res;
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
        "Something went wrong on our side. Please try again; if it keeps happening, quote the x-request-id header to support.",
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
