//! `server/openapi.json` is the API's contract: it documents exactly the
//! routes the router serves (`siyu_server::api::ROUTES`), every operation
//! is complete enough to call, every schema it points to exists, and a
//! real server knows every one of those routes.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use support::{call, Server};

/// The methods an OpenAPI path item may hold.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

fn server_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn spec() -> Value {
    let path = server_dir().join("openapi.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Every `(METHOD, path)` the document has an operation for.
fn documented(spec: &Value) -> BTreeSet<(String, String)> {
    let paths = spec["paths"].as_object().expect("`paths` is an object");
    let mut routes = BTreeSet::new();
    for (path, item) in paths {
        let item = item.as_object().unwrap_or_else(|| panic!("{path}: a path item is an object"));
        for method in item.keys().filter(|k| METHODS.contains(&k.as_str())) {
            routes.insert((method.to_uppercase(), path.clone()));
        }
    }
    routes
}

fn served() -> BTreeSet<(String, String)> {
    siyu_server::api::ROUTES.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect()
}

/// `{name}` segments of a path.
fn path_params(path: &str) -> Vec<&str> {
    path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect()
}

/// A parameter, through its `$ref` when it has one.
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(r) => {
            let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("a parameter's $ref is local: {r}"));
            spec.pointer(pointer).unwrap_or_else(|| panic!("{r} points at nothing"))
        }
        None => value,
    }
}

/// Every `$ref` string in `value`, with where it is.
fn refs<'a>(value: &'a Value, at: String, out: &mut Vec<(String, &'a str)>) {
    match value {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push((at.clone(), r)),
                    _ => refs(v, format!("{at}/{k}"), out),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                refs(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_document_lists_exactly_the_routers_routes() {
    let spec = spec();
    assert_eq!(spec["openapi"], "3.1.0");
    let (documented, served) = (documented(&spec), served());
    assert_eq!(served.len(), siyu_server::api::ROUTES.len(), "ROUTES names a route twice");
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let not_served: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty() && not_served.is_empty(),
        "server/openapi.json and api::ROUTES disagree\n  served but not documented: {undocumented:?}\n  documented but not served: {not_served:?}"
    );
}

#[test]
fn every_operation_is_complete_and_every_schema_it_names_exists() {
    let spec = spec();
    let mut problems = Vec::new();
    for (method, path) in documented(&spec) {
        let op = &spec["paths"][&path][method.to_lowercase()];
        let name = format!("{method} {path}");
        if op["summary"].as_str().is_none_or(str::is_empty) {
            problems.push(format!("{name}: no summary"));
        }
        match op["responses"].as_object() {
            Some(r) if r.keys().any(|s| s.starts_with('2')) => {}
            _ => problems.push(format!("{name}: no success response")),
        }
        let params: Vec<&Value> =
            op["parameters"].as_array().map(|p| p.iter().map(|p| resolve(&spec, p)).collect()).unwrap_or_default();
        for want in path_params(&path) {
            if !params.iter().any(|p| p["in"] == "path" && p["name"] == want && p["required"] == true) {
                problems.push(format!("{name}: no required path parameter `{want}`"));
            }
        }
        for p in &params {
            if p["in"] == "path" && !path_params(&path).contains(&p["name"].as_str().unwrap_or("")) {
                problems.push(format!("{name}: path parameter {} is not in the path", p["name"]));
            }
        }
        if (method == "POST" || method == "PUT") && op["security"] == json!([{ "member": [] }]) {
            // A member's POST is a booking (bar none today): it takes a key.
            if !params.iter().any(|p| p["in"] == "header" && p["name"] == "Idempotency-Key") {
                problems.push(format!("{name}: a member's booking without the Idempotency-Key header"));
            }
        }
    }
    for scheme in ["member", "admin"] {
        let s = &spec["components"]["securitySchemes"][scheme];
        if s["type"] != "http" || s["scheme"] != "bearer" {
            problems.push(format!("security scheme `{scheme}` is not an HTTP bearer"));
        }
    }
    if spec["components"]["schemas"]["Error"]["properties"]["error"].is_null() {
        problems.push("components.schemas.Error has no `error`".into());
    }

    // Local references point at something; the others at a file beside
    // this one (docs/schema/…), and into it.
    let mut found = Vec::new();
    refs(&spec, String::new(), &mut found);
    for (at, r) in found {
        let (file, fragment) = r.split_once('#').unwrap_or((r, ""));
        let target = if file.is_empty() {
            spec.clone()
        } else {
            let path = server_dir().join(file);
            let Ok(text) = std::fs::read_to_string(&path) else {
                problems.push(format!("{at}: {r}: no file {}", Path::new(file).display()));
                continue;
            };
            match serde_json::from_str(&text) {
                Ok(v) => v,
                Err(e) => {
                    problems.push(format!("{at}: {r}: not JSON: {e}"));
                    continue;
                }
            }
        };
        if !fragment.is_empty() && target.pointer(fragment).is_none() {
            problems.push(format!("{at}: {r} points at nothing"));
        }
    }
    assert!(problems.is_empty(), "server/openapi.json:\n  {}", problems.join("\n  "));
}

#[test]
fn the_router_knows_every_route() {
    let server = Server::start("openapi");
    let mut unknown = Vec::new();
    for (method, path) in siyu_server::api::ROUTES {
        // A sample for each path parameter (a version is an integer).
        let concrete: Vec<String> = path
            .split('/')
            .map(|s| match s {
                "{version}" => "1".to_string(),
                s if s.starts_with('{') => "x".to_string(),
                s => s.to_string(),
            })
            .collect();
        let concrete = concrete.join("/");
        let body = matches!(*method, "POST" | "PUT").then(|| json!({}));
        let reply = call(&server.url(&concrete), method, None, &[], body);
        let no_route = reply.status == 404 && reply.body["error"]["en"] == "no such route";
        if reply.status == 405 || no_route {
            unknown.push(format!("{method} {concrete} ({path}): {} {}", reply.status, reply.body));
        }
    }
    assert!(unknown.is_empty(), "routes the server does not know:\n  {}", unknown.join("\n  "));
}
