//! A real `siyu-server` process on a loopback port, with its own data
//! folder, and a small HTTP client for it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::{json, Value};

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
        Server::start_on(data_dir(name))
    }

    /// Start on an existing data folder (a restart).
    pub fn start_on(data: PathBuf) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_siyu-server"))
            .args(["--port", "0", "--wasm"])
            .arg(wasm())
            .arg("--data")
            .arg(&data)
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
        Server { child, base, admin, data }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// SIGKILL: no shutdown, no flush.
    pub fn kill(mut self) -> PathBuf {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        self.data.clone()
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

/// Every member's log replayed natively under the rules it was booked
/// under gives the state the server stored.
pub fn assert_logs_replay_to_states(data: &Path) {
    let db = rusqlite::Connection::open(data.join("siyu.sqlite3")).unwrap();
    let mut members = db.prepare("SELECT id, state FROM members ORDER BY id").unwrap();
    let rows: Vec<(String, String)> =
        members.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    let rules: String = db.query_row("SELECT json FROM rules ORDER BY version DESC LIMIT 1", [], |r| r.get(0)).unwrap();
    for (id, state) in rows {
        let mut events = db.prepare("SELECT json FROM events WHERE member_id = ?1 ORDER BY seq").unwrap();
        let log: Vec<String> = events.query_map([&id], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        let input = format!(r#"{{"events":[{}],"rules":{rules}}}"#, log.join(","));
        let replayed: Value = serde_json::from_str(&siyu::ops::call("replay", &input)).unwrap();
        let stored: Value = serde_json::from_str(&state).unwrap();
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
    let mut head = [0u8; 64];
    let n = stream.read(&mut head).unwrap();
    String::from_utf8_lossy(&head[..n]).into_owned()
}
