//! The one implementation of [`Store`]: each operation opens what it needs from the database
//! (a read, a one-statement write, or a writing transaction), applies its rules through the
//! statements every database provides, and commits. The rules are written once, in this folder;
//! `sqlite/` and `postgres/` hold only their statements, their locks and their connection setup.

use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use sqlx::{pool::PoolConnection, Pool, Transaction};

use super::{
    account, admin, email_code, groups, invitations, limits, mail, oidc, passkeys, security_log, sessions,
    sign_in,
    statements::{
        AccountStatements, AdminStatements, EmailCodeStatements, GroupStatements, HousekeepingStatements,
        InvitationStatements, MailStatements, OidcStatements, PasskeyStatements, SecurityLogStatements,
        SessionStatements, Statements, TokenKind, TwoFactorStatements,
    },
    two_factor, *,
};

/// What differs between the databases beyond their statements: where reads and writes go, and how
/// a transaction that reads before it writes keeps what it read from changing under it.
#[async_trait]
pub trait Backend: Send + Sync + 'static {
    type Db: sqlx::Database<Connection: Statements>;

    /// Reads that decide nothing.
    fn reader(&self) -> &Pool<Self::Db>;
    /// One-statement writes, atomic by themselves.
    fn writer(&self) -> &Pool<Self::Db>;
    /// A transaction whose reads decide its writes: parallel requests, on any instance, meet
    /// exactly the limits and single-use rules that sequential ones meet.
    async fn begin_write(&self) -> Result<Transaction<'static, Self::Db>, sqlx::Error>;
}

pub struct SqlStore<B> {
    backend: B,
    /// Writing transactions committed by this process (see [`Store::committed_writes`]).
    committed: AtomicU64,
}

impl<B: Backend> SqlStore<B> {
    pub fn new(backend: B) -> SqlStore<B> {
        SqlStore {
            backend,
            committed: AtomicU64::new(0),
        }
    }

    fn committed(&self) {
        self.committed.fetch_add(1, Ordering::Release);
    }

    async fn read(&self) -> Result<PoolConnection<B::Db>, sqlx::Error> {
        self.backend.reader().acquire().await
    }

    async fn write_one(&self) -> Result<PoolConnection<B::Db>, sqlx::Error> {
        self.backend.writer().acquire().await
    }

    async fn write(&self) -> Result<Transaction<'static, B::Db>, sqlx::Error> {
        self.backend.begin_write().await
    }
}

/// Runs a rule in a writing transaction ([`SqlStore::write`]) and commits what it did; an error
/// rolls everything back.
macro_rules! in_write_transaction {
    ($store:expr, |$conn:ident| $rule:expr) => {{
        let mut tx = $store.write().await?;
        let $conn = &mut *tx;
        let outcome = $rule.await?;
        tx.commit().await?;
        $store.committed();
        Ok(outcome)
    }};
}

#[async_trait]
impl<B: Backend> Store for SqlStore<B> {
    async fn take_limits(&self, request: LimitRequest<'_>) -> StoreResult<Result<(), Refusal>> {
        in_write_transaction!(self, |conn| limits::take(conn, &request))
    }

    async fn create_registration(&self, new: NewRegistration<'_>) -> StoreResult<RegistrationCreated> {
        let mut tx = self.write().await?;
        let created = email_code::create_registration(&mut *tx, &new).await?;
        if created == RegistrationCreated::Started {
            tx.commit().await?;
            self.committed();
        }
        Ok(created)
    }

    async fn code_flow(&self, purpose: CodePurpose, flow_token: &str) -> StoreResult<Option<CodeFlow>> {
        let row = self.read().await?.code_flow_row(purpose, flow_token).await?;
        Ok(row.map(|row| row.flow))
    }

    async fn attempt_code(&self, attempt: CodeAttempt<'_>) -> StoreResult<CodeVerdict> {
        in_write_transaction!(self, |conn| email_code::attempt_code(conn, &attempt))
    }

    async fn resend_code(&self, resend: CodeResend<'_>) -> StoreResult<ResendVerdict> {
        in_write_transaction!(self, |conn| email_code::resend_code(conn, &resend))
    }

