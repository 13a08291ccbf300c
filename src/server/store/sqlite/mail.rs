//! `email_outbox`: mail queued in the same transaction as what it tells about, claimed by a
//! worker under a lease, marked sent or failed.

use async_trait::async_trait;
use sqlx::SqliteConnection;

use crate::server::store::{
    statements::{MailStatements, NewMail, SentMail},
    ClaimedMail, CodePurpose, GaugeQuery, Gauges, MailClaim, MailKind,
};

#[async_trait]
impl MailStatements for SqliteConnection {
    async fn queue_mail(&mut self, mail: &NewMail<'_>) -> sqlx::Result<()> {
        let kind = mail.kind.as_str();
        sqlx::query!(
            "insert into email_outbox (kind, recipient, code_id, user_id, secret_nonce, details, next_attempt_at, created_at)
             values (?, ?, ?, ?, ?, ?, ?, ?)",
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
        sqlx::query!(
            "update email_outbox set claimed_until = ?1, claim_token = ?2
             where outbox_id in (
                 select outbox_id from email_outbox
                 where sent_at is null and attempts < ?3 and next_attempt_at <= ?4
                   and (claimed_until is null or claimed_until <= ?4)
                 order by next_attempt_at, outbox_id limit ?5)",
            lease_until,
            claim.claim_token,
            max_attempts,
            claim.now,
            claim.batch
        )
        .execute(&mut *self)
        .await?;
        let rows = sqlx::query!(
            r#"select o.outbox_id as "outbox_id!", o.kind, o.recipient, o.secret_nonce, o.details, o.attempts,
                      u.username as "username?", c.purpose as "purpose?"
               from email_outbox o
               left join users u on u.user_id = o.user_id
               left join email_codes c on c.code_id = o.code_id
               where o.claim_token = ? and o.sent_at is null
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
        sqlx::query_as!(
            SentMail,
            "update email_outbox set sent_at = ?, secret_nonce = null, details = null, claimed_until = null
         where outbox_id = ? and claim_token = ? and sent_at is null
         returning kind, code_id, user_id",
            now,
            outbox_id,
            claim_token
        )
        .fetch_optional(self)
        .await
    }

    async fn start_code_lifetime(&mut self, code_id: i64, sent_at: i64, expires_at: i64) -> sqlx::Result<()> {
        sqlx::query!(
            "update email_codes set code_sent_at = ?, code_expires_at = ? where code_id = ? and finished_at is null",
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
        sqlx::query!(
            "update email_outbox set attempts = attempts + 1, next_attempt_at = ?, last_error = ?,
                    claimed_until = null, claim_token = null
             where outbox_id = ? and claim_token = ? and sent_at is null",
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
        sqlx::query_scalar!(
            r#"select min(max(next_attempt_at, coalesce(claimed_until, 0))) as "next_due_at?: i64"
               from email_outbox where sent_at is null and attempts < ?"#,
            max_attempts
        )
        .fetch_one(self)
        .await
    }

    async fn oldest_unsent_mail_at(&mut self, max_attempts: u32) -> sqlx::Result<Option<i64>> {
        let max_attempts = i64::from(max_attempts);
        sqlx::query_scalar!(
            r#"select min(created_at) as "oldest?: i64" from email_outbox where sent_at is null and attempts < ?"#,
            max_attempts
        )
        .fetch_one(self)
        .await
    }

    async fn gauges(&mut self, query: GaugeQuery) -> sqlx::Result<Gauges> {
        let max_attempts = i64::from(query.max_attempts);
        let row = sqlx::query!(
            r#"select (select count(*) from email_outbox where sent_at is null and attempts < ?1) as "outbox_depth!: i64",
                      (select min(created_at) from email_outbox where sent_at is null and attempts < ?1) as "outbox_oldest_at?: i64",
                      (select count(*) from devices where last_seen_at > ?2 and signed_in_at > ?3) as "active_sessions!: i64""#,
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
