//! The signed-in account: what the dashboard and the account page show (the account, its
//! signed-in browsers, its recent activity) and the changes made there.

use leptos::prelude::*;

use crate::{
    error::AppError,
    model::{AccountSettings, AccountView, ActivityEntry, SessionView},
};

/// The signed-in user's account; 401 for anyone else.
#[server(endpoint = "account")]
pub async fn account() -> Result<AccountView, AppError> {
    let context = crate::server::http::request_context().await?;
    crate::server::flows::account::account(&context.state, context.require_signed_in()?).await
}

/// The signed-in user's live sessions, this one marked.
#[server(endpoint = "sessions")]
pub async fn fetch_sessions() -> Result<Vec<SessionView>, AppError> {
    let context = crate::server::http::request_context().await?;
    crate::server::flows::sessions::list(&context.state, context.require_signed_in()?).await
}

/// Signs another of the user's browsers out.
#[server(endpoint = "end_session")]
pub async fn end_session(id: i64) -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    crate::server::flows::sessions::end(&context.state, context.require_signed_in()?, &context.client, id)
        .await
}

/// "Sign out everywhere else."
#[server(endpoint = "end_other_sessions")]
pub async fn end_other_sessions() -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    crate::server::flows::sessions::end_others(&context.state, context.require_signed_in()?, &context.client)
        .await?;
    Ok(())
}

/// The user's own recent security events.
#[server(endpoint = "recent_activity")]
pub async fn fetch_recent_activity() -> Result<Vec<ActivityEntry>, AppError> {
    let context = crate::server::http::request_context().await?;
    crate::server::flows::account::recent_activity(&context.state, context.require_signed_in()?).await
}

/// What the account page shows: the profile, and whether the password was entered lately here.
#[server(endpoint = "account_settings")]
pub async fn fetch_account_settings() -> Result<AccountSettings, AppError> {
    let context = crate::server::http::request_context().await?;
    crate::server::flows::account::settings(&context.state, context.require_signed_in()?).await
}

/// The password, entered again before a sensitive change; then back to `next` (the account page
/// by default).
#[server(endpoint = "confirm_password")]
pub async fn confirm_password(password: String, next: Option<String>) -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    let signed_in = context.require_signed_in()?;
    let account = crate::server::flows::account::reauthenticate;
    account(
        &context.state,
        signed_in,
        &context.session,
        &context.client,
        &password,
    )
    .await?;
    let next = next
        .filter(|next| !next.is_empty())
        .unwrap_or_else(|| "/account".into());
    leptos_axum::redirect(crate::server::return_url::local(&next));
    Ok(())
}

#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    let signed_in = context.require_signed_in()?;
    crate::server::flows::account::change_password(
        &context.state,
        signed_in,
        &context.session,
        &context.client,
        &current_password,
        &password,
        &password_confirm,
    )
    .await?;
    leptos_axum::redirect("/account?password_changed=1");
    Ok(())
}

/// Sends a code to the new address; the change takes effect when it is entered.
#[server(endpoint = "change_email")]
pub async fn change_email(email: String) -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    let signed_in = context.require_signed_in()?;
    crate::server::flows::account::start_email_change(
        &context.state,
        signed_in,
        &context.session,
        &context.client,
        &email,
    )
    .await?;
    leptos_axum::redirect("/account/email/verify");
    Ok(())
}

/// Deletes the account: the password, and the username typed as confirmation.
#[server(endpoint = "delete_account")]
pub async fn delete_account(password: String, confirmation: String) -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    let signed_in = context.require_signed_in()?.clone();
    crate::server::flows::account::delete(
        &context.state,
        &signed_in,
        &context.session,
        &context.client,
        &password,
        &confirmation,
    )
    .await?;
    context.set_response_header("clear-site-data", "\"cookies\", \"storage\"");
    leptos_axum::redirect("/?deleted=1");
    Ok(())
}
