//! `sign_in_throttle`, `sign_in_decoys`, the sign-in columns of `users`, `known_devices`.

use async_trait::async_trait;
use sqlx::SqliteConnection;

use crate::server::store::{statements::SignInStatements, LockNotice, SignInRow};

#[async_trait]
impl SignInStatements for SqliteConnection {
    async fn sign_in_failures(&mut self, identifier: &str, client: &str) -> sqlx::Result<Option<(i64, i64)>> {
        let row = sqlx::query!(
            "select consecutive, last_failed_at from sign_in_throttle where identifier = ? and client = ?",
            identifier,
            client
        )
        .fetch_optional(self)
        .await?;
        Ok(row.map(|row| (row.consecutive, row.last_failed_at)))
    }

    /// The transaction holds the database's write lock already (so do the other "locked" rows).
    async fn sign_in_row_named(&mut self, identifier: &str) -> sqlx::Result<Option<SignInRow>> {
        sqlx::query_as!(
            SignInRow,
            r#"select u.user_id as "user_id!", u.password_hash, u.verified_at, u.failed_sign_ins, u.locked_at, u.disabled_at,
                      t.sealed_secret as "sealed_secret?", t.last_used_step as "last_used_step?"
               from users u left join totp_factors t on t.user_id = u.user_id and t.enabled_at is not null
               where u.username = ?1 or u.email = ?1"#,
            identifier
        )
        .fetch_optional(self)
        .await
    }

    async fn sign_in_row(&mut self, user_id: i64) -> sqlx::Result<Option<SignInRow>> {
        sqlx::query_as!(
            SignInRow,
            r#"select u.user_id as "user_id!", u.password_hash, u.verified_at, u.failed_sign_ins, u.locked_at, u.disabled_at,
                      t.sealed_secret as "sealed_secret?", t.last_used_step as "last_used_step?"
               from users u left join totp_factors t on t.user_id = u.user_id and t.enabled_at is not null
               where u.user_id = ?1"#,
            user_id
        )
        .fetch_optional(self)
        .await
    }

    async fn count_sign_in_failure(&mut self, identifier: &str, client: &str, now: i64) -> sqlx::Result<()> {
        sqlx::query!(
            "insert into sign_in_throttle (identifier, client, consecutive, last_failed_at) values (?1, ?2, 1, ?3)
             on conflict (identifier, client) do update set consecutive = consecutive + 1, last_failed_at = ?3",
            identifier,
            client,
            now
        )
        .execute(self)
        .await?;
        Ok(())
    }

    async fn take_back_sign_in_failure(&mut self, identifier: &str, client: &str) -> sqlx::Result<()> {
        sqlx::query!(
            "update sign_in_throttle set consecutive = max(consecutive - 1, 0) where identifier = ? and client = ?",
            identifier,
            client
        )
        .execute(self)
        .await?;
        Ok(())
    }

    async fn forget_sign_in_failure(&mut self, identifier: &str, client: &str) -> sqlx::Result<()> {
        sqlx::query!(
            "delete from sign_in_throttle where identifier = ? and client = ?",
            identifier,
            client
        )
        .execute(self)
        .await?;
        Ok(())
    }

    async fn count_account_failure(&mut self, user_id: i64) -> sqlx::Result<()> {
        sqlx::query!(
            "update users set failed_sign_ins = failed_sign_ins + 1 where user_id = ?",
            user_id
        )
        .execute(self)
        .await?;
        Ok(())
    }

    async fn take_back_account_failure(&mut self, user_id: i64) -> sqlx::Result<()> {
        sqlx::query!(
            "update users set failed_sign_ins = max(failed_sign_ins - 1, 0) where user_id = ?",
            user_id
        )
        .execute(self)
        .await?;
        Ok(())
    }

    async fn count_decoy_failure(&mut self, slot: i64) -> sqlx::Result<()> {
        sqlx::query!(
            "update sign_in_decoys set failed_sign_ins = failed_sign_ins + 1 where slot = ?",
            slot
        )
        .execute(self)
        .await?;
        Ok(())
    }

    async fn delete_hit(&mut self, hit_id: i64) -> sqlx::Result<()> {
        sqlx::query!("delete from rate_limit_hits where hit_id = ?", hit_id)
            .execute(self)
            .await?;
        Ok(())
    }

    async fn reset_failures(
        &mut self,
        user_id: i64,
        keep_earlier: bool,
        rehashed: Option<&str>,
    ) -> sqlx::Result<bool> {
        let reset = sqlx::query!(
            "update users set failed_sign_ins = case when ? then max(failed_sign_ins - 1, 0) else 0 end,
                              password_hash = coalesce(?, password_hash)
             where user_id = ? and locked_at is null and disabled_at is null
             returning user_id",
            keep_earlier,
            rehashed,
            user_id
        )
        .fetch_optional(self)
        .await?;
        Ok(reset.is_some())
    }

