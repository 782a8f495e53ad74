//! Support tables: the holiday calendar, tickets, messages, attachments, pauses, events and
//! ticket notifications. Rows are plain columns; server::support turns them into domain types.
use super::Db;

pub type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HolidayRow {
    pub day: String,
    pub name_ko: String,
    pub name_en: String,
}

pub async fn holidays(db: &Db) -> Result<Vec<HolidayRow>, sqlx::Error> {
    sqlx::query_as::<_, HolidayRow>("SELECT day, name_ko, name_en FROM holidays ORDER BY day")
        .fetch_all(&db.pool)
        .await
}

pub async fn upsert_holiday(
    tx: &mut Tx<'_>,
    day: &str,
    name_ko: &str,
    name_en: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO holidays (day, name_ko, name_en, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (day) DO UPDATE SET name_ko = $2, name_en = $3, updated_at = $4",
    )
    .bind(day)
    .bind(name_ko)
    .bind(name_en)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn delete_holiday(tx: &mut Tx<'_>, day: &str) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM holidays WHERE day = $1")
        .bind(day)
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() == 1)
}

const TICKET_COLUMNS: &str = "t.id, t.customer_id, u.login_id AS customer_login_id, \
    u.name AS customer_name, t.project_id, p.name AS project_name, t.kind, t.severity, \
    t.subject, t.status, t.assignee_id, a.name AS assignee_name, t.created_at, \
    t.updated_at, t.last_reply_at, t.last_reply_by, t.first_staff_reply_at, t.first_progress_at, \
    t.resolved_at, t.report_at, t.closed_at, t.next_due_at, t.rating, t.resolution_category, \
    t.resolution_cause";

const TICKET_FROM: &str = "FROM tickets t JOIN users u ON u.id = t.customer_id \
    LEFT JOIN projects p ON p.id = t.project_id LEFT JOIN users a ON a.id = t.assignee_id";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TicketRow {
    pub id: i64,
    pub customer_id: i64,
    pub customer_login_id: String,
    pub customer_name: String,
    pub project_id: Option<i64>,
    pub project_name: Option<String>,
    pub kind: String,
    pub severity: Option<String>,
    pub subject: String,
    pub status: String,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_reply_at: i64,
    pub last_reply_by: String,
    pub first_staff_reply_at: Option<i64>,
    pub first_progress_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub report_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub next_due_at: Option<i64>,
    pub rating: Option<i64>,
    pub resolution_category: Option<String>,
    pub resolution_cause: Option<String>,
}

pub struct NewTicket<'a> {
    pub customer_id: i64,
    pub project_id: Option<i64>,
    pub kind: &'a str,
    pub severity: Option<&'a str>,
    pub subject: &'a str,
    pub now_ms: i64,
}

pub async fn insert_ticket(tx: &mut Tx<'_>, t: &NewTicket<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "INSERT INTO tickets (customer_id, project_id, kind, severity, subject, status, \
         created_at, updated_at, last_reply_at, last_reply_by) \
         VALUES ($1, $2, $3, $4, $5, 'new', $6, $6, $6, 'customer') RETURNING id",
    )
    .bind(t.customer_id)
    .bind(t.project_id)
    .bind(t.kind)
    .bind(t.severity)
    .bind(t.subject)
    .bind(t.now_ms)
    .fetch_one(&mut **tx)
    .await
}

