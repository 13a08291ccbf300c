//! Accounts as their owners see them, and their signed-in sessions.

use crate::server::client::Client;

pub struct NewSession<'a> {
    pub handle: &'a str,
    pub user_id: i64,
    pub client: &'a Client,
    pub now: i64,
    /// How the sign-in was made (RFC 8176): `pwd`, or `pwd otp` after a second factor.
    pub amr: &'a str,
    pub forward_token_hash: &'a [u8],
}

/// A sign-in as forward-auth reads it, found by its cookie: who, how, and in which groups.
#[derive(Debug, Clone)]
pub struct ForwardSession {
    pub session_id: i64,
    pub user_id: i64,
    pub signed_in_at: i64,
    pub last_seen_at: i64,
    pub admin: bool,
    pub amr: String,
    pub username: String,
    pub email: String,
    /// The terms version the account accepted (`None`: none).
    pub terms_version: Option<String>,
    /// The account's groups, by name, comma-separated (`None`: none).
    pub groups: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SessionRow {
    pub session_id: i64,
    pub user_id: i64,
    pub ip: String,
    pub user_agent: String,
    pub signed_in_at: i64,
    pub last_seen_at: i64,
    pub password_at: i64,
    /// The account's role is admin (read with the session, so a revoked role counts at once).
    pub admin: bool,
    /// How the sign-in was made (RFC 8176): `pwd`, or `pwd otp`.
    pub amr: String,
    /// The account's saved language (a tag), if it chose one.
    pub language: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AccountRow {
    pub username: String,
    pub email: String,
    pub created_at: i64,
    pub verified_at: Option<i64>,
    pub last_login_at: Option<i64>,
    pub previous_login_at: Option<i64>,
    pub terms_version: Option<String>,
    pub terms_accepted_at: Option<i64>,
}
