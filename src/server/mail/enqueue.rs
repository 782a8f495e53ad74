//! Storing a mail in the caller's transaction: the state change and the mail that reports it
//! commit together (or neither does), and nothing is sent before the commit.
use super::message::{Mail, Recipient};
use super::outbox::{self, NewRow};
use crate::domain::kst::to_millis;
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

/// What [`enqueue`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enqueued {
    /// Stored under this outbox id; the worker sends it from `now` on.
    Queued(i64),
    /// A mail with the same `dedupe_key` was already stored (sent or not): nothing new.
    AlreadyQueued,
}

/// Queues `mail` for sending. Pass the caller's transaction (`&mut tx`) so the mail commits
/// with the change it reports; a pooled connection (`&mut *db.pool.acquire().await?`) when
/// there is no transaction. Nothing is rendered here: the text is made at send time in the
/// recipient's language.
pub async fn enqueue(
    conn: &mut AnyConnection,
    mail: &Mail,
    now: DateTime<Utc>,
) -> Result<Enqueued, sqlx::Error> {
    let payload =
        serde_json::to_string(&mail.content).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let (user, address, language) = match &mail.to {
        Recipient::User(id) => (Some(id.0), None, None),
        Recipient::Address { email, language } => {
            (None, Some(email.as_str()), Some(language.code()))
        }
    };
    let row = NewRow {
        recipient_user_id: user,
        to_address: address,
        to_locale: language,
        kind: mail.content.kind(),
        payload: &payload,
        dedupe_key: mail.dedupe_key.as_deref(),
    };
    Ok(match outbox::insert(conn, &row, to_millis(now)).await? {
        Some(id) => Enqueued::Queued(id),
        None => Enqueued::AlreadyQueued,
    })
}

/// Withdraws a queued mail that has not been sent (its news became untrue, e.g. a deletion
/// notice after the customer paid); whether one was withdrawn. Sent mail stays as it was.
pub async fn cancel_pending(
    conn: &mut AnyConnection,
    dedupe_key: &str,
) -> Result<bool, sqlx::Error> {
    outbox::delete_pending(conn, dedupe_key).await
}
