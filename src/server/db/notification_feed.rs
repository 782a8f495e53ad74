//! A customer's latest notifications of both kinds (lifecycle steps and alerts), newest
//! first, in one statement: every dashboard and project view shows them (issue 15).
use super::alerts::AlertRow;
use super::notifications::NotificationRow;
use super::{ReadConnection, sqlite_readers};

/// One entry of the feed, as stored in its own table.
#[derive(Debug, Clone)]
pub enum FeedRow {
    Lifecycle(NotificationRow),
    Alert(AlertRow),
}

#[derive(sqlx::FromRow)]
struct Row {
    source: i64,
    id: i64,
    project_id: Option<i64>,
    project_name: Option<String>,
    kind: String,
    step: Option<String>,
    step_at: Option<i64>,
    days_before: Option<i64>,
    payload: Option<String>,
    created_at: i64,
    read_at: Option<i64>,
}

const FEED: &str = "SELECT CAST(0 AS BIGINT) AS source, n.id, n.project_id, \
       p.name AS project_name, n.kind, n.step, n.step_at, n.days_before, \
       CAST(NULL AS TEXT) AS payload, n.created_at, n.read_at \
     FROM notifications n LEFT JOIN projects p ON p.id = n.project_id WHERE n.user_id = $1 \
     UNION ALL \
     SELECT CAST(1 AS BIGINT), id, CAST(NULL AS BIGINT), CAST(NULL AS TEXT), kind, \
       CAST(NULL AS TEXT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), payload, created_at, \
       read_at \
     FROM customer_alerts WHERE user_id = $1 \
     ORDER BY created_at DESC, source, id DESC LIMIT $2";

impl Row {
    /// A row of [`FEED`] on a kept SQLite connection, by position.
    fn from_sqlite(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            source: r.get(0)?,
            id: r.get(1)?,
            project_id: r.get(2)?,
            project_name: r.get(3)?,
            kind: r.get(4)?,
            step: r.get(5)?,
            step_at: r.get(6)?,
            days_before: r.get(7)?,
            payload: r.get(8)?,
            created_at: r.get(9)?,
            read_at: r.get(10)?,
        })
    }
}

/// The `limit` newest of both tables; at the same instant a lifecycle notice comes before an
/// alert, and each table keeps its own order (newest id first).
pub async fn recent_for_user(
    conn: &mut ReadConnection,
    user_id: i64,
    limit: i64,
) -> Result<Vec<FeedRow>, sqlx::Error> {
    let rows = match conn {
        ReadConnection::Inline(c) => {
            sqlite_readers::all(c, FEED, [user_id, limit], Row::from_sqlite)?
        }
        ReadConnection::Pooled(c) => {
            sqlx::query_as::<_, Row>(FEED)
                .bind(user_id)
                .bind(limit)
                .fetch_all(&mut **c)
                .await?
        }
    };
    rows.into_iter().map(feed_row).collect()
}

fn feed_row(r: Row) -> Result<FeedRow, sqlx::Error> {
    let row = match (r.source, r.step, r.step_at, r.days_before, r.payload) {
        (0, Some(step), Some(step_at), Some(days_before), None) => {
            Some(FeedRow::Lifecycle(NotificationRow {
                id: r.id,
                project_id: r.project_id,
                project_name: r.project_name,
                kind: r.kind,
                step,
                step_at,
                days_before,
                created_at: r.created_at,
                read_at: r.read_at,
            }))
        }
        (1, None, None, None, Some(payload)) => Some(FeedRow::Alert(AlertRow {
            id: r.id,
            kind: r.kind,
            payload,
            created_at: r.created_at,
            read_at: r.read_at,
        })),
        _ => None,
    };
    row.ok_or_else(|| {
        sqlx::Error::Decode(
            format!("notification {} of source {} is incomplete", r.id, r.source).into(),
        )
    })
}
