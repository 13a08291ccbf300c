use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use argon2::{
    password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, SaltString},
    Algorithm, Argon2, Block, Params, Version,
};
use tokio::sync::Semaphore;

use crate::error::AppError;

const MEMORY_KIB: u32 = 19_456;
const PASSES: u32 = 2;
const LANES: u32 = 1;

/// How long a request may wait for a hashing slot before it is told to come back (503): a queue
/// in front of argon2 that could grow without bound would let one client stall everyone.
const SLOT_WAIT: Duration = Duration::from_secs(2);

/// argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane), in a few slots. Each
/// computation is CPU- and memory-heavy, so it runs on the blocking pool and at most
/// `concurrency` run at once: a burst of sign-ups waits (at most `SLOT_WAIT`, then
/// `AppError::Busy`) instead of exhausting memory. Each running computation borrows one of
/// `concurrency` work areas, allocated once and reused: allocating 19 MiB per hash fragmented
/// the heap to ~850 MiB RSS under load (measured with scripts/load-test.sh).
#[derive(Clone)]
pub struct Argon2Slots {
    permits: Arc<Semaphore>,
    work_areas: Arc<Mutex<Vec<Vec<Block>>>>,
    /// Verified against when the account does not exist, so an unknown username costs the same
    /// time as a wrong password.
    dummy_hash: Arc<str>,
    computations: Arc<std::sync::atomic::AtomicU64>,
}

fn params() -> Params {
    Params::new(MEMORY_KIB, PASSES, LANES, None).expect("valid argon2 parameters")
}

impl Argon2Slots {
    pub fn new(concurrency: usize) -> Argon2Slots {
        let mut work_area = vec![Block::default(); MEMORY_KIB as usize];
        let dummy_hash =
            hash_with(&mut work_area, b"no account has this password").expect("hashing a constant succeeds");
        Argon2Slots {
            permits: Arc::new(Semaphore::new(concurrency)),
            work_areas: Arc::new(Mutex::new(vec![work_area])),
            dummy_hash: dummy_hash.into(),
            computations: Arc::default(),
        }
    }

    /// `password` must already be NFKC-normalised (`validate::normalize_password`).
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        Ok(self
            .with_work_area(move |work_area| hash_with(work_area, password.as_bytes()))
            .await??)
    }

    /// Checks `password` against `stored_hash`, or against the dummy hash when there is no
    /// account, and so always spends one argon2 computation.
    pub async fn verify(&self, password: String, stored_hash: Option<String>) -> Result<bool, AppError> {
        let has_account = stored_hash.is_some();
        let stored_hash = stored_hash.unwrap_or_else(|| self.dummy_hash.to_string());
        let matches = self
            .with_work_area(move |work_area| verify_with(work_area, password.as_bytes(), &stored_hash))
            .await??;
        Ok(matches && has_account)
    }

    /// Whether `stored_hash` was made with weaker parameters than today's (so a sign-in that
    /// knows the password should store a fresh hash).
    pub fn needs_rehash(stored_hash: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(stored_hash) else {
            return true;
        };
        let Ok(stored) = Params::try_from(&parsed) else {
            return true;
        };
        let current = params();
        parsed.algorithm != argon2::ARGON2ID_IDENT
            || parsed.version != Some(Version::V0x13.into())
            || stored.m_cost() < current.m_cost()
            || stored.t_cost() < current.t_cost()
            || stored.p_cost() < current.p_cost()
    }

    /// Computations counted so far (tests and the load benchmark read it).
    pub fn computations(&self) -> u64 {
        self.computations.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Runs `work` on the blocking pool with a permit and a work area of its own.
    async fn with_work_area<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut [Block]) -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let waiting_since = std::time::Instant::now();
        let slot = tokio::time::timeout(SLOT_WAIT, self.permits.acquire()).await;
        crate::server::metrics::hash_slot_wait(waiting_since.elapsed());
        let Ok(permit) = slot else {
            return Err(AppError::Busy {
                retry_after_secs: SLOT_WAIT.as_secs(),
            });
        };
        let _permit = permit.expect("semaphore is never closed");
        self.computations
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let work_areas = self.work_areas.clone();
        let output = tokio::task::spawn_blocking(move || {
            let taken = work_areas.lock().expect("work area pool lock").pop();
            let mut work_area = taken.unwrap_or_else(|| vec![Block::default(); MEMORY_KIB as usize]);
            let output = work(&mut work_area);
            work_areas.lock().expect("work area pool lock").push(work_area);
            output
        })
        .await?;
        Ok(output)
    }
}

