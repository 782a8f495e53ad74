//! Markdown written by customers and staff, turned into HTML that is safe to show in the
//! portal: raw HTML in the source is shown as text, the output passes ammonia's allow-list
//! (no scripts, event handlers, styles or `javascript:`/`data:` URLs), and every link gets
//! `rel="nofollow noopener noreferrer"`. Server only: the browser receives the finished HTML.
use pulldown_cmark::{Event, Options, Parser, html};
use std::collections::HashSet;

/// Markdown source -> sanitised HTML.
pub fn render(source: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    // Raw HTML is not markup here: show it as the text the author typed.
    let events = Parser::new_ext(source, options).map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 2);
    html::push_html(&mut out, events);
    sanitize(&out)
}

fn sanitize(html: &str) -> String {
    let schemes: HashSet<&str> = ["http", "https", "mailto"].into_iter().collect();
    ammonia::Builder::default()
        .url_schemes(schemes)
        .link_rel(Some("nofollow noopener noreferrer"))
        // Images would let a message load third-party content (tracking) into staff's browsers.
        .rm_tags(["img"])
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    /// The markup of the output: text `<` is always escaped as `&lt;`, so every raw `<` opens
    /// a real tag. Attacks are judged on these, not on harmless text that quotes them.
    fn tags(h: &str) -> Vec<String> {
        h.split('<')
            .skip(1)
            .map(|t| t.split('>').next().unwrap_or_default().to_lowercase())
            .collect()
    }

    #[test]
    fn ordinary_markdown_renders() {
        let h = render("**굵게** and `code`\n\n- a\n- b");
        assert!(h.contains("<strong>굵게</strong>"));
        assert!(h.contains("<code>code</code>"));
        assert!(h.contains("<li>a</li>"));
    }

    #[test]
    fn script_tags_become_text() {
        let h = render("hi <script>alert(1)</script>");
        assert!(!h.contains("<script"));
        assert!(h.contains("&lt;script&gt;"));
    }

    #[test]
    fn javascript_links_lose_their_target() {
        let h = render("[click](javascript:alert(1))");
        assert!(!h.to_lowercase().contains("javascript:"));
        let h = render("[click](JaVaScRiPt:alert(1))");
        assert!(!h.to_lowercase().contains("javascript:"));
    }

    #[test]
    fn event_handler_attributes_never_survive() {
        let h = render("<img src=x onerror=alert(1)>");
        assert!(!h.contains("<img"));
        let h = render("![x](https://example.com/a.png\" onerror=\"alert(1))");
        assert!(tags(&h).iter().all(|t| !t.contains("onerror")));
        let h = render("<a href=\"https://x.kr\" onclick=\"alert(1)\">x</a>");
        assert!(tags(&h).iter().all(|t| !t.contains("onclick")));
    }

    #[test]
    fn data_uris_are_refused() {
        let h = render("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)");
        assert!(tags(&h).iter().all(|t| !t.contains("data:")));
        let h = render("![x](data:image/svg+xml,<svg onload=alert(1)>)");
        assert!(
            tags(&h)
                .iter()
                .all(|t| !t.contains("data:") && !t.contains("onload"))
        );
    }

    #[test]
    fn links_get_nofollow_noopener() {
        let h = render("[docs](https://example.com/a)");
        assert!(h.contains("href=\"https://example.com/a\""));
        assert!(h.contains("rel=\"nofollow noopener noreferrer\""));
    }
}
