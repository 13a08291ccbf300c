//! `devices`: the signed-in browsers of each account.

use async_trait::async_trait;

use super::{sql::Statements, AuditEntry, Client, Device, EventKind, NewDevice, Outcome};

#[async_trait]
pub trait DeviceStatements {
    async fn insert_device(&mut self, device: &NewDevice<'_>) -> sqlx::Result<()>;
    async fn device(&mut self, handle: &str) -> sqlx::Result<Option<Device>>;
    async fn touch_device(&mut self, device_id: i64, now: i64) -> sqlx::Result<()>;
    /// The account's devices seen after `seen_after` and signed in after `signed_in_after`.
    async fn live_devices(
        &mut self,
        user_id: i64,
        seen_after: i64,
        signed_in_after: i64,
    ) -> sqlx::Result<Vec<Device>>;
    /// How many were deleted (0 or 1).
    async fn delete_device(&mut self, user_id: i64, device_id: i64) -> sqlx::Result<u64>;
    /// How many were deleted.
    async fn delete_devices_but(&mut self, user_id: i64, keep_device_id: i64) -> sqlx::Result<u64>;
    async fn end_devices_but_handle(&mut self, user_id: i64, keep_handle: &str) -> sqlx::Result<()>;
    /// The account whose device it was.
    async fn delete_device_by_handle(&mut self, handle: &str) -> sqlx::Result<Option<i64>>;
}

pub(super) async fn end(
    conn: &mut impl Statements,
    user_id: i64,
    device_id: i64,
    client: &Client,
    now: i64,
) -> sqlx::Result<bool> {
    if conn.delete_device(user_id, device_id).await? == 0 {
        return Ok(false);
    }
    let entry = AuditEntry::new(
        EventKind::SessionRevoked,
        Outcome::Success,
        Some(user_id),
        Some(client),
        now,
    );
    conn.insert_event(&entry).await?;
    Ok(true)
}

pub(super) async fn end_others(
    conn: &mut impl Statements,
    user_id: i64,
    keep: i64,
    client: &Client,
    now: i64,
) -> sqlx::Result<u64> {
    let ended = conn.delete_devices_but(user_id, keep).await?;
    if ended > 0 {
        let entry = AuditEntry::new(
            EventKind::SessionRevoked,
            Outcome::Success,
            Some(user_id),
            Some(client),
            now,
        );
        conn.insert_event(&entry).await?;
    }
    Ok(ended)
}

/// Signing out (`sign_out`), or a dead session found on a request.
pub(super) async fn end_by_handle(
    conn: &mut impl Statements,
    handle: &str,
    sign_out: Option<(&Client, i64)>,
) -> sqlx::Result<()> {
    let user_id = conn.delete_device_by_handle(handle).await?;
    if let (Some(user_id), Some((client, now))) = (user_id, sign_out) {
        let entry = AuditEntry::new(
            EventKind::SignOut,
            Outcome::Success,
            Some(user_id),
            Some(client),
            now,
        );
        conn.insert_event(&entry).await?;
    }
    Ok(())
}
