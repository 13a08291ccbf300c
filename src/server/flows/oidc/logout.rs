//! RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): an app signs its user out of
//! Gatehouse, and gets them back.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
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

/// Where a signed-out browser goes: the app's address, and the app's name for the continue page.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ReturnTo {
    app_name: String,
    url: String,
}

const CONFIRM_KEY: &str = "oidc.logout";
pub const CONFIRM_PAGE: &str = "/oidc/logout/confirm";
const SIGNED_OUT: &str = "/login?signed_out=1";

/// RP-initiated logout. The browser is signed out at once when `id_token_hint` is one of our ID
/// tokens for the user signed in here; otherwise (any site could send a browser here) the user is
/// asked first ([`CONFIRM_PAGE`]). It then goes to the app's `post_logout_redirect_uri` (with its
/// `state`) when that app, named by the hint or by `client_id`, registered it; an address the app
/// did not register is an error page, never a redirect.
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
                Some(client_id) => super::clients::registered(state, client_id).await?,
                None => None,
            };
            let app = app
                .filter(|app| app.post_logout_uris.iter().any(|known| known == uri))
                .ok_or(AppError::UnknownApp)?;
            let mut url = uri.to_string();
            if let Some(app_state) = param("state") {
                let separator = if uri.contains('?') { '&' } else { '?' };
                let encoded: String = form_urlencoded::byte_serialize(app_state.as_bytes()).collect();
                url = format!("{url}{separator}state={encoded}");
            }
            Some(ReturnTo {
                app_name: app.name,
                url,
            })
        }
        None => None,
    };
    let current = match signed_in {
        true => session::signed_in(browser).await?,
        false => None,
    };
    let Some(current) = current else {
        return Ok(return_to.map_or_else(|| SIGNED_OUT.to_string(), |to| to.url));
    };
    let hinted_here = hint.is_some_and(|hint| hint.sub == subject(state, current.user_id));
    if !hinted_here {
        browser.insert(CONFIRM_KEY, return_to).await?;
        return Ok(CONFIRM_PAGE.to_string());
    }
    sessions::sign_out(state, browser, client).await?;
    Ok(return_to.map_or_else(|| SIGNED_OUT.to_string(), |to| to.url))
}

/// The user confirmed: signed out, then on to the app (through the continue page, since a form
/// led here) or to the sign-in page.
pub async fn confirm(state: &AppState, browser: &Session, client: &Client) -> Result<String, AppError> {
    let return_to = browser.get::<Option<ReturnTo>>(CONFIRM_KEY).await?.flatten();
    sessions::sign_out(state, browser, client).await?;
    match return_to {
        Some(to) => Ok(
            super::authorize::finish_through_page(browser, to.app_name, to.url)
                .await?
                .to_string(),
        ),
        None => Ok(SIGNED_OUT.to_string()),
    }
}
