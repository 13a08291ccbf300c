//! `security_events` (one row per event) and `refusals` (counted per kind, bucket and hour).

use sqlx::{PgConnection, PgPool};

use crate::server::store::{AuditEntry, EventRow, RefusalCount};

pub(super) async fn insert(conn: &mut PgConnection, entry: &AuditEntry<'_>) -> Result<(), sqlx::Error> {
    let ip = entry.client.map(|client| client.ip.to_string());
    let user_agent = entry.client.map(|client| client.user_agent.as_str());
    let (kind, outcome) = (entry.kind.as_str(), entry.outcome.as_str());
    sqlx::query!(
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
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) async fn add_refusals(
    conn: &mut PgConnection,
    refusals: &[RefusalCount],
) -> Result<(), sqlx::Error> {
    for refusal in refusals {
        sqlx::query!(
            "insert into refusals (kind, bucket, window_start, count, last_at) values ($1, $2, $3, $4, $5)
             on conflict (kind, bucket, window_start)
             do update set count = refusals.count + excluded.count, last_at = greatest(refusals.last_at, excluded.last_at)",
            refusal.kind,
            refusal.bucket,
            refusal.window_start,
            refusal.count,
            refusal.last_at
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub(super) async fn recent(pool: &PgPool, user_id: i64, limit: i64) -> Result<Vec<EventRow>, sqlx::Error> {
    let successes = sqlx::query_as!(
        EventRow,
        r#"select event_id as "event_id!", at, kind, ip, user_agent, outcome from security_events
         where user_id = $1 and outcome = 'success' order by event_id desc limit $2"#,
        user_id,
        limit
    )
    .fetch_all(pool)
    .await?;
    let others = sqlx::query_as!(
        EventRow,
        r#"select event_id as "event_id!", at, kind, ip, user_agent, outcome from security_events
         where user_id = $1 and outcome != 'success' order by event_id desc limit $2"#,
        user_id,
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(super::super::merge_newest_first(successes, others))
}

pub(super) async fn of_account(pool: &PgPool, user_id: i64) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as!(
        EventRow,
        r#"select event_id as "event_id!", at, kind, ip, user_agent, outcome from security_events
           where user_id = $1 order by event_id desc"#,
        user_id
    )
    .fetch_all(pool)
    .await
}
