//! What may be attached to a ticket: a few harmless file types, each file at most 5 MB, at
//! most 3 files a message. The type is decided from the name's extension *and* the first
//! bytes, never from what the browser claims, and the stored content type is ours.
use serde::{Deserialize, Serialize};

pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
pub const MAX_FILES_PER_MESSAGE: usize = 3;
pub const MAX_NAME_CHARS: usize = 120;
/// What the form states next to the field.
pub const ALLOWED_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "pdf", "txt", "log", "csv", "json", "zip",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttachmentProblem {
    Empty,
    TooLarge { max_bytes: usize },
    TypeNotAllowed,
    ContentDoesNotMatchType,
    TooManyFiles { max: usize },
}

impl AttachmentProblem {
    pub fn code(self) -> &'static str {
        match self {
            Self::Empty => "attachment_empty",
            Self::TooLarge { .. } => "attachment_too_large",
            Self::TypeNotAllowed => "attachment_type_not_allowed",
            Self::ContentDoesNotMatchType => "attachment_content_mismatch",
            Self::TooManyFiles { .. } => "too_many_attachments",
        }
    }
}

/// An accepted file: a cleaned name and the content type we will serve it with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedFile {
    pub file_name: String,
    pub content_type: &'static str,
}

/// Keeps the last path segment, drops control characters and quotes (the name goes into a
/// Content-Disposition header), and shortens it keeping the extension.
pub fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.chars().count() <= MAX_NAME_CHARS {
        return cleaned;
    }
    let ext = extension(&cleaned).unwrap_or_default();
    let keep = MAX_NAME_CHARS.saturating_sub(ext.chars().count() + 1);
    format!("{}.{ext}", cleaned.chars().take(keep).collect::<String>())
}

fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty()).then(|| ext.to_ascii_lowercase())
}

fn looks_like_text(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0)
}

/// Checks one file.
pub fn check(raw_name: &str, bytes: &[u8]) -> Result<AcceptedFile, AttachmentProblem> {
    if bytes.is_empty() {
        return Err(AttachmentProblem::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AttachmentProblem::TooLarge {
            max_bytes: MAX_FILE_BYTES,
        });
    }
    let file_name = clean_name(raw_name);
    let ext = extension(&file_name).ok_or(AttachmentProblem::TypeNotAllowed)?;
    let (content_type, matches) = match ext.as_str() {
        "png" => ("image/png", bytes.starts_with(b"\x89PNG\r\n\x1a\n")),
        "jpg" | "jpeg" => ("image/jpeg", bytes.starts_with(b"\xff\xd8\xff")),
        "gif" => (
            "image/gif",
            bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a"),
        ),
        "pdf" => ("application/pdf", bytes.starts_with(b"%PDF-")),
        "zip" => ("application/zip", bytes.starts_with(b"PK\x03\x04")),
        "txt" | "log" => ("text/plain; charset=utf-8", looks_like_text(bytes)),
        "csv" => ("text/csv; charset=utf-8", looks_like_text(bytes)),
        "json" => ("application/json", looks_like_text(bytes)),
        _ => return Err(AttachmentProblem::TypeNotAllowed),
    };
    if !matches {
        return Err(AttachmentProblem::ContentDoesNotMatchType);
    }
    Ok(AcceptedFile {
        file_name,
        content_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_known_types_with_matching_content() {
        let f = check("화면.png", b"\x89PNG\r\n\x1a\n....").unwrap();
        assert_eq!(f.content_type, "image/png");
        assert_eq!(f.file_name, "화면.png");
        assert!(check("trace.LOG", b"ERROR at line 3\n").is_ok());
        assert!(check("report.pdf", b"%PDF-1.7 ...").is_ok());
    }

    #[test]
    fn refuses_types_and_disguises() {
        assert_eq!(
            check("x.html", b"<p>"),
            Err(AttachmentProblem::TypeNotAllowed)
        );
        assert_eq!(
            check("x.svg", b"<svg onload=alert(1)>"),
            Err(AttachmentProblem::TypeNotAllowed)
        );
        assert_eq!(
            check("noext", b"abc"),
            Err(AttachmentProblem::TypeNotAllowed)
        );
        assert_eq!(
            check(".png", b"\x89PNG\r\n\x1a\n"),
            Err(AttachmentProblem::TypeNotAllowed)
        );
        assert_eq!(
            check("evil.png", b"<script>alert(1)</script>"),
            Err(AttachmentProblem::ContentDoesNotMatchType)
        );
        assert_eq!(
            check("bin.txt", b"\x00\x01\x02"),
            Err(AttachmentProblem::ContentDoesNotMatchType)
        );
    }

    #[test]
    fn size_limits() {
        assert_eq!(check("a.txt", b""), Err(AttachmentProblem::Empty));
        let big = vec![b'a'; MAX_FILE_BYTES + 1];
        assert_eq!(
            check("a.txt", &big),
            Err(AttachmentProblem::TooLarge {
                max_bytes: MAX_FILE_BYTES
            })
        );
        assert!(check("a.txt", &big[..MAX_FILE_BYTES]).is_ok());
    }

    #[test]
    fn names_are_cleaned_for_headers() {
        assert_eq!(clean_name("C:\\Users\\kim\\a\"b;.txt"), "ab.txt");
        assert_eq!(clean_name("../../etc/passwd.txt"), "passwd.txt");
        assert_eq!(clean_name("a\r\nSet-Cookie: x.txt"), "aSet-Cookie: x.txt");
        let long = format!("{}.pdf", "가".repeat(300));
        let c = clean_name(&long);
        assert_eq!(c.chars().count(), MAX_NAME_CHARS);
        assert!(c.ends_with(".pdf"));
    }
}
