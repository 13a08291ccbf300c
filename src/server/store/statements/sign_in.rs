//! Sign-in attempts: reserved (counted) before the password is hashed or the second factor
//! checked, settled afterwards; the account lock and its unlock link. A confirmation by a
//! signed-in user is an attempt like any other.

use async_trait::async_trait;

use crate::server::domain::{LockNotice, SignInRow};

#[async_trait]
pub trait SignInStatements {
    /// The consecutive failures of `identifier` from `client`, and when the last one was.
    async fn sign_in_failures(&mut self, identifier: &str, client: &str) -> sqlx::Result<Option<(i64, i64)>>;
    /// The account a username or an address names, locked until the transaction ends.
    async fn sign_in_row_named(&mut self, identifier: &str) -> sqlx::Result<Option<SignInRow>>;
    /// The account, locked until the transaction ends.
    async fn sign_in_row(&mut self, user_id: i64) -> sqlx::Result<Option<SignInRow>>;
    async fn count_sign_in_failure(&mut self, identifier: &str, client: &str, now: i64) -> sqlx::Result<()>;
    async fn take_back_sign_in_failure(&mut self, identifier: &str, client: &str) -> sqlx::Result<()>;
    async fn forget_sign_in_failure(&mut self, identifier: &str, client: &str) -> sqlx::Result<()>;
    async fn count_account_failure(&mut self, user_id: i64) -> sqlx::Result<()>;
    async fn take_back_account_failure(&mut self, user_id: i64) -> sqlx::Result<()>;
    /// The decoy row, locked until the transaction ends, counts a failure.
    async fn count_decoy_failure(&mut self, slot: i64) -> sqlx::Result<()>;
    async fn delete_hit(&mut self, hit_id: i64) -> sqlx::Result<()>;
    /// After a right password: the failures go (all of them, or with `keep_earlier` only this
    /// one), a rehash is stored. False when the account was locked or disabled meanwhile.
    async fn reset_failures(
        &mut self,
        user_id: i64,
        keep_earlier: bool,
        rehashed: Option<&str>,
    ) -> sqlx::Result<bool>;
    /// After a right second factor; false when the account was locked meanwhile.
    async fn reset_failures_after_second_factor(&mut self, user_id: i64) -> sqlx::Result<bool>;
    /// The step is used, unless it or a later one was: the replay guard.
    async fn use_app_code_step(&mut self, user_id: i64, step: i64) -> sqlx::Result<bool>;
    /// The recovery code is used, unless it was, or two-factor is off.
    async fn use_recovery_code(&mut self, user_id: i64, code_hash: &[u8], now: i64) -> sqlx::Result<bool>;
    async fn recovery_codes_left(&mut self, user_id: i64) -> sqlx::Result<i64>;
    /// Locks the account once it holds `lock_after` failures; its address, if it locked it.
    async fn lock_account(
        &mut self,
        user_id: i64,
        lock: &LockNotice,
        lock_after: i64,
        now: i64,
    ) -> sqlx::Result<Option<String>>;
    /// The same statement on the decoy row.
    async fn lock_decoy(
        &mut self,
        slot: i64,
        lock: &LockNotice,
        lock_after: i64,
        now: i64,
    ) -> sqlx::Result<()>;
    /// The account the unlock link's token names, unlocked.
    async fn unlock_by_token(&mut self, token_hash: &[u8], now: i64) -> sqlx::Result<Option<i64>>;
    async fn note_password_confirmed(&mut self, handle: &str, now: i64) -> sqlx::Result<()>;
    async fn note_sign_in(&mut self, user_id: i64, now: i64) -> sqlx::Result<()>;
    /// True when the device was not known on the account.
    async fn remember_device(&mut self, user_id: i64, fingerprint: &[u8], now: i64) -> sqlx::Result<bool>;
    async fn known_devices(&mut self, user_id: i64) -> sqlx::Result<i64>;
}
