//! Who the user is: password hashing, the second factor, and the typed session buckets.

pub mod password;
pub mod session;
pub mod two_factor;
