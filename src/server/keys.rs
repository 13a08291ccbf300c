//! The server key: the one secret outside the database. It keys the stored hashes of emailed
//! codes and unlock links (so a copy of the database alone lets nobody test codes), derives the
//! code or token a queued mail carries from a random nonce (so the secret itself is never
//! stored), signs proof-of-work challenges and form-error references, and encrypts the
//! authenticator-app secrets. Every use is separated from the others by a purpose label.

use std::path::Path;

use chacha20poly1305::{
    aead::{Aead, KeyInit, Payload},
    XChaCha20Poly1305, XNonce,
};
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;

pub struct ServerKey([u8; 32]);

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKey([redacted])")
    }
}

/// Random bytes that stand for a secret in a queued mail (see `ServerKey::derive_code`).
pub fn new_nonce() -> Vec<u8> {
    rand::rngs::OsRng.gen::<[u8; 16]>().to_vec()
}

/// 128 random bits as 32 hex digits: flow tokens, device handles, claim tokens.
pub fn random_token() -> String {
    hex::encode(rand::rngs::OsRng.gen::<[u8; 16]>())
}

impl ServerKey {
    pub fn from_bytes(bytes: [u8; 32]) -> ServerKey {
        ServerKey(bytes)
    }

    /// 64 hex digits, as `GATEHOUSE_SECRET_KEY` gives it.
    pub fn from_hex(text: &str) -> Option<ServerKey> {
        let mut key = [0u8; 32];
        hex::decode_to_slice(text.trim(), &mut key).ok()?;
        Some(ServerKey(key))
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

    fn mac(&self, purpose: &str, parts: &[&[u8]]) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        for part in parts {
            mac.update(&[0]);
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac
    }

    pub fn sign(&self, purpose: &str, message: &[u8]) -> Vec<u8> {
        self.sign_parts(purpose, &[message])
    }

    /// Constant-time comparison.
    pub fn verify(&self, purpose: &str, message: &[u8], signature: &[u8]) -> bool {
        self.verify_parts(purpose, &[message], signature)
    }

    /// A signature over several parts (each length-prefixed, so no two lists sign alike).
    pub fn sign_parts(&self, purpose: &str, parts: &[&[u8]]) -> Vec<u8> {
        self.mac(purpose, parts).finalize().into_bytes().to_vec()
    }

    /// Constant-time comparison.
    pub fn verify_parts(&self, purpose: &str, parts: &[&[u8]], signature: &[u8]) -> bool {
        self.mac(purpose, parts).verify_slice(signature).is_ok()
    }

    /// The six digits a queued code mail carries, derived from its nonce. HMAC-SHA-256 under a
    /// secret key is a pseudo-random function, so the code is as unpredictable as one drawn from
    /// the OS generator; 64-bit words above the largest multiple of 10^6 are skipped, so every
    /// code is equally likely.
    pub fn derive_code(&self, nonce: &[u8]) -> String {
        const CODES: u64 = 1_000_000;
        const ZONE: u64 = u64::MAX - u64::MAX % CODES;
        let mut block = 0u64;
        loop {
            let digest = self
                .mac("email code", &[nonce, &block.to_be_bytes()])
                .finalize()
                .into_bytes();
            for word in digest.chunks_exact(8) {
                let value = u64::from_be_bytes(word.try_into().expect("8-byte chunks"));
                if value < ZONE {
                    return format!("{:06}", value % CODES);
                }
            }
            block += 1;
        }
    }

    /// What the database keeps of a code: a keyed hash bound to the flow's purpose and token, so a
    /// code only ever works for the flow it was sent for.
    pub fn code_hash(&self, purpose: &str, flow_token: &str, code: &str) -> Vec<u8> {
        self.code_mac(purpose, flow_token, code)
            .finalize()
            .into_bytes()
            .to_vec()
    }

    /// Constant-time comparison.
    pub fn code_matches(&self, purpose: &str, flow_token: &str, code: &str, stored: &[u8]) -> bool {
        self.code_mac(purpose, flow_token, code)
            .verify_slice(stored)
            .is_ok()
    }

    fn code_mac(&self, purpose: &str, flow_token: &str, code: &str) -> Hmac<Sha256> {
        self.mac(
            "email code hash",
            &[purpose.as_bytes(), flow_token.as_bytes(), code.as_bytes()],
        )
    }

    /// The token of an unlock link (128 bits, hex), derived from the queued mail's nonce.
    pub fn derive_link_token(&self, nonce: &[u8]) -> String {
        hex::encode(&self.mac("link token", &[nonce]).finalize().into_bytes()[..16])
    }

    /// What the database keeps of a link token.
    pub fn link_token_hash(&self, token: &str) -> Vec<u8> {
        self.sign("link token hash", token.as_bytes())
    }

    /// The forward-auth cookie of a sign-in (256 bits, hex), derived from its session's handle:
    /// the browser's session holds the handle, so the cookie can be set again at any request
    /// without being stored anywhere.
    pub fn forward_token(&self, handle: &str) -> String {
        hex::encode(
            self.mac("forward token", &[handle.as_bytes()])
                .finalize()
                .into_bytes(),
        )
    }

    /// What the database keeps of a forward-auth cookie, to find its session by.
    pub fn forward_token_hash(&self, token: &str) -> Vec<u8> {
        self.sign("forward token hash", token.as_bytes())
    }

    /// Encrypts `secret` (XChaCha20-Poly1305, a random nonce in front) under a key derived for
    /// `purpose`; `bound_to` must be given again to open it, so a sealed value cannot be moved to
    /// another account's row.
    pub fn seal(&self, purpose: &str, bound_to: &[u8], secret: &[u8]) -> Vec<u8> {
        let nonce: [u8; 24] = rand::rngs::OsRng.gen();
        let sealed = self
            .cipher(purpose)
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: secret,
                    aad: bound_to,
                },
            )
            .expect("encrypting a short secret cannot fail");
        [nonce.as_slice(), &sealed].concat()
    }

    /// The secret [`ServerKey::seal`] sealed, or `None` if it was sealed under another key,
    /// purpose or binding, or altered.
    pub fn open(&self, purpose: &str, bound_to: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < 24 {
            return None;
        }
        let (nonce, sealed) = sealed.split_at(24);
        self.cipher(purpose)
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: bound_to,
                },
            )
            .ok()
    }

    fn cipher(&self, purpose: &str) -> XChaCha20Poly1305 {
        let key = self.sign("encryption key", purpose.as_bytes());
        XChaCha20Poly1305::new_from_slice(&key).expect("a 32-byte key")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_codes_are_six_digits_spread_evenly_and_depend_on_the_key() {
        let key = ServerKey::from_bytes([7; 32]);
        let codes: Vec<String> = (0..2000u32).map(|n| key.derive_code(&n.to_be_bytes())).collect();
        assert!(codes
            .iter()
            .all(|c| c.len() == 6 && c.bytes().all(|d| d.is_ascii_digit())));
        let leading_zeros = codes.iter().filter(|c| c.starts_with('0')).count();
        assert!(
            (100..=320).contains(&leading_zeros),
            "about 10% start with 0, got {leading_zeros}"
        );
        assert_eq!(
            key.derive_code(b"n"),
            key.derive_code(b"n"),
            "the worker derives what the flow minted"
        );
        assert_ne!(
            key.derive_code(b"n"),
            ServerKey::from_bytes([8; 32]).derive_code(b"n")
        );
    }

    #[test]
    fn code_hashes_are_keyed_and_bound_to_purpose_and_flow() {
        let key = ServerKey::from_bytes([1; 32]);
        let stored = key.code_hash("registration", "flow-a", "123456");
        assert!(key.code_matches("registration", "flow-a", "123456", &stored));
        assert!(!key.code_matches("registration", "flow-a", "123457", &stored));
        assert!(
            !key.code_matches("registration", "flow-b", "123456", &stored),
            "another flow"
        );
        assert!(
            !key.code_matches("recovery", "flow-a", "123456", &stored),
            "another purpose"
        );
        assert!(!ServerKey::from_bytes([2; 32]).code_matches("registration", "flow-a", "123456", &stored));
    }

    #[test]
    fn sealed_secrets_open_only_with_the_same_key_purpose_and_binding() {
        let key = ServerKey::from_bytes([3; 32]);
        let sealed = key.seal("totp secret", b"user 7", b"twenty bytes secret!");
        assert!(!sealed.windows(20).any(|window| window == b"twenty bytes secret!"));
        assert_ne!(
            sealed,
            key.seal("totp secret", b"user 7", b"twenty bytes secret!"),
            "a fresh nonce"
        );
        assert_eq!(
            key.open("totp secret", b"user 7", &sealed).as_deref(),
            Some(b"twenty bytes secret!".as_slice())
        );
        assert_eq!(
            ServerKey::from_bytes([4; 32]).open("totp secret", b"user 7", &sealed),
            None
        );
        assert_eq!(
            key.open("totp secret", b"user 8", &sealed),
            None,
            "another account"
        );
        assert_eq!(key.open("other", b"user 7", &sealed), None, "another purpose");
        let mut altered = sealed.clone();
        *altered.last_mut().unwrap() ^= 1;
        assert_eq!(key.open("totp secret", b"user 7", &altered), None);
        assert_eq!(key.open("totp secret", b"user 7", &sealed[..10]), None);
    }

    #[test]
    fn the_key_file_is_created_once_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/secret.key");
        let created = ServerKey::load_or_create(&path).unwrap();
        let loaded = ServerKey::load_or_create(&path).unwrap();
        assert_eq!(created.0, loaded.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert!(ServerKey::from_hex(&"ab".repeat(32)).is_some());
        assert!(ServerKey::from_hex("abc").is_none());
    }
}
