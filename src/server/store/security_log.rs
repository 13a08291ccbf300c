//! `security_events` (one row per event) and `refusals` (counted per kind, bucket and hour).

use async_trait::async_trait;

use super::{AuditEntry, EventRow, RefusalCount};

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

/// Up to `limit` successes and up to `limit` others, newest first, so failures cannot push the
/// user's real sign-ins out of view.
pub(super) async fn recent(
    conn: &mut (impl SecurityLogStatements + Send),
    user_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<EventRow>> {
    let mut events = conn.recent_successes(user_id, limit).await?;
    events.extend(conn.recent_failures(user_id, limit).await?);
    events.sort_by_key(|event| std::cmp::Reverse(event.event_id));
    Ok(events)
}
