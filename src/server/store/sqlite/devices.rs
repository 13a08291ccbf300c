//! `devices`: the signed-in browsers of each account.

use sqlx::{SqliteConnection, SqlitePool};

use super::security_log;
use crate::server::{
    client::Client,
    store::{AuditEntry, Device, EventKind, NewDevice, Outcome},
};

pub(super) async fn start(pool: &SqlitePool, device: &NewDevice<'_>) -> Result<(), sqlx::Error> {
    let ip = device.client.ip.to_string();
    sqlx::query!(
        "insert into devices (handle, user_id, ip, user_agent, signed_in_at, last_seen_at, password_at)
         values (?, ?, ?, ?, ?, ?, ?)",
        device.handle,
        device.user_id,
        ip,
        device.client.user_agent,
        device.now,
        device.now,
        device.now
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn find(pool: &SqlitePool, handle: &str) -> Result<Option<Device>, sqlx::Error> {
    sqlx::query_as!(
        Device,
        r#"select d.device_id as "device_id!", d.user_id, d.ip, d.user_agent, d.signed_in_at, d.last_seen_at,
                  d.password_at, u.role = 'admin' as "admin!: bool"
           from devices d join users u on u.user_id = d.user_id where d.handle = ?"#,
        handle
    )
    .fetch_optional(pool)
    .await
}

pub(super) async fn touch(pool: &SqlitePool, device_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update devices set last_seen_at = ? where device_id = ?",
        now,
        device_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn live(
    pool: &SqlitePool,
    user_id: i64,
    seen_after: i64,
    signed_in_after: i64,
) -> Result<Vec<Device>, sqlx::Error> {
    sqlx::query_as!(
        Device,
        r#"select d.device_id as "device_id!", d.user_id, d.ip, d.user_agent, d.signed_in_at, d.last_seen_at,
                  d.password_at, u.role = 'admin' as "admin!: bool"
           from devices d join users u on u.user_id = d.user_id
           where d.user_id = ? and d.last_seen_at > ? and d.signed_in_at > ?
           order by d.last_seen_at desc, d.device_id desc"#,
        user_id,
        seen_after,
        signed_in_after
    )
    .fetch_all(pool)
    .await
}

pub(super) async fn end(
    conn: &mut SqliteConnection,
    user_id: i64,
    device_id: i64,
    client: &Client,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "delete from devices where user_id = ? and device_id = ?",
        user_id,
        device_id
    )
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    let entry = AuditEntry::new(
        EventKind::SessionRevoked,
        Outcome::Success,
        Some(user_id),
        Some(client),
        now,
    );
    security_log::insert(conn, &entry).await?;
    Ok(true)
}

pub(super) async fn end_others(
    conn: &mut SqliteConnection,
    user_id: i64,
    keep: i64,
    client: &Client,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "delete from devices where user_id = ? and device_id != ?",
        user_id,
        keep
    )
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() > 0 {
        let entry = AuditEntry::new(
            EventKind::SessionRevoked,
            Outcome::Success,
            Some(user_id),
            Some(client),
            now,
        );
        security_log::insert(conn, &entry).await?;
    }
    Ok(done.rows_affected())
}

pub(super) async fn end_by_handle(
    conn: &mut SqliteConnection,
    handle: &str,
    sign_out: Option<(&Client, i64)>,
) -> Result<(), sqlx::Error> {
    let user_id = sqlx::query_scalar!("delete from devices where handle = ? returning user_id", handle)
        .fetch_optional(&mut *conn)
        .await?;
    if let (Some(user_id), Some((client, now))) = (user_id, sign_out) {
        let entry = AuditEntry::new(
            EventKind::SignOut,
            Outcome::Success,
            Some(user_id),
            Some(client),
            now,
        );
        security_log::insert(conn, &entry).await?;
    }
    Ok(())
}
