//! Forward-auth over HTTP: `/auth/verify`, which nginx (`auth_request`), Traefik (`ForwardAuth`)
//! and Caddy (`forward_auth`) ask before each request to another app, and the cookie it reads,
//! kept in step with the sign-in on every page of the portal. The decision is
//! `flows::forward_auth`'s; here are the proxies' header dialects and the answers they expect.

use std::{collections::HashMap, net::SocketAddr};

use axum::{
    extract::{ConnectInfo, Query, Request, State},
    http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::any,
    Router,
};
use tower_sessions::{
    cookie::{Cookie, SameSite},
    Session,
};

use super::headers::cookie_value;
use crate::i18n::catalogue::choose;
use crate::server::{
    auth::session,
    config::Settings,
    flows::forward_auth::{decide, OriginalRequest, RemoteUser, Verdict},
    state::AppState,
};

pub const VERIFY_PATH: &str = "/auth/verify";
/// Longer original addresses are not decided (browsers and proxies stop far below).
const MAX_URL_LEN: usize = 8 * 1024;

/// `/auth/verify`, outside the portal's page middleware: it sets no session, renders nothing,
/// and is asked once per request to every protected app.
pub fn routes(state: AppState) -> Router {
    Router::new().route(VERIFY_PATH, any(verify)).with_state(state)
}

async fn verify(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    request: Request,
) -> Response {
    // The proxy passes the browser's headers on: its language cookie and `Accept-Language`.
    let language = choose(None, request.headers(), state.settings.default_language);
    let response = decide_request(&state, &query, request).await;
    super::refusal::say(response, language, &state.settings.site_name.0)
}

async fn decide_request(state: &AppState, query: &HashMap<String, String>, request: Request) -> Response {
    let state = state.clone();
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip().to_canonical());
    let trusted = peer.is_some_and(|ip| ip.is_loopback() || state.settings.trusted_proxies.contains(&ip));
    let headers = request.headers();
    let original = match trusted {
        true => original_request(headers, request.method()),
        false => Err("the request did not come from a trusted proxy (GATEHOUSE_TRUSTED_PROXIES)"),
    };
    let original = match original {
        Ok(original) => original,
        Err(problem) => {
            tracing::warn!(problem, "forward-auth could not tell which request to decide");
            return answer(StatusCode::BAD_REQUEST, "refusal-forward-auth-unclear");
        }
    };
    let cookie = cookie_value(headers, cookie_name(&state.settings));
    match decide(&state, &original, cookie).await {
        Ok(Verdict::Allow(user)) => allowed(user),
        Ok(Verdict::SignIn) => send_first(&state.settings, &original, headers, query.get("mode"), SIGN_IN),
        Ok(Verdict::AcceptTerms) => send_first(
            &state.settings,
            &original,
            headers,
            query.get("mode"),
            ACCEPT_TERMS,
        ),
        Ok(Verdict::Deny(denial)) => answer(StatusCode::FORBIDDEN, denial.sentence()),
        Err(error) => super::refusal::error_response(&error),
    }
}

/// The request the proxy asks about: nginx's `X-Original-URL` and `X-Original-Method`, else the
/// `X-Forwarded-Proto`, `-Host`, `-Uri` and `-Method` of Traefik and Caddy. The method defaults to
/// the asking request's own.
fn original_request(headers: &HeaderMap, own_method: &Method) -> Result<OriginalRequest, &'static str> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
            .filter(|value| !value.is_empty())
    };
    let (url, method) = match text("x-original-url") {
        Some(url) => (url.to_string(), text("x-original-method")),
        None => {
            let missing = "neither X-Original-URL nor X-Forwarded-Proto, -Host and -Uri were sent";
            let proto = text("x-forwarded-proto").ok_or(missing)?;
            let host = text("x-forwarded-host").ok_or(missing)?;
            let uri = text("x-forwarded-uri").ok_or(missing)?;
            let plain_host = !host.contains(['/', '\\', '@', '?', '#']);
            if !matches!(proto, "http" | "https")
                || !plain_host
                || !uri.starts_with('/')
                || uri.starts_with("//")
            {
                return Err("X-Forwarded-Proto, -Host or -Uri is malformed");
            }
            (format!("{proto}://{host}{uri}"), text("x-forwarded-method"))
        }
    };
    let method = method.unwrap_or(own_method.as_str()).to_ascii_uppercase();
    if method.is_empty() || method.len() > 16 || !method.bytes().all(|byte| byte.is_ascii_uppercase()) {
        return Err("the original method is malformed");
    }
    parse_original_url(url, method)
}

