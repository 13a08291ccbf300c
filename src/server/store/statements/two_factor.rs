//! The authenticator-app factor (its sealed secret, the last step accepted) and recovery codes.

use async_trait::async_trait;

use crate::server::domain::TwoFactorRow;

#[async_trait]
pub trait TwoFactorStatements {
    async fn two_factor(&mut self, user_id: i64) -> sqlx::Result<Option<TwoFactorRow>>;
    /// The authenticator app on, or a passkey (the view `second_factor_accounts`).
    async fn has_second_factor(&mut self, user_id: i64) -> sqlx::Result<bool>;
    /// Keeps a new sealed secret waiting for its first code (replacing one that waits); false
    /// when the factor is already on.
    async fn keep_waiting_factor(
        &mut self,
        user_id: i64,
        sealed_secret: &[u8],
        now: i64,
    ) -> sqlx::Result<bool>;
    /// False if no factor was waiting.
    async fn enable_factor(
        &mut self,
        user_id: i64,
        sealed_secret: &[u8],
        step: i64,
        now: i64,
    ) -> sqlx::Result<bool>;
    /// Whether the deleted factor was on.
    async fn delete_factor(&mut self, user_id: i64) -> sqlx::Result<bool>;
    /// Whether the factor is on, locking it until the transaction ends.
    async fn lock_enabled_factor(&mut self, user_id: i64) -> sqlx::Result<bool>;
    async fn delete_recovery_codes(&mut self, user_id: i64) -> sqlx::Result<()>;
    async fn insert_recovery_code(&mut self, user_id: i64, code_hash: &[u8], now: i64) -> sqlx::Result<()>;
}

for_both_databases! {
    impl TwoFactorStatements {
        async fn two_factor(&mut self, user_id: i64) -> sqlx::Result<Option<TwoFactorRow>> {
            query_as!(
                TwoFactorRow,
                r#"select sealed_secret, enabled_at, last_used_step,
                      (select count(*) from recovery_codes r where r.user_id = t.user_id and r.used_at is null)
                          as "recovery_codes_left!: i64"
               from totp_factors t where user_id = $1"#,
                user_id
            )
            .fetch_optional(self)
            .await
        }

        async fn has_second_factor(&mut self, user_id: i64) -> sqlx::Result<bool> {
            query_scalar!(
                r#"select exists (select 1 from second_factor_accounts where user_id = $1) as "on!: bool""#,
                user_id
            )
            .fetch_one(self)
            .await
        }

        async fn keep_waiting_factor(
            &mut self,
            user_id: i64,
            sealed_secret: &[u8],
            now: i64,
        ) -> sqlx::Result<bool> {
            Ok(query!(
                "insert into totp_factors (user_id, sealed_secret, created_at) values ($1, $2, $3)
             on conflict (user_id) do update set sealed_secret = excluded.sealed_secret, created_at = excluded.created_at
             where totp_factors.enabled_at is null",
                user_id,
                sealed_secret,
                now
            )
            .execute(self)
            .await?
            .rows_affected()
                == 1)
        }

        async fn enable_factor(
            &mut self,
            user_id: i64,
            sealed_secret: &[u8],
            step: i64,
            now: i64,
        ) -> sqlx::Result<bool> {
            Ok(query!(
                "update totp_factors set enabled_at = $1, last_used_step = $2
                 where user_id = $3 and sealed_secret = $4 and enabled_at is null",
                now,
                step,
                user_id,
                sealed_secret
            )
            .execute(self)
            .await?
            .rows_affected()
                == 1)
        }

        async fn delete_factor(&mut self, user_id: i64) -> sqlx::Result<bool> {
            Ok(query_scalar!(
                "delete from totp_factors where user_id = $1 returning enabled_at",
                user_id
            )
            .fetch_optional(self)
            .await?
            .flatten()
            .is_some())
        }

        async fn lock_enabled_factor(&mut self, user_id: i64) -> sqlx::Result<bool> {
            Ok(query_scalar!(
                r#"select 1 as "on!" from totp_factors where user_id = $1 and enabled_at is not null"#,
                postgres_lock: "for update",
                user_id
            )
            .fetch_optional(self)
            .await?
            .is_some())
        }

        async fn delete_recovery_codes(&mut self, user_id: i64) -> sqlx::Result<()> {
            query!("delete from recovery_codes where user_id = $1", user_id)
                .execute(self)
                .await?;
            Ok(())
        }

        async fn insert_recovery_code(&mut self, user_id: i64, code_hash: &[u8], now: i64) -> sqlx::Result<()> {
            query!(
                "insert into recovery_codes (user_id, code_hash, created_at) values ($1, $2, $3)",
                user_id,
                code_hash,
                now
            )
            .execute(self)
            .await?;
            Ok(())
        }
    }
}
