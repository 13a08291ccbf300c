//! Sign-in attempts: the request, the reservation made before the password is checked, the settlement after.

use super::{NoticeDetails, Refusal};
use crate::server::{client::Client, pow_challenge::CheckedProof, throttle::RateLimit};

#[derive(Debug, Clone, Copy)]
pub struct SignInRules {
    pub client_failures: RateLimit,
    /// Every password checked for the client, right or wrong.
    pub client_password_checks: RateLimit,
    /// Right passwords of one account (its wrong ones lead to the lock).
    pub account_password_checks: RateLimit,
    pub delay_after: u32,
    pub max_delay_secs: i64,
    pub lock_after: u32,
    pub pow_after_identifier_failures: u32,
    pub pow_after_client_failures: u32,
    pub pow_window_secs: i64,
}

/// Which step of a sign-in an attempt is.
#[derive(Debug, Clone, Copy)]
pub enum SignInStep<'a> {
    /// The password, for a canonical (NFKC, lower-case) username or address, as typed.
    Password { identifier: &'a str },
    /// The second factor of an account whose password was right.
    SecondFactor { user_id: i64 },
    /// A passkey alone; the account is the one the passkey belongs to (none: no account has it).
    Passkey { user_id: Option<i64> },
}

impl SignInStep<'_> {
    /// The key its consecutive failures are counted under in `sign_in_throttle`, with the client
    /// key: the identifier as typed and the client for a password; the account alone for a second
    /// factor (whoever knows the password, from wherever, meets the same delay).
    pub fn throttle_key(&self, client_key: &str) -> (String, String) {
        match self {
            SignInStep::Password { identifier } => (identifier.to_string(), client_key.to_string()),
            SignInStep::SecondFactor { user_id } => (format!("second factor of {user_id}"), "*".to_string()),
            SignInStep::Passkey { user_id } => (
                format!(
                    "passkey of {}",
                    user_id.map_or("no account".to_string(), |id| id.to_string())
                ),
                client_key.to_string(),
            ),
        }
    }
}

pub struct SignInRequest<'a> {
    pub step: SignInStep<'a>,
    pub client: &'a Client,
    pub rules: &'a SignInRules,
    pub proof: Option<&'a CheckedProof>,
    pub now: i64,
}

#[derive(Debug)]
pub enum SignInGate {
    Reserved(SignInReservation),
    Refused(Refusal),
}

/// An attempt counted up front: a failure unless settled as a success.
#[derive(Debug)]
pub struct SignInReservation {
    pub hit_id: i64,
    pub second_factor: bool,
    /// The key of the sign-in delay (see [`SignInStep::throttle_key`]).
    pub identifier: String,
    pub client_key: String,
    /// The account the identifier names, if any.
    pub account: Option<SignInAccount>,
    /// When no account took the attempt (none matches, or it is locked): the stand-in row that
    /// took it instead (see [`decoy_slot`]).
    pub decoy_slot: Option<i64>,
}

/// The row of `sign_in_decoys` an identifier's failures go to when no account takes them: an
/// unknown name gets the same statements a real account's row gets, so its answer costs the same
/// database work. FNV-1a, so every instance picks the same slot.
pub fn decoy_slot(identifier: &str) -> i64 {
    let hash = identifier.bytes().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    i64::try_from(hash % 64).expect("below 64")
}

pub struct SignInAccount {
    pub user_id: i64,
    pub password_hash: String,
    pub verified: bool,
    /// Locked (or at the cap): the password is not evaluated, a dummy hash is checked instead so
    /// the answer takes the same time, and the attempt is not counted against the account.
    pub locked: bool,
    /// The authenticator app is on.
    pub two_factor: Option<EnrolledFactor>,
    /// The app or a passkey (`second_factor_accounts`): a right password leads to the second
    /// step, not in.
    pub second_factor: bool,
}

