//! Signing in and out: the password, the second step, the unlock link of a locked account.

use leptos::prelude::*;

use crate::error::AppError;

/// Signs in with a username or email and a password, then goes to `next`: a local path, or an
/// address on a host an access rule names (`server::return_url`).
/// `pow` carries a solved proof-of-work challenge when the previous answer asked for one.
#[server(endpoint = "login")]
pub async fn login(
    identifier: String,
    password: String,
    next: String,
    pow: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{
        flows::sign_in::{self, SignIn, SignInForm},
        return_url,
    };
    let context = crate::server::http::request_context().await?;
    let return_to = return_url::after_sign_in(&context.state.settings.access_rules, &next);
    let proof = pow.as_deref().filter(|proof| !proof.is_empty());
    let form = SignInForm {
        identifier: &identifier,
        password: &password,
        proof,
    };
    match sign_in::sign_in(&context.state, &context.session, &context.client, form).await? {
        SignIn::Complete => leptos_axum::redirect(&return_to),
        SignIn::NeedsVerification => leptos_axum::redirect("/verify"),
        SignIn::SecondStep => {
            let next: String = form_urlencoded::byte_serialize(return_to.as_bytes()).collect();
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
        None => leptos_axum::redirect(&crate::server::return_url::after_sign_in(
            &context.state.settings.access_rules,
            &next,
        )),
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
    crate::server::flows::sessions::sign_out(&context.state, &context.session, &context.client).await?;
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