    async fn registration_flow_of(&self, user_id: i64) -> StoreResult<Option<String>> {
        Ok(self.read().await?.registration_flow_of(user_id).await?)
    }

    async fn start_recovery(&self, start: StartRecovery<'_>) -> StoreResult<Result<(), Refusal>> {
        in_write_transaction!(self, |conn| email_code::start_recovery(conn, &start))
    }

    async fn verified_recovery(
        &self,
        flow_token: &str,
        verified_after: i64,
    ) -> StoreResult<Option<RecoveryAccount>> {
        Ok(self
            .read()
            .await?
            .verified_recovery(flow_token, verified_after)
            .await?)
    }

    async fn finish_recovery(&self, finish: FinishRecovery<'_>) -> StoreResult<bool> {
        in_write_transaction!(self, |conn| email_code::finish_recovery(conn, &finish))
    }

    async fn change_password(&self, change: PasswordChange<'_>) -> StoreResult<()> {
        in_write_transaction!(self, |conn| account::change_password(conn, &change))
    }

    async fn start_email_change(&self, start: StartEmailChange<'_>) -> StoreResult<Result<(), Refusal>> {
        in_write_transaction!(self, |conn| email_code::start_email_change(conn, &start))
    }

    async fn delete_account(&self, user_id: i64, details: &NoticeDetails, now: i64) -> StoreResult<()> {
        in_write_transaction!(self, |conn| account::delete(conn, user_id, details, now, None))
    }

    async fn account_events(&self, user_id: i64) -> StoreResult<Vec<LoggedEvent>> {
        let every_event = EventQuery::of_account(user_id, "", i64::MAX);
        Ok(self.read().await?.find_events(&every_event).await?)
    }

    async fn reserve_sign_in(&self, request: SignInRequest<'_>) -> StoreResult<SignInGate> {
        in_write_transaction!(self, |conn| sign_in::reserve(conn, &request))
    }

    async fn settle_sign_in(&self, settlement: SignInSettlement<'_>) -> StoreResult<SignInSettled> {
        in_write_transaction!(self, |conn| sign_in::settle(conn, &settlement))
    }

    async fn unlock_with_link(&self, token_hash: &[u8], now: i64, client: &Client) -> StoreResult<bool> {
        in_write_transaction!(self, |conn| sign_in::unlock_with_link(
            conn, token_hash, now, client
        ))
    }

    async fn two_factor(&self, user_id: i64) -> StoreResult<Option<TwoFactorRow>> {
        Ok(self.read().await?.two_factor(user_id).await?)
    }

    async fn has_second_factor(&self, user_id: i64) -> StoreResult<bool> {
        Ok(self.read().await?.has_second_factor(user_id).await?)
    }

    async fn begin_two_factor(&self, user_id: i64, sealed_secret: &[u8], now: i64) -> StoreResult<bool> {
        Ok(self
            .write_one()
            .await?
            .keep_waiting_factor(user_id, sealed_secret, now)
            .await?)
    }

    async fn enable_two_factor(&self, enable: EnableTwoFactor<'_>) -> StoreResult<bool> {
        in_write_transaction!(self, |conn| two_factor::enable(conn, &enable))
    }

    async fn disable_two_factor(&self, change: TwoFactorChange<'_>) -> StoreResult<bool> {
        in_write_transaction!(self, |conn| two_factor::disable(conn, &change))
    }

    async fn replace_recovery_codes(
        &self,
        change: TwoFactorChange<'_>,
        hashes: &[Vec<u8>],
    ) -> StoreResult<bool> {
        in_write_transaction!(self, |conn| two_factor::replace_recovery_codes(
            conn, &change, hashes
        ))
    }

    async fn session(&self, handle: &str) -> StoreResult<Option<SessionRow>> {
        Ok(self.read().await?.session(handle).await?)
    }

    fn committed_writes(&self) -> u64 {
        self.committed.load(Ordering::Acquire)
    }

