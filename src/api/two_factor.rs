//! Two-factor on the account's security page (`/account/security`).

use leptos::prelude::*;

use crate::{error::AppError, model::TwoFactorStatus};

#[server(endpoint = "two_factor")]
pub async fn fetch_two_factor() -> Result<TwoFactorStatus, AppError> {
    let context = crate::server::http::request_context().await?;
    let signed_in = context.require_signed_in()?;
    crate::server::flows::two_factor::status(&context.state, signed_in, &context.session).await
}

/// A new secret for the authenticator app, waiting for its first code.
#[server(endpoint = "start_two_factor")]
pub async fn start_two_factor() -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    let signed_in = context.require_signed_in()?;
    crate::server::flows::two_factor::begin(&context.state, signed_in).await?;
    leptos_axum::redirect("/account/security");
    Ok(())
}

/// The app's first code: two-factor is on, and the recovery codes are shown.
#[server(endpoint = "enable_two_factor")]
pub async fn enable_two_factor(code: String) -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    let signed_in = context.require_signed_in()?;
    crate::server::flows::two_factor::enable(
        &context.state,
        signed_in,
        &context.session,
        &context.client,
        &code,
    )
    .await?;
    leptos_axum::redirect("/account/security");
    Ok(())
}

/// Turns two-factor off: the password and a current code or a recovery code.
#[server(endpoint = "disable_two_factor")]
pub async fn disable_two_factor(password: String, code: String) -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    let signed_in = context.require_signed_in()?;
    crate::server::flows::two_factor::disable(&context.state, signed_in, &context.client, &password, &code)
        .await?;
    leptos_axum::redirect("/account/security?turned_off=1");
    Ok(())
}

/// A new set of recovery codes: the password and a current code or a recovery code.
#[server(endpoint = "new_recovery_codes")]
pub async fn new_recovery_codes(password: String, code: String) -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    let signed_in = context.require_signed_in()?;
    crate::server::flows::two_factor::replace_recovery_codes(
        &context.state,
        signed_in,
        &context.session,
        &context.client,
        &password,
        &code,
    )
    .await?;
    leptos_axum::redirect("/account/security");
    Ok(())
}

/// "I have saved my recovery codes": they are not shown again.
#[server(endpoint = "recovery_codes_saved")]
pub async fn recovery_codes_saved() -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    context.require_signed_in()?;
    crate::server::flows::two_factor::new_codes_saved(&context.session).await?;
    leptos_axum::redirect("/account/security");
    Ok(())
}
