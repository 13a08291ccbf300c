//! The store boundary: every read and write the flows need, as domain operations ("take these
//! limits", "create a pending registration", "reserve a sign-in attempt", "claim due mail").
//! Nothing outside this module sees a connection, a transaction or SQL.
//!
//! Two implementations, one per database: [`sqlite`] (the default, embedded) and [`postgres`]
//! (several instances on one server). Each operation is one transaction and atomic on both:
//! SQLite takes its write lock up front (`BEGIN IMMEDIATE`); PostgreSQL, under its default READ
//! COMMITTED, locks what it reads before deciding (`SELECT … FOR UPDATE` on rows,
//! `pg_advisory_xact_lock` on counted keys such as a client's bucket), and unique constraints
//! stand behind both. So parallel requests, and requests spread over instances, meet exactly the
//! limits sequential ones meet.

use std::sync::Arc;

use async_trait::async_trait;

use super::{client::Client, config::DatabaseUrl, pow_challenge::CheckedProof, throttle::RateLimit};

#[cfg(not(feature = "only-postgres-queries"))]
pub mod sqlite;

#[cfg(not(feature = "only-sqlite-queries"))]
pub mod postgres;

mod accounts;
mod admin;
mod devices;
mod email_codes;
mod housekeeping;
mod limits;
mod outbox;
mod security_log;
mod sessions;
mod sign_ins;
mod sql;
mod two_factor;

