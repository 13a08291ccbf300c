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
    /// After a right password (checked against `checked_hash`): the failures go (all of them, or
    /// with `keep_earlier` only this one), a rehash is stored. False when the account was locked
    /// or disabled meanwhile, or its password changed.
    async fn reset_failures(
        &mut self,
        user_id: i64,
        checked_hash: &str,
        keep_earlier: bool,
        rehashed: Option<&str>,
    ) -> sqlx::Result<bool>;
    /// After a right second factor; false when the account was locked or disabled meanwhile.
    async fn reset_failures_after_second_factor(&mut self, user_id: i64) -> sqlx::Result<bool>;
    /// The step is used, unless it or a later one was: the replay guard.
    async fn use_app_code_step(&mut self, user_id: i64, step: i64) -> sqlx::Result<bool>;
    /// The recovery code is used, unless it was, or the account has no second factor left.
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

for_both_databases! {
    impl SignInStatements {
        async fn sign_in_failures(&mut self, identifier: &str, client: &str) -> sqlx::Result<Option<(i64, i64)>> {
            let row = query!(
                "select consecutive, last_failed_at from sign_in_throttle where identifier = $1 and client = $2",
                identifier,
                client
            )
            .fetch_optional(self)
            .await?;
            Ok(row.map(|row| (row.consecutive, row.last_failed_at)))
        }

        async fn sign_in_row_named(&mut self, identifier: &str) -> sqlx::Result<Option<SignInRow>> {
            query_as!(
                SignInRow,
                r#"select u.user_id as "user_id!", u.password_hash, u.verified_at, u.failed_sign_ins, u.locked_at, u.disabled_at,
                          t.sealed_secret as "sealed_secret?", t.last_used_step as "last_used_step?",
                          exists (select 1 from second_factor_accounts f where f.user_id = u.user_id) as "second_factor!: bool"
                   from users u left join totp_factors t on t.user_id = u.user_id and t.enabled_at is not null
                   where u.username = $1 or u.email = $1"#,
                postgres_lock: "for update of u",
                identifier
            )
            .fetch_optional(self)
            .await
        }

        async fn sign_in_row(&mut self, user_id: i64) -> sqlx::Result<Option<SignInRow>> {
            query_as!(
                SignInRow,
                r#"select u.user_id as "user_id!", u.password_hash, u.verified_at, u.failed_sign_ins, u.locked_at, u.disabled_at,
                          t.sealed_secret as "sealed_secret?", t.last_used_step as "last_used_step?",
                          exists (select 1 from second_factor_accounts f where f.user_id = u.user_id) as "second_factor!: bool"
                   from users u left join totp_factors t on t.user_id = u.user_id and t.enabled_at is not null
                   where u.user_id = $1"#,
                postgres_lock: "for update of u",
                user_id
            )
            .fetch_optional(self)
            .await
        }

        async fn count_sign_in_failure(&mut self, identifier: &str, client: &str, now: i64) -> sqlx::Result<()> {
            query!(
                "insert into sign_in_throttle (identifier, client, consecutive, last_failed_at) values ($1, $2, 1, $3)
                 on conflict (identifier, client) do update set consecutive = sign_in_throttle.consecutive + 1, last_failed_at = $3",
                identifier,
                client,
                now
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn take_back_sign_in_failure(&mut self, identifier: &str, client: &str) -> sqlx::Result<()> {
            query!(
                "update sign_in_throttle set consecutive = consecutive - 1
                 where identifier = $1 and client = $2 and consecutive > 0",
                identifier,
                client
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn forget_sign_in_failure(&mut self, identifier: &str, client: &str) -> sqlx::Result<()> {
            query!(
                "delete from sign_in_throttle where identifier = $1 and client = $2",
                identifier,
                client
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn count_account_failure(&mut self, user_id: i64) -> sqlx::Result<()> {
            query!(
                "update users set failed_sign_ins = failed_sign_ins + 1 where user_id = $1",
                user_id
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn take_back_account_failure(&mut self, user_id: i64) -> sqlx::Result<()> {
            query!(
                "update users set failed_sign_ins = failed_sign_ins - 1 where user_id = $1 and failed_sign_ins > 0",
                user_id
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn count_decoy_failure(&mut self, slot: i64) -> sqlx::Result<()> {
            query!("select slot from sign_in_decoys where slot = $1", postgres_lock: "for update", slot)
                .fetch_one(&mut *self)
                .await?;
            query!(
                "update sign_in_decoys set failed_sign_ins = failed_sign_ins + 1 where slot = $1",
                slot
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn delete_hit(&mut self, hit_id: i64) -> sqlx::Result<()> {
            query!("delete from rate_limit_hits where hit_id = $1", hit_id)
                .execute(self)
                .await?;
            Ok(())
        }

        async fn reset_failures(
            &mut self,
            user_id: i64,
            checked_hash: &str,
            keep_earlier: bool,
            rehashed: Option<&str>,
        ) -> sqlx::Result<bool> {
            let reset = query!(
                "update users set failed_sign_ins = case when $1 and failed_sign_ins > 0 then failed_sign_ins - 1 else 0 end,
                                  password_hash = coalesce($2, password_hash)
                 where user_id = $3 and password_hash = $4 and locked_at is null and disabled_at is null
                 returning user_id",
                keep_earlier,
                rehashed,
                user_id,
                checked_hash
            )
            .fetch_optional(self)
            .await?;
            Ok(reset.is_some())
        }

        async fn reset_failures_after_second_factor(&mut self, user_id: i64) -> sqlx::Result<bool> {
            let reset = query!(
                "update users set failed_sign_ins = 0
                 where user_id = $1 and locked_at is null and disabled_at is null returning user_id",
                user_id
            )
            .fetch_optional(self)
            .await?;
            Ok(reset.is_some())
        }

        async fn use_app_code_step(&mut self, user_id: i64, step: i64) -> sqlx::Result<bool> {
            let used = query!(
                "update totp_factors set last_used_step = $1
                 where user_id = $2 and enabled_at is not null and (last_used_step is null or last_used_step < $1)",
                step,
                user_id
            )
            .execute(self)
            .await?;
            Ok(used.rows_affected() == 1)
        }

        async fn use_recovery_code(&mut self, user_id: i64, code_hash: &[u8], now: i64) -> sqlx::Result<bool> {
            let used = query!(
                "update recovery_codes set used_at = $1
                 where user_id = $2 and code_hash = $3 and used_at is null
                   and exists (select 1 from second_factor_accounts where user_id = $2)",
                now,
                user_id,
                code_hash
            )
            .execute(self)
            .await?;
            Ok(used.rows_affected() == 1)
        }

        async fn recovery_codes_left(&mut self, user_id: i64) -> sqlx::Result<i64> {
            query_scalar!(
                r#"select count(*) as "count!" from recovery_codes where user_id = $1 and used_at is null"#,
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
            query_scalar!(
                "update users set locked_at = $1, unlock_token_hash = $2, unlock_expires_at = $3
                 where user_id = $4 and locked_at is null and failed_sign_ins >= $5
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
            query_scalar!(
                "update sign_in_decoys set locked_at = $1, unlock_token_hash = $2, unlock_expires_at = $3
                 where slot = $4 and locked_at is null and failed_sign_ins >= $5
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
            query_scalar!(
                r#"update users set locked_at = null, failed_sign_ins = 0, unlock_token_hash = null, unlock_expires_at = null
                   where unlock_token_hash = $1 and unlock_expires_at > $2
                   returning user_id as "user_id!""#,
                token_hash,
                now
            )
            .fetch_optional(self)
            .await
        }

        async fn note_password_confirmed(&mut self, handle: &str, now: i64) -> sqlx::Result<()> {
            query!(
                "update sessions set password_at = $1 where handle = $2",
                now,
                handle
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn note_sign_in(&mut self, user_id: i64, now: i64) -> sqlx::Result<()> {
            query!(
                "update users set previous_login_at = last_login_at, last_login_at = $1 where user_id = $2",
                now,
                user_id
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn remember_device(&mut self, user_id: i64, fingerprint: &[u8], now: i64) -> sqlx::Result<bool> {
            let inserted = query!(
                "insert into known_devices (user_id, fingerprint, first_seen_at) values ($1, $2, $3)
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
            query_scalar!(
                r#"select count(*) as "count!" from known_devices where user_id = $1"#,
                user_id
            )
            .fetch_one(self)
            .await
        }
    }
}
