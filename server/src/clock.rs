//! The server's clock and randomness: the host's, never the engine's (the
//! engine takes `now` as an input and has no randomness).

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, in UTC milliseconds.
pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// `n` random bytes from the operating system, as lower-case hex.
pub fn random_hex(n: usize) -> Result<String, String> {
    use std::io::Read;
    let mut bytes = vec![0u8; n];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| format!("/dev/urandom: {e}"))?;
    Ok(hex(&bytes))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
