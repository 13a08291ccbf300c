//! The emailed-code flows (registration, recovery, a change of address): the code, the flow, each step's request and verdict.

use super::{LimitCheck, Refusal};
use crate::server::{
    client::{Client, Device},
    throttle::RateLimit,
};

pub use crate::model::CodePurpose;

/// A code minted by a flow: what the database keeps (`hash`) and what the queued mail carries
/// (`nonce`, from which the server key derives the digits at sending time).
#[derive(Debug, Clone)]
pub struct MintedCode {
    pub hash: Vec<u8>,
    pub nonce: Vec<u8>,
}

#[derive(Debug)]
pub struct NewRegistration<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub flow_token: &'a str,
    pub code: &'a MintedCode,
    /// Unverified registrations holding the username since before this are freed.
    pub username_held_since: i64,
    /// The terms version accepted with it, if terms are in force.
    pub terms_version: Option<&'a str>,
    pub client: &'a Client,
    pub now: i64,
}

/// What a registration naming an address that already has an account holds instead of it: never
/// deliverable (it has a space), one per typed address, freed with it.
pub fn stand_in_address(email: &str) -> String {
    format!("(in use) {email}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationCreated {
    Started,
    UsernameTaken,
}

/// What the verify page needs to know about a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeFlow {
    pub email: String,
    pub code_sent_at: Option<i64>,
    pub code_expires_at: Option<i64>,
    pub code_failed_attempts: i64,
    pub total_failed_attempts: i64,
    pub last_requested_at: i64,
    /// Failed deliveries of the current code's mail while it is still unsent; `None` when no mail
    /// of the flow is waiting.
    pub unsent_delivery_failures: Option<i64>,
}

#[derive(Debug, Clone, Copy)]
pub struct CodeRules {
    pub max_attempts: u32,
    pub max_total_failures: u32,
}

pub struct CodeAttempt<'a> {
    pub purpose: CodePurpose,
    pub flow_token: &'a str,
    pub client_limit: LimitCheck,
    pub rules: CodeRules,
    pub private_recipient: Option<PrivateRecipient>,
    /// Compares the guess with the stored hash (constant time, with the server key).
    pub matches: &'a (dyn Fn(&[u8]) -> bool + Sync),
    /// What the notices of a right code tell (an address change mails both addresses).
    pub details: &'a NoticeDetails,
    pub client: &'a Client,
    pub now: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeVerdict {
    Verified,
    NoFlow,
    Refused(Refusal),
    /// Too many wrong codes over the whole flow: it must start again.
    FlowLocked,
    /// Refused by the code's state; each is counted against the client like a wrong code.
    NotSentYet,
    Expired,
    CodeLocked,
    Wrong {
        attempts_left: u32,
        flow_locked: bool,
    },
}

/// A flow whose recipient the browser must learn nothing about (a recovery may name its account
/// by username): its code lives from the request, so its page never waits on a mail that may go
/// nowhere, and a full cap on mail to the recipient drops the mail instead of answering 429.
/// Its wrong codes also count per recipient, over every flow and code (`failures`): once spent,
/// no guess is compared and no code is mailed until the window frees up.
#[derive(Debug, Clone, Copy)]
pub struct PrivateRecipient {
    pub code_lifetime_secs: i64,
    pub failures: RateLimit,
}

/// Mail limits every queued code counts against.
#[derive(Debug, Clone, Copy)]
pub struct MailLimits {
    pub per_address: RateLimit,
    pub per_address_daily: RateLimit,
    pub per_instance: RateLimit,
}

pub struct CodeResend<'a> {
    pub purpose: CodePurpose,
    pub flow_token: &'a str,
    pub cooldown_secs: i64,
    pub client_limit: LimitCheck,
    pub mail_limits: MailLimits,
    pub rules: CodeRules,
    pub private_recipient: Option<PrivateRecipient>,
    pub code: &'a MintedCode,
    pub client: &'a Client,
    /// The admin who asked for it from the console; None when it was the browser in the flow.
    pub actor_id: Option<i64>,
    pub now: i64,
}

pub struct StartRecovery<'a> {
    /// Canonical username or address, as typed.
    pub identifier: &'a str,
    pub flow_token: &'a str,
    pub code: &'a MintedCode,
    pub client_limit: LimitCheck,
    pub mail_limits: MailLimits,
    pub private_recipient: PrivateRecipient,
    /// Tell an address no account uses that someone asked to recover it.
    pub notify_unknown_address: bool,
    /// The admin who sent it from the console: the mail then carries a link that opens the flow
    /// in the browser where it is clicked. None when the browser in the flow asked.
    pub actor_id: Option<i64>,
    pub client: &'a Client,
    pub now: i64,
}

pub struct RecoveryAccount {
    pub user_id: i64,
    pub username: String,
    pub email: String,
    pub password_hash: String,
}

impl std::fmt::Debug for RecoveryAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecoveryAccount")
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

pub struct FinishRecovery<'a> {
    pub flow_token: &'a str,
    pub verified_after: i64,
    pub password_hash: &'a str,
    pub details: &'a NoticeDetails,
    pub client: &'a Client,
    pub now: i64,
}

pub struct PasswordChange<'a> {
    pub user_id: i64,
    /// This device stays signed in; the others end.
    pub keep_handle: &'a str,
    pub password_hash: &'a str,
    pub details: &'a NoticeDetails,
    pub client: &'a Client,
    pub now: i64,
}

pub struct StartEmailChange<'a> {
    pub user_id: i64,
    pub new_email: &'a str,
    pub flow_token: &'a str,
    pub code: &'a MintedCode,
    pub client_limit: LimitCheck,
    pub mail_limits: MailLimits,
    pub client: &'a Client,
    pub now: i64,
}

/// What a notice mail tells: when, from which device and address, and what changed. Kept (as
/// JSON) with the queued mail until it is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NoticeDetails {
    pub at: i64,
    pub device: Device,
    pub ip: String,
    /// An address change: the new address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_email: Option<String>,
    /// A deleted account's name (its row is gone by the time the mail is sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// A recovery code was used: how many are left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_codes_left: Option<i64>,
    /// A recovery an admin sent: the flow that the mail's link opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handoff_flow: Option<String>,
    /// A passkey added, renamed (`old → new`) or removed: its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passkey_name: Option<String>,
    /// An invitation: when its link stops working.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation_expires_at: Option<i64>,
    /// Mail to an address without an account: the language of whoever asked for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl NoticeDetails {
    pub fn json(&self) -> String {
        serde_json::to_string(self).expect("notice details serialise")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResendVerdict {
    Queued,
    NoFlow,
    FlowLocked,
    Refused(Refusal),
}
