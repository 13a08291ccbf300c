//! Sign in, the signed-in user's account, sign out.

use tower_sessions::Session;

use crate::{
    error::AppError,
    model::AccountView,
    server::{
        auth::session,
        db::{self, users, verifications},
        state::AppState,
    },
    validate::{self, Field, FieldError, PASSWORD_MAX_BYTES},
};

pub enum SignIn {
    Complete,
    /// Right password, but the address is not verified yet: the browser is sent to verify it.
    NeedsVerification,
}

/// Every failure (unknown account, wrong password) is the same `InvalidCredentials`, after the
/// same argon2 work.
pub async fn sign_in(state: &AppState, session: &Session, identifier: &str, password: &str) -> Result<SignIn, AppError> {
    let identifier = validate::identifier(identifier)
        .map_err(|message| AppError::Validation(vec![FieldError { field: Field::Identifier, message }]))?;
    if password.is_empty() {
        return Err(AppError::Validation(vec![FieldError { field: Field::Password, message: "Enter your password.".into() }]));
    }
    if password.len() > PASSWORD_MAX_BYTES {
        return Err(AppError::InvalidCredentials);
    }
    let user = {
        let mut conn = state.db.acquire().await?;
        users::find_by_login(&mut conn, &identifier).await?
    };
    let password_ok = state
        .hasher
        .verify(validate::normalize_password(password), user.as_ref().map(|user| user.password_hash.clone()))
        .await?;
    let Some(user) = user.filter(|_| password_ok) else {
        return Err(AppError::InvalidCredentials);
    };
    let mut conn = state.db.acquire().await?;
    if user.verified_at.is_none() {
        let verification_id = verifications::find_for_user(&mut conn, user.user_id)
            .await?
            .ok_or(AppError::InvalidCredentials)?;
        session::await_verification(session, verification_id).await?;
        return Ok(SignIn::NeedsVerification);
    }
    session::log_in(session, user.user_id).await?;
    users::record_login(&mut conn, user.user_id, db::now()).await?;
    Ok(SignIn::Complete)
}

pub async fn account(state: &AppState, session: &Session) -> Result<AccountView, AppError> {
    let user_id = session::user_id(session).await?.ok_or(AppError::NotAuthenticated)?;
    let mut conn = state.db.acquire().await?;
    let Some(user) = users::find(&mut conn, user_id).await? else {
        session::log_out(session).await?;
        return Err(AppError::NotAuthenticated);
    };
    Ok(AccountView {
        username: user.username,
        email: user.email,
        created_at: user.created_at,
        previous_login_at: user.previous_login_at,
    })
}
