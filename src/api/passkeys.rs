//! Passkeys: a ceremony's two requests (begin, finish) for adding one, signing in with one alone,
//! or the second step; renaming and removing them on the security page (`/account/security`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One of the account's passkeys, as the security page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyView {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyList {
    /// False where this site cannot offer passkeys (see the README).
    pub available: bool,
    pub passkeys: Vec<PasskeyView>,
}

/// A ceremony begun: the options for `navigator.credentials` (JSON) and the token that finishes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyCeremony {
    pub token: String,
    pub options: String,
}

#[server(endpoint = "passkeys")]
pub async fn fetch_passkeys() -> Result<PasskeyList, AppError> {
    let context = crate::server::http::request_context().await?;
    let signed_in = context.require_signed_in()?;
    Ok(PasskeyList {
        available: crate::server::flows::passkeys::available(&context.state),
        passkeys: crate::server::flows::passkeys::list(&context.state, signed_in).await?,
    })
}

/// Whether the sign-in pages offer passkeys.
#[server(endpoint = "passkeys_available")]
pub async fn passkeys_available() -> Result<bool, AppError> {
    let context = crate::server::http::request_context().await?;
    Ok(crate::server::flows::passkeys::available(&context.state))
}

/// `purpose`: `register` (signed in, password entered again), `sign_in` (a passkey alone) or
/// `second_step` (after this browser's password).
#[server(endpoint = "begin_passkey")]
pub async fn begin_passkey(purpose: String) -> Result<PasskeyCeremony, AppError> {
    let context = crate::server::http::request_context().await?;
    let purpose = ceremony_purpose(&purpose)?;
    crate::server::flows::passkeys::begin(
        &context.state,
        &context.session,
        &context.client,
        context.signed_in.as_ref(),
        purpose,
    )
    .await
}

/// Finishes a ceremony with the browser's answer (`PublicKeyCredential.toJSON()`, as JSON);
/// `name` names a new passkey. Answers where the browser goes next.
#[server(endpoint = "finish_passkey")]
pub async fn finish_passkey(
    purpose: String,
    ceremony: String,
    answer: String,
    name: String,
    next: String,
) -> Result<String, AppError> {
    use crate::server::{domain::CeremonyPurpose, flows::passkeys, return_url};
    let context = crate::server::http::request_context().await?;
    let state = &context.state;
    match ceremony_purpose(&purpose)? {
        CeremonyPurpose::Register => {
            let signed_in = context.require_signed_in()?;
            passkeys::finish_registration(
                state,
                &context.session,
                signed_in,
                &context.client,
                &ceremony,
                &answer,
                &name,
            )
            .await?;
            Ok("/account/security?passkey_added=1".to_string())
        }
        purpose => {
            passkeys::finish_sign_in(
                state,
                &context.session,
                &context.client,
                purpose,
                &ceremony,
                &answer,
            )
            .await?;
            Ok(return_url::after_sign_in(&state.settings.access_rules, &next))
        }
    }
}

#[server(endpoint = "rename_passkey")]
pub async fn rename_passkey(passkey: i64, name: String) -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    let signed_in = context.require_signed_in()?;
    crate::server::flows::passkeys::change(&context.state, signed_in, &context.client, passkey, Some(&name))
        .await?;
    leptos_axum::redirect("/account/security?passkey_renamed=1");
    Ok(())
}

#[server(endpoint = "remove_passkey")]
pub async fn remove_passkey(passkey: i64) -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    let signed_in = context.require_signed_in()?;
    crate::server::flows::passkeys::change(&context.state, signed_in, &context.client, passkey, None).await?;
    leptos_axum::redirect("/account/security?passkey_removed=1");
    Ok(())
}

#[cfg(feature = "ssr")]
fn ceremony_purpose(purpose: &str) -> Result<crate::server::domain::CeremonyPurpose, AppError> {
    use crate::server::domain::CeremonyPurpose;
    [
        CeremonyPurpose::Register,
        CeremonyPurpose::SignIn,
        CeremonyPurpose::SecondStep,
    ]
    .into_iter()
    .find(|known| known.as_str() == purpose)
    .ok_or(AppError::BadRequest)
}
