//! `users`, as the account's owner sees it.

use sqlx::PgPool;

use crate::server::store::AccountRow;

pub(super) async fn find(pool: &PgPool, user_id: i64) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as!(
        AccountRow,
        "select username, email, created_at, previous_login_at from users where user_id = $1 and verified_at is not null",
        user_id
    )
    .fetch_optional(pool)
    .await
}
