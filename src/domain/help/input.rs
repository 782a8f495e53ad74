//! A help article as staff type it, read into a valid [`NewArticle`] or every [`Problem`]
//! with it at once, one per field, so the form can show each message beside its field.
use super::{FaqCategory, HelpKind};
use crate::domain::language::Language;

/// Longest title (an FAQ question or a manual section's heading: one line).
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest body in Markdown: a long manual section fits, a pasted log file does not.
pub const MAX_BODY_CHARS: usize = 20_000;
/// Highest position: articles are ordered by it, and nobody needs more than this many slots.
pub const MAX_POSITION: i64 = 9_999;

/// The form's fields as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct ArticleInput<'a> {
    /// A [`HelpKind`] code.
    pub kind: &'a str,
    /// A [`FaqCategory`] code; read only for FAQ entries.
    pub category: &'a str,
    /// `ko` | `en`: the language of this article (each language is its own row).
    pub language: &'a str,
    pub title: &'a str,
    /// Markdown.
    pub body: &'a str,
    /// Whole number; empty is 0.
    pub position: &'a str,
}

/// A valid article: known kind and language, a category exactly for FAQ entries, a title and
/// a body within their limits (trimmed, line ends as `\n`), a position in range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewArticle {
    pub kind: HelpKind,
    pub category: Option<FaqCategory>,
    pub language: Language,
    pub title: String,
    pub body: String,
    pub position: i64,
}

/// What is wrong with one field: `field()` names the form field, `code()` is the stable code
/// the page translates and the JSON carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    KindUnknown,
    CategoryUnknown,
    LanguageUnknown,
    TitleMissing,
    TitleTooLong,
    BodyMissing,
    BodyTooLong,
    PositionInvalid,
}

impl Problem {
    pub fn field(self) -> &'static str {
        match self {
            Self::KindUnknown => "kind",
            Self::CategoryUnknown => "category",
            Self::LanguageUnknown => "language",
            Self::TitleMissing | Self::TitleTooLong => "title",
            Self::BodyMissing | Self::BodyTooLong => "body",
            Self::PositionInvalid => "position",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::KindUnknown => "kind_unknown",
            Self::CategoryUnknown => "category_unknown",
            Self::LanguageUnknown => "language_unknown",
            Self::TitleMissing => "title_missing",
            Self::TitleTooLong => "title_too_long",
            Self::BodyMissing => "body_missing",
            Self::BodyTooLong => "body_too_long",
            Self::PositionInvalid => "position_invalid",
        }
    }
}

impl NewArticle {
    pub fn parse(input: &ArticleInput<'_>) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let kind = HelpKind::from_code(input.kind.trim());
        if kind.is_none() {
            problems.push(Problem::KindUnknown);
        }
        // Only FAQ entries are grouped; a category on anything else would mean nothing.
        let category = match kind {
            Some(HelpKind::Faq) => {
                let c = FaqCategory::from_code(input.category.trim());
                if c.is_none() {
                    problems.push(Problem::CategoryUnknown);
                }
                c
            }
            _ => None,
        };
        let language = Language::from_code(input.language.trim());
        if language.is_none() {
            problems.push(Problem::LanguageUnknown);
        }
        let title = input.title.trim().to_string();
        if title.is_empty() {
            problems.push(Problem::TitleMissing);
        } else if title.chars().count() > MAX_TITLE_CHARS {
            problems.push(Problem::TitleTooLong);
        }
        // Browsers send a textarea's line ends as CRLF; stored and counted as one character.
        let body = input.body.replace("\r\n", "\n").trim().to_string();
        if body.is_empty() {
            problems.push(Problem::BodyMissing);
        } else if body.chars().count() > MAX_BODY_CHARS {
            problems.push(Problem::BodyTooLong);
        }
        let position = match input.position.trim() {
            "" => Some(0),
            p => p
                .parse::<i64>()
                .ok()
                .filter(|n| (0..=MAX_POSITION).contains(n)),
        };
        if position.is_none() {
            problems.push(Problem::PositionInvalid);
        }
        match (kind, language, position) {
            (Some(kind), Some(language), Some(position)) if problems.is_empty() => Ok(Self {
                kind,
                category,
                language,
                title,
                body,
                position,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faq<'a>(title: &'a str, body: &'a str) -> ArticleInput<'a> {
        ArticleInput {
            kind: "faq",
            category: "billing",
            language: "ko",
            title,
            body,
            position: "10",
        }
    }

    #[test]
    fn a_complete_faq_entry_is_read_trimmed_with_plain_line_ends() {
        let a = NewArticle::parse(&faq(
            "  청구서는 언제 발행되나요? ",
            "매월 초\r\n발행됩니다.\r\n",
        ))
        .unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(a.kind, HelpKind::Faq);
        assert_eq!(a.category, Some(FaqCategory::Billing));
        assert_eq!(a.language, Language::Ko);
        assert_eq!(a.title, "청구서는 언제 발행되나요?");
        assert_eq!(a.body, "매월 초\n발행됩니다.");
        assert_eq!(a.position, 10);
    }

    #[test]
    fn every_problem_is_reported_at_once_beside_its_field() {
        let p = NewArticle::parse(&ArticleInput {
            kind: "faq",
            category: "gossip",
            language: "jp",
            title: " ",
            body: "\r\n",
            position: "-1",
        })
        .unwrap_err();
        let fields: Vec<_> = p.iter().map(|p| (p.field(), p.code())).collect();
        assert_eq!(
            fields,
            [
                ("category", "category_unknown"),
                ("language", "language_unknown"),
                ("title", "title_missing"),
                ("body", "body_missing"),
                ("position", "position_invalid"),
            ]
        );
        assert_eq!(
            NewArticle::parse(&ArticleInput {
                kind: "blog",
                ..faq("q", "a")
            })
            .unwrap_err(),
            [Problem::KindUnknown]
        );
    }

    #[test]
    fn limits_are_counted_in_characters_not_bytes() {
        let title = "가".repeat(MAX_TITLE_CHARS);
        let body = "나".repeat(MAX_BODY_CHARS);
        assert!(NewArticle::parse(&faq(&title, &body)).is_ok());
        let long_title = "가".repeat(MAX_TITLE_CHARS + 1);
        let long_body = "나".repeat(MAX_BODY_CHARS + 1);
        assert_eq!(
            NewArticle::parse(&faq(&long_title, &long_body)).unwrap_err(),
            [Problem::TitleTooLong, Problem::BodyTooLong]
        );
    }

    #[test]
    fn only_faq_entries_have_a_category_and_positions_stay_in_range() {
        let manual = NewArticle::parse(&ArticleInput {
            kind: "manual",
            category: "gossip",
            position: "",
            ..faq("가입하기", "본문")
        })
        .unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(manual.category, None);
        assert_eq!(manual.position, 0);
        for bad in ["10000", "1.5", "abc"] {
            assert_eq!(
                NewArticle::parse(&ArticleInput {
                    position: bad,
                    ..faq("q", "a")
                })
                .unwrap_err(),
                [Problem::PositionInvalid],
                "{bad}"
            );
        }
    }
}
