//! Registration and the emailed-code flows (`users`, `email_codes`, their queued mail).

use sqlx::SqliteConnection;

use super::{limits, outbox, security_log};
use crate::server::{
    codes,
    store::{
        AuditEntry, CodeAttempt, CodeFlow, CodePurpose, CodeResend, CodeVerdict, EventKind, LimitCheck,
        LimitRequest, MailKind, NewRegistration, Outcome, Refusal, RegistrationCreated, ResendVerdict,
    },
    throttle::bucket,
};

/// An open flow with what the operations need beyond the page's view of it.
pub(super) struct FlowRow {
    pub code_id: i64,
    pub user_id: Option<i64>,
    pub code_hash: Option<Vec<u8>>,
    pub flow: CodeFlow,
}

pub(super) async fn find(
    conn: &mut SqliteConnection,
    purpose: CodePurpose,
    flow_token: &str,
) -> Result<Option<FlowRow>, sqlx::Error> {
    let purpose = purpose.as_str();
    let row = sqlx::query!(
        r#"select code_id as "code_id!", user_id, email, code_hash, code_sent_at, code_expires_at,
                  code_failed_attempts, total_failed_attempts, last_requested_at,
                  (select attempts from email_outbox o where o.code_id = c.code_id and o.sent_at is null
                   order by outbox_id desc limit 1) as "unsent_delivery_failures?: i64"
           from email_codes c
           where flow_token = ? and purpose = ? and finished_at is null"#,
        flow_token,
        purpose
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|row| FlowRow {
        code_id: row.code_id,
        user_id: row.user_id,
        code_hash: row.code_hash,
        flow: CodeFlow {
            email: row.email,
            code_sent_at: row.code_sent_at,
            code_expires_at: row.code_expires_at,
            code_failed_attempts: row.code_failed_attempts,
            total_failed_attempts: row.total_failed_attempts,
            last_requested_at: row.last_requested_at,
            unsent_delivery_failures: row.unsent_delivery_failures,
        },
    }))
}

pub(super) async fn create_registration(
    conn: &mut SqliteConnection,
    new: &NewRegistration<'_>,
) -> Result<RegistrationCreated, sqlx::Error> {
    // The same address may start over at once (its owner is who receives the code); a username is
    // freed only after its hold, so nobody can squat names with registrations they never finish.
    sqlx::query!(
        "delete from users where verified_at is null and (email = ? or (username = ? and created_at < ?))",
        new.email,
        new.username,
        new.username_held_since
    )
    .execute(&mut *conn)
    .await?;
    let taken = sqlx::query_scalar!("select count(*) from users where username = ?", new.username)
        .fetch_one(&mut *conn)
        .await?;
    if taken > 0 {
        return Ok(RegistrationCreated::UsernameTaken);
    }
    let address_has_account = sqlx::query_scalar!("select count(*) from users where email = ?", new.email)
        .fetch_one(&mut *conn)
        .await?
        > 0;
    let user_id = if address_has_account {
        None
    } else {
        Some(
            sqlx::query_scalar!(
                r#"insert into users (username, email, password_hash, created_at) values (?, ?, ?, ?)
                   returning user_id as "user_id!""#,
                new.username,
                new.email,
                new.password_hash,
                new.now
            )
            .fetch_one(&mut *conn)
            .await?,
        )
    };
    let purpose = CodePurpose::Registration.as_str();
    let code_id = sqlx::query_scalar!(
        r#"insert into email_codes (flow_token, purpose, user_id, email, code_hash, last_requested_at, created_at)
           values (?, ?, ?, ?, ?, ?, ?) returning code_id as "code_id!""#,
        new.flow_token,
        purpose,
        user_id,
        new.email,
        new.code.hash,
        new.now,
        new.now
    )
    .fetch_one(&mut *conn)
    .await?;
    queue_code_mail(conn, code_id, user_id, new.email, &new.code.nonce, new.now).await?;
    let entry = AuditEntry::new(
        EventKind::Registration,
        Outcome::Success,
        user_id,
        Some(new.client),
        new.now,
    );
    security_log::insert(conn, &entry).await?;
    Ok(RegistrationCreated::Started)
}

/// The flow's code mail; a decoy flow (no account) notifies the address's owner instead.
async fn queue_code_mail(
    conn: &mut SqliteConnection,
    code_id: i64,
    user_id: Option<i64>,
    email: &str,
    nonce: &[u8],
    now: i64,
) -> Result<(), sqlx::Error> {
    let mail = match user_id {
        Some(_) => outbox::NewMail {
            kind: MailKind::Code,
            secret_nonce: Some(nonce),
            ..outbox::NewMail::to(email, now)
        },
        None => outbox::NewMail {
            kind: MailKind::AlreadyRegistered,
            ..outbox::NewMail::to(email, now)
        },
    };
    outbox::queue(
        conn,
        &outbox::NewMail {
            code_id: Some(code_id),
            user_id,
            ..mail
        },
    )
    .await
}

