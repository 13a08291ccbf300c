//! Registration, password recovery and address changes: the emailed-code flows (`email_codes`),
//! the accounts they make or change, and their queued mail.

use sqlx::PgConnection;

use super::{limits, lock_keys, outbox, security_log};
use crate::server::{
    codes,
    store::{
        AuditEntry, CodeAttempt, CodeFlow, CodePurpose, CodeResend, CodeVerdict, EventKind, FinishRecovery,
        LimitCheck, LimitRequest, MailKind, NewRegistration, NoticeDetails, Outcome, RecoveryAccount,
        Refusal, RegistrationCreated, ResendVerdict, StartEmailChange, StartRecovery,
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

/// The flow `flow_token` names while its code can still be entered; with `lock`, its row stays
/// locked until the transaction ends.
pub(super) async fn find(
    conn: &mut PgConnection,
    purpose: CodePurpose,
    flow_token: &str,
    lock: bool,
) -> Result<Option<FlowRow>, sqlx::Error> {
    let purpose = purpose.as_str();
    if lock {
        sqlx::query_scalar!(
            "select code_id from email_codes
             where flow_token = $1 and purpose = $2 and verified_at is null and finished_at is null for update",
            flow_token,
            purpose
        )
        .fetch_optional(&mut *conn)
        .await?;
    }
    let row = sqlx::query!(
        r#"select code_id as "code_id!", user_id, email, code_hash, code_sent_at, code_expires_at,
                  code_failed_attempts, total_failed_attempts, last_requested_at,
                  (select attempts from email_outbox o where o.code_id = c.code_id and o.sent_at is null
                   order by outbox_id desc limit 1) as "unsent_delivery_failures?: i64"
           from email_codes c
           where flow_token = $1 and purpose = $2 and verified_at is null and finished_at is null"#,
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

/// A new flow's row; its mail is queued separately.
async fn insert_flow(
    conn: &mut PgConnection,
    purpose: CodePurpose,
    flow_token: &str,
    user_id: Option<i64>,
    email: &str,
    code_hash: &[u8],
    now: i64,
) -> Result<i64, sqlx::Error> {
    let purpose = purpose.as_str();
    sqlx::query_scalar!(
        r#"insert into email_codes (flow_token, purpose, user_id, email, code_hash, last_requested_at, created_at)
           values ($1, $2, $3, $4, $5, $6, $7) returning code_id as "code_id!""#,
        flow_token,
        purpose,
        user_id,
        email,
        code_hash,
        now,
        now
    )
    .fetch_one(conn)
    .await
}

/// Queues a flow's mail: a code (its digits derive from `nonce`), or a decoy's notice (or nothing).
async fn queue_flow_mail(
    conn: &mut PgConnection,
    kind: MailKind,
    code_id: i64,
    user_id: Option<i64>,
    recipient: &str,
    nonce: &[u8],
    now: i64,
) -> Result<(), sqlx::Error> {
    let secret_nonce = (kind == MailKind::Code).then_some(nonce);
    let mail = outbox::NewMail {
        kind,
        code_id: Some(code_id),
        user_id,
        secret_nonce,
        ..outbox::NewMail::to(recipient, now)
    };
    outbox::queue(conn, &mail).await
}

pub(super) async fn create_registration(
    conn: &mut PgConnection,
    new: &NewRegistration<'_>,
) -> Result<RegistrationCreated, sqlx::Error> {
    let (username_key, email_key) = (
        format!("username:{}", new.username),
        format!("email:{}", new.email),
    );
    lock_keys(conn, &[&username_key, &email_key]).await?;
    // The same address may start over at once (its owner is who receives the code); a username is
    // freed only after its hold, so nobody can squat names with registrations they never finish.
    sqlx::query!(
        "delete from users where verified_at is null and (email = $1 or (username = $2 and created_at < $3))",
        new.email,
        new.username,
        new.username_held_since
    )
    .execute(&mut *conn)
    .await?;
    let taken = sqlx::query_scalar!(
        r#"select count(*) as "count!" from users where username = $1"#,
        new.username
    )
    .fetch_one(&mut *conn)
    .await?;
    if taken > 0 {
        return Ok(RegistrationCreated::UsernameTaken);
    }
    let address_has_account = sqlx::query_scalar!(
        r#"select count(*) as "count!" from users where email = $1"#,
        new.email
    )
    .fetch_one(&mut *conn)
    .await?
        > 0;
    let user_id = if address_has_account {
        None
    } else {
        Some(
            sqlx::query_scalar!(
                r#"insert into users (username, email, password_hash, created_at) values ($1, $2, $3, $4)
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
    let code_id = insert_flow(
        conn,
        CodePurpose::Registration,
        new.flow_token,
        user_id,
        new.email,
        &new.code.hash,
        new.now,
    )
    .await?;
    let kind = if user_id.is_some() {
        MailKind::Code
    } else {
        MailKind::AlreadyRegistered
    };
    queue_flow_mail(conn, kind, code_id, user_id, new.email, &new.code.nonce, new.now).await?;
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

pub(super) async fn attempt(
    conn: &mut PgConnection,
    attempt: &CodeAttempt<'_>,
) -> Result<CodeVerdict, sqlx::Error> {
    let now = attempt.now;
    let Some(row) = find(conn, attempt.purpose, attempt.flow_token, true).await? else {
        return Ok(CodeVerdict::NoFlow);
    };
    let check = &attempt.client_limit;
    lock_keys(conn, &[&check.bucket]).await?;
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
    let Some(user_id) = row.user_id.filter(|_| right) else {
        // A decoy flow never verifies: every guess is wrong, exactly as a wrong guess is.
        sqlx::query!(
            "update email_codes set code_failed_attempts = code_failed_attempts + 1,
                    total_failed_attempts = total_failed_attempts + 1
             where code_id = $1",
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
        return Ok(codes::wrong_guess(&row.flow, attempt.rules));
    };
    // The code is used up here, whatever it proves.
    sqlx::query!(
        "update email_codes set verified_at = $1, code_hash = null where code_id = $2",
        now,
        row.code_id
    )
    .execute(&mut *conn)
    .await?;
    match attempt.purpose {
        CodePurpose::Registration => {
            sqlx::query!(
                "update users set verified_at = $1 where user_id = $2 and verified_at is null",
                now,
                user_id
            )
            .execute(&mut *conn)
            .await?;
            finish_flow(conn, row.code_id, now).await?;
        }
        // The flow stays open for its last step, the new password.
        CodePurpose::Recovery => {}
        CodePurpose::EmailChange => {
            finish_flow(conn, row.code_id, now).await?;
            if !change_email(conn, user_id, &row.flow.email, attempt.details, now).await? {
                return Ok(CodeVerdict::NoFlow);
            }
        }
    }
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

async fn finish_flow(conn: &mut PgConnection, code_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update email_codes set finished_at = $1 where code_id = $2",
        now,
        code_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves the account to its proven new address and tells both addresses; false (nothing changed)
/// when another account took the address meanwhile.
async fn change_email(
    conn: &mut PgConnection,
    user_id: i64,
    new_email: &str,
    details: &NoticeDetails,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let taken = sqlx::query_scalar!(
        r#"select count(*) as "count!" from users where email = $1 and user_id != $2"#,
        new_email,
        user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let old_email = sqlx::query_scalar!("select email from users where user_id = $1", user_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(old_email) = old_email.filter(|_| taken == 0) else {
        return Ok(false);
    };
    sqlx::query!(
        "update users set email = $1 where user_id = $2",
        new_email,
        user_id
    )
    .execute(&mut *conn)
    .await?;
    let details = NoticeDetails {
        new_email: Some(new_email.to_string()),
        ..details.clone()
    }
    .json();
    for recipient in [old_email.as_str(), new_email] {
        let mail = outbox::NewMail {
            kind: MailKind::EmailChanged,
            user_id: Some(user_id),
            details: Some(&details),
            ..outbox::NewMail::to(recipient, now)
        };
        outbox::queue(conn, &mail).await?;
    }
    let entry = AuditEntry::new(
        EventKind::EmailChanged,
        Outcome::Success,
        Some(user_id),
        None,
        now,
    );
    security_log::insert(conn, &entry).await?;
    Ok(true)
}

pub(super) async fn resend(
    conn: &mut PgConnection,
    resend: &CodeResend<'_>,
) -> Result<ResendVerdict, sqlx::Error> {
    let now = resend.now;
    let Some(row) = find(conn, resend.purpose, resend.flow_token, true).await? else {
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
    // The same mail as the flow's first, to the same recipient: a code, or a decoy's notice.
    let first = sqlx::query!(
        "select kind, recipient from email_outbox where code_id = $1 order by outbox_id limit 1",
        row.code_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let (kind, recipient) = match first {
        Some(first) => (
            MailKind::parse(&first.kind).unwrap_or(MailKind::Code),
            first.recipient,
        ),
        None => (MailKind::Code, row.flow.email.clone()),
    };
    let mut checks = vec![resend.client_limit.clone()];
    checks.extend(mail_checks(&recipient, resend.mail_limits));
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
        "update email_codes set code_hash = $1, code_sent_at = null, code_expires_at = null, code_failed_attempts = 0,
                codes_issued = codes_issued + 1, last_requested_at = $2
         where code_id = $3",
        resend.code.hash,
        now,
        row.code_id
    )
    .execute(&mut *conn)
    .await?;
    // A mail still waiting carries the old code: it is replaced, and the new one starts with a
    // clean slate of delivery attempts, however long the mail server was down.
    sqlx::query!(
        "delete from email_outbox where code_id = $1 and sent_at is null",
        row.code_id
    )
    .execute(&mut *conn)
    .await?;
    queue_flow_mail(
        conn,
        kind,
        row.code_id,
        row.user_id,
        &recipient,
        &resend.code.nonce,
        now,
    )
    .await?;
    let entry = AuditEntry {
        actor_id: resend.actor_id,
        ..AuditEntry::new(
            EventKind::Resend,
            Outcome::Success,
            row.user_id,
            Some(resend.client),
            now,
        )
    };
    security_log::insert(conn, &entry).await?;
    Ok(ResendVerdict::Queued)
}

/// The limits mail to `address` counts against: hourly and daily to the address, and the
/// deployment's own cap.
fn mail_checks(address: &str, limits: crate::server::store::MailLimits) -> [LimitCheck; 3] {
    [
        LimitCheck {
            bucket: bucket::mail_to(address),
            limit: limits.per_address,
        },
        LimitCheck {
            bucket: bucket::daily_mail_to(address),
            limit: limits.per_address_daily,
        },
        LimitCheck {
            bucket: bucket::all_mail(),
            limit: limits.per_instance,
        },
    ]
}

pub(super) async fn registration_flow_of(
    conn: &mut PgConnection,
    user_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "select flow_token from email_codes
         where user_id = $1 and purpose = 'registration' and verified_at is null and finished_at is null
         order by code_id desc limit 1",
        user_id
    )
    .fetch_optional(conn)
    .await
}

pub(super) async fn start_recovery(
    conn: &mut PgConnection,
    start: &StartRecovery<'_>,
) -> Result<Result<(), Refusal>, sqlx::Error> {
    let now = start.now;
    // The mail limits count under the identifier as typed, whether or not it names an account.
    let mut checks = vec![start.client_limit.clone()];
    checks.extend(mail_checks(start.identifier, start.mail_limits));
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
        return Ok(Err(refused));
    }
    let account = sqlx::query!(
        r#"select user_id as "user_id!", email from users
           where (username = $1 or email = $1) and verified_at is not null"#,
        start.identifier
    )
    .fetch_optional(&mut *conn)
    .await?;
    let user_id = account.as_ref().map(|account| account.user_id);
    let (kind, recipient) = match account {
        Some(account) => (MailKind::Code, account.email),
        None if start.identifier.contains('@') && start.notify_unknown_address => {
            (MailKind::NoAccount, start.identifier.to_string())
        }
        None => (MailKind::Nothing, start.identifier.to_string()),
    };
    // A new request voids the previous one, for an account and for an identifier without one
    // alike: the same work either way, so the time taken does not tell them apart. Its mail goes
    // first: the outbox worker locks a mail, then its flow, and this takes them in that order too.
    sqlx::query!(
        "delete from email_outbox where code_id in (select code_id from email_codes where purpose = 'recovery' and finished_at is null and user_id is not distinct from $1 and email = $2)",
        user_id,
        recipient
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from email_codes where purpose = 'recovery' and finished_at is null and user_id is not distinct from $1 and email = $2",
        user_id,
        recipient
    )
    .execute(&mut *conn)
    .await?;
    let handoff = (start.actor_id.is_some() && kind == MailKind::Code).then(|| {
        NoticeDetails {
            handoff_flow: Some(start.flow_token.to_string()),
            ..NoticeDetails::default()
        }
        .json()
    });
    let code_id = insert_flow(
        conn,
        CodePurpose::Recovery,
        start.flow_token,
        user_id,
        &recipient,
        &start.code.hash,
        now,
    )
    .await?;
    // As `queue_flow_mail`, with the link of a reset an admin sent.
    let mail = outbox::NewMail {
        kind,
        code_id: Some(code_id),
        user_id,
        secret_nonce: (kind == MailKind::Code).then_some(start.code.nonce.as_slice()),
        details: handoff.as_deref(),
        ..outbox::NewMail::to(&recipient, now)
    };
    outbox::queue(conn, &mail).await?;
    let entry = AuditEntry {
        actor_id: start.actor_id,
        ..AuditEntry::new(
            EventKind::RecoveryRequested,
            Outcome::Success,
            user_id,
            Some(start.client),
            now,
        )
    };
    security_log::insert(conn, &entry).await?;
    Ok(Ok(()))
}

pub(super) async fn verified_recovery(
    conn: &mut PgConnection,
    flow_token: &str,
    verified_after: i64,
) -> Result<Option<RecoveryAccount>, sqlx::Error> {
    sqlx::query_as!(
        RecoveryAccount,
        r#"select u.user_id as "user_id!", u.username, u.email, u.password_hash
           from email_codes c join users u on u.user_id = c.user_id
           where c.flow_token = $1 and c.purpose = 'recovery' and c.verified_at > $2 and c.finished_at is null"#,
        flow_token,
        verified_after
    )
    .fetch_optional(conn)
    .await
}

pub(super) async fn finish_recovery(
    conn: &mut PgConnection,
    finish: &FinishRecovery<'_>,
) -> Result<bool, sqlx::Error> {
    let now = finish.now;
    let user_id = sqlx::query_scalar!(
        "update email_codes set finished_at = $1
         where flow_token = $2 and purpose = 'recovery' and verified_at > $3 and finished_at is null
         returning user_id",
        now,
        finish.flow_token,
        finish.verified_after
    )
    .fetch_optional(&mut *conn)
    .await?
    .flatten();
    let Some(user_id) = user_id else {
        return Ok(false);
    };
    let account = sqlx::query!(
        "update users set password_hash = $1, failed_sign_ins = 0, locked_at = null, unlock_token_hash = null,
                unlock_expires_at = null
         where user_id = $2 returning username, email",
        finish.password_hash,
        user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from sign_in_throttle where identifier in ($1, $2)",
        account.username,
        account.email
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("delete from devices where user_id = $1", user_id)
        .execute(&mut *conn)
        .await?;
    let details = finish.details.json();
    let mail = outbox::NewMail {
        kind: MailKind::PasswordChanged,
        user_id: Some(user_id),
        details: Some(&details),
        ..outbox::NewMail::to(&account.email, now)
    };
    outbox::queue(conn, &mail).await?;
    let entry = AuditEntry::new(
        EventKind::PasswordReset,
        Outcome::Success,
        Some(user_id),
        Some(finish.client),
        now,
    );
    security_log::insert(conn, &entry).await?;
    Ok(true)
}

pub(super) async fn start_email_change(
    conn: &mut PgConnection,
    start: &StartEmailChange<'_>,
) -> Result<Result<(), Refusal>, sqlx::Error> {
    let now = start.now;
    let Some(old_email) = sqlx::query_scalar!("select email from users where user_id = $1", start.user_id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(Ok(()));
    };
    // Both addresses will get mail: the new one a code, the old one a notice once it is done.
    let mut checks = vec![start.client_limit.clone()];
    checks.extend(mail_checks(start.new_email, start.mail_limits));
    checks.extend(mail_checks(&old_email, start.mail_limits).into_iter().take(2));
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
        return Ok(Err(refused));
    }
    sqlx::query!(
        "delete from email_codes where purpose = 'email_change' and user_id = $1 and finished_at is null",
        start.user_id
    )
    .execute(&mut *conn)
    .await?;
    let taken = sqlx::query_scalar!(
        r#"select count(*) as "count!" from users where email = $1"#,
        start.new_email
    )
    .fetch_one(&mut *conn)
    .await?
        > 0;
    // Another account's address gets a decoy flow (its owner is told), answered exactly alike.
    let (user_id, kind) = if taken {
        (None, MailKind::AlreadyRegistered)
    } else {
        (Some(start.user_id), MailKind::Code)
    };
    let code_id = insert_flow(
        conn,
        CodePurpose::EmailChange,
        start.flow_token,
        user_id,
        start.new_email,
        &start.code.hash,
        now,
    )
    .await?;
    queue_flow_mail(
        conn,
        kind,
        code_id,
        user_id,
        start.new_email,
        &start.code.nonce,
        now,
    )
    .await?;
    let entry = AuditEntry::new(
        EventKind::EmailChangeRequested,
        Outcome::Success,
        Some(start.user_id),
        Some(start.client),
        now,
    );
    security_log::insert(conn, &entry).await?;
    Ok(Ok(()))
}
