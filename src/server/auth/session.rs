//! Typed buckets over the server-side session (tower-sessions). Only flows write them.

use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::{error::AppError, i18n::Language, model::CodePurpose};

const USER_KEY: &str = "auth.user_id";
/// Names this sign-in's row in `sessions` (see `flows::sessions`).
const HANDLE_KEY: &str = "auth.handle";
const SECOND_STEP_KEY: &str = "auth.second_step";
/// Newly made recovery codes, sealed, until the user says they are saved.
const NEW_RECOVERY_CODES_KEY: &str = "two_factor.new_codes";

/// What the session says about who signed in; `flows::sessions::current` checks it is still valid.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user_id: i64,
    pub handle: String,
    /// The account's role is admin; read from the database on every request, never from the
    /// session, so a revoked role counts at once.
    pub admin: bool,
    /// The account's saved language, read like the role.
    pub language: Option<Language>,
}

/// The emailed-code flow of one purpose that this browser is in.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingCode {
    /// The flow's random token: its code only works from this browser.
    pub flow_token: String,
    /// The user asked by username: the page does not show which address the code went to.
    pub hide_address: bool,
}

/// A sign-in whose password was right, waiting for its second factor in this browser.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingSecondStep {
    pub user_id: i64,
    pub started_at: i64,
}

fn code_key(purpose: CodePurpose) -> String {
    format!("code.{}", purpose.as_str())
}

/// Signs `user_id` in. The session id is renewed first, so an id planted before sign-in
/// (session fixation) is worth nothing afterwards.
pub async fn log_in(session: &Session, user_id: i64, handle: &str) -> Result<(), AppError> {
    session.cycle_id().await?;
    for purpose in [CodePurpose::Registration, CodePurpose::Recovery] {
        session.remove::<PendingCode>(&code_key(purpose)).await?;
    }
    session.remove::<PendingSecondStep>(SECOND_STEP_KEY).await?;
    session.insert(USER_KEY, user_id).await?;
    session.insert(HANDLE_KEY, handle).await?;
    Ok(())
}

/// A new id for the same session after a privilege change (the password entered again or changed,
/// two-factor turned on): an id someone learnt before the change is worth nothing after it.
pub async fn renew(session: &Session) -> Result<(), AppError> {
    session.cycle_id().await?;
    Ok(())
}

pub async fn signed_in(session: &Session) -> Result<Option<SignedIn>, AppError> {
    let user_id = session.get::<i64>(USER_KEY).await?;
    let handle = session.get::<String>(HANDLE_KEY).await?;
    Ok(user_id.zip(handle).map(|(user_id, handle)| SignedIn {
        user_id,
        handle,
        admin: false,
        language: None,
    }))
}

/// Deletes the session record from the store and expires the cookie.
pub async fn log_out(session: &Session) -> Result<(), AppError> {
    session.flush().await?;
    Ok(())
}

/// Remembers which flow of `purpose` this browser is in: the code only works from here.
pub async fn await_code(session: &Session, purpose: CodePurpose, flow_token: &str) -> Result<(), AppError> {
    await_code_hiding_address(session, purpose, flow_token, false).await
}

pub async fn await_code_hiding_address(
    session: &Session,
    purpose: CodePurpose,
    flow_token: &str,
    hide_address: bool,
) -> Result<(), AppError> {
    let pending = PendingCode {
        flow_token: flow_token.to_string(),
        hide_address,
    };
    session.insert(&code_key(purpose), pending).await?;
    Ok(())
}

pub async fn pending_code(session: &Session, purpose: CodePurpose) -> Result<Option<PendingCode>, AppError> {
    Ok(session.get::<PendingCode>(&code_key(purpose)).await?)
}

pub async fn end_code(session: &Session, purpose: CodePurpose) -> Result<(), AppError> {
    session.remove::<PendingCode>(&code_key(purpose)).await?;
    Ok(())
}

/// The password was right: this browser (and only this one) may now give the second factor.
pub async fn await_second_step(session: &Session, user_id: i64, now: i64) -> Result<(), AppError> {
    session.cycle_id().await?;
    let pending = PendingSecondStep {
        user_id,
        started_at: now,
    };
    session.insert(SECOND_STEP_KEY, pending).await?;
    Ok(())
}

pub async fn pending_second_step(session: &Session) -> Result<Option<PendingSecondStep>, AppError> {
    Ok(session.get::<PendingSecondStep>(SECOND_STEP_KEY).await?)
}

pub async fn end_second_step(session: &Session) -> Result<(), AppError> {
    session.remove::<PendingSecondStep>(SECOND_STEP_KEY).await?;
    Ok(())
}

pub async fn show_recovery_codes(session: &Session, sealed: Vec<u8>) -> Result<(), AppError> {
    session.insert(NEW_RECOVERY_CODES_KEY, sealed).await?;
    Ok(())
}

pub async fn recovery_codes_on_display(session: &Session) -> Result<Option<Vec<u8>>, AppError> {
    Ok(session.get::<Vec<u8>>(NEW_RECOVERY_CODES_KEY).await?)
}

pub async fn forget_recovery_codes(session: &Session) -> Result<(), AppError> {
    session.remove::<Vec<u8>>(NEW_RECOVERY_CODES_KEY).await?;
    Ok(())
}
