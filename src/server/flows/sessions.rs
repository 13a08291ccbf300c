//! Signed-in sessions: starting one, checking one on every request (ended? past its absolute
//! lifetime? idle too long?), listing and ending them, signing out. These timeouts are decided
//! here, on the injected clock; the session record only has to outlive them.

use tower_sessions::Session;

use crate::{
    error::AppError,
    i18n::Language,
    model::SessionView,
    server::{
        auth::session::{self, SignedIn},
        client::{describe_device, Client},
        config::Settings,
        domain::SessionRow,
        state::AppState,
    },
};

/// The signed-in user of this request, if the sign-in is still valid; an ended or expired one is
/// cleared from the browser's session on the spot. Activity keeps a sign-in alive: its session is
/// marked seen, at most once a minute (`Liveness::due_for_touch`). An
/// admin's sign-in has the shorter idle limit.
pub async fn current(state: &AppState, session: &Session) -> Result<Option<SignedIn>, AppError> {
    let Some(mut signed_in) = session::signed_in(session).await? else {
        return Ok(None);
    };
    let now = state.clock.now();
    let row = state.store.session(&signed_in.handle).await?;
    let alive = row.filter(|row| {
        row.user_id == signed_in.user_id
            && Liveness::of(&state.settings, row.admin).alive(row.signed_in_at, row.last_seen_at, now)
    });
    let Some(row) = alive else {
        state.store.end_session_by_handle(&signed_in.handle, None).await?;
        session::log_out(session).await?;
        return Ok(None);
    };
    signed_in.admin = row.admin;
    signed_in.language = row.language.as_deref().and_then(Language::from_tag);
    if Liveness::of(&state.settings, row.admin).due_for_touch(row.last_seen_at, now) {
        state.store.touch_session(row.session_id, now).await?;
    }
    Ok(Some(signed_in))
}

/// How long a sign-in lives: its absolute lifetime, and its idle limit (an admin's is shorter).
pub(super) struct Liveness {
    lifetime: i64,
    idle_limit: i64,
}

impl Liveness {
    pub(super) fn of(settings: &Settings, admin: bool) -> Liveness {
        let idle = settings.session_idle_secs.signed();
        Liveness {
            lifetime: settings.session_lifetime_secs.signed(),
            idle_limit: if admin {
                idle.min(settings.admin_idle_secs.signed())
            } else {
                idle
            },
        }
    }

    pub(super) fn alive(&self, signed_in_at: i64, last_seen_at: i64, now: i64) -> bool {
        now < signed_in_at + self.lifetime && now < last_seen_at + self.idle_limit
    }

    /// Activity is written at most once per minute (or per quarter of the idle limit).
    pub(super) fn due_for_touch(&self, last_seen_at: i64, now: i64) -> bool {
        now - last_seen_at >= (self.idle_limit / 4).clamp(1, 60)
    }
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
