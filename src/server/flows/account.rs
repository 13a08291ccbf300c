//! The signed-in user's own account: what the dashboard and the account page show, and what a
//! person may change themselves (password, address, deleting it all, taking a copy of it).
//! Changes that an attacker holding a forgotten session could abuse need the password entered on
//! this device within the last minutes (`reauthentication_secs`).

use serde::Serialize;
use tower_sessions::Session;

use crate::{
    error::AppError,
    model::{AccountSettings, AccountView, ActivityEntry, CodePurpose},
    server::{
        audit,
        auth::session::{self, SignedIn},
        client::{describe_logged_device, Client},
        codes,
        config::Seconds,
        domain::{AccountRow, PasswordChange, PasswordCheck, SignInSettled, StartEmailChange},
        keys, registration_policy,
        state::AppState,
    },
    validate::{self, Field},
};

use super::{email_code, notice_details, recovery, sign_in};
use crate::i18n::{t, t_with};

/// How many of the user's successes, and how many of their other events, "recent activity" shows.
const RECENT_EVENTS_OF_EACH: i64 = 10;

pub(super) async fn own_account(state: &AppState, signed_in: &SignedIn) -> Result<AccountRow, AppError> {
    state
        .store
        .account(signed_in.user_id)
        .await?
        .ok_or(AppError::NotAuthenticated)
}

pub async fn account(state: &AppState, signed_in: &SignedIn) -> Result<AccountView, AppError> {
    let account = own_account(state, signed_in).await?;
    Ok(AccountView {
        username: account.username,
        email: account.email,
        created_at: account.created_at,
        previous_login_at: account.previous_login_at,
        two_factor_on: state.store.has_second_factor(signed_in.user_id).await?,
        groups: state.store.groups_of(signed_in.user_id).await?,
    })
}

pub async fn recent_activity(state: &AppState, signed_in: &SignedIn) -> Result<Vec<ActivityEntry>, AppError> {
    let events = state
        .store
        .recent_events(signed_in.user_id, RECENT_EVENTS_OF_EACH)
        .await?;
    Ok(events.into_iter().map(activity_entry).collect())
}

pub(super) fn activity_entry(event: crate::server::domain::LoggedEvent) -> ActivityEntry {
    ActivityEntry {
        at: event.at,
        description: audit::describe(&event.kind).to_string(),
        ip: event.ip.unwrap_or_default(),
        device: describe_logged_device(event.user_agent.as_deref()),
        outcome: event.outcome,
    }
}

pub(super) async fn password_entered_recently(
    state: &AppState,
    signed_in: &SignedIn,
) -> Result<bool, AppError> {
    password_entered_within(state, signed_in, state.settings.reauthentication_secs).await
}

/// The password was entered on this device within the last `window`.
pub(super) async fn password_entered_within(
    state: &AppState,
    signed_in: &SignedIn,
    window: Seconds,
) -> Result<bool, AppError> {
    let row = state
        .store
        .session(&signed_in.handle)
        .await?
        .ok_or(AppError::NotAuthenticated)?;
    Ok(row.password_at >= state.clock.now() - window.signed())
}

pub async fn settings(state: &AppState, signed_in: &SignedIn) -> Result<AccountSettings, AppError> {
    let account = own_account(state, signed_in).await?;
    Ok(AccountSettings {
        username: account.username,
        email: account.email,
        password_entered_recently: password_entered_recently(state, signed_in).await?,
    })
}

/// The password entered again on this device, for the changes that ask for a recent one; the
/// session gets a new id.
pub async fn reauthenticate(
    state: &AppState,
    signed_in: &SignedIn,
    session: &Session,
    client: &Client,
    password: &str,
) -> Result<(), AppError> {
    confirm_password(state, signed_in, client, password).await?;
    session::renew(session).await
}

/// The password, entered again on this device: it counts like a sign-in attempt (limits, delay,
/// lock), and a right one makes sensitive changes possible for the next minutes.
pub async fn confirm_password(
    state: &AppState,
    signed_in: &SignedIn,
    client: &Client,
    password: &str,
) -> Result<(), AppError> {
    let account = own_account(state, signed_in).await?;
    let check = PasswordCheck::Confirmation {
        handle: &signed_in.handle,
    };
    match sign_in::check_password(state, client, &account.username, password, None, check).await? {
        SignInSettled::Confirmed => Ok(()),
        _ => Err(AppError::on_field(
            Field::CurrentPassword,
            t("field-not-current-password"),
        )),
    }
}