/// The account as a sign-in attempt reads it (one shape for both databases and both steps).
pub struct SignInRow {
    pub user_id: i64,
    pub password_hash: String,
    pub verified_at: Option<i64>,
    pub failed_sign_ins: i64,
    pub locked_at: Option<i64>,
    pub disabled_at: Option<i64>,
    /// Set when two-factor is on.
    pub sealed_secret: Option<Vec<u8>>,
    pub last_used_step: Option<i64>,
    pub second_factor: bool,
}

impl SignInRow {
    pub fn into_account(self, lock_after: u32) -> SignInAccount {
        SignInAccount {
            user_id: self.user_id,
            password_hash: self.password_hash,
            verified: self.verified_at.is_some(),
            // At the cap, only the attempts already reserved are still evaluated. A disabled
            // account is refused exactly as a locked one.
            locked: self.locked_at.is_some()
                || self.disabled_at.is_some()
                || self.failed_sign_ins >= i64::from(lock_after),
            two_factor: self.sealed_secret.map(|sealed_secret| EnrolledFactor {
                sealed_secret,
                last_used_step: self.last_used_step,
            }),
            second_factor: self.second_factor,
        }
    }
}

pub struct EnrolledFactor {
    pub sealed_secret: Vec<u8>,
    pub last_used_step: Option<i64>,
}

impl std::fmt::Debug for SignInAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInAccount")
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

pub enum SignInOutcome {
    /// The password was wrong (or there was nothing to check it against).
    Failed { lock: LockNotice },
    /// The password was right; `rehashed` replaces the stored hash (its parameters were weaker).
    Succeeded { rehashed: Option<String> },
    /// No hashing slot was free: the attempt was not evaluated and is taken back from the account.
    NotEvaluated,
    /// The second factor matched; the store accepts it only if it was not used meanwhile (a
    /// code's step once, a recovery code once), and counts it as a failure otherwise.
    SecondFactor {
        proof: SecondFactorProof,
        lock: LockNotice,
    },
}

/// A passkey's signature checked: the store records its new counter and backup flags, unless the
/// passkey was removed meanwhile (then it is a failure).
pub struct PasskeyProof {
    pub passkey_id: i64,
    pub credential: String,
    /// How the key is held, as RFC 8176 names it: `hwk` bound to its device, `swk` synced.
    pub key_method: &'static str,
}

pub enum SecondFactorProof {
    AppCode { step: i64 },
    RecoveryCode { hash: Vec<u8> },
    Passkey(PasskeyProof),
}

/// What a lock needs if this failure causes one: the unlock link's stored hash and expiry, and the
/// nonce its queued mail derives the token from.
pub struct LockNotice {
    pub token_hash: Vec<u8>,
    pub nonce: Vec<u8>,
    pub expires_at: i64,
}

/// Why a password was asked for.
pub enum PasswordCheck<'a> {
    /// Signing in; a device not seen before on the account (its keyed fingerprint) mails the owner
    /// when `notify_new_device`.
    SignIn {
        fingerprint: &'a [u8],
        notify_new_device: bool,
        details: &'a NoticeDetails,
        /// The new session's handle: its row is made in the transaction that signs in, so a
        /// password change or a disable committed just before cannot miss it.
        session_handle: &'a str,
        /// The keyed hash of the session's forward-auth cookie.
        forward_token_hash: &'a [u8],
    },
    /// A signed-in user confirming it is still them, on the device `handle`.
    Confirmation { handle: &'a str },
}

pub struct SignInSettlement<'a> {
    pub reservation: &'a SignInReservation,
    pub outcome: SignInOutcome,
    pub check: PasswordCheck<'a>,
    pub lock_after: u32,
    pub client: &'a Client,
    pub now: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInSettled {
    Failed,
    /// Failed, and this failure locked the account (its owner has been mailed).
    FailedAndLocked,
    SignedIn {
        user_id: i64,
        /// A recovery code was used: how many are left.
        recovery_codes_left: Option<i64>,
    },
    /// The password was right, and the account has two-factor on: the second step comes next.
    SecondFactorRequired {
        user_id: i64,
    },
    /// A confirmation succeeded.
    Confirmed,
    NeedsVerification {
        flow_token: String,
    },
    /// The password was right but the account was locked meanwhile.
    Locked,
    NotEvaluated,
}