/// Parses the address as the app behind will read it: dot segments resolved, percent-decoded.
/// Anything a server might read differently (an encoded `/` or `\`, `..;`, credentials, control
/// characters) is not decided at all.
fn parse_original_url(raw: String, method: String) -> Result<OriginalRequest, &'static str> {
    const MALFORMED: &str = "the original URL is malformed";
    let lower = raw.to_ascii_lowercase();
    let scheme_ok = lower.starts_with("http://") || lower.starts_with("https://");
    let plain = !raw
        .chars()
        .any(|c| c == '\\' || c.is_control() || c.is_whitespace());
    if !scheme_ok || !plain || raw.len() > MAX_URL_LEN {
        return Err(MALFORMED);
    }
    let url = url::Url::parse(&raw).map_err(|_| MALFORMED)?;
    let host = url.host_str().ok_or(MALFORMED)?.to_string();
    let credentials = !url.username().is_empty() || url.password().is_some();
    let path = url.path();
    let encoded_separator =
        path.to_ascii_lowercase().contains("%2f") || path.to_ascii_lowercase().contains("%5c");
    if credentials || encoded_separator {
        return Err(MALFORMED);
    }
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| MALFORMED)?
        .into_owned();
    let odd_segment = path
        .split('/')
        .any(|segment| segment.starts_with("..") || segment.chars().any(char::is_control));
    if odd_segment {
        return Err(MALFORMED);
    }
    Ok(OriginalRequest {
        url: raw,
        host,
        path,
        method,
    })
}

