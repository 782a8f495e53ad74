//! The dashboard's month-so-far reads for a page of projects, in one statement.
//!
//! Why one statement: the dashboard is the page customers open most, and every statement is a
//! round trip (to SQLite's worker thread or to PostgreSQL) plus the BEGIN and COMMIT a
//! snapshot of several would need (issue 15). One compound SELECT is one snapshot on both
//! backends. Its parts share one row shape; [`MonthRead`] is what each row is.
use super::billing::CapacityChangeForClose;
use super::{ReadConnection, sqlite_readers};

/// One fact the estimate needs, for one project.
#[derive(Debug, Clone)]
pub enum MonthRead {
    /// The project's plan history, all of it: the plan at the month's start comes from before.
    PlanChange {
        project_id: i64,
        at_ms: i64,
        plan: String,
    },
    /// A capacity change applied from the month's start on.
    CapacityChange {
        project_id: i64,
        change: CapacityChangeForClose,
    },
    /// Usage of a metric in the whole month so far: the month roll-up (`db::usage_monthly`),
    /// one row, where summing the hours read up to 744 and grew through the month.
    MonthTotal {
        project_id: i64,
        metric: String,
        micros: i64,
    },
    /// Usage of a metric from a plan change inside the month (after its first instant) to the
    /// month's end: the ends of the paid stretches (`domain::billing::paid_usage`).
    SinceChange {
        project_id: i64,
        since_ms: i64,
        metric: String,
        micros: i64,
    },
}

#[derive(sqlx::FromRow)]
struct Row {
    part: i64,
    project_id: i64,
    at: Option<i64>,
    label: Option<String>,
    micros: Option<i64>,
    from_ingest_gb_per_day: Option<i64>,
    from_storage_gb: Option<i64>,
    from_extended_retention: Option<i64>,
    from_remote_support: Option<i64>,
    to_ingest_gb_per_day: Option<i64>,
    to_storage_gb: Option<i64>,
    to_extended_retention: Option<i64>,
    to_remote_support: Option<i64>,
}

impl Row {
    /// A row of [`statement`] on a kept SQLite connection, by position (`seq` is column 3,
    /// only for the order).
    fn from_sqlite(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            part: r.get(0)?,
            project_id: r.get(1)?,
            at: r.get(2)?,
            label: r.get(4)?,
            micros: r.get(5)?,
            from_ingest_gb_per_day: r.get(6)?,
            from_storage_gb: r.get(7)?,
            from_extended_retention: r.get(8)?,
            from_remote_support: r.get(9)?,
            to_ingest_gb_per_day: r.get(10)?,
            to_storage_gb: r.get(11)?,
            to_extended_retention: r.get(12)?,
            to_remote_support: r.get(13)?,
        })
    }
}

const NO_CAPACITY: &str = "CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), \
    CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), \
    CAST(NULL AS BIGINT)";

