//! Two-factor on the account's security page: enrolment (a sealed secret that waits for its first
//! code from the app), a set of recovery codes shown once, new codes, turning it off. Setting it
//! up needs a recent sign-in; turning it off and new codes need the password and a current code
//! or a recovery code, checked like a sign-in (limits, delays, lock).

use tower_sessions::Session;

use crate::{
    error::AppError,
    model::{TotpSetup, TwoFactorStatus},
    server::{
        auth::{
            session::{self, SignedIn},
            two_factor,
        },
        client::Client,
        domain::{EnableTwoFactor, NoticeDetails, PasswordCheck, SignInSettled, TwoFactorChange},
        state::AppState,
    },
    validate::Field,
};

use super::{account, notice_details, sign_in};
use crate::i18n::t;

/// New recovery codes wait in the session, sealed, until the user says they are saved.
const NEW_CODES_PURPOSE: &str = "recovery codes on display";

pub async fn status(
    state: &AppState,
    signed_in: &SignedIn,
    session: &Session,
) -> Result<TwoFactorStatus, AppError> {
    let row = state.store.two_factor(signed_in.user_id).await?;
    let recent = account::password_entered_recently(state, signed_in).await?;
    let waiting = row.as_ref().filter(|row| row.enabled_at.is_none());
    let setup = match waiting.filter(|_| recent) {
        Some(row) => {
            let secret = open(state, signed_in.user_id, &row.sealed_secret)?;
            let username = account::own_account(state, signed_in).await?.username;
            let enrolment =
                two_factor::enrolment(&secret, &state.settings.site_name.0, &label(state, &username));
            Some(TotpSetup {
                grouped_secret: enrolment.grouped_secret,
                qr_svg: enrolment.qr_svg,
                app_link: enrolment.url,
            })
        }
        None => None,
    };
    let enabled = row.as_ref().and_then(|row| row.enabled_at);
    Ok(TwoFactorStatus {
        enabled_at: enabled,
        recovery_codes_left: row.as_ref().map_or(0, |row| row.recovery_codes_left),
        password_entered_recently: recent,
        setup,
        new_recovery_codes: match state.store.has_second_factor(signed_in.user_id).await? {
            true => new_codes_on_display(state, signed_in, session).await?,
            false => Vec::new(),
        },
        required: state.settings.two_factor_required,
    })
}

/// Whether the account has a second factor: the authenticator app on, or a passkey. Where one is
/// required (of everyone, or of admins), either does.
pub async fn is_on(state: &AppState, user_id: i64) -> Result<bool, AppError> {
    Ok(state.store.has_second_factor(user_id).await?)
}

/// What the authenticator app lists the account as: the username, and the site when it has a
/// public address (so two portals' entries differ).
fn label(state: &AppState, username: &str) -> String {
    let host = state.settings.public_url.as_ref().map(|url| {
        let origin = url.0.as_str();
        origin
            .split_once("://")
            .map_or(origin, |(_, host)| host)
            .to_string()
    });
    match host {
        Some(host) => format!("{username}@{host}"),
        None => username.to_string(),
    }
}

fn open(state: &AppState, user_id: i64, sealed: &[u8]) -> Result<Vec<u8>, AppError> {
    two_factor::open_secret(&state.server_key, user_id, sealed).ok_or_else(|| {
        crate::server::error::internal(format!(
            "the two-factor secret of account {user_id} does not open with this server key"
        ))
    })
}

pub(super) async fn require_recent_password(state: &AppState, signed_in: &SignedIn) -> Result<(), AppError> {
    match account::password_entered_recently(state, signed_in).await? {
        true => Ok(()),
        false => Err(AppError::ReauthenticationRequired),
    }
}

/// A new secret, waiting for its first code (it replaces one that waited).
pub async fn begin(state: &AppState, signed_in: &SignedIn) -> Result<(), AppError> {
    require_recent_password(state, signed_in).await?;
    let sealed = two_factor::seal_secret(&state.server_key, signed_in.user_id, &two_factor::new_secret());
    match state
        .store
        .begin_two_factor(signed_in.user_id, &sealed, state.clock.now())
        .await?
    {
        true => Ok(()),
        false => Err(already_on()),
    }
}

/// The first code from the app turns two-factor on (for the secret that code was checked
/// against), a set of recovery codes is made, and the session gets a new id.
pub async fn enable(
    state: &AppState,
    signed_in: &SignedIn,
    session: &Session,
    client: &Client,
    code: &str,
) -> Result<(), AppError> {
    require_recent_password(state, signed_in).await?;
    let row = state
        .store
        .two_factor(signed_in.user_id)
        .await?
        .filter(|row| row.enabled_at.is_none())
        .ok_or_else(not_waiting)?;
    let secret = open(state, signed_in.user_id, &row.sealed_secret)?;
    let now = state.clock.now();
    let step = match two_factor::parse_answer(code) {
        Some(two_factor::Answer::AppCode(code)) => two_factor::matching_step(&secret, &code, now),
        _ => None,
    }
    .ok_or_else(|| code_error(t("field-first-code-wrong")))?;
    let codes = two_factor::new_recovery_codes();
    let hashes = hashes(state, signed_in.user_id, &codes);
    let details = notice_details(client, now);
    let enabled = state
        .store
        .enable_two_factor(EnableTwoFactor {
            change: change(signed_in, &details, client, now),
            step,
            sealed_secret: &row.sealed_secret,
            recovery_code_hashes: &hashes,
        })
        .await?;
    if !enabled {
        return Err(not_waiting());
    }
    state.outbox_wake.notify_one();
    session::renew(session).await?;
    show_new_codes(state, signed_in, session, &codes).await
}

