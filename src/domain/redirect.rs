//! Where to send the visitor after log-in or a language switch (`next=`): only a path of this
//! site, so a crafted link cannot borrow our domain to send someone elsewhere.
//!
//! Browsers strip tabs and newlines from URLs and read `\` as `/`, so `/%09/evil.example`
//! arrives as `/\t/evil.example` and leaves as `//evil.example` (another site). The rule is
//! therefore stricter than "starts with `/`": one leading `/`, no `//`, no backslash and no
//! control character anywhere, checked on the text as received and again after each round of
//! percent-decoding, and the result must resolve against our own origin as a relative
//! reference. Anything else goes to the caller's default.

/// Long enough for any page with its query; anything longer is not a link we made.
pub const MAX_LEN: usize = 1024;

/// A same-site path (with query and fragment), serialised so it is a valid `Location` value
/// (non-ASCII and spaces percent-encoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeNext(String);

impl SafeNext {
    pub fn parse(raw: &str) -> Option<Self> {
        if raw.len() > MAX_LEN || !raw.starts_with('/') {
            return None;
        }
        // Each decoding round is checked, so double-encoding (`%252F`) hides nothing from a
        // server or proxy further along that decodes once more.
        let mut text = raw.to_string();
        for _ in 0..4 {
            if !plain_path(&text) {
                return None;
            }
            let decoded = percent_decode(&text);
            if decoded == text {
                break;
            }
            text = decoded;
        }
        if !plain_path(&text) {
            return None;
        }
        // Must parse as a relative reference that stays on our origin; the serialised form
        // (path, query, fragment) is what we send, checked once more after normalisation.
        let base = url::Url::parse("https://portal.invalid/").ok()?;
        let joined = base.join(raw).ok()?;
        if joined.origin() != base.origin() {
            return None;
        }
        let out = &joined[url::Position::BeforePath..];
        plain_path(out).then(|| Self(out.to_string()))
    }

    /// The path to redirect to, or `default` when `raw` is missing or not a safe path.
    pub fn or(raw: Option<&str>, default: &str) -> String {
        raw.and_then(Self::parse)
            .map_or_else(|| default.to_string(), Self::into_string)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

fn plain_path(s: &str) -> bool {
    s.starts_with('/') && !s.contains("//") && !s.contains('\\') && !s.chars().any(char::is_control)
}

/// `%XX` to the byte it names; invalid UTF-8 becomes U+FFFD (harmless here), a `%` not
/// followed by two hex digits stays as it is.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(raw: &str) -> Option<String> {
        SafeNext::parse(raw).map(SafeNext::into_string)
    }

    #[test]
    fn own_paths_are_kept() {
        for ok in [
            "/",
            "/dashboard",
            "/projects/42?created=1",
            "/admin/projects?q=abc&page=2",
            "/account#tokens",
            "/a%20b",
            "/projects?q=%ED%99%8D",
            "/login?next=/dashboard",
            "/a:b",
            "/;x",
            "/~user",
        ] {
            assert_eq!(p(ok).as_deref(), Some(ok), "{ok}");
        }
    }

    #[test]
    fn output_is_a_valid_location_value() {
        assert_eq!(p("/a b").as_deref(), Some("/a%20b"));
        assert_eq!(
            p("/projects?q=홍").as_deref(),
            Some("/projects?q=%ED%99%8D")
        );
        assert_eq!(p("/데모").as_deref(), Some("/%EB%8D%B0%EB%AA%A8"));
        // Dot segments resolve inside our site, never above its root.
        assert_eq!(p("/a/../b").as_deref(), Some("/b"));
        assert_eq!(p("/../../etc").as_deref(), Some("/etc"));
    }

    #[test]
    fn other_sites_and_tricks_are_refused() {
        for bad in [
            "",
            "dashboard",
            "https://evil.example/",
            "http:/evil.example",
            "javascript:alert(1)",
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/\\/evil.example",
            "/a\\b",
            // Control characters, raw: browsers drop them and glue the slashes together.
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n",
            "/\n",
            "/\u{0}",
            "/\u{7f}",
            "/\u{85}",
            // ...and percent-encoded.
            "/%09/evil.example",
            "/%0A",
            "/%0a/evil.example",
            "/%0D%0ASet-Cookie:x=1",
            "/%00",
            "/%7F",
            "/%C2%85",
            // Encoded slashes and backslashes, once or twice.
            "/%2Fevil.example",
            "/%2fevil.example",
            "%2F%2Fevil.example",
            "/%5Cevil.example",
            "/%5cevil.example",
            "/%252Fevil.example",
            "/%25252F%25252Fevil.example",
            "/%250A",
            "/a//b",
            "/.//evil.example",
            "/projects?u=https://evil.example",
        ] {
            assert_eq!(p(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn length_is_bounded() {
        let long = format!("/{}", "a".repeat(MAX_LEN - 1));
        assert!(p(&long).is_some());
        assert_eq!(p(&format!("{long}a")), None);
    }

    #[test]
    fn stray_percent_signs_are_not_decoded() {
        assert_eq!(p("/100%").as_deref(), Some("/100%"));
        assert_eq!(p("/%zz").as_deref(), Some("/%zz"));
        assert_eq!(p("/%").as_deref(), Some("/%"));
        assert_eq!(
            p("/%FF").as_deref(),
            Some("/%FF"),
            "invalid UTF-8 is no threat"
        );
    }

    #[test]
    fn or_falls_back() {
        assert_eq!(SafeNext::or(None, "/"), "/");
        assert_eq!(
            SafeNext::or(Some("//evil.example"), "/dashboard"),
            "/dashboard"
        );
        assert_eq!(SafeNext::or(Some("/account"), "/dashboard"), "/account");
    }
}
