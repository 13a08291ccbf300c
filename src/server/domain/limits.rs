//! Rate limits and the proof-of-work gate: what a request asks to take, and why one was refused.

use crate::server::{pow_challenge::CheckedProof, throttle::RateLimit};

/// One bucket and the limit it must stay under.
#[derive(Debug, Clone)]
pub struct LimitCheck {
    pub bucket: String,
    pub limit: RateLimit,
}

#[derive(Debug, Clone)]
pub struct LimitRequest<'a> {
    pub now: i64,
    /// The client's own limit first: it is checked before the shared ones are locked.
    pub checks: &'a [LimitCheck],
    /// A proof of work is due once `bucket` holds `after` hits within `window_secs`.
    pub proof_gate: Option<ProofGate<'a>>,
}

#[derive(Debug, Clone)]
pub struct ProofGate<'a> {
    pub bucket: &'a str,
    pub after: u32,
    pub window_secs: i64,
    pub proof: Option<&'a CheckedProof>,
}

/// Why a request was not let through, with the bucket that refused it (refusals are counted per
/// bucket, see [`RefusalCount`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    RateLimited { bucket: String, retry_after_secs: u64 },
    ProofOfWorkRequired { bucket: String, retry_after_secs: u64 },
}

impl Refusal {
    pub fn bucket(&self) -> &str {
        match self {
            Refusal::RateLimited { bucket, .. } | Refusal::ProofOfWorkRequired { bucket, .. } => bucket,
        }
    }
}
