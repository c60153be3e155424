//! Storage: SQLite by default, one file in the data folder; PostgreSQL
//! given a `postgres://` URL.
//!
//! The ledger's code (`ledger.rs`, `api/`) is written once against [`Tx`]:
//! SQL with `$1`-style placeholders and three kinds of value, so that the
//! same statements can run on PostgreSQL (its placeholders; SQLite reads
//! them as `?1`). Every write happens inside [`Db::write`]: one
//! transaction, committed only if the closure succeeds.
//!
//! SQLite: WAL, a busy timeout, and `BEGIN IMMEDIATE` for every write
//! transaction, so writers queue on the database lock instead of failing
//! half-way with SQLITE_BUSY; readers never block them (WAL).
//!
//! PostgreSQL: READ COMMITTED, rows locked where a booking reads what it
//! will write (`SELECT … FOR UPDATE` on the member, see
//! [`Tx::for_update`]), counters changed by conditional `UPDATE`s. A
//! transaction that fails on a serialization failure, a deadlock or a
//! unique key another transaction took first is run again from the start
//! (at most [`RETRIES`] times): the closure is `FnMut` for that.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use postgres::types::{to_sql_checked, IsNull, ToSql as PgToSql, Type};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::Connection;

use crate::error::ApiError;

/// One value in or out of a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Text(String),
}

impl Cell {
    pub fn int(&self) -> Option<i64> {
        match self {
            Cell::Int(n) => Some(*n),
            _ => None,
        }
    }

    pub fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn into_text(self) -> Option<String> {
        match self {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Int(n)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&String> for Cell {
    fn from(s: &String) -> Cell {
        Cell::Text(s.clone())
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map_or(Cell::Null, Into::into)
    }
}

/// Statements of one transaction.
pub trait Tx {
    /// Every row a query returns.
    fn rows(&mut self, sql: &str, params: &[Cell]) -> Result<Vec<Vec<Cell>>, ApiError>;
    /// Run a statement; the number of rows it changed.
    fn exec(&mut self, sql: &str, params: &[Cell]) -> Result<u64, ApiError>;
    /// Run several statements without parameters (a migration).
    fn batch(&mut self, sql: &str) -> Result<(), ApiError>;
    /// What ends a `SELECT` that reads a row this transaction will write:
    /// `" FOR UPDATE"` on PostgreSQL; nothing on SQLite, whose write
    /// transaction holds the whole database.
    fn for_update(&self) -> &'static str;
}

impl dyn Tx + '_ {
    /// The first row, if any.
    pub fn row(&mut self, sql: &str, params: &[Cell]) -> Result<Option<Vec<Cell>>, ApiError> {
        Ok(self.rows(sql, params)?.into_iter().next())
    }
}

/// How many times a PostgreSQL transaction is tried.
pub const RETRIES: u32 = 8;

/// Which database, and where.
pub enum Db {
    Sqlite { path: PathBuf, idle: Mutex<Vec<Connection>>, writer: Mutex<()> },
    Postgres { url: String, idle: Mutex<Vec<postgres::Client>> },
}

impl Db {
    /// A `postgres://` (or `postgresql://`) URL, or the path of a SQLite file.
    pub fn open(target: &str) -> Result<Db, String> {
        if target.starts_with("postgres://") || target.starts_with("postgresql://") {
            Db::postgres(target)
        } else {
            Db::sqlite(Path::new(target))
        }
    }

    /// Connect to the PostgreSQL database at `url` and bring its schema up
    /// to date.
    pub fn postgres(url: &str) -> Result<Db, String> {
        let client = postgres::Client::connect(url, postgres::NoTls).map_err(|e| format!("PostgreSQL: {e}"))?;
        let db = Db::Postgres { url: url.to_string(), idle: Mutex::new(vec![client]) };
        crate::migrate::run(&db).map_err(|e| format!("PostgreSQL: migrations: {}", e.error))?;
        Ok(db)
    }

    /// Open (creating it if need be) the SQLite file at `path` and bring
    /// its schema up to date.
    pub fn sqlite(path: &Path) -> Result<Db, String> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let db = Db::Sqlite { path: path.to_path_buf(), idle: Mutex::new(Vec::new()), writer: Mutex::new(()) };
        crate::migrate::run(&db).map_err(|e| format!("{}: migrations: {}", path.display(), e.error))?;
        Ok(db)
    }

    /// "sqlite" or "postgres", for the status route.
    pub fn kind(&self) -> &'static str {
        match self {
            Db::Sqlite { .. } => "sqlite",
            Db::Postgres { .. } => "postgres",
        }
    }

    /// Run `f` in one write transaction: committed if it returns `Ok`,
    /// rolled back if it returns `Err`.
    pub fn write<T>(&self, f: impl FnMut(&mut dyn Tx) -> Result<T, ApiError>) -> Result<T, ApiError> {
        self.transaction(true, f)
    }

    /// Run `f` in one read transaction (a consistent snapshot).
    pub fn read<T>(&self, f: impl FnMut(&mut dyn Tx) -> Result<T, ApiError>) -> Result<T, ApiError> {
        self.transaction(false, f)
    }

