//! The sweep: what outlives its use, and how much went.

/// Everything older than its cutoff goes (all unix seconds).
#[derive(Debug, Clone)]
pub struct SweepPolicy {
    pub now: i64,
    pub rate_limit_hits_before: i64,
    pub sign_in_throttle_before: i64,
    pub devices_seen_before: i64,
    pub devices_signed_in_before: i64,
    /// Unverified accounts (with their flows), and flows never finished, created before this.
    pub unverified_before: i64,
    pub finished_codes_before: i64,
    pub sent_mail_before: i64,
    pub events_before: i64,
    pub refusals_before: i64,
    /// Authorization codes that expired before this (kept a while to recognise a replay).
    pub app_codes_before: i64,
    /// Signing keys retired before this (every ID token they signed has expired).
    pub signing_keys_retired_before: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub rows_deleted: u64,
}
