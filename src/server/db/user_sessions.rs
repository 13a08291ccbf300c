//! `user_sessions`: the index of signed-in browsers per account.

use sqlx::{SqliteConnection, SqlitePool};

#[derive(Debug, Clone)]
pub struct UserSession {
    pub user_session_id: i64,
    pub user_id: i64,
    pub ip: String,
    pub user_agent: String,
    pub signed_in_at: i64,
    pub last_seen_at: i64,
}

pub struct NewSession<'a> {
    pub handle: &'a str,
    pub user_id: i64,
    pub ip: &'a str,
    pub user_agent: &'a str,
    pub now: i64,
}

pub async fn insert(conn: &mut SqliteConnection, new: NewSession<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into user_sessions (handle, user_id, ip, user_agent, signed_in_at, last_seen_at) values (?, ?, ?, ?, ?, ?)",
        new.handle,
        new.user_id,
        new.ip,
        new.user_agent,
        new.now,
        new.now
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_by_handle(
    conn: &mut SqliteConnection,
    handle: &str,
) -> Result<Option<UserSession>, sqlx::Error> {
    sqlx::query_as!(
        UserSession,
        "select user_session_id as \"user_session_id!\", user_id, ip, user_agent, signed_in_at, last_seen_at
         from user_sessions where handle = ?",
        handle
    )
    .fetch_optional(conn)
    .await
}

pub async fn touch(conn: &mut SqliteConnection, user_session_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update user_sessions set last_seen_at = ? where user_session_id = ?",
        now,
        user_session_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The account's sessions that are still alive at `now`, newest first.
pub async fn list_live(
    conn: &mut SqliteConnection,
    user_id: i64,
    seen_after: i64,
    signed_in_after: i64,
) -> Result<Vec<UserSession>, sqlx::Error> {
    sqlx::query_as!(
        UserSession,
        "select user_session_id as \"user_session_id!\", user_id, ip, user_agent, signed_in_at, last_seen_at
         from user_sessions where user_id = ? and last_seen_at > ? and signed_in_at > ?
         order by last_seen_at desc",
        user_id,
        seen_after,
        signed_in_after
    )
    .fetch_all(conn)
    .await
}

pub async fn delete(conn: &mut SqliteConnection, user_session_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "delete from user_sessions where user_session_id = ?",
        user_session_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends one of `user_id`'s sessions; false when there is no such session of theirs.
pub async fn delete_owned(
    conn: &mut SqliteConnection,
    user_id: i64,
    user_session_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "delete from user_sessions where user_id = ? and user_session_id = ?",
        user_id,
        user_session_id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn delete_others(
    conn: &mut SqliteConnection,
    user_id: i64,
    keep_user_session_id: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "delete from user_sessions where user_id = ? and user_session_id != ?",
        user_id,
        keep_user_session_id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

pub async fn delete_dead(
    pool: &SqlitePool,
    seen_before: i64,
    signed_in_before: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "delete from user_sessions where last_seen_at < ? or signed_in_at < ?",
        seen_before,
        signed_in_before
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}
