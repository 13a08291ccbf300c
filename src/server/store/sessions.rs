//! `sessions`: the signed-in browsers of each account.

use super::{security_log, statements::Statements, Client, EventKind};

/// Every sign-in of the account ends: its browsers' sessions, and its tokens and unredeemed codes
/// at every app (a password reset, a disabled account, an admin's "end all sessions"). How many
/// browser sessions ended.
pub(super) async fn end_all(conn: &mut impl Statements, user_id: i64) -> sqlx::Result<u64> {
    conn.delete_oidc_tokens_of(user_id).await?;
    conn.delete_sessions_of(user_id).await
}

pub(super) async fn end(
    conn: &mut impl Statements,
    user_id: i64,
    session_id: i64,
    client: &Client,
    now: i64,
) -> sqlx::Result<bool> {
    if conn.delete_session(user_id, session_id).await? == 0 {
        return Ok(false);
    }
    security_log::record_success(conn, EventKind::SessionRevoked, Some(user_id), Some(client), now).await?;
    Ok(true)
}

pub(super) async fn end_others(
    conn: &mut impl Statements,
    user_id: i64,
    keep: i64,
    client: &Client,
    now: i64,
) -> sqlx::Result<u64> {
    let ended = conn.delete_sessions_but(user_id, keep).await?;
    if ended > 0 {
        security_log::record_success(conn, EventKind::SessionRevoked, Some(user_id), Some(client), now)
            .await?;
    }
    Ok(ended)
}

/// Signing out (`sign_out`), or a dead session found on a request.
pub(super) async fn end_by_handle(
    conn: &mut impl Statements,
    handle: &str,
    sign_out: Option<(&Client, i64)>,
) -> sqlx::Result<()> {
    let user_id = conn.delete_session_by_handle(handle).await?;
    if let (Some(user_id), Some((client, now))) = (user_id, sign_out) {
        security_log::record_success(conn, EventKind::SignOut, Some(user_id), Some(client), now).await?;
    }
    Ok(())
}
