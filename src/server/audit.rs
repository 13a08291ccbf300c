//! The security event log: what happened to which account, from where, and how it ended.
//! Never a code or a password: events carry only these fields.

use sqlx::SqliteConnection;

use super::{client::Client, db, db::security_events};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Registration,
    CodeIssued,
    CodeVerified,
    CodeFailed,
    CodeExpired,
    Resend,
    SignIn,
    SignInFailed,
    Throttled,
    Lockout,
    Unlock,
    SignOut,
    SessionRevoked,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
    /// Stopped before being evaluated (throttled, locked, proof of work missing).
    Refused,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Registration => "registration",
            Event::CodeIssued => "code_issued",
            Event::CodeVerified => "code_verified",
            Event::CodeFailed => "code_failed",
            Event::CodeExpired => "code_expired",
            Event::Resend => "resend",
            Event::SignIn => "sign_in",
            Event::SignInFailed => "sign_in_failed",
            Event::Throttled => "throttled",
            Event::Lockout => "lockout",
            Event::Unlock => "unlock",
            Event::SignOut => "sign_out",
            Event::SessionRevoked => "session_revoked",
        }
    }

    /// How the dashboard's "recent activity" words a stored kind.
    pub fn describe(kind: &str) -> &'static str {
        match kind {
            "registration" => "Account registered",
            "code_issued" => "Verification code sent",
            "code_verified" => "Email address verified",
            "code_failed" => "Wrong verification code",
            "code_expired" => "Expired verification code used",
            "resend" => "New verification code requested",
            "sign_in" => "Signed in",
            "sign_in_failed" => "Failed sign-in",
            "throttled" => "Attempt refused: too many attempts",
            "lockout" => "Account locked after too many failed sign-ins",
            "unlock" => "Account unlocked",
            "sign_out" => "Signed out",
            "session_revoked" => "Session ended from another device",
            _ => "Security event",
        }
    }
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Refused => "refused",
        }
    }
}

pub async fn record(
    conn: &mut SqliteConnection,
    event: Event,
    outcome: Outcome,
    user_id: Option<i64>,
    client: Option<&Client>,
) -> Result<(), sqlx::Error> {
    let ip = client.map(|client| client.ip.to_string());
    security_events::insert(
        conn,
        security_events::NewEvent {
            at: db::now(),
            kind: event.as_str(),
            user_id,
            ip: ip.as_deref(),
            user_agent: client.map(|client| client.user_agent.as_str()),
            outcome: outcome.as_str(),
        },
    )
    .await
}
