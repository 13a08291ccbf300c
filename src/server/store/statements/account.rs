//! `users`, as the account's owner sees and changes it: a new password, deleting the account.

use async_trait::async_trait;

use crate::server::domain::AccountRow;

#[async_trait]
pub trait AccountStatements {
    /// A verified account.
    async fn account(&mut self, user_id: i64) -> sqlx::Result<Option<AccountRow>>;
    async fn username_and_email(&mut self, user_id: i64) -> sqlx::Result<Option<(String, String)>>;
    async fn email_of(&mut self, user_id: i64) -> sqlx::Result<Option<String>>;
    /// Returns the account's address.
    async fn set_password_hash(&mut self, user_id: i64, password_hash: &str) -> sqlx::Result<String>;
    /// Keeps the account's events but forgets the address and browser they came from.
    async fn forget_event_origins(&mut self, user_id: i64) -> sqlx::Result<()>;
    async fn forget_sign_in_failures(&mut self, username: &str, email: &str) -> sqlx::Result<()>;
    async fn delete_user(&mut self, user_id: i64) -> sqlx::Result<()>;
    async fn accept_terms(&mut self, user_id: i64, version: &str, now: i64) -> sqlx::Result<()>;
    async fn save_language(&mut self, user_id: i64, language: &str) -> sqlx::Result<()>;
}

for_both_databases! {
    impl AccountStatements {
        async fn account(&mut self, user_id: i64) -> sqlx::Result<Option<AccountRow>> {
            query_as!(
                AccountRow,
                "select username, email, created_at, verified_at, last_login_at, previous_login_at,
                    terms_version, terms_accepted_at
             from users where user_id = $1 and verified_at is not null",
                user_id
            )
            .fetch_optional(self)
            .await
        }

        async fn username_and_email(&mut self, user_id: i64) -> sqlx::Result<Option<(String, String)>> {
            let row = query!("select username, email from users where user_id = $1", user_id)
                .fetch_optional(self)
                .await?;
            Ok(row.map(|row| (row.username, row.email)))
        }

        async fn email_of(&mut self, user_id: i64) -> sqlx::Result<Option<String>> {
            query_scalar!("select email from users where user_id = $1", user_id)
                .fetch_optional(self)
                .await
        }

        async fn set_password_hash(&mut self, user_id: i64, password_hash: &str) -> sqlx::Result<String> {
            query_scalar!(
                "update users set password_hash = $1 where user_id = $2 returning email",
                password_hash,
                user_id
            )
            .fetch_one(self)
            .await
        }

        async fn forget_event_origins(&mut self, user_id: i64) -> sqlx::Result<()> {
            query!(
                "update security_events set ip = null, user_agent = null
             where user_id = $1 and (ip is not null or user_agent is not null)",
                user_id
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn forget_sign_in_failures(&mut self, username: &str, email: &str) -> sqlx::Result<()> {
            query!(
                "delete from sign_in_throttle where identifier in ($1, $2)",
                username,
                email
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn delete_user(&mut self, user_id: i64) -> sqlx::Result<()> {
            query!("delete from users where user_id = $1", user_id)
                .execute(self)
                .await?;
            Ok(())
        }

        async fn accept_terms(&mut self, user_id: i64, version: &str, now: i64) -> sqlx::Result<()> {
            query!(
                "update users set terms_version = $1, terms_accepted_at = $2 where user_id = $3",
                version,
                now,
                user_id
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn save_language(&mut self, user_id: i64, language: &str) -> sqlx::Result<()> {
            query!("update users set language = $1 where user_id = $2", language, user_id)
                .execute(self)
                .await?;
            Ok(())
        }
    }
}
