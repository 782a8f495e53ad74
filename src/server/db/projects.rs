//! Projects, their monitoring targets, plan and capacity changes.
use super::notifications::{self, NewNotification};
use super::sqlite_readers;
use super::{Db, ReadConnection, is_unique_violation};
use crate::domain::lifecycle::LifecycleState;
use crate::domain::plan::{Plan, TargetKind};
use crate::domain::stored::{Flag, ProjectId, StoredDay, StoredInstant, UserId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProjectRow {
    pub id: ProjectId,
    pub owner_id: UserId,
    pub name: String,
    pub prefix: String,
    #[sqlx(try_from = "String")]
    pub plan: Plan,
    #[sqlx(try_from = "i64")]
    pub created_at: StoredInstant,
    pub trial_extension_days: i64,
    pub upgraded_at: Option<i64>,
    #[sqlx(try_from = "Option<String>")]
    pub missed_payment_date: StoredDay,
    #[sqlx(try_from = "String")]
    pub state: LifecycleState,
    pub state_changed_at: i64,
    #[sqlx(try_from = "i64")]
    pub ingest_gb_per_day: u32,
    #[sqlx(try_from = "i64")]
    pub storage_gb: u32,
    #[sqlx(try_from = "i64")]
    pub extended_retention: Flag,
    #[sqlx(try_from = "i64")]
    pub remote_support: Flag,
    pub target_count: i64,
    pub owner_login_id: String,
    /// When the lifecycle job must next look at this project; None: nothing scheduled.
    pub next_step_at: Option<i64>,
}

const SELECT: &str = "SELECT p.id, p.owner_id, p.name, p.prefix, p.plan, p.created_at, \
    p.trial_extension_days, p.upgraded_at, p.missed_payment_date, p.state, p.state_changed_at, \
    p.ingest_gb_per_day, p.storage_gb, p.extended_retention, p.remote_support, \
    (SELECT COUNT(*) FROM monitoring_targets t WHERE t.project_id = p.id) AS target_count, \
    u.login_id AS owner_login_id, p.next_step_at \
    FROM projects p JOIN users u ON u.id = p.owner_id";

impl ProjectRow {
    /// A row of [`SELECT`] read on a kept SQLite connection (`db::sqlite_readers`), parsed as
    /// the derive above parses it.
    fn from_sqlite(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        use super::sqlite_readers::conversion;
        let capacity = |i: usize| -> rusqlite::Result<u32> {
            u32::try_from(r.get::<_, i64>(i)?).map_err(|e| conversion(i, e))
        };
        let flag = |i: usize| -> rusqlite::Result<Flag> {
            Flag::try_from(r.get::<_, i64>(i)?).map_err(|e| conversion(i, e))
        };
        Ok(Self {
            id: ProjectId(r.get(0)?),
            owner_id: UserId(r.get(1)?),
            name: r.get(2)?,
            prefix: r.get(3)?,
            plan: Plan::try_from(r.get::<_, String>(4)?).map_err(|e| conversion(4, e))?,
            created_at: StoredInstant::try_from(r.get::<_, i64>(5)?)
                .map_err(|e| conversion(5, e))?,
            trial_extension_days: r.get(6)?,
            upgraded_at: r.get(7)?,
            missed_payment_date: StoredDay::try_from(r.get::<_, Option<String>>(8)?)
                .map_err(|e| conversion(8, e))?,
            state: LifecycleState::try_from(r.get::<_, String>(9)?)
                .map_err(|e| conversion(9, e))?,
            state_changed_at: r.get(10)?,
            ingest_gb_per_day: capacity(11)?,
            storage_gb: capacity(12)?,
            extended_retention: flag(13)?,
            remote_support: flag(14)?,
            target_count: r.get(15)?,
            owner_login_id: r.get(16)?,
            next_step_at: r.get(17)?,
        })
    }
}

pub struct NewProject<'a> {
    pub owner_id: UserId,
    pub name: &'a str,
    pub prefix: &'a str,
    pub plan: &'a str,
    pub ingest_gb_per_day: i64,
    pub storage_gb: i64,
    /// From `domain::lifecycle::next_check_after_change` for the new project.
    pub next_step_at: Option<i64>,
    /// The owner's cap on projects that are not deleted; None: no cap (demo data).
    pub max_projects: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum InsertError {
    #[error("prefix taken")]
    PrefixTaken,
    #[error("project limit reached")]
    LimitReached,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// The unique index on prefix settles a race between two customers: exactly one insert wins.
/// The cap is counted after taking the owner's row lock (PostgreSQL) or the write lock
/// (SQLite), so two concurrent creations cannot both take the last place. Deleted projects do
/// not count: their data is gone (their prefixes stay reserved all the same).
pub async fn insert(db: &Db, p: &NewProject<'_>, now_ms: i64) -> Result<ProjectId, InsertError> {
    let mut tx = db.pool.begin().await?;
    if let Some(cap) = p.max_projects {
        sqlx::query("UPDATE users SET updated_at = updated_at WHERE id = $1")
            .bind(p.owner_id)
            .execute(&mut *tx)
            .await?;
        let live = sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM projects WHERE owner_id = $1 AND state <> 'deleted'",
        )
        .bind(p.owner_id)
        .fetch_one(&mut *tx)
        .await?;
        if live >= cap {
            return Err(InsertError::LimitReached);
        }
    }
    let id = sqlx::query_scalar::<_, ProjectId>(
        "INSERT INTO projects (owner_id, name, prefix, plan, created_at, state, state_changed_at, \
         ingest_gb_per_day, storage_gb, next_step_at) \
         VALUES ($1, $2, $3, $4, $5, 'active', $5, $6, $7, $8) RETURNING id",
    )
    .bind(p.owner_id)
    .bind(p.name)
    .bind(p.prefix)
    .bind(p.plan)
    .bind(now_ms)
    .bind(p.ingest_gb_per_day)
    .bind(p.storage_gb)
    .bind(p.next_step_at)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            InsertError::PrefixTaken
        } else {
            e.into()
        }
    })?;
    // The plan chosen at creation is the first entry of the plan history.
    sqlx::query(
        "INSERT INTO plan_changes (project_id, at, from_plan, to_plan, actor_user_id, reason) \
         VALUES ($1, $2, '', $3, $4, 'created')",
    )
    .bind(id)
    .bind(now_ms)
    .bind(p.plan)
    .bind(p.owner_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn prefix_taken(db: &Db, prefix: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("SELECT 1 FROM projects WHERE prefix = $1")
        .bind(prefix)
        .fetch_optional(&db.pool)
        .await?
        .is_some())
}