/// 200 with the user's headers, all three always present (empty for a bypass rule), so an app
/// never sees a client's own `Remote-User` through a proxy that copies only what is set.
fn allowed(user: Option<RemoteUser>) -> Response {
    let user = user.unwrap_or(RemoteUser {
        username: String::new(),
        email: String::new(),
        groups: String::new(),
    });
    let mut response = StatusCode::OK.into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        ("remote-user", user.username),
        ("remote-email", user.email),
        ("remote-groups", user.groups),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Not signed in: the sign-in page, which returns to the original address. nginx's
/// `auth_request` passes on only 401 and 403, so `mode=nginx` gets 401 with the `Location` for its
/// `error_page` to follow; the others are told to redirect a page load (302 for GET and HEAD, 303
/// otherwise) and get 401 for a script's request.
/// A page of the portal the browser must go through first, and the sentence (its key) for a client that is
/// not a browser.
struct FirstStop {
    /// Followed by the original address, form-encoded.
    page: &'static str,
    sentence: &'static str,
}

const SIGN_IN: FirstStop = FirstStop {
    page: "/login?rd=",
    sentence: "error-not-authenticated",
};

/// nginx's mode answers 401 whatever the stop; its sign-in redirect then reaches `/login`, which
/// sends a signed-in user with terms to accept on to `/terms`.
const ACCEPT_TERMS: FirstStop = FirstStop {
    page: "/terms?next=",
    sentence: "refusal-accept-terms",
};

fn send_first(
    settings: &Settings,
    original: &OriginalRequest,
    headers: &HeaderMap,
    mode: Option<&String>,
    stop: FirstStop,
) -> Response {
    let public_url = settings.public_url.as_ref().map_or("", |url| url.0.as_str());
    let return_to: String = form_urlencoded::byte_serialize(original.url.as_bytes()).collect();
    let location = format!("{public_url}{}{return_to}", stop.page);
    let text = |name| {
        headers
            .get(name)
            .and_then(|value: &HeaderValue| value.to_str().ok())
            .unwrap_or_default()
    };
    let wants_page = text(header::ACCEPT).contains("text/html")
        && !text(HeaderName::from_static("x-requested-with")).eq_ignore_ascii_case("xmlhttprequest");
    let status = match (mode.map(String::as_str), wants_page, original.method.as_str()) {
        (Some("nginx"), _, _) | (_, false, _) => StatusCode::UNAUTHORIZED,
        (_, true, "GET" | "HEAD") => StatusCode::FOUND,
        (_, true, _) => StatusCode::SEE_OTHER,
    };
    let mut response = answer(status, stop.sentence);
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// `status` with message `key`, which `refusal::say` writes in the request's language.
fn answer(status: StatusCode, key: &'static str) -> Response {
    let mut response = super::refusal::message_response(status, key);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `__Host-` when the cookie belongs to Gatehouse's host alone (https), `__Secure-` when it is
/// shared with a parent domain (https); no prefix over plain http.
pub fn cookie_name(settings: &Settings) -> &'static str {
    match (settings.serves_https(), settings.cookie_domain.is_some()) {
        (true, false) => "__Host-gatehouse-auth",
        (true, true) => "__Secure-gatehouse-auth",
        (false, _) => "gatehouse-auth",
    }
}

/// Keeps the forward-auth cookie in step with the sign-in: set when a browser is signed in and
/// lacks it (or holds another sign-in's), removed once it is not.
pub async fn keep_cookie(
    State(state): State<AppState>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    let settings = &state.settings;
    let name = cookie_name(settings);
    let sent = cookie_value(request.headers(), name).map(str::to_owned);
    let mut response = next.run(request).await;
    let expected = match session::signed_in(&session).await {
        Ok(signed_in) => signed_in.map(|signed_in| state.server_key.forward_token(&signed_in.handle)),
        Err(_) => return response,
    };
    if sent == expected {
        return response;
    }
    let mut cookie = Cookie::build((name, expected.clone().unwrap_or_default()))
        .path("/")
        .http_only(true)
        .secure(settings.serves_https())
        .same_site(SameSite::Lax);
    if let Some(domain) = &settings.cookie_domain {
        cookie = cookie.domain(domain.0.clone());
    }
    let lifetime = time::Duration::seconds(settings.session_lifetime_secs.signed());
    let cookie = match expected {
        Some(_) => cookie.max_age(lifetime),
        None => cookie.max_age(time::Duration::ZERO),
    };
    if let Ok(value) = HeaderValue::from_str(&cookie.build().to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(url: &str) -> Result<OriginalRequest, &'static str> {
        parse_original_url(url.to_string(), "GET".into())
    }

    #[test]
    fn the_path_is_read_as_the_app_behind_reads_it() {
        let request = parsed("https://App.Example.com:8443/a/./b/../c%20d?x=1#f").unwrap();
        assert_eq!(
            (request.host.as_str(), request.path.as_str()),
            ("app.example.com", "/a/c d")
        );
        assert_eq!(
            parsed("http://a.example/public/%2e%2e/admin").unwrap().path,
            "/admin"
        );
        for malformed in [
            "/relative",
            "ftp://a.example/",
            "http:a.example",
            "https://user:pass@a.example/",
            "https://a.example/public%2f..%2fadmin",
            "https://a.example/public/..;/admin",
            "https://a.example/x%00",
            "https://a.example/x%ff",
            "https://a.example/ x",
            "https://a.example\\@b.example/",
        ] {
            assert!(parsed(malformed).is_err(), "{malformed}");
        }
    }
}