    async fn forward_session(&self, forward_token_hash: &[u8]) -> StoreResult<Option<ForwardSession>> {
        Ok(self.read().await?.forward_session(forward_token_hash).await?)
    }

    async fn touch_session(&self, session_id: i64, now: i64) -> StoreResult<()> {
        Ok(self.write_one().await?.touch_session(session_id, now).await?)
    }

    async fn live_sessions(
        &self,
        user_id: i64,
        seen_after: i64,
        signed_in_after: i64,
    ) -> StoreResult<Vec<SessionRow>> {
        Ok(self
            .read()
            .await?
            .live_sessions(user_id, seen_after, signed_in_after)
            .await?)
    }

    async fn end_session(
        &self,
        user_id: i64,
        session_id: i64,
        client: &Client,
        now: i64,
    ) -> StoreResult<bool> {
        in_write_transaction!(self, |conn| sessions::end(conn, user_id, session_id, client, now))
    }

    async fn end_other_sessions(
        &self,
        user_id: i64,
        keep: i64,
        client: &Client,
        now: i64,
    ) -> StoreResult<u64> {
        in_write_transaction!(self, |conn| sessions::end_others(
            conn, user_id, keep, client, now
        ))
    }

    async fn end_session_by_handle(&self, handle: &str, sign_out: Option<(&Client, i64)>) -> StoreResult<()> {
        in_write_transaction!(self, |conn| sessions::end_by_handle(conn, handle, sign_out))
    }

    async fn account(&self, user_id: i64) -> StoreResult<Option<AccountRow>> {
        Ok(self.read().await?.account(user_id).await?)
    }

    async fn user_id_of(&self, identifier: &str) -> StoreResult<Option<i64>> {
        Ok(self.read().await?.user_id_of(identifier).await?)
    }

    async fn admin_counts(&self, since: i64) -> StoreResult<AdminCounts> {
        Ok(self.read().await?.admin_counts(since).await?)
    }

    async fn daily_activity(&self, since: i64) -> StoreResult<Vec<DailyCount>> {
        Ok(self.read().await?.daily_activity(since).await?)
    }

    async fn find_users(&self, query: &UserQuery) -> StoreResult<Vec<UserSummary>> {
        Ok(self.read().await?.find_users(query).await?)
    }

    async fn user_summary(&self, user_id: i64) -> StoreResult<Option<UserSummary>> {
        Ok(self.read().await?.user_summary(user_id).await?)
    }

    async fn act_on_account(&self, action: AccountAction<'_>) -> StoreResult<bool> {
        in_write_transaction!(self, |conn| admin::act(conn, &action))
    }

    async fn groups(&self) -> StoreResult<Vec<GroupRow>> {
        Ok(self.read().await?.groups().await?)
    }

    async fn group(&self, name: &str) -> StoreResult<Option<(GroupRow, Vec<GroupMember>)>> {
        let mut conn = self.read().await?;
        let Some(group) = conn.group_named(name).await? else {
            return Ok(None);
        };
        let members = conn.group_members(group.group_id).await?;
        Ok(Some((group, members)))
    }

    async fn groups_of(&self, user_id: i64) -> StoreResult<Vec<String>> {
        Ok(self.read().await?.group_names_of(user_id).await?)
    }

    async fn change_groups(&self, change: GroupChange<'_>) -> StoreResult<Result<bool, GroupRefusal>> {
        in_write_transaction!(self, |conn| groups::change(conn, &change))
    }

    async fn invite(&self, new: NewInvitation<'_>) -> StoreResult<Result<i64, InvitationRefusal>> {
        in_write_transaction!(self, |conn| invitations::invite(conn, &new))
    }

    async fn pending_invitations(&self, now: i64) -> StoreResult<Vec<InvitationRow>> {
        let rows = self.read().await?.pending_invitations(now).await?;
        Ok(rows.into_iter().map(invitation_row).collect())
    }

    async fn invitation(&self, token_hash: &[u8], now: i64) -> StoreResult<Option<InvitationRow>> {
        let row = self.read().await?.pending_invitation(token_hash, now).await?;
        Ok(row.map(invitation_row))
    }

