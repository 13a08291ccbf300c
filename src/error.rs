use std::fmt;

use leptos::server_fn::{codec::JsonEncoding, error::FromServerFnError, error::ServerFnErrorErr, Bytes};
use serde::{Deserialize, Serialize};

use crate::validate::FieldError;

/// What a server function can tell the browser went wrong. Every variant's `Display` is a
/// sentence safe to show a user, in the reader's language (`locales/*/errors.ftl`, key
/// `error-<variant>`); internal causes are logged on the server and only their reference travels
/// (see `server::error`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// 422: one or more fields break a rule; each message belongs next to its field.
    Validation(Vec<FieldError>),
    /// 401: the same answer for an unknown account and a wrong password.
    InvalidCredentials,
    /// 401: the second step's code or recovery code did not work (wrong, used, or too old).
    SecondFactorInvalid,
    /// 410: the second step of a sign-in was not finished within its 5 minutes (or never begun here).
    SecondStepExpired,
    /// 401: the request needs a signed-in user.
    NotAuthenticated,
    /// 422
    WrongCode { attempts_left: u32 },
    /// 410
    CodeExpired,
    /// 429: five wrong guesses killed this code.
    CodeLocked,
    /// 409: the mail with the code has not been handed to the mail server yet.
    CodeNotSentYet,
    /// 403: too many wrong codes over the whole registration; it has to start again.
    RegistrationLocked,
    /// 404: nothing in this browser is waiting for a code (finished, replaced or expired).
    NoPendingVerification,
    /// 403: a sensitive change needs the password entered again on this device first.
    ReauthenticationRequired,
    /// 403: the admin console is for admins.
    NotAdmin,
    /// 403: an admin without two-factor is sent to turn it on first.
    AdminNeedsTwoFactor,
    /// 403: the operator requires two-factor sign-in of everyone, so it cannot be turned off.
    TwoFactorRequired,
    /// 403: an admin cannot change their own role or disable their own account in the console.
    NotOnOwnAccount,
    /// 409: the account's address is verified already (or its registration ended).
    AlreadyVerified,
    /// 404: no account has that id.
    NoSuchAccount,
    /// 404: no group has that name.
    NoSuchGroup,
    /// 404: sign-in for other apps (the OpenID Connect provider) is off.
    ProviderOff,
    /// 400: an app asked for a sign-in without being registered, or to be answered at an address
    /// it did not register; the browser is shown this and sent nowhere.
    UnknownApp,
    /// 404: no sign-in for an app waits in this browser (finished, or never begun here).
    NoAppSignInWaiting,
    /// 404: no registered app has that client id.
    NoSuchApp,
    /// 404: the app to withdraw is not one the user allowed.
    NoSuchGrant,
    /// 404: the session to end is not one of the user's live sessions.
    NoSuchSession,
    /// 404: this site cannot offer passkeys (no public address, or one on an IP address).
    PasskeysUnavailable,
    /// 410: the passkey request is unknown, used already, or older than its 5 minutes.
    PasskeyRequestExpired,
    /// 401: no account here has that passkey (removed, or made for another account or site).
    PasskeyNotRecognised,
    /// 401: the authenticator did not verify the user (no PIN, fingerprint or face).
    PasskeyUserNotVerified,
    /// 401: the answer was made for another web address (a look-alike site).
    PasskeyWrongSite,
    /// 401: the answer's signature, counter or form does not check out.
    PasskeyRefused,
    /// 409: the authenticator already holds a passkey registered here.
    PasskeyAlreadyRegistered,
    /// 404: the passkey to rename or remove is not one of the account's.
    NoSuchPasskey,
    /// 422: the terms' tick-box was left empty.
    TermsNotAccepted,
    /// 403: `GATEHOUSE_REGISTRATION=closed`.
    RegistrationClosed,
    /// 403: `GATEHOUSE_REGISTRATION=invite`, and no invitation link was followed.
    InvitationRequired,
    /// 410: an invitation link that was used, revoked, has expired or never existed: all alike.
    InvitationInvalid,
    /// 404: the console's resend or revoke of an invitation that is no longer pending.
    NoSuchInvitation,
    /// 429: a limit was reached; `Retry-After` says when it lifts.
    RateLimited { retry_after_secs: u64 },
    /// 429: the client must solve `challenge` (see `pow`) first. The hydrated page does that by
    /// itself; without JavaScript the user waits until the burst that triggered it has passed.
    ProofOfWorkRequired {
        challenge: String,
        retry_after_secs: u64,
    },
    /// 503: every password-hashing slot stayed busy for a while; `Retry-After` says when to retry.
    Busy { retry_after_secs: u64 },
    /// 410: the unlock link is unknown, used already, or past its day.
    UnlockLinkInvalid,
    /// 400: a date in a filter is not a day.
    InvalidDate,
    /// 400: the request itself could not be read (missing or malformed fields).
    BadRequest,
    /// 500: something failed on the server; the log holds the cause under this reference.
    Internal { reference: String },
    /// The browser could not reach the server or read its answer.
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

    /// The catalogue's key for this error's sentence.
    #[cfg(feature = "ssr")]
    fn message_key(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "error-validation",
            AppError::InvalidCredentials => "error-invalid-credentials",
            AppError::SecondFactorInvalid => "error-second-factor-invalid",
            AppError::SecondStepExpired => "error-second-step-expired",
            AppError::NotAuthenticated => "error-not-authenticated",
            AppError::WrongCode { .. } => "error-wrong-code",
            AppError::CodeExpired => "error-code-expired",
            AppError::CodeLocked => "error-code-locked",
            AppError::CodeNotSentYet => "error-code-not-sent-yet",
            AppError::RegistrationLocked => "error-registration-locked",
            AppError::NoPendingVerification => "error-no-pending-verification",
            AppError::ReauthenticationRequired => "error-reauthentication-required",
            AppError::NotAdmin => "error-not-admin",
            AppError::AdminNeedsTwoFactor => "error-admin-needs-two-factor",
            AppError::TwoFactorRequired => "error-two-factor-required",
            AppError::NotOnOwnAccount => "error-not-on-own-account",
            AppError::AlreadyVerified => "error-already-verified",
            AppError::NoSuchAccount => "error-no-such-account",
            AppError::NoSuchGroup => "error-no-such-group",
            AppError::ProviderOff => "error-provider-off",
            AppError::UnknownApp => "error-unknown-app",
            AppError::NoAppSignInWaiting => "error-no-app-sign-in-waiting",
            AppError::NoSuchApp => "error-no-such-app",
            AppError::NoSuchGrant => "error-no-such-grant",
            AppError::NoSuchSession => "error-no-such-session",
            AppError::PasskeysUnavailable => "error-passkeys-unavailable",
            AppError::PasskeyRequestExpired => "error-passkey-request-expired",
            AppError::PasskeyNotRecognised => "error-passkey-not-recognised",
            AppError::PasskeyUserNotVerified => "error-passkey-user-not-verified",
            AppError::PasskeyWrongSite => "error-passkey-wrong-site",
            AppError::PasskeyRefused => "error-passkey-refused",
            AppError::PasskeyAlreadyRegistered => "error-passkey-already-registered",
            AppError::NoSuchPasskey => "error-no-such-passkey",
            AppError::TermsNotAccepted => "error-terms-not-accepted",
            AppError::RegistrationClosed => "error-registration-closed",
            AppError::InvitationRequired => "error-invitation-required",
            AppError::InvitationInvalid => "error-invitation-invalid",
            AppError::NoSuchInvitation => "error-no-such-invitation",
            AppError::RateLimited { .. } => "error-rate-limited",
            AppError::ProofOfWorkRequired { .. } => "error-proof-of-work-required",
            AppError::Busy { .. } => "error-busy",
            AppError::UnlockLinkInvalid => "error-unlock-link-invalid",
            AppError::InvalidDate => "error-invalid-date",
            AppError::BadRequest => "error-bad-request",
            AppError::Internal { .. } => "error-internal",
            AppError::Unreachable => "error-unreachable",
        }
    }

    /// This error's sentence in the language of the request being answered.
    #[cfg(feature = "ssr")]
    pub fn sentence(&self) -> String {
        use crate::i18n::catalogue;
        self.sentence_in(catalogue::request_language(), &catalogue::request_site())
    }

    /// This error's sentence in `language`, for answers made outside a page or server function.
    #[cfg(feature = "ssr")]
    pub fn sentence_in(&self, language: crate::i18n::Language, site: &str) -> String {
        use crate::i18n::catalogue::text;
        let args = match self {
            AppError::WrongCode { attempts_left } => vec![("attempts", (*attempts_left).into())],
            AppError::RateLimited { retry_after_secs }
            | AppError::ProofOfWorkRequired { retry_after_secs, .. }
            | AppError::Busy { retry_after_secs } => {
                vec![("wait", wait_phrase(language, *retry_after_secs).into())]
            }
            AppError::Internal { reference } => vec![("reference", reference.as_str().into())],
            _ => Vec::new(),
        };
        text(language, site, self.message_key(), &args)
    }

    /// This error as it travels, its sentence in `language`.
    #[cfg(feature = "ssr")]
    pub fn answer_in(&self, language: crate::i18n::Language, site: &str) -> ErrorAnswer {
        ErrorAnswer {
            error: self.clone(),
            sentence: self.sentence_in(language, site),
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

/// An error as it travels: the error, and its sentence in the language of the request, so the
/// browser (which has no catalogue) and any other client can show it as it is.
#[derive(Debug, Serialize, Deserialize)]
pub struct ErrorAnswer {
    pub error: AppError,
    pub sentence: String,
}

impl fmt::Display for AppError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        #[cfg(feature = "ssr")]
        return formatter.write_str(&self.sentence());
        #[cfg(not(feature = "ssr"))]
        formatter.write_str(&heard::sentence(self))
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn ser(&self) -> Bytes {
        let answer = ErrorAnswer {
            error: self.clone(),
            sentence: self.to_string(),
        };
        serde_json::to_vec(&answer).unwrap_or_default().into()
    }

    fn de(data: Bytes) -> Self {
        match serde_json::from_slice::<ErrorAnswer>(&data) {
            Ok(answer) => {
                #[cfg(not(feature = "ssr"))]
                heard::remember(&answer.error, answer.sentence);
                answer.error
            }
            Err(_) => AppError::BadRequest,
        }
    }

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
#[cfg(feature = "ssr")]
pub fn wait_phrase(language: crate::i18n::Language, seconds: u64) -> String {
    let (key, count) = match seconds {
        0..=90 => ("wait-seconds", seconds.max(1)),
        _ => ("wait-minutes", seconds.div_ceil(60)),
    };
    let count = crate::i18n::Arg::Number(count as i64);
    crate::i18n::catalogue::text(language, "", key, &[("count", count)])
}

/// The browser's memory of the sentences the server sent with its errors: the browser has no
/// catalogue, so an error shows the words the server chose for it, the newest of its kind. An
/// error the browser made itself (the server could not be reached) takes its sentence from the
/// page (`<meta name="unreachable">`, in the page's language).
#[cfg(not(feature = "ssr"))]
mod heard {
    use std::{cell::RefCell, mem::Discriminant};

    use super::AppError;

    thread_local! {
        static SENTENCES: RefCell<Vec<(Discriminant<AppError>, String)>> = const { RefCell::new(Vec::new()) };
    }

    pub fn remember(error: &AppError, sentence: String) {
        let kind = std::mem::discriminant(error);
        SENTENCES.with_borrow_mut(|sentences| {
            sentences.retain(|(known, _)| *known != kind);
            sentences.push((kind, sentence));
        });
    }

    pub fn sentence(error: &AppError) -> String {
        let kind = std::mem::discriminant(error);
        SENTENCES
            .with_borrow(|sentences| {
                sentences
                    .iter()
                    .find(|(known, _)| *known == kind)
                    .map(|(_, sentence)| sentence.clone())
            })
            .or_else(unreachable_sentence)
            .unwrap_or_default()
    }

    fn unreachable_sentence() -> Option<String> {
        leptos::prelude::document()
            .query_selector("meta[name=unreachable]")
            .ok()
            .flatten()
            .and_then(|meta| meta.get_attribute("content"))
    }
}

fn short_hash(text: &str) -> String {
    let sum = text.bytes().fold(0xcbf29ce484222325u64, |hash, byte| {
        (hash ^ byte as u64).wrapping_mul(0x100000001b3)
    });
    format!("{:08x}", sum as u32)
}
