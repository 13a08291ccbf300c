//! What each database provides: one trait of statements per area, implemented by `sqlite/` and
//! `postgres/` with compile-time checked queries. The rules above them (`store/<area>.rs`) are
//! generic over [`Statements`], all of them together.

mod account;
mod admin;
mod devices;
mod email_code;
mod housekeeping;
mod limits;
mod mail;
mod security_log;
mod sign_in;
mod two_factor;

pub use account::AccountStatements;
pub use admin::AdminStatements;
pub use devices::DeviceStatements;
pub use email_code::{EmailCodeStatements, FlowRow};
pub use housekeeping::HousekeepingStatements;
pub use limits::LimitStatements;
pub use mail::{MailStatements, NewMail, SentMail};
pub use security_log::SecurityLogStatements;
pub use sign_in::SignInStatements;
pub use two_factor::TwoFactorStatements;

/// Every statement of every table, as one database writes it.
pub trait Statements:
    AccountStatements
    + AdminStatements
    + DeviceStatements
    + EmailCodeStatements
    + HousekeepingStatements
    + LimitStatements
    + MailStatements
    + SecurityLogStatements
    + SignInStatements
    + TwoFactorStatements
    + Send
{
}

impl<T> Statements for T where
    T: AccountStatements
        + AdminStatements
        + DeviceStatements
        + EmailCodeStatements
        + HousekeepingStatements
        + LimitStatements
        + MailStatements
        + SecurityLogStatements
        + SignInStatements
        + TwoFactorStatements
        + Send
{
}
