//! The store boundary: every read and write the flows need, as domain operations ("take these
//! limits", "create a pending registration", "reserve a sign-in attempt", "claim due mail").
//! Nothing outside this module sees a connection, a transaction or SQL.
//!
//! One implementation ([`sql::SqlStore`]) over either database: [`sqlite`] (the default,
//! embedded) or [`postgres`] (several instances on one server). Each operation is one transaction
//! and atomic on both: SQLite takes its write lock up front (`BEGIN IMMEDIATE`); PostgreSQL, under
//! its default READ COMMITTED, locks what it reads before deciding (`SELECT … FOR UPDATE` on rows,
//! `pg_advisory_xact_lock` on counted keys such as a client's bucket), and unique constraints
//! stand behind both. So parallel requests, and requests spread over instances, meet exactly the
//! limits sequential ones meet.

use std::sync::Arc;

use async_trait::async_trait;

use super::{client::Client, config::DatabaseUrl, domain::*};
use crate::i18n::Language;

#[cfg(not(feature = "only-postgres-queries"))]
pub mod sqlite;

#[cfg(not(feature = "only-sqlite-queries"))]
pub mod postgres;

mod account;
mod admin;
mod email_code;
mod groups;
mod invitations;
mod limits;
mod mail;
mod oidc;
mod passkeys;
mod security_log;
mod session_records;
mod sessions;
mod sign_in;
mod sql;
mod statements;
mod two_factor;

