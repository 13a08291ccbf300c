//! One component per route; `app.rs` holds the route table.

mod account;
mod admin;
mod dashboard;
mod home;
mod not_found;
mod oidc;
mod passkeys;
mod recover;
mod register;
mod security;
mod sign_in;
mod terms;
mod unlock;
mod verify;

pub use account::AccountPage;
pub use admin::{
    AdminClientsPage, AdminCodesPage, AdminEventsPage, AdminGroupPage, AdminGroupsPage, AdminInvitationsPage,
    AdminOverviewPage, AdminUserPage, AdminUsersPage,
};
pub use dashboard::DashboardPage;
pub use home::HomePage;
pub use not_found::NotFoundPage;
pub use oidc::{ConfirmLogoutPage, ConsentPage, ContinuePage};
pub use recover::{NewPasswordPage, RecoverPage, RecoverVerifyPage};
pub use register::RegisterPage;
pub use security::SecurityPage;
pub use sign_in::{SecondStepPage, SignInPage};
pub use terms::TermsPage;
pub use unlock::UnlockPage;
pub use verify::{EmailVerifyPage, VerifyPage};
