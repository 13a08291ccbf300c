//! Passkeys: an account's credentials, a change to them, and a ceremony's state between its two
//! requests.

use super::NoticeDetails;
use crate::server::client::Client;

/// What a ceremony is for; its state only finishes a ceremony of the same purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum CeremonyPurpose {
    /// A signed-in user adds a passkey.
    Register,
    /// A sign-in with a passkey alone: the passkey names the account.
    SignIn,
    /// The second step of a sign-in whose password was right.
    SecondStep,
}

impl CeremonyPurpose {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A ceremony begun: its state (the WebAuthn library's, JSON) waits under the keyed hash of the
/// token the browser holds.
pub struct Ceremony<'a> {
    pub token_hash: &'a [u8],
    pub purpose: CeremonyPurpose,
    pub user_id: Option<i64>,
    pub state: &'a str,
    pub expires_at: i64,
}

/// A ceremony's state, taken (and so gone) for its second request.
#[derive(Debug)]
pub struct TakenCeremony {
    pub user_id: Option<i64>,
    pub state: String,
}

/// One of an account's passkeys; `credential` is the WebAuthn library's JSON form.
pub struct PasskeyRow {
    pub passkey_id: i64,
    pub user_id: i64,
    pub name: String,
    pub credential: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

impl std::fmt::Debug for PasskeyRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasskeyRow")
            .field("passkey_id", &self.passkey_id)
            .finish_non_exhaustive()
    }
}

pub struct NewPasskey<'a> {
    pub user_id: i64,
    pub credential_id: &'a [u8],
    pub name: &'a str,
    pub credential: &'a str,
    /// The account's first second factor gets recovery codes with it (kept unless it has some).
    pub recovery_code_hashes: &'a [Vec<u8>],
    pub details: &'a NoticeDetails,
    pub client: &'a Client,
    pub now: i64,
}

/// A rename (`new_name`) or a removal of one of the account's passkeys.
pub struct PasskeyChange<'a> {
    pub user_id: i64,
    pub passkey_id: i64,
    pub new_name: Option<&'a str>,
    pub details: &'a NoticeDetails,
    pub client: &'a Client,
    pub now: i64,
}
