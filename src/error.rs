use leptos::server_fn::{codec::JsonEncoding, error::FromServerFnError, error::ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::validate::FieldError;

/// What a server function can tell the browser went wrong. Every variant's `Display` is a
/// sentence safe to show a user; internal causes are logged on the server and only their
/// reference travels (see `server::error`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// 422: one or more fields break a rule; each message belongs next to its field.
    #[error("Please correct the highlighted fields.")]
    Validation(Vec<FieldError>),
    /// 401: the same answer for an unknown account and a wrong password.
    #[error("Incorrect username, email or password.")]
    InvalidCredentials,
    /// 401: the second step's code or recovery code did not work (wrong, used, or too old).
    #[error("That code did not work. Enter the current code from your authenticator app, or an unused recovery code.")]
    SecondFactorInvalid,
    /// 410: the second step of a sign-in was not finished within its 5 minutes (or never begun here).
    #[error("This sign-in waited too long for its second step. Please sign in again.")]
    SecondStepExpired,
    /// 401: the request needs a signed-in user.
    #[error("Please sign in to continue.")]
    NotAuthenticated,
    /// 422
    #[error("That code is not correct. {attempts_left} attempt(s) left.")]
    WrongCode { attempts_left: u32 },
    /// 410
    #[error("This code has expired. Request a new code.")]
    CodeExpired,
    /// 429: five wrong guesses killed this code.
    #[error("Too many wrong attempts for this code. Request a new code.")]
    CodeLocked,
    /// 409: the mail with the code has not been handed to the mail server yet.
    #[error("Your code is still on its way. Please wait for the email, or request a new one.")]
    CodeNotSentYet,
    /// 403: too many wrong codes over the whole registration; it has to start again.
    #[error("Too many wrong codes for this registration. Please register again.")]
    RegistrationLocked,
    /// 404: nothing in this browser is waiting for a code (finished, replaced or expired).
    #[error("Nothing in this browser is waiting for a code: it was finished, replaced, or it expired. Start again, or sign in.")]
    NoPendingVerification,
    /// 403: a sensitive change needs the password entered again on this device first.
    #[error("For your safety, please enter your password again first.")]
    ReauthenticationRequired,
    /// 403: the admin console is for admins.
    #[error("This page is for administrators.")]
    NotAdmin,
    /// 403: an admin without two-factor is sent to turn it on first.
    #[error("Turn on two-factor sign-in first: the admin console needs it.")]
    AdminNeedsTwoFactor,
    /// 403: the operator requires two-factor sign-in of everyone, so it cannot be turned off.
    #[error("This site requires two-factor sign-in, so it cannot be turned off. You can make new recovery codes instead.")]
    TwoFactorRequired,
    /// 403: an admin cannot change their own role or disable their own account in the console.
    #[error("You cannot do that to your own account. Ask another administrator.")]
    NotOnOwnAccount,
    /// 409: the account's address is verified already (or its registration ended).
    #[error("This account's address is verified already, so there is no code to resend.")]
    AlreadyVerified,
    /// 404: no account has that id.
    #[error("There is no such account. It may have been deleted.")]
    NoSuchAccount,
    /// 404: no group has that name.
    #[error("There is no such group. It may have been renamed or deleted.")]
    NoSuchGroup,
    /// 404: sign-in for other apps (the OpenID Connect provider) is off.
    #[error("Signing in to other apps with this site is not turned on.")]
    ProviderOff,
    /// 400: an app asked for a sign-in without being registered, or to be answered at an address
    /// it did not register; the browser is shown this and sent nowhere.
    #[error("The app that sent you here is not registered with this site, or asked to be answered at an address it did not register. You were not sent back to it. Please tell the app's administrator.")]
    UnknownApp,
    /// 404: no sign-in for an app waits in this browser (finished, or never begun here).
    #[error("No sign-in to an app is waiting in this browser: it finished already, or it began elsewhere. Go back to the app and start again.")]
    NoAppSignInWaiting,
    /// 404: no registered app has that client id.
    #[error("There is no such app. It may have been removed.")]
    NoSuchApp,
    /// 404: the app to withdraw is not one the user allowed.
    #[error("That app has no access to withdraw. It may have been withdrawn already.")]
    NoSuchGrant,
    /// 404: the session to end is not one of the user's live sessions.
    #[error("That session has already ended.")]
    NoSuchSession,
    /// 404: this site cannot offer passkeys (no public address, or one on an IP address).
    #[error("Passkeys are not available on this site. Sign in with your password.")]
    PasskeysUnavailable,
    /// 410: the passkey request is unknown, used already, or older than its 5 minutes.
    #[error("This passkey request expired or was used already. Please try again.")]
    PasskeyRequestExpired,
    /// 401: no account here has that passkey (removed, or made for another account or site).
    #[error("That passkey is not registered for this account here. Use another passkey, or sign in with your password.")]
    PasskeyNotRecognised,
    /// 401: the authenticator did not verify the user (no PIN, fingerprint or face).
    #[error("Your passkey did not check it was you (with a PIN, fingerprint or face). Passkeys here need that: try again, or use another passkey.")]
    PasskeyUserNotVerified,
    /// 401: the answer was made for another web address (a look-alike site).
    #[error("That passkey answer was made for another web address, so it does not work here. Make sure you are on this site's real address.")]
    PasskeyWrongSite,
    /// 401: the answer's signature, counter or form does not check out.
    #[error("That passkey's answer could not be checked. Please try again, or sign in with your password.")]
    PasskeyRefused,
    /// 409: the authenticator already holds a passkey registered here.
    #[error("This passkey is registered here already.")]
    PasskeyAlreadyRegistered,
    /// 404: the passkey to rename or remove is not one of the account's.
    #[error("There is no such passkey on your account. It may have been removed.")]
    NoSuchPasskey,
    /// 422: the terms' tick-box was left empty.
    #[error("Tick the box to accept the terms.")]
    TermsNotAccepted,
    /// 403: `GATEHOUSE_REGISTRATION=closed`.
    #[error("Registration is closed on this site. An administrator can invite you.")]
    RegistrationClosed,
    /// 403: `GATEHOUSE_REGISTRATION=invite`, and no invitation link was followed.
    #[error("Registration here is by invitation only. Ask an administrator to invite you, then open the link in the invitation email.")]
    InvitationRequired,
    /// 410: an invitation link that was used, revoked, has expired or never existed: all alike.
    #[error("This invitation link does not work: it was used, revoked or has expired. Ask an administrator for a new invitation.")]
    InvitationInvalid,
    /// 404: the console's resend or revoke of an invitation that is no longer pending.
    #[error("This invitation is no longer pending: it was used, revoked or has expired.")]
    NoSuchInvitation,
    /// 429: a limit was reached; `Retry-After` says when it lifts.
    #[error("Too many attempts. Please try again in {}.", wait_phrase(*retry_after_secs))]
    RateLimited { retry_after_secs: u64 },
    /// 429: the client must solve `challenge` (see `pow`) first. The hydrated page does that by
    /// itself; without JavaScript the user waits until the burst that triggered it has passed.
    #[error("Too many attempts from here. Please try again in {}, or turn on JavaScript so your browser can prove it is not a bot and continue now.", wait_phrase(*retry_after_secs))]
    ProofOfWorkRequired {
        challenge: String,
        retry_after_secs: u64,
    },
    /// 503: every password-hashing slot stayed busy for a while; `Retry-After` says when to retry.
    #[error("We are very busy right now. Please try again in {}.", wait_phrase(*retry_after_secs))]
    Busy { retry_after_secs: u64 },
    /// 410: the unlock link is unknown, used already, or past its day.
    #[error("This unlock link does not work any more. If your account is still locked, the newest email we sent you has a fresh link.")]
    UnlockLinkInvalid,
    /// 400: a date in a filter is not a day.
    #[error("Write dates as YYYY-MM-DD, for example 2026-11-25.")]
    InvalidDate,
    /// 400: the request itself could not be read (missing or malformed fields).
    #[error("The form could not be read. Please reload the page and try again.")]
    BadRequest,
    /// 500: something failed on the server; the log holds the cause under this reference.
    #[error("Something went wrong on our side (reference {reference}). Please try again.")]
    Internal { reference: String },
    /// The browser could not reach the server or read its answer.
    #[error("Could not reach the server. Check your connection and try again.")]
    Unreachable,
}

