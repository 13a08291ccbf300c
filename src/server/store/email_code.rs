//! Registration, password recovery and address changes: the emailed-code flows (`email_codes`),
//! the accounts they make or change, and their queued mail.

use super::{
    limits,
    mail::queue_notice,
    security_log, stand_in_address,
    statements::{FlowRow, NewMail, Statements},
    AuditEntry, CodeAttempt, CodePurpose, CodeResend, CodeVerdict, EventKind, FinishRecovery, LimitCheck,
    LimitRequest, MailKind, MailLimits, NewRegistration, NoticeDetails, Outcome, PrivateRecipient, Refusal,
    RegistrationCreated, ResendVerdict, StartEmailChange, StartRecovery,
};
use crate::server::{codes, throttle::bucket};

/// The flow, its row locked until the transaction ends.
async fn find_locked(
    conn: &mut impl Statements,
    purpose: CodePurpose,
    flow_token: &str,
) -> sqlx::Result<Option<FlowRow>> {
    conn.lock_code_flow(purpose, flow_token).await?;
    conn.code_flow_row(purpose, flow_token).await
}

/// Queues a flow's mail: a code (its digits derive from `nonce`), or a decoy's notice (or nothing).
async fn queue_flow_mail(
    conn: &mut impl Statements,
    kind: MailKind,
    code_id: i64,
    user_id: Option<i64>,
    recipient: &str,
    nonce: &[u8],
    now: i64,
) -> sqlx::Result<()> {
    let secret_nonce = (kind == MailKind::Code).then_some(nonce);
    let mail = NewMail {
        kind,
        code_id: Some(code_id),
        user_id,
        secret_nonce,
        ..NewMail::to(recipient, now)
    };
    conn.queue_mail(&mail).await
}

pub(super) async fn create_registration(
    conn: &mut impl Statements,
    new: &NewRegistration<'_>,
) -> sqlx::Result<RegistrationCreated> {
    let (username_key, email_key) = (
        format!("username:{}", new.username),
        format!("email:{}", new.email),
    );
    conn.lock_keys(&[&username_key, &email_key]).await?;
    // The same address may start over at once (its owner is who receives the code); a username is
    // freed only after its hold, so nobody can squat names with registrations they never finish.
    let stand_in = stand_in_address(new.email);
    conn.free_unverified(new.email, &stand_in, new.username, new.username_held_since)
        .await?;
    if conn.username_taken(new.username).await? {
        return Ok(RegistrationCreated::UsernameTaken);
    }
    // An address in use gets a stand-in account all the same: it holds the username and its
    // password leads to the verify page exactly as a real one's does, so neither a second
    // registration nor a sign-in tells that the address has an account. It is never verified,
    // and the address's owner gets a notice instead of the code.
    let address_taken = conn.address_taken(new.email).await?;
    let (held, kind) = match address_taken {
        true => (stand_in.as_str(), MailKind::AlreadyRegistered),
        false => (new.email, MailKind::Code),
    };
    let user_id = conn.insert_user(new, held).await?;
    let code_id = conn
        .insert_code_flow(
            CodePurpose::Registration,
            new.flow_token,
            Some(user_id),
            new.email,
            &new.code.hash,
            new.now,
        )
        .await?;
    let mail_about = (!address_taken).then_some(user_id);
    queue_flow_mail(
        conn,
        kind,
        code_id,
        mail_about,
        new.email,
        &new.code.nonce,
        new.now,
    )
    .await?;
    security_log::record_success(
        conn,
        EventKind::Registration,
        Some(user_id),
        Some(new.client),
        new.now,
    )
    .await?;
    Ok(RegistrationCreated::Started)
}

