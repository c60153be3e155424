//! Storage: SQLite by default, one file in the data folder.
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

use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
}

impl dyn Tx + '_ {
    /// The first row, if any.
    pub fn row(&mut self, sql: &str, params: &[Cell]) -> Result<Option<Vec<Cell>>, ApiError> {
        Ok(self.rows(sql, params)?.into_iter().next())
    }
}

/// Which database, and where.
pub enum Db {
    Sqlite { path: PathBuf, idle: Mutex<Vec<Connection>> },
}

impl Db {
    /// Open (creating it if need be) the SQLite file at `path` and bring
    /// its schema up to date.
    pub fn sqlite(path: &Path) -> Result<Db, String> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let db = Db::Sqlite { path: path.to_path_buf(), idle: Mutex::new(Vec::new()) };
        crate::migrate::run(&db).map_err(|e| format!("{}: migrations: {}", path.display(), e.error))?;
        Ok(db)
    }

    /// "sqlite" or "postgres", for the status route.
    pub fn kind(&self) -> &'static str {
        match self {
            Db::Sqlite { .. } => "sqlite",
        }
    }

    /// Run `f` in one write transaction: committed if it returns `Ok`,
    /// rolled back if it returns `Err`.
    pub fn write<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T, ApiError>) -> Result<T, ApiError> {
        self.transaction("BEGIN IMMEDIATE", f)
    }

    /// Run `f` in one read transaction (a consistent snapshot).
    pub fn read<T>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<T, ApiError>) -> Result<T, ApiError> {
        self.transaction("BEGIN", f)
    }

    fn transaction<T>(&self, begin: &str, f: impl FnOnce(&mut dyn Tx) -> Result<T, ApiError>) -> Result<T, ApiError> {
        match self {
            Db::Sqlite { path, idle } => {
                let conn = idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
                let mut conn = match conn {
                    Some(c) => c,
                    None => open_sqlite(path)?,
                };
                conn.execute_batch(begin)?;
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
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_keep_their_numbers() {
        assert_eq!(super::sqlite_sql("SELECT $2, $1, $10 WHERE a = $1"), "SELECT ?2, ?1, ?10 WHERE a = ?1");
    }
}
