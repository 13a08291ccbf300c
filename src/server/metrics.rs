//! Prometheus metrics through the `metrics` facade, served as `GET /metrics` on their own listen
//! address (`metrics_addr`), never on the public one. Without that setting no recorder is
//! installed and every `metrics::` call below costs next to nothing.

use std::{sync::OnceLock, time::Instant};

use axum::{
    extract::{MatchedPath, Request},
    middleware::Next,
    response::Response,
    routing::get,
    Router,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;

use super::state::AppState;
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

/// Serves `GET /metrics` until `stop` flips, refreshing the gauges read from the database
/// (outbox, sessions) on each scrape.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> std::io::Result<()> {
    let handle = recorder();
    let router = Router::new().route(
        "/metrics",
        get(move || async move {
            refresh_gauges(&state).await;
            handle.run_upkeep();
            handle.render()
        }),
    );
    axum::serve(listener, router)
        .with_graceful_shutdown(async move {
            let _ = stop.wait_for(|stopped| *stopped).await;
        })
        .await
}

async fn refresh_gauges(state: &AppState) {
    let now = state.clock.now();
    let settings = &state.settings;
    let query = super::store::GaugeQuery {
        max_attempts: settings.mail_max_attempts,
        seen_since: now - settings.session_idle_secs.signed(),
        signed_in_since: now - settings.session_lifetime_secs.signed(),
    };
    match state.store.gauges(query).await {
        Ok(gauges) => {
            metrics::gauge!(OUTBOX_DEPTH).set(gauges.outbox_depth as f64);
            let oldest_age = gauges.outbox_oldest_at.map_or(0, |at| (now - at).max(0));
            metrics::gauge!(OUTBOX_OLDEST_AGE).set(oldest_age as f64);
            metrics::gauge!(ACTIVE_SESSIONS).set(gauges.active_sessions as f64);
        }
        Err(error) => tracing::warn!(%error, "metrics: could not read the gauges"),
    }
}

/// The route a request matched (`/unlock/{token}`, never the token), carried out on its
/// response for `count_request` (which runs outside the router, where the match is not known).
#[derive(Clone)]
struct RouteLabel(String);

pub async fn label_route(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_string());
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(RouteLabel(route));
    }
    response
}

pub async fn count_request(request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let route = response
        .extensions()
        .get::<RouteLabel>()
        .map_or_else(|| "unmatched".to_string(), |label| label.0.clone());
    let status = response.status().as_u16().to_string();
    metrics::histogram!(HTTP_DURATION, "route" => route.clone(), "method" => method.clone())
        .record(started.elapsed().as_secs_f64());
    metrics::counter!(HTTP_REQUESTS, "route" => route, "method" => method, "status" => status).increment(1);
    response
}
