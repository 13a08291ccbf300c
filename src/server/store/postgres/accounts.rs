//! `users`, as the account's owner sees and changes it.

use sqlx::{PgConnection, PgPool};

use super::{outbox, security_log};
use crate::server::store::{
    AccountRow, AuditEntry, EventKind, MailKind, NoticeDetails, Outcome, PasswordChange,
};

pub(super) async fn find(pool: &PgPool, user_id: i64) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as!(
        AccountRow,
        "select username, email, created_at, verified_at, last_login_at, previous_login_at
         from users where user_id = $1 and verified_at is not null",
        user_id
    )
    .fetch_optional(pool)
    .await
}

pub(super) async fn change_password(
    conn: &mut PgConnection,
    change: &PasswordChange<'_>,
) -> Result<(), sqlx::Error> {
    let email = sqlx::query_scalar!(
        "update users set password_hash = $1 where user_id = $2 returning email",
        change.password_hash,
        change.user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from devices where user_id = $1 and handle != $2",
        change.user_id,
        change.keep_handle
    )
    .execute(&mut *conn)
    .await?;
    let details = change.details.json();
    let mail = outbox::NewMail {
        kind: MailKind::PasswordChanged,
        user_id: Some(change.user_id),
        details: Some(&details),
        ..outbox::NewMail::to(&email, change.now)
    };
    outbox::queue(conn, &mail).await?;
    let entry = AuditEntry::new(
        EventKind::PasswordChanged,
        Outcome::Success,
        Some(change.user_id),
        Some(change.client),
        change.now,
    );
    security_log::insert(conn, &entry).await
}

pub(super) async fn delete(
    conn: &mut PgConnection,
    user_id: i64,
    details: &NoticeDetails,
    now: i64,
    actor_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    let Some(account) = sqlx::query!("select username, email from users where user_id = $1", user_id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(());
    };
    // The last mail outlives the account: it names the account itself, not through its row.
    let details = NoticeDetails {
        username: Some(account.username.clone()),
        ..details.clone()
    }
    .json();
    let mail = outbox::NewMail {
        kind: MailKind::AccountDeleted,
        details: Some(&details),
        ..outbox::NewMail::to(&account.email, now)
    };
    outbox::queue(conn, &mail).await?;
    // The events stay for their retention period, without where they came from.
    sqlx::query!(
        "update security_events set ip = null, user_agent = null
         where user_id = $1 and (ip is not null or user_agent is not null)",
        user_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from sign_in_throttle where identifier in ($1, $2)",
        account.username,
        account.email
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("delete from users where user_id = $1", user_id)
        .execute(&mut *conn)
        .await?;
    let entry = AuditEntry {
        actor_id,
        ..AuditEntry::new(
            EventKind::AccountDeleted,
            Outcome::Success,
            Some(user_id),
            None,
            now,
        )
    };
    security_log::insert(conn, &entry).await
}
