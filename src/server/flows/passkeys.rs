//! Passkeys: added on the security page once the password was entered again, renamed, removed;
//! a sign-in with one alone, or as the second step after a password. A ceremony takes two
//! requests: its state waits in the database under the keyed hash of a token the browser holds,
//! for one use within 5 minutes, so any instance can finish what another began.

use serde::{de::DeserializeOwned, Serialize};
use tower_sessions::Session;
use webauthn_rs::prelude::{
    AuthenticationResult, Passkey, PublicKeyCredential, RegisterPublicKeyCredential, WebauthnError,
};

use crate::{
    api::passkeys::{PasskeyCeremony, PasskeyView},
    error::AppError,
    server::{
        audit::RefusalKind,
        auth::{
            passkeys::{Refused, RelyingParty, CEREMONY_SECS},
            session::{self, SignedIn},
            two_factor as codes,
        },
        client::Client,
        domain::{
            Ceremony, CeremonyPurpose, LimitCheck, LimitRequest, NewPasskey, PasskeyChange, PasskeyProof,
            PasskeyRow, SignInStep,
        },
        keys::random_token,
        state::AppState,
        throttle::bucket,
    },
    validate::Field,
};

use super::{account, notice_details, sign_in, two_factor};
use crate::i18n::t_with;

const NAME_MAX_CHARS: usize = 60;

pub fn available(state: &AppState) -> bool {
    state.passkeys.is_some()
}

fn relying_party(state: &AppState) -> Result<&RelyingParty, AppError> {
    state.passkeys.as_ref().ok_or(AppError::PasskeysUnavailable)
}

/// The browser asks for a ceremony: its options, and the token that finishes it.
pub async fn begin(
    state: &AppState,
    session: &Session,
    client: &Client,
    viewer: Option<&SignedIn>,
    purpose: CeremonyPurpose,
) -> Result<PasskeyCeremony, AppError> {
    let relying_party = relying_party(state)?;
    within_budget(state, client).await?;
    match purpose {
        CeremonyPurpose::Register => {
            let signed_in = viewer.ok_or(AppError::NotAuthenticated)?;
            two_factor::require_recent_password(state, signed_in).await?;
            let username = account::own_account(state, signed_in).await?.username;
            let existing = credentials(&state.store.passkeys(signed_in.user_id).await?)?;
            let handle = RelyingParty::user_handle(&state.server_key, signed_in.user_id);
            let (options, ceremony) = relying_party
                .start_registration(handle, &username, &existing)
                .map_err(refused)?;
            keep(state, purpose, Some(signed_in.user_id), &options, &ceremony).await
        }
        CeremonyPurpose::SignIn => {
            let (options, ceremony) = relying_party.start_sign_in().map_err(refused)?;
            keep(state, purpose, None, &options, &ceremony).await
        }
        CeremonyPurpose::SecondStep => {
            let user_id = waiting_second_step(state, session).await?;
            let passkeys = credentials(&state.store.passkeys(user_id).await?)?;
            if passkeys.is_empty() {
                return Err(AppError::PasskeyNotRecognised);
            }
            let (options, ceremony) = relying_party.start_second_step(&passkeys).map_err(refused)?;
            keep(state, purpose, Some(user_id), &options, &ceremony).await
        }
    }
}

/// Adds the passkey the browser made. The account's first second factor comes with recovery
/// codes, shown once like the authenticator app's.
#[allow(clippy::too_many_arguments)]
pub async fn finish_registration(
    state: &AppState,
    session: &Session,
    signed_in: &SignedIn,
    client: &Client,
    ceremony: &str,
    answer: &str,
    name: &str,
) -> Result<(), AppError> {
    let name = passkey_name(name)?;
    two_factor::require_recent_password(state, signed_in).await?;
    let relying_party = relying_party(state)?;
    let (user_id, ceremony) = take(state, CeremonyPurpose::Register, ceremony).await?;
    if user_id != Some(signed_in.user_id) {
        return Err(AppError::PasskeyRequestExpired);
    }
    let answer: RegisterPublicKeyCredential = parse(answer)?;
    let passkey = relying_party
        .finish_registration(&answer, &ceremony)
        .map_err(refused)?;
    let credential = serde_json::to_string(&passkey).map_err(crate::server::error::internal)?;
    let recovery_codes = codes::new_recovery_codes();
    let hashes = two_factor::hashes(state, signed_in.user_id, &recovery_codes);
    let now = state.clock.now();
    let details = notice_details(client, now);
    let added = state
        .store
        .add_passkey(NewPasskey {
            user_id: signed_in.user_id,
            credential_id: passkey.cred_id().as_ref(),
            name: &name,
            credential: &credential,
            recovery_code_hashes: &hashes,
            details: &details,
            client,
            now,
        })
        .await?
        .ok_or(AppError::PasskeyAlreadyRegistered)?;
    state.outbox_wake.notify_one();
    session::renew(session).await?;
    if added {
        two_factor::show_new_codes(state, signed_in, session, &recovery_codes).await?;
    }
    Ok(())
}

