//! Numbered migrations (`server/migrations/NNNN_name.sql`), applied in
//! order, each in its own transaction with its row in `schema_migrations`:
//! a database is brought up to date on every start, and one that is
//! newer than this server is refused rather than misread.

use crate::db::{Cell, Db};
use crate::error::ApiError;

/// Every migration, in order. A released migration never changes: a new
/// one is added.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "ledger", include_str!("../migrations/0001_ledger.sql")),
    (2, "growth", include_str!("../migrations/0002_growth.sql")),
];

pub fn run(db: &Db) -> Result<(), ApiError> {
    // Two servers starting at once on one PostgreSQL database take turns.
    let turn = if db.kind() == "postgres" { "SELECT pg_advisory_xact_lock(7262);" } else { "" };
    db.write(|tx| {
        tx.batch(turn)?;
        tx.batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )
    })?;
    let newest = MIGRATIONS.last().map_or(0, |m| m.0);
    for &(version, name, sql) in MIGRATIONS {
        db.write(|tx| {
            tx.batch(turn)?;
            let applied = tx.rows("SELECT MAX(version) FROM schema_migrations", &[])?;
            let have = applied.first().and_then(|r| r[0].int()).unwrap_or(0);
            if have > newest {
                return Err(ApiError::internal(format!(
                    "the database is at migration {have}; this server knows {newest} at most"
                )));
            }
            let done = tx.row("SELECT 1 FROM schema_migrations WHERE version = $1", &[Cell::Int(version)])?;
            if done.is_none() {
                tx.batch(sql)?;
                tx.exec(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    &[Cell::Int(version), name.into(), Cell::Int(crate::clock::now())],
                )?;
            }
            Ok(())
        })?;
    }
    Ok(())
}
