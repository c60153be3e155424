//! siyu's server: the package's `.wasm` under wasmtime ([`engine`]), a
//! ledger in SQLite ([`db`], [`ledger`]) and a JSON API ([`api`]) that
//! recomputes every claim a client makes with the same module and rules.
//!
//! `server/README.md` is the operator's guide; `server/openapi.json` the
//! API's contract.

pub mod api;
pub mod auth;
pub mod clock;
pub mod db;
pub mod engine;
pub mod error;
pub mod ledger;
pub mod migrate;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::auth::Keys;
use crate::db::{Cell, Db, Tx};
use crate::engine::Engine;
use crate::error::ApiError;
use crate::ledger::Rules;

/// The demo rules, loaded as version 1 into an empty database.
pub const DEMO_RULES: &str = include_str!("../../src/demo/rules.json");

/// How to start.
pub struct Config {
    pub wasm: PathBuf,
    /// A SQLite file's path or a `postgres://` URL (`db::Db::open`).
    pub database: String,
    /// The storefront's built files, served at `/` when present.
    pub www: Option<PathBuf>,
}

/// Everything a request handler reaches.
pub struct App {
    pub engine: Engine,
    pub db: Db,
    pub keys: Keys,
    /// The rule set last read, by version: the JSON is read from the
    /// database only when another version is in force.
    rules: Mutex<Option<Arc<Rules>>>,
    pub www: Option<PathBuf>,
}

impl App {
    /// Load the module, open (or create) the database, and put the demo
    /// rules in force if it has none.
    pub fn start(config: &Config) -> Result<Arc<App>, String> {
        let engine = Engine::load(&config.wasm)?;
        let db = Db::open(&config.database)?;
        let keys = Keys::load(&db).map_err(|e| e.error.to_string())?;
        let app = App { engine, db, keys, rules: Mutex::new(None), www: config.www.clone() };
        let has_rules = app.db.read(|tx| Ok(tx.row("SELECT 1 FROM rules", &[])?.is_some()));
        if !has_rules.map_err(|e| e.error.to_string())? {
            app.upload_rules(DEMO_RULES).map_err(|e| format!("the demo rules: {}", e.error))?;
        }
        Ok(Arc::new(app))
    }

    /// The rule set in force, as `tx` sees it.
    pub fn rules(&self, tx: &mut dyn Tx) -> Result<Arc<Rules>, ApiError> {
        let row = tx
            .row("SELECT version, fingerprint FROM rules ORDER BY version DESC LIMIT 1", &[])?
            .ok_or_else(|| ApiError::internal("no rules are in force"))?;
        let version = row[0].int().unwrap_or(0);
        if let Some(r) = self.rules.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            if r.version == version {
                return Ok(r.clone());
            }
        }
        let json = tx
            .row("SELECT json FROM rules WHERE version = $1", &[version.into()])?
            .and_then(|r| r.into_iter().next())
            .and_then(Cell::into_text)
            .unwrap_or_default();
        let rules = Arc::new(Rules { version, fingerprint: row[1].text().unwrap_or("").to_string(), json });
        *self.rules.lock().unwrap_or_else(|e| e.into_inner()) = Some(rules.clone());
        Ok(rules)
    }

    /// Validate `text` with the engine and put it in force as the next
    /// version: `validate_rules`'s answer and the version.
    pub fn upload_rules(&self, text: &str) -> Result<(i64, serde_json::Value), ApiError> {
        let rules: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            ApiError::bad_request("BAD_JSON", "", "规则不是合法的 JSON", format!("the rules are not valid JSON: {e}"))
        })?;
        // Stored as canonical JSON (sorted keys, no whitespace), the text
        // the fingerprint is of.
        let json = rules.to_string();
        let check = self.engine.call("validate_rules", &format!(r#"{{"rules":{json}}}"#))?;
        let fingerprint = check.get("fingerprint").and_then(|f| f.as_str()).unwrap_or("").to_string();
        let version = self.db.write(|tx| {
            let last = tx.row("SELECT MAX(version) FROM rules", &[])?;
            let version = last.and_then(|r| r[0].int()).unwrap_or(0) + 1;
            tx.exec(
                "INSERT INTO rules (version, fingerprint, json, uploaded_at) VALUES ($1, $2, $3, $4)",
                &[version.into(), fingerprint.as_str().into(), json.as_str().into(), clock::now().into()],
            )?;
            Ok(version)
        })?;
        Ok((version, check))
    }
}
