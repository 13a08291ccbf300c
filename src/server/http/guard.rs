//! Who may do what, decided once per request: cross-site requests are refused, the signed-in user
//! is resolved into a request extension (server functions read it through `RequestContext`), and
//! private pages are guarded by path prefix. Also the real status codes of server-function errors.

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use tower_sessions::Session;

use crate::{
    error::{AppError, ErrorAnswer},
    i18n::{catalogue::choose, Language},
    server::{
        auth::session::SignedIn,
        client::Client,
        flows::{self, oidc::paths, sessions},
        state::AppState,
    },
};

use super::refusal::{error_response, message_response, say};

/// Every page under these prefixes needs a signed-in user; the server functions behind them check
/// again (401).
const PRIVATE_PREFIXES: &[&str] = &["/dashboard", "/account", "/admin", TERMS_PAGE];

const SIGN_IN_PAGE: &str = "/login";

/// Where a user without two-factor is sent when the operator requires it.
const TWO_FACTOR_SETUP: &str = "/account/security";

/// Where a signed-in user who has not accepted the terms in force is sent first.
pub const TERMS_PAGE: &str = "/terms";

/// The admin console's pages, and its server functions: every request under these needs an admin
/// with two-factor on, whatever the method; the server functions check again.
const ADMIN_PAGES: &str = "/admin";
const ADMIN_API: &str = "/api/admin";

/// The signed-in user of this request, resolved once by [`resolve_viewer`].
#[derive(Debug, Clone)]
pub struct Viewer(pub Option<SignedIn>);

fn under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

pub fn is_private(path: &str) -> bool {
    PRIVATE_PREFIXES.iter().any(|prefix| under(path, prefix))
}

pub fn is_admin_only(path: &str) -> bool {
    under(path, ADMIN_PAGES) || under(path, ADMIN_API)
}

/// Server functions have no CSRF protection of their own, and a plain form post is a "simple"
/// request any site can make. So every state-changing request must come from our own origin:
/// `Sec-Fetch-Site: same-origin` from a browser, else an `Origin` equal to ours. Neither: refused.
/// The provider's endpoints that apps call are the exception: they read no cookie to act on
/// (the token, userinfo and revocation calls prove their caller themselves), or do only what a
/// plain link to them would do (authorization, sign-out with an app's ID token).
pub async fn reject_cross_site(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let called_from_elsewhere = paths::CALLED_FROM_ELSEWHERE.contains(&request.uri().path());
    if safe || called_from_elsewhere || is_same_origin(&state, request.headers()) {
        return next.run(request).await;
    }
    tracing::warn!(route = %loggable_route(request.uri().path()), "refused a cross-site request");
    let language = request
        .extensions()
        .get::<Client>()
        .map_or(state.settings.default_language, |client| client.language);
    let refusal = message_response(StatusCode::FORBIDDEN, "refusal-cross-site");
    say(refusal, language, &state.settings.site_name.0)
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
        Some(public_url) => origin == public_url.0,
        None => {
            let host = origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"));
            host.is_some() && host == text(header::HOST)
        }
    }
}

/// Resolves the signed-in user (checking and refreshing the sign-in) and sends a first visit to a
/// private page without one to sign in, before any rendering. Refusals made here or by the
/// handlers get their sentence on the way out, in the request's language.
pub async fn resolve_viewer(
    State(state): State<AppState>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    let mut language = request
        .extensions()
        .get::<Client>()
        .map_or(state.settings.default_language, |client| client.language);
    let response = resolve(&state, session, request, next, &mut language).await;
    say(response, language, &state.settings.site_name.0)
}

