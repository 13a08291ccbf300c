//! The signed-in user's own account and recent security activity.

use crate::{
    error::AppError,
    model::{AccountView, ActivityEntry},
    server::{audit, auth::session::SignedIn, client::describe_device, state::AppState},
};

/// How many of the user's successes, and how many of their other events, "recent activity" shows.
const RECENT_EVENTS_OF_EACH: i64 = 10;

pub async fn account(state: &AppState, signed_in: &SignedIn) -> Result<AccountView, AppError> {
    let account = state
        .store
        .account(signed_in.user_id)
        .await?
        .ok_or(AppError::NotAuthenticated)?;
    Ok(AccountView {
        username: account.username,
        email: account.email,
        created_at: account.created_at,
        previous_login_at: account.previous_login_at,
    })
}

pub async fn recent_activity(state: &AppState, signed_in: &SignedIn) -> Result<Vec<ActivityEntry>, AppError> {
    let events = state
        .store
        .recent_events(signed_in.user_id, RECENT_EVENTS_OF_EACH)
        .await?;
    Ok(events
        .into_iter()
        .map(|event| ActivityEntry {
            at: event.at,
            description: audit::describe(&event.kind).to_string(),
            ip: event.ip.unwrap_or_default(),
            device: event
                .user_agent
                .as_deref()
                .map(describe_device)
                .unwrap_or_default(),
            outcome: event.outcome,
        })
        .collect())
}
