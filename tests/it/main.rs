//! Integration tests: the real server (in-process, on a loopback port) on a fresh database, with a
//! real SMTP server on loopback and a clock the test moves, driven over HTTP as a browser without
//! JavaScript would drive it. The whole suite runs once per backend (see `support::on_postgres`).

mod support;

mod abuse;
mod account;
mod admin;
mod admin_scale;
mod branding_and_languages;
mod bursts;
mod client_identity;
mod form_errors;
mod forward_auth;
mod hardening;
mod hashing;
mod housekeeping;
mod instances;
mod lockout;
mod logging;
mod mail;
mod oidc;
mod operations;
mod passkeys;
mod proof_of_work;
mod properties;
mod rebinding;
mod recovery;
mod recovery_privacy;
mod refusals;
mod registration;
mod schema;
mod sessions;
mod sign_in;
mod slow_clients;
mod smtp_transport;
mod two_factor;
mod two_factor_limits;
mod who_may_register;
