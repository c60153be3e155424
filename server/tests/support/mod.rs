//! A real `siyu-server` process on a loopback port, with its own data
//! folder and database, and a small HTTP client for it.
//!
//! The database is a SQLite file in the data folder, or, when
//! `SIYU_TEST_POSTGRES` holds a server's URL (`postgres://user@host:port`;
//! scripts/test-server.sh starts one), a fresh PostgreSQL database on it
//! for each server the tests start: the same tests run against both.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::{json, Value};
use siyu_server::db::Db;

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The module every host loads; the tests need `scripts/build-wasm.sh` to
/// have run (the test command runs it first).
pub fn wasm() -> PathBuf {
    repo().join("pkg/siyu_wasm_bg.wasm")
}

pub struct Server {
    child: Child,
    pub base: String,
    pub admin: String,
    pub data: PathBuf,
    /// What `--database` names: a SQLite file or a PostgreSQL URL.
    pub database: String,
}

/// A new, empty database for one test's server.
fn database(name: &str, data: &Path) -> String {
    let Ok(base) = std::env::var("SIYU_TEST_POSTGRES") else {
        return data.join("siyu.sqlite3").to_string_lossy().into_owned();
    };
    let db = format!("t_{}_{}_{}", name.replace('-', "_"), std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let mut admin =
        postgres::Client::connect(&format!("{base}/postgres"), postgres::NoTls).expect("connect to SIYU_TEST_POSTGRES");
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {db}")).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
    format!("{base}/{db}")
}

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A fresh data folder under the target directory.
pub fn data_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "{name}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

impl Server {
    pub fn start(name: &str) -> Server {
        let data = data_dir(name);
        let database = database(name, &data);
        Server::start_on(data, database)
    }

    /// Start on an existing data folder and database (a restart).
    pub fn start_on(data: PathBuf, database: String) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_siyu-server"))
            .args(["--port", "0", "--wasm"])
            .arg(wasm())
            .arg("--data")
            .arg(&data)
            .arg("--database")
            .arg(&database)
            .env_remove("SIYU_ADMIN_TOKEN")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start siyu-server");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut base = String::new();
        let mut admin = String::new();
        for line in lines.by_ref() {
            let line = line.expect("read the server's output");
            if let Some(rest) = line.strip_prefix("siyu-server: http://") {
                base = format!("http://{}", rest.split('/').next().unwrap());
            } else if let Some(token) = line.strip_prefix("siyu-server: admin token ") {
                admin = token.to_string();
                break;
            }
        }
        assert!(!base.is_empty() && !admin.is_empty(), "the server did not start");
        // Keep draining its output so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base, admin, data, database }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// SIGKILL: no shutdown, no flush. The data folder and database, to
    /// start again on.
    pub fn kill(mut self) -> (PathBuf, String) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        (self.data.clone(), self.database.clone())
    }

    /// The server's database, opened from the test.
    pub fn db(&self) -> Db {
        open(&self.database)
    }

    /// Sign a new member up: their id and token.
    pub fn member(&self, nickname: &str) -> (String, String) {
        let r = call(
            &self.url("/api/members"),
            "POST",
            None,
            &[],
            Some(json!({"nickname": nickname, "password": "secret-pw"})),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        (r.body["member"].as_str().unwrap().to_string(), r.body["token"].as_str().unwrap().to_string())
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> Reply {
        call(&self.url(path), "GET", token, &[], None)
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        call(&self.url(path), "POST", token, &[], Some(body))
    }

    pub fn admin_put(&self, path: &str, body: Value) -> Reply {
        call(&self.url(path), "PUT", Some(&self.admin), &[], Some(body))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub replayed: bool,
}

impl Reply {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

/// One HTTP request; any status is an answer (not an error).
pub fn call(url: &str, method: &str, token: Option<&str>, headers: &[(&str, &str)], body: Option<Value>) -> Reply {
    let mut req = ureq::request(method, url);
    if let Some(t) = token {
        req = req.set("Authorization", &format!("Bearer {t}"));
    }
    for (k, v) in headers {
        req = req.set(k, v);
    }
    let result = match body {
        Some(b) => req.send_string(&b.to_string()),
        None => req.call(),
    };
    let response = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {url}: {e}"),
    };
    let status = response.status();
    let replayed = response.header("idempotent-replayed") == Some("true");
    let text = response.into_string().unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Reply { status, body, replayed }
}

pub fn open(database: &str) -> Db {
    Db::open(database).expect("open the server's database")
}

/// The one integer a query answers.
pub fn scalar(db: &Db, sql: &str) -> i64 {
    db.read(|tx| tx.rows(sql, &[])).unwrap()[0][0].int().expect("an integer")
}

/// Every member's log replayed natively under the rules it was booked
/// under gives the state the server stored.
pub fn assert_logs_replay_to_states(database: &str) {
    let db = open(database);
    let members = db.read(|tx| tx.rows("SELECT id, state FROM members ORDER BY id", &[])).unwrap();
    let rules = db.read(|tx| tx.rows("SELECT json FROM rules ORDER BY version DESC LIMIT 1", &[])).unwrap();
    let rules = rules[0][0].text().unwrap().to_string();
    for m in members {
        let (id, state) = (m[0].text().unwrap(), m[1].text().unwrap());
        let log =
            db.read(|tx| tx.rows("SELECT json FROM events WHERE member_id = $1 ORDER BY seq", &[id.into()])).unwrap();
        let log: Vec<&str> = log.iter().map(|r| r[0].text().unwrap()).collect();
        let input = format!(r#"{{"events":[{}],"rules":{rules}}}"#, log.join(","));
        let replayed: Value = serde_json::from_str(&siyu::ops::call("replay", &input)).unwrap();
        let stored: Value = serde_json::from_str(state).unwrap();
        assert_eq!(replayed["ok"], stored, "member {id}: replaying the log does not give the stored state");
    }
}

/// The status line the server answers to a request with a body of `len`
/// bytes.
pub fn raw_status(server: &Server, request: &str, len: usize) -> String {
    use std::io::{Read, Write};
    let addr = server.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let (method, path) = request.split_once(' ').unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {len}\r\nContent-Type: application/json\r\n\r\n"
    )
    .unwrap();
    // The server may answer (and close) before it has read it all.
    let _ = stream.write_all(&vec![b' '; len]);
    let mut head = [0u8; 1024];
    let n = stream.read(&mut head).unwrap();
    String::from_utf8_lossy(&head[..n]).into_owned()
}
