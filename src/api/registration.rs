use leptos::prelude::*;

use crate::{error::AppError, model::{PasswordPolicy, VerificationStatus}};

/// Creates the registration and sends the browser to `/verify`.
#[server(endpoint = "register")]
pub async fn register(
    username: String,
    email: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use crate::server::{auth::session, flows::registration};
    let (state, session) = crate::server::request_context().await?;
    let form = registration::RegistrationForm { username, email, password, password_confirm };
    let verification_id = registration::register(&state, form).await?;
    session::await_verification(&session, verification_id).await?;
    leptos_axum::redirect("/verify");
    Ok(())
}

/// The code this browser is waiting for: masked address, time left, resend cooldown.
#[server(endpoint = "verification_status")]
pub async fn fetch_verification_status() -> Result<VerificationStatus, AppError> {
    use crate::server::{auth::session, flows::registration};
    let (state, session) = crate::server::request_context().await?;
    let verification_id = session::pending_verification(&session).await?.ok_or(AppError::NoPendingVerification)?;
    registration::status(&state, verification_id).await
}

/// Checks the code; on success the account is active and the browser goes to sign in (the code
/// proves the address, not the person, so it never signs anyone in).
#[server(endpoint = "verify")]
pub async fn verify(code: String) -> Result<(), AppError> {
    use crate::server::{auth::session, flows::registration};
    let (state, session) = crate::server::request_context().await?;
    let verification_id = session::pending_verification(&session).await?.ok_or(AppError::NoPendingVerification)?;
    registration::verify(&state, verification_id, &code).await?;
    session::end_verification(&session).await?;
    leptos_axum::redirect("/login?verified=1");
    Ok(())
}

#[server(endpoint = "resend_code")]
pub async fn resend_code() -> Result<(), AppError> {
    use crate::server::{auth::session, flows::registration};
    let (state, session) = crate::server::request_context().await?;
    let verification_id = session::pending_verification(&session).await?.ok_or(AppError::NoPendingVerification)?;
    registration::resend(&state, verification_id).await
}

/// The configured password rules, so the register page can check as the user types.
#[server(endpoint = "password_policy")]
pub async fn fetch_password_policy() -> Result<PasswordPolicy, AppError> {
    let (state, _) = crate::server::request_context().await?;
    Ok(PasswordPolicy { min_length: state.settings.password_min_length })
}