pub(super) async fn attempt_code(
    conn: &mut impl Statements,
    attempt: &CodeAttempt<'_>,
) -> sqlx::Result<CodeVerdict> {
    let now = attempt.now;
    let Some(row) = find_locked(conn, attempt.purpose, attempt.flow_token).await? else {
        return Ok(CodeVerdict::NoFlow);
    };
    let check = &attempt.client_limit;
    let recipient_budget = attempt
        .private_recipient
        .map(|private| (bucket::recovery_failures(&row.flow.email), private.failures));
    let mut keys = vec![check.bucket.as_str()];
    keys.extend(recipient_budget.as_ref().map(|(bucket, _)| bucket.as_str()));
    conn.lock_keys(&keys).await?;
    if let Some(refusal) = limits::refusal_if_full(conn, check, now).await? {
        return Ok(CodeVerdict::Refused(refusal));
    }
    // From here on every guess counts against the client, refused by the code's state or wrong.
    conn.insert_hit(&check.bucket, now).await?;
    if let Err(refused) = codes::admits_guess(&row.flow, now, attempt.rules) {
        return Ok(refused);
    }
    // A recipient whose budget of wrong codes is spent has every guess wrong, the right one too,
    // and says so only to its owner (by mail): an answer would tell an account from none.
    let paused = match &recipient_budget {
        Some((bucket, limit)) => limits::wait_below(conn, bucket, limit.window_secs(), limit.max, now)
            .await?
            .is_some(),
        None => false,
    };
    let right = !paused
        && row
            .code_hash
            .as_deref()
            .is_some_and(|hash| (attempt.matches)(hash));
    let Some(user_id) = row.user_id.filter(|_| right) else {
        // A flow without an account never verifies: every guess is wrong, exactly as a wrong
        // guess is. (A stand-in registration's code is mailed to nobody, and `verify_user` would
        // not take it.)
        conn.count_wrong_code(row.code_id).await?;
        let entry = AuditEntry::new(
            EventKind::CodeFailed,
            Outcome::Failure,
            row.user_id,
            Some(attempt.client),
            now,
        );
        conn.insert_event(&entry).await?;
        if let Some((bucket, limit)) = recipient_budget.filter(|_| !paused) {
            conn.insert_hit(&bucket, now).await?;
            let spent = limits::wait_below(conn, &bucket, limit.window_secs(), limit.max, now)
                .await?
                .is_some();
            if let Some(user_id) = row.user_id.filter(|_| spent) {
                queue_notice(conn, MailKind::RecoveryPaused, user_id, attempt.details, now).await?;
            }
        }
        return Ok(codes::wrong_guess(&row.flow, attempt.rules));
    };
    // The code is used up here, whatever it proves.
    conn.use_code(row.code_id, now).await?;
    match attempt.purpose {
        CodePurpose::Registration => {
            conn.verify_user(user_id, &row.flow.email, now).await?;
            conn.finish_code_flow(row.code_id, now).await?;
        }
        // The flow stays open for its last step, the new password.
        CodePurpose::Recovery => {}
        CodePurpose::EmailChange => {
            conn.finish_code_flow(row.code_id, now).await?;
            if !change_email(conn, user_id, &row.flow.email, attempt.details, now).await? {
                return Ok(CodeVerdict::NoFlow);
            }
        }
    }
    security_log::record_success(
        conn,
        EventKind::CodeVerified,
        Some(user_id),
        Some(attempt.client),
        now,
    )
    .await?;
    Ok(CodeVerdict::Verified)
}

/// Moves the account to its proven new address and tells both addresses; false (nothing changed)
/// when another account took the address meanwhile.
async fn change_email(
    conn: &mut impl Statements,
    user_id: i64,
    new_email: &str,
    details: &NoticeDetails,
    now: i64,
) -> sqlx::Result<bool> {
    let taken = conn.address_taken_by_another(new_email, user_id).await?;
    let old_email = conn.email_of(user_id).await?;
    let Some(old_email) = old_email.filter(|_| !taken) else {
        return Ok(false);
    };
    conn.set_email(user_id, new_email).await?;
    conn.end_open_flows(user_id, now).await?;
    let details = NoticeDetails {
        new_email: Some(new_email.to_string()),
        ..details.clone()
    }
    .json();
    for recipient in [old_email.as_str(), new_email] {
        let mail = NewMail {
            kind: MailKind::EmailChanged,
            user_id: Some(user_id),
            details: Some(&details),
            ..NewMail::to(recipient, now)
        };
        conn.queue_mail(&mail).await?;
    }
    security_log::record_success(conn, EventKind::EmailChanged, Some(user_id), None, now).await?;
    Ok(true)
}