pub use session_records::SessionRecords;
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
    async fn account_events(&self, user_id: i64) -> StoreResult<Vec<LoggedEvent>>;

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
    /// Whether the account has a second factor: the authenticator app on, or a passkey.
    async fn has_second_factor(&self, user_id: i64) -> StoreResult<bool>;

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

    // ---- signed-in sessions ----

    async fn session(&self, handle: &str) -> StoreResult<Option<SessionRow>>;
    /// How many writing transactions (the operations that run in one) this process has committed:
    /// what was read before it moved may be stale. Touching a session does not move it.
    fn committed_writes(&self) -> u64;
    /// The sign-in a forward-auth cookie stands for (by the cookie's keyed hash), with its
    /// account's name, address and groups: everything `/auth/verify` needs, in one read.
    async fn forward_session(&self, forward_token_hash: &[u8]) -> StoreResult<Option<ForwardSession>>;
    async fn touch_session(&self, session_id: i64, now: i64) -> StoreResult<()>;
    /// The account's sessions still alive: seen after `seen_after`, signed in after `signed_in_after`.
    async fn live_sessions(
        &self,
        user_id: i64,
        seen_after: i64,
        signed_in_after: i64,
    ) -> StoreResult<Vec<SessionRow>>;
    /// Ends one of `user_id`'s sessions; false when it has no such session.
    async fn end_session(
        &self,
        user_id: i64,
        session_id: i64,
        client: &Client,
        now: i64,
    ) -> StoreResult<bool>;
    async fn end_other_sessions(
        &self,
        user_id: i64,
        keep: i64,
        client: &Client,
        now: i64,
    ) -> StoreResult<u64>;
    /// Ends the session a cookie's record names (signing out, or a dead session found on a request).
    async fn end_session_by_handle(&self, handle: &str, sign_out: Option<(&Client, i64)>) -> StoreResult<()>;

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

    // ---- groups ----

    /// Every group, by name, with its member count.
    async fn groups(&self) -> StoreResult<Vec<GroupRow>>;
    /// The group `name` names, with its members by username.
    async fn group(&self, name: &str) -> StoreResult<Option<(GroupRow, Vec<GroupMember>)>>;
    /// The names of the account's groups, in order.
    async fn groups_of(&self, user_id: i64) -> StoreResult<Vec<String>>;
    /// Creates, edits or deletes a group, or adds or removes a member, with its security event
    /// (naming the acting admin); `Ok(false)` when it changed nothing (already a member, or not).
    async fn change_groups(&self, change: GroupChange<'_>) -> StoreResult<Result<bool, GroupRefusal>>;

    // ---- invitations and the terms ----

    /// Sends an invitation: its row, its mail and its event (see `store::invitations::invite`).
    async fn invite(&self, new: NewInvitation<'_>) -> StoreResult<Result<i64, InvitationRefusal>>;
    /// Pending invitations, newest first.
    async fn pending_invitations(&self, now: i64) -> StoreResult<Vec<InvitationRow>>;
    /// The pending invitation a link's token hash names.
    async fn invitation(&self, token_hash: &[u8], now: i64) -> StoreResult<Option<InvitationRow>>;
    /// Sends a pending invitation again with a new link, or revokes it, with its event; the
    /// invited address.
    async fn change_invitation(
        &self,
        change: InvitationChange<'_>,
        by: InvitationActor<'_>,
    ) -> StoreResult<Result<String, InvitationRefusal>>;
    /// The verified account a registration from an invitation link makes, in its groups.
    async fn register_invited(
        &self,
        registration: InvitedRegistration<'_>,
    ) -> StoreResult<InvitedRegistrationOutcome>;
    /// Records that the account accepted the terms `version`, with its event.
    async fn accept_terms(&self, user_id: i64, version: &str, client: &Client, now: i64) -> StoreResult<()>;
    /// Saves the language the account's pages and mails are in.
    async fn save_language(&self, user_id: i64, language: Language) -> StoreResult<()>;

    // ---- the OpenID Connect provider ----

    async fn oidc_clients(&self) -> StoreResult<Vec<OidcClient>>;
    async fn oidc_client(&self, client_id: &str) -> StoreResult<Option<OidcClient>>;
    /// Adds or removes a client, or replaces its secret, with its security event.
    async fn change_oidc_clients(&self, change: ClientChange<'_>) -> StoreResult<Result<(), ClientRefusal>>;
    async fn issue_oidc_code(&self, code: &OidcCode) -> StoreResult<()>;
    /// Redeems a code once, minting its tokens; a second redemption revokes them.
    async fn redeem_oidc_code(
        &self,
        exchange: CodeExchange<'_>,
        client: &Client,
    ) -> StoreResult<CodeRedemption>;
    /// Exchanges a refresh token once for new tokens; a second use revokes its whole family.
    async fn refresh_oidc_tokens(
        &self,
        refresh: TokenRefresh<'_>,
        client: &Client,
    ) -> StoreResult<RefreshOutcome>;
    /// A live access token.
    async fn oidc_access_token(&self, token_hash: &[u8], now: i64) -> StoreResult<Option<OidcToken>>;
    /// Ends a token of `client_id` and its family (RFC 7009); anything else changes nothing.
    async fn revoke_oidc_token(&self, token_hash: &[u8], client_id: &str) -> StoreResult<()>;
    /// The scope the user allowed the client, if any.
    async fn oidc_grant(&self, user_id: i64, client_id: &str) -> StoreResult<Option<String>>;
    /// The apps the user allowed, by name.
    async fn oidc_grants(&self, user_id: i64) -> StoreResult<Vec<OidcGrant>>;
    /// Records or withdraws a grant with its security event; false when there was none to withdraw.
    async fn change_oidc_grant(&self, change: GrantChange<'_>) -> StoreResult<bool>;
    /// The current signing key and those retired after `retired_after`, newest first.
    async fn signing_keys(&self, retired_after: i64) -> StoreResult<Vec<SigningKeyRow>>;
    /// Makes `key` the current signing key (see `store::oidc::add_signing_key`).
    async fn add_signing_key(&self, key: &SigningKeyRow, rotate: bool) -> StoreResult<bool>;

    // ---- passkeys ----

    /// The account's passkeys, oldest first.
    async fn passkeys(&self, user_id: i64) -> StoreResult<Vec<PasskeyRow>>;
    async fn passkey_by_credential(&self, credential_id: &[u8]) -> StoreResult<Option<PasskeyRow>>;
    /// Adds a passkey with its event and notice (see `store::passkeys::add`): `None` when the
    /// credential is registered already, else whether recovery codes were made with it.
    async fn add_passkey(&self, passkey: NewPasskey<'_>) -> StoreResult<Option<bool>>;
    /// Renames or removes one of the account's passkeys; false if it has no such passkey.
    async fn change_passkey(&self, change: PasskeyChange<'_>) -> StoreResult<bool>;
    async fn begin_ceremony(&self, ceremony: Ceremony<'_>) -> StoreResult<()>;
    /// A ceremony's state, once: a second request with the same token finds nothing.
    async fn take_ceremony(
        &self,
        token_hash: &[u8],
        purpose: CeremonyPurpose,
        now: i64,
    ) -> StoreResult<Option<TakenCeremony>>;

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

    /// Records one event that changes nothing else (an app refused to a user outside its groups).
    async fn record_event(&self, entry: AuditEntry<'_>) -> StoreResult<()>;
    /// Adds counted refusals to their (kind, bucket, hour) rows.
    async fn record_refusals(&self, refusals: &[RefusalCount]) -> StoreResult<()>;
    /// The account's own recent events: up to `limit` successes and up to `limit` others, newest
    /// first, so failures cannot push the user's real sign-ins out of view.
    async fn recent_events(&self, user_id: i64, limit: i64) -> StoreResult<Vec<LoggedEvent>>;

    // ---- housekeeping ----

    /// Deletes what has outlived its use (see [`SweepPolicy`]).
    async fn sweep(&self, policy: &SweepPolicy) -> StoreResult<SweepReport>;
    async fn ping(&self) -> StoreResult<()>;
    async fn close(&self);
}
