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

/// How the dashboard's "recent activity" and the console word a stored kind, in the reader's
/// language.
pub fn describe(kind: &str) -> String {
    const KINDS: &[(EventKind, &str)] = &[
        (EventKind::Registration, "security-event-registration"),
        (EventKind::CodeIssued, "security-event-code-issued"),
        (EventKind::CodeVerified, "security-event-code-verified"),
        (EventKind::CodeFailed, "security-event-code-failed"),
        (EventKind::Resend, "security-event-resend"),
        (EventKind::SignIn, "security-event-sign-in"),
        (EventKind::SignInFailed, "security-event-sign-in-failed"),
        (EventKind::Lockout, "security-event-lockout"),
        (EventKind::Unlock, "security-event-unlock"),
        (EventKind::SignOut, "security-event-sign-out"),
        (EventKind::SessionRevoked, "security-event-session-revoked"),
        (EventKind::RecoveryRequested, "security-event-recovery-requested"),
        (EventKind::PasswordReset, "security-event-password-reset"),
        (EventKind::PasswordChanged, "security-event-password-changed"),
        (
            EventKind::EmailChangeRequested,
            "security-event-email-change-requested",
        ),
        (EventKind::EmailChanged, "security-event-email-changed"),
        (EventKind::AccountDeleted, "security-event-account-deleted"),
        (EventKind::PasswordAccepted, "security-event-password-accepted"),
        (
            EventKind::SecondFactorFailed,
            "security-event-second-factor-failed",
        ),
        (EventKind::TwoFactorEnabled, "security-event-two-factor-enabled"),
        (EventKind::TwoFactorDisabled, "security-event-two-factor-disabled"),
        (
            EventKind::RecoveryCodesReplaced,
            "security-event-recovery-codes-replaced",
        ),
        (EventKind::RecoveryCodeUsed, "security-event-recovery-code-used"),
        (EventKind::AccountDisabled, "security-event-account-disabled"),
        (EventKind::AccountEnabled, "security-event-account-enabled"),
        (EventKind::SessionsEnded, "security-event-sessions-ended"),
        (EventKind::AdminGranted, "security-event-admin-granted"),
        (EventKind::AdminRevoked, "security-event-admin-revoked"),
        (EventKind::TwoFactorReset, "security-event-two-factor-reset"),
        (EventKind::GroupCreated, "security-event-group-created"),
        (EventKind::GroupChanged, "security-event-group-changed"),
        (EventKind::GroupDeleted, "security-event-group-deleted"),
        (EventKind::GroupMemberAdded, "security-event-group-member-added"),
        (
            EventKind::GroupMemberRemoved,
            "security-event-group-member-removed",
        ),
        (EventKind::OidcClientAdded, "security-event-oidc-client-added"),
        (EventKind::OidcClientRemoved, "security-event-oidc-client-removed"),
        (
            EventKind::OidcClientSecretRotated,
            "security-event-oidc-client-secret-rotated",
        ),
        (
            EventKind::OidcSigningKeyRotated,
            "security-event-oidc-signing-key-rotated",
        ),
        (EventKind::OidcAppAllowed, "security-event-oidc-app-allowed"),
        (EventKind::OidcAppRevoked, "security-event-oidc-app-revoked"),
        (EventKind::OidcAccessDenied, "security-event-oidc-access-denied"),
        (EventKind::OidcTokenReplayed, "security-event-oidc-token-replayed"),
        (EventKind::PasskeyAdded, "security-event-passkey-added"),
        (EventKind::PasskeyRenamed, "security-event-passkey-renamed"),
        (EventKind::PasskeyRemoved, "security-event-passkey-removed"),
        (EventKind::InvitationSent, "security-event-invitation-sent"),
        (EventKind::InvitationResent, "security-event-invitation-resent"),
        (EventKind::InvitationRevoked, "security-event-invitation-revoked"),
        (EventKind::InvitationUsed, "security-event-invitation-used"),
        (EventKind::TermsAccepted, "security-event-terms-accepted"),
    ];
    let key = KINDS
        .iter()
        .find(|(known, _)| known.as_str() == kind)
        .map_or("security-event-other", |(_, key)| key);
    crate::i18n::t(key)
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
