//! Signed-in sessions: starting one, checking one on every request (revoked? past its absolute
//! lifetime? idle too long?), listing and ending them, signing out.

use rand::Rng;
use tower_sessions::Session;

use crate::{
    error::AppError,
    model::SessionView,
    server::{
        audit::{self, Event, Outcome},
        auth::session::{self, SignedIn},
        client::{describe_device, Client},
        db::{self, user_sessions, user_sessions::NewSession},
        state::AppState,
    },
};

/// Signs `user_id` in on this browser: a new session id, and a row in the session index.
pub async fn start(
    state: &AppState,
    session: &Session,
    client: &Client,
    user_id: i64,
) -> Result<(), AppError> {
    let handle: [u8; 16] = rand::rngs::OsRng.gen();
    let handle: String = handle.iter().map(|byte| format!("{byte:02x}")).collect();
    let mut conn = state.db.acquire().await?;
    let ip = client.ip.to_string();
    let new = NewSession {
        handle: &handle,
        user_id,
        ip: &ip,
        user_agent: &client.user_agent,
        now: db::now(),
    };
    user_sessions::insert(&mut conn, new).await?;
    session::log_in(session, user_id, &handle).await
}

/// The signed-in user of this request, if the sign-in is still valid; a revoked or expired one
/// is cleared from the browser's session on the spot.
pub async fn current(state: &AppState, session: &Session) -> Result<Option<SignedIn>, AppError> {
    let Some(signed_in) = session::signed_in(session).await? else {
        return Ok(None);
    };
    let now = db::now();
    let settings = &state.settings;
    let mut conn = state.db.acquire().await?;
    let row = user_sessions::find_by_handle(&mut conn, &signed_in.handle).await?;
    let alive = row.as_ref().filter(|row| {
        row.user_id == signed_in.user_id
            && now < row.signed_in_at + settings.session_lifetime.as_secs() as i64
            && now < row.last_seen_at + settings.session_idle.as_secs() as i64
    });
    let Some(row) = alive else {
        if let Some(row) = row {
            user_sessions::delete(&mut conn, row.user_session_id).await?;
        }
        session::log_out(session).await?;
        return Ok(None);
    };
    // Often enough for the idle timeout to be exact, rarely enough not to write on every request.
    let touch_every = (settings.session_idle.as_secs() as i64 / 4).clamp(1, 60);
    if now - row.last_seen_at >= touch_every {
        user_sessions::touch(&mut conn, row.user_session_id, now).await?;
    }
    Ok(Some(signed_in))
}

pub async fn require(state: &AppState, session: &Session) -> Result<SignedIn, AppError> {
    current(state, session).await?.ok_or(AppError::NotAuthenticated)
}

pub async fn list(state: &AppState, signed_in: &SignedIn) -> Result<Vec<SessionView>, AppError> {
    let now = db::now();
    let settings = &state.settings;
    let mut conn = state.db.acquire().await?;
    let current = user_sessions::find_by_handle(&mut conn, &signed_in.handle)
        .await?
        .map(|row| row.user_session_id);
    let rows = user_sessions::list_live(
        &mut conn,
        signed_in.user_id,
        now - settings.session_idle.as_secs() as i64,
        now - settings.session_lifetime.as_secs() as i64,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| SessionView {
            id: row.user_session_id,
            device: describe_device(&row.user_agent),
            ip: row.ip,
            signed_in_at: row.signed_in_at,
            last_seen_at: row.last_seen_at,
            current: Some(row.user_session_id) == current,
        })
        .collect())
}

/// Ends another session of the signed-in user; its browser is signed out at its next request.
pub async fn end(
    state: &AppState,
    signed_in: &SignedIn,
    client: &Client,
    user_session_id: i64,
) -> Result<(), AppError> {
    let mut conn = state.db.acquire().await?;
    if !user_sessions::delete_owned(&mut conn, signed_in.user_id, user_session_id).await? {
        return Err(AppError::NoSuchSession);
    }
    audit::record(
        &mut conn,
        Event::SessionRevoked,
        Outcome::Success,
        Some(signed_in.user_id),
        Some(client),
    )
    .await?;
    Ok(())
}

/// "Sign out everywhere else".
pub async fn end_others(state: &AppState, signed_in: &SignedIn, client: &Client) -> Result<u64, AppError> {
    let mut conn = state.db.acquire().await?;
    let current = user_sessions::find_by_handle(&mut conn, &signed_in.handle)
        .await?
        .ok_or(AppError::NotAuthenticated)?;
    let ended = user_sessions::delete_others(&mut conn, signed_in.user_id, current.user_session_id).await?;
    if ended > 0 {
        audit::record(
            &mut conn,
            Event::SessionRevoked,
            Outcome::Success,
            Some(signed_in.user_id),
            Some(client),
        )
        .await?;
    }
    Ok(ended)
}

/// Deletes the session record and its index row, and expires the cookie.
pub async fn sign_out(state: &AppState, session: &Session, client: &Client) -> Result<(), AppError> {
    if let Some(signed_in) = session::signed_in(session).await? {
        let mut conn = state.db.acquire().await?;
        if let Some(row) = user_sessions::find_by_handle(&mut conn, &signed_in.handle).await? {
            user_sessions::delete(&mut conn, row.user_session_id).await?;
        }
        audit::record(
            &mut conn,
            Event::SignOut,
            Outcome::Success,
            Some(signed_in.user_id),
            Some(client),
        )
        .await?;
    }
    session::log_out(session).await
}
