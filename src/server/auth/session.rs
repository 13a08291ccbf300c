//! Typed buckets over the server-side session (tower-sessions). Only flows write them.

use tower_sessions::Session;

use crate::error::AppError;

const USER_KEY: &str = "auth.user_id";
/// Names this sign-in's row in `devices` (see `flows::devices`).
const HANDLE_KEY: &str = "auth.handle";
/// The random token of the registration flow this browser is verifying.
const REGISTRATION_KEY: &str = "registration.flow";

/// What the session says about who signed in; `flows::devices::current` checks it is still valid.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user_id: i64,
    pub handle: String,
}

/// Signs `user_id` in. The session id is renewed first, so an id planted before sign-in
/// (session fixation) is worth nothing afterwards.
pub async fn log_in(session: &Session, user_id: i64, handle: &str) -> Result<(), AppError> {
    session.cycle_id().await?;
    session.remove::<String>(REGISTRATION_KEY).await?;
    session.insert(USER_KEY, user_id).await?;
    session.insert(HANDLE_KEY, handle).await?;
    Ok(())
}

pub async fn signed_in(session: &Session) -> Result<Option<SignedIn>, AppError> {
    let user_id = session.get::<i64>(USER_KEY).await?;
    let handle = session.get::<String>(HANDLE_KEY).await?;
    Ok(user_id
        .zip(handle)
        .map(|(user_id, handle)| SignedIn { user_id, handle }))
}

/// Deletes the session record from the store and expires the cookie.
pub async fn log_out(session: &Session) -> Result<(), AppError> {
    session.flush().await?;
    Ok(())
}

/// Remembers which registration this browser is verifying: its code only works from here.
pub async fn await_registration(session: &Session, flow_token: &str) -> Result<(), AppError> {
    session.insert(REGISTRATION_KEY, flow_token).await?;
    Ok(())
}

pub async fn pending_registration(session: &Session) -> Result<Option<String>, AppError> {
    Ok(session.get::<String>(REGISTRATION_KEY).await?)
}

pub async fn end_registration(session: &Session) -> Result<(), AppError> {
    session.remove::<String>(REGISTRATION_KEY).await?;
    Ok(())
}
