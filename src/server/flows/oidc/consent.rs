//! The consent page's side of an authorization: what it shows (the app, the user, what the app
//! will receive), and the user's answer, which goes on with the waiting request or tells the app
//! `access_denied`.

use tower_sessions::Session;

use super::{
    authorize::{authorize, forget, to_app, waiting, PendingAuthorization, Step},
    clients::{redirect_uri_registered, registered},
    issuer,
};
use crate::{
    error::AppError,
    model::ConsentView,
    server::{auth::session::SignedIn, client::Client, state::AppState},
};

/// What the consent page shows: the app, the user, what the app will receive.
pub async fn consent_view(
    state: &AppState,
    session: &Session,
    viewer: &SignedIn,
) -> Result<ConsentView, AppError> {
    let pending = waiting(session).await?;
    let client_id = pending.params.get("client_id").cloned().unwrap_or_default();
    let client = registered(state, &client_id).await?.ok_or(AppError::UnknownApp)?;
    let account = state
        .store
        .account(viewer.user_id)
        .await?
        .ok_or(AppError::NotAuthenticated)?;
    let asked = pending.params.get("scope").cloned().unwrap_or_default();
    let receives = [
        (
            "openid",
            "that you are signed in, and an identifier that stays the same for this app".to_string(),
        ),
        ("profile", format!("your username, {}", account.username)),
        ("email", format!("your email address, {}", account.email)),
        ("groups", "the names of the groups you are in".to_string()),
        (
            "offline_access",
            "access that lasts while you are away, until you withdraw it".to_string(),
        ),
    ];
    Ok(ConsentView {
        app_name: client.name,
        username: account.username,
        receives: receives
            .into_iter()
            .filter(|(scope, _)| asked.split(' ').any(|asked| asked == *scope))
            .map(|(_, sentence)| sentence)
            .collect(),
    })
}

/// The user's answer on the consent page.
pub async fn answer_consent(
    state: &AppState,
    session: &Session,
    client: &Client,
    viewer: &SignedIn,
    allow: bool,
) -> Result<Step, AppError> {
    let pending = waiting(session).await?;
    if allow {
        let pending = PendingAuthorization {
            consented: true,
            ..pending
        };
        return authorize(state, session, client, Some(viewer), pending).await;
    }
    let issuer = issuer(state)?.to_string();
    let param = |name: &str| pending.params.get(name).map(String::as_str);
    let redirect_uri = param("redirect_uri").ok_or(AppError::UnknownApp)?;
    let app = match param("client_id") {
        Some(client_id) => registered(state, client_id).await?,
        None => None,
    };
    let app = app
        .filter(|app| redirect_uri_registered(app, redirect_uri))
        .ok_or(AppError::UnknownApp)?;
    let step = to_app(
        &issuer,
        &app,
        redirect_uri,
        param("state"),
        &[
            ("error", "access_denied"),
            ("error_description", "the user did not allow this app"),
        ],
    );
    forget(session).await?;
    Ok(step)
}
