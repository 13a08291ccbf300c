//! The console's invitations (`/admin/invitations`): under `/api/admin/`, so only an admin with
//! two-factor on gets here, and each function checks again.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A pending invitation, as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminInvitation {
    pub id: i64,
    pub email: String,
    pub groups: Vec<String>,
    /// The inviting admin's username; `None`: the command line.
    pub invited_by: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminInvitationList {
    pub invitations: Vec<AdminInvitation>,
    /// Every group's name, for the form's hint.
    pub groups: Vec<String>,
    pub default_days: i64,
    /// The registration mode (`open`, `invite`, `closed`).
    pub mode: String,
    pub password_entered_recently: bool,
}

#[server(endpoint = "admin/invitations")]
pub async fn fetch_admin_invitations() -> Result<AdminInvitationList, AppError> {
    let context = crate::server::http::request_context().await?;
    let admin = context.require_admin().await?;
    crate::server::flows::admin::invitations::list(&context.state, admin).await
}

/// A change to the invitations (`action`: invite, resend, revoke); `password` when the admin's
/// last one is old.
#[server(endpoint = "admin/change_invitation")]
pub async fn change_invitation(
    action: String,
    invitation: Option<i64>,
    email: Option<String>,
    groups: Option<String>,
    days: Option<String>,
    password: Option<String>,
) -> Result<(), AppError> {
    use crate::server::flows::admin::invitations::{change, InvitationForm};
    let context = crate::server::http::request_context().await?;
    let admin = context.require_admin().await?;
    let form = InvitationForm {
        action: &action,
        invitation_id: invitation,
        email: email.as_deref().unwrap_or_default(),
        groups: groups.as_deref().unwrap_or_default(),
        days: days.as_deref().unwrap_or_default(),
        password: password.as_deref().unwrap_or_default(),
    };
    change(&context.state, admin, &context.session, &context.client, &form).await?;
    leptos_axum::redirect(&format!("/admin/invitations?done={action}"));
    Ok(())
}
