//! The authenticator-app factor (its sealed secret, the last step accepted) and recovery codes.

use async_trait::async_trait;
use sqlx::SqliteConnection;

use crate::server::store::{statements::TwoFactorStatements, TwoFactorRow};

#[async_trait]
impl TwoFactorStatements for SqliteConnection {
    async fn two_factor(&mut self, user_id: i64) -> sqlx::Result<Option<TwoFactorRow>> {
        sqlx::query_as!(
            TwoFactorRow,
            r#"select sealed_secret, enabled_at, last_used_step,
                  (select count(*) from recovery_codes r where r.user_id = t.user_id and r.used_at is null)
                      as "recovery_codes_left!: i64"
           from totp_factors t where user_id = ?"#,
            user_id
        )
        .fetch_optional(self)
        .await
    }

    async fn keep_waiting_factor(
        &mut self,
        user_id: i64,
        sealed_secret: &[u8],
        now: i64,
    ) -> sqlx::Result<bool> {
        Ok(sqlx::query!(
            "insert into totp_factors (user_id, sealed_secret, created_at) values (?, ?, ?)
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

    async fn enable_factor(&mut self, user_id: i64, step: i64, now: i64) -> sqlx::Result<bool> {
        Ok(sqlx::query!(
            "update totp_factors set enabled_at = ?, last_used_step = ? where user_id = ? and enabled_at is null",
            now,
            step,
            user_id
        )
        .execute(self)
        .await?
        .rows_affected()
            == 1)
    }

    async fn delete_factor(&mut self, user_id: i64) -> sqlx::Result<bool> {
        Ok(sqlx::query_scalar!(
            "delete from totp_factors where user_id = ? returning enabled_at",
            user_id
        )
        .fetch_optional(self)
        .await?
        .flatten()
        .is_some())
    }

    /// The transaction holds the database's write lock already.
    async fn lock_enabled_factor(&mut self, user_id: i64) -> sqlx::Result<bool> {
        Ok(sqlx::query_scalar!(
            "select count(*) from totp_factors where user_id = ? and enabled_at is not null",
            user_id
        )
        .fetch_one(self)
        .await?
            == 1)
    }

    async fn delete_recovery_codes(&mut self, user_id: i64) -> sqlx::Result<()> {
        sqlx::query!("delete from recovery_codes where user_id = ?", user_id)
            .execute(self)
            .await?;
        Ok(())
    }

    async fn insert_recovery_code(&mut self, user_id: i64, code_hash: &[u8], now: i64) -> sqlx::Result<()> {
        sqlx::query!(
            "insert into recovery_codes (user_id, code_hash, created_at) values (?, ?, ?)",
            user_id,
            code_hash,
            now
        )
        .execute(self)
        .await?;
        Ok(())
    }
}
