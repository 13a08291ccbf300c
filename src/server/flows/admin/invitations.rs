//! The console's invitations: the pending ones, inviting an address, sending an invitation again
//! and revoking it. Like every console action, each needs the admin's recent password and is
//! recorded with the admin as its actor.

use tower_sessions::Session;

use super::{password_entered_recently, require_recent_password};
use crate::{
    api::invitations::{AdminInvitation, AdminInvitationList},
    error::AppError,
    server::{
        auth::session::SignedIn,
        client::Client,
        domain::InvitationActor,
        flows::invitations::{self, InvitationRequest, DEFAULT_DAYS},
        state::AppState,
    },
};

pub async fn list(state: &AppState, admin: &SignedIn) -> Result<AdminInvitationList, AppError> {
    let groups = state.store.groups().await?;
    Ok(AdminInvitationList {
        invitations: invitations::pending(state)
            .await?
            .into_iter()
            .map(|row| AdminInvitation {
                id: row.invitation_id,
                email: row.email,
                groups: row.groups,
                invited_by: row.invited_by,
                created_at: row.created_at,
                expires_at: row.expires_at,
            })
            .collect(),
        groups: groups.into_iter().map(|group| group.name).collect(),
        default_days: DEFAULT_DAYS,
        mode: state.settings.registration.as_str().to_string(),
        password_entered_recently: password_entered_recently(state, admin).await?,
    })
}

/// A change as the console's forms send it: `action` is `invite`, `resend` or `revoke`.
pub struct InvitationForm<'a> {
    pub action: &'a str,
    pub invitation_id: Option<i64>,
    pub email: &'a str,
    pub groups: &'a str,
    pub days: &'a str,
    pub password: &'a str,
}

/// The invited address.
pub async fn change(
    state: &AppState,
    admin: &SignedIn,
    session: &Session,
    client: &Client,
    form: &InvitationForm<'_>,
) -> Result<String, AppError> {
    require_recent_password(state, admin, session, client, form.password).await?;
    let by = InvitationActor {
        actor_id: Some(admin.user_id),
        client: Some(client),
        now: state.clock.now(),
    };
    match (form.action, form.invitation_id) {
        ("invite", _) => {
            let request = InvitationRequest {
                email: form.email,
                groups: form.groups,
                days: form.days,
            };
            Ok(invitations::invite(state, &request, by).await?.email)
        }
        ("resend", Some(id)) => invitations::resend(state, id, by).await,
        ("revoke", Some(id)) => invitations::revoke(state, id, by).await,
        _ => Err(AppError::BadRequest),
    }
}