/// Signs in with the passkey's answer: alone, or as the second step of this browser's sign-in.
pub async fn finish_sign_in(
    state: &AppState,
    session: &Session,
    client: &Client,
    purpose: CeremonyPurpose,
    ceremony: &str,
    answer: &str,
) -> Result<(), AppError> {
    let relying_party = relying_party(state)?;
    let (user_id, ceremony) = take_raw(state, purpose, ceremony).await?;
    let answer: PublicKeyCredential = parse(answer)?;
    match purpose {
        CeremonyPurpose::SecondStep => {
            let waiting = waiting_second_step(state, session).await?;
            if user_id != Some(waiting) {
                return Err(AppError::PasskeyRequestExpired);
            }
            let ceremony = parse_state(&ceremony)?;
            let passkeys = state.store.passkeys(waiting).await?;
            let step = SignInStep::SecondFactor { user_id: waiting };
            sign_in::sign_in_with_passkey(state, session, client, step, || {
                let used = passkeys
                    .iter()
                    .find(|row| credential_of(row).is_some_and(|key| key.cred_id().as_ref() == answer.raw_id))
                    .ok_or(AppError::PasskeyNotRecognised)?;
                let result = relying_party
                    .finish_second_step(&answer, &ceremony)
                    .map_err(refused)?;
                proof(used, &result)
            })
            .await
        }
        _ => {
            let ceremony = parse_state(&ceremony)?;
            let (handle, credential_id) = relying_party.identify(&answer).map_err(refused)?;
            let stored = state
                .store
                .passkey_by_credential(credential_id)
                .await?
                .filter(|row| RelyingParty::user_handle(&state.server_key, row.user_id) == handle);
            let step = SignInStep::Passkey {
                user_id: stored.as_ref().map(|row| row.user_id),
            };
            sign_in::sign_in_with_passkey(state, session, client, step, || {
                let used = stored.as_ref().ok_or(AppError::PasskeyNotRecognised)?;
                let key = credential_of(used).ok_or(AppError::PasskeyRefused)?;
                let result = relying_party
                    .finish_sign_in(&answer, ceremony, &key)
                    .map_err(refused)?;
                proof(used, &result)
            })
            .await
        }
    }
}

pub async fn list(state: &AppState, signed_in: &SignedIn) -> Result<Vec<PasskeyView>, AppError> {
    Ok(state
        .store
        .passkeys(signed_in.user_id)
        .await?
        .into_iter()
        .map(|row| PasskeyView {
            id: row.passkey_id,
            name: row.name,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
        })
        .collect())
}

/// Renames (`new_name`) or removes one of the account's passkeys, after the password was entered
/// again on this device.
pub async fn change(
    state: &AppState,
    signed_in: &SignedIn,
    client: &Client,
    passkey_id: i64,
    new_name: Option<&str>,
) -> Result<(), AppError> {
    let new_name = new_name.map(passkey_name).transpose()?;
    two_factor::require_recent_password(state, signed_in).await?;
    let now = state.clock.now();
    let details = notice_details(client, now);
    let changed = state
        .store
        .change_passkey(PasskeyChange {
            user_id: signed_in.user_id,
            passkey_id,
            new_name: new_name.as_deref(),
            details: &details,
            client,
            now,
        })
        .await?;
    if !changed {
        return Err(AppError::NoSuchPasskey);
    }
    state.outbox_wake.notify_one();
    Ok(())
}

/// Each ceremony keeps a row until it is finished or expires: one client begins only so many.
async fn within_budget(state: &AppState, client: &Client) -> Result<(), AppError> {
    let now = state.clock.now();
    let checks = [LimitCheck {
        bucket: bucket::passkey_ceremonies(&client.limit_key()),
        limit: state.settings.password_checks_per_ip,
    }];
    let request = LimitRequest {
        now,
        checks: &checks,
        proof_gate: None,
    };
    match state.store.take_limits(request).await? {
        Ok(()) => Ok(()),
        Err(refusal) => Err(super::refused(state, client, RefusalKind::SignIn, refusal, now)),
    }
}

