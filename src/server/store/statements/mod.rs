//! The statements, one trait per area, each implemented once for both databases with
//! [`for_both_databases!`]: a statement's SQL is written once where the dialects agree and once
//! per database where they do not, side by side. The rules above them (`store/<area>.rs`) are
//! generic over [`Statements`], all of them together.

/// Implements a statement trait for SQLite's and PostgreSQL's connections from one body. Inside
/// it, `query!`, `query_as!` and `query_scalar!` are sqlx's compile-time checked macros, checked
/// against each database in turn. They take one SQL text where the dialects agree (PostgreSQL's
/// `$1` placeholders, which SQLite reads too); `sqlite: "…", postgres: "…"` where they do not; and
/// `"…", postgres_lock: "for update …"` for a row lock only PostgreSQL needs (SQLite's writing
/// transaction holds the database's only write lock from its start). `on_database!(sqlite: …,
/// postgres: …)` picks code the same way.
macro_rules! for_both_databases {
    (impl $area:ident { $($body:tt)* }) => {
        #[cfg(not(feature = "only-postgres-queries"))]
        for_both_databases!(@one $ sqlite sqlx::SqliteConnection, "\n-- sqlite", $area { $($body)* });
        #[cfg(not(feature = "only-sqlite-queries"))]
        for_both_databases!(@one $ postgres sqlx::PgConnection, "\n-- postgres", $area { $($body)* });
    };
    // `$d` is a `$` for the macros defined inside. The tag keeps each database's text, and so its
    // offline data in `.sqlx/`, apart.
    (@one $d:tt $db:ident $connection:ty, $tag:tt, $area:ident { $($body:tt)* }) => {
        const _: () = {
            #[allow(unused_macros)]
            macro_rules! query {
                (sqlite: $d sqlite:tt, postgres: $d postgres:tt $d($d rest:tt)*) => {
                    for_both_databases!(@pick $db query () $d sqlite $d postgres $tag ($d($d rest)*))
                };
                ($d sql:tt, postgres_lock: $d row_lock:tt $d($d rest:tt)*) => {
                    for_both_databases!(@lock $db query () $d sql $d row_lock $tag ($d($d rest)*))
                };
                ($d sql:tt $d($d rest:tt)*) => { sqlx::query!($d sql + $tag $d($d rest)*) };
            }
            #[allow(unused_macros)]
            macro_rules! query_as {
                ($d row:ty, sqlite: $d sqlite:tt, postgres: $d postgres:tt $d($d rest:tt)*) => {
                    for_both_databases!(@pick $db query_as ($d row,) $d sqlite $d postgres $tag ($d($d rest)*))
                };
                ($d row:ty, $d sql:tt, postgres_lock: $d row_lock:tt $d($d rest:tt)*) => {
                    for_both_databases!(@lock $db query_as ($d row,) $d sql $d row_lock $tag ($d($d rest)*))
                };
                ($d row:ty, $d sql:tt $d($d rest:tt)*) => { sqlx::query_as!($d row, $d sql + $tag $d($d rest)*) };
            }
            #[allow(unused_macros)]
            macro_rules! query_scalar {
                ($d sql:tt, postgres_lock: $d row_lock:tt $d($d rest:tt)*) => {
                    for_both_databases!(@lock $db query_scalar () $d sql $d row_lock $tag ($d($d rest)*))
                };
                ($d sql:tt $d($d rest:tt)*) => { sqlx::query_scalar!($d sql + $tag $d($d rest)*) };
            }
            #[allow(unused_macros)]
            macro_rules! on_database {
                (sqlite: $d sqlite:expr, postgres: $d postgres:expr $d(,)?) => {
                    for_both_databases!(@code $db $d sqlite, $d postgres)
                };
            }
            #[async_trait::async_trait]
            impl $area for $connection { $($body)* }
        };
    };
    (@pick sqlite $macro:ident ($($before:tt)*) $sqlite:tt $postgres:tt $tag:tt ($($rest:tt)*)) => {
        sqlx::$macro!($($before)* $sqlite + $tag $($rest)*)
    };
    (@pick postgres $macro:ident ($($before:tt)*) $sqlite:tt $postgres:tt $tag:tt ($($rest:tt)*)) => {
        sqlx::$macro!($($before)* $postgres + $tag $($rest)*)
    };
    (@lock postgres $macro:ident ($($before:tt)*) $sql:tt $row_lock:tt $tag:tt ($($rest:tt)*)) => {
        sqlx::$macro!($($before)* $sql + "\n" + $row_lock + $tag $($rest)*)
    };
    // SQLite's transaction holds the only write lock already: the statement without its lock clause.
    (@lock sqlite $($same_as_pick:tt)*) => { for_both_databases!(@pick sqlite $($same_as_pick)*) };
    (@code sqlite $sqlite:expr, $postgres:expr) => { $sqlite };
    (@code postgres $sqlite:expr, $postgres:expr) => { $postgres };
}

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
mod sessions;
mod sign_in;
mod two_factor;

pub use account::AccountStatements;
pub use admin::AdminStatements;
pub use email_code::{EmailCodeStatements, FlowRow};
pub use groups::GroupStatements;
pub use housekeeping::HousekeepingStatements;
pub use invitations::{InvitationStatements, PendingInvitation};
pub use limits::LimitStatements;
pub use mail::{MailStatements, NewMail};
pub use oidc::{NewToken, OidcStatements, TokenKind};
pub use passkeys::PasskeyStatements;
pub use security_log::SecurityLogStatements;
pub use sessions::SessionStatements;
pub use sign_in::SignInStatements;
pub use two_factor::TwoFactorStatements;

/// Every statement of every table, on either database's connection.
pub trait Statements:
    AccountStatements
    + AdminStatements
    + EmailCodeStatements
    + GroupStatements
    + HousekeepingStatements
    + InvitationStatements
    + LimitStatements
    + MailStatements
    + OidcStatements
    + PasskeyStatements
    + SecurityLogStatements
    + SessionStatements
    + SignInStatements
    + TwoFactorStatements
    + Send
{
}

#[cfg(not(feature = "only-postgres-queries"))]
impl Statements for sqlx::SqliteConnection {}
#[cfg(not(feature = "only-sqlite-queries"))]
impl Statements for sqlx::PgConnection {}
