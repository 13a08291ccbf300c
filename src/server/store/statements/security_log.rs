//! `security_events` (one row per event) and `refusals` (counted per kind, bucket and hour).

use async_trait::async_trait;

use crate::server::domain::{AuditEntry, EventRow, RefusalCount};

#[async_trait]
pub trait SecurityLogStatements {
    async fn insert_event(&mut self, entry: &AuditEntry<'_>) -> sqlx::Result<()>;
    /// Adds to the refusal's (kind, bucket, hour) row.
    async fn add_refusal(&mut self, refusal: &RefusalCount) -> sqlx::Result<()>;
    /// The account's newest successful events.
    async fn recent_successes(&mut self, user_id: i64, limit: i64) -> sqlx::Result<Vec<EventRow>>;
    /// The account's newest events that did not succeed.
    async fn recent_failures(&mut self, user_id: i64, limit: i64) -> sqlx::Result<Vec<EventRow>>;
    async fn events_of_account(&mut self, user_id: i64) -> sqlx::Result<Vec<EventRow>>;
}
