//! The emailed 6-digit code: how it is made, how it is stored (keyed hash only), and when it is
//! no longer accepted (expired, or too many wrong guesses). Pure functions: the clock is passed in.

use std::path::Path;

use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;

use super::db::verifications::Verification;
use crate::{error::AppError, model::CodeState};

/// The server's secret: it keys code hashes, so a copy of the database alone does not let anyone
/// test the million possible codes, and signs proof-of-work challenges.
pub struct ServerKey([u8; 32]);

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKey([redacted])")
    }
}

impl ServerKey {
    pub fn from_bytes(bytes: [u8; 32]) -> ServerKey {
        ServerKey(bytes)
    }

    /// Reads the key file, creating it (owner-only) with a random key on first start.
    pub fn load_or_create(path: &Path) -> std::io::Result<ServerKey> {
        match std::fs::read(path) {
            Ok(bytes) => <[u8; 32]>::try_from(bytes.as_slice())
                .map(ServerKey)
                .map_err(|_| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("{} must hold exactly 32 bytes", path.display()),
                    )
                }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let key: [u8; 32] = rand::rngs::OsRng.gen();
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent)?;
                }
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                std::io::Write::write_all(&mut options.open(path)?, &key)?;
                Ok(ServerKey(key))
            }
            Err(error) => Err(error),
        }
    }

    fn mac(&self, verification_id: i64, code: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        // Binding the hash to its verification means a code only ever works for its own registration.
        mac.update(&verification_id.to_be_bytes());
        mac.update(code.as_bytes());
        mac
    }

    pub fn hash(&self, verification_id: i64, code: &str) -> Vec<u8> {
        self.mac(verification_id, code).finalize().into_bytes().to_vec()
    }

    /// Constant-time comparison.
    pub fn matches(&self, verification_id: i64, code: &str, stored_hash: &[u8]) -> bool {
        self.mac(verification_id, code).verify_slice(stored_hash).is_ok()
    }

    /// A signature over `message`, separated by `purpose` from every other use of the key
    /// (code hashes are exactly 14 bytes long and carry no purpose, so they never collide).
    pub fn sign(&self, purpose: &str, message: &[u8]) -> Vec<u8> {
        self.purpose_mac(purpose, message)
            .finalize()
            .into_bytes()
            .to_vec()
    }

    /// Constant-time comparison.
    pub fn verify(&self, purpose: &str, message: &[u8], signature: &[u8]) -> bool {
        self.purpose_mac(purpose, message).verify_slice(signature).is_ok()
    }

    fn purpose_mac(&self, purpose: &str, message: &[u8]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(message);
        mac
    }
}

/// Six uniformly random digits from the OS CSPRNG, leading zeros kept.
pub fn generate() -> String {
    format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32))
}

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_attempts: u32,
}

/// What the code of `verification` is worth at `now`.
pub fn state(verification: &Verification, now: i64, limits: Limits) -> CodeState {
    let attempts_left = (limits.max_attempts as i64 - verification.failed_attempts).max(0) as u32;
    match verification.expires_at {
        None => CodeState::Sending { delivery_failures: 0 },
        Some(_) if attempts_left == 0 => CodeState::Locked,
        Some(expires_at) if now >= expires_at => CodeState::Expired,
        Some(expires_at) => CodeState::Sent {
            seconds_left: (expires_at - now) as u64,
            attempts_left,
        },
    }
}

/// Whether a guess may be evaluated at all; the caller compares the code only after `Ok`.
pub fn accepts_guess(verification: &Verification, now: i64, limits: Limits) -> Result<(), AppError> {
    match state(verification, now, limits) {
        CodeState::Sent { .. } => Ok(()),
        CodeState::Sending { .. } => Err(AppError::CodeNotSentYet),
        CodeState::Expired => Err(AppError::CodeExpired),
        CodeState::Locked => Err(AppError::CodeLocked),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verification(expires_at: Option<i64>, failed_attempts: i64) -> Verification {
        Verification {
            verification_id: 7,
            user_id: Some(1),
            email: "a@b.co".into(),
            code_hash: None,
            expires_at,
            failed_attempts,
            total_failed_attempts: failed_attempts,
            last_requested_at: 0,
        }
    }

    const LIMITS: Limits = Limits { max_attempts: 5 };

    #[test]
    fn codes_are_six_digits_and_cover_leading_zeros() {
        let codes: Vec<String> = (0..2000).map(|_| generate()).collect();
        assert!(codes
            .iter()
            .all(|c| c.len() == 6 && c.chars().all(|d| d.is_ascii_digit())));
        let leading_zeros = codes.iter().filter(|c| c.starts_with('0')).count();
        assert!(
            (100..=320).contains(&leading_zeros),
            "about 10% start with 0, got {leading_zeros}"
        );
    }

    #[test]
    fn hashes_are_keyed_and_bound_to_their_verification() {
        let key = ServerKey::from_bytes([1; 32]);
        let stored = key.hash(7, "123456");
        assert!(key.matches(7, "123456", &stored));
        assert!(!key.matches(7, "123457", &stored));
        assert!(!key.matches(8, "123456", &stored), "another registration's code");
        assert!(
            !ServerKey::from_bytes([2; 32]).matches(7, "123456", &stored),
            "another key"
        );
    }

    #[test]
    fn a_code_expires_at_its_instant_not_a_second_later() {
        let v = verification(Some(1_000), 0);
        assert_eq!(
            state(&v, 700, LIMITS),
            CodeState::Sent {
                seconds_left: 300,
                attempts_left: 5
            }
        );
        assert_eq!(
            state(&v, 999, LIMITS),
            CodeState::Sent {
                seconds_left: 1,
                attempts_left: 5
            }
        );
        assert_eq!(state(&v, 1_000, LIMITS), CodeState::Expired);
        assert_eq!(accepts_guess(&v, 1_000, LIMITS), Err(AppError::CodeExpired));
    }

    #[test]
    fn five_wrong_guesses_lock_the_code_even_before_expiry() {
        assert_eq!(
            state(&verification(Some(1_000), 4), 0, LIMITS),
            CodeState::Sent {
                seconds_left: 1_000,
                attempts_left: 1
            }
        );
        assert_eq!(
            accepts_guess(&verification(Some(1_000), 5), 0, LIMITS),
            Err(AppError::CodeLocked)
        );
        assert_eq!(
            accepts_guess(&verification(None, 0), 0, LIMITS),
            Err(AppError::CodeNotSentYet)
        );
    }
}
