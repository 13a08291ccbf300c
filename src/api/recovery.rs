use leptos::prelude::*;

use crate::error::AppError;

/// Starts a password recovery for a username or an address and sends the browser to the code
/// page. The answer is the same whether or not an account matches.
#[server(endpoint = "recover")]
pub async fn start_recovery(identifier: String) -> Result<(), AppError> {
    use crate::{
        model::CodePurpose,
        server::{auth::session, flows::recovery},
    };
    let context = crate::server::http::request_context().await?;
    let started = recovery::start(&context.state, &context.client, &identifier).await?;
    session::await_code_hiding_address(
        &context.session,
        CodePurpose::Recovery,
        &started.flow_token,
        started.hide_address,
    )
    .await?;
    leptos_axum::redirect("/recover/verify");
    Ok(())
}

/// Whether this browser may set a new password now (its recovery code was entered lately).
#[server(endpoint = "recovery_ready")]
pub async fn recovery_ready() -> Result<bool, AppError> {
    use crate::{
        model::CodePurpose,
        server::{auth::session, flows::recovery},
    };
    let context = crate::server::http::request_context().await?;
    match session::pending_code(&context.session, CodePurpose::Recovery).await? {
        Some(pending) => recovery::may_set_password(&context.state, &pending.flow_token).await,
        None => Ok(false),
    }
}

/// The new password. Nobody is signed in by it: the browser goes to the sign-in page.
#[server(endpoint = "reset_password")]
pub async fn reset_password(password: String, password_confirm: String) -> Result<(), AppError> {
    use crate::{
        model::CodePurpose,
        server::{auth::session, flows::recovery},
    };
    let context = crate::server::http::request_context().await?;
    let pending = session::pending_code(&context.session, CodePurpose::Recovery)
        .await?
        .ok_or(AppError::NoPendingVerification)?;
    recovery::set_password(
        &context.state,
        &context.client,
        &pending.flow_token,
        &password,
        &password_confirm,
    )
    .await?;
    session::end_code(&context.session, CodePurpose::Recovery).await?;
    leptos_axum::redirect("/login?reset=1");
    Ok(())
}
