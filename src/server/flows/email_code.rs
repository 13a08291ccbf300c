//! The emailed 6-digit code, whatever it proves: the verify page's status, checking a guess,
//! and sending a new code. The rules themselves are in `server::codes`.

use std::time::Duration;

use crate::{
    error::AppError,
    model::VerificationStatus,
    server::{
        audit::RefusalKind,
        client::Client,
        codes,
        domain::{
            CodeAttempt, CodePurpose, CodeResend, CodeRules, CodeVerdict, LimitCheck, MailLimits,
            ResendVerdict,
        },
        mail::mask_email,
        metrics::{self, CodeOutcome},
        state::AppState,
        throttle::bucket,
    },
    validate::{self, Field},
};

/// How long a request that queued a code waits for the first attempt to send it.
const FIRST_DELIVERY_WAIT: Duration = Duration::from_secs(3);
/// How often that wait looks at the database (another instance may be the one sending).
const DELIVERY_POLL: Duration = Duration::from_millis(100);

pub fn rules(state: &AppState) -> CodeRules {
    CodeRules {
        max_attempts: state.settings.code_max_attempts,
        max_total_failures: state.settings.registration_max_failures,
    }
}

pub fn mail_limits(state: &AppState) -> MailLimits {
    MailLimits {
        per_address: state.settings.mail_per_address,
        per_address_daily: state.settings.mail_per_address_daily,
        per_instance: state.settings.mail_per_instance,
    }
}

/// The client's share of code mail: every flow that mails a code counts under one bucket.
pub fn mail_per_client(state: &AppState, client: &Client) -> LimitCheck {
    LimitCheck {
        bucket: bucket::resends(&client.limit_key()),
        limit: state.settings.resend_per_ip,
    }
}

/// What the code page shows. `hide_address`: the user asked by username, and the address would
/// tell whether that username has an account.
pub async fn status(
    state: &AppState,
    purpose: CodePurpose,
    flow_token: &str,
    hide_address: bool,
) -> Result<VerificationStatus, AppError> {
    let flow = state
        .store
        .code_flow(purpose, flow_token)
        .await?
        .ok_or(AppError::NoPendingVerification)?;
    let now = state.clock.now();
    let cooldown = state.settings.resend_cooldown_secs.signed();
    Ok(VerificationStatus {
        masked_email: (!hide_address).then(|| mask_email(&flow.email)),
        code: codes::state(&flow, now, rules(state)),
        resend_in_secs: u64::try_from(flow.last_requested_at + cooldown - now).unwrap_or(0),
    })
}

/// Checks a guess. The store counts it in the transaction that compares it, so parallel guesses
/// cannot exceed the limits, and consumes a right code in the transaction that verifies.
pub async fn verify(
    state: &AppState,
    client: &Client,
    purpose: CodePurpose,
    flow_token: &str,
    code: &str,
) -> Result<(), AppError> {
    let code = validate::code(code).map_err(|problem| AppError::on_field(Field::Code, problem.sentence()))?;
    let now = state.clock.now();
    let client_bucket = bucket::code_failures(&client.limit_key());
    let key = &state.server_key;
    let matches = |hash: &[u8]| key.code_matches(purpose.as_str(), flow_token, &code, hash);
    let verdict = state
        .store
        .attempt_code(CodeAttempt {
            purpose,
            flow_token,
            client_limit: LimitCheck {
                bucket: client_bucket.clone(),
                limit: state.settings.verify_failures_per_ip,
            },
            rules: rules(state),
            private_recipient: codes::private_recipient(&state.settings, purpose),
            matches: &matches,
            details: &super::notice_details(client, now),
            client,
            now,
        })
        .await?;
    if verdict == CodeVerdict::Verified {
        state.outbox_wake.notify_one();
        metrics::code(purpose, CodeOutcome::Verified);
        if purpose == CodePurpose::Registration {
            metrics::registration("verified");
        }
    }
    let count = |kind| state.refusals.count(kind, &client_bucket, now);
    match verdict {
        CodeVerdict::Verified => Ok(()),
        CodeVerdict::NoFlow => Err(AppError::NoPendingVerification),
        CodeVerdict::Refused(refusal) => Err(super::refused(state, client, RefusalKind::Code, refusal, now)),
        CodeVerdict::FlowLocked => {
            count(RefusalKind::FlowLocked);
            Err(AppError::RegistrationLocked)
        }
        CodeVerdict::NotSentYet => {
            count(RefusalKind::CodeNotSentYet);
            Err(AppError::CodeNotSentYet)
        }
        CodeVerdict::Expired => {
            count(RefusalKind::CodeExpired);
            metrics::code(purpose, CodeOutcome::Expired);
            Err(AppError::CodeExpired)
        }
        CodeVerdict::CodeLocked => {
            count(RefusalKind::CodeLocked);
            Err(AppError::CodeLocked)
        }
        CodeVerdict::Wrong {
            flow_locked: true, ..
        } => Err(AppError::RegistrationLocked),
        CodeVerdict::Wrong { attempts_left: 0, .. } => Err(AppError::CodeLocked),
        CodeVerdict::Wrong { attempts_left, .. } => Err(AppError::WrongCode { attempts_left }),
    }
}

/// A new code (which voids the old one), at most once per cooldown and within the client's and
/// the address's mail limits. It always leads to a delivery attempt: a mail that exhausted its
/// retries during an outage is replaced by a fresh one.
/// A new code for the flow `flow_token`; `actor_id` names the admin who asked from the console.
pub async fn resend(
    state: &AppState,
    client: &Client,
    purpose: CodePurpose,
    flow_token: &str,
    actor_id: Option<i64>,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let code = codes::mint(&state.server_key, purpose, flow_token);
    let verdict = state
        .store
        .resend_code(CodeResend {
            purpose,
            flow_token,
            cooldown_secs: state.settings.resend_cooldown_secs.signed(),
            client_limit: mail_per_client(state, client),
            mail_limits: mail_limits(state),
            rules: rules(state),
            private_recipient: codes::private_recipient(&state.settings, purpose),
            code: &code,
            client,
            actor_id,
            now,
        })
        .await?;
    match verdict {
        ResendVerdict::Queued => await_first_delivery(state, purpose, flow_token).await,
        ResendVerdict::NoFlow => Err(AppError::NoPendingVerification),
        ResendVerdict::FlowLocked => Err(AppError::RegistrationLocked),
        ResendVerdict::Refused(refusal) => {
            Err(super::refused(state, client, RefusalKind::Resend, refusal, now))
        }
    }
}

/// Wakes the outbox worker and waits (briefly) until the flow's mail has had its first delivery
/// attempt, here or on another instance, so the verify page that follows usually shows the
/// running code at once: without JavaScript that page cannot update itself.
pub async fn await_first_delivery(
    state: &AppState,
    purpose: CodePurpose,
    flow_token: &str,
) -> Result<(), AppError> {
    let mut attempts = state.delivery_attempts.subscribe();
    state.outbox_wake.notify_one();
    let deadline = tokio::time::Instant::now() + FIRST_DELIVERY_WAIT;
    loop {
        let Some(flow) = state.store.code_flow(purpose, flow_token).await? else {
            return Ok(());
        };
        if flow.code_sent_at.is_some() || flow.unsent_delivery_failures.is_some_and(|failures| failures > 0) {
            return Ok(());
        }
        let next_look = (tokio::time::Instant::now() + DELIVERY_POLL).min(deadline);
        if tokio::time::Instant::now() >= deadline {
            return Ok(());
        }
        let _ = tokio::time::timeout_at(next_look, attempts.changed()).await;
    }
}