pub(super) async fn attempt(
    conn: &mut SqliteConnection,
    attempt: &CodeAttempt<'_>,
) -> Result<CodeVerdict, sqlx::Error> {
    let now = attempt.now;
    let Some(row) = find(conn, attempt.purpose, attempt.flow_token).await? else {
        return Ok(CodeVerdict::NoFlow);
    };
    let check = &attempt.client_limit;
    if let Some(retry_after_secs) = limits::wait_below(
        conn,
        &check.bucket,
        check.limit.window_secs(),
        check.limit.max,
        now,
    )
    .await?
    {
        return Ok(CodeVerdict::Refused(Refusal::RateLimited {
            bucket: check.bucket.clone(),
            retry_after_secs,
        }));
    }
    // From here on every guess counts against the client, refused by the code's state or wrong.
    limits::hit(conn, &attempt.client_limit.bucket, now).await?;
    if let Err(refused) = codes::admits_guess(&row.flow, now, attempt.rules) {
        return Ok(refused);
    }
    let right = row
        .code_hash
        .as_deref()
        .is_some_and(|hash| (attempt.matches)(hash));
    match row.user_id {
        Some(user_id) if right => {
            sqlx::query!(
                "update users set verified_at = ? where user_id = ? and verified_at is null",
                now,
                user_id
            )
            .execute(&mut *conn)
            .await?;
            sqlx::query!(
                "update email_codes set finished_at = ?, code_hash = null where code_id = ?",
                now,
                row.code_id
            )
            .execute(&mut *conn)
            .await?;
            let entry = AuditEntry::new(
                EventKind::CodeVerified,
                Outcome::Success,
                Some(user_id),
                Some(attempt.client),
                now,
            );
            security_log::insert(conn, &entry).await?;
            Ok(CodeVerdict::Verified)
        }
        // A decoy flow never verifies: every guess is wrong, exactly as a wrong guess is.
        _ => {
            sqlx::query!(
                "update email_codes set code_failed_attempts = code_failed_attempts + 1,
                        total_failed_attempts = total_failed_attempts + 1
                 where code_id = ?",
                row.code_id
            )
            .execute(&mut *conn)
            .await?;
            let entry = AuditEntry::new(
                EventKind::CodeFailed,
                Outcome::Failure,
                row.user_id,
                Some(attempt.client),
                now,
            );
            security_log::insert(conn, &entry).await?;
            Ok(codes::wrong_guess(&row.flow, attempt.rules))
        }
    }
}

pub(super) async fn resend(
    conn: &mut SqliteConnection,
    resend: &CodeResend<'_>,
) -> Result<ResendVerdict, sqlx::Error> {
    let now = resend.now;
    let Some(row) = find(conn, resend.purpose, resend.flow_token).await? else {
        return Ok(ResendVerdict::NoFlow);
    };
    if codes::flow_locked(&row.flow, resend.rules) {
        return Ok(ResendVerdict::FlowLocked);
    }
    let wait = row.flow.last_requested_at + resend.cooldown_secs - now;
    if wait > 0 {
        let bucket = bucket::code_cooldown(resend.flow_token);
        let retry_after_secs = u64::try_from(wait).unwrap_or(1);
        return Ok(ResendVerdict::Refused(Refusal::RateLimited {
            bucket,
            retry_after_secs,
        }));
    }
    let email = row.flow.email.as_str();
    let checks = [
        resend.client_limit.clone(),
        LimitCheck {
            bucket: bucket::mail_to(email),
            limit: resend.mail_limits.per_address,
        },
        LimitCheck {
            bucket: bucket::daily_mail_to(email),
            limit: resend.mail_limits.per_address_daily,
        },
        LimitCheck {
            bucket: bucket::all_mail(),
            limit: resend.mail_limits.per_instance,
        },
    ];
    if let Err(refused) = limits::take(
        conn,
        &LimitRequest {
            now,
            checks: &checks,
            proof_gate: None,
        },
    )
    .await?
    {
        return Ok(ResendVerdict::Refused(refused));
    }
    sqlx::query!(
        "update email_codes set code_hash = ?, code_sent_at = null, code_expires_at = null, code_failed_attempts = 0,
                codes_issued = codes_issued + 1, last_requested_at = ?
         where code_id = ?",
        resend.code.hash,
        now,
        row.code_id
    )
    .execute(&mut *conn)
    .await?;
    // A mail still waiting carries the old code: it is replaced, and the new one starts with a
    // clean slate of delivery attempts, however long the mail server was down.
    sqlx::query!(
        "delete from email_outbox where code_id = ? and sent_at is null",
        row.code_id
    )
    .execute(&mut *conn)
    .await?;
    queue_code_mail(conn, row.code_id, row.user_id, email, &resend.code.nonce, now).await?;
    let entry = AuditEntry::new(
        EventKind::Resend,
        Outcome::Success,
        row.user_id,
        Some(resend.client),
        now,
    );
    security_log::insert(conn, &entry).await?;
    Ok(ResendVerdict::Queued)
}

pub(super) async fn registration_flow_of(
    conn: &mut SqliteConnection,
    user_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "select flow_token from email_codes
         where user_id = ? and purpose = 'registration' and finished_at is null
         order by code_id desc limit 1",
        user_id
    )
    .fetch_optional(conn)
    .await
}
