//! Who the user is: password hashing, the second factor, passkeys, and the typed session buckets.

pub mod passkeys;
pub mod password;
pub mod session;
pub mod two_factor;