pub async fn ticket(db: &Db, id: i64) -> Result<Option<TicketRow>, sqlx::Error> {
    sqlx::query_as::<_, TicketRow>(&format!(
        "SELECT {TICKET_COLUMNS} {TICKET_FROM} WHERE t.id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

pub async fn ticket_in_tx(tx: &mut Tx<'_>, id: i64) -> Result<Option<TicketRow>, sqlx::Error> {
    sqlx::query_as::<_, TicketRow>(&format!(
        "SELECT {TICKET_COLUMNS} {TICKET_FROM} WHERE t.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// A customer's tickets, most recently active first; `before` = (last_reply_at, id) of the
/// previous page's last row.
pub async fn tickets_of_customer(
    db: &Db,
    customer_id: i64,
    before: Option<(i64, i64)>,
    limit: i64,
) -> Result<Vec<TicketRow>, sqlx::Error> {
    let (at, id) = before.unwrap_or((i64::MAX, i64::MAX));
    sqlx::query_as::<_, TicketRow>(&format!(
        "SELECT {TICKET_COLUMNS} {TICKET_FROM} WHERE t.customer_id = $1 \
         AND (t.last_reply_at < $2 OR (t.last_reply_at = $2 AND t.id < $3)) \
         ORDER BY t.last_reply_at DESC, t.id DESC LIMIT $4"
    ))
    .bind(customer_id)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

/// Staff queue filters; None means any.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub status: Option<String>,
    /// Only tickets still open (not resolved or closed) when no status is chosen.
    pub open_only: bool,
    pub kind: Option<String>,
    pub severity: Option<String>,
    pub project_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub unassigned: bool,
    /// Tickets whose next due time is before this instant (breached or due soon).
    pub due_before_ms: Option<i64>,
}

/// The queue sorted by due time (tickets without a running clock last, oldest first).
pub async fn queue(
    db: &Db,
    f: &QueueFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<TicketRow>, sqlx::Error> {
    let mut sql = format!("SELECT {TICKET_COLUMNS} {TICKET_FROM} WHERE 1 = 1");
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if f.status.is_some() {
        sql += &format!(" AND t.status = {}", next());
    } else if f.open_only {
        sql += " AND t.status NOT IN ('resolved', 'closed')";
    }
    if f.kind.is_some() {
        sql += &format!(" AND t.kind = {}", next());
    }
    if f.severity.is_some() {
        sql += &format!(" AND t.severity = {}", next());
    }
    if f.project_id.is_some() {
        sql += &format!(" AND t.project_id = {}", next());
    }
    if f.assignee_id.is_some() {
        sql += &format!(" AND t.assignee_id = {}", next());
    } else if f.unassigned {
        sql += " AND t.assignee_id IS NULL";
    }
    if f.due_before_ms.is_some() {
        sql += &format!(
            " AND t.next_due_at IS NOT NULL AND t.next_due_at < {}",
            next()
        );
    }
    sql += &format!(
        " ORDER BY CASE WHEN t.next_due_at IS NULL THEN 1 ELSE 0 END, t.next_due_at, \
         t.created_at, t.id LIMIT {} OFFSET {}",
        next(),
        next()
    );
    let mut q = sqlx::query_as::<_, TicketRow>(&sql);
    if let Some(s) = &f.status {
        q = q.bind(s.clone());
    }
    if let Some(k) = &f.kind {
        q = q.bind(k.clone());
    }
    if let Some(s) = &f.severity {
        q = q.bind(s.clone());
    }
    if let Some(p) = f.project_id {
        q = q.bind(p);
    }
    if let Some(a) = f.assignee_id {
        q = q.bind(a);
    }
    if let Some(d) = f.due_before_ms {
        q = q.bind(d);
    }
    q.bind(limit).bind(offset).fetch_all(&db.pool).await
}

/// Open incident tickets: their due times are recomputed when the calendar changes.
pub async fn open_incident_ids(db: &Db) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "SELECT id FROM tickets WHERE kind = 'incident' AND status <> 'closed' ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
}

/// Incident tickets filed in [from, to), for the monthly target report.
pub async fn incidents_filed_between(
    db: &Db,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<TicketRow>, sqlx::Error> {
    sqlx::query_as::<_, TicketRow>(&format!(
        "SELECT {TICKET_COLUMNS} {TICKET_FROM} WHERE t.kind = 'incident' \
         AND t.created_at >= $1 AND t.created_at < $2 ORDER BY t.id"
    ))
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(&db.pool)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub author_kind: String,
    pub purpose: String,
    pub body: String,
    pub created_at: i64,
}

pub async fn insert_message(
    tx: &mut Tx<'_>,
    ticket_id: i64,
    author_id: i64,
    author_kind: &str,
    purpose: &str,
    body: &str,
    now_ms: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "INSERT INTO ticket_messages (ticket_id, author_id, author_kind, purpose, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(ticket_id)
    .bind(author_id)
    .bind(author_kind)
    .bind(purpose)
    .bind(body)
    .bind(now_ms)
    .fetch_one(&mut **tx)
    .await
}

/// The conversation; `with_internal` only for staff.
pub async fn messages(
    db: &Db,
    ticket_id: i64,
    with_internal: bool,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    let filter = if with_internal {
        ""
    } else {
        " AND m.purpose <> 'internal_note'"
    };
    sqlx::query_as::<_, MessageRow>(&format!(
        "SELECT m.id, m.author_id, u.name AS author_name, m.author_kind, m.purpose, \
         m.body, m.created_at FROM ticket_messages m JOIN users u ON u.id = m.author_id \
         WHERE m.ticket_id = $1{filter} ORDER BY m.id"
    ))
    .bind(ticket_id)
    .fetch_all(&db.pool)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentMeta {
    pub id: i64,
    pub message_id: i64,
    pub file_name: String,
    pub size_bytes: i64,
}

pub async fn attachments_of_ticket(
    db: &Db,
    ticket_id: i64,
) -> Result<Vec<AttachmentMeta>, sqlx::Error> {
    sqlx::query_as::<_, AttachmentMeta>(
        "SELECT id, message_id, file_name, size_bytes FROM ticket_attachments \
         WHERE ticket_id = $1 ORDER BY id",
    )
    .bind(ticket_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn count_attachments(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM ticket_attachments")
        .fetch_one(&db.pool)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PauseRow {
    pub from_at: i64,
    pub until_at: Option<i64>,
}

pub async fn pauses(db: &Db, ticket_id: i64) -> Result<Vec<PauseRow>, sqlx::Error> {
    sqlx::query_as::<_, PauseRow>(
        "SELECT from_at, until_at FROM ticket_pauses WHERE ticket_id = $1 ORDER BY from_at, id",
    )
    .bind(ticket_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn pauses_in_tx(tx: &mut Tx<'_>, ticket_id: i64) -> Result<Vec<PauseRow>, sqlx::Error> {
    sqlx::query_as::<_, PauseRow>(
        "SELECT from_at, until_at FROM ticket_pauses WHERE ticket_id = $1 ORDER BY from_at, id",
    )
    .bind(ticket_id)
    .fetch_all(&mut **tx)
    .await
}

pub async fn open_pause(tx: &mut Tx<'_>, ticket_id: i64, now_ms: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO ticket_pauses (ticket_id, from_at) VALUES ($1, $2)")
        .bind(ticket_id)
        .bind(now_ms)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn close_pauses(tx: &mut Tx<'_>, ticket_id: i64, now_ms: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE ticket_pauses SET until_at = $1 WHERE ticket_id = $2 AND until_at IS NULL")
        .bind(now_ms)
        .bind(ticket_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn record_event(
    tx: &mut Tx<'_>,
    ticket_id: i64,
    actor_id: i64,
    kind: &str,
    detail: &serde_json::Value,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO ticket_events (ticket_id, at, actor_id, kind, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(ticket_id)
    .bind(now_ms)
    .bind(actor_id)
    .bind(kind)
    .bind(detail.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn notify(
    tx: &mut Tx<'_>,
    user_id: i64,
    ticket_id: i64,
    kind: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO ticket_notifications (user_id, ticket_id, kind, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(ticket_id)
    .bind(kind)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub ticket_id: i64,
    pub subject: String,
    pub kind: String,
    pub created_at: i64,
}

pub async fn unread_notifications(
    db: &Db,
    user_id: i64,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    sqlx::query_as::<_, NotificationRow>(
        "SELECT n.id, n.ticket_id, t.subject, n.kind, n.created_at FROM ticket_notifications n \
         JOIN tickets t ON t.id = n.ticket_id WHERE n.user_id = $1 AND n.read_at IS NULL \
         ORDER BY n.id DESC LIMIT 20",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await
}

pub async fn mark_ticket_notifications_read(
    db: &Db,
    user_id: i64,
    ticket_id: i64,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE ticket_notifications SET read_at = $1 WHERE user_id = $2 AND ticket_id = $3 AND read_at IS NULL",
    )
    .bind(now_ms)
    .bind(user_id)
    .bind(ticket_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Staff who work tickets (support and admin roles), for assignment and new-ticket notices.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgentRow {
    pub id: i64,
    pub name: String,
}

pub async fn agents(db: &Db) -> Result<Vec<AgentRow>, sqlx::Error> {
    sqlx::query_as::<_, AgentRow>(
        "SELECT id, name FROM users WHERE kind = 'staff' \
         AND staff_role IN ('support', 'admin') ORDER BY name, id",
    )
    .fetch_all(&db.pool)
    .await
}

pub async fn agents_in_tx(tx: &mut Tx<'_>) -> Result<Vec<AgentRow>, sqlx::Error> {
    sqlx::query_as::<_, AgentRow>(
        "SELECT id, name FROM users WHERE kind = 'staff' \
         AND staff_role IN ('support', 'admin') ORDER BY name, id",
    )
    .fetch_all(&mut **tx)
    .await
}

/// The customer's own projects (for the ticket form) with their names.
pub async fn projects_of_customer(
    db: &Db,
    customer_id: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as::<_, (i64, String)>(
        "SELECT id, name FROM projects WHERE owner_id = $1 ORDER BY name, id",
    )
    .bind(customer_id)
    .fetch_all(&db.pool)
    .await
}

/// Ticket fields changed by staff; each None leaves its column as it is.
pub async fn set_ticket_state(
    tx: &mut Tx<'_>,
    t: &TicketRow,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE tickets SET status = $1, assignee_id = $2, updated_at = $3, last_reply_at = $4, \
         last_reply_by = $5, first_staff_reply_at = $6, first_progress_at = $7, resolved_at = $8, \
         report_at = $9, closed_at = $10, next_due_at = $11, rating = $12, \
         resolution_category = $13, resolution_cause = $14 WHERE id = $15",
    )
    .bind(&t.status)
    .bind(t.assignee_id)
    .bind(now_ms)
    .bind(t.last_reply_at)
    .bind(&t.last_reply_by)
    .bind(t.first_staff_reply_at)
    .bind(t.first_progress_at)
    .bind(t.resolved_at)
    .bind(t.report_at)
    .bind(t.closed_at)
    .bind(t.next_due_at)
    .bind(t.rating)
    .bind(&t.resolution_category)
    .bind(&t.resolution_cause)
    .bind(t.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A customer's tickets newest first for the API, after the cursor's id.
pub async fn tickets_of_customer_by_id(
    db: &Db,
    customer_id: i64,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<TicketRow>, sqlx::Error> {
    sqlx::query_as::<_, TicketRow>(&format!(
        "SELECT {TICKET_COLUMNS} {TICKET_FROM} WHERE t.customer_id = $1 AND t.id < $2 \
         ORDER BY t.id DESC LIMIT $3"
    ))
    .bind(customer_id)
    .bind(before_id.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}
