//! The admin console: its queries, their rows, and the actions on an account.

use super::{AuditEntry, EventKind, NoticeDetails, Outcome};
use crate::server::client::Client;

pub use crate::model::AdminAction;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GaugeQuery {
    /// Mail that has used up its attempts no longer counts as waiting.
    pub max_attempts: u32,
    /// Sessions used since then (not idled out) and signed in since then (not past their lifetime).
    pub seen_since: i64,
    pub signed_in_since: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gauges {
    pub outbox_depth: i64,
    pub outbox_oldest_at: Option<i64>,
    pub active_sessions: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminCounts {
    pub accounts: i64,
    pub unverified: i64,
    pub locked: i64,
    pub disabled: i64,
    pub admins: i64,
    pub two_factor: i64,
    pub codes_sent: i64,
    pub sign_ins: i64,
    pub failed_sign_ins: i64,
    pub refusals: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyCount {
    /// Days since 1970-01-01 (UTC).
    pub day: i64,
    pub kind: String,
    pub count: i64,
}

/// Which accounts the user list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum UserState {
    #[default]
    All,
    Unverified,
    Active,
    Locked,
    Disabled,
    Admin,
    TwoFactorOn,
    TwoFactorOff,
}

impl UserState {
    pub const ALL: [UserState; 8] = [
        UserState::All,
        UserState::Unverified,
        UserState::Active,
        UserState::Locked,
        UserState::Disabled,
        UserState::Admin,
        UserState::TwoFactorOn,
        UserState::TwoFactorOff,
    ];

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<UserState> {
        UserState::ALL.into_iter().find(|state| state.as_str() == text)
    }
}

#[derive(Debug, Clone)]
pub struct UserQuery {
    /// Lower-cased; matches the start of the username or of the address. Empty: everyone.
    pub prefix: String,
    pub state: UserState,
    pub order: UserOrder,
    pub limit: i64,
}

/// The user list's order, with where the page starts (keyset pagination).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserOrder {
    /// By username, after this one (empty: from the start).
    Username { after: String },
    /// Newest account first (ids only grow), before this id (`i64::MAX`: from the start).
    Newest { before: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSummary {
    pub user_id: i64,
    pub username: String,
    pub email: String,
    pub role: String,
    pub created_at: i64,
    pub verified_at: Option<i64>,
    pub last_login_at: Option<i64>,
    pub locked_at: Option<i64>,
    pub disabled_at: Option<i64>,
    pub two_factor: bool,
}

/// Which security events the console's log shows; empty texts and `None` match everything.
#[derive(Debug, Clone)]
pub struct EventQuery {
    pub kind: String,
    pub user_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub ip: String,
    /// `from <= at < until`.
    pub from: i64,
    pub until: i64,
    /// "success", "unsuccessful" (failures and refusals), or "" for both.
    pub outcome: &'static str,
    /// The smallest event id of the previous page (keyset pagination); `i64::MAX` for the first.
    pub before: i64,
    pub limit: i64,
}

impl EventQuery {
    /// Every event of one account with this `outcome`, newest first.
    pub fn of_account(user_id: i64, outcome: &'static str, limit: i64) -> EventQuery {
        EventQuery {
            kind: String::new(),
            user_id: Some(user_id),
            actor_id: None,
            ip: String::new(),
            from: i64::MIN,
            until: i64::MAX,
            outcome,
            before: i64::MAX,
            limit,
        }
    }
}

/// Which emailed-code flows the console's code log shows; empty texts and `None` match everything.
#[derive(Debug, Clone)]
pub struct CodeQuery {
    pub purpose: String,
    /// "verified", "expired" (at `now`, never verified), "pending", "failed" (a wrong guess).
    pub state: String,
    pub user_id: Option<i64>,
    /// `from <= created_at < until`.
    pub from: i64,
    pub until: i64,
    pub now: i64,
    /// The smallest code id of the previous page (keyset pagination); `i64::MAX` for the first.
    pub before: i64,
    pub limit: i64,
}

/// An emailed-code flow and the delivery of its latest mail; never the code.
#[derive(Debug, Clone)]
pub struct LoggedCode {
    pub code_id: i64,
    pub purpose: String,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub email: String,
    pub created_at: i64,
    pub codes_issued: i64,
    pub code_sent_at: Option<i64>,
    pub code_expires_at: Option<i64>,
    pub verified_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub code_failed_attempts: i64,
    pub total_failed_attempts: i64,
    pub mail_attempts: Option<i64>,
    pub mail_sent_at: Option<i64>,
    pub mail_error: Option<String>,
}

/// A security event with the names of its account and its actor: a line of the console's log, or
/// of a user's own activity and data export.
#[derive(Debug, Clone)]
pub struct LoggedEvent {
    pub event_id: i64,
    pub at: i64,
    pub kind: String,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub actor_id: Option<i64>,
    pub actor: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub outcome: String,
    /// What the event names besides its account (a group's name).
    pub detail: Option<String>,
}

/// What an admin (or the command line, with no actor) does to an account.
#[derive(Debug, Clone)]
pub struct AccountAction<'a> {
    pub kind: AdminAction,
    pub user_id: i64,
    /// The acting admin; None from the command line.
    pub actor_id: Option<i64>,
    pub client: Option<&'a Client>,
    /// What a notice mail to the owner says about the change (resetting two-factor, deleting).
    pub details: NoticeDetails,
    pub now: i64,
}

impl AccountAction<'_> {
    fn event(&self) -> EventKind {
        match self.kind {
            AdminAction::Disable => EventKind::AccountDisabled,
            AdminAction::Enable => EventKind::AccountEnabled,
            AdminAction::Unlock => EventKind::Unlock,
            AdminAction::EndSessions => EventKind::SessionsEnded,
            AdminAction::GrantAdmin => EventKind::AdminGranted,
            AdminAction::RevokeAdmin => EventKind::AdminRevoked,
            AdminAction::ResetTwoFactor => EventKind::TwoFactorReset,
            AdminAction::Delete => EventKind::AccountDeleted,
            AdminAction::ResendVerification => EventKind::Resend,
            AdminAction::SendRecoveryCode => EventKind::RecoveryRequested,
        }
    }

    pub fn audit_entry(&self) -> AuditEntry<'_> {
        AuditEntry {
            actor_id: self.actor_id,
            ..AuditEntry::new(
                self.event(),
                Outcome::Success,
                Some(self.user_id),
                self.client,
                self.now,
            )
        }
    }
}
