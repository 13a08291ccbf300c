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

for_both_databases! {
    impl SecurityLogStatements {
        async fn insert_event(&mut self, entry: &AuditEntry<'_>) -> sqlx::Result<()> {
            let ip = entry.client.map(|client| client.ip.to_string());
            let user_agent = entry.client.map(|client| client.user_agent.as_str());
            let (kind, outcome) = (entry.kind.as_str(), entry.outcome.as_str());
            query!(
                "insert into security_events (at, kind, user_id, actor_id, ip, user_agent, outcome)
             values ($1, $2, $3, $4, $5, $6, $7)",
                entry.at,
                kind,
                entry.user_id,
                entry.actor_id,
                ip,
                user_agent,
                outcome
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn add_refusal(&mut self, refusal: &RefusalCount) -> sqlx::Result<()> {
            query!(
                "insert into refusals (kind, bucket, window_start, count, last_at) values ($1, $2, $3, $4, $5)
                 on conflict (kind, bucket, window_start)
                 do update set count = refusals.count + excluded.count,
                   last_at = case when excluded.last_at > refusals.last_at then excluded.last_at else refusals.last_at end",
                refusal.kind,
                refusal.bucket,
                refusal.window_start,
                refusal.count,
                refusal.last_at
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn recent_successes(&mut self, user_id: i64, limit: i64) -> sqlx::Result<Vec<EventRow>> {
            query_as!(
                EventRow,
                r#"select event_id as "event_id!", at, kind, ip, user_agent, outcome from security_events
             where user_id = $1 and outcome = 'success' order by event_id desc limit $2"#,
                user_id,
                limit
            )
            .fetch_all(self)
            .await
        }

        async fn recent_failures(&mut self, user_id: i64, limit: i64) -> sqlx::Result<Vec<EventRow>> {
            query_as!(
                EventRow,
                r#"select event_id as "event_id!", at, kind, ip, user_agent, outcome from security_events
             where user_id = $1 and outcome != 'success' order by event_id desc limit $2"#,
                user_id,
                limit
            )
            .fetch_all(self)
            .await
        }

        async fn events_of_account(&mut self, user_id: i64) -> sqlx::Result<Vec<EventRow>> {
            query_as!(
                EventRow,
                r#"select event_id as "event_id!", at, kind, ip, user_agent, outcome from security_events
               where user_id = $1 order by event_id desc"#,
                user_id
            )
            .fetch_all(self)
            .await
        }
    }
}
