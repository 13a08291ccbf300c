//! The security log's two halves. Events (a sign-in, a wrong code, a lockout) are written one row
//! each by the store, in the transaction that caused them. Refusals (a request turned away by a
//! limit, a delay, a missing proof of work, or a code that can no longer be used) are counted here
//! in memory and written as one row per kind, bucket and hour every few seconds, so a flood of
//! refused requests costs no write each and a few rows in all.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use super::{
    domain::{EventKind, Refusal, RefusalCount},
    store::{Store, StoreResult},
};

/// Refusals are counted per hour.
pub const REFUSAL_WINDOW_SECS: i64 = 3600;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefusalKind {
    Registration,
    Resend,
    Code,
    CodeNotSentYet,
    CodeExpired,
    CodeLocked,
    FlowLocked,
    SignIn,
    NewPassword,
    /// A request to an app behind forward-auth that its rules did not allow.
    ForwardAuth,
    /// A call to the provider's token, userinfo or revocation endpoint over its limits.
    AppRequest,
}

impl RefusalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalKind::Registration => "registration_refused",
            RefusalKind::Resend => "resend_refused",
            RefusalKind::Code => "code_refused",
            RefusalKind::CodeNotSentYet => "code_not_sent_yet",
            RefusalKind::CodeExpired => "code_expired",
            RefusalKind::CodeLocked => "code_locked",
            RefusalKind::FlowLocked => "flow_locked",
            RefusalKind::SignIn => "sign_in_refused",
            RefusalKind::NewPassword => "new_password_refused",
            RefusalKind::ForwardAuth => "forward_auth_denied",
            RefusalKind::AppRequest => "app_request_refused",
        }
    }
}

/// (kind, bucket, start of the hour) → (count, last refusal).
type PendingRefusals = HashMap<(RefusalKind, String, i64), (i64, i64)>;

/// Refusals counted since the last flush, per (kind, bucket, hour).
#[derive(Clone, Default)]
pub struct RefusalLog {
    pending: Arc<Mutex<PendingRefusals>>,
}

impl RefusalLog {
    pub fn count(&self, kind: RefusalKind, bucket: &str, now: i64) {
        crate::server::metrics::refusal(kind.as_str());
        let window_start = now - now.rem_euclid(REFUSAL_WINDOW_SECS);
        let mut pending = self.pending.lock().expect("refusal log lock");
        let entry = pending
            .entry((kind, bucket.to_string(), window_start))
            .or_insert((0, now));
        entry.0 += 1;
        entry.1 = entry.1.max(now);
    }

    pub fn count_refusal(&self, kind: RefusalKind, refusal: &Refusal, now: i64) {
        self.count(kind, refusal.bucket(), now);
    }

    /// Writes what was counted; on failure the counts are kept for the next flush.
    pub async fn flush(&self, store: &dyn Store) -> StoreResult<()> {
        let taken = std::mem::take(&mut *self.pending.lock().expect("refusal log lock"));
        if taken.is_empty() {
            return Ok(());
        }
        let counts: Vec<RefusalCount> = taken
            .iter()
            .map(|((kind, bucket, window_start), (count, last_at))| RefusalCount {
                kind: kind.as_str(),
                bucket: bucket.clone(),
                window_start: *window_start,
                count: *count,
                last_at: *last_at,
            })
            .collect();
        let written = store.record_refusals(&counts).await;
        if written.is_err() {
            let mut pending = self.pending.lock().expect("refusal log lock");
            for (key, (count, last_at)) in taken {
                let entry = pending.entry(key).or_insert((0, last_at));
                entry.0 += count;
                entry.1 = entry.1.max(last_at);
            }
        }
        written
    }
}

