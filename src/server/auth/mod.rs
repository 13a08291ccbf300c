//! Who the user is: password hashing and the typed session buckets.

pub mod password;
pub mod session;
