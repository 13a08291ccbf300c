//! `devices`: the signed-in browsers of each account.

use async_trait::async_trait;

use crate::server::domain::{Device, NewDevice};

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

for_both_databases! {
    impl DeviceStatements {
        async fn insert_device(&mut self, device: &NewDevice<'_>) -> sqlx::Result<()> {
            let ip = device.client.ip.to_string();
            query!(
                "insert into devices (handle, user_id, ip, user_agent, signed_in_at, last_seen_at, password_at)
             values ($1, $2, $3, $4, $5, $6, $7)",
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
            query_as!(
                Device,
                r#"select d.device_id as "device_id!", d.user_id, d.ip, d.user_agent, d.signed_in_at, d.last_seen_at,
                      d.password_at, u.role = 'admin' as "admin!: bool"
               from devices d join users u on u.user_id = d.user_id where d.handle = $1"#,
                handle
            )
            .fetch_optional(self)
            .await
        }

        async fn touch_device(&mut self, device_id: i64, now: i64) -> sqlx::Result<()> {
            query!(
                "update devices set last_seen_at = $1 where device_id = $2",
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
            query_as!(
                Device,
                r#"select d.device_id as "device_id!", d.user_id, d.ip, d.user_agent, d.signed_in_at, d.last_seen_at,
                      d.password_at, u.role = 'admin' as "admin!: bool"
               from devices d join users u on u.user_id = d.user_id
               where d.user_id = $1 and d.last_seen_at > $2 and d.signed_in_at > $3
               order by d.last_seen_at desc, d.device_id desc"#,
                user_id,
                seen_after,
                signed_in_after
            )
            .fetch_all(self)
            .await
        }

        async fn delete_device(&mut self, user_id: i64, device_id: i64) -> sqlx::Result<u64> {
            let done = query!(
                "delete from devices where user_id = $1 and device_id = $2",
                user_id,
                device_id
            )
            .execute(self)
            .await?;
            Ok(done.rows_affected())
        }

        async fn delete_devices_but(&mut self, user_id: i64, keep_device_id: i64) -> sqlx::Result<u64> {
            let done = query!(
                "delete from devices where user_id = $1 and device_id != $2",
                user_id,
                keep_device_id
            )
            .execute(self)
            .await?;
            Ok(done.rows_affected())
        }

        async fn end_devices_but_handle(&mut self, user_id: i64, keep_handle: &str) -> sqlx::Result<()> {
            query!(
                "delete from devices where user_id = $1 and handle != $2",
                user_id,
                keep_handle
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn delete_device_by_handle(&mut self, handle: &str) -> sqlx::Result<Option<i64>> {
            query_scalar!("delete from devices where handle = $1 returning user_id", handle)
                .fetch_optional(self)
                .await
        }
    }
}
