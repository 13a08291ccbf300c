//! The authenticator-app factor and recovery codes.

use super::NoticeDetails;
use crate::server::client::Client;

pub struct TwoFactorRow {
    pub sealed_secret: Vec<u8>,
    /// None while the enrolment waits for its first code.
    pub enabled_at: Option<i64>,
    pub last_used_step: Option<i64>,
    pub recovery_codes_left: i64,
}

impl std::fmt::Debug for TwoFactorRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwoFactorRow")
            .field("enabled_at", &self.enabled_at)
            .field("recovery_codes_left", &self.recovery_codes_left)
            .finish_non_exhaustive()
    }
}

/// A change to an account's two-factor: who, from where (for the event and the notice mail).
pub struct TwoFactorChange<'a> {
    pub user_id: i64,
    pub details: &'a NoticeDetails,
    pub client: &'a Client,
    pub now: i64,
}

pub struct EnableTwoFactor<'a> {
    pub change: TwoFactorChange<'a>,
    /// The step of the code that confirmed the enrolment: it cannot be used again.
    pub step: i64,
    /// The secret that code was checked against: a "start over" landing meanwhile put another
    /// secret in the row, which nobody has confirmed, and then nothing is turned on.
    pub sealed_secret: &'a [u8],
    pub recovery_code_hashes: &'a [Vec<u8>],
}
