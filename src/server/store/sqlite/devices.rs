//! `devices`: the signed-in browsers of each account.

use async_trait::async_trait;
use sqlx::SqliteConnection;

use crate::server::store::{statements::DeviceStatements, Device, NewDevice};

#[async_trait]
impl DeviceStatements for SqliteConnection {
    async fn insert_device(&mut self, device: &NewDevice<'_>) -> sqlx::Result<()> {
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
        .execute(self)
        .await?;
        Ok(())
    }

    async fn device(&mut self, handle: &str) -> sqlx::Result<Option<Device>> {
        sqlx::query_as!(
            Device,
            r#"select d.device_id as "device_id!", d.user_id, d.ip, d.user_agent, d.signed_in_at, d.last_seen_at,
                  d.password_at, u.role = 'admin' as "admin!: bool"
           from devices d join users u on u.user_id = d.user_id where d.handle = ?"#,
            handle
        )
        .fetch_optional(self)
        .await
    }

    async fn touch_device(&mut self, device_id: i64, now: i64) -> sqlx::Result<()> {
        sqlx::query!(
            "update devices set last_seen_at = ? where device_id = ?",
            now,
            device_id
        )
        .execute(self)
        .await?;
        Ok(())
    }

    async fn live_devices(
        &mut self,
        user_id: i64,
        seen_after: i64,
        signed_in_after: i64,
    ) -> sqlx::Result<Vec<Device>> {
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
        .fetch_all(self)
        .await
    }

    async fn delete_device(&mut self, user_id: i64, device_id: i64) -> sqlx::Result<u64> {
        let done = sqlx::query!(
            "delete from devices where user_id = ? and device_id = ?",
            user_id,
            device_id
        )
        .execute(self)
        .await?;
        Ok(done.rows_affected())
    }

    async fn delete_devices_but(&mut self, user_id: i64, keep_device_id: i64) -> sqlx::Result<u64> {
        let done = sqlx::query!(
            "delete from devices where user_id = ? and device_id != ?",
            user_id,
            keep_device_id
        )
        .execute(self)
        .await?;
        Ok(done.rows_affected())
    }

    async fn end_devices_but_handle(&mut self, user_id: i64, keep_handle: &str) -> sqlx::Result<()> {
        sqlx::query!(
            "delete from devices where user_id = ? and handle != ?",
            user_id,
            keep_handle
        )
        .execute(self)
        .await?;
        Ok(())
    }

    async fn delete_device_by_handle(&mut self, handle: &str) -> sqlx::Result<Option<i64>> {
        sqlx::query_scalar!("delete from devices where handle = ? returning user_id", handle)
            .fetch_optional(self)
            .await
    }
}
