//! The [`Client`] of every request: its address (see [`client_ip`]) and its user agent.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::header,
    middleware::Next,
    response::Response,
};

use crate::i18n::catalogue::choose;
use crate::server::{
    client::{client_ip, Client},
    state::AppState,
};

const MAX_USER_AGENT_CHARS: usize = 256;

/// Attaches a [`Client`] to every request, for server functions and middleware to read.
pub async fn identify_client(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let client = Client {
        ip: client_ip(peer, request.headers(), &state.settings.trusted_proxies),
        user_agent: request
            .headers()
            .get(header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_USER_AGENT_CHARS)
            .collect(),
        // The account's saved choice, when there is one, replaces this in `guard::resolve_viewer`.
        language: choose(None, request.headers(), state.settings.default_language),
    };
    request.extensions_mut().insert(client);
    next.run(request).await
}