/// Turning off: the password and a current code or a recovery code; never where the operator
/// requires two-factor of everyone.
pub async fn disable(
    state: &AppState,
    signed_in: &SignedIn,
    client: &Client,
    password: &str,
    code: &str,
) -> Result<(), AppError> {
    if state.settings.two_factor_required {
        return Err(AppError::TwoFactorRequired);
    }
    prove(state, signed_in, client, password, code).await?;
    let now = state.clock.now();
    let details = notice_details(client, now);
    if !state
        .store
        .disable_two_factor(change(signed_in, &details, client, now))
        .await?
    {
        return Err(not_on());
    }
    state.outbox_wake.notify_one();
    Ok(())
}

/// A new set of recovery codes (the old set stops working): the same proof as turning off.
pub async fn replace_recovery_codes(
    state: &AppState,
    signed_in: &SignedIn,
    session: &Session,
    client: &Client,
    password: &str,
    code: &str,
) -> Result<(), AppError> {
    prove(state, signed_in, client, password, code).await?;
    let codes = two_factor::new_recovery_codes();
    let hashes = hashes(state, signed_in.user_id, &codes);
    let now = state.clock.now();
    let details = notice_details(client, now);
    if !state
        .store
        .replace_recovery_codes(change(signed_in, &details, client, now), &hashes)
        .await?
    {
        return Err(not_on());
    }
    state.outbox_wake.notify_one();
    show_new_codes(state, signed_in, session, &codes).await
}

/// "I have saved them": the codes leave the session and are never shown again.
pub async fn new_codes_saved(session: &Session) -> Result<(), AppError> {
    session::forget_recovery_codes(session).await
}

/// The codes on display, as a text file to keep; `None` once they were put away.
pub async fn new_codes_file(
    state: &AppState,
    signed_in: &SignedIn,
    session: &Session,
) -> Result<Option<String>, AppError> {
    let codes = new_codes_on_display(state, signed_in, session).await?;
    if codes.is_empty() {
        return Ok(None);
    }
    let username = account::own_account(state, signed_in).await?.username;
    let site = &state.settings.site_name.0;
    Ok(Some(format!(
        "{site} recovery codes for {username}\n\
         Each code works once, in place of a code from your authenticator app.\n\n{}\n",
        codes.join("\n")
    )))
}

/// The password, then the second factor, each checked and counted like a sign-in.
async fn prove(
    state: &AppState,
    signed_in: &SignedIn,
    client: &Client,
    password: &str,
    code: &str,
) -> Result<(), AppError> {
    account::confirm_password(state, signed_in, client, password).await?;
    let check = PasswordCheck::Confirmation {
        handle: &signed_in.handle,
    };
    match sign_in::check_second_factor(state, client, signed_in.user_id, code, None, check).await? {
        SignInSettled::Confirmed => Ok(()),
        _ => Err(code_error(t("field-second-factor-wrong"))),
    }
}

fn change<'a>(
    signed_in: &SignedIn,
    details: &'a NoticeDetails,
    client: &'a Client,
    now: i64,
) -> TwoFactorChange<'a> {
    TwoFactorChange {
        user_id: signed_in.user_id,
        details,
        client,
        now,
    }
}

pub(super) fn hashes(state: &AppState, user_id: i64, codes: &[String]) -> Vec<Vec<u8>> {
    codes
        .iter()
        .map(|code| two_factor::recovery_code_hash(&state.server_key, user_id, code))
        .collect()
}

pub(super) async fn show_new_codes(
    state: &AppState,
    signed_in: &SignedIn,
    session: &Session,
    codes: &[String],
) -> Result<(), AppError> {
    let sealed = state.server_key.seal(
        NEW_CODES_PURPOSE,
        &signed_in.user_id.to_be_bytes(),
        codes.join(" ").as_bytes(),
    );
    session::show_recovery_codes(session, sealed).await
}

async fn new_codes_on_display(
    state: &AppState,
    signed_in: &SignedIn,
    session: &Session,
) -> Result<Vec<String>, AppError> {
    let Some(sealed) = session::recovery_codes_on_display(session).await? else {
        return Ok(Vec::new());
    };
    let codes = state
        .server_key
        .open(NEW_CODES_PURPOSE, &signed_in.user_id.to_be_bytes(), &sealed)
        .and_then(|codes| String::from_utf8(codes).ok())
        .unwrap_or_default();
    Ok(codes.split_whitespace().map(str::to_string).collect())
}

fn code_error(message: String) -> AppError {
    AppError::on_field(Field::Code, message)
}

fn already_on() -> AppError {
    code_error(t("field-two-factor-on-already"))
}

fn not_on() -> AppError {
    code_error(t("field-two-factor-off-already"))
}

fn not_waiting() -> AppError {
    code_error(t("field-two-factor-setup-gone"))
}
