//! Registration, password recovery and address changes: the emailed-code flows (`email_codes`),
//! the accounts they make or change, and their queued mail.

use async_trait::async_trait;

use crate::server::domain::{CodeFlow, CodePurpose, NewRegistration, RecoveryAccount};

/// An open flow with what the operations need beyond the page's view of it.
pub struct FlowRow {
    pub code_id: i64,
    pub user_id: Option<i64>,
    pub code_hash: Option<Vec<u8>>,
    pub flow: CodeFlow,
}

#[async_trait]
pub trait EmailCodeStatements {
    /// The flow `flow_token` names while its code can still be entered.
    async fn code_flow_row(
        &mut self,
        purpose: CodePurpose,
        flow_token: &str,
    ) -> sqlx::Result<Option<FlowRow>>;
    /// Locks that flow's row until the transaction ends.
    async fn lock_code_flow(&mut self, purpose: CodePurpose, flow_token: &str) -> sqlx::Result<()>;
    /// A new flow's row (its mail is queued separately); its id.
    async fn insert_code_flow(
        &mut self,
        purpose: CodePurpose,
        flow_token: &str,
        user_id: Option<i64>,
        email: &str,
        code_hash: &[u8],
        now: i64,
    ) -> sqlx::Result<i64>;
    async fn count_wrong_code(&mut self, code_id: i64) -> sqlx::Result<()>;
    /// The code is used up: it can never be entered again.
    async fn use_code(&mut self, code_id: i64, now: i64) -> sqlx::Result<()>;
    async fn finish_code_flow(&mut self, code_id: i64, now: i64) -> sqlx::Result<()>;
    /// A new code for the flow, its attempts and its lifetime starting afresh.
    async fn renew_code(&mut self, code_id: i64, code_hash: &[u8], now: i64) -> sqlx::Result<()>;
    /// The kind and recipient of the flow's first mail.
    async fn first_mail_of_flow(&mut self, code_id: i64) -> sqlx::Result<Option<(String, String)>>;
    async fn delete_unsent_mail_of_flow(&mut self, code_id: i64) -> sqlx::Result<()>;
    /// The open registration flow of an unverified account.
    async fn registration_flow_of(&mut self, user_id: i64) -> sqlx::Result<Option<String>>;
    /// Frees what unverified registrations hold: `email` at once, `username` once held since
    /// before `held_since`.
    async fn free_unverified(&mut self, email: &str, username: &str, held_since: i64) -> sqlx::Result<()>;
    async fn username_taken(&mut self, username: &str) -> sqlx::Result<bool>;
    async fn address_taken(&mut self, email: &str) -> sqlx::Result<bool>;
    async fn address_taken_by_another(&mut self, email: &str, user_id: i64) -> sqlx::Result<bool>;
    /// An unverified account; its id.
    async fn insert_user(&mut self, new: &NewRegistration<'_>) -> sqlx::Result<i64>;
    async fn verify_user(&mut self, user_id: i64, now: i64) -> sqlx::Result<()>;
    async fn set_email(&mut self, user_id: i64, email: &str) -> sqlx::Result<()>;
    /// The verified account a username or an address names: its id and address.
    async fn recoverable_account(&mut self, identifier: &str) -> sqlx::Result<Option<(i64, String)>>;
    /// Deletes the unfinished recovery flows to `email` (of `user_id`, or of no account), their
    /// mail first: the outbox worker locks a mail, then its flow, and this takes them in that order.
    async fn void_recovery_flows(&mut self, user_id: Option<i64>, email: &str) -> sqlx::Result<()>;
    /// The account of a recovery flow whose code was entered after `verified_after`, still open.
    async fn verified_recovery(
        &mut self,
        flow_token: &str,
        verified_after: i64,
    ) -> sqlx::Result<Option<RecoveryAccount>>;
    /// Finishes that flow; its account, or `None` if it was used or went stale meanwhile.
    async fn finish_recovery_flow(
        &mut self,
        flow_token: &str,
        verified_after: i64,
        now: i64,
    ) -> sqlx::Result<Option<i64>>;
    /// Sets the password and lifts the lock and the account's failure count; its username and
    /// address.
    async fn reset_password(&mut self, user_id: i64, password_hash: &str) -> sqlx::Result<(String, String)>;
    async fn delete_open_email_changes(&mut self, user_id: i64) -> sqlx::Result<()>;
}