/// A slice of a list in its display order: the rows after the row with id `after` (the API's
/// cursor), skipping `offset` more (the pages' `?page=`), at most `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub after: Option<i64>,
    pub offset: i64,
    pub limit: i64,
}

impl Window {
    /// Newest-first lists: rows with a smaller id come after.
    fn before_id(&self) -> i64 {
        self.after.unwrap_or(i64::MAX)
    }
    /// Oldest-first lists: rows with a larger id come after.
    fn after_id(&self) -> i64 {
        self.after.unwrap_or(i64::MIN)
    }
}

/// The owner's projects, newest first.
pub async fn list_for_owner(
    conn: &mut ReadConnection,
    owner_id: UserId,
    w: Window,
) -> Result<Vec<ProjectRow>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE p.owner_id = $1 AND p.id < $2 ORDER BY p.id DESC LIMIT $3 OFFSET $4"
    );
    match conn {
        ReadConnection::Inline(c) => sqlite_readers::all(
            c,
            &sql,
            [owner_id.0, w.before_id(), w.limit, w.offset],
            ProjectRow::from_sqlite,
        ),
        ReadConnection::Pooled(c) => {
            sqlx::query_as::<_, ProjectRow>(&sql)
                .bind(owner_id)
                .bind(w.before_id())
                .bind(w.limit)
                .bind(w.offset)
                .fetch_all(&mut **c)
                .await
        }
    }
}

