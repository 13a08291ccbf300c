//! The server functions: Gatehouse's whole HTTP API. Each is a public endpoint at a stable path
//! (`/api/<name>`), takes flat string fields (form-encoded), and only wires the request to a
//! `server::flows` function.

pub mod account;
pub mod admin;
pub mod email_code;
pub mod invitations;
pub mod oidc;
pub mod passkeys;
pub mod recovery;
pub mod registration;
pub mod sign_in;
pub mod two_factor;
