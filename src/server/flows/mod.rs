//! What the server functions do, as plain async functions over `AppState` (testable without
//! HTTP). Each reads the clock once per step and talks to the data only through the store.

pub mod account;
pub mod admin;
pub mod email_code;
pub mod forward_auth;
pub mod invitations;
pub mod oidc;
pub mod passkeys;
pub mod recovery;
pub mod registration;
pub mod sessions;
pub mod sign_in;
pub mod terms;
pub mod two_factor;

use super::{
    audit::RefusalKind,
    client::{Client, Device},
    domain::{NoticeDetails, Refusal},
    pow_challenge,
    state::AppState,
};
use crate::error::AppError;

/// Why this instance should not get traffic, if it should not.
#[derive(Debug, thiserror::Error)]
pub enum Unready {
    #[error("the database does not answer")]
    Database,
    #[error("the oldest mail to send has waited {0} s")]
    OutboxStuck(i64),
}

pub async fn readiness(state: &AppState) -> Result<(), Unready> {
    let store = &state.store;
    if let Err(error) = store.ping().await {
        tracing::warn!(%error, "readiness: database");
        return Err(Unready::Database);
    }
    let oldest = store
        .oldest_unsent_mail_at(state.settings.mail_max_attempts)
        .await
        .map_err(|_| Unready::Database)?;
    let waited = oldest.map_or(0, |queued_at| state.clock.now() - queued_at);
    if waited > state.settings.outbox_stuck_secs.signed() {
        return Err(Unready::OutboxStuck(waited));
    }
    Ok(())
}

/// What a notice mail about this request tells the owner: when, from which device and address.
fn notice_details(client: &Client, now: i64) -> NoticeDetails {
    NoticeDetails {
        at: now,
        device: Device::of(&client.user_agent),
        ip: client.ip.to_string(),
        ..NoticeDetails::default()
    }
}

/// Counts a refusal and words it for the user: a wait, or a proof of work to solve (with a fresh
/// challenge for this action from this client).
fn refused(state: &AppState, client: &Client, kind: RefusalKind, refusal: Refusal, now: i64) -> AppError {
    state.refusals.count_refusal(kind, &refusal, now);
    match refusal {
        Refusal::RateLimited { retry_after_secs, .. } => AppError::RateLimited { retry_after_secs },
        Refusal::ProofOfWorkRequired { retry_after_secs, .. } => {
            let client_key = client.limit_key();
            let binding = proof_binding(kind, &client_key);
            AppError::ProofOfWorkRequired {
                challenge: pow_challenge::issue(
                    &state.server_key,
                    state.settings.pow_difficulty,
                    binding,
                    now,
                ),
                retry_after_secs,
            }
        }
    }
}

/// The proof of work sent for `kind` by `client`, if it solves a challenge issued for both.
fn checked_proof(
    state: &AppState,
    client: &Client,
    kind: RefusalKind,
    proof: Option<&str>,
    now: i64,
) -> Option<pow_challenge::CheckedProof> {
    let client_key = client.limit_key();
    let binding = proof_binding(kind, &client_key);
    pow_challenge::check(
        &state.server_key,
        proof,
        state.settings.pow_difficulty,
        binding,
        now,
    )
}

fn proof_binding(kind: RefusalKind, client_key: &str) -> pow_challenge::Binding<'_> {
    pow_challenge::Binding {
        action: kind.as_str(),
        client: client_key,
    }
}
