use leptos::prelude::*;

use crate::{
    error::AppError,
    model::{PasswordPolicy, VerificationStatus},
};

/// Creates the registration and sends the browser to `/verify`. `pow` carries a solved
/// proof-of-work challenge when the previous answer asked for one.
#[server(endpoint = "register")]
pub async fn register(
    username: String,
    email: String,
    password: String,
    password_confirm: String,
    pow: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{auth::session, flows::registration};
    let context = crate::server::http::request_context().await?;
    let proof = pow.filter(|proof| !proof.is_empty());
    let form = registration::RegistrationForm {
        username,
        email,
        password,
        password_confirm,
        proof,
    };
    let flow_token = registration::register(&context.state, &context.client, form).await?;
    session::await_registration(&context.session, &flow_token).await?;
    leptos_axum::redirect("/verify");
    Ok(())
}

/// The code this browser is waiting for: masked address, time left, resend cooldown.
#[server(endpoint = "verification_status")]
pub async fn fetch_verification_status() -> Result<VerificationStatus, AppError> {
    use crate::server::{auth::session, flows::email_code, store::CodePurpose};
    let context = crate::server::http::request_context().await?;
    let flow = session::pending_registration(&context.session)
        .await?
        .ok_or(AppError::NoPendingVerification)?;
    email_code::status(&context.state, CodePurpose::Registration, &flow).await
}

/// Checks the code; on success the account is active and the browser goes to sign in (the code
/// proves the address, not the person, so it never signs anyone in).
#[server(endpoint = "verify")]
pub async fn verify(code: String) -> Result<(), AppError> {
    use crate::server::{auth::session, flows::email_code, store::CodePurpose};
    let context = crate::server::http::request_context().await?;
    let flow = session::pending_registration(&context.session)
        .await?
        .ok_or(AppError::NoPendingVerification)?;
    email_code::verify(
        &context.state,
        &context.client,
        CodePurpose::Registration,
        &flow,
        &code,
    )
    .await?;
    session::end_registration(&context.session).await?;
    leptos_axum::redirect("/login?verified=1");
    Ok(())
}

#[server(endpoint = "resend_code")]
pub async fn resend_code() -> Result<(), AppError> {
    use crate::server::{auth::session, flows::email_code, store::CodePurpose};
    let context = crate::server::http::request_context().await?;
    let flow = session::pending_registration(&context.session)
        .await?
        .ok_or(AppError::NoPendingVerification)?;
    email_code::resend(&context.state, &context.client, CodePurpose::Registration, &flow).await
}

/// The configured password rules, so the register page can check as the user types.
#[server(endpoint = "password_policy")]
pub async fn fetch_password_policy() -> Result<PasswordPolicy, AppError> {
    let context = crate::server::http::request_context().await?;
    Ok(PasswordPolicy {
        min_length: context.state.settings.password_min_length,
    })
}
