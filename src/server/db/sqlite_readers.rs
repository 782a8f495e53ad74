//! SQLite reads run on the request's own thread, for the reads every signed-in page makes:
//! the session lookup and the dashboard's cards and notifications (issue 15).
//!
//! Why not the sqlx pool for these: sqlx runs each SQLite connection on a thread of its own
//! and hands every statement, every row and the ping it sends on each return to the pool
//! across a channel. A profile of `/dashboard` under `wrk` put about a quarter of all samples
//! on switching threads, while the statements themselves take 5-27 µs in SQLite. rusqlite
//! (the synchronous binding, on the same libsqlite3-sys as sqlx, so the binary has one SQLite)
//! runs them where the request already is, with each connection keeping its prepared
//! statements.
//!
//! What keeps this safe beside the pool:
//! - Only reads, on connections opened read-only, each statement in autocommit: it sees the
//!   latest commit, as a pooled connection does, and holds no snapshot between statements.
//!   Every write stays on sqlx, so the single writer's rules (`Db::begin_write`, the busy
//!   timeout) are unchanged.
//! - A read that finds every kept connection in use goes to the pool instead
//!   ([`super::ReadConnection`]); no request ever waits here.
//! - In WAL mode a reader does not wait for the writer; the short busy timeout only covers
//!   the rare moments SQLite itself needs (opening the WAL index), so a worker thread is never
//!   held for long.
use std::path::Path;
use std::time::Duration;

/// Connections kept: more than the runtime's worker threads, since a request may hold one
/// across an await of something else (the price catalogue is read first for that reason).
pub const KEPT: usize = 4;

/// Prepared statements each connection keeps: the session lookup, the project list, the
/// count, the feed, and the month-so-far statement once per page length (1-20 ids).
const STATEMENTS_KEPT: usize = 32;

/// A shared handle: clones use the same connections.
#[derive(Clone)]
pub struct SqliteReaders(deadpool::unmanaged::Pool<rusqlite::Connection>);

impl std::fmt::Debug for SqliteReaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteReaders")
            .field("status", &self.0.status())
            .finish()
    }
}

impl SqliteReaders {
    /// [`KEPT`] read-only connections to the database file at `path`, which the pool has
    /// already created and migrated.
    pub fn open(path: &Path) -> Result<Self, rusqlite::Error> {
        use rusqlite::OpenFlags;
        let mut kept = Vec::with_capacity(KEPT);
        for _ in 0..KEPT {
            // NO_MUTEX: each connection is used by one request at a time (the pool hands it
            // out whole), so SQLite's own per-connection mutex would only cost.
            let conn = rusqlite::Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.busy_timeout(Duration::from_millis(250))?;
            conn.set_prepared_statement_cache_capacity(STATEMENTS_KEPT);
            kept.push(conn);
        }
        Ok(Self(deadpool::unmanaged::Pool::from(kept)))
    }

    /// A kept connection, if one is free now.
    pub fn try_get(&self) -> Option<deadpool::unmanaged::Object<rusqlite::Connection>> {
        self.0.try_get().ok()
    }
}

/// The database file of a `sqlite://` URL, unless it is in memory (each connection would
/// see a database of its own).
pub fn file_of(url: &str) -> Option<&Path> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = rest.split('?').next().unwrap_or(rest);
    let in_memory = path.is_empty() || path == ":memory:" || url.contains("mode=memory");
    (!in_memory).then(|| Path::new(path))
}

/// A statement written for both backends (`$1` placeholders), for SQLite's own API, where
/// `$1` would be a named parameter numbered by first appearance and `?1` is parameter 1.
/// Only a `$` before a digit is a placeholder; any other `$` (in a literal, say) stays.
pub fn numbered_for_sqlite(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        let before_digit = chars.peek().is_some_and(char::is_ascii_digit);
        out.push(if c == '$' && before_digit { '?' } else { c });
    }
    out
}

/// Every row of `sql` (written for both backends, `$n` placeholders) on a kept connection,
/// each made by `row`; errors as sqlx's.
pub fn all<T>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: impl rusqlite::Params,
    row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, sqlx::Error> {
    conn.prepare_cached(&numbered_for_sqlite(sql))
        .and_then(|mut statement| statement.query_map(params, row)?.collect())
        .map_err(error)
}

/// The first row of `sql`, if there is one, as [`all`] reads it.
pub fn optional<T>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: impl rusqlite::Params,
    row: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Option<T>, sqlx::Error> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached(&numbered_for_sqlite(sql))
        .and_then(|mut statement| statement.query_row(params, row).optional())
        .map_err(error)
}

/// rusqlite's errors where the data layer returns sqlx's.
pub fn error(e: rusqlite::Error) -> sqlx::Error {
    sqlx::Error::AnyDriverError(Box::new(e))
}

/// A stored value that does not parse, as the column's decoding error.
pub fn conversion(
    column: usize,
    e: impl std::error::Error + Send + Sync + 'static,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_url_names_its_file_and_memory_names_none() {
        assert_eq!(
            file_of("sqlite://data/portal.db?mode=rwc"),
            Some(Path::new("data/portal.db"))
        );
        assert_eq!(file_of("sqlite:///tmp/x.db"), Some(Path::new("/tmp/x.db")));
        assert_eq!(file_of("sqlite::memory:"), None);
        assert_eq!(file_of("sqlite://:memory:?mode=rwc"), None);
        assert_eq!(file_of("sqlite://file.db?mode=memory"), None);
    }

    #[test]
    fn placeholders_keep_their_numbers() {
        assert_eq!(
            numbered_for_sqlite("a IN ($3,$4) AND b >= $1 AND c < $2"),
            "a IN (?3,?4) AND b >= ?1 AND c < ?2"
        );
        assert_eq!(
            numbered_for_sqlite("SELECT '$x', '$' || name FROM t WHERE id = $12"),
            "SELECT '$x', '$' || name FROM t WHERE id = ?12"
        );
    }
}
