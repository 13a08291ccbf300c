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
        server::flows::account::{self, SignIn, SignInForm},
        validate,
    };
    let context = crate::server::request_context().await?;
    let proof = pow.as_deref().filter(|proof| !proof.is_empty());
    let form = SignInForm {
        identifier: &identifier,
        password: &password,
        proof,
    };
    match account::sign_in(&context.state, &context.session, &context.client, form).await? {
        SignIn::Complete => leptos_axum::redirect(validate::after_sign_in(&next)),
        SignIn::NeedsVerification => leptos_axum::redirect("/verify"),
    }
    Ok(())
}

/// Destroys the server-side session and clears the cookie.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let context = crate::server::request_context().await?;
    crate::server::flows::sessions::sign_out(&context.state, &context.session, &context.client).await?;
    leptos_axum::redirect("/login?signed_out=1");
    Ok(())
}

/// The signed-in user's account; 401 for anyone else.
#[server(endpoint = "account")]
pub async fn account() -> Result<AccountView, AppError> {
    use crate::server::flows::{account, sessions};
    let context = crate::server::request_context().await?;
    let signed_in = sessions::require(&context.state, &context.session).await?;
    account::account(&context.state, &signed_in, &context.session).await
}

/// The signed-in user's live sessions, this one marked.
#[server(endpoint = "sessions")]
pub async fn fetch_sessions() -> Result<Vec<SessionView>, AppError> {
    use crate::server::flows::sessions;
    let context = crate::server::request_context().await?;
    let signed_in = sessions::require(&context.state, &context.session).await?;
    sessions::list(&context.state, &signed_in).await
}

/// Signs another of the user's browsers out.
#[server(endpoint = "end_session")]
pub async fn end_session(id: i64) -> Result<(), AppError> {
    use crate::server::flows::sessions;
    let context = crate::server::request_context().await?;
    let signed_in = sessions::require(&context.state, &context.session).await?;
    sessions::end(&context.state, &signed_in, &context.client, id).await
}

/// "Sign out everywhere else."
#[server(endpoint = "end_other_sessions")]
pub async fn end_other_sessions() -> Result<(), AppError> {
    use crate::server::flows::sessions;
    let context = crate::server::request_context().await?;
    let signed_in = sessions::require(&context.state, &context.session).await?;
    sessions::end_others(&context.state, &signed_in, &context.client).await?;
    Ok(())
}

/// The user's own recent security events.
#[server(endpoint = "recent_activity")]
pub async fn fetch_recent_activity() -> Result<Vec<ActivityEntry>, AppError> {
    use crate::server::flows::{account, sessions};
    let context = crate::server::request_context().await?;
    let signed_in = sessions::require(&context.state, &context.session).await?;
    account::recent_activity(&context.state, &signed_in).await
}
