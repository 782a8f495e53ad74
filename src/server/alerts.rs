//! Raising a customer alert: the portal notice and its e-mail, stored together under one key
//! so that however often a check runs (or on however many instances) each alert happens once.
use super::db::alerts as q;
use super::mail::{self, Content, Mail, Recipient, Template};
use crate::domain::kst::to_millis;
use crate::domain::stored::UserId;
use crate::model::alerts::CustomerAlert;
use chrono::{DateTime, Utc};

/// Stores the alert and queues its e-mail in the caller's transaction; whether it was new
/// (false: an alert with this key exists already, and nothing is queued again).
pub async fn raise(
    conn: &mut sqlx::AnyConnection,
    user_id: UserId,
    alert: &CustomerAlert,
    key: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let payload = serde_json::to_string(alert).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let new = q::insert_once(
        conn,
        user_id.0,
        alert.project_id(),
        alert.code(),
        key,
        &payload,
        to_millis(now),
    )
    .await?;
    if new {
        mail::enqueue(
            conn,
            &Mail {
                to: Recipient::User(user_id),
                content: Content::Template(Template::Alert(alert.clone())),
                dedupe_key: Some(key.to_string()),
            },
            now,
        )
        .await?;
    }
    Ok(new)
}

/// A stored alert read back; an unreadable payload is an error, never a silent skip.
pub fn parse(row: &q::AlertRow) -> Result<CustomerAlert, sqlx::Error> {
    serde_json::from_str(&row.payload).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}
