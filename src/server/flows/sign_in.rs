//! Sign in: the attempt is reserved (counted) before the password is hashed and settled after,
//! so a burst of parallel attempts meets exactly the limits a sequence of them meets. An account
//! with two-factor on then takes a second step, reserved and settled the same way (the same
//! client limits, delays, proof of work and lock). A signed-in user confirming their password or
//! second factor goes through the very same checks. Also the unlock link mailed to the owner of a
//! locked account.

use std::net::IpAddr;

use tower_sessions::Session;

use crate::{
    error::AppError,
    server::{
        audit::RefusalKind,
        auth::{
            password::Argon2Slots,
            session,
            two_factor::{self, Answer},
        },
        client::{Client, Device},
        domain::{
            LockNotice, NoticeDetails, PasskeyProof, PasswordCheck, SecondFactorProof, SignInGate,
            SignInOutcome, SignInRequest, SignInReservation, SignInRules, SignInSettled, SignInSettlement,
            SignInStep,
        },
        keys::{new_nonce, random_token},
        state::AppState,
    },
    validate::{self, Field, PASSWORD_MAX_BYTES},
};

use super::notice_details;
use crate::i18n::t;

/// An unlock link works for a day (NIST's ceiling for an emailed recovery secret).
const UNLOCK_LINK_TTL_SECS: i64 = 24 * 3600;
/// The second step must follow the password within this long, in the same browser.
pub const SECOND_STEP_SECS: i64 = 300;

pub struct SignInForm<'a> {
    pub identifier: &'a str,
    pub password: &'a str,
    /// A solved proof-of-work challenge, when the form was asked for one.
    pub proof: Option<&'a str>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum SignIn {
    Complete,
    /// Right password, but the address is not verified yet: the browser is sent to verify it.
    NeedsVerification,
    /// Right password; two-factor is on: the browser is sent to the second step.
    SecondStep,
}

pub fn rules(state: &AppState) -> SignInRules {
    let settings = &state.settings;
    SignInRules {
        client_failures: settings.login_failures_per_ip,
        client_password_checks: settings.password_checks_per_ip,
        account_password_checks: settings.password_checks_per_account,
        delay_after: settings.login_delay_after,
        max_delay_secs: settings.login_max_delay_secs.signed(),
        lock_after: settings.login_lock_after,
        pow_after_identifier_failures: settings.pow_after_login_failures,
        pow_after_client_failures: settings.pow_after_client_login_failures,
        pow_window_secs: settings.pow_window_secs.signed(),
    }
}

/// Every failure (unknown identifier, wrong password, locked account) is the same
/// `InvalidCredentials` after the same argon2 work. The delay and the proof of work answer to the
/// identifier as typed and the client, never to the account behind it, so no answer tells whether
/// a username and an address belong to the same account, or to any.
pub async fn sign_in(
    state: &AppState,
    session: &Session,
    client: &Client,
    form: SignInForm<'_>,
) -> Result<SignIn, AppError> {
    let identifier = validate::identifier(form.identifier)
        .map_err(|problem| AppError::on_field(Field::Identifier, problem.sentence()))?;
    let now = state.clock.now();
    let browser = ThisBrowser::new(state, client, now);
    match check_password(
        state,
        client,
        &identifier,
        form.password,
        form.proof,
        browser.check(),
    )
    .await?
    {
        SignInSettled::SignedIn { user_id, .. } => {
            session::log_in(session, user_id, &browser.session_handle).await?;
            Ok(SignIn::Complete)
        }
        SignInSettled::NeedsVerification { flow_token } => {
            session::await_code(session, crate::model::CodePurpose::Registration, &flow_token).await?;
            Ok(SignIn::NeedsVerification)
        }
        SignInSettled::SecondFactorRequired { user_id } => {
            session::await_second_step(session, user_id, now).await?;
            Ok(SignIn::SecondStep)
        }
        _ => Err(AppError::InvalidCredentials),
    }
}

/// Whether this browser has a sign-in waiting for its second step (within its 5 minutes).
pub async fn second_step_pending(state: &AppState, session: &Session) -> Result<bool, AppError> {
    Ok(session::pending_second_step(session)
        .await?
        .is_some_and(|pending| state.clock.now() - pending.started_at <= SECOND_STEP_SECS))
}

/// The second step: a code from the authenticator app or a recovery code, from the browser that
/// passed the password, within 5 minutes of it. Signs in; `Some(n)` when a recovery code was used
/// and `n` are left.
pub async fn second_step(
    state: &AppState,
    session: &Session,
    client: &Client,
    answer: &str,
    proof: Option<&str>,
) -> Result<Option<i64>, AppError> {
    let pending = session::pending_second_step(session)
        .await?
        .ok_or(AppError::SecondStepExpired)?;
    let now = state.clock.now();
    if now - pending.started_at > SECOND_STEP_SECS {
        session::end_second_step(session).await?;
        return Err(AppError::SecondStepExpired);
    }
    let browser = ThisBrowser::new(state, client, now);
    match check_second_factor(state, client, pending.user_id, answer, proof, browser.check()).await? {
        SignInSettled::SignedIn {
            user_id,
            recovery_codes_left,
        } => {
            session::log_in(session, user_id, &browser.session_handle).await?;
            Ok(recovery_codes_left)
        }
        _ => Err(AppError::SecondFactorInvalid),
    }
}

