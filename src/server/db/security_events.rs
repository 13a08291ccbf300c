//! `security_events`: the append-only security log (the table refuses updates and deletes).

use sqlx::SqliteConnection;

pub struct NewEvent<'a> {
    pub at: i64,
    pub kind: &'a str,
    pub user_id: Option<i64>,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub outcome: &'a str,
}

#[derive(Debug, Clone)]
pub struct SecurityEvent {
    pub at: i64,
    pub kind: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub outcome: String,
}

pub async fn insert(conn: &mut SqliteConnection, event: NewEvent<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into security_events (at, kind, user_id, ip, user_agent, outcome) values (?, ?, ?, ?, ?, ?)",
        event.at,
        event.kind,
        event.user_id,
        event.ip,
        event.user_agent,
        event.outcome
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn recent_for_user(
    conn: &mut SqliteConnection,
    user_id: i64,
    limit: i64,
) -> Result<Vec<SecurityEvent>, sqlx::Error> {
    sqlx::query_as!(
        SecurityEvent,
        "select at, kind, ip, user_agent, outcome from security_events
         where user_id = ? order by event_id desc limit ?",
        user_id,
        limit
    )
    .fetch_all(conn)
    .await
}