    async fn change_invitation(
        &self,
        change: InvitationChange<'_>,
        by: InvitationActor<'_>,
    ) -> StoreResult<Result<String, InvitationRefusal>> {
        in_write_transaction!(self, |conn| invitations::change(conn, &change, &by))
    }

    async fn register_invited(
        &self,
        registration: InvitedRegistration<'_>,
    ) -> StoreResult<InvitedRegistrationOutcome> {
        let mut tx = self.write().await?;
        let outcome = invitations::register(&mut *tx, &registration).await?;
        if matches!(outcome, InvitedRegistrationOutcome::Created(_)) {
            tx.commit().await?;
            self.committed();
        }
        Ok(outcome)
    }

    async fn accept_terms(&self, user_id: i64, version: &str, client: &Client, now: i64) -> StoreResult<()> {
        in_write_transaction!(self, |conn| account::accept_terms(
            conn, user_id, version, client, now
        ))
    }

    async fn save_language(&self, user_id: i64, language: Language) -> StoreResult<()> {
        in_write_transaction!(self, |conn| conn.save_language(user_id, language.code()))
    }

    async fn oidc_clients(&self) -> StoreResult<Vec<OidcClient>> {
        Ok(self.read().await?.oidc_clients().await?)
    }

    async fn passkeys(&self, user_id: i64) -> StoreResult<Vec<PasskeyRow>> {
        Ok(self.read().await?.passkeys_of(user_id).await?)
    }

    async fn passkey_by_credential(&self, credential_id: &[u8]) -> StoreResult<Option<PasskeyRow>> {
        Ok(self.read().await?.passkey_by_credential(credential_id).await?)
    }

    async fn add_passkey(&self, passkey: NewPasskey<'_>) -> StoreResult<Option<bool>> {
        in_write_transaction!(self, |conn| passkeys::add(conn, &passkey))
    }

    async fn change_passkey(&self, change: PasskeyChange<'_>) -> StoreResult<bool> {
        in_write_transaction!(self, |conn| passkeys::change(conn, &change))
    }

    async fn begin_ceremony(&self, ceremony: Ceremony<'_>) -> StoreResult<()> {
        Ok(self.write_one().await?.insert_ceremony(&ceremony).await?)
    }

    async fn take_ceremony(
        &self,
        token_hash: &[u8],
        purpose: CeremonyPurpose,
        now: i64,
    ) -> StoreResult<Option<TakenCeremony>> {
        Ok(self
            .write_one()
            .await?
            .take_ceremony(token_hash, purpose, now)
            .await?)
    }

    async fn oidc_client(&self, client_id: &str) -> StoreResult<Option<OidcClient>> {
        Ok(self.read().await?.oidc_client(client_id).await?)
    }

    async fn change_oidc_clients(&self, change: ClientChange<'_>) -> StoreResult<Result<(), ClientRefusal>> {
        in_write_transaction!(self, |conn| oidc::change_client(conn, &change))
    }

    async fn issue_oidc_code(&self, code: &OidcCode) -> StoreResult<()> {
        Ok(self.write_one().await?.insert_oidc_code(code).await?)
    }

    async fn redeem_oidc_code(
        &self,
        exchange: CodeExchange<'_>,
        client: &Client,
    ) -> StoreResult<CodeRedemption> {
        in_write_transaction!(self, |conn| oidc::redeem_code(conn, &exchange, client))
    }

    async fn refresh_oidc_tokens(
        &self,
        refresh: TokenRefresh<'_>,
        client: &Client,
    ) -> StoreResult<RefreshOutcome> {
        in_write_transaction!(self, |conn| oidc::refresh(conn, &refresh, client))
    }

    async fn oidc_access_token(&self, token_hash: &[u8], now: i64) -> StoreResult<Option<OidcToken>> {
        let mut conn = self.read().await?;
        Ok(conn.live_oidc_token(token_hash, TokenKind::Access, now).await?)
    }

    async fn revoke_oidc_token(&self, token_hash: &[u8], client_id: &str) -> StoreResult<()> {
        in_write_transaction!(self, |conn| oidc::revoke(conn, token_hash, client_id))
    }

