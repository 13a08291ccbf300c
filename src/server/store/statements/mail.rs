//! `email_outbox`: mail queued in the same transaction as what it tells about, claimed by a
//! worker under a lease, marked sent or failed.

use async_trait::async_trait;

use crate::server::domain::{ClaimedMail, CodePurpose, GaugeQuery, Gauges, MailClaim, MailKind};

pub struct NewMail<'a> {
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

/// What a delivered mail was about.
pub struct SentMail {
    pub kind: String,
    pub code_id: Option<i64>,
    pub user_id: Option<i64>,
}

#[async_trait]
pub trait MailStatements {
    async fn queue_mail(&mut self, mail: &NewMail<'_>) -> sqlx::Result<()>;
    /// Claims up to `claim.batch` due mails under `claim.claim_token` and returns them.
    async fn claim_due_mail(&mut self, claim: &MailClaim<'_>) -> sqlx::Result<Vec<ClaimedMail>>;
    /// Marks the mail sent if this claim still holds it, forgetting its secret and details.
    async fn mark_mail_sent(
        &mut self,
        outbox_id: i64,
        claim_token: &str,
        now: i64,
    ) -> sqlx::Result<Option<SentMail>>;
    /// A code's lifetime starts once: when its mail leaves, or at the request for a private
    /// recipient's (which its mail then leaves unchanged).
    async fn start_code_lifetime(&mut self, code_id: i64, sent_at: i64, expires_at: i64) -> sqlx::Result<()>;
    async fn mail_failed(
        &mut self,
        outbox_id: i64,
        claim_token: &str,
        retry_at: i64,
        error: &str,
    ) -> sqlx::Result<()>;
    async fn next_mail_due_at(&mut self, max_attempts: u32) -> sqlx::Result<Option<i64>>;
    async fn oldest_unsent_mail_at(&mut self, max_attempts: u32) -> sqlx::Result<Option<i64>>;
    /// The metrics' gauges: mail still to send (and the oldest one's age), sessions in use, in
    /// one round trip.
    async fn gauges(&mut self, query: GaugeQuery) -> sqlx::Result<Gauges>;
}

for_both_databases! {
    impl MailStatements {
        async fn queue_mail(&mut self, mail: &NewMail<'_>) -> sqlx::Result<()> {
            let kind = mail.kind.as_str();
            query!(
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
            .execute(self)
            .await?;
            Ok(())
        }

        async fn claim_due_mail(&mut self, claim: &MailClaim<'_>) -> sqlx::Result<Vec<ClaimedMail>> {
            let lease_until = claim.now + claim.lease_secs;
            let max_attempts = i64::from(claim.max_attempts);
            query!(
                sqlite: "update email_outbox set claimed_until = $1, claim_token = $2
                         where outbox_id in (
                             select outbox_id from email_outbox
                             where sent_at is null and attempts < $3 and next_attempt_at <= $4
                               and (claimed_until is null or claimed_until <= $4)
                             order by next_attempt_at, outbox_id limit $5)",
                // Another instance's claim skips the rows this one is claiming.
                postgres: "update email_outbox set claimed_until = $1, claim_token = $2
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
            .execute(&mut *self)
            .await?;
            let rows = query!(
                r#"select o.outbox_id as "outbox_id!", o.kind, o.recipient, o.secret_nonce, o.details, o.attempts,
                          u.username as "username?", u.language as "language?", c.purpose as "purpose?"
                   from email_outbox o
                   left join users u on u.user_id = o.user_id
                   left join email_codes c on c.code_id = o.code_id
                   where o.claim_token = $1 and o.sent_at is null
                   order by o.outbox_id"#,
                claim.claim_token
            )
            .fetch_all(self)
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
                        language: row.language,
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

        async fn mark_mail_sent(
            &mut self,
            outbox_id: i64,
            claim_token: &str,
            now: i64,
        ) -> sqlx::Result<Option<SentMail>> {
            query_as!(
                SentMail,
                "update email_outbox set sent_at = $1, secret_nonce = null, details = null, claimed_until = null
             where outbox_id = $2 and claim_token = $3 and sent_at is null
             returning kind, code_id, user_id",
                now,
                outbox_id,
                claim_token
            )
            .fetch_optional(self)
            .await
        }

        async fn start_code_lifetime(&mut self, code_id: i64, sent_at: i64, expires_at: i64) -> sqlx::Result<()> {
            query!(
                "update email_codes set code_sent_at = $1, code_expires_at = $2
                 where code_id = $3 and finished_at is null and code_sent_at is null",
                sent_at,
                expires_at,
                code_id
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn mail_failed(
            &mut self,
            outbox_id: i64,
            claim_token: &str,
            retry_at: i64,
            error: &str,
        ) -> sqlx::Result<()> {
            query!(
                "update email_outbox set attempts = attempts + 1, next_attempt_at = $1, last_error = $2,
                        claimed_until = null, claim_token = null
                 where outbox_id = $3 and claim_token = $4 and sent_at is null",
                retry_at,
                error,
                outbox_id,
                claim_token
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn next_mail_due_at(&mut self, max_attempts: u32) -> sqlx::Result<Option<i64>> {
            let max_attempts = i64::from(max_attempts);
            query_scalar!(
                r#"select min(case when claimed_until > next_attempt_at then claimed_until else next_attempt_at end)
                          as "next_due_at?: i64"
                   from email_outbox where sent_at is null and attempts < $1"#,
                max_attempts
            )
            .fetch_one(self)
            .await
        }

        async fn oldest_unsent_mail_at(&mut self, max_attempts: u32) -> sqlx::Result<Option<i64>> {
            let max_attempts = i64::from(max_attempts);
            query_scalar!(
                r#"select min(created_at) as "oldest?: i64" from email_outbox where sent_at is null and attempts < $1"#,
                max_attempts
            )
            .fetch_one(self)
            .await
        }

        async fn gauges(&mut self, query: GaugeQuery) -> sqlx::Result<Gauges> {
            let max_attempts = i64::from(query.max_attempts);
            let row = query!(
                r#"select (select count(*) from email_outbox where sent_at is null and attempts < $1) as "outbox_depth!: i64",
                          (select min(created_at) from email_outbox where sent_at is null and attempts < $1) as "outbox_oldest_at?: i64",
                          (select count(*) from sessions where last_seen_at > $2 and signed_in_at > $3) as "active_sessions!: i64""#,
                max_attempts,
                query.seen_since,
                query.signed_in_since
            )
            .fetch_one(self)
            .await?;
            Ok(Gauges {
                outbox_depth: row.outbox_depth,
                outbox_oldest_at: row.outbox_oldest_at,
                active_sessions: row.active_sessions,
            })
        }
    }
}
