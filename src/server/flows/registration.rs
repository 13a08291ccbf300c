//! Register → code by mail → verify (or resend).

use std::time::Duration;

use crate::{
    error::AppError,
    model::{CodeState, VerificationStatus},
    server::{
        audit::{self, Event, Outcome},
        challenge,
        client::Client,
        codes,
        db::{self, outbox, outbox::MailKind, users, verifications, verifications::Verification},
        mail::mask_email,
        state::AppState,
        throttle,
    },
    validate::{self, Field, FieldError},
};

/// A username held by a registration that was never verified is freed after this long.
const UNVERIFIED_USERNAME_HOLD_SECS: i64 = 24 * 3600;

/// How long a request that queued a code waits for the worker's first attempt to send it.
const FIRST_DELIVERY_WAIT: Duration = Duration::from_secs(3);

pub struct RegistrationForm {
    pub username: String,
    pub email: String,
    pub password: String,
    pub password_confirm: String,
    /// A solved proof-of-work challenge, when the form was asked for one.
    pub proof: Option<String>,
}

/// Creates the unverified account, its verification and the outbox row for its code in one
/// transaction, and returns the verification id this browser will verify.
///
/// An address that already has an account gets the very same answer (and a decoy verification),
/// while its owner is told by mail: the form never reveals which addresses are registered.
/// Usernames are public by nature, so a taken one is reported.
///
/// Limits come first: registrations per client (with a proof of work after the first few) and
/// mail per address; the attempt counts against both before the username is checked, so
/// probing usernames costs the same as registering.
pub async fn register(state: &AppState, client: &Client, form: RegistrationForm) -> Result<i64, AppError> {
    let valid = validate::registration(
        &form.username,
        &form.email,
        &form.password,
        &form.password_confirm,
        state.settings.password_min_length,
    )
    .map_err(AppError::Validation)?;
    let limits = &state.settings.limits;
    let now = db::now();
    let client_bucket = throttle::bucket("register", &client.limit_key());
    let mail_bucket = throttle::bucket("mail", &valid.email);
    {
        // Checked and counted in one IMMEDIATE transaction, so a parallel burst cannot slip past.
        let mut tx = db::begin_immediate(&state.db).await?;
        let checks = async {
            throttle::check(&mut tx, &client_bucket, limits.register_per_ip, now).await?;
            throttle::check(&mut tx, &mail_bucket, limits.mail_per_address, now).await?;
            let burst = throttle::wait_below(
                &mut tx,
                &client_bucket,
                limits.register_per_ip.window,
                limits.pow_after_registrations,
                now,
            )
            .await?;
            if let Some(retry_after_secs) = burst {
                if !challenge::redeem(
                    &mut tx,
                    &state.server_key,
                    form.proof.as_deref(),
                    limits.pow_difficulty,
                    now,
                )
                .await?
                {
                    let challenge = challenge::issue(&state.server_key, limits.pow_difficulty, now);
                    return Err(AppError::ProofOfWorkRequired {
                        challenge,
                        retry_after_secs,
                    });
                }
            }
            Ok::<_, AppError>(())
        };
        if let Err(refused) = checks.await {
            audit::record(&mut tx, Event::Throttled, Outcome::Refused, None, Some(client)).await?;
            tx.commit().await?;
            return Err(refused);
        }
        throttle::hit(&mut tx, &client_bucket, now).await?;
        throttle::hit(&mut tx, &mail_bucket, now).await?;
        tx.commit().await?;
    }
    // Hashing runs before the taken-address branch, so both branches cost the same time.
    let password_hash = state.hasher.hash(valid.password).await?;

    let now = db::now();
    let mut tx = db::begin_immediate(&state.db).await?;
    users::delete_unverified_holders(
        &mut tx,
        &valid.username,
        &valid.email,
        now - UNVERIFIED_USERNAME_HOLD_SECS,
    )
    .await?;
    if users::username_taken(&mut tx, &valid.username).await? {
        return Err(AppError::Validation(vec![FieldError {
            field: Field::Username,
            message: "This username is taken. Please choose another.".into(),
        }]));
    }
    let (user_id, mail) = if users::email_taken(&mut tx, &valid.email).await? {
        (None, MailKind::AlreadyRegistered)
    } else {
        let user_id = users::insert(&mut tx, &valid.username, &valid.email, &password_hash, now).await?;
        (Some(user_id), MailKind::VerificationCode)
    };
    let verification_id = verifications::insert(&mut tx, user_id, &valid.email, now).await?;
    outbox::enqueue(&mut tx, verification_id, mail, now).await?;
    audit::record(
        &mut tx,
        Event::Registration,
        Outcome::Success,
        user_id,
        Some(client),
    )
    .await?;
    tx.commit().await?;
    await_first_delivery_attempt(state, verification_id).await?;
    Ok(verification_id)
}

