//! What a use case hands to [`super::enqueue`]: who gets the mail and what it says. The text
//! itself is rendered when the mail is sent, in the recipient's language.
use super::templates::Template;
use crate::domain::account::Email;
use crate::domain::language::Language;
use crate::domain::stored::UserId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq)]
pub struct Mail {
    pub to: Recipient,
    pub content: Content,
    /// The same key enqueued again (a job run twice, a retried request) is stored once; None
    /// when every call is a new mail.
    pub dedupe_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Recipient {
    /// A portal account: mailed at its contact address, in its language, both read when the
    /// mail is sent (so a change of address before then is honoured).
    User(UserId),
    /// Someone without an account here (or a fixed team address).
    Address { email: Email, language: Language },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "content", rename_all = "snake_case")]
pub enum Content {
    /// A text of the portal's own (preferred: written and tested once in `templates`).
    Template(Template),
    /// Text the caller wrote, in both languages; the recipient's is sent. `link` is a path of
    /// the portal (`/tickets/12`); the mail shows it as a full address under the text.
    Text {
        ko: Text,
        en: Text,
        link: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub subject: String,
    pub body: String,
}

impl Content {
    /// Stored in `mail_outbox.kind`, so the table can be read (and counted) without the JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Template(t) => t.code(),
            Self::Text { .. } => "text",
        }
    }
}
