//! `security_events` (one row per event) and `refusals` (counted per kind, bucket and hour).

use async_trait::async_trait;
use sqlx::SqliteConnection;

use crate::server::store::{statements::SecurityLogStatements, AuditEntry, EventRow, RefusalCount};

#[async_trait]
impl SecurityLogStatements for SqliteConnection {
    async fn insert_event(&mut self, entry: &AuditEntry<'_>) -> sqlx::Result<()> {
        let ip = entry.client.map(|client| client.ip.to_string());
        let user_agent = entry.client.map(|client| client.user_agent.as_str());
        let (kind, outcome) = (entry.kind.as_str(), entry.outcome.as_str());
        sqlx::query!(
            "insert into security_events (at, kind, user_id, actor_id, ip, user_agent, outcome)
         values (?, ?, ?, ?, ?, ?, ?)",
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
        sqlx::query!(
            "insert into refusals (kind, bucket, window_start, count, last_at) values (?, ?, ?, ?, ?)
             on conflict (kind, bucket, window_start)
             do update set count = count + excluded.count, last_at = max(last_at, excluded.last_at)",
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
        sqlx::query_as!(
            EventRow,
            r#"select event_id as "event_id!", at, kind, ip, user_agent, outcome from security_events
         where user_id = ? and outcome = 'success' order by event_id desc limit ?"#,
            user_id,
            limit
        )
        .fetch_all(self)
        .await
    }

    async fn recent_failures(&mut self, user_id: i64, limit: i64) -> sqlx::Result<Vec<EventRow>> {
        sqlx::query_as!(
            EventRow,
            r#"select event_id as "event_id!", at, kind, ip, user_agent, outcome from security_events
         where user_id = ? and outcome != 'success' order by event_id desc limit ?"#,
            user_id,
            limit
        )
        .fetch_all(self)
        .await
    }

    async fn events_of_account(&mut self, user_id: i64) -> sqlx::Result<Vec<EventRow>> {
        sqlx::query_as!(
            EventRow,
            r#"select event_id as "event_id!", at, kind, ip, user_agent, outcome from security_events
           where user_id = ? order by event_id desc"#,
            user_id
        )
        .fetch_all(self)
        .await
    }
}
