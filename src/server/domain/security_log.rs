//! The security log: events, their outcomes, refusals counted per bucket and hour.

use crate::server::client::Client;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
        match self {
            EventKind::Registration => "registration",
            EventKind::CodeIssued => "code_issued",
            EventKind::CodeVerified => "code_verified",
            EventKind::CodeFailed => "code_failed",
            EventKind::Resend => "resend",
            EventKind::SignIn => "sign_in",
            EventKind::SignInFailed => "sign_in_failed",
            EventKind::Lockout => "lockout",
            EventKind::Unlock => "unlock",
            EventKind::SignOut => "sign_out",
            EventKind::SessionRevoked => "session_revoked",
            EventKind::RecoveryRequested => "recovery_requested",
            EventKind::PasswordReset => "password_reset",
            EventKind::PasswordChanged => "password_changed",
            EventKind::EmailChangeRequested => "email_change_requested",
            EventKind::EmailChanged => "email_changed",
            EventKind::AccountDeleted => "account_deleted",
            EventKind::PasswordAccepted => "password_accepted",
            EventKind::SecondFactorFailed => "second_factor_failed",
            EventKind::TwoFactorEnabled => "two_factor_enabled",
            EventKind::TwoFactorDisabled => "two_factor_disabled",
            EventKind::RecoveryCodesReplaced => "recovery_codes_replaced",
            EventKind::RecoveryCodeUsed => "recovery_code_used",
            EventKind::AccountDisabled => "account_disabled",
            EventKind::AccountEnabled => "account_enabled",
            EventKind::SessionsEnded => "sessions_ended",
            EventKind::AdminGranted => "admin_granted",
            EventKind::AdminRevoked => "admin_revoked",
            EventKind::TwoFactorReset => "two_factor_reset",
            EventKind::GroupCreated => "group_created",
            EventKind::GroupChanged => "group_changed",
            EventKind::GroupDeleted => "group_deleted",
            EventKind::GroupMemberAdded => "group_member_added",
            EventKind::GroupMemberRemoved => "group_member_removed",
            EventKind::OidcClientAdded => "oidc_client_added",
            EventKind::OidcClientRemoved => "oidc_client_removed",
            EventKind::OidcClientSecretRotated => "oidc_client_secret_rotated",
            EventKind::OidcSigningKeyRotated => "oidc_signing_key_rotated",
            EventKind::OidcAppAllowed => "oidc_app_allowed",
            EventKind::OidcAppRevoked => "oidc_app_revoked",
            EventKind::OidcAccessDenied => "oidc_access_denied",
            EventKind::OidcTokenReplayed => "oidc_token_replayed",
            EventKind::PasskeyAdded => "passkey_added",
            EventKind::PasskeyRenamed => "passkey_renamed",
            EventKind::PasskeyRemoved => "passkey_removed",
            EventKind::InvitationSent => "invitation_sent",
            EventKind::InvitationResent => "invitation_resent",
            EventKind::InvitationRevoked => "invitation_revoked",
            EventKind::InvitationUsed => "invitation_used",
            EventKind::TermsAccepted => "terms_accepted",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
        }
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