    fn transaction<T>(
        &self,
        write: bool,
        mut f: impl FnMut(&mut dyn Tx) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        match self {
            Db::Postgres { url, idle } => {
                let mut tries = 0;
                loop {
                    tries += 1;
                    let client = idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
                    let mut client = match client {
                        Some(c) if !c.is_closed() => c,
                        _ => postgres::Client::connect(url, postgres::NoTls)?,
                    };
                    let result = pg_transaction(&mut client, write, &mut f);
                    if !client.is_closed() {
                        idle.lock().unwrap_or_else(|e| e.into_inner()).push(client);
                    }
                    match result {
                        Err(e) if e.retry && tries < RETRIES => continue,
                        other => return other,
                    }
                }
            }
            Db::Sqlite { path, idle, writer } => {
                // One write transaction at a time in this process: writers
                // queue on this lock, woken in turn, instead of in SQLite's
                // busy handler, which sleeps and retries (up to 100 ms a
                // try) while the lock is free: p99 of an order at 16
                // connections 793 ms → 21 ms (BENCHMARKS.md). Readers never
                // wait (WAL); another process on the same file still meets
                // the busy handler.
                let _turn = write.then(|| writer.lock().unwrap_or_else(|e| e.into_inner()));
                let conn = idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
                let mut conn = match conn {
                    Some(c) => c,
                    None => open_sqlite(path)?,
                };
                conn.execute_batch(if write { "BEGIN IMMEDIATE" } else { "BEGIN" })?;
                let result = f(&mut conn);
                let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
                let ended = conn.execute_batch(end);
                // A connection whose transaction could not end is not
                // given back.
                if ended.is_ok() {
                    idle.lock().unwrap_or_else(|e| e.into_inner()).push(conn);
                }
                let value = result?;
                ended?;
                Ok(value)
            }
        }
    }
}

fn pg_transaction<T>(
    client: &mut postgres::Client,
    write: bool,
    f: &mut impl FnMut(&mut dyn Tx) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let mut tx = client.build_transaction().read_only(!write).start()?;
    let value = f(&mut tx)?;
    tx.commit()?;
    Ok(value)
}

fn open_sqlite(path: &Path) -> Result<Connection, ApiError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
    Ok(conn)
}

/// `$1` → `?1`: SQLite numbers `$name` parameters by first appearance,
/// which is not the number written; `?N` is the number written.
fn sqlite_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

impl rusqlite::ToSql for Cell {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Cell::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Cell::Int(n) => ToSqlOutput::Borrowed(ValueRef::Integer(*n)),
            Cell::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        })
    }
}

impl Tx for Connection {
    fn rows(&mut self, sql: &str, params: &[Cell]) -> Result<Vec<Vec<Cell>>, ApiError> {
        let mut stmt = self.prepare_cached(&sqlite_sql(sql))?;
        let n = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut cells = Vec::with_capacity(n);
            for i in 0..n {
                cells.push(match row.get_ref(i)? {
                    ValueRef::Null => Cell::Null,
                    ValueRef::Integer(n) => Cell::Int(n),
                    ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Real(_) | ValueRef::Blob(_) => {
                        return Err(ApiError::internal("a REAL or BLOB column: the schema has none"))
                    }
                });
            }
            out.push(cells);
        }
        Ok(out)
    }

    fn exec(&mut self, sql: &str, params: &[Cell]) -> Result<u64, ApiError> {
        let mut stmt = self.prepare_cached(&sqlite_sql(sql))?;
        Ok(stmt.execute(rusqlite::params_from_iter(params))? as u64)
    }

    fn batch(&mut self, sql: &str) -> Result<(), ApiError> {
        Ok(self.execute_batch(sql)?)
    }

    fn for_update(&self) -> &'static str {
        ""
    }
}

impl PgToSql for Cell {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Cell::Null => Ok(IsNull::Yes),
            Cell::Int(n) if *ty == Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
            Cell::Int(n) => n.to_sql(ty, out),
            Cell::Text(s) => s.to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        [Type::INT8, Type::INT4, Type::TEXT, Type::VARCHAR].contains(ty)
    }

    to_sql_checked!();
}

fn pg_params(params: &[Cell]) -> Vec<&(dyn PgToSql + Sync)> {
    params.iter().map(|p| p as &(dyn PgToSql + Sync)).collect()
}

impl Tx for postgres::Transaction<'_> {
    fn rows(&mut self, sql: &str, params: &[Cell]) -> Result<Vec<Vec<Cell>>, ApiError> {
        let rows = self.query(sql, &pg_params(params))?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut cells = Vec::with_capacity(row.len());
            for (i, column) in row.columns().iter().enumerate() {
                let t = column.type_();
                cells.push(if *t == Type::INT8 {
                    row.try_get::<_, Option<i64>>(i)?.map_or(Cell::Null, Cell::Int)
                } else if *t == Type::INT4 {
                    row.try_get::<_, Option<i32>>(i)?.map_or(Cell::Null, |n| Cell::Int(n.into()))
                } else if *t == Type::TEXT || *t == Type::VARCHAR {
                    row.try_get::<_, Option<String>>(i)?.map_or(Cell::Null, Cell::Text)
                } else {
                    return Err(ApiError::internal(format!("a column of type {t}: the schema has none")));
                });
            }
            out.push(cells);
        }
        Ok(out)
    }

    fn exec(&mut self, sql: &str, params: &[Cell]) -> Result<u64, ApiError> {
        Ok(self.execute(sql, &pg_params(params))?)
    }

    fn batch(&mut self, sql: &str) -> Result<(), ApiError> {
        Ok(self.batch_execute(sql)?)
    }

    fn for_update(&self) -> &'static str {
        " FOR UPDATE"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_keep_their_numbers() {
        assert_eq!(super::sqlite_sql("SELECT $2, $1, $10 WHERE a = $1"), "SELECT ?2, ?1, ?10 WHERE a = ?1");
    }
}
