//! `security_events` (one row per event) and `refusals` (counted per kind, bucket and hour).

use async_trait::async_trait;

use crate::server::domain::{AuditEntry, RefusalCount};

#[async_trait]
pub trait SecurityLogStatements {
    async fn insert_event(&mut self, entry: &AuditEntry<'_>) -> sqlx::Result<()>;
    /// Adds to the refusal's (kind, bucket, hour) row.
    async fn add_refusal(&mut self, refusal: &RefusalCount) -> sqlx::Result<()>;
}

for_both_databases! {
    impl SecurityLogStatements {
        async fn insert_event(&mut self, entry: &AuditEntry<'_>) -> sqlx::Result<()> {
            let ip = entry.client.map(|client| client.ip.to_string());
            let user_agent = entry.client.map(|client| client.user_agent.as_str());
            let (kind, outcome) = (entry.kind.as_str(), entry.outcome.as_str());
            query!(
                "insert into security_events (at, kind, user_id, actor_id, ip, user_agent, outcome, detail)
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
                entry.at,
                kind,
                entry.user_id,
                entry.actor_id,
                ip,
                user_agent,
                outcome,
                entry.detail
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
    }
}
