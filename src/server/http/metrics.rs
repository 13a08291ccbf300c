//! The metrics' HTTP side: `GET /metrics` on its own address, and the middleware that counts
//! every request by the route it matched.

use std::time::Instant;

use axum::{
    extract::{MatchedPath, Request},
    middleware::Next,
    response::Response,
    routing::get,
    Router,
};
use tokio::net::TcpListener;

use crate::server::{
    domain::GaugeQuery,
    metrics::{recorder, ACTIVE_SESSIONS, HTTP_DURATION, HTTP_REQUESTS, OUTBOX_DEPTH, OUTBOX_OLDEST_AGE},
    state::AppState,
};

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
    let query = GaugeQuery {
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
