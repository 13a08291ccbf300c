//! Leptos' no-JavaScript error channel carries a failed form's error in the URL it redirects back
//! to (`?__path=<server fn>&__err=<error>`), and a page shows whatever it finds there: any link
//! could make a genuine page say attacker-chosen words. So the redirect is sealed: a signature over
//! the path and the error, keyed with the server key and a random value in this browser's own
//! cookie, travels as `__sig`. A page request whose error does not carry a valid seal is sent to
//! the same address without it (303), so neither the server nor the hydrating browser shows it.

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use rand::Rng;

use crate::server::state::AppState;

const SEAL_PURPOSE: &str = "form error";
const ERROR_PARAMS: [&str; 3] = ["__path", "__err", "__sig"];

pub async fn seal_form_errors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let cookie_name = cookie_name(&state);
    let browser_secret = cookie_value(request.headers(), cookie_name);
    if request.method() == Method::GET {
        if let Some(query) = request.uri().query().filter(|query| carries_error(query)) {
            if !seal_holds(&state, browser_secret.as_deref(), query) {
                let clean = without_error(request.uri().path(), query);
                return (StatusCode::SEE_OTHER, [(header::LOCATION, clean)]).into_response();
            }
        }
        return next.run(request).await;
    }
    let form_post = request.method() == Method::POST && accepts_html(request.headers());
    let mut response = next.run(request).await;
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|value| value.to_str().ok());
    let Some(location) = location
        .filter(|location| form_post && carries_error(location))
        .map(str::to_string)
    else {
        return response;
    };
    let (secret, new_cookie) = match browser_secret {
        Some(secret) => (secret, None),
        None => {
            let secret = hex::encode(rand::rngs::OsRng.gen::<[u8; 16]>());
            let secure = if state.settings.serves_https() {
                "; Secure"
            } else {
                ""
            };
            (
                secret.clone(),
                Some(format!(
                    "{cookie_name}={secret}; Path=/; HttpOnly; SameSite=Lax{secure}"
                )),
            )
        }
    };
    let query = location.split_once('?').map_or("", |(_, query)| query);
    let seal = seal(&state, &secret, query);
    if let Ok(sealed) = HeaderValue::from_str(&format!("{location}&__sig={seal}")) {
        response.headers_mut().insert(header::LOCATION, sealed);
    }
    if let Some(cookie) = new_cookie.and_then(|cookie| HeaderValue::from_str(&cookie).ok()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

fn cookie_name(state: &AppState) -> &'static str {
    // `__Host-` binds the cookie to this exact origin; browsers accept it only when Secure.
    if state.settings.serves_https() {
        "__Host-gatehouse_form"
    } else {
        "gatehouse_form"
    }
}

fn carries_error(query: &str) -> bool {
    param(query, "__err").is_some() || param(query, "__path").is_some()
}

fn param(query: &str, name: &str) -> Option<String> {
    let query = query.split_once('?').map_or(query, |(_, query)| query);
    form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

fn seal(state: &AppState, secret: &str, query: &str) -> String {
    let (path, error) = (
        param(query, "__path").unwrap_or_default(),
        param(query, "__err").unwrap_or_default(),
    );
    hex::encode(state.server_key.sign_parts(
        SEAL_PURPOSE,
        &[secret.as_bytes(), path.as_bytes(), error.as_bytes()],
    ))
}

fn seal_holds(state: &AppState, secret: Option<&str>, query: &str) -> bool {
    let (Some(secret), Some(signature)) = (
        secret,
        param(query, "__sig").and_then(|sig| hex::decode(sig).ok()),
    ) else {
        return false;
    };
    let (path, error) = (
        param(query, "__path").unwrap_or_default(),
        param(query, "__err").unwrap_or_default(),
    );
    state.server_key.verify_parts(
        SEAL_PURPOSE,
        &[secret.as_bytes(), path.as_bytes(), error.as_bytes()],
        &signature,
    )
}

fn without_error(path: &str, query: &str) -> String {
    let kept: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(key, _)| !ERROR_PARAMS.contains(&key.as_ref()))
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    if kept.is_empty() {
        return path.to_string();
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kept)
        .finish();
    format!("{path}?{query}")
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    super::headers::cookie_value(headers, name)
        .filter(|value| value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    #[test]
    fn stripping_keeps_the_other_parameters() {
        assert_eq!(
            super::without_error("/login", "__path=%2Fapi%2Flogin&__err=eA%3D%3D"),
            "/login"
        );
        assert_eq!(
            super::without_error("/login", "next=%2Fdashboard&__err=x&__sig=00"),
            "/login?next=%2Fdashboard"
        );
    }
}
