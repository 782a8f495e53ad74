//! Help content (SPEC R8.1, R8.4): the kinds of help article, the FAQ's categories, what an
//! article must be to be stored (`input`), and how the FAQ search matches (`search`). The
//! content itself is data (`help_articles`), written by staff; nothing here holds any of it.
pub mod input;
pub mod search;

use serde::{Deserialize, Serialize};

/// Where an article is shown. Each kind is one public page; an FAQ entry's title is its
/// question and its body the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HelpKind {
    Manual,
    Sla,
    Notice,
    Faq,
}

impl HelpKind {
    pub const ALL: [HelpKind; 4] = [Self::Manual, Self::Faq, Self::Sla, Self::Notice];

    pub fn code(self) -> &'static str {
        match self {
            Self::Manual => "manual",
            Self::Sla => "sla",
            Self::Notice => "notice",
            Self::Faq => "faq",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    /// The public page that shows this kind.
    pub fn path(self) -> &'static str {
        match self {
            Self::Manual => "/help/manual",
            Self::Sla => "/help/sla",
            Self::Notice => "/help/notices",
            Self::Faq => "/help/faq",
        }
    }
}

/// The FAQ's categories, in the order the FAQ page shows them. A fixed list (not free text)
/// so that the page can group and filter by it and staff cannot split a group by a typo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FaqCategory {
    Account,
    Projects,
    Billing,
    Sla,
    Support,
}

impl FaqCategory {
    pub const ALL: [FaqCategory; 5] = [
        Self::Account,
        Self::Projects,
        Self::Billing,
        Self::Sla,
        Self::Support,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Account => "account",
            Self::Projects => "projects",
            Self::Billing => "billing",
            Self::Sla => "sla",
            Self::Support => "support",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_and_unknown_codes_do_not() {
        for k in HelpKind::ALL {
            assert_eq!(HelpKind::from_code(k.code()), Some(k));
            assert!(k.path().starts_with("/help/"));
        }
        for c in FaqCategory::ALL {
            assert_eq!(FaqCategory::from_code(c.code()), Some(c));
        }
        assert_eq!(HelpKind::from_code("Manual"), None);
        assert_eq!(FaqCategory::from_code(""), None);
    }
}