impl AppError {
    /// 422 for one field, with the sentence shown beside it.
    pub fn on_field(field: crate::validate::Field, message: impl Into<String>) -> AppError {
        AppError::Validation(vec![FieldError {
            field,
            message: message.into(),
        }])
    }

    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Validation(_) | AppError::WrongCode { .. } | AppError::TermsNotAccepted => 422,
            AppError::InvalidCredentials
            | AppError::NotAuthenticated
            | AppError::SecondFactorInvalid
            | AppError::PasskeyNotRecognised
            | AppError::PasskeyUserNotVerified
            | AppError::PasskeyWrongSite
            | AppError::PasskeyRefused => 401,
            AppError::CodeExpired
            | AppError::UnlockLinkInvalid
            | AppError::SecondStepExpired
            | AppError::PasskeyRequestExpired
            | AppError::InvitationInvalid => 410,
            AppError::CodeLocked | AppError::RateLimited { .. } | AppError::ProofOfWorkRequired { .. } => 429,
            AppError::CodeNotSentYet | AppError::AlreadyVerified | AppError::PasskeyAlreadyRegistered => 409,
            AppError::RegistrationLocked
            | AppError::ReauthenticationRequired
            | AppError::NotAdmin
            | AppError::AdminNeedsTwoFactor
            | AppError::TwoFactorRequired
            | AppError::NotOnOwnAccount
            | AppError::RegistrationClosed
            | AppError::InvitationRequired => 403,
            AppError::NoPendingVerification
            | AppError::NoSuchSession
            | AppError::NoSuchAccount
            | AppError::NoSuchGroup
            | AppError::ProviderOff
            | AppError::NoAppSignInWaiting
            | AppError::NoSuchGrant
            | AppError::NoSuchApp
            | AppError::PasskeysUnavailable
            | AppError::NoSuchPasskey
            | AppError::NoSuchInvitation => 404,
            AppError::BadRequest | AppError::InvalidDate | AppError::UnknownApp => 400,
            AppError::Internal { .. } => 500,
            AppError::Busy { .. } => 503,
            AppError::Unreachable => 502,
        }
    }

    /// Seconds the client should wait, for `Retry-After`.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::RateLimited { retry_after_secs }
            | AppError::ProofOfWorkRequired { retry_after_secs, .. }
            | AppError::Busy { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }

    /// The message for one field, if this is a validation error that names it.
    pub fn field_message(&self, field: crate::validate::Field) -> Option<String> {
        match self {
            AppError::Validation(errors) => errors
                .iter()
                .find(|error| error.field == field)
                .map(|error| error.message.clone()),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::BadRequest,
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Unreachable,
            other => AppError::Internal {
                reference: format!("fn-{}", short_hash(&other.to_string())),
            },
        }
    }
}

/// `1` → "1 second", `150` → "3 minutes" (rounded up: never promise less than the real wait).
pub fn wait_phrase(seconds: u64) -> String {
    match seconds {
        0..=1 => "1 second".into(),
        2..=90 => format!("{seconds} seconds"),
        _ => format!("{} minutes", seconds.div_ceil(60)),
    }
}

fn short_hash(text: &str) -> String {
    let sum = text.bytes().fold(0xcbf29ce484222325u64, |hash, byte| {
        (hash ^ byte as u64).wrapping_mul(0x100000001b3)
    });
    format!("{:08x}", sum as u32)
}
