//! "Sign in with Gatehouse": the OpenID Connect provider (code flow only) for the site's other
//! apps. [`authorize`] is the browser's side (sign-in, the code) and [`consent`] its consent
//! page; [`tokens`] the apps' servers' side (token, userinfo, revocation); [`signing`] the ID
//! tokens' keys; [`clients`] the registered apps, [`grants`] what users allowed them, [`logout`]
//! an app's sign-out. What a token proves is written once, in [`claims`].

pub mod authorize;
pub mod claims;
pub mod clients;
pub mod consent;
pub mod grants;
pub mod logout;
pub mod signing;
pub mod tokens;

use base64::Engine as _;
use rand::Rng;

use crate::error::AppError;
use crate::server::{error::internal, state::AppState};

/// The longest a code waits for its exchange (the issue of the provider caps it at 60 s).
pub const CODE_TTL_SECS: i64 = 60;

/// The provider's endpoints; the discovery document is what apps read.
pub mod paths {
    pub const DISCOVERY: &str = "/.well-known/openid-configuration";
    pub const JWKS: &str = "/oidc/jwks";
    pub const AUTHORIZE: &str = "/oidc/authorize";
    pub const TOKEN: &str = "/oidc/token";
    pub const USERINFO: &str = "/oidc/userinfo";
    pub const REVOKE: &str = "/oidc/revoke";
    pub const LOGOUT: &str = "/oidc/logout";
    /// Where a browser comes back to after signing in for an app.
    pub const RESUME: &str = "/oidc/resume";
    pub const CONSENT: &str = "/oidc/consent";
    /// The page that sends a browser on to the app once a form led here.
    pub const CONTINUE: &str = "/oidc/continue";

    /// Called by apps' servers (or by an app's page posting a form): the same-origin guard of the
    /// portal's own forms does not apply; each authenticates its caller itself, or changes nothing.
    pub const CALLED_FROM_ELSEWHERE: [&str; 5] = [AUTHORIZE, TOKEN, USERINFO, REVOKE, LOGOUT];
}

/// An RFC 6749 / 6750 error: its code, a sentence for the app's developer, and the status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcError {
    pub error: &'static str,
    pub description: String,
    pub status: u16,
}

impl OidcError {
    pub fn new(error: &'static str, description: impl Into<String>) -> OidcError {
        let status = match error {
            "invalid_client" | "invalid_token" => 401,
            "insufficient_scope" | "access_denied" => 403,
            "temporarily_unavailable" => 503,
            "server_error" => 500,
            "slow_down" => 429,
            _ => 400,
        };
        OidcError {
            error,
            description: description.into(),
            status,
        }
    }
}

impl From<AppError> for OidcError {
    fn from(error: AppError) -> OidcError {
        match error {
            AppError::RateLimited { retry_after_secs } => OidcError {
                error: "slow_down",
                description: format!("Too many requests; retry in {retry_after_secs} s."),
                status: 429,
            },
            AppError::ProviderOff => OidcError {
                status: 404,
                ..OidcError::new("invalid_request", AppError::ProviderOff.to_string())
            },
            other => OidcError::new("server_error", other.to_string()),
        }
    }
}

/// The issuer: `GATEHOUSE_PUBLIC_URL` exactly (the provider is off without it).
pub fn issuer(state: &AppState) -> Result<&str, AppError> {
    match (&state.settings.public_url, state.settings.oidc_provider) {
        (Some(url), true) => Ok(&url.0),
        _ => Err(AppError::ProviderOff),
    }
}

/// 256 random bits, base64url: codes, access and refresh tokens, client secrets, families.
pub fn random_secret() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::rngs::OsRng.gen::<[u8; 32]>())
}

/// What the database keeps of a code or token: its keyed hash, so a copy of the database
/// redeems nothing.
pub fn secret_hash(state: &AppState, purpose: &str, secret: &str) -> Vec<u8> {
    state.server_key.sign(purpose, secret.as_bytes())
}

/// The subject of a user at every app: stable (a new username or address leaves it), and not
/// the username or the row number.
pub fn subject(state: &AppState, user_id: i64) -> String {
    let mac = state.server_key.sign("oidc subject", &user_id.to_be_bytes());
    hex::encode(&mac[..16])
}

fn internal_error(cause: impl std::fmt::Display) -> OidcError {
    let AppError::Internal { reference } = internal(cause) else {
        unreachable!("internal() always gives Internal")
    };
    OidcError::new(
        "server_error",
        format!("Something went wrong (reference {reference})."),
    )
}
