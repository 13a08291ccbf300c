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