/// Checks a second factor (`answer`: six digits from the app, or a recovery code) for `user_id`
/// with every sign-in protection, and settles it: a code's time step is accepted once, a recovery
/// code once. Anything but a success is `SecondFactorInvalid` (or the limit's own answer).
pub async fn check_second_factor(
    state: &AppState,
    client: &Client,
    user_id: i64,
    answer: &str,
    proof: Option<&str>,
    check: PasswordCheck<'_>,
) -> Result<SignInSettled, AppError> {
    let answer = two_factor::parse_answer(answer)
        .ok_or_else(|| AppError::on_field(Field::Code, t("field-second-factor-code")))?;
    let now = state.clock.now();
    let reservation = reserve(state, client, SignInStep::SecondFactor { user_id }, proof, now).await?;
    let account = reservation.account.as_ref().filter(|account| !account.locked);
    let lock = lock_notice(state, now);
    let proof = account.and_then(|account| match answer {
        Answer::AppCode(code) => {
            let factor = account.two_factor.as_ref()?;
            let Some(secret) = two_factor::open_secret(&state.server_key, user_id, &factor.sealed_secret)
            else {
                tracing::error!(user_id, "a two-factor secret does not open with this server key");
                return None;
            };
            two_factor::matching_step(&secret, &code, now)
                .filter(|step| two_factor::is_fresh_step(*step, factor.last_used_step))
                .map(|step| SecondFactorProof::AppCode { step })
        }
        // Recovery codes stand in for the app and for passkeys alike.
        Answer::RecoveryCode(code) => account.second_factor.then(|| SecondFactorProof::RecoveryCode {
            hash: two_factor::recovery_code_hash(&state.server_key, user_id, &code),
        }),
    });
    let outcome = match proof {
        Some(proof) => SignInOutcome::SecondFactor { proof, lock },
        None => SignInOutcome::Failed { lock },
    };
    let settled = settle(state, client, &reservation, outcome, check).await?;
    if settled == SignInSettled::NotEvaluated {
        return Err(AppError::SecondFactorInvalid);
    }
    Ok(settled)
}

/// A passkey sign-in: `SignInStep::Passkey` alone (the account the passkey names), or
/// `SignInStep::SecondFactor` as the second step of this browser's sign-in. Reserved and settled
/// like a password, so the same limits, delays and lock apply; `verify` checks the passkey's
/// answer once the attempt is counted, for an account that may sign in.
pub async fn sign_in_with_passkey(
    state: &AppState,
    session: &Session,
    client: &Client,
    step: SignInStep<'_>,
    verify: impl FnOnce() -> Result<PasskeyProof, AppError>,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let browser = ThisBrowser::new(state, client, now);
    let reservation = reserve(state, client, step, None, now).await?;
    let lock = lock_notice(state, now);
    let answer = match reservation.account.as_ref().filter(|account| !account.locked) {
        Some(_) => verify(),
        None => Err(AppError::PasskeyNotRecognised),
    };
    let (outcome, refusal) = match answer {
        Ok(proof) => (
            SignInOutcome::SecondFactor {
                proof: SecondFactorProof::Passkey(proof),
                lock,
            },
            AppError::PasskeyRefused,
        ),
        Err(refusal) => (SignInOutcome::Failed { lock }, refusal),
    };
    match settle(state, client, &reservation, outcome, browser.check()).await? {
        SignInSettled::SignedIn { user_id, .. } => {
            session::log_in(session, user_id, &browser.session_handle).await?;
            Ok(())
        }
        _ => Err(refusal),
    }
}

/// Counts an attempt before it is evaluated, or says which limit refuses it.
async fn reserve(
    state: &AppState,
    client: &Client,
    step: SignInStep<'_>,
    proof: Option<&str>,
    now: i64,
) -> Result<SignInReservation, AppError> {
    let rules = rules(state);
    let proof = super::checked_proof(state, client, RefusalKind::SignIn, proof, now);
    let request = SignInRequest {
        step,
        client,
        rules: &rules,
        proof: proof.as_ref(),
        now,
    };
    match state.store.reserve_sign_in(request).await? {
        SignInGate::Reserved(reservation) => Ok(reservation),
        SignInGate::Refused(refusal) => Err(super::refused(state, client, RefusalKind::SignIn, refusal, now)),
    }
}

async fn settle(
    state: &AppState,
    client: &Client,
    reservation: &SignInReservation,
    outcome: SignInOutcome,
    check: PasswordCheck<'_>,
) -> Result<SignInSettled, AppError> {
    let settlement = SignInSettlement {
        reservation,
        outcome,
        check,
        lock_after: state.settings.login_lock_after,
        client,
        now: state.clock.now(),
    };
    let settled = state.store.settle_sign_in(settlement).await?;
    if settled == SignInSettled::FailedAndLocked
        || matches!(
            settled,
            SignInSettled::SignedIn {
                recovery_codes_left: Some(_),
                ..
            }
        )
    {
        state.outbox_wake.notify_one();
    }
    Ok(settled)
}

