//! `email_outbox`: mail queued in the same transaction as what it tells about, claimed by a
//! worker under a lease, marked sent or failed.

use super::{
    statements::{AccountStatements, MailStatements, NewMail, Statements},
    AuditEntry, EventKind, MailKind, NoticeDetails, Outcome,
};

/// Queues a notice of `kind` to the account's current address.
pub async fn queue_notice(
    conn: &mut (impl AccountStatements + MailStatements + Send),
    kind: MailKind,
    user_id: i64,
    details: &NoticeDetails,
    now: i64,
) -> sqlx::Result<()> {
    let email = conn.email_of(user_id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let details = details.json();
    let mail = NewMail {
        kind,
        user_id: Some(user_id),
        details: Some(&details),
        ..NewMail::to(&email, now)
    };
    conn.queue_mail(&mail).await
}

/// Marks the mail sent (if this claim still holds it) and starts its code's lifetime.
pub(super) async fn delivered(
    conn: &mut impl Statements,
    outbox_id: i64,
    claim_token: &str,
    now: i64,
    code_ttl_secs: i64,
) -> sqlx::Result<()> {
    let Some(sent) = conn.mark_mail_sent(outbox_id, claim_token, now).await? else {
        return Ok(()); // replaced by a newer code, or taken over after the lease ran out
    };
    if let Some(code_id) = sent.code_id {
        conn.start_code_lifetime(code_id, now, now + code_ttl_secs)
            .await?;
    }
    // A notice standing in for a code is a code sent, to whoever asked: the same trace either way.
    if matches!(
        MailKind::parse(&sent.kind),
        Some(MailKind::Code | MailKind::AlreadyRegistered)
    ) {
        let entry = AuditEntry::new(EventKind::CodeIssued, Outcome::Success, sent.user_id, None, now);
        conn.insert_event(&entry).await?;
    }
    Ok(())
}