/// Wakes the outbox worker and waits (briefly) until it has tried to send this registration's
/// mail, so the verify page that follows usually shows the running code at once — without
/// JavaScript that page cannot update itself.
async fn await_first_delivery_attempt(state: &AppState, verification_id: i64) -> Result<(), AppError> {
    let mut attempts = state.delivery_attempts.subscribe();
    state.outbox_wake.notify_one();
    let deadline = tokio::time::Instant::now() + FIRST_DELIVERY_WAIT;
    loop {
        let mut conn = state.db.acquire().await?;
        if outbox::unsent_failures(&mut conn, verification_id).await? != Some(0) {
            return Ok(());
        }
        drop(conn);
        match tokio::time::timeout_at(deadline, attempts.changed()).await {
            Ok(Ok(())) => continue,
            _ => return Ok(()),
        }
    }
}

fn limits(state: &AppState) -> codes::Limits {
    codes::Limits {
        max_attempts: state.settings.code_max_attempts,
    }
}

fn registration_locked(state: &AppState, verification: &Verification) -> bool {
    verification.total_failed_attempts >= state.settings.registration_max_failures as i64
}

pub async fn status(state: &AppState, verification_id: i64) -> Result<VerificationStatus, AppError> {
    let mut conn = state.db.acquire().await?;
    let verification = verifications::find(&mut conn, verification_id)
        .await?
        .ok_or(AppError::NoPendingVerification)?;
    let now = db::now();
    let code = match outbox::unsent_failures(&mut conn, verification_id).await? {
        _ if registration_locked(state, &verification) => CodeState::Locked,
        Some(failures) => CodeState::Sending {
            delivery_failures: failures as u32,
        },
        None => codes::state(&verification, now, limits(state)),
    };
    let cooldown = state.settings.resend_cooldown.as_secs() as i64;
    Ok(VerificationStatus {
        masked_email: mask_email(&verification.email),
        code,
        resend_in_secs: (verification.last_requested_at + cooldown - now).max(0) as u64,
    })
}

