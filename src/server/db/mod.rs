//! One data layer over SQLite and PostgreSQL through `sqlx::Any`.
//!
//! Why `Any` and not generics over `sqlx::Database`: the schema keeps to types both drivers
//! carry (BIGINT, TEXT), so every query is written once and both backends run the same code
//! path that the tests exercise. Domain types are parsed from those columns in Rust.
pub mod alerts;
pub mod api_tokens;
pub mod audit;
pub mod billing;
pub mod credit_policy;
pub mod form_flashes;
pub mod help;
pub mod incidents;
pub mod leases;
pub mod legal;
pub mod login_throttle;
pub mod month_to_date;
pub mod notification_feed;
pub mod notifications;
pub mod platform_tokens;
pub mod prices;
pub mod projects;
pub mod sessions;
pub mod sla;
pub mod sqlite_readers;
pub mod support;
pub mod usage;
pub mod usage_monthly;
pub mod usage_thresholds;
pub mod users;

use sqlite_readers::SqliteReaders;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite on a file: connections for the hottest reads (`sqlite_readers`).
    readers: Option<SqliteReaders>,
}

/// A connection to read on: a kept SQLite connection used on the request's own thread, or one
/// from the pool (PostgreSQL, an in-memory SQLite, or every kept one in use). The queries that
/// take it run the same statement on either (`sqlite_readers::numbered_for_sqlite`).
pub enum ReadConnection {
    Inline(deadpool::unmanaged::Object<rusqlite::Connection>),
    Pooled(PoolConnection<Any>),
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL (use sqlite://... or postgres://...)")]
    UnsupportedUrl,
    #[error("cannot create the database folder: {0}")]
    Folder(#[from] std::io::Error),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl Db {
    /// A transaction that will write. On SQLite it takes the write lock at `BEGIN`
    /// (`BEGIN IMMEDIATE`), waiting for it under the busy timeout: a deferred transaction whose
    /// snapshot is older than another connection's commit gets "database is locked" at its
    /// first write at once, without waiting (seen with two month closes at once in
    /// tests/sla.rs). PostgreSQL waits on its row locks either way.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    pub async fn connect(url: &str) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(DbError::UnsupportedUrl);
        };
        let url = match backend {
            Backend::Sqlite => sqlite_url_creating_file(url)?,
            Backend::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10))
            // sqlx pings every connection it hands out. A SQLite connection is a file handle
            // on a worker thread that cannot hang up, and its ping is one more round trip to
            // that thread for every statement run on the pool (issue 15). A PostgreSQL
            // connection can be cut by the network or a server restart, so it keeps the check.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // busy_timeout makes a second writer wait instead of failing at once
                        // under concurrent sign-ups. (WAL is set once below: it is a property
                        // of the database file, and setting it on every new connection could
                        // meet another connection's commit: "database is locked" in CI.)
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        if backend == Backend::Sqlite {
            // WAL lets readers run beside the single writer; the file keeps the mode.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        let readers = match sqlite_readers::file_of(&url) {
            Some(file) if backend == Backend::Sqlite => {
                Some(SqliteReaders::open(file).map_err(sqlite_readers::error)?)
            }
            _ => None,
        };
        Ok(Self {
            pool,
            backend,
            readers,
        })
    }

    /// A connection for reads (see [`ReadConnection`]); on SQLite it never waits for a kept
    /// one.
    pub async fn reader(&self) -> Result<ReadConnection, sqlx::Error> {
        match self.readers.as_ref().and_then(|r| r.try_get()) {
            Some(conn) => Ok(ReadConnection::Inline(conn)),
            None => Ok(ReadConnection::Pooled(self.pool.acquire().await?)),
        }
    }

    pub async fn migrate(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("./migrations/sqlite")
                    .run(&self.pool)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        usage_monthly::backfill(self).await?;
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

/// The embedded default must just work on first start: create the folder and the file.
fn sqlite_url_creating_file(url: &str) -> Result<String, DbError> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = rest.split('?').next().unwrap_or(rest);
    if path != ":memory:"
        && !path.is_empty()
        && let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    Ok(if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

/// A unique index refused the row: the caller turns this into "already taken".
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

pub fn to_bool(v: i64) -> bool {
    v != 0
}

/// Rows per multi-row INSERT (usage, probe results, their roll-up). Small on purpose:
/// sqlx-sqlite finds each bound value's place with `sqlite3_bind_parameter_name`, which scans
/// the statement's parameters, so binding n values costs n^2. At 1,000 rows (7,000 values) a
/// re-sent usage batch spent 80 % of its time there (perf); at 100 the round trips are still
/// few on PostgreSQL.
pub const ROWS_PER_INSERT: usize = 100;

/// Ids per `IN (...)` list: far below both backends' bind limits (SQLite 32,766, PostgreSQL
/// 65,535), and one statement for any page of the portal.
pub const IN_CHUNK: usize = 1000;

/// `$first,...` up to `$(first + n - 1)`: the placeholders of an `IN (...)` list whose values
/// are bound after `first - 1` others.
pub fn numbered(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(",")
}
