//! What the server functions do, as plain async functions over `AppState` (testable without HTTP).

pub mod account;
pub mod registration;
pub mod sessions;
