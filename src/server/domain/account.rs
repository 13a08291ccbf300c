//! Accounts as their owners see them, and their signed-in sessions.

use crate::server::client::Client;

pub struct NewSession<'a> {
    pub handle: &'a str,
    pub user_id: i64,
    pub client: &'a Client,
    pub now: i64,
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
}

#[derive(Debug, Clone)]
pub struct AccountRow {
    pub username: String,
    pub email: String,
    pub created_at: i64,
    pub verified_at: Option<i64>,
    pub last_login_at: Option<i64>,
    pub previous_login_at: Option<i64>,
}