/// Checks a code. The attempt is counted in the same IMMEDIATE transaction that reads the
/// counters, so parallel guesses cannot exceed the limit; a right code is consumed (deleted)
/// in the transaction that verifies the account, so it works once.
pub async fn verify(
    state: &AppState,
    client: &Client,
    verification_id: i64,
    code: &str,
) -> Result<(), AppError> {
    let code = validate::code(code).map_err(|message| {
        AppError::Validation(vec![FieldError {
            field: Field::Code,
            message,
        }])
    })?;
    let now = db::now();
    let client_bucket = throttle::bucket("verify-failures", &client.limit_key());
    let mut tx = db::begin_immediate(&state.db).await?;
    let verification = verifications::find(&mut tx, verification_id)
        .await?
        .ok_or(AppError::NoPendingVerification)?;
    if let Err(throttled) = throttle::check(
        &mut tx,
        &client_bucket,
        state.settings.limits.verify_failures_per_ip,
        now,
    )
    .await
    {
        audit::record(
            &mut tx,
            Event::Throttled,
            Outcome::Refused,
            verification.user_id,
            Some(client),
        )
        .await?;
        tx.commit().await?;
        return Err(throttled);
    }
    if registration_locked(state, &verification) {
        return Err(AppError::RegistrationLocked);
    }
    if let Err(refused) = codes::accepts_guess(&verification, now, limits(state)) {
        if refused == AppError::CodeExpired {
            audit::record(
                &mut tx,
                Event::CodeExpired,
                Outcome::Refused,
                verification.user_id,
                Some(client),
            )
            .await?;
            tx.commit().await?;
        }
        return Err(refused);
    }
    let right_code = verification
        .code_hash
        .as_deref()
        .is_some_and(|hash| state.server_key.matches(verification_id, &code, hash));
    let user_id = match verification.user_id {
        Some(user_id) if right_code => user_id,
        _ => {
            verifications::record_failure(&mut tx, verification_id).await?;
            throttle::hit(&mut tx, &client_bucket, now).await?;
            audit::record(
                &mut tx,
                Event::CodeFailed,
                Outcome::Failure,
                verification.user_id,
                Some(client),
            )
            .await?;
            tx.commit().await?;
            if verification.total_failed_attempts + 1 >= state.settings.registration_max_failures as i64 {
                return Err(AppError::RegistrationLocked);
            }
            let attempts_left = state.settings.code_max_attempts as i64 - verification.failed_attempts - 1;
            return Err(if attempts_left > 0 {
                AppError::WrongCode {
                    attempts_left: attempts_left as u32,
                }
            } else {
                AppError::CodeLocked
            });
        }
    };
    users::mark_verified(&mut tx, user_id, now).await?;
    verifications::delete(&mut tx, verification_id).await?;
    audit::record(
        &mut tx,
        Event::CodeVerified,
        Outcome::Success,
        Some(user_id),
        Some(client),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Queues a new code (which replaces the old one when it is sent): at most once per cooldown
/// per registration, and within the per-address and per-client mail limits.
pub async fn resend(state: &AppState, client: &Client, verification_id: i64) -> Result<(), AppError> {
    let now = db::now();
    let limits = &state.settings.limits;
    let mut tx = db::begin_immediate(&state.db).await?;
    let verification = verifications::find(&mut tx, verification_id)
        .await?
        .ok_or(AppError::NoPendingVerification)?;
    if registration_locked(state, &verification) {
        return Err(AppError::RegistrationLocked);
    }
    let client_bucket = throttle::bucket("resend", &client.limit_key());
    let mail_bucket = throttle::bucket("mail", &verification.email);
    let wait = verification.last_requested_at + state.settings.resend_cooldown.as_secs() as i64 - now;
    let checks = async {
        if wait > 0 {
            return Err(AppError::RateLimited {
                retry_after_secs: wait as u64,
            });
        }
        throttle::check(&mut tx, &client_bucket, limits.resend_per_ip, now).await?;
        throttle::check(&mut tx, &mail_bucket, limits.mail_per_address, now).await
    };
    if let Err(refused) = checks.await {
        audit::record(
            &mut tx,
            Event::Throttled,
            Outcome::Refused,
            verification.user_id,
            Some(client),
        )
        .await?;
        tx.commit().await?;
        return Err(refused);
    }
    throttle::hit(&mut tx, &client_bucket, now).await?;
    throttle::hit(&mut tx, &mail_bucket, now).await?;
    audit::record(
        &mut tx,
        Event::Resend,
        Outcome::Success,
        verification.user_id,
        Some(client),
    )
    .await?;
    let mail = if verification.user_id.is_some() {
        MailKind::VerificationCode
    } else {
        MailKind::AlreadyRegistered
    };
    verifications::mark_requested(&mut tx, verification_id, now).await?;
    outbox::enqueue(&mut tx, verification_id, mail, now).await?;
    tx.commit().await?;
    await_first_delivery_attempt(state, verification_id).await
}
