//! The one clock that decides expiry, windows and delays: injected through `AppState`, so tests
//! move time instead of sleeping. Unix seconds, UTC, server side only (a client's clock is never
//! asked). tower-sessions keeps its own cookie-record expiry on the wall clock; Gatehouse's own
//! idle and absolute timeouts (`flows::sessions`) use this one.

use std::sync::atomic::{AtomicI64, Ordering};

pub trait Clock: Send + Sync {
    fn now(&self) -> i64;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or_default()
    }
}

/// A clock that only moves when told to. Tests build their `AppState` with one; nothing in the
/// server (no setting, no endpoint) can select it.
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn starting_now() -> ManualClock {
        ManualClock(AtomicI64::new(SystemClock.now()))
    }

    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}
