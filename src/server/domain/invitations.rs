//! Invitations: an admin's (or the command line's) offer of an account to one address, used once
//! from the link mailed there.

use crate::server::client::Client;

/// A pending invitation as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRow {
    pub invitation_id: i64,
    pub email: String,
    pub groups: Vec<String>,
    /// The inviting admin's username; `None`: the command line (or a deleted admin).
    pub invited_by: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
}

/// Who changes an invitation: an admin (and from where), or the command line (neither).
#[derive(Debug, Clone, Copy)]
pub struct InvitationActor<'a> {
    pub actor_id: Option<i64>,
    pub client: Option<&'a Client>,
    pub now: i64,
}

/// A link's secret: its token derives from `nonce` (the mail carries the nonce), the row keeps
/// `token_hash`.
#[derive(Debug, Clone, Copy)]
pub struct InvitationLink<'a> {
    pub nonce: &'a [u8],
    pub token_hash: &'a [u8],
}

pub struct NewInvitation<'a> {
    /// Canonical, and allowed by the address rules.
    pub email: &'a str,
    /// Valid group names.
    pub groups: &'a [String],
    pub link: InvitationLink<'a>,
    pub expires_at: i64,
    pub by: InvitationActor<'a>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvitationRefusal {
    /// The address has an account already.
    AddressInUse,
    NoSuchGroup(String),
    /// Resending or revoking an invitation that is no longer pending.
    NotPending,
}

/// Resend (a new link in a new mail; the old link stops working) or revoke a pending invitation.
#[derive(Debug, Clone, Copy)]
pub enum InvitationChange<'a> {
    Resend {
        invitation_id: i64,
        link: InvitationLink<'a>,
        /// A resent invitation lasts as long again from now.
        expires_at: i64,
    },
    Revoke {
        invitation_id: i64,
    },
}

/// A registration from an invitation link: the address is the invitation's.
pub struct InvitedRegistration<'a> {
    pub token_hash: &'a [u8],
    pub username: &'a str,
    pub password_hash: &'a str,
    /// The terms version accepted with it, if terms are in force.
    pub terms_version: Option<&'a str>,
    /// Unverified registrations holding the username since before this are freed.
    pub username_held_since: i64,
    pub client: &'a Client,
    pub now: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvitedRegistrationOutcome {
    /// The new, verified account.
    Created(i64),
    /// Used, revoked, expired or unknown: all alike.
    InvalidInvitation,
    UsernameTaken,
    /// An account took the address after the invitation was sent.
    AddressInUse,
}
