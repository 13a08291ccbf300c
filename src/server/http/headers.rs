//! The headers every response carries: a Content-Security-Policy with a fresh nonce per response
//! (handed to the renderer, so header and page agree), and the rest of the hardening set.

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue},
    middleware::Next,
    response::Response,
};
use leptos::{
    nonce::Nonce,
    prelude::{provide_context, use_context},
};
use rand::Rng;

use crate::server::state::AppState;

/// The nonce of this response's Content-Security-Policy; the rendered page puts it on its
/// inline scripts (the hydration script and resource data).
#[derive(Clone)]
pub struct CspNonce(String);

/// Security headers on every response. Private pages and API answers must not be cached (the
/// back button after sign-out must not show the dashboard); static assets under /pkg may be, and
/// so may what a handler gave its own `Cache-Control` (the site's embedded files).
///
/// The bundle under /pkg (scripts, WASM, the stylesheet) is only ever loaded by a page, never
/// shown as one, so the headers that govern documents (CSP, framing, permissions, opener) mean
/// nothing on it; leaving them off saves about 480 bytes on each of the dozen files a first visit
/// loads. `nosniff` stays: it is what makes a browser refuse a script of the wrong type.
pub async fn response_headers(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let bundle_file = request.uri().path().starts_with("/pkg/");
    let nonce = (!bundle_file).then(|| hex::encode(rand::rngs::OsRng.gen::<[u8; 16]>()));
    if let Some(nonce) = &nonce {
        request.extensions_mut().insert(CspNonce(nonce.clone()));
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some(nonce) = nonce {
        // The bundle's files fetch nothing that the page's own policy does not already govern.
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
        if let Ok(policy) = HeaderValue::from_str(&content_security_policy(
            &nonce,
            &state.settings.access_rules.form_action_sources(),
        )) {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
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
    }
    if state.settings.serves_https() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    if !bundle_file && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Scripts run only with this response's nonce ('strict-dynamic' lets the hydration script load
/// the bundle); WASM may compile; nothing may frame the portal or change its base URL; forms post
/// here, and redirect only here or to the apps forward-auth protects (`form_targets`).
fn content_security_policy(nonce: &str, form_targets: &str) -> String {
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
         img-src 'self' data:; connect-src 'self'{live_reload}; form-action 'self'{form_targets}; frame-ancestors 'none'; \
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
/// The value of the request's cookie `name` (the first, if it was sent twice).
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}
