//! The terms (`GATEHOUSE_TERMS_URL`, `GATEHOUSE_TERMS_VERSION`): accepted at registration, and
//! again by a signed-in user whose accepted version is not the one in force, before the dashboard
//! or any app behind forward-auth (the request guard and `/auth/verify` ask [`must_accept`]).

use crate::{
    api::registration::TermsView,
    error::AppError,
    server::{auth::session::SignedIn, client::Client, registration_policy, state::AppState},
};

/// The terms in force, for the registration and terms pages.
pub fn in_force(state: &AppState) -> Option<TermsView> {
    registration_policy::terms(&state.settings).map(|terms| TermsView {
        url: terms.url.to_string(),
        version: terms.version.to_string(),
    })
}

pub async fn must_accept(state: &AppState, user_id: i64) -> Result<bool, AppError> {
    if registration_policy::terms(&state.settings).is_none() {
        return Ok(false);
    }
    let accepted = state
        .store
        .account(user_id)
        .await?
        .and_then(|account| account.terms_version);
    Ok(registration_policy::must_accept_terms(
        &state.settings,
        accepted.as_deref(),
    ))
}

pub async fn accept(state: &AppState, signed_in: &SignedIn, client: &Client) -> Result<(), AppError> {
    let Some(terms) = registration_policy::terms(&state.settings) else {
        return Ok(());
    };
    let now = state.clock.now();
    Ok(state
        .store
        .accept_terms(signed_in.user_id, terms.version, client, now)
        .await?)
}
