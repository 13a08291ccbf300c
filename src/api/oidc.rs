//! "Sign in with Gatehouse" on the user's side: the consent page, the page that sends a browser
//! on to an app, and the apps a user allowed (the account page).

use leptos::prelude::*;

use crate::{
    error::AppError,
    model::{AllowedApp, ConsentView, ContinueView},
};

#[server(endpoint = "oidc_consent")]
pub async fn fetch_consent() -> Result<ConsentView, AppError> {
    let context = crate::server::http::request_context().await?;
    let signed_in = context.require_signed_in()?;
    crate::server::flows::oidc::consent::consent_view(&context.state, &context.session, signed_in).await
}

/// The consent page's answer: `allow` is "yes" or "no" (the button pressed).
#[server(endpoint = "answer_consent")]
pub async fn answer_consent(allow: String) -> Result<(), AppError> {
    use crate::server::{flows::oidc::consent, http::oidc::next_location};
    let context = crate::server::http::request_context().await?;
    let signed_in = context.require_signed_in()?;
    let step = consent::answer_consent(
        &context.state,
        &context.session,
        &context.client,
        signed_in,
        allow == "yes",
    )
    .await?;
    leptos_axum::redirect(&next_location(&context.session, step, true).await?);
    Ok(())
}

#[server(endpoint = "oidc_continue")]
pub async fn fetch_continue() -> Result<ContinueView, AppError> {
    let context = crate::server::http::request_context().await?;
    let finished = crate::server::flows::oidc::authorize::finished(&context.session).await?;
    Ok(ContinueView {
        app_name: finished.app_name,
        url: finished.url,
    })
}

#[server(endpoint = "allowed_apps")]
pub async fn fetch_allowed_apps() -> Result<Vec<AllowedApp>, AppError> {
    let context = crate::server::http::request_context().await?;
    let signed_in = context.require_signed_in()?;
    crate::server::flows::oidc::grants::allowed_apps(&context.state, signed_in).await
}

/// Withdraws an app's access: its tokens stop working at once.
#[server(endpoint = "withdraw_app")]
pub async fn withdraw_app(client_id: String) -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    let signed_in = context.require_signed_in()?;
    crate::server::flows::oidc::grants::withdraw(&context.state, signed_in, &context.client, &client_id)
        .await?;
    leptos_axum::redirect("/account?app_withdrawn=1");
    Ok(())
}

/// Signs out after an app asked to, without proof that it was this user's app; then on to it.
#[server(endpoint = "confirm_app_logout")]
pub async fn confirm_app_logout() -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    let next = crate::server::flows::oidc::logout::confirm(&context.state, &context.session, &context.client)
        .await?;
    context.set_response_header("clear-site-data", "\"cookies\", \"storage\"");
    leptos_axum::redirect(&next);
    Ok(())
}
