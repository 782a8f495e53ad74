//! CSRF: Leptos server functions carry no token of their own (leptos #3786), so every
//! state-changing request must come from the portal's own origin.
//!
//! Chromium sends `Origin` on every same-origin POST, with JavaScript or without. We compare
//! the whole origin (scheme, host and port) with the configured public base URL: matching the
//! Host header alone would let `http://portal` (a network attacker's page on the plain-http
//! twin) post to `https://portal`. `Origin: null` (sandboxed frames, some redirects) is refused.
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
            matches!((origin_of(o), origin_of(public_base_url)), (Some(a), Some(b)) if a == b)
        }
        None => headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == "same-origin"),
    }
}

/// `(scheme, host, port)` of a URL or origin, lower-cased, with the scheme's default port
/// filled in, so `https://Portal.example.kr:443/` and `https://portal.example.kr` are equal.
fn origin_of(url: &str) -> Option<(String, String, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => 443,
        "http" => 80,
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    // An IPv6 literal keeps its colons inside the brackets.
    let (host, port) = match authority.rfind(':') {
        Some(i) if !authority[i..].contains(']') => {
            (authority[..i].to_string(), authority[i + 1..].parse().ok()?)
        }
        _ => (authority, default_port),
    };
    (!host.is_empty()).then_some((scheme, host, port))
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
    fn the_whole_origin_must_match_the_public_one() {
        let post = |origin: &'static str, host: &'static str| {
            origin_allowed(
                &Method::POST,
                "/api/account/contact",
                &headers(&[("origin", origin), ("host", host), ("cookie", "a=b")]),
                BASE,
            )
        };
        assert!(post("https://portal.example.kr", "portal.example.kr"));
        assert!(post("https://PORTAL.example.kr:443", "portal.example.kr"));
        // Right host, wrong scheme: the plain-http twin of the site is another origin.
        assert!(!post("http://portal.example.kr", "portal.example.kr"));
        // Right host and scheme, wrong port.
        assert!(!post(
            "https://portal.example.kr:8443",
            "portal.example.kr:8443"
        ));
        // The Host header proves nothing once it is not the public origin.
        assert!(!post("http://127.0.0.1:3000", "127.0.0.1:3000"));
        assert!(!post(
            "https://portal.example.kr.evil.example",
            "portal.example.kr"
        ));
        assert!(!post("https://user@portal.example.kr", "portal.example.kr"));
    }

    #[test]
    fn origins_are_compared_by_scheme_host_and_port() {
        let o = |u: &str| origin_of(u);
        assert_eq!(o("http://127.0.0.1:3000"), o("HTTP://127.0.0.1:3000/"));
        assert_eq!(o("http://a.example"), o("http://a.example:80"));
        assert_ne!(o("http://a.example"), o("https://a.example"));
        assert_eq!(
            o("http://[::1]:3000"),
            Some(("http".into(), "[::1]".into(), 3000))
        );
        assert_eq!(o("http://[::1]"), Some(("http".into(), "[::1]".into(), 80)));
        assert_eq!(o("ftp://a.example"), None);
        assert_eq!(o("https://"), None);
        assert_eq!(o("https://a.example:99999"), None);
        assert_eq!(o("a.example"), None);
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
