//! Outgoing e-mail: a use case calls [`enqueue`] inside its own transaction (the mail commits
//! with the state change it reports, or not at all); the [`worker`] sends it later through
//! SMTP, or writes an `.eml` file when no SMTP server is configured. One idea per file:
//! - `message`: what a caller hands over ([`Mail`], [`Recipient`], [`Content`]);
//! - `templates`: the texts, per [`Template`] and language (pure functions);
//! - `enqueue`: storing a mail in the caller's transaction;
//! - `outbox`: the `mail_outbox` table's SQL;
//! - `retry`: the back-off schedule (pure);
//! - `transport`: SMTP through lettre, or the `.eml` folder;
//! - `worker`: claims due mail (at most once across instances) and sends it.
pub mod enqueue;
pub mod message;
pub mod outbox;
pub mod retry;
pub mod templates;
pub mod transport;
pub mod worker;

pub use enqueue::{Enqueued, cancel_pending, enqueue};
pub use message::{Content, Mail, Recipient, Text};
pub use templates::Template;
pub use transport::Mailer;
