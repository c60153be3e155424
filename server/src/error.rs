//! Every refusal the server answers: the engine's error shape
//! (`{"error": {"code", "path", "zh", "en", …}}`, docs/rules.md §8.1) with
//! an HTTP status. The engine's own refusals pass through unchanged; the
//! server's codes are listed in `server/README.md`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    /// What goes under `error`.
    pub error: Value,
    /// A database conflict another transaction caused: running the whole
    /// transaction again may succeed (`db::Db::write` does, a few times).
    pub retry: bool,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, path: &str, zh: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError { status, retry: false, error: json!({"code": code, "path": path, "zh": zh.into(), "en": en.into()}) }
    }

    /// The engine refused the call: the rules say no. Conflicts with what
    /// the client saw (a price or rules that changed, stock gone) are 409,
    /// the rest 422.
    pub fn refused(error: Value) -> ApiError {
        let code = error.get("code").and_then(Value::as_str).unwrap_or("");
        let status = match code {
            "QUOTE_MISMATCH" | "RULES_CHANGED" | "COUPON_OUT_OF_STOCK" => StatusCode::CONFLICT,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError { status, error, retry: false }
    }

    /// The code of the error (`""` if it has none).
    pub fn code(&self) -> &str {
        self.error.get("code").and_then(Value::as_str).unwrap_or("")
    }

    /// A call that trapped or ran out of fuel or memory: the instance is
    /// gone, the request fails, the server goes on.
    pub fn engine_failed(op: &str, why: &str) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ENGINE_FAILED",
            "",
            format!("引擎未能完成 `{op}`"),
            format!("the engine could not finish `{op}`: {why}"),
        )
    }

    pub fn internal(why: impl std::fmt::Display) -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "",
            "服务器内部错误",
            format!("internal error: {why}"),
        )
    }

    pub fn bad_request(code: &str, path: &str, zh: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, path, zh, en)
    }

    pub fn not_found(what_zh: &str, what_en: &str, path: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            path,
            format!("{what_zh}不存在"),
            format!("no such {what_en}"),
        )
    }

    pub fn unauthorized(zh: &str, en: &str) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", "", zh, en)
    }
}

impl IntoResponse for ApiError {
    fn into_response(mut self) -> Response {
        // A server fault's detail (a database's message) goes to the log,
        // not to the client.
        if self.status == StatusCode::INTERNAL_SERVER_ERROR {
            eprintln!("siyu-server: {}", self.error);
            self.error["en"] = json!("internal error (the server's log has the detail)");
        }
        (self.status, Json(json!({ "error": self.error }))).into_response()
    }
}

impl From<postgres::Error> for ApiError {
    fn from(e: postgres::Error) -> ApiError {
        use postgres::error::SqlState;
        let retry = e.code().is_some_and(|c| {
            [SqlState::T_R_SERIALIZATION_FAILURE, SqlState::T_R_DEADLOCK_DETECTED, SqlState::UNIQUE_VIOLATION]
                .contains(c)
        });
        ApiError { retry, ..ApiError::internal(format!("PostgreSQL: {e}")) }
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> ApiError {
        ApiError::internal(format!("SQLite: {e}"))
    }
}