pub use sessions::SessionRecords;
use sql::SqlStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("database: {0}")]
    Io(#[from] std::io::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Opens (creating and migrating) the database the URL names, and the session records beside it.
pub async fn open(url: &DatabaseUrl) -> StoreResult<(Arc<dyn Store>, SessionRecords)> {
    #[cfg(not(feature = "only-sqlite-queries"))]
    if url.is_postgres() {
        let backend = postgres::PostgresBackend::connect(&url.0).await?;
        let sessions = SessionRecords::postgres(backend.pool().clone()).await?;
        return Ok((Arc::new(SqlStore::new(backend)), sessions));
    }
    #[cfg(not(feature = "only-postgres-queries"))]
    {
        let backend = sqlite::SqliteBackend::connect(&url.0).await?;
        let sessions = SessionRecords::sqlite(backend.session_pool().clone()).await?;
        Ok((Arc::new(SqlStore::new(backend)), sessions))
    }
    #[cfg(feature = "only-postgres-queries")]
    unreachable!("built to prepare PostgreSQL queries only: {url:?}")
}

/// Every operation the server performs on its data.
#[async_trait]
pub trait Store: Send + Sync {
    // ---- limits ----

    /// Checks every limit in `request` and, when all have room (and the proof of work, if one is
    /// due, is redeemed), counts one hit in each. All or nothing.
    async fn take_limits(&self, request: LimitRequest<'_>) -> StoreResult<Result<(), Refusal>>;

    // ---- registration and emailed codes ----

    /// Frees what unverified registrations hold (the same address at once, the same username after
    /// its hold), then creates the unverified account (or, when the address already has an
    /// account, a decoy flow), its code flow and the queued mail.
    async fn create_registration(&self, new: NewRegistration<'_>) -> StoreResult<RegistrationCreated>;

    /// The flow `flow_token` names, if it is still open.
    async fn code_flow(&self, purpose: CodePurpose, flow_token: &str) -> StoreResult<Option<CodeFlow>>;

    /// Evaluates one guess: limits first, then the code's state, then the comparison; a wrong or
    /// refused guess is counted in the same transaction, a right one finishes the flow.
    async fn attempt_code(&self, attempt: CodeAttempt<'_>) -> StoreResult<CodeVerdict>;

    /// Mints a new code for the flow and queues its mail, after the cooldown and the limits.
    async fn resend_code(&self, resend: CodeResend<'_>) -> StoreResult<ResendVerdict>;

    /// The open registration flow of an unverified account (sign-in sends its browser there).
    async fn registration_flow_of(&self, user_id: i64) -> StoreResult<Option<String>>;

    // ---- password recovery ----

    /// After the limits, a recovery flow for whatever the identifier names: the account's code, or
    /// (no account) a decoy flow whose mail tells an unknown address so, or is nothing at all.
    async fn start_recovery(&self, start: StartRecovery<'_>) -> StoreResult<Result<(), Refusal>>;

    /// The account of a recovery flow whose code was entered after `verified_after`, still unused.
    async fn verified_recovery(
        &self,
        flow_token: &str,
        verified_after: i64,
    ) -> StoreResult<Option<RecoveryAccount>>;

    /// Sets the new password (once per flow): every session ends, the lock and the delays are
    /// lifted, the owner is told by mail. False if the flow was used or went stale meanwhile.
    async fn finish_recovery(&self, finish: FinishRecovery<'_>) -> StoreResult<bool>;

    // ---- the account page ----

    /// A new password: other sessions end, the owner is told by mail.
    async fn change_password(&self, change: PasswordChange<'_>) -> StoreResult<()>;

    /// After the limits (both addresses'), a flow whose code goes to the new address; a decoy when
    /// another account uses that address.
    async fn start_email_change(&self, start: StartEmailChange<'_>) -> StoreResult<Result<(), Refusal>>;

    /// Deletes the account and everything of it; its security events stay, without the address and
    /// browser they came from; a last mail confirms.
    async fn delete_account(&self, user_id: i64, details: &NoticeDetails, now: i64) -> StoreResult<()>;

    /// Every security event of the account (for "download my data").
    async fn account_events(&self, user_id: i64) -> StoreResult<Vec<EventRow>>;

    // ---- sign-in ----

    /// Counts the attempt against the client, the identifier and the account before the password
    /// is checked (refusing it when a limit, delay or proof of work says so).
    async fn reserve_sign_in(&self, request: SignInRequest<'_>) -> StoreResult<SignInGate>;

    /// Settles a reserved attempt once the password was checked (or could not be).
    async fn settle_sign_in(&self, settlement: SignInSettlement<'_>) -> StoreResult<SignInSettled>;

    /// Lifts a lock with the token of the link mailed to the owner; false if no live link matches.
    async fn unlock_with_link(&self, token_hash: &[u8], now: i64, client: &Client) -> StoreResult<bool>;

    // ---- two-factor ----

    /// The account's authenticator-app factor (enabled or waiting for its first code), if any.
    async fn two_factor(&self, user_id: i64) -> StoreResult<Option<TwoFactorRow>>;

    /// Keeps a new sealed secret waiting for its first code (replacing one that waits); false
    /// when two-factor is already on.
    async fn begin_two_factor(&self, user_id: i64, sealed_secret: &[u8], now: i64) -> StoreResult<bool>;

    /// Turns the waiting factor on with its first code's step and a set of recovery codes; false
    /// if nothing was waiting (or it was turned on meanwhile).
    async fn enable_two_factor(&self, enable: EnableTwoFactor<'_>) -> StoreResult<bool>;

    /// Turns two-factor off: the secret and the recovery codes are deleted; false if it was off.
    async fn disable_two_factor(&self, change: TwoFactorChange<'_>) -> StoreResult<bool>;

    /// A new set of recovery codes; the old set stops working. False if two-factor is off.
    async fn replace_recovery_codes(
        &self,
        change: TwoFactorChange<'_>,
        hashes: &[Vec<u8>],
    ) -> StoreResult<bool>;

    // ---- signed-in devices ----

    async fn start_device(&self, device: NewDevice<'_>) -> StoreResult<()>;
    async fn device(&self, handle: &str) -> StoreResult<Option<Device>>;
    async fn touch_device(&self, device_id: i64, now: i64) -> StoreResult<()>;
    /// The account's devices still alive: seen after `seen_after`, signed in after `signed_in_after`.
    async fn live_devices(
        &self,
        user_id: i64,
        seen_after: i64,
        signed_in_after: i64,
    ) -> StoreResult<Vec<Device>>;
    /// Ends one of `user_id`'s devices; false when it has no such device.
    async fn end_device(&self, user_id: i64, device_id: i64, client: &Client, now: i64) -> StoreResult<bool>;
    async fn end_other_devices(&self, user_id: i64, keep: i64, client: &Client, now: i64)
        -> StoreResult<u64>;
    /// Ends the device a session names (signing out, or a dead session found on a request).
    async fn end_device_by_handle(&self, handle: &str, sign_out: Option<(&Client, i64)>) -> StoreResult<()>;

    // ---- accounts ----

    async fn account(&self, user_id: i64) -> StoreResult<Option<AccountRow>>;

    // ---- the admin console ----

    /// The account a username or an address names (any state), for the command line.
    async fn user_id_of(&self, identifier: &str) -> StoreResult<Option<i64>>;
    /// Counts for the console's overview; "today" is everything at or after `since`.
    async fn admin_counts(&self, since: i64) -> StoreResult<AdminCounts>;
    /// Per UTC day since `since`: registrations, verified codes, wrong codes, sign-ins and refused
    /// requests (kind "refused"), for the overview's chart.
    async fn daily_activity(&self, since: i64) -> StoreResult<Vec<DailyCount>>;
    /// One page of the user list, ordered by username, after `query.after`.
    async fn find_users(&self, query: &UserQuery) -> StoreResult<Vec<UserSummary>>;
    async fn user_summary(&self, user_id: i64) -> StoreResult<Option<UserSummary>>;
    /// An action on an account with its security event (naming the acting admin) in one
    /// transaction; false when it changed nothing (no such account, or already so).
    async fn act_on_account(&self, action: AccountAction<'_>) -> StoreResult<bool>;
    /// One page of the emailed-code log, newest first, before `query.before`.
    async fn find_codes(&self, query: &CodeQuery) -> StoreResult<Vec<LoggedCode>>;
    /// One page of the security log, newest first, before `query.before`.
    async fn find_events(&self, query: &EventQuery) -> StoreResult<Vec<LoggedEvent>>;

    // ---- the outbox ----

    /// Claims up to `batch` due mails for `lease_secs`; another instance may claim a mail again
    /// only once its lease has run out.
    async fn claim_due_mail(&self, claim: MailClaim<'_>) -> StoreResult<Vec<ClaimedMail>>;
    async fn mail_delivered(
        &self,
        outbox_id: i64,
        claim_token: &str,
        now: i64,
        code_ttl_secs: i64,
    ) -> StoreResult<()>;
    async fn mail_failed(
        &self,
        outbox_id: i64,
        claim_token: &str,
        retry_at: i64,
        error: &str,
    ) -> StoreResult<()>;
    /// When the next unsent mail is due (or its lease runs out), for the worker's sleep.
    async fn next_mail_due_at(&self, max_attempts: u32) -> StoreResult<Option<i64>>;
    /// When the oldest mail still to be sent was queued (readiness: is the outbox stuck?).
    async fn oldest_unsent_mail_at(&self, max_attempts: u32) -> StoreResult<Option<i64>>;
    /// What the metrics' gauges show: the outbox's backlog and the sessions in use.
    async fn gauges(&self, query: GaugeQuery) -> StoreResult<Gauges>;

    // ---- the security log ----

    async fn record_event(&self, entry: AuditEntry<'_>) -> StoreResult<()>;
    /// Adds counted refusals to their (kind, bucket, hour) rows.
    async fn record_refusals(&self, refusals: &[RefusalCount]) -> StoreResult<()>;
    /// The account's own recent events: up to `limit` successes and up to `limit` others, newest
    /// first, so failures cannot push the user's real sign-ins out of view.
    async fn recent_events(&self, user_id: i64, limit: i64) -> StoreResult<Vec<EventRow>>;

    // ---- housekeeping ----

    /// Deletes what has outlived its use (see [`SweepPolicy`]).
    async fn sweep(&self, policy: &SweepPolicy) -> StoreResult<SweepReport>;
    async fn ping(&self) -> StoreResult<()>;
    async fn close(&self);
}

// ---- limits ----

/// One bucket and the limit it must stay under.
#[derive(Debug, Clone)]
pub struct LimitCheck {
    pub bucket: String,
    pub limit: RateLimit,
}

#[derive(Debug, Clone)]
pub struct LimitRequest<'a> {
    pub now: i64,
    pub checks: &'a [LimitCheck],
    /// A proof of work is due once `bucket` holds `after` hits within `window_secs`.
    pub proof_gate: Option<ProofGate<'a>>,
}

#[derive(Debug, Clone)]
pub struct ProofGate<'a> {
    pub bucket: &'a str,
    pub after: u32,
    pub window_secs: i64,
    pub proof: Option<&'a CheckedProof>,
}

/// Why a request was not let through, with the bucket that refused it (refusals are counted per
/// bucket, see [`RefusalCount`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    RateLimited { bucket: String, retry_after_secs: u64 },
    ProofOfWorkRequired { bucket: String, retry_after_secs: u64 },
}

impl Refusal {
    pub fn bucket(&self) -> &str {
        match self {
            Refusal::RateLimited { bucket, .. } | Refusal::ProofOfWorkRequired { bucket, .. } => bucket,
        }
    }
}

// ---- emailed codes ----

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
    pub client: &'a Client,
    pub now: i64,
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
    pub device: String,
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

// ---- sign-in ----

#[derive(Debug, Clone, Copy)]
pub struct SignInRules {
    pub client_failures: RateLimit,
    pub delay_after: u32,
    pub max_delay_secs: i64,
    pub lock_after: u32,
    pub pow_after_identifier_failures: u32,
    pub pow_after_client_failures: u32,
    pub pow_window_secs: i64,
}

/// Which step of a sign-in an attempt is.
#[derive(Debug, Clone, Copy)]
pub enum SignInStep<'a> {
    /// The password, for a canonical (NFKC, lower-case) username or address, as typed.
    Password { identifier: &'a str },
    /// The second factor of an account whose password was right.
    SecondFactor { user_id: i64 },
}

impl SignInStep<'_> {
    /// The key its consecutive failures are counted under in `sign_in_throttle`, with the client
    /// key: the identifier as typed and the client for a password; the account alone for a second
    /// factor (whoever knows the password, from wherever, meets the same delay).
    pub fn throttle_key(&self, client_key: &str) -> (String, String) {
        match self {
            SignInStep::Password { identifier } => (identifier.to_string(), client_key.to_string()),
            SignInStep::SecondFactor { user_id } => (format!("second factor of {user_id}"), "*".to_string()),
        }
    }
}

pub struct SignInRequest<'a> {
    pub step: SignInStep<'a>,
    pub client: &'a Client,
    pub rules: &'a SignInRules,
    pub proof: Option<&'a CheckedProof>,
    pub now: i64,
}

#[derive(Debug)]
pub enum SignInGate {
    Reserved(SignInReservation),
    Refused(Refusal),
}

/// An attempt counted up front: a failure unless settled as a success.
#[derive(Debug)]
pub struct SignInReservation {
    pub hit_id: i64,
    pub second_factor: bool,
    /// The key of the sign-in delay (see [`SignInStep::throttle_key`]).
    pub identifier: String,
    pub client_key: String,
    /// The account the identifier names, if any.
    pub account: Option<SignInAccount>,
    /// When no account took the attempt (none matches, or it is locked): the stand-in row that
    /// took it instead (see [`decoy_slot`]).
    pub decoy_slot: Option<i64>,
}

/// The row of `sign_in_decoys` an identifier's failures go to when no account takes them: an
/// unknown name gets the same statements a real account's row gets, so its answer costs the same
/// database work. FNV-1a, so every instance picks the same slot.
pub fn decoy_slot(identifier: &str) -> i64 {
    let hash = identifier.bytes().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    i64::try_from(hash % 64).expect("below 64")
}

pub struct SignInAccount {
    pub user_id: i64,
    pub password_hash: String,
    pub verified: bool,
    /// Locked (or at the cap): the password is not evaluated, a dummy hash is checked instead so
    /// the answer takes the same time, and the attempt is not counted against the account.
    pub locked: bool,
    /// Two-factor is on: a right password leads to the second step, not in.
    pub two_factor: Option<EnrolledFactor>,
}

/// The account as a sign-in attempt reads it (one shape for both databases and both steps).
pub struct SignInRow {
    pub user_id: i64,
    pub password_hash: String,
    pub verified_at: Option<i64>,
    pub failed_sign_ins: i64,
    pub locked_at: Option<i64>,
    pub disabled_at: Option<i64>,
    /// Set when two-factor is on.
    pub sealed_secret: Option<Vec<u8>>,
    pub last_used_step: Option<i64>,
}

impl SignInRow {
    pub fn into_account(self, lock_after: u32) -> SignInAccount {
        SignInAccount {
            user_id: self.user_id,
            password_hash: self.password_hash,
            verified: self.verified_at.is_some(),
            // At the cap, only the attempts already reserved are still evaluated. A disabled
            // account is refused exactly as a locked one.
            locked: self.locked_at.is_some()
                || self.disabled_at.is_some()
                || self.failed_sign_ins >= i64::from(lock_after),
            two_factor: self.sealed_secret.map(|sealed_secret| EnrolledFactor {
                sealed_secret,
                last_used_step: self.last_used_step,
            }),
        }
    }
}

pub struct EnrolledFactor {
    pub sealed_secret: Vec<u8>,
    pub last_used_step: Option<i64>,
}

impl std::fmt::Debug for SignInAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInAccount")
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

pub enum SignInOutcome {
    /// The password was wrong (or there was nothing to check it against).
    Failed { lock: LockNotice },
    /// The password was right; `rehashed` replaces the stored hash (its parameters were weaker).
    Succeeded { rehashed: Option<String> },
    /// No hashing slot was free: the attempt was not evaluated and is taken back from the account.
    NotEvaluated,
    /// The second factor matched; the store accepts it only if it was not used meanwhile (a
    /// code's step once, a recovery code once), and counts it as a failure otherwise.
    SecondFactor {
        proof: SecondFactorProof,
        lock: LockNotice,
    },
}

pub enum SecondFactorProof {
    AppCode { step: i64 },
    RecoveryCode { hash: Vec<u8> },
}

/// What a lock needs if this failure causes one: the unlock link's stored hash and expiry, and the
/// nonce its queued mail derives the token from.
pub struct LockNotice {
    pub token_hash: Vec<u8>,
    pub nonce: Vec<u8>,
    pub expires_at: i64,
}

/// Why a password was asked for.
pub enum PasswordCheck<'a> {
    /// Signing in; a device not seen before on the account (its keyed fingerprint) mails the owner
    /// when `notify_new_device`.
    SignIn {
        fingerprint: &'a [u8],
        notify_new_device: bool,
        details: &'a NoticeDetails,
    },
    /// A signed-in user confirming it is still them, on the device `handle`.
    Confirmation { handle: &'a str },
}

pub struct SignInSettlement<'a> {
    pub reservation: &'a SignInReservation,
    pub outcome: SignInOutcome,
    pub check: PasswordCheck<'a>,
    pub lock_after: u32,
    pub client: &'a Client,
    pub now: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInSettled {
    Failed,
    /// Failed, and this failure locked the account (its owner has been mailed).
    FailedAndLocked,
    SignedIn {
        user_id: i64,
        /// A recovery code was used: how many are left.
        recovery_codes_left: Option<i64>,
    },
    /// The password was right, and the account has two-factor on: the second step comes next.
    SecondFactorRequired {
        user_id: i64,
    },
    /// A confirmation succeeded.
    Confirmed,
    NeedsVerification {
        flow_token: String,
    },
    /// The password was right but the account was locked meanwhile.
    Locked,
    NotEvaluated,
}

// ---- two-factor ----

pub struct TwoFactorRow {
    pub sealed_secret: Vec<u8>,
    /// None while the enrolment waits for its first code.
    pub enabled_at: Option<i64>,
    pub last_used_step: Option<i64>,
    pub recovery_codes_left: i64,
}

impl std::fmt::Debug for TwoFactorRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwoFactorRow")
            .field("enabled_at", &self.enabled_at)
            .field("recovery_codes_left", &self.recovery_codes_left)
            .finish_non_exhaustive()
    }
}

/// A change to an account's two-factor: who, from where (for the event and the notice mail).
pub struct TwoFactorChange<'a> {
    pub user_id: i64,
    pub details: &'a NoticeDetails,
    pub client: &'a Client,
    pub now: i64,
}

pub struct EnableTwoFactor<'a> {
    pub change: TwoFactorChange<'a>,
    /// The step of the code that confirmed the enrolment: it cannot be used again.
    pub step: i64,
    pub recovery_code_hashes: &'a [Vec<u8>],
}

// ---- devices ----

pub struct NewDevice<'a> {
    pub handle: &'a str,
    pub user_id: i64,
    pub client: &'a Client,
    pub now: i64,
}

#[derive(Debug, Clone)]
pub struct Device {
    pub device_id: i64,
    pub user_id: i64,
    pub ip: String,
    pub user_agent: String,
    pub signed_in_at: i64,
    pub last_seen_at: i64,
    pub password_at: i64,
    /// The account's role is admin (read with the device, so a revoked role counts at once).
    pub admin: bool,
}

// ---- accounts ----

#[derive(Debug, Clone)]
pub struct AccountRow {
    pub username: String,
    pub email: String,
    pub created_at: i64,
    pub verified_at: Option<i64>,
    pub last_login_at: Option<i64>,
    pub previous_login_at: Option<i64>,
}

// ---- the admin console ----

pub use crate::model::AdminAction;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GaugeQuery {
    /// Mail that has used up its attempts no longer counts as waiting.
    pub max_attempts: u32,
    /// Sessions used since then (not idled out) and signed in since then (not past their lifetime).
    pub seen_since: i64,
    pub signed_in_since: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gauges {
    pub outbox_depth: i64,
    pub outbox_oldest_at: Option<i64>,
    pub active_sessions: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminCounts {
    pub accounts: i64,
    pub unverified: i64,
    pub locked: i64,
    pub disabled: i64,
    pub admins: i64,
    pub two_factor: i64,
    pub codes_sent: i64,
    pub sign_ins: i64,
    pub failed_sign_ins: i64,
    pub refusals: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyCount {
    /// Days since 1970-01-01 (UTC).
    pub day: i64,
    pub kind: String,
    pub count: i64,
}

/// Which accounts the user list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserState {
    #[default]
    All,
    Unverified,
    Active,
    Locked,
    Disabled,
    Admin,
    TwoFactorOn,
    TwoFactorOff,
}

impl UserState {
    pub const ALL: [UserState; 8] = [
        UserState::All,
        UserState::Unverified,
        UserState::Active,
        UserState::Locked,
        UserState::Disabled,
        UserState::Admin,
        UserState::TwoFactorOn,
        UserState::TwoFactorOff,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UserState::All => "all",
            UserState::Unverified => "unverified",
            UserState::Active => "active",
            UserState::Locked => "locked",
            UserState::Disabled => "disabled",
            UserState::Admin => "admin",
            UserState::TwoFactorOn => "two_factor_on",
            UserState::TwoFactorOff => "two_factor_off",
        }
    }

    pub fn parse(text: &str) -> Option<UserState> {
        UserState::ALL.into_iter().find(|state| state.as_str() == text)
    }
}

#[derive(Debug, Clone)]
pub struct UserQuery {
    /// Lower-cased; matches the start of the username or of the address. Empty: everyone.
    pub prefix: String,
    pub state: UserState,
    pub order: UserOrder,
    pub limit: i64,
}

/// The user list's order, with where the page starts (keyset pagination).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserOrder {
    /// By username, after this one (empty: from the start).
    Username { after: String },
    /// Newest account first (ids only grow), before this id (`i64::MAX`: from the start).
    Newest { before: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSummary {
    pub user_id: i64,
    pub username: String,
    pub email: String,
    pub role: String,
    pub created_at: i64,
    pub verified_at: Option<i64>,
    pub last_login_at: Option<i64>,
    pub locked_at: Option<i64>,
    pub disabled_at: Option<i64>,
    pub two_factor: bool,
}

/// Which security events the console's log shows; empty texts and `None` match everything.
#[derive(Debug, Clone)]
pub struct EventQuery {
    pub kind: String,
    pub user_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub ip: String,
    /// `from <= at < until`.
    pub from: i64,
    pub until: i64,
    /// The smallest event id of the previous page (keyset pagination); `i64::MAX` for the first.
    pub before: i64,
    pub limit: i64,
}

/// Which emailed-code flows the console's code log shows; empty texts and `None` match everything.
#[derive(Debug, Clone)]
pub struct CodeQuery {
    pub purpose: String,
    /// "verified", "expired" (at `now`, never verified), "pending", "failed" (a wrong guess).
    pub state: String,
    pub user_id: Option<i64>,
    /// `from <= created_at < until`.
    pub from: i64,
    pub until: i64,
    pub now: i64,
    /// The smallest code id of the previous page (keyset pagination); `i64::MAX` for the first.
    pub before: i64,
    pub limit: i64,
}

/// An emailed-code flow and the delivery of its latest mail; never the code.
#[derive(Debug, Clone)]
pub struct LoggedCode {
    pub code_id: i64,
    pub purpose: String,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub email: String,
    pub created_at: i64,
    pub codes_issued: i64,
    pub code_sent_at: Option<i64>,
    pub code_expires_at: Option<i64>,
    pub verified_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub code_failed_attempts: i64,
    pub total_failed_attempts: i64,
    pub mail_attempts: Option<i64>,
    pub mail_sent_at: Option<i64>,
    pub mail_error: Option<String>,
}

/// A security event with the names of its account and its actor, for the console.
#[derive(Debug, Clone)]
pub struct LoggedEvent {
    pub event_id: i64,
    pub at: i64,
    pub kind: String,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub actor_id: Option<i64>,
    pub actor: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub outcome: String,
}

/// What an admin (or the command line, with no actor) does to an account.
#[derive(Debug, Clone)]
pub struct AccountAction<'a> {
    pub kind: AdminAction,
    pub user_id: i64,
    /// The acting admin; None from the command line.
    pub actor_id: Option<i64>,
    pub client: Option<&'a Client>,
    /// What a notice mail to the owner says about the change (resetting two-factor, deleting).
    pub details: NoticeDetails,
    pub now: i64,
}

impl AccountAction<'_> {
    fn event(&self) -> EventKind {
        match self.kind {
            AdminAction::Disable => EventKind::AccountDisabled,
            AdminAction::Enable => EventKind::AccountEnabled,
            AdminAction::Unlock => EventKind::Unlock,
            AdminAction::EndSessions => EventKind::SessionsEnded,
            AdminAction::GrantAdmin => EventKind::AdminGranted,
            AdminAction::RevokeAdmin => EventKind::AdminRevoked,
            AdminAction::ResetTwoFactor => EventKind::TwoFactorReset,
            AdminAction::Delete => EventKind::AccountDeleted,
            AdminAction::ResendVerification => EventKind::Resend,
            AdminAction::SendRecoveryCode => EventKind::RecoveryRequested,
        }
    }

    pub fn audit_entry(&self) -> AuditEntry<'_> {
        AuditEntry {
            actor_id: self.actor_id,
            ..AuditEntry::new(
                self.event(),
                Outcome::Success,
                Some(self.user_id),
                self.client,
                self.now,
            )
        }
    }
}

// ---- the outbox ----

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

impl MailKind {
    pub const ALL: [MailKind; 13] = [
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
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Code => "code",
            MailKind::AlreadyRegistered => "already_registered",
            MailKind::AccountLocked => "account_locked",
            MailKind::NoAccount => "no_account",
            MailKind::Nothing => "nothing",
            MailKind::PasswordChanged => "password_changed",
            MailKind::EmailChanged => "email_changed",
            MailKind::AccountDeleted => "account_deleted",
            MailKind::NewDevice => "new_device",
            MailKind::TwoFactorEnabled => "two_factor_enabled",
            MailKind::TwoFactorDisabled => "two_factor_disabled",
            MailKind::RecoveryCodesReplaced => "recovery_codes_replaced",
            MailKind::RecoveryCodeUsed => "recovery_code_used",
        }
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
    pub purpose: Option<CodePurpose>,
    pub details: Option<NoticeDetails>,
    pub attempts: i64,
}

// ---- the security log ----

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
}

impl EventKind {
    pub const ALL: [EventKind; 29] = [
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

#[derive(Debug, Clone)]
pub struct EventRow {
    pub event_id: i64,
    pub at: i64,
    pub kind: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub outcome: String,
}

// ---- housekeeping ----

/// Everything older than its cutoff goes (all unix seconds).
#[derive(Debug, Clone)]
pub struct SweepPolicy {
    pub now: i64,
    pub rate_limit_hits_before: i64,
    pub sign_in_throttle_before: i64,
    pub devices_seen_before: i64,
    pub devices_signed_in_before: i64,
    /// Unverified accounts (with their flows), and flows never finished, created before this.
    pub unverified_before: i64,
    pub finished_codes_before: i64,
    pub sent_mail_before: i64,
    pub events_before: i64,
    pub refusals_before: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub rows_deleted: u64,
}