fn statement(ids: &str) -> String {
    // $1, $2: the month's start and end (epoch ms); the ids are bound once and named in each
    // part. Parts in order, each project's rows oldest first (`seq` breaks ties like the
    // month close: by id).
    format!(
        "SELECT CAST(0 AS BIGINT) AS part, project_id, at, id AS seq, to_plan AS label, \
           CAST(NULL AS BIGINT) AS micros, \
           CAST(NULL AS BIGINT) AS from_ingest_gb_per_day, CAST(NULL AS BIGINT) AS from_storage_gb, \
           CAST(NULL AS BIGINT) AS from_extended_retention, CAST(NULL AS BIGINT) AS from_remote_support, \
           CAST(NULL AS BIGINT) AS to_ingest_gb_per_day, CAST(NULL AS BIGINT) AS to_storage_gb, \
           CAST(NULL AS BIGINT) AS to_extended_retention, CAST(NULL AS BIGINT) AS to_remote_support \
         FROM plan_changes WHERE project_id IN ({ids}) \
         UNION ALL \
         SELECT CAST(1 AS BIGINT), project_id, applied_at, id, CAST(NULL AS TEXT), CAST(NULL AS BIGINT), \
           from_ingest_gb_per_day, from_storage_gb, from_extended_retention, from_remote_support, \
           to_ingest_gb_per_day, to_storage_gb, to_extended_retention, to_remote_support \
         FROM capacity_changes \
         WHERE applied_at IS NOT NULL AND applied_at >= $1 AND project_id IN ({ids}) \
         UNION ALL \
         SELECT CAST(2 AS BIGINT), project_id, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), metric, \
           quantity_micro, {NO_CAPACITY} \
         FROM usage_monthly WHERE month_start = $1 AND project_id IN ({ids}) \
         UNION ALL \
         SELECT CAST(3 AS BIGINT), c.project_id, c.at, CAST(NULL AS BIGINT), u.metric, \
           CAST(SUM(u.quantity_micro) AS BIGINT), {NO_CAPACITY} \
         FROM (SELECT DISTINCT project_id, at FROM plan_changes \
               WHERE at > $1 AND at < $2 AND project_id IN ({ids})) c \
         JOIN usage_hourly u ON u.project_id = c.project_id AND u.hour_at >= c.at AND u.hour_at < $2 \
         GROUP BY c.project_id, c.at, u.metric \
         ORDER BY part, project_id, at, seq"
    )
}

/// The month-so-far facts of `project_ids` for the month `[start_ms, end_ms)`.
pub async fn read(
    conn: &mut ReadConnection,
    project_ids: &[i64],
    start_ms: i64,
    end_ms: i64,
) -> Result<Vec<MonthRead>, sqlx::Error> {
    let mut out = Vec::new();
    for chunk in project_ids.chunks(super::IN_CHUNK) {
        let sql = statement(&super::numbered(3, chunk.len()));
        let rows: Vec<Row> = match conn {
            ReadConnection::Inline(c) => {
                let values = [start_ms, end_ms].into_iter().chain(chunk.iter().copied());
                sqlite_readers::all(
                    c,
                    &sql,
                    rusqlite::params_from_iter(values),
                    Row::from_sqlite,
                )?
            }
            ReadConnection::Pooled(c) => {
                let mut q = sqlx::query_as::<_, Row>(&sql).bind(start_ms).bind(end_ms);
                for id in chunk {
                    q = q.bind(*id);
                }
                q.fetch_all(&mut **c).await?
            }
        };
        for row in rows {
            out.push(month_read(row)?);
        }
    }
    Ok(out)
}

fn month_read(r: Row) -> Result<MonthRead, sqlx::Error> {
    let project_id = r.project_id;
    let read = match (r.part, r.at, r.label, r.micros) {
        (0, Some(at_ms), Some(plan), None) => Some(MonthRead::PlanChange {
            project_id,
            at_ms,
            plan,
        }),
        (1, Some(applied_at), None, None) => (|| {
            Some(MonthRead::CapacityChange {
                project_id,
                change: CapacityChangeForClose {
                    applied_at,
                    from_ingest_gb_per_day: r.from_ingest_gb_per_day?,
                    from_storage_gb: r.from_storage_gb?,
                    from_extended_retention: r.from_extended_retention?,
                    from_remote_support: r.from_remote_support?,
                    to_ingest_gb_per_day: r.to_ingest_gb_per_day?,
                    to_storage_gb: r.to_storage_gb?,
                    to_extended_retention: r.to_extended_retention?,
                    to_remote_support: r.to_remote_support?,
                },
            })
        })(),
        (2, None, Some(metric), Some(micros)) => Some(MonthRead::MonthTotal {
            project_id,
            metric,
            micros,
        }),
        (3, Some(since_ms), Some(metric), Some(micros)) => Some(MonthRead::SinceChange {
            project_id,
            since_ms,
            metric,
            micros,
        }),
        _ => None,
    };
    read.ok_or_else(|| {
        sqlx::Error::Decode(
            format!(
                "month-so-far row of part {} for project {project_id} is incomplete",
                r.part
            )
            .into(),
        )
    })
}