fn hash_with(work_area: &mut [Block], password: &[u8]) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt.decode_b64(&mut salt_bytes)?;
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params());
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        Ok(argon2.hash_password_into_with_memory(password, salt_raw, out, &mut *work_area)?)
    })?;
    let hash = PasswordHash {
        algorithm: argon2::ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params())?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(hash.to_string())
}

/// Recomputes with the stored hash's own parameters (so raising them later keeps old hashes
/// working) and compares in constant time (`Output`'s equality).
fn verify_with(
    work_area: &mut [Block],
    password: &[u8],
    stored_hash: &str,
) -> Result<bool, argon2::password_hash::Error> {
    let parsed = PasswordHash::new(stored_hash)?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(argon2::password_hash::Error::PhcStringField);
    };
    let stored_params = Params::try_from(&parsed)?;
    let blocks = stored_params.block_count();
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()?
        .unwrap_or_default();
    let argon2 = Argon2::new(Algorithm::try_from(parsed.algorithm)?, version, stored_params);
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt.decode_b64(&mut salt_bytes)?;
    let computed = Output::init_with(expected.len(), |out| {
        if blocks <= work_area.len() {
            Ok(argon2.hash_password_into_with_memory(password, salt_raw, out, &mut work_area[..blocks])?)
        } else {
            Ok(argon2.hash_password_into(password, salt_raw, out)?)
        }
    })?;
    Ok(computed == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_salted_argon2id_with_owasp_parameters() {
        let hasher = Argon2Slots::new(1);
        let first = hasher.hash("tulip-orbit-marble-7".into()).await.unwrap();
        let second = hasher.hash("tulip-orbit-marble-7".into()).await.unwrap();
        assert!(first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{first}");
        assert_ne!(first, second, "a fresh salt per hash");
        assert!(hasher
            .verify("tulip-orbit-marble-7".into(), Some(first.clone()))
            .await
            .unwrap());
        assert!(
            !hasher
                .verify("tulip-orbit-marble-".into(), Some(first))
                .await
                .unwrap(),
            "no truncation"
        );
        assert!(!hasher.verify("anything".into(), None).await.unwrap());
    }

    /// The bound of the queue in front of argon2, on tokio's paused clock (no real waiting).
    #[tokio::test(start_paused = true)]
    async fn a_request_that_cannot_get_a_slot_in_time_is_told_to_come_back() {
        let hasher = Argon2Slots::new(1);
        let held = hasher.permits.clone().acquire_owned().await.unwrap();
        let started = tokio::time::Instant::now();
        let answer = hasher.hash("tulip-orbit-marble-7".into()).await;
        assert_eq!(answer, Err(AppError::Busy { retry_after_secs: 2 }));
        assert_eq!(started.elapsed(), SLOT_WAIT);
        assert_eq!(hasher.computations(), 0);
        drop(held);
        assert!(hasher.hash("tulip-orbit-marble-7".into()).await.is_ok());
    }

    #[test]
    fn weaker_stored_parameters_ask_for_a_rehash() {
        use argon2::PasswordHasher as _;
        let salt = SaltString::generate(&mut OsRng);
        let weaker = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8_192, 3, 1, None).unwrap(),
        )
        .hash_password(b"tulip-orbit-marble-7", &salt)
        .unwrap()
        .to_string();
        assert!(Argon2Slots::needs_rehash(&weaker));
        let current = hash_with(&mut vec![Block::default(); MEMORY_KIB as usize], b"x").unwrap();
        assert!(!Argon2Slots::needs_rehash(&current));
        let argon2i = Argon2::new(Algorithm::Argon2i, Version::V0x13, params())
            .hash_password(b"x", &salt)
            .unwrap();
        assert!(Argon2Slots::needs_rehash(&argon2i.to_string()));
    }

    #[tokio::test]
    async fn hashes_made_elsewhere_or_with_other_parameters_still_verify() {
        use argon2::PasswordHasher as _;
        let salt = SaltString::generate(&mut OsRng);
        let lighter = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8_192, 3, 1, None).unwrap(),
        );
        let stored = lighter
            .hash_password(b"tulip-orbit-marble-7", &salt)
            .unwrap()
            .to_string();
        let hasher = Argon2Slots::new(1);
        assert!(hasher
            .verify("tulip-orbit-marble-7".into(), Some(stored.clone()))
            .await
            .unwrap());
        assert!(!hasher
            .verify("tulip-orbit-marble-8".into(), Some(stored))
            .await
            .unwrap());
    }
}
