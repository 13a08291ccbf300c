//! `email_outbox`: mail queued in the same transaction as what it tells about, claimed by a
//! worker under a lease, marked sent or failed.

use async_trait::async_trait;

use crate::server::domain::{ClaimedMail, GaugeQuery, Gauges, MailClaim, MailKind};

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
    /// A code's lifetime starts when its mail leaves.
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
