//! Integration tests: the real server (in-process, on a loopback port) with a temporary SQLite
//! file and a real SMTP server on loopback, driven over HTTP as a browser without JavaScript
//! would drive it.

mod support;

mod abuse;
mod hardening;
mod properties;
mod registration;
mod sessions;
mod sign_in;
