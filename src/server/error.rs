//! The one place where internal failures become something a user may see: the cause goes to
//! the log under a short reference, and only that reference crosses the wire.

use std::fmt::Display;

use rand::Rng;

use crate::error::AppError;

pub fn internal(cause: impl Display) -> AppError {
    let reference = format!("{:08x}", rand::rngs::OsRng.gen::<u32>());
    tracing::error!(%reference, %cause, "request failed");
    AppError::Internal { reference }
}

macro_rules! internal_from {
    ($($cause:ty),* $(,)?) => {
        $(impl From<$cause> for AppError {
            fn from(cause: $cause) -> Self {
                internal(cause)
            }
        })*
    };
}

internal_from!(
    super::store::StoreError,
    tower_sessions::session::Error,
    tokio::task::JoinError,
    argon2::password_hash::Error,
);
