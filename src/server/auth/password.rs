use std::sync::Arc;

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};
use tokio::sync::Semaphore;

use crate::error::AppError;

/// argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane). Each computation is CPU- and
/// memory-heavy, so it runs on the blocking pool and at most `concurrency` run at once: a burst
/// of sign-ups queues instead of exhausting memory.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// Verified against when the account does not exist, so an unknown username costs the same
    /// time as a wrong password.
    dummy_hash: Arc<str>,
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19_456, 2, 1, None).expect("valid argon2 parameters"))
}

impl PasswordHasher {
    pub fn new(concurrency: usize) -> PasswordHasher {
        let salt = SaltString::generate(&mut OsRng);
        let dummy_hash = argon2()
            .hash_password(b"no account has this password", &salt)
            .expect("hashing a constant succeeds")
            .to_string();
        PasswordHasher { permits: Arc::new(Semaphore::new(concurrency)), dummy_hash: dummy_hash.into() }
    }

    /// `password` must already be NFKC-normalised (`validate::normalize_password`).
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        let _permit = self.permits.acquire().await.expect("semaphore is never closed");
        let hash = tokio::task::spawn_blocking(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2().hash_password(password.as_bytes(), &salt).map(|hash| hash.to_string())
        })
        .await??;
        Ok(hash)
    }

    /// Checks `password` against `stored_hash`, or against the dummy hash when there is no
    /// account, and so always spends one argon2 computation.
    pub async fn verify(&self, password: String, stored_hash: Option<String>) -> Result<bool, AppError> {
        let has_account = stored_hash.is_some();
        let stored_hash = stored_hash.unwrap_or_else(|| self.dummy_hash.to_string());
        let _permit = self.permits.acquire().await.expect("semaphore is never closed");
        let matches = tokio::task::spawn_blocking(move || {
            let parsed = PasswordHash::new(&stored_hash)?;
            Ok::<_, argon2::password_hash::Error>(argon2().verify_password(password.as_bytes(), &parsed).is_ok())
        })
        .await??;
        Ok(matches && has_account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_salted_argon2id_with_owasp_parameters() {
        let hasher = PasswordHasher::new(1);
        let first = hasher.hash("tulip-orbit-marble-7".into()).await.unwrap();
        let second = hasher.hash("tulip-orbit-marble-7".into()).await.unwrap();
        assert!(first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{first}");
        assert_ne!(first, second, "a fresh salt per hash");
        assert!(hasher.verify("tulip-orbit-marble-7".into(), Some(first.clone())).await.unwrap());
        assert!(!hasher.verify("tulip-orbit-marble-".into(), Some(first)).await.unwrap(), "no truncation");
        assert!(!hasher.verify("anything".into(), None).await.unwrap());
    }
}
