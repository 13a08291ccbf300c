//! The emailed code, for every purpose: its state, a guess, a new code. `purpose` names the flow
//! (`registration`, `recovery`, `email_change`); the browser's session says which flow it is in.

use leptos::prelude::*;

use crate::{error::AppError, model::VerificationStatus};

#[cfg(feature = "ssr")]
fn purpose_of(purpose: &str) -> Result<crate::model::CodePurpose, AppError> {
    crate::model::CodePurpose::parse(purpose).ok_or(AppError::BadRequest)
}

/// The code this browser is waiting for: masked address, time left, resend cooldown.
#[server(endpoint = "code_status")]
pub async fn fetch_code_status(purpose: String) -> Result<VerificationStatus, AppError> {
    use crate::server::{auth::session, flows::email_code};
    let purpose = purpose_of(&purpose)?;
    let context = crate::server::http::request_context().await?;
    let pending = session::pending_code(&context.session, purpose)
        .await?
        .ok_or(AppError::NoPendingVerification)?;
    email_code::status(&context.state, purpose, &pending.flow_token, pending.hide_address).await
}

/// Checks the code. What follows depends on what it proves: a new account goes to sign in (the
/// code proves the address, not the person, so it never signs anyone in), a recovery to its new
/// password, a new address back to the account page.
#[server(endpoint = "verify")]
pub async fn verify_code(purpose: String, code: String) -> Result<(), AppError> {
    use crate::{
        model::CodePurpose,
        server::{auth::session, flows::email_code},
    };
    let purpose = purpose_of(&purpose)?;
    let context = crate::server::http::request_context().await?;
    let pending = session::pending_code(&context.session, purpose)
        .await?
        .ok_or(AppError::NoPendingVerification)?;
    email_code::verify(
        &context.state,
        &context.client,
        purpose,
        &pending.flow_token,
        &code,
    )
    .await?;
    match purpose {
        CodePurpose::Registration => {
            session::end_code(&context.session, purpose).await?;
            leptos_axum::redirect("/login?verified=1");
        }
        CodePurpose::Recovery => leptos_axum::redirect("/recover/password"),
        CodePurpose::EmailChange => {
            session::end_code(&context.session, purpose).await?;
            leptos_axum::redirect("/account?email_changed=1");
        }
    }
    Ok(())
}

#[server(endpoint = "resend_code")]
pub async fn resend_code(purpose: String) -> Result<(), AppError> {
    use crate::server::{auth::session, flows::email_code};
    let purpose = purpose_of(&purpose)?;
    let context = crate::server::http::request_context().await?;
    let pending = session::pending_code(&context.session, purpose)
        .await?
        .ok_or(AppError::NoPendingVerification)?;
    email_code::resend(
        &context.state,
        &context.client,
        purpose,
        &pending.flow_token,
        None,
    )
    .await
}
