//! Signed-in sessions: starting one, checking one on every request (ended? past its absolute
//! lifetime? idle too long?), listing and ending them, signing out. These timeouts are decided
//! here, on the injected clock; the session record only has to outlive them.

use tower_sessions::Session;

use crate::{
    error::AppError,
    model::SessionView,
    server::{
        auth::session::{self, SignedIn},
        client::{describe_device, Client},
        domain::SessionRow,
        state::AppState,
    },
};

/// The signed-in user of this request, if the sign-in is still valid; an ended or expired one is
/// cleared from the browser's session on the spot. Activity keeps a sign-in alive: its session is
/// marked seen, at most once per `touch_every` (a minute, or a quarter of the idle limit). An
/// admin's sign-in has the shorter idle limit.
pub async fn current(state: &AppState, session: &Session) -> Result<Option<SignedIn>, AppError> {
    let Some(mut signed_in) = session::signed_in(session).await? else {
        return Ok(None);
    };
    let now = state.clock.now();
    let settings = &state.settings;
    let lifetime = settings.session_lifetime_secs.signed();
    let row = state.store.session(&signed_in.handle).await?;
    let idle_limit = |admin: bool| {
        let idle = settings.session_idle_secs.signed();
        if admin {
            idle.min(settings.admin_idle_secs.signed())
        } else {
            idle
        }
    };
    let alive = row.filter(|row| {
        row.user_id == signed_in.user_id
            && now < row.signed_in_at + lifetime
            && now < row.last_seen_at + idle_limit(row.admin)
    });
    let Some(row) = alive else {
        state.store.end_session_by_handle(&signed_in.handle, None).await?;
        session::log_out(session).await?;
        return Ok(None);
    };
    signed_in.admin = row.admin;
    let touch_every = (idle_limit(row.admin) / 4).clamp(1, 60);
    if now - row.last_seen_at >= touch_every {
        state.store.touch_session(row.session_id, now).await?;
    }
    Ok(Some(signed_in))
}

pub async fn list(state: &AppState, signed_in: &SignedIn) -> Result<Vec<SessionView>, AppError> {
    let now = state.clock.now();
    let settings = &state.settings;
    let current = state
        .store
        .session(&signed_in.handle)
        .await?
        .map(|row| row.session_id);
    let sessions = state
        .store
        .live_sessions(
            signed_in.user_id,
            now - settings.session_idle_secs.signed(),
            now - settings.session_lifetime_secs.signed(),
        )
        .await?;
    Ok(sessions
        .into_iter()
        .map(|row| session_view(row, current))
        .collect())
}

/// A session as the session lists show it; `current` names the one this page was loaded in.
pub(super) fn session_view(row: SessionRow, current: Option<i64>) -> SessionView {
    SessionView {
        id: row.session_id,
        device: describe_device(&row.user_agent),
        ip: row.ip,
        signed_in_at: row.signed_in_at,
        last_seen_at: row.last_seen_at,
        current: Some(row.session_id) == current,
    }
}

/// Ends another session of the signed-in user; its browser is signed out at its next request.
pub async fn end(
    state: &AppState,
    signed_in: &SignedIn,
    client: &Client,
    session_id: i64,
) -> Result<(), AppError> {
    let now = state.clock.now();
    match state
        .store
        .end_session(signed_in.user_id, session_id, client, now)
        .await?
    {
        true => Ok(()),
        false => Err(AppError::NoSuchSession),
    }
}

/// "Sign out everywhere else".
pub async fn end_others(state: &AppState, signed_in: &SignedIn, client: &Client) -> Result<u64, AppError> {
    let current = state
        .store
        .session(&signed_in.handle)
        .await?
        .ok_or(AppError::NotAuthenticated)?;
    Ok(state
        .store
        .end_other_sessions(signed_in.user_id, current.session_id, client, state.clock.now())
        .await?)
}

/// Deletes the session's row and its record, and expires the cookie.
pub async fn sign_out(state: &AppState, session: &Session, client: &Client) -> Result<(), AppError> {
    if let Some(signed_in) = session::signed_in(session).await? {
        state
            .store
            .end_session_by_handle(&signed_in.handle, Some((client, state.clock.now())))
            .await?;
    }
    session::log_out(session).await
}
