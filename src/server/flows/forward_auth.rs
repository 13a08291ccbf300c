//! Forward-auth: whether one request to another app behind the site's proxy may pass. The proxy
//! asks `/auth/verify` before every request it forwards; the first access rule matching the
//! request's host, path and method decides what it needs, and the browser's forward-auth cookie
//! says who is asking. That cookie is a second, narrow one: derived from the sign-in's session by
//! the server key, stored only as a keyed hash beside that session, so signing out (here or
//! everywhere) ends it for every app at once, and nothing but this check accepts it.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use super::sessions::Liveness;
use crate::{
    error::AppError,
    server::{
        access_rules::Policy, audit::RefusalKind, domain::ForwardSession, registration_policy,
        state::AppState,
    },
};

/// The request the proxy asks about, as its headers told it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginalRequest {
    /// The address exactly as received (where a sign-in returns to).
    pub url: String,
    /// Lower-case, without the port.
    pub host: String,
    /// Percent-decoded, its dot segments resolved: what the app behind will see.
    pub path: String,
    /// Upper-case.
    pub method: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// May pass; `None` for a bypass rule (no user is named).
    Allow(Option<RemoteUser>),
    /// Needs a sign-in first (none, or it ended).
    SignIn,
    /// Signed in, but the terms in force are not accepted yet.
    AcceptTerms,
    Deny(Denial),
}

/// Who the app behind is told made the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteUser {
    pub username: String,
    pub email: String,
    /// Comma-separated, in order.
    pub groups: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// No rule matches (an unknown host too): denied by default.
    NoRule,
    /// The matching rule's policy is `deny`.
    Rule,
    NotInGroup,
    /// The rule wants a sign-in with a second factor, and this one used the password alone.
    NeedsSecondFactor,
}

impl Denial {
    /// The catalogue's key for the sentence the browser shows.
    pub fn sentence(self) -> &'static str {
        match self {
            Denial::NoRule | Denial::Rule => "refusal-not-open",
            Denial::NotInGroup => "refusal-not-in-group",
            Denial::NeedsSecondFactor => "refusal-needs-second-factor",
        }
    }
}

/// Decides for `request`, for the browser whose forward-auth cookie is `cookie`. Reads the
/// session at most once, and writes at most once a minute (to keep an active sign-in alive).
pub async fn decide(
    state: &AppState,
    request: &OriginalRequest,
    cookie: Option<&str>,
) -> Result<Verdict, AppError> {
    let rules = &state.settings.access_rules;
    let Some(rule) = rules.rule_for(&request.host, &request.path, &request.method) else {
        return Ok(deny(state, Denial::NoRule));
    };
    match rule.policy {
        Policy::Bypass => return Ok(Verdict::Allow(None)),
        Policy::Deny => return Ok(deny(state, Denial::Rule)),
        Policy::SignedIn | Policy::TwoFactor => {}
    }
    let Some(session) = signed_in(state, cookie).await? else {
        return Ok(Verdict::SignIn);
    };
    if registration_policy::must_accept_terms(&state.settings, session.terms_version.as_deref()) {
        return Ok(Verdict::AcceptTerms);
    }
    let groups = session.groups.unwrap_or_default();
    let in_a_group = rule.groups.is_empty()
        || groups
            .split(',')
            .any(|group| rule.groups.iter().any(|g| g == group));
    if !in_a_group {
        return Ok(deny(state, Denial::NotInGroup));
    }
    let second_factor = session.amr.split(' ').any(|method| method != "pwd");
    if rule.policy == Policy::TwoFactor && !second_factor {
        return Ok(deny(state, Denial::NeedsSecondFactor));
    }
    Ok(Verdict::Allow(Some(RemoteUser {
        username: session.username,
        email: session.email,
        groups,
    })))
}

/// The live sign-in the cookie stands for, its activity noted (at most once a minute).
async fn signed_in(state: &AppState, cookie: Option<&str>) -> Result<Option<ForwardSession>, AppError> {
    let Some(token) = cookie.filter(|token| token.len() == 64) else {
        return Ok(None);
    };
    let token_hash = state.server_key.forward_token_hash(token);
    let session = match state.forward_sessions.get(state, &token_hash) {
        Some(session) => session,
        None => {
            let writes = state.store.committed_writes();
            let Some(session) = state.store.forward_session(&token_hash).await? else {
                return Ok(None);
            };
            state.forward_sessions.keep(token_hash, &session, writes);
            session
        }
    };
    let now = state.clock.now();
    let liveness = Liveness::of(&state.settings, session.admin);
    if !liveness.alive(session.signed_in_at, session.last_seen_at, now) {
        return Ok(None);
    }
    if liveness.due_for_touch(session.last_seen_at, now) {
        state.store.touch_session(session.session_id, now).await?;
        state.forward_sessions.touched(session.session_id, now);
    }
    Ok(Some(session))
}

/// Sessions forward-auth read in the last second, by their cookie's hash: every request to every
/// protected app asks, and a read of the database costs more than the rest of the answer (13,000
/// answers/s with a read each, 50,000 without, measured with scripts/bench-forward-auth.sh). A
/// write committed by this process (a sign-out, a group change, anything) makes every entry
/// stale at once; one committed by another process (another instance, the command line) counts
/// within the second.
#[derive(Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<Vec<u8>, Cached>>,
}

struct Cached {
    session: ForwardSession,
    read_at: Instant,
    /// The store's committed writes before the read.
    writes: u64,
}

const FRESH_FOR: Duration = Duration::from_secs(1);
/// Past this, the cache starts again empty (an hour of idle entries is not worth keeping).
const MAX_ENTRIES: usize = 10_000;

impl SessionCache {
    fn get(&self, state: &AppState, token_hash: &[u8]) -> Option<ForwardSession> {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let cached = entries.get(token_hash)?;
        let fresh = cached.read_at.elapsed() < FRESH_FOR && cached.writes == state.store.committed_writes();
        fresh.then(|| cached.session.clone())
    }

    fn keep(&self, token_hash: Vec<u8>, session: &ForwardSession, writes: u64) {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        let cached = Cached {
            session: session.clone(),
            read_at: Instant::now(),
            writes,
        };
        entries.insert(token_hash, cached);
    }

    /// The session was marked seen at `now`: its cached copy says so too.
    fn touched(&self, session_id: i64, now: i64) {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for cached in entries
            .values_mut()
            .filter(|cached| cached.session.session_id == session_id)
        {
            cached.session.last_seen_at = now;
        }
    }
}

/// Denials are not audited one by one: they are counted per reason, like other refusals (never
/// per host, which a wildcard rule would leave unbounded).
fn deny(state: &AppState, denial: Denial) -> Verdict {
    let bucket = match denial {
        Denial::NoRule => "forward-auth:no-rule",
        Denial::Rule => "forward-auth:deny-rule",
        Denial::NotInGroup => "forward-auth:not-in-group",
        Denial::NeedsSecondFactor => "forward-auth:second-factor",
    };
    state
        .refusals
        .count(RefusalKind::ForwardAuth, bucket, state.clock.now());
    Verdict::Deny(denial)
}
