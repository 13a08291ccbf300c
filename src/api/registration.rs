//! Registering: who may (the mode, an invitation link), the form's rules, and the terms.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{error::AppError, model::PasswordPolicy};

/// What the registration page offers, by the site's settings and the link it was opened with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationPolicy {
    pub min_length: usize,
    /// `open`, `invite` or `closed`.
    pub mode: String,
    /// The terms a registration must accept, if any.
    pub terms: Option<TermsView>,
    /// The invitation the page was opened with: its address, or why the link does not work.
    pub invitation: Option<Result<InvitationView, AppError>>,
}

/// An invitation link that works, as the registration page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsView {
    pub url: String,
    pub version: String,
}

/// Creates the registration and sends the browser to `/verify`; from an invitation link
/// (`invitation`: its token) the account is verified at once and the browser goes to sign in.
/// `pow` carries a solved proof-of-work challenge when the previous answer asked for one; the
/// tick-box `accept_terms` sends "on".
#[server(endpoint = "register")]
pub async fn register(
    username: String,
    email: String,
    password: String,
    password_confirm: String,
    pow: Option<String>,
    accept_terms: Option<String>,
    invitation: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        model::CodePurpose,
        server::{
            auth::session,
            flows::{invitations, registration},
        },
    };
    let context = crate::server::http::request_context().await?;
    let form = registration::RegistrationForm {
        username,
        email,
        password,
        password_confirm,
        proof: pow.filter(|proof| !proof.is_empty()),
        accept_terms: accept_terms.is_some(),
    };
    if let Some(token) = invitation.filter(|token| !token.is_empty()) {
        invitations::register(&context.state, &context.client, &form, &token).await?;
        leptos_axum::redirect("/login?verified=1");
        return Ok(());
    }
    let flow_token = registration::register(&context.state, &context.client, form).await?;
    session::await_code(&context.session, CodePurpose::Registration, &flow_token).await?;
    leptos_axum::redirect("/verify");
    Ok(())
}

/// The configured password rules, so the forms can check as the user types.
#[server(endpoint = "password_policy")]
pub async fn fetch_password_policy() -> Result<PasswordPolicy, AppError> {
    let context = crate::server::http::request_context().await?;
    Ok(PasswordPolicy {
        min_length: context.state.settings.password_min_length,
    })
}

/// What `/register` offers; `invitation`: the token of the link it was opened with.
#[server(endpoint = "registration_policy")]
pub async fn fetch_registration_policy(invitation: Option<String>) -> Result<RegistrationPolicy, AppError> {
    use crate::server::flows::{invitations, terms};
    let context = crate::server::http::request_context().await?;
    let state = &context.state;
    let invitation = match invitation.filter(|token| !token.is_empty()) {
        Some(token) => match invitations::open(state, &token).await {
            Ok(view) => Some(Ok(view)),
            Err(AppError::InvitationInvalid) => Some(Err(AppError::InvitationInvalid)),
            Err(error) => return Err(error),
        },
        None => None,
    };
    Ok(RegistrationPolicy {
        min_length: state.settings.password_min_length,
        mode: state.settings.registration.as_str().to_string(),
        terms: terms::in_force(state),
        invitation,
    })
}

/// The terms in force, for `/terms`.
#[server(endpoint = "terms")]
pub async fn fetch_terms() -> Result<Option<TermsView>, AppError> {
    let context = crate::server::http::request_context().await?;
    context.require_signed_in()?;
    Ok(crate::server::flows::terms::in_force(&context.state))
}

/// The signed-in user accepts the terms in force, and goes on to `next` (a local path, or an app
/// behind forward-auth).
#[server(endpoint = "accept_terms")]
pub async fn accept_terms(accept_terms: Option<String>, next: Option<String>) -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    let signed_in = context.require_signed_in()?;
    if accept_terms.is_none() {
        return Err(AppError::TermsNotAccepted);
    }
    crate::server::flows::terms::accept(&context.state, signed_in, &context.client).await?;
    let next = next.unwrap_or_default();
    leptos_axum::redirect(&crate::server::return_url::after_sign_in(
        &context.state.settings.access_rules,
        &next,
    ));
    Ok(())
}
