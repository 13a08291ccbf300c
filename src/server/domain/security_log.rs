//! The security log: events, their outcomes, refusals counted per bucket and hour.

use crate::server::client::Client;

#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum EventKind {
    Registration,
    CodeIssued,
    CodeVerified,
    CodeFailed,
    Resend,
    SignIn,
    SignInFailed,
    Lockout,
    Unlock,
    SignOut,
    SessionRevoked,
    RecoveryRequested,
    PasswordReset,
    PasswordChanged,
    EmailChangeRequested,
    EmailChanged,
    AccountDeleted,
    /// The password was right; the second step was asked for.
    PasswordAccepted,
    SecondFactorFailed,
    TwoFactorEnabled,
    TwoFactorDisabled,
    RecoveryCodesReplaced,
    RecoveryCodeUsed,
    AccountDisabled,
    AccountEnabled,
    /// An admin (or the command line) ended all of the account's sessions.
    SessionsEnded,
    AdminGranted,
    AdminRevoked,
    TwoFactorReset,
    GroupCreated,
    /// Renamed or described anew; the event's detail says how.
    GroupChanged,
    GroupDeleted,
    GroupMemberAdded,
    GroupMemberRemoved,
    /// An app registered with the OpenID Connect provider; the detail names it.
    OidcClientAdded,
    OidcClientRemoved,
    OidcClientSecretRotated,
    OidcSigningKeyRotated,
    /// A user allowed an app (the consent page, or an app whose consent is implicit).
    OidcAppAllowed,
    OidcAppRevoked,
    OidcAccessDenied,
    /// A code or refresh token came back after its use: what it minted is revoked.
    OidcTokenReplayed,
    /// The detail names the passkey (a rename: `old → new`).
    PasskeyAdded,
    PasskeyRenamed,
    PasskeyRemoved,
    /// The detail names the invited address (an invitation's events have no account but the one
    /// it made).
    InvitationSent,
    InvitationResent,
    InvitationRevoked,
    /// An account was registered from the invitation; its account is the new one.
    InvitationUsed,
    /// The account accepted the terms; the detail names their version.
    TermsAccepted,
}

impl EventKind {
    pub const ALL: [EventKind; 50] = [
        EventKind::Registration,
        EventKind::CodeIssued,
        EventKind::CodeVerified,
        EventKind::CodeFailed,
        EventKind::Resend,
        EventKind::SignIn,
        EventKind::SignInFailed,
        EventKind::Lockout,
        EventKind::Unlock,
        EventKind::SignOut,
        EventKind::SessionRevoked,
        EventKind::RecoveryRequested,
        EventKind::PasswordReset,
        EventKind::PasswordChanged,
        EventKind::EmailChangeRequested,
        EventKind::EmailChanged,
        EventKind::AccountDeleted,
        EventKind::PasswordAccepted,
        EventKind::SecondFactorFailed,
        EventKind::TwoFactorEnabled,
        EventKind::TwoFactorDisabled,
        EventKind::RecoveryCodesReplaced,
        EventKind::RecoveryCodeUsed,
        EventKind::AccountDisabled,
        EventKind::AccountEnabled,
        EventKind::SessionsEnded,
        EventKind::AdminGranted,
        EventKind::AdminRevoked,
        EventKind::TwoFactorReset,
        EventKind::GroupCreated,
        EventKind::GroupChanged,
        EventKind::GroupDeleted,
        EventKind::GroupMemberAdded,
        EventKind::GroupMemberRemoved,
        EventKind::OidcClientAdded,
        EventKind::OidcClientRemoved,
        EventKind::OidcClientSecretRotated,
        EventKind::OidcSigningKeyRotated,
        EventKind::OidcAppAllowed,
        EventKind::OidcAppRevoked,
        EventKind::OidcAccessDenied,
        EventKind::OidcTokenReplayed,
        EventKind::PasskeyAdded,
        EventKind::PasskeyRenamed,
        EventKind::PasskeyRemoved,
        EventKind::InvitationSent,
        EventKind::InvitationResent,
        EventKind::InvitationRevoked,
        EventKind::InvitationUsed,
        EventKind::TermsAccepted,
    ];

    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Outcome {
    Success,
    Failure,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One security event: what happened to which account, who did it, from where.
#[derive(Debug, Clone, Copy)]
pub struct AuditEntry<'a> {
    pub kind: EventKind,
    pub outcome: Outcome,
    pub user_id: Option<i64>,
    /// Who acted, when not the account itself (an operator).
    pub actor_id: Option<i64>,
    pub client: Option<&'a Client>,
    pub at: i64,
    /// What the event names besides its account (a group's name).
    pub detail: Option<&'a str>,
}

impl<'a> AuditEntry<'a> {
    pub fn new(
        kind: EventKind,
        outcome: Outcome,
        user_id: Option<i64>,
        client: Option<&'a Client>,
        at: i64,
    ) -> Self {
        AuditEntry {
            kind,
            outcome,
            user_id,
            actor_id: None,
            client,
            at,
            detail: None,
        }
    }
}

/// Refusals of one kind from one bucket within one hour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusalCount {
    pub kind: &'static str,
    pub bucket: String,
    pub window_start: i64,
    pub count: i64,
    pub last_at: i64,
}
