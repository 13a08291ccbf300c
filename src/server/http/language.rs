//! The language switch on every page: `POST /language`, a plain form (so it works without
//! JavaScript), remembers the choice in a cookie and, when someone is signed in, on their account.

use axum::{
    extract::{Form, State},
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Extension,
};
use serde::Deserialize;

use super::{guard::Viewer, refusal};
use crate::{
    i18n::{catalogue::LANGUAGE_COOKIE, Language},
    server::{return_url, state::AppState},
};

/// A year: the choice outlives sessions.
const COOKIE_MAX_AGE_SECS: u32 = 365 * 86_400;

#[derive(Deserialize)]
pub struct Switch {
    #[serde(default)]
    language: String,
    /// The page the switch was on, to go back to.
    #[serde(default)]
    next: String,
}

pub async fn switch_language(
    State(state): State<AppState>,
    Extension(Viewer(viewer)): Extension<Viewer>,
    Form(switch): Form<Switch>,
) -> Response {
    let Some(language) = Language::from_tag(&switch.language) else {
        return refusal::message_response(StatusCode::UNPROCESSABLE_ENTITY, "refusal-unknown-language");
    };
    if let Some(signed_in) = &viewer {
        if let Err(error) = state.store.save_language(signed_in.user_id, language).await {
            return refusal::error_response(&error.into());
        }
    }
    let secure = if state.settings.serves_https() {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{LANGUAGE_COOKIE}={}; Path=/; Max-Age={COOKIE_MAX_AGE_SECS}; SameSite=Lax; HttpOnly{secure}",
        language.code()
    );
    let next = match switch.next.as_str() {
        "" => "/",
        next => return_url::local(next),
    };
    ([(header::SET_COOKIE, cookie)], Redirect::to(next)).into_response()
}
