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
}
