//! Every cookie is `Secure` when the portal is served over https: one layer marks each
//! `Set-Cookie` on the way out, so no handler (ours or a library's, such as the language
//! cookie) can forget it.
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderValue, header};

/// `cookie` with `; Secure` added unless it already has the attribute.
pub fn with_secure(cookie: &str) -> String {
    let has_secure = cookie
        .split(';')
        .skip(1)
        .any(|attr| attr.trim().eq_ignore_ascii_case("secure"));
    if has_secure {
        cookie.to_string()
    } else {
        format!("{cookie}; Secure")
    }
}

pub async fn middleware(
    State(state): State<super::startup::AppState>,
    req: Request,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    if !state.settings.https() {
        return res;
    }
    let cookies: Vec<HeaderValue> = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .cloned()
        .collect();
    res.headers_mut().remove(header::SET_COOKIE);
    for c in cookies {
        let marked = c
            .to_str()
            .ok()
            .and_then(|s| HeaderValue::from_str(&with_secure(s)).ok())
            .unwrap_or(c);
        res.headers_mut().append(header::SET_COOKIE, marked);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secure_is_added_once() {
        assert_eq!(
            with_secure("a=b; Path=/; HttpOnly"),
            "a=b; Path=/; HttpOnly; Secure"
        );
        assert_eq!(with_secure("a=b; Path=/; secure"), "a=b; Path=/; secure");
        // A value that merely contains the word is no attribute.
        assert_eq!(with_secure("secure=1"), "secure=1; Secure");
    }
}
