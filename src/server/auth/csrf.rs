//! CSRF: Leptos server functions carry no token of their own (leptos #3786), so every
//! state-changing request must come from the portal's own origin.
//!
//! Chromium sends `Origin` on every same-origin POST, with JavaScript or without. We compare it
//! with the Host the browser addressed (which a cross-site page cannot forge) and with the
//! configured public origin. `Origin: null` (sandboxed frames, some redirects) is refused.
//! A request with a bearer API token and no cookie has no ambient credentials to abuse, but
//! tokens are only honoured under the JSON API (`/api/v1/`): account settings and token
//! management always need a browser session, so a leaked token cannot mint more tokens.
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode, header};

/// The only paths where a personal API token stands in for a session.
pub const TOKEN_API_PREFIX: &str = "/api/v1/";

pub fn token_accepted_on(path: &str) -> bool {
    path.starts_with(TOKEN_API_PREFIX)
}

pub fn origin_allowed(
    method: &Method,
    path: &str,
    headers: &http::HeaderMap,
    public_base_url: &str,
) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let has_cookie = headers.contains_key(header::COOKIE);
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    if bearer && !has_cookie && token_accepted_on(path) {
        return true;
    }
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    match origin {
        Some(o) => {
            if o == "null" {
                return false;
            }
            if o.trim_end_matches('/') == public_base_url {
                return true;
            }
            let authority = o.split_once("://").map(|(_, rest)| rest);
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
            matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
        }
        None => headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == "same-origin"),
    }
}

pub async fn middleware(
    State(state): State<crate::server::startup::AppState>,
    req: Request,
    next: Next,
) -> Response {
    if origin_allowed(
        req.method(),
        req.uri().path(),
        req.headers(),
        &state.settings.public_base_url,
    ) {
        return next.run(req).await;
    }
    tracing::warn!(path = %req.uri().path(), "cross-origin state-changing request refused");
    crate::server::http::json_error(
        StatusCode::FORBIDDEN,
        "cross_origin_refused",
        "This request did not come from the portal's own pages and was refused.",
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    const BASE: &str = "https://portal.example.kr";

    #[test]
    fn reads_are_always_allowed() {
        assert!(origin_allowed(
            &Method::GET,
            "/api/v1/projects",
            &headers(&[("origin", "https://evil.example")]),
            BASE
        ));
    }

    #[test]
    fn same_origin_posts_pass_and_others_do_not() {
        let ok = headers(&[("origin", "https://portal.example.kr"), ("cookie", "a=b")]);
        assert!(origin_allowed(&Method::POST, "/api/v1/projects", &ok, BASE));
        let by_host = headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert!(origin_allowed(
            &Method::POST,
            "/api/v1/projects",
            &by_host,
            BASE
        ));
        let other_port = headers(&[
            ("origin", "http://127.0.0.1:4000"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert!(!origin_allowed(
            &Method::POST,
            "/api/v1/projects",
            &other_port,
            BASE
        ));
        let evil = headers(&[
            ("origin", "https://evil.example"),
            ("host", "portal.example.kr"),
        ]);
        assert!(!origin_allowed(
            &Method::POST,
            "/api/v1/projects",
            &evil,
            BASE
        ));
        assert!(!origin_allowed(
            &Method::POST,
            "/api/v1/projects",
            &headers(&[("origin", "null")]),
            BASE
        ));
    }

    #[test]
    fn without_origin_only_same_origin_fetch_metadata_passes() {
        assert!(!origin_allowed(
            &Method::POST,
            "/api/v1/projects",
            &headers(&[]),
            BASE
        ));
        assert!(!origin_allowed(
            &Method::DELETE,
            "/api/v1/projects",
            &headers(&[("sec-fetch-site", "same-site")]),
            BASE
        ));
        assert!(origin_allowed(
            &Method::POST,
            "/api/v1/projects",
            &headers(&[("sec-fetch-site", "same-origin")]),
            BASE
        ));
    }

    #[test]
    fn bearer_tokens_without_cookies_need_no_origin() {
        assert!(origin_allowed(
            &Method::POST,
            "/api/v1/projects",
            &headers(&[("authorization", "Bearer apm_x")]),
            BASE
        ));
        let with_cookie = headers(&[
            ("authorization", "Bearer apm_x"),
            ("cookie", "apm_session=x"),
        ]);
        assert!(!origin_allowed(
            &Method::POST,
            "/api/v1/projects",
            &with_cookie,
            BASE
        ));
        // Outside the JSON API a token is no credential, so it buys no exemption either.
        assert!(!origin_allowed(
            &Method::POST,
            "/api/account/tokens/create",
            &headers(&[("authorization", "Bearer apm_x")]),
            BASE
        ));
    }
}
