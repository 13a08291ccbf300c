//! `users`, as the account's owner sees and changes it: a new password, deleting the account.

use super::{
    security_log,
    statements::{NewMail, Statements},
    AuditEntry, EventKind, MailKind, NoticeDetails, Outcome, PasswordChange,
};

pub(super) async fn change_password(
    conn: &mut impl Statements,
    change: &PasswordChange<'_>,
) -> sqlx::Result<()> {
    let email = conn
        .set_password_hash(change.user_id, change.password_hash)
        .await?;
    conn.end_sessions_but_handle(change.user_id, change.keep_handle)
        .await?;
    conn.end_open_flows(change.user_id, change.now).await?;
    let details = change.details.json();
    let mail = NewMail {
        kind: MailKind::PasswordChanged,
        user_id: Some(change.user_id),
        details: Some(&details),
        ..NewMail::to(&email, change.now)
    };
    conn.queue_mail(&mail).await?;
    security_log::record_success(
        conn,
        EventKind::PasswordChanged,
        Some(change.user_id),
        Some(change.client),
        change.now,
    )
    .await
}

/// Deletes the account and everything of it (by its owner, or by the admin `actor_id`).
pub(super) async fn delete(
    conn: &mut impl Statements,
    user_id: i64,
    details: &NoticeDetails,
    now: i64,
    actor_id: Option<i64>,
) -> sqlx::Result<()> {
    let Some((username, email)) = conn.username_and_email(user_id).await? else {
        return Ok(());
    };
    // The last mail outlives the account: it names the account itself, not through its row.
    let details = NoticeDetails {
        username: Some(username.clone()),
        ..details.clone()
    }
    .json();
    let mail = NewMail {
        kind: MailKind::AccountDeleted,
        details: Some(&details),
        ..NewMail::to(&email, now)
    };
    conn.queue_mail(&mail).await?;
    // The events stay for their retention period, without where they came from.
    conn.forget_event_origins(user_id).await?;
    conn.forget_sign_in_failures(&username, &email).await?;
    conn.delete_user(user_id).await?;
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
    conn.insert_event(&entry).await
}

pub(super) async fn accept_terms(
    conn: &mut impl Statements,
    user_id: i64,
    version: &str,
    client: &crate::server::client::Client,
    now: i64,
) -> sqlx::Result<()> {
    conn.accept_terms(user_id, version, now).await?;
    let entry = AuditEntry {
        detail: Some(version),
        ..AuditEntry::new(
            EventKind::TermsAccepted,
            Outcome::Success,
            Some(user_id),
            Some(client),
            now,
        )
    };
    conn.insert_event(&entry).await
}
