//! Prometheus metrics through the `metrics` facade, served as `GET /metrics` on their own listen
//! address (`metrics_addr`), never on the public one. Without that setting no recorder is
//! installed and every `metrics::` call below costs next to nothing.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::model::CodePurpose;

pub const HTTP_REQUESTS: &str = "gatehouse_http_requests_total";
pub const HTTP_DURATION: &str = "gatehouse_http_request_duration_seconds";
pub const REGISTRATIONS: &str = "gatehouse_registrations_total";
pub const CODES: &str = "gatehouse_codes_total";
pub const OUTBOX_DEPTH: &str = "gatehouse_outbox_depth";
pub const OUTBOX_OLDEST_AGE: &str = "gatehouse_outbox_oldest_age_seconds";
pub const REFUSALS: &str = "gatehouse_refusals_total";
pub const HASH_SLOT_WAIT: &str = "gatehouse_hash_slot_wait_seconds";
pub const ACTIVE_SESSIONS: &str = "gatehouse_active_sessions";

/// What became of an emailed code.
#[derive(Debug, Clone, Copy)]
pub enum CodeOutcome {
    Sent,
    Failed,
    Verified,
    Expired,
}

pub fn code(purpose: CodePurpose, outcome: CodeOutcome) {
    let outcome = match outcome {
        CodeOutcome::Sent => "sent",
        CodeOutcome::Failed => "failed",
        CodeOutcome::Verified => "verified",
        CodeOutcome::Expired => "expired",
    };
    metrics::counter!(CODES, "purpose" => purpose.as_str(), "outcome" => outcome).increment(1);
}

/// `started`: the form was accepted and a code queued; `verified`: the account exists.
pub fn registration(stage: &'static str) {
    metrics::counter!(REGISTRATIONS, "stage" => stage).increment(1);
}

pub fn refusal(limit: &'static str) {
    metrics::counter!(REFUSALS, "limit" => limit).increment(1);
}

pub fn hash_slot_wait(waited: std::time::Duration) {
    metrics::histogram!(HASH_SLOT_WAIT).record(waited.as_secs_f64());
}

/// The process-wide recorder (one per process: several servers in one test binary share it).
pub fn recorder() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Suffix("_seconds".into()),
                    &[
                        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                    ],
                )
                .expect("the bucket list is not empty")
                .install_recorder()
                .expect("no other metrics recorder is installed")
        })
        .clone()
}