async fn resolve(
    state: &AppState,
    session: Session,
    mut request: Request,
    next: Next,
    language: &mut Language,
) -> Response {
    let state = state.clone();
    let path = request.uri().path();
    if path.starts_with("/pkg/") {
        return next.run(request).await;
    }
    let viewer = match sessions::current(&state, &session).await {
        Ok(viewer) => viewer,
        Err(error) => return error_response(&error),
    };
    let query = request.uri().query().unwrap_or_default();
    if request.method() == Method::GET && path == SIGN_IN_PAGE {
        if let (Some(signed_in), Some(return_to)) = (&viewer, return_to_of(&state, query)) {
            return match flows::terms::must_accept(&state, signed_in.user_id).await {
                Ok(true) => Redirect::to(&terms_first(&return_to)).into_response(),
                Ok(false) => Redirect::to(&return_to).into_response(),
                Err(error) => error_response(&error),
            };
        }
    }
    if request.method() == Method::GET && is_private(path) {
        let Some(signed_in) = &viewer else {
            return Redirect::to(&format!("/login?next={path}")).into_response();
        };
        // Each page that answers a requirement is exempt from the other's, so neither sends the
        // user back and forth.
        let settling = [TWO_FACTOR_SETUP, TERMS_PAGE].contains(&path);
        if state.settings.two_factor_required && !settling {
            match flows::two_factor::is_on(&state, signed_in.user_id).await {
                Ok(true) => {}
                Ok(false) => return Redirect::to(&format!("{TWO_FACTOR_SETUP}?required=1")).into_response(),
                Err(error) => return error_response(&error),
            }
        }
        if !settling {
            match flows::terms::must_accept(&state, signed_in.user_id).await {
                Ok(false) => {}
                Ok(true) => return Redirect::to(&terms_first(path)).into_response(),
                Err(error) => return error_response(&error),
            }
        }
    }
    let saved_language = viewer.as_ref().and_then(|signed_in| signed_in.language);
    *language = choose(saved_language, request.headers(), state.settings.default_language);
    let language = *language;
    if is_admin_only(path) {
        if let Err(error) = flows::admin::require_admin(&state, viewer.as_ref()).await {
            if under(path, ADMIN_API) {
                return server_function_error(&error.answer_in(language, &state.settings.site_name.0));
            }
            return match error {
                AppError::AdminNeedsTwoFactor => {
                    Redirect::to(&format!("{TWO_FACTOR_SETUP}?required=1")).into_response()
                }
                error => error_response(&error),
            };
        }
    }
    if let Some(client) = request.extensions_mut().get_mut::<Client>() {
        client.language = language;
    }
    request.extensions_mut().insert(Viewer(viewer));
    next.run(request).await
}

/// The terms page, returning to `next` once they are accepted.
pub fn terms_first(next: &str) -> String {
    let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
    format!("{TERMS_PAGE}?next={next}")
}

/// A signed-in browser sent to the sign-in page to come back (by forward-auth, from an app whose
/// cookie it lacked) goes straight where the page would have returned it.
fn return_to_of(state: &AppState, query: &str) -> Option<String> {
    let field = |name: &str| {
        form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    let next = field("rd").or_else(|| field("next"))?;
    Some(crate::server::return_url::after_sign_in(
        &state.settings.access_rules,
        &next,
    ))
}

/// A refusal in the shape a server function's own error has, so the page that called it shows
/// the sentence.
fn server_function_error(answer: &ErrorAnswer) -> Response {
    let status =
        StatusCode::from_u16(answer.error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_string(answer).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Leptos answers every server-function error with 500. Our errors know their real status (422
/// for a bad field, 429 or 503 with Retry-After, ...), so read it back from the body.
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
    if let Ok(ErrorAnswer { error, sentence }) = serde_json::from_slice::<ErrorAnswer>(&bytes) {
        parts.status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let Some(seconds) = error.retry_after_secs() {
            parts
                .headers
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        // For the page scripts that are not islands (the passkey ceremony): the sentence itself.
        let sentence =
            percent_encoding::utf8_percent_encode(&sentence, percent_encoding::NON_ALPHANUMERIC).to_string();
        if let Ok(sentence) = HeaderValue::from_str(&sentence) {
            parts.headers.insert("x-error-sentence", sentence);
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// What the log may say of a refused request's path: a server function's name under `/api/`, else
/// the first segment only (`/unlock/<token>` carries a secret), at most 64 printable characters.
fn loggable_route(path: &str) -> String {
    let mut segments = path.trim_start_matches('/').split('/');
    let route = match (segments.next().unwrap_or_default(), segments.next()) {
        ("api", Some(function)) => format!("/api/{function}"),
        (first, _) => format!("/{first}"),
    };
    route.chars().filter(char::is_ascii_graphic).take(64).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn private_pages_are_guarded_by_prefix() {
        for private in [
            "/dashboard",
            "/account",
            "/account/security",
            "/admin",
            "/admin/users/7",
        ] {
            assert!(super::is_private(private), "{private}");
        }
        for public in ["/", "/login", "/accounts-help", "/administrator", "/register"] {
            assert!(!super::is_private(public), "{public}");
        }
    }

    #[test]
    fn admin_pages_and_functions_are_guarded_by_prefix() {
        for admin in [
            "/admin",
            "/admin/users",
            "/admin/users/7",
            "/api/admin/users",
            "/api/admin",
        ] {
            assert!(super::is_admin_only(admin), "{admin}");
        }
        for other in [
            "/administrator",
            "/api/administer",
            "/api/account",
            "/account/admin",
        ] {
            assert!(!super::is_admin_only(other), "{other}");
        }
    }

    #[test]
    fn a_refused_path_is_logged_without_its_secrets_or_its_bulk() {
        assert_eq!(super::loggable_route("/api/login"), "/api/login");
        assert_eq!(super::loggable_route("/unlock/s3cret-token"), "/unlock");
        assert_eq!(super::loggable_route("/recover/continue/s3cret"), "/recover");
        assert_eq!(
            super::loggable_route(&format!("/api/{}", "x".repeat(65_000))).len(),
            64
        );
    }
}
