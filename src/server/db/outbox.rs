use sqlx::{SqliteConnection, SqlitePool};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    VerificationCode,
    /// "Someone tried to register with your address": sent instead of a code when the address
    /// already has an account.
    AlreadyRegistered,
}

impl MailKind {
    fn as_str(self) -> &'static str {
        match self {
            MailKind::VerificationCode => "verification_code",
            MailKind::AlreadyRegistered => "already_registered",
        }
    }

    fn parse(kind: &str) -> MailKind {
        match kind {
            "already_registered" => MailKind::AlreadyRegistered,
            _ => MailKind::VerificationCode,
        }
    }
}

#[derive(Debug)]
pub struct OutboxItem {
    pub outbox_id: i64,
    pub verification_id: i64,
    pub kind: MailKind,
    pub attempts: i64,
}

/// Queues a mail for a verification. If one is still unsent, it is sent now instead of twice.
pub async fn enqueue(
    conn: &mut SqliteConnection,
    verification_id: i64,
    kind: MailKind,
    now: i64,
) -> Result<(), sqlx::Error> {
    let kind = kind.as_str();
    let updated = sqlx::query!(
        "update email_outbox set next_attempt_at = ?, kind = ? where verification_id = ? and sent_at is null",
        now,
        kind,
        verification_id
    )
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        sqlx::query!(
            "insert into email_outbox (verification_id, kind, next_attempt_at, created_at) values (?, ?, ?, ?)",
            verification_id,
            kind,
            now,
            now
        )
        .execute(conn)
        .await?;
    }
    Ok(())
}

pub async fn due(pool: &SqlitePool, now: i64, max_attempts: i64) -> Result<Vec<OutboxItem>, sqlx::Error> {
    let rows = sqlx::query!(
        "select outbox_id as \"outbox_id!\", verification_id, kind, attempts from email_outbox
         where sent_at is null and next_attempt_at <= ? and attempts < ?
         order by next_attempt_at limit 16",
        now,
        max_attempts
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| OutboxItem {
            outbox_id: row.outbox_id,
            verification_id: row.verification_id,
            kind: MailKind::parse(&row.kind),
            attempts: row.attempts,
        })
        .collect())
}

/// Seconds until the next mail is due, so the worker can sleep exactly that long.
pub async fn next_due_at(pool: &SqlitePool, max_attempts: i64) -> Result<Option<i64>, sqlx::Error> {
    let row = sqlx::query!(
        "select min(next_attempt_at) as next_at from email_outbox where sent_at is null and attempts < ?",
        max_attempts
    )
    .fetch_one(pool)
    .await?;
    Ok(row.next_at)
}

pub async fn mark_sent(pool: &SqlitePool, outbox_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update email_outbox set sent_at = ?, last_error = null where outbox_id = ?",
        now,
        outbox_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn mark_failed(
    pool: &SqlitePool,
    outbox_id: i64,
    next_attempt_at: i64,
    error: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update email_outbox set attempts = attempts + 1, next_attempt_at = ?, last_error = ? where outbox_id = ?",
        next_attempt_at,
        error,
        outbox_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Failed deliveries of the mail still waiting for this verification, if one is waiting.
pub async fn unsent_failures(
    conn: &mut SqliteConnection,
    verification_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let row = sqlx::query!(
        "select attempts from email_outbox where verification_id = ? and sent_at is null",
        verification_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|row| row.attempts))
}
