//! Percent-encoding for values put into links (a search term, a return path). Written out
//! because the browser build has no URL crate of its own and this is all it needs.

/// Encodes everything but unreserved characters and `/`, so the result is safe as a query
/// value and a path still reads as one.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn query_separators_and_unicode_are_escaped() {
        assert_eq!(encode("a&page=9"), "a%26page%3D9");
        assert_eq!(encode("데모"), "%EB%8D%B0%EB%AA%A8");
        assert_eq!(encode("/projects/1?x=1"), "/projects/1%3Fx%3D1");
        assert_eq!(encode("a b+c#d"), "a%20b%2Bc%23d");
    }
}
