use leptos::prelude::*;

use crate::{
    error::AppError,
    model::{AccountView, ActivityEntry, SessionView},
};

/// Signs in with a username or email and a password, then goes to `next` (a local path only).
/// `pow` carries a solved proof-of-work challenge when the previous answer asked for one.
#[server(endpoint = "login")]
pub async fn login(
    identifier: String,
    password: String,
    next: String,
    pow: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        server::flows::sign_in::{self, SignIn, SignInForm},
        validate,
    };
    let context = crate::server::http::request_context().await?;
    let proof = pow.as_deref().filter(|proof| !proof.is_empty());
    let form = SignInForm {
        identifier: &identifier,
        password: &password,
        proof,
    };
    match sign_in::sign_in(&context.state, &context.session, &context.client, form).await? {
        SignIn::Complete => leptos_axum::redirect(validate::local_redirect(&next)),
        SignIn::NeedsVerification => leptos_axum::redirect("/verify"),
    }
    Ok(())
}

/// Destroys the server-side session, clears the cookie, and tells the browser to forget what it
/// kept for this site.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    crate::server::flows::devices::sign_out(&context.state, &context.session, &context.client).await?;
    context.set_response_header("clear-site-data", "\"cookies\", \"storage\"");
    leptos_axum::redirect("/login?signed_out=1");
    Ok(())
}

/// Lifts a sign-in lock with the token of the link mailed to the account's owner.
#[server(endpoint = "unlock")]
pub async fn unlock(token: String) -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    crate::server::flows::sign_in::unlock_with_link(&context.state, &context.client, &token).await?;
    leptos_axum::redirect("/login?unlocked=1");
    Ok(())
}

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
    crate::server::flows::devices::list(&context.state, context.require_signed_in()?).await
}

/// Signs another of the user's browsers out.
#[server(endpoint = "end_session")]
pub async fn end_session(id: i64) -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    crate::server::flows::devices::end(&context.state, context.require_signed_in()?, &context.client, id)
        .await
}

/// "Sign out everywhere else."
#[server(endpoint = "end_other_sessions")]
pub async fn end_other_sessions() -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    crate::server::flows::devices::end_others(&context.state, context.require_signed_in()?, &context.client)
        .await?;
    Ok(())
}

/// The user's own recent security events.
#[server(endpoint = "recent_activity")]
pub async fn fetch_recent_activity() -> Result<Vec<ActivityEntry>, AppError> {
    let context = crate::server::http::request_context().await?;
    crate::server::flows::account::recent_activity(&context.state, context.require_signed_in()?).await
}
