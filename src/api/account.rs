use leptos::prelude::*;

use crate::{error::AppError, model::AccountView};

/// Signs in with a username or email and a password, then goes to `next` (a local path only).
#[server(endpoint = "login")]
pub async fn login(identifier: String, password: String, next: String) -> Result<(), AppError> {
    use crate::{server::flows::account::{self, SignIn}, validate};
    let (state, session) = crate::server::request_context().await?;
    match account::sign_in(&state, &session, &identifier, &password).await? {
        SignIn::Complete => leptos_axum::redirect(validate::after_sign_in(&next)),
        SignIn::NeedsVerification => leptos_axum::redirect("/verify"),
    }
    Ok(())
}

/// Destroys the server-side session and clears the cookie.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::auth::session;
    let (_, session) = crate::server::request_context().await?;
    session::log_out(&session).await?;
    leptos_axum::redirect("/login?signed_out=1");
    Ok(())
}

/// The signed-in user's account; 401 for anyone else.
#[server(endpoint = "account")]
pub async fn account() -> Result<AccountView, AppError> {
    let (state, session) = crate::server::request_context().await?;
    crate::server::flows::account::account(&state, &session).await
}
