//! Signed-in devices: starting one, checking one on every request (ended? past its absolute
//! lifetime? idle too long?), listing and ending them, signing out. These timeouts are decided
//! here, on the injected clock; the session record only has to outlive them.

use tower_sessions::Session;

use crate::{
    error::AppError,
    model::SessionView,
    server::{
        auth::session::{self, SignedIn},
        client::{describe_device, Client},
        domain::{Device, NewDevice},
        keys::random_token,
        state::AppState,
    },
};

/// Signs `user_id` in on this browser: a new session id, and a row in the device index.
pub async fn start(
    state: &AppState,
    session: &Session,
    client: &Client,
    user_id: i64,
) -> Result<(), AppError> {
    let handle = random_token();
    let now = state.clock.now();
    state
        .store
        .start_device(NewDevice {
            handle: &handle,
            user_id,
            client,
            now,
        })
        .await?;
    session::log_in(session, user_id, &handle).await
}

/// The signed-in user of this request, if the sign-in is still valid; an ended or expired one is
/// cleared from the browser's session on the spot. Activity keeps a sign-in alive: its device is
/// marked seen, at most once per `touch_every` (a minute, or a quarter of the idle limit). An
/// admin's sign-in has the shorter idle limit.
pub async fn current(state: &AppState, session: &Session) -> Result<Option<SignedIn>, AppError> {
    let Some(mut signed_in) = session::signed_in(session).await? else {
        return Ok(None);
    };
    let now = state.clock.now();
    let settings = &state.settings;
    let lifetime = settings.session_lifetime_secs.signed();
    let device = state.store.device(&signed_in.handle).await?;
    let idle_limit = |admin: bool| {
        let idle = settings.session_idle_secs.signed();
        if admin {
            idle.min(settings.admin_idle_secs.signed())
        } else {
            idle
        }
    };
    let alive = device.filter(|device| {
        device.user_id == signed_in.user_id
            && now < device.signed_in_at + lifetime
            && now < device.last_seen_at + idle_limit(device.admin)
    });
    let Some(device) = alive else {
        state.store.end_device_by_handle(&signed_in.handle, None).await?;
        session::log_out(session).await?;
        return Ok(None);
    };
    signed_in.admin = device.admin;
    let touch_every = (idle_limit(device.admin) / 4).clamp(1, 60);
    if now - device.last_seen_at >= touch_every {
        state.store.touch_device(device.device_id, now).await?;
    }
    Ok(Some(signed_in))
}

pub async fn list(state: &AppState, signed_in: &SignedIn) -> Result<Vec<SessionView>, AppError> {
    let now = state.clock.now();
    let settings = &state.settings;
    let current = state
        .store
        .device(&signed_in.handle)
        .await?
        .map(|device| device.device_id);
    let devices = state
        .store
        .live_devices(
            signed_in.user_id,
            now - settings.session_idle_secs.signed(),
            now - settings.session_lifetime_secs.signed(),
        )
        .await?;
    Ok(devices
        .into_iter()
        .map(|device| session_view(device, current))
        .collect())
}

/// A device as the session lists show it; `current` names the one this page was loaded in.
pub(super) fn session_view(device: Device, current: Option<i64>) -> SessionView {
    SessionView {
        id: device.device_id,
        device: describe_device(&device.user_agent),
        ip: device.ip,
        signed_in_at: device.signed_in_at,
        last_seen_at: device.last_seen_at,
        current: Some(device.device_id) == current,
    }
}

/// Ends another device of the signed-in user; its browser is signed out at its next request.
pub async fn end(
    state: &AppState,
    signed_in: &SignedIn,
    client: &Client,
    device_id: i64,
) -> Result<(), AppError> {
    let now = state.clock.now();
    match state
        .store
        .end_device(signed_in.user_id, device_id, client, now)
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
        .device(&signed_in.handle)
        .await?
        .ok_or(AppError::NotAuthenticated)?;
    Ok(state
        .store
        .end_other_devices(signed_in.user_id, current.device_id, client, state.clock.now())
        .await?)
}

/// Deletes the device row and the session record, and expires the cookie.
pub async fn sign_out(state: &AppState, session: &Session, client: &Client) -> Result<(), AppError> {
    if let Some(signed_in) = session::signed_in(session).await? {
        state
            .store
            .end_device_by_handle(&signed_in.handle, Some((client, state.clock.now())))
            .await?;
    }
    session::log_out(session).await
}