    async fn reset_failures_after_second_factor(&mut self, user_id: i64) -> sqlx::Result<bool> {
        let reset = sqlx::query!(
            "update users set failed_sign_ins = 0 where user_id = ? and locked_at is null returning user_id",
            user_id
        )
        .fetch_optional(self)
        .await?;
        Ok(reset.is_some())
    }

    async fn use_app_code_step(&mut self, user_id: i64, step: i64) -> sqlx::Result<bool> {
        let used = sqlx::query!(
            "update totp_factors set last_used_step = ?1
             where user_id = ?2 and enabled_at is not null and (last_used_step is null or last_used_step < ?1)",
            step,
            user_id
        )
        .execute(self)
        .await?;
        Ok(used.rows_affected() == 1)
    }

    async fn use_recovery_code(&mut self, user_id: i64, code_hash: &[u8], now: i64) -> sqlx::Result<bool> {
        let used = sqlx::query!(
            "update recovery_codes set used_at = ?1
             where user_id = ?2 and code_hash = ?3 and used_at is null
               and exists (select 1 from totp_factors where user_id = ?2 and enabled_at is not null)",
            now,
            user_id,
            code_hash
        )
        .execute(self)
        .await?;
        Ok(used.rows_affected() == 1)
    }

    async fn recovery_codes_left(&mut self, user_id: i64) -> sqlx::Result<i64> {
        sqlx::query_scalar!(
            "select count(*) from recovery_codes where user_id = ? and used_at is null",
            user_id
        )
        .fetch_one(self)
        .await
    }

    async fn lock_account(
        &mut self,
        user_id: i64,
        lock: &LockNotice,
        lock_after: i64,
        now: i64,
    ) -> sqlx::Result<Option<String>> {
        sqlx::query_scalar!(
            "update users set locked_at = ?, unlock_token_hash = ?, unlock_expires_at = ?
             where user_id = ? and locked_at is null and failed_sign_ins >= ?
             returning email",
            now,
            lock.token_hash,
            lock.expires_at,
            user_id,
            lock_after
        )
        .fetch_optional(self)
        .await
    }

    async fn lock_decoy(
        &mut self,
        slot: i64,
        lock: &LockNotice,
        lock_after: i64,
        now: i64,
    ) -> sqlx::Result<()> {
        sqlx::query_scalar!(
            "update sign_in_decoys set locked_at = ?, unlock_token_hash = ?, unlock_expires_at = ?
             where slot = ? and locked_at is null and failed_sign_ins >= ?
             returning slot",
            now,
            lock.token_hash,
            lock.expires_at,
            slot,
            lock_after
        )
        .fetch_optional(self)
        .await?;
        Ok(())
    }

    async fn unlock_by_token(&mut self, token_hash: &[u8], now: i64) -> sqlx::Result<Option<i64>> {
        sqlx::query_scalar!(
            r#"update users set locked_at = null, failed_sign_ins = 0, unlock_token_hash = null, unlock_expires_at = null
               where unlock_token_hash = ? and unlock_expires_at > ?
               returning user_id as "user_id!""#,
            token_hash,
            now
        )
        .fetch_optional(self)
        .await
    }

    async fn note_password_confirmed(&mut self, handle: &str, now: i64) -> sqlx::Result<()> {
        sqlx::query!("update devices set password_at = ? where handle = ?", now, handle)
            .execute(self)
            .await?;
        Ok(())
    }

    async fn note_sign_in(&mut self, user_id: i64, now: i64) -> sqlx::Result<()> {
        sqlx::query!(
            "update users set previous_login_at = last_login_at, last_login_at = ? where user_id = ?",
            now,
            user_id
        )
        .execute(self)
        .await?;
        Ok(())
    }

    async fn remember_device(&mut self, user_id: i64, fingerprint: &[u8], now: i64) -> sqlx::Result<bool> {
        let inserted = sqlx::query!(
            "insert into known_devices (user_id, fingerprint, first_seen_at) values (?, ?, ?)
             on conflict do nothing",
            user_id,
            fingerprint,
            now
        )
        .execute(self)
        .await?;
        Ok(inserted.rows_affected() == 1)
    }

    async fn known_devices(&mut self, user_id: i64) -> sqlx::Result<i64> {
        sqlx::query_scalar!("select count(*) from known_devices where user_id = ?", user_id)
            .fetch_one(self)
            .await
    }
}
