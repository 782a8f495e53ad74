//! The one interface to attachment storage. Files live in the database so every portal
//! instance can serve them; an object store would replace the bodies of these functions only.
use crate::domain::support::attachment::AcceptedFile;
use crate::server::db::Db;
use crate::server::db::support::Tx;

/// A file as the download handler serves it.
pub struct StoredFile {
    pub ticket_id: i64,
    pub message_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

pub async fn put(
    tx: &mut Tx<'_>,
    ticket_id: i64,
    message_id: i64,
    file: &AcceptedFile,
    content: &[u8],
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO ticket_attachments (ticket_id, message_id, file_name, content_type, \
         size_bytes, content, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(ticket_id)
    .bind(message_id)
    .bind(&file.file_name)
    .bind(file.content_type)
    .bind(i64::try_from(content.len()).unwrap_or(i64::MAX))
    .bind(content.to_vec())
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn get(db: &Db, id: i64) -> Result<Option<StoredFile>, sqlx::Error> {
    let row = sqlx::query_as::<_, (i64, i64, String, String, Vec<u8>)>(
        "SELECT ticket_id, message_id, file_name, content_type, content FROM ticket_attachments WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(
        |(ticket_id, message_id, file_name, content_type, content)| StoredFile {
            ticket_id,
            message_id,
            file_name,
            content_type,
            content,
        },
    ))
}