    async fn oidc_grant(&self, user_id: i64, client_id: &str) -> StoreResult<Option<String>> {
        Ok(self.read().await?.oidc_grant(user_id, client_id).await?)
    }

    async fn oidc_grants(&self, user_id: i64) -> StoreResult<Vec<OidcGrant>> {
        Ok(self.read().await?.oidc_grants_of(user_id).await?)
    }

    async fn change_oidc_grant(&self, change: GrantChange<'_>) -> StoreResult<bool> {
        in_write_transaction!(self, |conn| oidc::change_grant(conn, &change))
    }

    async fn signing_keys(&self, retired_after: i64) -> StoreResult<Vec<SigningKeyRow>> {
        Ok(self.read().await?.signing_keys(retired_after).await?)
    }

    async fn add_signing_key(&self, key: &SigningKeyRow, rotate: bool) -> StoreResult<bool> {
        in_write_transaction!(self, |conn| oidc::add_signing_key(conn, key, rotate))
    }

    async fn find_codes(&self, query: &CodeQuery) -> StoreResult<Vec<LoggedCode>> {
        Ok(self.read().await?.find_codes(query).await?)
    }

    async fn find_events(&self, query: &EventQuery) -> StoreResult<Vec<LoggedEvent>> {
        Ok(self.read().await?.find_events(query).await?)
    }

    async fn claim_due_mail(&self, claim: MailClaim<'_>) -> StoreResult<Vec<ClaimedMail>> {
        in_write_transaction!(self, |conn| conn.claim_due_mail(&claim))
    }

    async fn mail_delivered(
        &self,
        outbox_id: i64,
        claim_token: &str,
        now: i64,
        code_ttl_secs: i64,
    ) -> StoreResult<()> {
        in_write_transaction!(self, |conn| mail::delivered(
            conn,
            outbox_id,
            claim_token,
            now,
            code_ttl_secs
        ))
    }

    async fn mail_failed(
        &self,
        outbox_id: i64,
        claim_token: &str,
        retry_at: i64,
        error: &str,
    ) -> StoreResult<()> {
        Ok(self
            .write_one()
            .await?
            .mail_failed(outbox_id, claim_token, retry_at, error)
            .await?)
    }

    async fn next_mail_due_at(&self, max_attempts: u32) -> StoreResult<Option<i64>> {
        Ok(self.read().await?.next_mail_due_at(max_attempts).await?)
    }

    async fn oldest_unsent_mail_at(&self, max_attempts: u32) -> StoreResult<Option<i64>> {
        Ok(self.read().await?.oldest_unsent_mail_at(max_attempts).await?)
    }

    async fn gauges(&self, query: GaugeQuery) -> StoreResult<Gauges> {
        Ok(self.read().await?.gauges(query).await?)
    }

    async fn record_event(&self, entry: AuditEntry<'_>) -> StoreResult<()> {
        Ok(self.write_one().await?.insert_event(&entry).await?)
    }

    async fn record_refusals(&self, refusals: &[RefusalCount]) -> StoreResult<()> {
        let mut tx = self.write().await?;
        for refusal in refusals {
            tx.add_refusal(refusal).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn recent_events(&self, user_id: i64, limit: i64) -> StoreResult<Vec<LoggedEvent>> {
        Ok(security_log::recent(&mut *self.read().await?, user_id, limit).await?)
    }

    async fn sweep(&self, policy: &SweepPolicy) -> StoreResult<SweepReport> {
        in_write_transaction!(self, |conn| conn.sweep(policy))
    }

    async fn ping(&self) -> StoreResult<()> {
        Ok(self.read().await?.ping().await?)
    }

    async fn close(&self) {
        self.backend.writer().close().await;
        self.backend.reader().close().await;
    }
}

fn invitation_row(row: statements::PendingInvitation) -> InvitationRow {
    InvitationRow {
        invitation_id: row.invitation_id,
        email: row.email,
        groups: row.group_names.lines().map(str::to_string).collect(),
        invited_by: row.invited_by,
        created_at: row.created_at,
        expires_at: row.expires_at,
    }
}
