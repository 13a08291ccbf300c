use leptos::prelude::*;

use crate::{
    error::AppError,
    model::{AccountSettings, AccountView, ActivityEntry, SessionView},
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
        SignIn::SecondStep => {
            let next: String =
                form_urlencoded::byte_serialize(validate::local_redirect(&next).as_bytes()).collect();
            leptos_axum::redirect(&format!("/login/verify?next={next}"));
        }
    }
    Ok(())
}

/// The second step of a sign-in with two-factor on: a code from the authenticator app or a
/// recovery code, from the browser that passed the password, within 5 minutes.
#[server(endpoint = "second_step")]
pub async fn second_step(code: String, next: String, pow: Option<String>) -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    let proof = pow.as_deref().filter(|proof| !proof.is_empty());
    let used_recovery_code = crate::server::flows::sign_in::second_step(
        &context.state,
        &context.session,
        &context.client,
        &code,
        proof,
    )
    .await?;
    match used_recovery_code {
        Some(left) => leptos_axum::redirect(&format!("/dashboard?recovery_codes_left={left}")),
        None => leptos_axum::redirect(crate::validate::local_redirect(&next)),
    }
    Ok(())
}

/// Whether this browser has a sign-in waiting for its second step.
#[server(endpoint = "second_step_pending")]
pub async fn second_step_pending() -> Result<bool, AppError> {
    let context = crate::server::http::request_context().await?;
    crate::server::flows::sign_in::second_step_pending(&context.state, &context.session).await
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
    crate::server::flows::account::confirm_password(&context.state, signed_in, &context.client, &password)
        .await?;
    let next = next
        .filter(|next| !next.is_empty())
        .unwrap_or_else(|| "/account".into());
    leptos_axum::redirect(crate::validate::local_redirect(&next));
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
