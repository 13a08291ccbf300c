//! Typed buckets over the server-side session (tower-sessions, stored in the database).

use tower_sessions::Session;

use crate::error::AppError;

const USER_KEY: &str = "auth.user_id";
/// Names this sign-in's row in `user_sessions` (see `flows::sessions`).
const HANDLE_KEY: &str = "auth.handle";
const VERIFICATION_KEY: &str = "registration.verification_id";

/// What the session says about who signed in; `flows::sessions::current` checks it is still valid.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user_id: i64,
    pub handle: String,
}

/// Signs `user_id` in. The session id is renewed first, so an id planted before sign-in
/// (session fixation) is worth nothing afterwards.
pub async fn log_in(session: &Session, user_id: i64, handle: &str) -> Result<(), AppError> {
    session.cycle_id().await?;
    session.remove::<i64>(VERIFICATION_KEY).await?;
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

/// Remembers which registration this browser is verifying: the code only works from here.
pub async fn await_verification(session: &Session, verification_id: i64) -> Result<(), AppError> {
    session.insert(VERIFICATION_KEY, verification_id).await?;
    Ok(())
}

pub async fn pending_verification(session: &Session) -> Result<Option<i64>, AppError> {
    Ok(session.get::<i64>(VERIFICATION_KEY).await?)
}

pub async fn end_verification(session: &Session) -> Result<(), AppError> {
    session.remove::<i64>(VERIFICATION_KEY).await?;
    Ok(())
}
