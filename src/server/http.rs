//! Middleware around every request: cross-site request refusal, real status codes for
//! server-function errors, private pages, and the headers every response carries (with the
//! Content-Security-Policy and its per-response nonce).

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use leptos::{
    nonce::Nonce,
    prelude::{provide_context, use_context},
};
use rand::Rng;
use tower_sessions::Session;

use super::{flows::sessions, state::AppState};
use crate::error::AppError;

/// The nonce of this response's Content-Security-Policy; the rendered page puts it on its
/// inline scripts (the hydration script and resource data).
#[derive(Clone)]
pub struct CspNonce(String);

/// Pages that need a signed-in user; the server functions behind them check again (401).
const PRIVATE_PAGES: &[&str] = &["/dashboard"];

/// Server functions have no CSRF protection of their own, and a plain form post is a "simple"
/// request any site can make. So every state-changing request must come from our own origin:
/// `Sec-Fetch-Site: same-origin` from a browser, else an `Origin` equal to ours. Neither: refused.
pub async fn reject_cross_site(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || is_same_origin(&state, request.headers())
    {
        return next.run(request).await;
    }
    tracing::warn!(path = %request.uri().path(), "refused a cross-site request");
    (
        StatusCode::FORBIDDEN,
        "This request came from another site and was refused.",
    )
        .into_response()
}

fn is_same_origin(state: &AppState, headers: &HeaderMap) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|value: &HeaderValue| value.to_str().ok())
    };
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        return site == "same-origin";
    }
    let Some(origin) = text(header::ORIGIN) else {
        return false;
    };
    match &state.settings.public_url {
        Some(public_url) => origin == public_url.trim_end_matches('/'),
        None => {
            let host = origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"));
            host.is_some() && host == text(header::HOST)
        }
    }
}

/// Leptos answers every server-function error with 500. Our errors know their real status
/// (422 for a bad field, 429 with Retry-After when throttled, ...), so read it back from the body.
pub async fn api_error_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let Some(seconds) = error.retry_after_secs() {
            parts
                .headers
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A first visit to a private page without a session is redirected on the server, before any
/// rendering (client-side navigation is handled by the page itself).
pub async fn redirect_anonymous(
    State(state): State<AppState>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if request.method() == Method::GET && PRIVATE_PAGES.contains(&path) {
        match sessions::current(&state, &session).await {
            Ok(Some(_)) => {}
            Ok(None) => return Redirect::to(&format!("/login?next={path}")).into_response(),
            Err(error) => {
                return (
                    StatusCode::from_u16(error.status_code()).unwrap_or_default(),
                    error.to_string(),
                )
                    .into_response()
            }
        }
    }
    next.run(request).await
}

/// Security headers on every response. Private pages and API answers must not be cached (the
/// back button after sign-out must not show the dashboard); static assets under /pkg may be.
pub async fn response_headers(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let cacheable = request.uri().path().starts_with("/pkg/");
    let nonce: [u8; 16] = rand::rngs::OsRng.gen();
    let nonce: String = nonce.iter().map(|byte| format!("{byte:02x}")).collect();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static(
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        ),
    );
    headers.insert(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if state.settings.serves_https() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    if !cacheable {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Scripts run only with this response's nonce ('strict-dynamic' lets the hydration script load
/// the bundle); WASM may compile; nothing may frame the portal or change its base URL.
fn content_security_policy(nonce: &str) -> String {
    // Under `cargo leptos watch` (which sets LEPTOS_WATCH) the page reloads over a websocket on
    // another port; the same variable decides whether Leptos renders that script at all.
    static LIVE_RELOAD: std::sync::LazyLock<&str> = std::sync::LazyLock::new(|| {
        if std::env::var_os("LEPTOS_WATCH").is_some() {
            " ws:"
        } else {
            ""
        }
    });
    let live_reload = *LIVE_RELOAD;
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'{live_reload}; form-action 'self'; frame-ancestors 'none'; \
         base-uri 'none'; object-src 'none'"
    )
}

/// Run in every page render (as Leptos context): hands the middleware's nonce to the renderer,
/// which puts it on the inline scripts, so header and page agree.
pub fn provide_csp_nonce() {
    let nonce = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(nonce)) = nonce {
        provide_context(Nonce::from_value(nonce));
    }
}