pub(super) async fn resend_code(
    conn: &mut impl Statements,
    resend: &CodeResend<'_>,
) -> sqlx::Result<ResendVerdict> {
    let now = resend.now;
    let Some(row) = find_locked(conn, resend.purpose, resend.flow_token).await? else {
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
    // The same mail as the flow's first, to the same recipient: a code, or a decoy's notice; a
    // code again when a cap dropped the first one of an account's flow.
    let (first_kind, recipient) = match conn.first_mail_of_flow(row.code_id).await? {
        Some((kind, recipient)) => (MailKind::parse(&kind).unwrap_or(MailKind::Code), recipient),
        None => (MailKind::Code, row.flow.email.clone()),
    };
    let kind = match (first_kind, row.user_id) {
        (MailKind::Nothing, Some(_)) => MailKind::Code,
        (kind, _) => kind,
    };
    let mut checks = vec![resend.client_limit.clone(), all_mail_check(resend.mail_limits)];
    if resend.private_recipient.is_none() {
        checks.extend(recipient_checks(&recipient, resend.mail_limits));
    }
    if let Err(refused) = take_limits(conn, &checks, now).await? {
        return Ok(ResendVerdict::Refused(refused));
    }
    let kind = match resend.private_recipient {
        Some(private) => capped_silently(conn, kind, &recipient, resend.mail_limits, private, now).await?,
        None => kind,
    };
    conn.renew_code(row.code_id, &resend.code.hash, now).await?;
    if let Some(private) = resend.private_recipient {
        conn.start_code_lifetime(row.code_id, now, now + private.code_lifetime_secs)
            .await?;
    }
    // A mail still waiting carries the old code: it is replaced, and the new one starts with a
    // clean slate of delivery attempts, however long the mail server was down.
    conn.delete_unsent_mail_of_flow(row.code_id).await?;
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
    conn.insert_event(&entry).await?;
    Ok(ResendVerdict::Queued)
}

async fn take_limits(
    conn: &mut impl Statements,
    checks: &[LimitCheck],
    now: i64,
) -> sqlx::Result<Result<(), Refusal>> {
    let request = LimitRequest {
        now,
        checks,
        proof_gate: None,
    };
    limits::take(conn, &request).await
}

/// The caps on mail to `address`: hourly and daily.
fn recipient_checks(address: &str, limits: MailLimits) -> [LimitCheck; 2] {
    [
        LimitCheck {
            bucket: bucket::mail_to(address),
            limit: limits.per_address,
        },
        LimitCheck {
            bucket: bucket::daily_mail_to(address),
            limit: limits.per_address_daily,
        },
    ]
}

/// The cap on all mail the deployment sends.
fn all_mail_check(limits: MailLimits) -> LimitCheck {
    LimitCheck {
        bucket: bucket::all_mail(),
        limit: limits.per_instance,
    }
}

/// `kind`, or nothing at all when the recipient's caps are full or its wrong codes spent their
/// budget: a private recipient's caps count under whom the mail would reach, whatever was typed,
/// and are never answered with 429.
async fn capped_silently(
    conn: &mut impl Statements,
    kind: MailKind,
    recipient: &str,
    limits: MailLimits,
    private: PrivateRecipient,
    now: i64,
) -> sqlx::Result<MailKind> {
    let failures = private.failures;
    let budget = bucket::recovery_failures(recipient);
    if limits::wait_below(conn, &budget, failures.window_secs(), failures.max, now)
        .await?
        .is_some()
    {
        return Ok(MailKind::Nothing);
    }
    let checks = recipient_checks(recipient, limits);
    Ok(match take_limits(conn, &checks, now).await? {
        Ok(()) => kind,
        Err(_) => MailKind::Nothing,
    })
}

pub(super) async fn start_recovery(
    conn: &mut impl Statements,
    start: &StartRecovery<'_>,
) -> sqlx::Result<Result<(), Refusal>> {
    let now = start.now;
    let checks = [start.client_limit.clone(), all_mail_check(start.mail_limits)];
    if let Err(refused) = take_limits(conn, &checks, now).await? {
        return Ok(Err(refused));
    }
    let account = conn.recoverable_account(start.identifier).await?;
    let user_id = account.as_ref().map(|(user_id, _)| *user_id);
    let (kind, recipient) = match account {
        Some((_, email)) => (MailKind::Code, email),
        None if start.identifier.contains('@') && start.notify_unknown_address => {
            (MailKind::NoAccount, start.identifier.to_string())
        }
        None => (MailKind::Nothing, start.identifier.to_string()),
    };
    let kind = capped_silently(
        conn,
        kind,
        &recipient,
        start.mail_limits,
        start.private_recipient,
        now,
    )
    .await?;
    // A new request voids the previous one, for an account and for an identifier without one
    // alike: the same work either way, so the time taken does not tell them apart.
    conn.void_recovery_flows(user_id, &recipient).await?;
    // A code an admin sent carries the link that opens its flow; a mail to an address without an
    // account is written in the asker's language (there is no account's to follow).
    let details = match kind {
        MailKind::Code if start.actor_id.is_some() => Some(NoticeDetails {
            handoff_flow: Some(start.flow_token.to_string()),
            ..NoticeDetails::default()
        }),
        MailKind::NoAccount => Some(NoticeDetails {
            language: Some(start.client.language.code().to_string()),
            ..NoticeDetails::default()
        }),
        _ => None,
    }
    .map(|details| details.json());
    let code_id = conn
        .insert_code_flow(
            CodePurpose::Recovery,
            start.flow_token,
            user_id,
            &recipient,
            &start.code.hash,
            now,
        )
        .await?;
    let lifetime = start.private_recipient.code_lifetime_secs;
    conn.start_code_lifetime(code_id, now, now + lifetime).await?;
    // As `queue_flow_mail`, with the link of a reset an admin sent.
    let mail = NewMail {
        kind,
        code_id: Some(code_id),
        user_id,
        secret_nonce: (kind == MailKind::Code).then_some(start.code.nonce.as_slice()),
        details: details.as_deref(),
        ..NewMail::to(&recipient, now)
    };
    conn.queue_mail(&mail).await?;
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
    conn.insert_event(&entry).await?;
    Ok(Ok(()))
}

/// Sets the new password (once per flow): every session ends, the lock and the delays are lifted,
/// the owner is told by mail. False if the flow was used or went stale meanwhile.
pub(super) async fn finish_recovery(
    conn: &mut impl Statements,
    finish: &FinishRecovery<'_>,
) -> sqlx::Result<bool> {
    let now = finish.now;
    let Some(user_id) = conn
        .finish_recovery_flow(finish.flow_token, finish.verified_after, now)
        .await?
    else {
        return Ok(false);
    };
    let (username, email) = conn.reset_password(user_id, finish.password_hash).await?;
    conn.forget_sign_in_failures(&username, &email).await?;
    super::sessions::end_all(conn, user_id).await?;
    conn.end_open_flows(user_id, now).await?;
    let details = finish.details.json();
    let mail = NewMail {
        kind: MailKind::PasswordChanged,
        user_id: Some(user_id),
        details: Some(&details),
        ..NewMail::to(&email, now)
    };
    conn.queue_mail(&mail).await?;
    security_log::record_success(
        conn,
        EventKind::PasswordReset,
        Some(user_id),
        Some(finish.client),
        now,
    )
    .await?;
    Ok(true)
}

pub(super) async fn start_email_change(
    conn: &mut impl Statements,
    start: &StartEmailChange<'_>,
) -> sqlx::Result<Result<(), Refusal>> {
    let now = start.now;
    let Some(old_email) = conn.email_of(start.user_id).await? else {
        return Ok(Ok(()));
    };
    // Both addresses will get mail: the new one a code, the old one a notice once it is done.
    let mut checks = vec![start.client_limit.clone(), all_mail_check(start.mail_limits)];
    checks.extend(recipient_checks(start.new_email, start.mail_limits));
    checks.extend(recipient_checks(&old_email, start.mail_limits));
    if let Err(refused) = take_limits(conn, &checks, now).await? {
        return Ok(Err(refused));
    }
    conn.delete_open_email_changes(start.user_id).await?;
    // Another account's address gets a decoy flow (its owner is told), answered exactly alike and
    // kept under the asking account, so its own activity shows the same events either way.
    let kind = match conn.address_taken(start.new_email).await? {
        true => MailKind::AlreadyRegistered,
        false => MailKind::Code,
    };
    let user_id = Some(start.user_id);
    let code_id = conn
        .insert_code_flow(
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
    security_log::record_success(
        conn,
        EventKind::EmailChangeRequested,
        Some(start.user_id),
        Some(start.client),
        now,
    )
    .await?;
    Ok(Ok(()))
}
