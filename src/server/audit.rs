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
/// language: the message `security-event-<kind>` (`code_issued` → `security-event-code-issued`).
pub fn describe(kind: &str) -> String {
    const PREFIX: &str = "security-event-";
    let key = match EventKind::ALL.iter().any(|known| known.as_str() == kind) {
        true => format!("{PREFIX}{}", kind.replace('_', "-")),
        false => "security-event-other".to_string(),
    };
    crate::i18n::t(&key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_kind_has_its_own_words() {
        let other = describe("no_such_kind");
        assert_eq!(other, "Security event");
        for kind in EventKind::ALL {
            let words = describe(kind.as_str());
            assert!(
                words != other && !words.starts_with("security-event-"),
                "{kind:?}: {words}"
            );
        }
        assert_eq!(describe("code_issued"), "Verification code sent");
    }

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
