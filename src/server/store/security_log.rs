//! `security_events` (one row per event) and `refusals` (counted per kind, bucket and hour).

use super::{
    statements::{AdminStatements, Statements},
    AuditEntry, Client, EventKind, EventQuery, LoggedEvent, Outcome,
};

/// Up to `limit` successes and up to `limit` others, newest first, so failures cannot push the
/// user's real sign-ins out of view.
pub(super) async fn recent(
    conn: &mut (impl AdminStatements + Send),
    user_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<LoggedEvent>> {
    let mut events = conn
        .find_events(&EventQuery::of_account(user_id, "success", limit))
        .await?;
    events.extend(
        conn.find_events(&EventQuery::of_account(user_id, "unsuccessful", limit))
            .await?,
    );
    events.sort_by_key(|event| std::cmp::Reverse(event.event_id));
    Ok(events)
}

/// Records that `kind` happened to the account, asked for from `client`.
pub(super) async fn record_success(
    conn: &mut impl Statements,
    kind: EventKind,
    user_id: Option<i64>,
    client: Option<&Client>,
    now: i64,
) -> sqlx::Result<()> {
    conn.insert_event(&AuditEntry::new(kind, Outcome::Success, user_id, client, now))
        .await
}
