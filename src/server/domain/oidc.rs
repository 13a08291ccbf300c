//! The OpenID Connect provider's vocabulary: the apps (clients), the codes and tokens it hands
//! them, the grants users gave, and the keys that sign ID tokens.

use sha2::{Digest, Sha256};

use crate::server::client::Client;

/// Scopes this provider knows; others are dropped from a request, never refused.
pub const SCOPES: [&str; 5] = ["openid", "email", "profile", "groups", "offline_access"];

/// The scope that asks for a refresh token.
pub const OFFLINE_ACCESS: &str = "offline_access";

/// Whether a granted `scope` (space-separated) holds `name`.
pub fn scope_has(scope: &str, name: &str) -> bool {
    scope.split(' ').any(|granted| granted == name)
}

/// PKCE's S256 check (RFC 7636): the challenge is the base64url SHA-256 of the verifier.
pub fn pkce_matches(challenge: &str, verifier: &str) -> bool {
    use base64::Engine as _;
    let digest = Sha256::digest(verifier.as_bytes());
    let expected = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
    // Both are public once the code is redeemed; the comparison need not hide its timing.
    expected == challenge
}

/// Whether a user is asked before a client receives what it asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Consent {
    /// The operator's own app: no question asked (the grant is still recorded and revocable).
    Implicit,
    /// The user is asked once per scope set; the answer is remembered.
    Explicit,
}

impl Consent {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<Consent> {
        match text {
            "implicit" => Some(Consent::Implicit),
            "explicit" => Some(Consent::Explicit),
            _ => None,
        }
    }
}

/// A registered app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcClient {
    pub client_id: String,
    pub name: String,
    /// `None`: a public client (native or browser app), which authenticates with PKCE alone.
    pub secret_hash: Option<Vec<u8>>,
    pub redirect_uris: Vec<String>,
    pub post_logout_uris: Vec<String>,
    /// Only members of one of these may sign in to it; empty: every account.
    pub allowed_groups: Vec<String>,
    pub consent: Consent,
    /// A legacy confidential client that cannot send PKCE.
    pub pkce_optional: bool,
    pub created_at: i64,
}

impl OidcClient {
    pub fn is_public(&self) -> bool {
        self.secret_hash.is_none()
    }
}

/// A change to the registered clients, by an admin (`actor_id`) or the command line, audited.
#[derive(Debug, Clone)]
pub struct ClientChange<'a> {
    pub action: ClientAction<'a>,
    pub actor_id: Option<i64>,
    pub client: Option<&'a Client>,
    pub now: i64,
}

#[derive(Debug, Clone)]
pub enum ClientAction<'a> {
    Add(&'a OidcClient),
    Remove {
        client_id: &'a str,
    },
    /// A new secret; the old one stops working at once.
    RotateSecret {
        client_id: &'a str,
        secret_hash: &'a [u8],
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientRefusal {
    IdTaken,
    NoSuchClient,
    /// Only a confidential client has a secret to rotate.
    PublicClient,
}

/// An authorization code as it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcCode {
    pub code_hash: Vec<u8>,
    pub client_id: String,
    pub user_id: i64,
    pub redirect_uri: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub auth_time: i64,
    pub amr: String,
    pub family: String,
    pub expires_at: i64,
}

/// The tokens one exchange mints: always an access token, a refresh token when the scope has
/// `offline_access`.
#[derive(Debug, Clone)]
pub struct MintedTokens<'a> {
    pub access_hash: &'a [u8],
    pub access_expires_at: i64,
    pub refresh_hash: &'a [u8],
    pub refresh_expires_at: i64,
}

/// A code presented at the token endpoint, with what it must match.
#[derive(Debug, Clone)]
pub struct CodeExchange<'a> {
    pub code_hash: &'a [u8],
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub code_verifier: Option<&'a str>,
    pub tokens: MintedTokens<'a>,
    pub now: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeRedemption {
    /// The tokens were stored; `refresh` says whether a refresh token was among them.
    Redeemed { code: Box<OidcCode>, refresh: bool },
    /// Unknown, expired, another client's, another redirect address or a wrong verifier.
    Refused,
    /// Redeemed before: everything the first redemption minted is revoked.
    Replayed { user_id: i64 },
}

/// An access or refresh token as it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcToken {
    pub family: String,
    pub client_id: String,
    pub user_id: i64,
    pub scope: String,
    pub auth_time: i64,
    pub amr: String,
    pub expires_at: i64,
}

/// A refresh token presented at the token endpoint.
#[derive(Debug, Clone)]
pub struct TokenRefresh<'a> {
    pub refresh_hash: &'a [u8],
    pub client_id: &'a str,
    pub tokens: MintedTokens<'a>,
    pub now: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshOutcome {
    Refreshed(OidcToken),
    Refused,
    /// Used before: its whole family (every token since the code) is revoked.
    Replayed {
        user_id: i64,
    },
}

/// What a user allowed an app, as the account page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcGrant {
    pub client_id: String,
    pub client_name: String,
    pub scope: String,
    pub granted_at: i64,
}

/// A user's answer for a client, recorded with its security event.
#[derive(Debug, Clone, Copy)]
pub struct GrantChange<'a> {
    pub user_id: i64,
    pub client_id: &'a str,
    /// `Some`: allowed with this scope; `None`: revoked (its tokens and codes go with it).
    pub scope: Option<&'a str>,
    pub client: &'a Client,
    pub now: i64,
}

/// A signing key as it is stored: the private half sealed with the server key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKeyRow {
    pub key_id: String,
    pub sealed_key: Vec<u8>,
    pub modulus: String,
    pub exponent: String,
    pub created_at: i64,
    pub retired_at: Option<i64>,
}
