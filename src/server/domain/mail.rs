//! Queued mail: its kinds, a claimed mail, the notices' details, the metrics' gauges.

use super::{CodePurpose, NoticeDetails};

#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum MailKind {
    /// A 6-digit code (its digits derive from the row's nonce).
    Code,
    /// "Someone tried to register with your address": sent instead of a code.
    AlreadyRegistered,
    /// "Your account was locked", with a link (its token derives from the row's nonce).
    AccountLocked,
    /// "Someone asked to recover an account by this address, but no account uses it."
    NoAccount,
    /// Nothing to send: a decoy flow's stand-in, so that its state moves as a real one's does.
    Nothing,
    PasswordChanged,
    /// To the old and the new address of an account.
    EmailChanged,
    AccountDeleted,
    NewDevice,
    TwoFactorEnabled,
    TwoFactorDisabled,
    RecoveryCodesReplaced,
    /// A recovery code was used to sign in; the details say how many are left.
    RecoveryCodeUsed,
    /// The account's wrong reset codes reached their budget: recovery waits.
    RecoveryPaused,
    /// The details name the passkey.
    PasskeyAdded,
    PasskeyRenamed,
    PasskeyRemoved,
    /// An invitation's link (its token derives from the row's nonce); the details say until when.
    Invitation,
}

impl MailKind {
    pub const ALL: [MailKind; 18] = [
        MailKind::Code,
        MailKind::AlreadyRegistered,
        MailKind::AccountLocked,
        MailKind::NoAccount,
        MailKind::Nothing,
        MailKind::PasswordChanged,
        MailKind::EmailChanged,
        MailKind::AccountDeleted,
        MailKind::NewDevice,
        MailKind::TwoFactorEnabled,
        MailKind::TwoFactorDisabled,
        MailKind::RecoveryCodesReplaced,
        MailKind::RecoveryCodeUsed,
        MailKind::RecoveryPaused,
        MailKind::PasskeyAdded,
        MailKind::PasskeyRenamed,
        MailKind::PasskeyRemoved,
        MailKind::Invitation,
    ];

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(kind: &str) -> Option<MailKind> {
        MailKind::ALL.into_iter().find(|known| known.as_str() == kind)
    }
}

pub struct MailClaim<'a> {
    pub claim_token: &'a str,
    pub batch: i64,
    pub lease_secs: i64,
    pub max_attempts: u32,
    pub now: i64,
}

pub struct ClaimedMail {
    pub outbox_id: i64,
    pub kind: MailKind,
    pub recipient: String,
    pub secret_nonce: Option<Vec<u8>>,
    /// The account's username, for the greeting (none for notices to an address).
    pub username: Option<String>,
    /// The account's saved language (a tag); for mail to an address without an account, the
    /// requester's is in the details.
    pub language: Option<String>,
    pub purpose: Option<CodePurpose>,
    pub details: Option<NoticeDetails>,
    pub attempts: i64,
}
