//! The authenticator-app factor (its sealed secret, the last step accepted) and recovery codes.

use async_trait::async_trait;

use crate::server::domain::TwoFactorRow;

#[async_trait]
pub trait TwoFactorStatements {
    async fn two_factor(&mut self, user_id: i64) -> sqlx::Result<Option<TwoFactorRow>>;
    /// Keeps a new sealed secret waiting for its first code (replacing one that waits); false
    /// when the factor is already on.
    async fn keep_waiting_factor(
        &mut self,
        user_id: i64,
        sealed_secret: &[u8],
        now: i64,
    ) -> sqlx::Result<bool>;
    /// False if no factor was waiting.
    async fn enable_factor(&mut self, user_id: i64, step: i64, now: i64) -> sqlx::Result<bool>;
    /// Whether the deleted factor was on.
    async fn delete_factor(&mut self, user_id: i64) -> sqlx::Result<bool>;
    /// Whether the factor is on, locking it until the transaction ends.
    async fn lock_enabled_factor(&mut self, user_id: i64) -> sqlx::Result<bool>;
    async fn delete_recovery_codes(&mut self, user_id: i64) -> sqlx::Result<()>;
    async fn insert_recovery_code(&mut self, user_id: i64, code_hash: &[u8], now: i64) -> sqlx::Result<()>;
}