async fn waiting_second_step(state: &AppState, session: &Session) -> Result<i64, AppError> {
    match sign_in::second_step_pending(state, session).await? {
        true => Ok(session::pending_second_step(session)
            .await?
            .ok_or(AppError::SecondStepExpired)?
            .user_id),
        false => Err(AppError::SecondStepExpired),
    }
}

async fn keep(
    state: &AppState,
    purpose: CeremonyPurpose,
    user_id: Option<i64>,
    options: &impl Serialize,
    ceremony: &impl Serialize,
) -> Result<PasskeyCeremony, AppError> {
    let token = random_token();
    let ceremony = serde_json::to_string(ceremony).map_err(crate::server::error::internal)?;
    let options = serde_json::to_string(options).map_err(crate::server::error::internal)?;
    state
        .store
        .begin_ceremony(Ceremony {
            token_hash: &ceremony_hash(state, &token),
            purpose,
            user_id,
            state: &ceremony,
            expires_at: state.clock.now() + CEREMONY_SECS,
        })
        .await?;
    Ok(PasskeyCeremony { token, options })
}

async fn take_raw(
    state: &AppState,
    purpose: CeremonyPurpose,
    token: &str,
) -> Result<(Option<i64>, String), AppError> {
    let taken = state
        .store
        .take_ceremony(&ceremony_hash(state, token), purpose, state.clock.now())
        .await?
        .ok_or(AppError::PasskeyRequestExpired)?;
    Ok((taken.user_id, taken.state))
}

async fn take<T: DeserializeOwned>(
    state: &AppState,
    purpose: CeremonyPurpose,
    token: &str,
) -> Result<(Option<i64>, T), AppError> {
    let (user_id, ceremony) = take_raw(state, purpose, token).await?;
    Ok((user_id, parse_state(&ceremony)?))
}

fn ceremony_hash(state: &AppState, token: &str) -> Vec<u8> {
    state.server_key.sign("passkey ceremony", token.as_bytes())
}

fn parse_state<T: DeserializeOwned>(ceremony: &str) -> Result<T, AppError> {
    serde_json::from_str(ceremony).map_err(crate::server::error::internal)
}

/// The browser's answer; anything that is not one is refused as such.
fn parse<T: DeserializeOwned>(answer: &str) -> Result<T, AppError> {
    serde_json::from_str(answer).map_err(|error| {
        tracing::info!(%error, "a passkey answer that does not parse");
        AppError::PasskeyRefused
    })
}

fn credentials(rows: &[PasskeyRow]) -> Result<Vec<Passkey>, AppError> {
    rows.iter()
        .map(|row| credential_of(row).ok_or(AppError::PasskeyRefused))
        .collect()
}

fn credential_of(row: &PasskeyRow) -> Option<Passkey> {
    let passkey = serde_json::from_str(&row.credential).ok();
    if passkey.is_none() {
        tracing::error!(passkey_id = row.passkey_id, "a stored passkey does not parse");
    }
    passkey
}

/// The passkey's new counter and backup flags, to store with the sign-in.
fn proof(row: &PasskeyRow, result: &AuthenticationResult) -> Result<PasskeyProof, AppError> {
    let mut passkey = credential_of(row).ok_or(AppError::PasskeyRefused)?;
    passkey.update_credential(result);
    Ok(PasskeyProof {
        passkey_id: row.passkey_id,
        credential: serde_json::to_string(&passkey).map_err(crate::server::error::internal)?,
        key_method: match result.backup_eligible() {
            true => "swk",
            false => "hwk",
        },
    })
}

/// A name to tell the account's passkeys apart: 1 to 60 characters, no control characters.
fn passkey_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX_CHARS || name.chars().any(char::is_control) {
        return Err(AppError::on_field(
            Field::PasskeyName,
            t_with("field-passkey-name", &[("max", NAME_MAX_CHARS.into())]),
        ));
    }
    Ok(name.to_string())
}

/// The sentence for a refused answer; the library's reason goes to the log.
fn refused(Refused(error): Refused) -> AppError {
    tracing::info!(%error, "a passkey answer was refused");
    match error {
        WebauthnError::UserNotVerified => AppError::PasskeyUserNotVerified,
        WebauthnError::InvalidRPOrigin | WebauthnError::InvalidRPIDHash => AppError::PasskeyWrongSite,
        WebauthnError::CredentialNotFound => AppError::PasskeyNotRecognised,
        _ => AppError::PasskeyRefused,
    }
}
