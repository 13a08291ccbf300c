//! A forgotten password: a code to the account's address, the same code page as registration,
//! then a new password. Whatever was typed (a username, an address, with or without an account),
//! the browser gets the same answer in the same time: a flow and a queued mail are made in every
//! case, and the request never waits for the mail.

use crate::{
    error::AppError,
    model::CodePurpose,
    server::{
        audit::RefusalKind,
        auth::session,
        client::Client,
        codes,
        domain::{FinishRecovery, LimitCheck, LimitRequest, StartRecovery},
        keys,
        state::AppState,
        throttle::bucket,
    },
    validate::{self, Field, FieldError},
};

use tower_sessions::Session;

use super::{email_code, notice_details};
use crate::i18n::t;

/// After the code, the new password must be set within this long.
const NEW_PASSWORD_WINDOW_SECS: i64 = 600;

pub struct StartedRecovery {
    pub flow_token: String,
    /// Asked by username: the code page does not show the address.
    pub hide_address: bool,
}

pub async fn start(state: &AppState, client: &Client, identifier: &str) -> Result<StartedRecovery, AppError> {
    start_for(state, client, identifier, None).await
}

/// `start`, on behalf of the admin `actor_id` when one sends it from the console: the mail then
/// carries a link that opens the flow in the browser where it is clicked.
pub async fn start_for(
    state: &AppState,
    client: &Client,
    identifier: &str,
    actor_id: Option<i64>,
) -> Result<StartedRecovery, AppError> {
    let identifier = validate::recovery_identifier(identifier)
        .map_err(|problem| AppError::on_field(Field::Identifier, problem.sentence()))?;
    let now = state.clock.now();
    let flow_token = keys::random_token();
    let code = codes::mint(&state.server_key, CodePurpose::Recovery, &flow_token);
    let started = state
        .store
        .start_recovery(StartRecovery {
            identifier: &identifier,
            flow_token: &flow_token,
            code: &code,
            client_limit: email_code::mail_per_client(state, client),
            mail_limits: email_code::mail_limits(state),
            private_recipient: codes::recovery_privacy(&state.settings),
            notify_unknown_address: state.settings.recovery_notify_unknown_address,
            actor_id,
            client,
            now,
        })
        .await?;
    if let Err(refusal) = started {
        return Err(super::refused(state, client, RefusalKind::Resend, refusal, now));
    }
    state.outbox_wake.notify_one();
    Ok(StartedRecovery {
        hide_address: !identifier.contains('@'),
        flow_token,
    })
}

/// The link in a reset mail an admin sent: this browser takes up the flow (if it is still open)
/// and goes on to enter the code. Opening it changes nothing else, so a mail scanner that
/// follows it spends nothing.
pub async fn take_up(state: &AppState, session: &Session, flow_token: &str) -> Result<bool, AppError> {
    let open = state
        .store
        .code_flow(CodePurpose::Recovery, flow_token)
        .await?
        .is_some();
    if open {
        session::await_code(session, CodePurpose::Recovery, flow_token).await?;
    }
    Ok(open)
}

/// Whether this browser's recovery may set a new password now (its code was entered, lately).
pub async fn may_set_password(state: &AppState, flow_token: &str) -> Result<bool, AppError> {
    let verified_after = state.clock.now() - NEW_PASSWORD_WINDOW_SECS;
    Ok(state
        .store
        .verified_recovery(flow_token, verified_after)
        .await?
        .is_some())
}

/// The last step: the same password rules as registration, and not the current password. Every
/// session of the account ends, the lock and delays are lifted, and nobody is signed in.
pub async fn set_password(
    state: &AppState,
    client: &Client,
    flow_token: &str,
    password: &str,
    password_confirm: &str,
) -> Result<(), AppError> {
    let verified_after = state.clock.now() - NEW_PASSWORD_WINDOW_SECS;
    let account = state
        .store
        .verified_recovery(flow_token, verified_after)
        .await?
        .ok_or(AppError::NoPendingVerification)?;
    let new_password = checked_new_password(
        state,
        password,
        password_confirm,
        &account.username,
        &account.email,
    )?;
    let now = state.clock.now();
    let checks = [
        LimitCheck {
            bucket: bucket::password_checks(&client.limit_key()),
            limit: state.settings.password_checks_per_ip,
        },
        LimitCheck {
            bucket: bucket::account_password_checks(account.user_id),
            limit: state.settings.password_checks_per_account,
        },
    ];
    let request = LimitRequest {
        now,
        checks: &checks,
        proof_gate: None,
    };
    if let Err(refusal) = state.store.take_limits(request).await? {
        return Err(super::refused(
            state,
            client,
            RefusalKind::NewPassword,
            refusal,
            now,
        ));
    }
    if state
        .hasher
        .verify(new_password.clone(), Some(account.password_hash.clone()))
        .await?
    {
        return Err(same_password());
    }
    let password_hash = state.hasher.hash(new_password).await?;
    let finished = state
        .store
        .finish_recovery(FinishRecovery {
            flow_token,
            verified_after,
            password_hash: &password_hash,
            details: &notice_details(client, now),
            client,
            now,
        })
        .await?;
    if !finished {
        return Err(AppError::NoPendingVerification);
    }
    state.outbox_wake.notify_one();
    Ok(())
}

/// A new password under the registration rules, NFKC-normalised, or the fields' errors.
pub fn checked_new_password(
    state: &AppState,
    password: &str,
    password_confirm: &str,
    username: &str,
    email: &str,
) -> Result<String, AppError> {
    let mut errors = Vec::new();
    if let Err(problem) = validate::password(
        password,
        username,
        email,
        &state.settings.site_name.0,
        state.settings.password_min_length,
    ) {
        errors.push(FieldError {
            field: Field::Password,
            message: problem.sentence(),
        });
    }
    if let Err(problem) = validate::passwords_match(password, password_confirm) {
        errors.push(FieldError {
            field: Field::PasswordConfirm,
            message: problem.sentence(),
        });
    }
    if errors.is_empty() {
        Ok(validate::normalize_password(password))
    } else {
        Err(AppError::Validation(errors))
    }
}

pub fn same_password() -> AppError {
    AppError::on_field(Field::Password, t("field-password-unchanged"))
}