/// How the dashboard's "recent activity" words a stored kind.
pub fn describe(kind: &str) -> &'static str {
    const KINDS: &[(EventKind, &str)] = &[
        (EventKind::Registration, "Account registered"),
        (EventKind::CodeIssued, "Verification code sent"),
        (EventKind::CodeVerified, "Email address verified"),
        (EventKind::CodeFailed, "Wrong verification code"),
        (EventKind::Resend, "New verification code requested"),
        (EventKind::SignIn, "Signed in"),
        (EventKind::SignInFailed, "Failed sign-in"),
        (
            EventKind::Lockout,
            "Account locked after too many failed sign-ins",
        ),
        (EventKind::Unlock, "Account unlocked"),
        (EventKind::SignOut, "Signed out"),
        (EventKind::SessionRevoked, "Session ended from another device"),
        (EventKind::RecoveryRequested, "Password reset requested"),
        (EventKind::PasswordReset, "Password reset with an emailed code"),
        (EventKind::PasswordChanged, "Password changed"),
        (EventKind::EmailChangeRequested, "New email address requested"),
        (EventKind::EmailChanged, "Email address changed"),
        (EventKind::AccountDeleted, "Account deleted"),
        (
            EventKind::PasswordAccepted,
            "Password accepted, second step asked",
        ),
        (EventKind::SecondFactorFailed, "Wrong two-factor code"),
        (EventKind::TwoFactorEnabled, "Two-factor turned on"),
        (EventKind::TwoFactorDisabled, "Two-factor turned off"),
        (EventKind::RecoveryCodesReplaced, "New recovery codes made"),
        (EventKind::RecoveryCodeUsed, "Signed in with a recovery code"),
        (EventKind::AccountDisabled, "Account disabled by an administrator"),
        (EventKind::AccountEnabled, "Account enabled by an administrator"),
        (EventKind::SessionsEnded, "All sessions ended by an administrator"),
        (EventKind::AdminGranted, "Administrator role granted"),
        (EventKind::AdminRevoked, "Administrator role revoked"),
        (EventKind::TwoFactorReset, "Two-factor reset by an administrator"),
        (EventKind::GroupCreated, "Group created"),
        (EventKind::GroupChanged, "Group renamed or described"),
        (EventKind::GroupDeleted, "Group deleted"),
        (EventKind::GroupMemberAdded, "Added to a group"),
        (EventKind::GroupMemberRemoved, "Removed from a group"),
        (
            EventKind::OidcClientAdded,
            "App registered for sign-in with Gatehouse",
        ),
        (
            EventKind::OidcClientRemoved,
            "App removed from sign-in with Gatehouse",
        ),
        (EventKind::OidcClientSecretRotated, "App's secret replaced"),
        (EventKind::OidcSigningKeyRotated, "ID-token signing key replaced"),
        (EventKind::OidcAppAllowed, "Allowed an app to sign you in"),
        (EventKind::OidcAppRevoked, "Withdrew an app's access"),
        (
            EventKind::OidcAccessDenied,
            "Sign-in to an app refused: not in its groups",
        ),
        (
            EventKind::OidcTokenReplayed,
            "A used app code or token was replayed; the app's tokens were revoked",
        ),
        (EventKind::PasskeyAdded, "Passkey added"),
        (EventKind::PasskeyRenamed, "Passkey renamed"),
        (EventKind::PasskeyRemoved, "Passkey removed"),
        (EventKind::InvitationSent, "Invitation sent"),
        (EventKind::InvitationResent, "Invitation sent again"),
        (EventKind::InvitationRevoked, "Invitation revoked"),
        (EventKind::InvitationUsed, "Registered from an invitation"),
        (EventKind::TermsAccepted, "Accepted the terms"),
    ];
    KINDS
        .iter()
        .find(|(known, _)| known.as_str() == kind)
        .map_or("Security event", |(_, text)| text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_counted_per_kind_bucket_and_hour() {
        let log = RefusalLog::default();
        for second in 0..1000 {
            log.count(RefusalKind::SignIn, "sign-in-failures:192.0.2.1", 7_200 + second);
        }
        log.count(RefusalKind::SignIn, "sign-in-failures:192.0.2.1", 10_800);
        log.count(RefusalKind::Code, "sign-in-failures:192.0.2.1", 7_200);
        let pending = log.pending.lock().unwrap();
        assert_eq!(pending.len(), 3);
        assert_eq!(
            pending[&(
                RefusalKind::SignIn,
                "sign-in-failures:192.0.2.1".to_string(),
                7_200
            )],
            (1000, 8_199)
        );
    }
}
