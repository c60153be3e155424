//! Sessions and passwords, demo-grade but not toy: session tokens are
//! `member.expiry.signature`, signed with HMAC-SHA256 under a key kept in
//! the database (so every server process on one database accepts them);
//! passwords are stored as PBKDF2-HMAC-SHA256 with a per-member salt.
//! A real shop signs members in through WeChat (`wx.login`); this is the
//! stand-in the storefront and the tests use.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::clock;
use crate::db::{Cell, Db};
use crate::error::ApiError;

type HmacSha256 = Hmac<Sha256>;

/// How long a session token is good for: 30 days.
pub const SESSION_MS: i64 = 30 * 24 * 3600 * 1000;

/// PBKDF2 rounds: a deliberate cost per sign-in (about 20 ms in a release
/// build on one core here).
const PBKDF2_ROUNDS: u32 = 100_000;

pub struct Keys {
    session: Vec<u8>,
    pub admin_token: String,
}

impl Keys {
    /// The keys stored in `settings`, made on first start. The admin token
    /// is `SIYU_ADMIN_TOKEN` when that is set.
    pub fn load(db: &Db) -> Result<Keys, ApiError> {
        let session = setting(db, "session_key", || clock::random_hex(32))?;
        let admin_token = match std::env::var("SIYU_ADMIN_TOKEN") {
            Ok(t) if !t.is_empty() => t,
            _ => setting(db, "admin_token", || clock::random_hex(24))?,
        };
        Ok(Keys { session: session.into_bytes(), admin_token })
    }

    pub fn token(&self, member: &str, now: i64) -> String {
        let body = format!("{member}.{}", now + SESSION_MS);
        format!("{body}.{}", clock::hex(&self.mac(&body).finalize().into_bytes()))
    }

    /// The member a token names, if its signature holds and it has not
    /// expired.
    pub fn member(&self, token: &str, now: i64) -> Option<String> {
        let (body, sig) = token.rsplit_once('.')?;
        let (member, expiry) = body.rsplit_once('.')?;
        let sig = unhex(sig)?;
        self.mac(body).verify_slice(&sig).ok()?;
        (expiry.parse::<i64>().ok()? > now).then(|| member.to_string())
    }

    fn mac(&self, body: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.session).expect("HMAC takes a key of any length");
        mac.update(body.as_bytes());
        mac
    }

    /// Constant-time comparison of the admin token.
    pub fn is_admin(&self, token: &str) -> bool {
        let mut mac = HmacSha256::new_from_slice(&self.session).expect("HMAC takes a key of any length");
        mac.update(self.admin_token.as_bytes());
        let want = mac.finalize().into_bytes();
        let mut mac = HmacSha256::new_from_slice(&self.session).expect("HMAC takes a key of any length");
        mac.update(token.as_bytes());
        mac.verify_slice(&want).is_ok()
    }
}

fn setting(db: &Db, name: &str, make: impl FnOnce() -> Result<String, String>) -> Result<String, ApiError> {
    let fresh = make().map_err(ApiError::internal)?;
    db.write(|tx| {
        tx.exec(
            "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            &[name.into(), fresh.as_str().into()],
        )?;
        let row = tx.row("SELECT value FROM settings WHERE name = $1", &[name.into()])?;
        row.and_then(|r| r.into_iter().next()).and_then(Cell::into_text).ok_or_else(|| ApiError::internal(name))
    })
}

/// A password's salt and hash, both hex.
pub fn hash_password(password: &str) -> Result<(String, String), ApiError> {
    let salt = clock::random_hex(16).map_err(ApiError::internal)?;
    let hash = pbkdf2(password, &salt);
    Ok((salt, hash))
}

pub fn password_matches(password: &str, salt: &str, hash: &str) -> bool {
    let Some(want) = unhex(hash) else { return false };
    let got = unhex(&pbkdf2(password, salt)).unwrap_or_default();
    // Through HMAC, for a comparison in constant time.
    let mut mac = HmacSha256::new_from_slice(salt.as_bytes()).expect("any key length");
    mac.update(&got);
    let mut check = HmacSha256::new_from_slice(salt.as_bytes()).expect("any key length");
    check.update(&want);
    mac.verify_slice(&check.finalize().into_bytes()).is_ok()
}

fn pbkdf2(password: &str, salt: &str) -> String {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt.as_bytes(), PBKDF2_ROUNDS, &mut out);
    clock::hex(&out)
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_round_trips() {
        assert_eq!(super::unhex(&crate::clock::hex(&[0, 1, 254, 255])), Some(vec![0, 1, 254, 255]));
        assert_eq!(super::unhex("0g"), None);
        assert_eq!(super::unhex("abc"), None);
    }
}
