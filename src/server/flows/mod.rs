//! What the server functions do, as plain async functions over `AppState` (testable without
//! HTTP). Each reads the clock once per step and talks to the data only through the store.

pub mod account;
pub mod admin;
pub mod devices;
pub mod email_code;
pub mod recovery;
pub mod registration;
pub mod sign_in;
pub mod two_factor;

use super::{
    audit::RefusalKind,
    client::{describe_device, Client},
    pow_challenge,
    state::AppState,
    store::{NoticeDetails, Refusal},
};
use crate::error::AppError;

/// What a notice mail about this request tells the owner: when, from which device and address.
fn notice_details(client: &Client, now: i64) -> NoticeDetails {
    NoticeDetails {
        at: now,
        device: describe_device(&client.user_agent),
        ip: client.ip.to_string(),
        ..NoticeDetails::default()
    }
}

/// Counts a refusal and words it for the user: a wait, or a proof of work to solve (with a fresh
/// challenge).
fn refused(state: &AppState, kind: RefusalKind, refusal: Refusal, now: i64) -> AppError {
    state.refusals.count_refusal(kind, &refusal, now);
    match refusal {
        Refusal::RateLimited { retry_after_secs, .. } => AppError::RateLimited { retry_after_secs },
        Refusal::ProofOfWorkRequired { retry_after_secs, .. } => AppError::ProofOfWorkRequired {
            challenge: pow_challenge::issue(&state.server_key, state.settings.pow_difficulty, now),
            retry_after_secs,
        },
    }
}
