//! The apps a user allowed, as the account page lists them; withdrawing one ends its tokens.

use crate::{
    error::AppError,
    model::AllowedApp,
    server::{auth::session::SignedIn, client::Client, domain::GrantChange, state::AppState},
};

pub async fn allowed_apps(state: &AppState, signed_in: &SignedIn) -> Result<Vec<AllowedApp>, AppError> {
    let grants = state.store.oidc_grants(signed_in.user_id).await?;
    Ok(grants
        .into_iter()
        .map(|grant| AllowedApp {
            client_id: grant.client_id,
            name: grant.client_name,
            scope: grant.scope,
            allowed_at: grant.granted_at,
        })
        .collect())
}

pub async fn withdraw(
    state: &AppState,
    signed_in: &SignedIn,
    client: &Client,
    client_id: &str,
) -> Result<(), AppError> {
    if !super::clients::is_client_id(client_id) {
        return Err(AppError::NoSuchGrant);
    }
    let change = GrantChange {
        user_id: signed_in.user_id,
        client_id,
        scope: None,
        client,
        now: state.clock.now(),
    };
    match state.store.change_oidc_grant(change).await? {
        true => Ok(()),
        false => Err(AppError::NoSuchGrant),
    }
}