/// A new password: the current one is required, the new one follows the policy; the other
/// sessions end, this one gets a new id, and the owner is told by mail.
pub async fn change_password(
    state: &AppState,
    signed_in: &SignedIn,
    session: &Session,
    client: &Client,
    current_password: &str,
    password: &str,
    password_confirm: &str,
) -> Result<(), AppError> {
    let account = own_account(state, signed_in).await?;
    let new_password = recovery::checked_new_password(
        state,
        password,
        password_confirm,
        &account.username,
        &account.email,
    )?;
    confirm_password(state, signed_in, client, current_password).await?;
    if new_password == validate::normalize_password(current_password) {
        return Err(recovery::same_password());
    }
    let password_hash = state.hasher.hash(new_password).await?;
    let now = state.clock.now();
    state
        .store
        .change_password(PasswordChange {
            user_id: signed_in.user_id,
            keep_handle: &signed_in.handle,
            password_hash: &password_hash,
            details: &notice_details(client, now),
            client,
            now,
        })
        .await?;
    state.outbox_wake.notify_one();
    session::renew(session).await
}

/// A code to the new address; the change takes effect when it is entered (the code page's
/// `EmailChange` purpose). An address another account uses gets the very same answer.
pub async fn start_email_change(
    state: &AppState,
    signed_in: &SignedIn,
    session: &Session,
    client: &Client,
    new_email: &str,
) -> Result<(), AppError> {
    if !password_entered_recently(state, signed_in).await? {
        return Err(AppError::ReauthenticationRequired);
    }
    let new_email =
        validate::email(new_email).map_err(|problem| AppError::on_field(Field::Email, problem.sentence()))?;
    if new_email == own_account(state, signed_in).await?.email {
        return Err(AppError::on_field(Field::Email, t("field-email-unchanged")));
    }
    if let Some(refusal) = registration_policy::address_refusal(&state.settings, &new_email) {
        return Err(AppError::on_field(Field::Email, refusal));
    }
    let now = state.clock.now();
    let flow_token = keys::random_token();
    let code = codes::mint(&state.server_key, CodePurpose::EmailChange, &flow_token);
    let started = state
        .store
        .start_email_change(StartEmailChange {
            user_id: signed_in.user_id,
            new_email: &new_email,
            flow_token: &flow_token,
            code: &code,
            client_limit: email_code::mail_per_client(state, client),
            mail_limits: email_code::mail_limits(state),
            client,
            now,
        })
        .await?;
    if let Err(refusal) = started {
        return Err(super::refused(
            state,
            client,
            crate::server::audit::RefusalKind::Resend,
            refusal,
            now,
        ));
    }
    session::await_code(session, CodePurpose::EmailChange, &flow_token).await?;
    email_code::await_first_delivery(state, CodePurpose::EmailChange, &flow_token).await
}

/// The phrase the delete form asks to be typed: the account's own username.
pub async fn delete(
    state: &AppState,
    signed_in: &SignedIn,
    session: &Session,
    client: &Client,
    password: &str,
    confirmation: &str,
) -> Result<(), AppError> {
    let account = own_account(state, signed_in).await?;
    if confirmation.trim().to_lowercase() != account.username {
        let message = t_with(
            "field-confirm-deletion",
            &[("name", account.username.as_str().into())],
        );
        return Err(AppError::on_field(Field::Confirmation, message));
    }
    confirm_password(state, signed_in, client, password).await?;
    let now = state.clock.now();
    state
        .store
        .delete_account(signed_in.user_id, &notice_details(client, now), now)
        .await?;
    state.outbox_wake.notify_one();
    session::log_out(session).await
}

/// "Download my data": the profile, the signed-in sessions and the security events.
#[derive(Debug, Serialize)]
pub struct AccountExport {
    pub username: String,
    pub email: String,
    pub created_at: i64,
    pub verified_at: Option<i64>,
    pub last_sign_in_at: Option<i64>,
    /// The version of the terms the account accepted, and when.
    pub terms_version: Option<String>,
    pub terms_accepted_at: Option<i64>,
    pub groups: Vec<String>,
    pub sessions: Vec<crate::model::SessionView>,
    pub security_events: Vec<ActivityEntry>,
}

pub async fn export(state: &AppState, signed_in: &SignedIn) -> Result<AccountExport, AppError> {
    let account = own_account(state, signed_in).await?;
    let events = state.store.account_events(signed_in.user_id).await?;
    Ok(AccountExport {
        username: account.username,
        email: account.email,
        created_at: account.created_at,
        verified_at: account.verified_at,
        last_sign_in_at: account.last_login_at,
        terms_version: account.terms_version,
        terms_accepted_at: account.terms_accepted_at,
        groups: state.store.groups_of(signed_in.user_id).await?,
        sessions: super::sessions::list(state, signed_in).await?,
        security_events: events.into_iter().map(activity_entry).collect(),
    })
}
