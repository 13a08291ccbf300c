//! `users`, as the account's owner sees and changes it.

use async_trait::async_trait;
use sqlx::SqliteConnection;

use crate::server::store::{statements::AccountStatements, AccountRow};

#[async_trait]
impl AccountStatements for SqliteConnection {
    async fn account(&mut self, user_id: i64) -> sqlx::Result<Option<AccountRow>> {
        sqlx::query_as!(
            AccountRow,
            "select username, email, created_at, verified_at, last_login_at, previous_login_at
         from users where user_id = ? and verified_at is not null",
            user_id
        )
        .fetch_optional(self)
        .await
    }

    async fn username_and_email(&mut self, user_id: i64) -> sqlx::Result<Option<(String, String)>> {
        let row = sqlx::query!("select username, email from users where user_id = ?", user_id)
            .fetch_optional(self)
            .await?;
        Ok(row.map(|row| (row.username, row.email)))
    }

    async fn email_of(&mut self, user_id: i64) -> sqlx::Result<Option<String>> {
        sqlx::query_scalar!("select email from users where user_id = ?", user_id)
            .fetch_optional(self)
            .await
    }

    async fn set_password_hash(&mut self, user_id: i64, password_hash: &str) -> sqlx::Result<String> {
        sqlx::query_scalar!(
            "update users set password_hash = ? where user_id = ? returning email",
            password_hash,
            user_id
        )
        .fetch_one(self)
        .await
    }

    async fn forget_event_origins(&mut self, user_id: i64) -> sqlx::Result<()> {
        sqlx::query!(
            "update security_events set ip = null, user_agent = null
         where user_id = ? and (ip is not null or user_agent is not null)",
            user_id
        )
        .execute(self)
        .await?;
        Ok(())
    }

    async fn forget_sign_in_failures(&mut self, username: &str, email: &str) -> sqlx::Result<()> {
        sqlx::query!(
            "delete from sign_in_throttle where identifier in (?, ?)",
            username,
            email
        )
        .execute(self)
        .await?;
        Ok(())
    }

    async fn delete_user(&mut self, user_id: i64) -> sqlx::Result<()> {
        sqlx::query!("delete from users where user_id = ?", user_id)
            .execute(self)
            .await?;
        Ok(())
    }
}
