//! RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).

use std::collections::HashMap;

use serde::Deserialize;
use tower_sessions::Session;

use super::{issuer, signing, subject};
use crate::{
    error::AppError,
    server::{auth::session, client::Client, flows::sessions, state::AppState},
};

/// What an `id_token_hint` must tell: who, and for which app.
#[derive(Debug, Deserialize)]
struct Hint {
    sub: String,
    aud: String,
}

/// Signs the browser out when `id_token_hint` is one of our ID tokens for the user signed in
/// here (without one, any site could sign a user out with a link), and says where to go: the
/// app's `post_logout_redirect_uri` (with its `state`) when that app registered it, else the
/// sign-in page. An address the app did not register is an error page, never a redirect.
pub async fn end_session(
    state: &AppState,
    browser: &Session,
    client: &Client,
    signed_in: bool,
    params: &HashMap<String, String>,
) -> Result<String, AppError> {
    let param = |name: &str| {
        params
            .get(name)
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    };
    let issuer = issuer(state)?.to_string();
    let hint = match param("id_token_hint") {
        Some(token) => signing::verify_own::<Hint>(state, token, &issuer).await,
        None => None,
    };
    let client_id = hint.as_ref().map(|hint| hint.aud.as_str()).or(param("client_id"));
    let return_to = match param("post_logout_redirect_uri") {
        Some(uri) => {
            let app = match client_id {
                Some(client_id) => state.store.oidc_client(client_id).await?,
                None => None,
            };
            let registered = app.is_some_and(|app| app.post_logout_uris.iter().any(|known| known == uri));
            if !registered || hint.is_none() {
                return Err(AppError::UnknownApp);
            }
            let mut location = uri.to_string();
            if let Some(app_state) = param("state") {
                let separator = if uri.contains('?') { '&' } else { '?' };
                let encoded: String = form_urlencoded::byte_serialize(app_state.as_bytes()).collect();
                location = format!("{location}{separator}state={encoded}");
            }
            Some(location)
        }
        None => None,
    };
    if !signed_in {
        return Ok(return_to.unwrap_or_else(|| "/login?signed_out=1".to_string()));
    }
    let current = session::signed_in(browser).await?;
    let hinted_here = hint
        .as_ref()
        .zip(current.as_ref())
        .is_some_and(|(hint, current)| hint.sub == subject(state, current.user_id));
    if !hinted_here {
        // Still signed in here: the dashboard has the sign-out button.
        return Ok("/dashboard".to_string());
    }
    sessions::sign_out(state, browser, client).await?;
    Ok(return_to.unwrap_or_else(|| "/login?signed_out=1".to_string()))
}
