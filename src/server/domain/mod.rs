//! The server's vocabulary: the values that pages' server side, the flows and the store pass
//! each other (codes, flows, purposes, events, refusals, rows). It imports no machinery.

mod account;
mod admin;
mod email_code;
mod groups;
mod housekeeping;
mod invitations;
mod limits;
mod mail;
mod oidc;
mod passkeys;
mod security_log;
mod sign_in;
mod two_factor;

pub use account::*;
pub use admin::*;
pub use email_code::*;
pub use groups::*;
pub use housekeeping::*;
pub use invitations::*;
pub use limits::*;
pub use mail::*;
pub use oidc::*;
pub use passkeys::*;
pub use security_log::*;
pub use sign_in::*;
pub use two_factor::*;
