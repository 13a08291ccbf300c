//! The admin console's reads, and its actions on accounts.

use async_trait::async_trait;

use crate::server::domain::{
    AdminCounts, CodeQuery, DailyCount, EventQuery, LoggedCode, LoggedEvent, UserQuery, UserSummary,
};

#[async_trait]
pub trait AdminStatements {
    /// The account a username or an address names (any state).
    async fn user_id_of(&mut self, identifier: &str) -> sqlx::Result<Option<i64>>;
    async fn admin_counts(&mut self, since: i64) -> sqlx::Result<AdminCounts>;
    async fn daily_activity(&mut self, since: i64) -> sqlx::Result<Vec<DailyCount>>;
    async fn find_users(&mut self, query: &UserQuery) -> sqlx::Result<Vec<UserSummary>>;
    async fn user_summary(&mut self, user_id: i64) -> sqlx::Result<Option<UserSummary>>;
    async fn find_codes(&mut self, query: &CodeQuery) -> sqlx::Result<Vec<LoggedCode>>;
    async fn find_events(&mut self, query: &EventQuery) -> sqlx::Result<Vec<LoggedEvent>>;
    // Each action's statement answers how many rows it changed.
    async fn disable_user(&mut self, user_id: i64, now: i64) -> sqlx::Result<u64>;
    async fn enable_user(&mut self, user_id: i64) -> sqlx::Result<u64>;
    async fn unlock_user(&mut self, user_id: i64) -> sqlx::Result<u64>;
    async fn delete_devices_of(&mut self, user_id: i64) -> sqlx::Result<u64>;
    async fn grant_admin(&mut self, user_id: i64) -> sqlx::Result<u64>;
    async fn revoke_admin(&mut self, user_id: i64) -> sqlx::Result<u64>;
    async fn delete_factors_of(&mut self, user_id: i64) -> sqlx::Result<u64>;
}