pub async fn count_for_owner(
    conn: &mut ReadConnection,
    owner_id: UserId,
) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM projects WHERE owner_id = $1";
    match conn {
        ReadConnection::Inline(c) => sqlite_readers::optional(c, sql, [owner_id.0], |r| r.get(0))?
            .ok_or(sqlx::Error::RowNotFound),
        ReadConnection::Pooled(c) => {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(owner_id)
                .fetch_one(&mut **c)
                .await
        }
    }
}

/// A project as its owner may see it; anyone else's is simply not there.
pub async fn find_for_owner(
    db: &Db,
    owner_id: UserId,
    id: ProjectId,
) -> Result<Option<ProjectRow>, sqlx::Error> {
    sqlx::query_as::<_, ProjectRow>(&format!("{SELECT} WHERE p.id = $1 AND p.owner_id = $2"))
        .bind(id)
        .bind(owner_id)
        .fetch_optional(&db.pool)
        .await
}

pub async fn find(db: &Db, id: ProjectId) -> Result<Option<ProjectRow>, sqlx::Error> {
    sqlx::query_as::<_, ProjectRow>(&format!("{SELECT} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// Projects the lifecycle job must look at now (a step or a notice window has come), the
/// longest-waiting first; the index on next_step_at keeps this cheap however many projects
/// there are.
pub async fn due_for_lifecycle(
    db: &Db,
    now_ms: i64,
    limit: i64,
) -> Result<Vec<ProjectRow>, sqlx::Error> {
    sqlx::query_as::<_, ProjectRow>(&format!(
        "{SELECT} WHERE p.next_step_at <= $1 ORDER BY p.next_step_at, p.id LIMIT $2"
    ))
    .bind(now_ms)
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

/// Staff search over project name, prefix and owner ID. `pattern` is matched as a substring,
/// case-insensitively (prefixes and IDs are stored lowercase).
pub async fn search(
    db: &Db,
    pattern: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ProjectRow>, i64), sqlx::Error> {
    let like = format!(
        "%{}%",
        pattern
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let filter = " WHERE (LOWER(p.name) LIKE $1 ESCAPE '\\' OR p.prefix LIKE $1 ESCAPE '\\' \
                  OR u.login_id LIKE $1 ESCAPE '\\')";
    let rows = sqlx::query_as::<_, ProjectRow>(&format!(
        "{SELECT}{filter} ORDER BY p.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(&like)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    let total = sqlx::query_scalar::<_, i64>(&format!(
        "SELECT COUNT(*) FROM projects p JOIN users u ON u.id = p.owner_id{filter}"
    ))
    .bind(&like)
    .fetch_one(&db.pool)
    .await?;
    Ok((rows, total))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TargetRow {
    pub id: i64,
    pub project_id: ProjectId,
    #[sqlx(try_from = "String")]
    pub kind: TargetKind,
    pub name: String,
    pub detail: String,
    pub created_at: i64,
}

/// A project's targets, oldest first.
pub async fn targets(
    db: &Db,
    project_id: ProjectId,
    w: Window,
) -> Result<Vec<TargetRow>, sqlx::Error> {
    sqlx::query_as::<_, TargetRow>(
        "SELECT id, project_id, kind, name, detail, created_at FROM monitoring_targets \
         WHERE project_id = $1 AND id > $2 ORDER BY id LIMIT $3 OFFSET $4",
    )
    .bind(project_id)
    .bind(w.after_id())
    .bind(w.limit)
    .bind(w.offset)
    .fetch_all(&db.pool)
    .await
}

pub struct NewTarget<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub detail: &'a str,
}

/// Adds a target unless the project already has `limit` (None = no limit). The first UPDATE
/// takes the project's row lock (PostgreSQL) or the write lock (SQLite), so two concurrent
/// adds cannot both see room for one more.
pub async fn add_target(
    db: &Db,
    project_id: ProjectId,
    t: &NewTarget<'_>,
    limit: Option<i64>,
    now_ms: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    sqlx::query("UPDATE projects SET state_changed_at = state_changed_at WHERE id = $1")
        .bind(project_id)
        .execute(&mut *tx)
        .await?;
    let count = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM monitoring_targets WHERE project_id = $1",
    )
    .bind(project_id)
    .fetch_one(&mut *tx)
    .await?;
    if limit.is_some_and(|l| count >= l) {
        return Ok(None);
    }
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO monitoring_targets (project_id, kind, name, detail, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(project_id)
    .bind(t.kind)
    .bind(t.name)
    .bind(t.detail)
    .bind(now_ms)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}

pub async fn rename_target(
    db: &Db,
    project_id: ProjectId,
    target_id: i64,
    name: &str,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("UPDATE monitoring_targets SET name = $1, updated_at = $2 WHERE id = $3 AND project_id = $4")
        .bind(name)
        .bind(now_ms)
        .bind(target_id)
        .bind(project_id)
        .execute(&db.pool)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn remove_target(
    db: &Db,
    project_id: ProjectId,
    target_id: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM monitoring_targets WHERE id = $1 AND project_id = $2")
        .bind(target_id)
        .bind(project_id)
        .execute(&db.pool)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub struct PlanChange<'a> {
    pub project_id: ProjectId,
    pub from_plan: &'a str,
    pub to_plan: &'a str,
    pub extension_days: i64,
    pub actor_user_id: UserId,
    pub reason: &'a str,
    /// Entitlements the new plan starts with (upgrades lift free defaults to paid defaults;
    /// a downgrade drops paid options).
    pub capacity: CapacityCols,
    /// The lifecycle state under the new plan (an upgrade restores an expired trial).
    pub new_state: &'a str,
    /// Entitlements before the change: when they differ from `capacity`, the change is kept in
    /// the capacity history too.
    pub from_capacity: CapacityCols,
    /// From `domain::lifecycle::next_check_after_change` under the new facts.
    pub next_step_at: Option<i64>,
    /// The (step, instant) pairs notices may still be about under the new facts
    /// (`domain::lifecycle::notice_steps`); pending notices about anything else are withdrawn.
    pub true_notices: Vec<(&'static str, i64)>,
}

/// Changes plan and/or extends the trial; only when the plan is still `from_plan`, so two
/// clicks on "upgrade" record one change. Returns whether it happened.
pub async fn change_plan<'c>(
    tx: &mut sqlx::Transaction<'c, sqlx::Any>,
    c: &PlanChange<'_>,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let upgraded_at = if c.to_plan == "paid" && c.from_plan != "paid" {
        Some(now_ms)
    } else {
        None
    };
    let r = sqlx::query(
        "UPDATE projects SET plan = $1, trial_extension_days = trial_extension_days + $2, \
         upgraded_at = COALESCE($3, upgraded_at), ingest_gb_per_day = $4, storage_gb = $5, \
         state = $8, state_changed_at = $9, extended_retention = $10, remote_support = $11, \
         next_step_at = $12 WHERE id = $6 AND plan = $7",
    )
    .bind(c.to_plan)
    .bind(c.extension_days)
    .bind(upgraded_at)
    .bind(c.capacity.ingest_gb_per_day)
    .bind(c.capacity.storage_gb)
    .bind(c.project_id)
    .bind(c.from_plan)
    .bind(c.new_state)
    .bind(now_ms)
    .bind(c.capacity.extended_retention)
    .bind(c.capacity.remote_support)
    .bind(c.next_step_at)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    if c.capacity != c.from_capacity {
        insert_capacity_change(
            tx,
            c.project_id,
            c.actor_user_id,
            c.from_capacity,
            c.capacity,
            now_ms,
        )
        .await?;
    }
    withdraw_untrue_notices(tx, c.project_id, &c.true_notices, now_ms).await?;
    sqlx::query(
        "INSERT INTO plan_changes (project_id, at, from_plan, to_plan, trial_extension_days, \
         actor_user_id, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(c.project_id)
    .bind(now_ms)
    .bind(c.from_plan)
    .bind(c.to_plan)
    .bind(c.extension_days)
    .bind(c.actor_user_id)
    .bind(c.reason)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanChangeRow {
    pub id: i64,
    pub at: i64,
    /// Empty for the entry written at creation.
    pub from_plan: String,
    #[sqlx(try_from = "String")]
    pub to_plan: Plan,
    pub trial_extension_days: i64,
    pub reason: String,
    pub actor_user_id: UserId,
    pub actor_login_id: String,
}

/// A project's plan history, newest first.
pub async fn plan_history(
    db: &Db,
    project_id: ProjectId,
    w: Window,
) -> Result<Vec<PlanChangeRow>, sqlx::Error> {
    sqlx::query_as::<_, PlanChangeRow>(
        "SELECT c.id, c.at, c.from_plan, c.to_plan, c.trial_extension_days, c.reason, \
         c.actor_user_id, u.login_id AS actor_login_id FROM plan_changes c JOIN users u ON u.id = c.actor_user_id \
         WHERE c.project_id = $1 AND c.id < $2 ORDER BY c.id DESC LIMIT $3 OFFSET $4",
    )
    .bind(project_id)
    .bind(w.before_id())
    .bind(w.limit)
    .bind(w.offset)
    .fetch_all(&db.pool)
    .await
}

/// How many rows each of a project's lists has, for the pages' pagers.
pub async fn list_sizes(db: &Db, project_id: ProjectId) -> Result<(i64, i64, i64), sqlx::Error> {
    sqlx::query_as::<_, (i64, i64, i64)>(
        "SELECT (SELECT COUNT(*) FROM monitoring_targets WHERE project_id = $1), \
         (SELECT COUNT(*) FROM capacity_changes WHERE project_id = $1), \
         (SELECT COUNT(*) FROM plan_changes WHERE project_id = $1)",
    )
    .bind(project_id)
    .fetch_one(&db.pool)
    .await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapacityCols {
    pub ingest_gb_per_day: i64,
    pub storage_gb: i64,
    pub extended_retention: i64,
    pub remote_support: i64,
}

/// Records the request and applies it in one transaction: entitlements change at once
/// (R5.1 allows 5 minutes), and the history keeps both times.
pub async fn apply_capacity_change(
    db: &Db,
    project_id: ProjectId,
    requested_by: UserId,
    from: CapacityCols,
    to: CapacityCols,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let r = sqlx::query(
        "UPDATE projects SET ingest_gb_per_day = $1, storage_gb = $2, extended_retention = $3, \
         remote_support = $4 WHERE id = $5 AND ingest_gb_per_day = $6 AND storage_gb = $7 \
         AND extended_retention = $8 AND remote_support = $9",
    )
    .bind(to.ingest_gb_per_day)
    .bind(to.storage_gb)
    .bind(to.extended_retention)
    .bind(to.remote_support)
    .bind(project_id)
    .bind(from.ingest_gb_per_day)
    .bind(from.storage_gb)
    .bind(from.extended_retention)
    .bind(from.remote_support)
    .execute(&mut *tx)
    .await?;
    // Someone else changed it first: the caller re-reads and shows the current values.
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    insert_capacity_change(&mut tx, project_id, requested_by, from, to, now_ms).await?;
    tx.commit().await?;
    Ok(true)
}

/// One line of the capacity history, whatever made the change (a request, an upgrade, staff).
async fn insert_capacity_change<'c>(
    tx: &mut sqlx::Transaction<'c, sqlx::Any>,
    project_id: ProjectId,
    requested_by: UserId,
    from: CapacityCols,
    to: CapacityCols,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO capacity_changes (project_id, requested_by, requested_at, applied_at, \
         from_ingest_gb_per_day, from_storage_gb, from_extended_retention, from_remote_support, \
         to_ingest_gb_per_day, to_storage_gb, to_extended_retention, to_remote_support) \
         VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(project_id)
    .bind(requested_by)
    .bind(now_ms)
    .bind(from.ingest_gb_per_day)
    .bind(from.storage_gb)
    .bind(from.extended_retention)
    .bind(from.remote_support)
    .bind(to.ingest_gb_per_day)
    .bind(to.storage_gb)
    .bind(to.extended_retention)
    .bind(to.remote_support)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Pending lifecycle notices (their step still to come) that the project's new facts made
/// untrue, e.g. "deleted in 3 days" after an upgrade, are removed so the customer no longer
/// sees them; notices about steps that did happen stay.
async fn withdraw_untrue_notices<'c>(
    tx: &mut sqlx::Transaction<'c, sqlx::Any>,
    project_id: ProjectId,
    true_notices: &[(&str, i64)],
    now_ms: i64,
) -> Result<u64, sqlx::Error> {
    let pending: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT id, step, step_at, days_before FROM notifications WHERE project_id = $1 \
         AND kind = 'lifecycle_notice' AND step_at > $2",
    )
    .bind(project_id)
    .bind(now_ms)
    .fetch_all(&mut **tx)
    .await?;
    let mut withdrawn = 0;
    for (id, step, at, days_before) in pending {
        if !true_notices.iter().any(|(s, a)| *s == step && *a == at) {
            withdrawn += sqlx::query("DELETE FROM notifications WHERE id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?
                .rows_affected();
            // Its e-mail too, if the worker has not sent it yet.
            let key =
                notifications::mail_key(project_id, "lifecycle_notice", &step, at, days_before);
            crate::server::mail::cancel_pending(tx, &key).await?;
        }
    }
    Ok(withdrawn)
}

/// The missed payment date changed (billing records one, or a payment clears it): the paid
/// clock starts or stops, and notices it made untrue are withdrawn, in one transaction.
pub async fn set_missed_payment(
    db: &Db,
    project_id: ProjectId,
    date: Option<&str>,
    next_step_at: Option<i64>,
    true_notices: &[(&str, i64)],
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    sqlx::query("UPDATE projects SET missed_payment_date = $1, next_step_at = $2 WHERE id = $3")
        .bind(date)
        .bind(next_step_at)
        .bind(project_id)
        .execute(&mut *tx)
        .await?;
    withdraw_untrue_notices(&mut tx, project_id, true_notices, now_ms).await?;
    tx.commit().await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CapacityChangeRow {
    pub id: i64,
    pub requested_at: i64,
    pub applied_at: Option<i64>,
    #[sqlx(try_from = "i64")]
    pub from_ingest_gb_per_day: u32,
    #[sqlx(try_from = "i64")]
    pub from_storage_gb: u32,
    #[sqlx(try_from = "i64")]
    pub from_extended_retention: Flag,
    #[sqlx(try_from = "i64")]
    pub from_remote_support: Flag,
    #[sqlx(try_from = "i64")]
    pub to_ingest_gb_per_day: u32,
    #[sqlx(try_from = "i64")]
    pub to_storage_gb: u32,
    #[sqlx(try_from = "i64")]
    pub to_extended_retention: Flag,
    #[sqlx(try_from = "i64")]
    pub to_remote_support: Flag,
}

/// A project's capacity history, newest first.
pub async fn capacity_history(
    db: &Db,
    project_id: ProjectId,
    w: Window,
) -> Result<Vec<CapacityChangeRow>, sqlx::Error> {
    sqlx::query_as::<_, CapacityChangeRow>(
        "SELECT id, requested_at, applied_at, from_ingest_gb_per_day, from_storage_gb, \
         from_extended_retention, from_remote_support, to_ingest_gb_per_day, to_storage_gb, \
         to_extended_retention, to_remote_support FROM capacity_changes WHERE project_id = $1 \
         AND id < $2 ORDER BY id DESC LIMIT $3 OFFSET $4",
    )
    .bind(project_id)
    .bind(w.before_id())
    .bind(w.limit)
    .bind(w.offset)
    .fetch_all(&db.pool)
    .await
}

/// What the lifecycle job found due for one project at one instant.
pub struct DueWork<'a> {
    /// The steps the project passes through, in order: (state, when it was due).
    pub steps: Vec<(&'static str, i64)>,
    /// Notices to store: the ones due now and the one telling that a step was applied.
    pub notices: Vec<NewNotification<'a>>,
    /// The e-mail for each notice (keyed by [`NewNotification::mail_key`]), queued in the
    /// same transaction.
    pub mails: Vec<crate::server::mail::Mail>,
    pub next_step_at: Option<i64>,
}

/// What a job run stored for one project.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    pub transitions: u64,
    pub notices: u64,
}

/// Applies the due work in one transaction: the state, one event per step, the notices and
/// the next look. `seen` is the row the work was worked out from: the update only happens
/// while the stored state and the facts behind it (plan, trial extension, missed payment) are
/// unchanged, so of two runs that read the same row the second finds nothing to move, and a
/// job racing an upgrade cannot stop or delete the upgraded project. None when the row was
/// stale. Notices are unique per (project, kind, step, instant, days), so two runs that both
/// store a notice store it once.
pub async fn apply_due(
    db: &Db,
    seen: &ProjectRow,
    work: &DueWork<'_>,
    now_ms: i64,
) -> Result<Option<Applied>, sqlx::Error> {
    let to = work.steps.last().map_or(seen.state.code(), |(s, _)| *s);
    let changed_at = if work.steps.is_empty() {
        seen.state_changed_at
    } else {
        now_ms
    };
    let mut tx = db.pool.begin().await?;
    let r = sqlx::query(
        "UPDATE projects SET state = $1, state_changed_at = $2, next_step_at = $8 WHERE id = $3 \
         AND state = $4 AND plan = $5 AND trial_extension_days = $6 \
         AND COALESCE(missed_payment_date, '') = $7",
    )
    .bind(to)
    .bind(changed_at)
    .bind(seen.id)
    .bind(seen.state.code())
    .bind(seen.plan.code())
    .bind(seen.trial_extension_days)
    .bind(seen.missed_payment_date.code())
    .bind(work.next_step_at)
    .execute(&mut *tx)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(None);
    }
    let mut applied = Applied::default();
    let mut from = seen.state.code();
    for (step, due_ms) in &work.steps {
        applied.transitions += sqlx::query(
            "INSERT INTO lifecycle_events (project_id, from_state, to_state, due_at, applied_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (project_id, to_state, due_at) DO NOTHING",
        )
        .bind(seen.id)
        .bind(from)
        .bind(*step)
        .bind(*due_ms)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        from = step;
    }
    for n in &work.notices {
        if notifications::insert_once(&mut *tx, n, now_ms).await? {
            applied.notices += 1;
        }
    }
    let now = crate::domain::kst::from_millis(now_ms).unwrap_or_default();
    for mail in &work.mails {
        crate::server::mail::enqueue(&mut tx, mail, now).await?;
    }
    tx.commit().await?;
    Ok(Some(applied))
}

/// Moves a project to one state with its event, and nothing else (no notice, next look
/// unchanged); whether it happened.
pub async fn apply_transition(
    db: &Db,
    seen: &ProjectRow,
    to: &'static str,
    due_ms: i64,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let work = DueWork {
        steps: vec![(to, due_ms)],
        notices: Vec::new(),
        mails: Vec::new(),
        next_step_at: seen.next_step_at,
    };
    Ok(apply_due(db, seen, &work, now_ms).await?.is_some())
}

pub async fn lifecycle_event_count(db: &Db, project_id: ProjectId) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM lifecycle_events WHERE project_id = $1")
        .bind(project_id)
        .fetch_one(&db.pool)
        .await
}
