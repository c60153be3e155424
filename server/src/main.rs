//! `siyu-server`: serve the API (and the storefront, when built) on a
//! local port, with the ledger in SQLite (`DATA/siyu.sqlite3`) or, given
//! `--database postgres://…` (or `SIYU_DATABASE_URL`), in PostgreSQL.
//!
//! ```text
//! siyu-server [--port 8787] [--host 127.0.0.1] [--data data] [--database URL]
//!             [--wasm pkg/siyu_wasm_bg.wasm] [--www www/dist]
//! ```

use std::path::PathBuf;

use siyu_server::{api, App, Config};

const USAGE: &str =
    "usage: siyu-server [--port N] [--host ADDR] [--data DIR] [--database postgres://…] [--wasm FILE] [--www DIR]";

fn main() {
    if let Err(e) = run() {
        eprintln!("siyu-server: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let mut port = 8787u16;
    let mut host = "127.0.0.1".to_string();
    let mut data = PathBuf::from("data");
    let mut wasm = PathBuf::from("pkg/siyu_wasm_bg.wasm");
    let mut www = Some(PathBuf::from("www/dist"));
    let mut database = std::env::var("SIYU_DATABASE_URL").ok().filter(|u| !u.is_empty());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--port" => port = value()?.parse().map_err(|_| format!("--port takes a number\n{USAGE}"))?,
            "--host" => host = value()?,
            "--data" => data = value()?.into(),
            "--database" => database = Some(value()?),
            "--wasm" => wasm = value()?.into(),
            "--www" => www = Some(value()?.into()),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ => return Err(format!("unknown argument {arg}\n{USAGE}")),
        }
    }
    let www = www.filter(|d| d.is_dir());
    let database = database.unwrap_or_else(|| data.join("siyu.sqlite3").to_string_lossy().into_owned());
    let config = Config { wasm, database, www };
    let app = App::start(&config)?;
    // Engine calls and SQL run on blocking threads, each holding one
    // engine instance (up to 64 MiB) and one database connection: 32 at
    // most, within PostgreSQL's default 100 connections for three servers.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(32)
        .build()
        .map_err(|e| format!("tokio: {e}"))?;
    runtime.block_on(async move {
        let listener =
            tokio::net::TcpListener::bind((host.as_str(), port)).await.map_err(|e| format!("{host}:{port}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        println!("siyu-server: http://{addr}/ (module sha256 {}, {})", &app.engine.sha256()[..12], app.db.kind());
        println!("siyu-server: admin token {}", app.keys.admin_token);
        axum::serve(listener, api::router(app))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| e.to_string())
    })
}
