//! `email_outbox`: mail queued in the same transaction as what it tells about, claimed by a
//! worker under a lease, marked sent or failed.

use sqlx::{PgConnection, PgPool};

use super::security_log;
use crate::server::store::{
    AuditEntry, ClaimedMail, CodePurpose, EventKind, GaugeQuery, Gauges, MailClaim, MailKind, NoticeDetails,
    Outcome,
};

pub(super) struct NewMail<'a> {
    pub kind: MailKind,
    pub recipient: &'a str,
    pub code_id: Option<i64>,
    pub user_id: Option<i64>,
    pub secret_nonce: Option<&'a [u8]>,
    /// A notice's `NoticeDetails`, as JSON.
    pub details: Option<&'a str>,
    pub now: i64,
}

impl<'a> NewMail<'a> {
    pub fn to(recipient: &'a str, now: i64) -> NewMail<'a> {
        NewMail {
            kind: MailKind::Code,
            recipient,
            code_id: None,
            user_id: None,
            secret_nonce: None,
            details: None,
            now,
        }
    }
}

pub(super) async fn queue(conn: &mut PgConnection, mail: &NewMail<'_>) -> Result<(), sqlx::Error> {
    let kind = mail.kind.as_str();
    sqlx::query!(
        "insert into email_outbox (kind, recipient, code_id, user_id, secret_nonce, details, next_attempt_at, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        kind,
        mail.recipient,
        mail.code_id,
        mail.user_id,
        mail.secret_nonce,
        mail.details,
        mail.now,
        mail.now
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Queues a notice of `kind` to the account's current address.
pub(super) async fn queue_notice(
    conn: &mut PgConnection,
    kind: MailKind,
    user_id: i64,
    details: &NoticeDetails,
    now: i64,
) -> Result<(), sqlx::Error> {
    let email = sqlx::query_scalar!("select email from users where user_id = $1", user_id)
        .fetch_one(&mut *conn)
        .await?;
    let details = details.json();
    let mail = NewMail {
        kind,
        user_id: Some(user_id),
        details: Some(&details),
        ..NewMail::to(&email, now)
    };
    queue(conn, &mail).await
}

pub(super) async fn claim(
    conn: &mut PgConnection,
    claim: &MailClaim<'_>,
) -> Result<Vec<ClaimedMail>, sqlx::Error> {
    let lease_until = claim.now + claim.lease_secs;
    let max_attempts = i64::from(claim.max_attempts);
    sqlx::query!(
        "update email_outbox set claimed_until = $1, claim_token = $2
         where outbox_id in (
             select outbox_id from email_outbox
             where sent_at is null and attempts < $3 and next_attempt_at <= $4
               and (claimed_until is null or claimed_until <= $4)
             order by next_attempt_at, outbox_id limit $5
             for update skip locked)",
        lease_until,
        claim.claim_token,
        max_attempts,
        claim.now,
        claim.batch
    )
    .execute(&mut *conn)
    .await?;
    let rows = sqlx::query!(
        r#"select o.outbox_id as "outbox_id!", o.kind, o.recipient, o.secret_nonce, o.details, o.attempts,
                  u.username as "username?", c.purpose as "purpose?"
           from email_outbox o
           left join users u on u.user_id = o.user_id
           left join email_codes c on c.code_id = o.code_id
           where o.claim_token = $1 and o.sent_at is null
           order by o.outbox_id"#,
        claim.claim_token
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(ClaimedMail {
                outbox_id: row.outbox_id,
                kind: MailKind::parse(&row.kind)?,
                recipient: row.recipient,
                secret_nonce: row.secret_nonce,
                username: row.username,
                purpose: row.purpose.as_deref().and_then(CodePurpose::parse),
                details: row
                    .details
                    .as_deref()
                    .and_then(|details| serde_json::from_str(details).ok()),
                attempts: row.attempts,
            })
        })
        .collect())
}

/// Marks the mail sent (if this claim still holds it), forgets its secret and details, and starts
/// its code's lifetime.
pub(super) async fn delivered(
    conn: &mut PgConnection,
    outbox_id: i64,
    claim_token: &str,
    now: i64,
    code_ttl_secs: i64,
) -> Result<(), sqlx::Error> {
    let row = sqlx::query!(
        "update email_outbox set sent_at = $1, secret_nonce = null, details = null, claimed_until = null
         where outbox_id = $2 and claim_token = $3 and sent_at is null
         returning kind, code_id, user_id",
        now,
        outbox_id,
        claim_token
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(()); // replaced by a newer code, or taken over after the lease ran out
    };
    if let Some(code_id) = row.code_id {
        let expires_at = now + code_ttl_secs;
        sqlx::query!(
            "update email_codes set code_sent_at = $1, code_expires_at = $2 where code_id = $3 and finished_at is null",
            now,
            expires_at,
            code_id
        )
        .execute(&mut *conn)
        .await?;
    }
    if MailKind::parse(&row.kind) == Some(MailKind::Code) {
        let entry = AuditEntry::new(EventKind::CodeIssued, Outcome::Success, row.user_id, None, now);
        security_log::insert(conn, &entry).await?;
    }
    Ok(())
}

pub(super) async fn failed(
    pool: &PgPool,
    outbox_id: i64,
    claim_token: &str,
    retry_at: i64,
    error: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update email_outbox set attempts = attempts + 1, next_attempt_at = $1, last_error = $2,
                claimed_until = null, claim_token = null
         where outbox_id = $3 and claim_token = $4 and sent_at is null",
        retry_at,
        error,
        outbox_id,
        claim_token
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn next_due_at(pool: &PgPool, max_attempts: u32) -> Result<Option<i64>, sqlx::Error> {
    let max_attempts = i64::from(max_attempts);
    sqlx::query_scalar!(
        r#"select min(greatest(next_attempt_at, coalesce(claimed_until, 0))) as "next_due_at?: i64"
           from email_outbox where sent_at is null and attempts < $1"#,
        max_attempts
    )
    .fetch_one(pool)
    .await
}

pub(super) async fn oldest_unsent_at(pool: &PgPool, max_attempts: u32) -> Result<Option<i64>, sqlx::Error> {
    let max_attempts = i64::from(max_attempts);
    sqlx::query_scalar!(
        r#"select min(created_at) as "oldest?: i64" from email_outbox where sent_at is null and attempts < $1"#,
        max_attempts
    )
    .fetch_one(pool)
    .await
}

/// The metrics' gauges: mail still to send (and the oldest one's age), sessions in use. The
/// sessions' count lives here, beside the outbox's, so one round trip reads all three.
pub(super) async fn gauges(pool: &PgPool, query: GaugeQuery) -> Result<Gauges, sqlx::Error> {
    let max_attempts = i64::from(query.max_attempts);
    let row = sqlx::query!(
        r#"select (select count(*) from email_outbox where sent_at is null and attempts < $1) as "outbox_depth!: i64",
                  (select min(created_at) from email_outbox where sent_at is null and attempts < $1) as "outbox_oldest_at?: i64",
                  (select count(*) from devices where last_seen_at > $2 and signed_in_at > $3) as "active_sessions!: i64""#,
        max_attempts,
        query.seen_since,
        query.signed_in_since
    )
    .fetch_one(pool)
    .await?;
    Ok(Gauges {
        outbox_depth: row.outbox_depth,
        outbox_oldest_at: row.outbox_oldest_at,
        active_sessions: row.active_sessions,
    })
}