/// Checks `password` for `identifier` with every sign-in protection (limits, delay, proof of
/// work, lock, one argon2 computation whatever the outcome) and settles the attempt; anything but
/// a success is `InvalidCredentials` (or the limit's own answer).
pub async fn check_password(
    state: &AppState,
    client: &Client,
    identifier: &str,
    password: &str,
    proof: Option<&str>,
    check: PasswordCheck<'_>,
) -> Result<SignInSettled, AppError> {
    if password.is_empty() {
        return Err(AppError::on_field(Field::Password, t("field-password-missing")));
    }
    let now = state.clock.now();
    let reservation = reserve(state, client, SignInStep::Password { identifier }, proof, now).await?;

    // Over-long passwords still cost a hash, so their answer takes the usual time.
    let password = if password.len() > PASSWORD_MAX_BYTES {
        ""
    } else {
        password
    };
    let password = validate::normalize_password(password);
    let stored_hash = reservation
        .account
        .as_ref()
        .filter(|account| !account.locked)
        .map(|a| a.password_hash.clone());
    let (outcome, not_evaluated) = match state.hasher.verify(password.clone(), stored_hash.clone()).await {
        Ok(true) if !password.is_empty() => {
            let weak = stored_hash.as_deref().is_some_and(Argon2Slots::needs_rehash);
            // A busy hasher only postpones the upgrade to the next sign-in.
            let rehashed = if weak {
                state.hasher.hash(password).await.ok()
            } else {
                None
            };
            (SignInOutcome::Succeeded { rehashed }, None)
        }
        Ok(_) => (
            SignInOutcome::Failed {
                lock: lock_notice(state, now),
            },
            None,
        ),
        Err(error) => (SignInOutcome::NotEvaluated, Some(error)),
    };
    let settled = settle(state, client, &reservation, outcome, check).await?;
    if settled == SignInSettled::NotEvaluated {
        return Err(not_evaluated.unwrap_or(AppError::InvalidCredentials));
    }
    Ok(settled)
}

/// What a lock needs, should this failure cause one: a fresh unlock link for the owner's mail.
fn lock_notice(state: &AppState, now: i64) -> LockNotice {
    let nonce = new_nonce();
    let token = state.server_key.derive_link_token(&nonce);
    LockNotice {
        token_hash: state.server_key.link_token_hash(&token),
        nonce,
        expires_at: now + UNLOCK_LINK_TTL_SECS,
    }
}

/// Which browser on which network signs in, as a keyed hash: the same browser from the same /24
/// (IPv4) or /64 (IPv6) is the same device.
/// A sign-in's browser, as the new-device notice knows it.
struct ThisBrowser {
    fingerprint: Vec<u8>,
    notify_new_device: bool,
    details: NoticeDetails,
    session_handle: String,
    forward_token_hash: Vec<u8>,
}

impl ThisBrowser {
    fn new(state: &AppState, client: &Client, now: i64) -> ThisBrowser {
        let session_handle = random_token();
        ThisBrowser {
            fingerprint: device_fingerprint(state, client),
            notify_new_device: state.settings.new_device_notice,
            details: notice_details(client, now),
            forward_token_hash: state
                .server_key
                .forward_token_hash(&state.server_key.forward_token(&session_handle)),
            session_handle,
        }
    }

    fn check(&self) -> PasswordCheck<'_> {
        PasswordCheck::SignIn {
            fingerprint: &self.fingerprint,
            notify_new_device: self.notify_new_device,
            details: &self.details,
            session_handle: &self.session_handle,
            forward_token_hash: &self.forward_token_hash,
        }
    }
}

fn device_fingerprint(state: &AppState, client: &Client) -> Vec<u8> {
    let network = match client.ip.to_canonical() {
        IpAddr::V4(ip) => format!("{}/24", std::net::Ipv4Addr::from(u32::from(ip) & 0xffff_ff00)),
        IpAddr::V6(_) => client.limit_key(),
    };
    let device = Device::of(&client.user_agent).identity();
    state
        .server_key
        .sign_parts("device fingerprint", &[device.as_bytes(), network.as_bytes()])
}

/// The owner followed the unlock link: the lock and the failure count are gone.
pub async fn unlock_with_link(state: &AppState, client: &Client, token: &str) -> Result<(), AppError> {
    let token = token.trim();
    if token.len() != 32 || !token.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return Err(AppError::UnlockLinkInvalid);
    }
    let token_hash = state.server_key.link_token_hash(&token.to_ascii_lowercase());
    match state
        .store
        .unlock_with_link(&token_hash, state.clock.now(), client)
        .await?
    {
        true => Ok(()),
        false => Err(AppError::UnlockLinkInvalid),
    }
}
