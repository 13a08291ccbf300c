//! The OpenID Connect provider over HTTP: discovery, JWKS, the browser's authorization and
//! sign-out, and the apps' servers' token, userinfo and revocation calls. The decisions are
//! `flows::oidc`'s; here are the wire formats (query and form fields, Basic and Bearer headers,
//! RFC 6749 error JSON).

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::{FromRequestParts, Request, State},
    http::request::Parts,
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Extension, Json, Router,
};
use base64::Engine as _;
use tower_http::cors::{Any, CorsLayer};
use tower_sessions::Session;

use super::{
    guard::{self, Viewer},
    refusal,
};
use crate::{
    error::AppError,
    server::{
        client::Client,
        domain::SCOPES,
        flows::oidc::{
            authorize::{self, PendingAuthorization, Step},
            claims, issuer,
            logout::end_session,
            paths, signing,
            tokens::{self, ClientCredentials, TokenRequest},
            OidcError,
        },
        state::AppState,
    },
};

/// Larger than any form an app's page posts; the body limit of the portal stands behind it.
const MAX_FORM_BYTES: usize = 16 * 1024;

pub fn routes() -> Router<AppState> {
    // What apps' own pages may call too (a browser app reads its tokens and the user's claims):
    // none of these reads a cookie, so any origin may, without credentials.
    let called_by_apps = Router::new()
        .route(paths::DISCOVERY, get(discovery))
        .route(paths::JWKS, get(jwks))
        .route(paths::TOKEN, axum::routing::post(token))
        .route(paths::USERINFO, get(userinfo).post(userinfo))
        .route(paths::REVOKE, axum::routing::post(revoke))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE]),
        );
    Router::new()
        .merge(called_by_apps)
        .route(paths::AUTHORIZE, get(authorize_endpoint).post(authorize_endpoint))
        .route(paths::RESUME, get(resume))
        .route(paths::LOGOUT, get(logout_endpoint).post(logout_endpoint))
}

async fn discovery(State(state): State<AppState>) -> Response {
    let Ok(issuer) = issuer(&state) else {
        return refusal::error_response(&AppError::ProviderOff);
    };
    let endpoint = |path: &str| format!("{issuer}{path}");
    let client_auth = ["client_secret_basic", "client_secret_post", "none"];
    let document = serde_json::json!({
        "issuer": issuer,
        "authorization_endpoint": endpoint(paths::AUTHORIZE),
        "token_endpoint": endpoint(paths::TOKEN),
        "userinfo_endpoint": endpoint(paths::USERINFO),
        "jwks_uri": endpoint(paths::JWKS),
        "revocation_endpoint": endpoint(paths::REVOKE),
        "end_session_endpoint": endpoint(paths::LOGOUT),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": SCOPES,
        "claims_supported": claims::CLAIMS,
        "acr_values_supported": claims::ACR_VALUES,
        "prompt_values_supported": ["none", "login", "consent"],
        "token_endpoint_auth_methods_supported": client_auth,
        "revocation_endpoint_auth_methods_supported": client_auth,
        "code_challenge_methods_supported": ["S256"],
        "claims_parameter_supported": false,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
        "authorization_response_iss_parameter_supported": true,
    });
    Json(document).into_response()
}

async fn jwks(State(state): State<AppState>) -> Response {
    match signing::jwks(&state).await {
        Ok(keys) => Json(keys).into_response(),
        Err(error) => refusal::error_response(&error),
    }
}

/// What the browser-facing endpoints read of a request: its session, its client and who is
/// signed in (resolved by the portal's middleware).
struct Browser {
    session: Session,
    client: Client,
    viewer: Option<crate::server::auth::session::SignedIn>,
}

impl<S: Send + Sync> FromRequestParts<S> for Browser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Browser, Response> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let client = parts.extensions.get::<Client>().cloned();
        let viewer = parts.extensions.get::<Viewer>().cloned();
        match (client, viewer) {
            (Some(client), Some(Viewer(viewer))) => Ok(Browser {
                session,
                client,
                viewer,
            }),
            _ => Err(refusal::error_response(&crate::server::error::internal(
                "the provider's route is outside the portal's middleware",
            ))),
        }
    }
}

/// The authorization request, by GET (its query) or POST (its form, from the app's page).
async fn authorize_endpoint(State(state): State<AppState>, browser: Browser, request: Request) -> Response {
    let Browser {
        session,
        client,
        viewer,
    } = browser;
    let Ok(params) = query_or_form(request).await else {
        return refusal::error_response(&AppError::UnknownApp);
    };
    let pending = PendingAuthorization {
        params,
        ..PendingAuthorization::default()
    };
    let step = authorize::authorize(&state, &session, &client, viewer.as_ref(), pending).await;
    go(&session, step, false).await
}

/// A GET's query or a POST's form fields.
async fn query_or_form(request: Request) -> Result<HashMap<String, String>, OidcError> {
    if request.method() == Method::GET {
        let query = request.uri().query().unwrap_or_default().as_bytes();
        return Ok(form_urlencoded::parse(query).into_owned().collect());
    }
    let body = axum::body::to_bytes(request.into_body(), MAX_FORM_BYTES)
        .await
        .map_err(|_| OidcError::new("invalid_request", "the form is too large"))?;
    form_fields(&body)
}

/// After the sign-in: the request that waits in this browser goes on.
async fn resume(State(state): State<AppState>, browser: Browser) -> Response {
    let Browser {
        session,
        client,
        viewer,
    } = browser;
    let step = authorize::resume(&state, &session, &client, viewer.as_ref()).await;
    go(&session, step, true).await
}

/// Sends the browser where the step says.
async fn go(session: &Session, step: Result<Step, AppError>, after_form: bool) -> Response {
    let location = match step {
        Ok(step) => next_location(session, step, after_form).await,
        Err(error) => Err(error),
    };
    match location {
        Ok(location) => Redirect::to(&location).into_response(),
        Err(error) => refusal::error_response(&error),
    }
}

/// Where a step sends the browser. `after_form`: the browser may have come from one of our forms,
/// so the way to the app leads through the continue page.
pub async fn next_location(session: &Session, step: Step, after_form: bool) -> Result<String, AppError> {
    Ok(match step {
        Step::ToApp { url, .. } if !after_form => url,
        Step::ToApp { app_name, url } => authorize::finish_through_page(session, app_name, url)
            .await?
            .to_string(),
        Step::SignIn { login_hint } => sign_in_address(login_hint.as_deref()),
        Step::AcceptTerms => guard::terms_first(paths::RESUME),
        Step::Consent => paths::CONSENT.to_string(),
    })
}

pub fn sign_in_address(login_hint: Option<&str>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("rd", paths::RESUME);
    if let Some(hint) = login_hint {
        query.append_pair("login_hint", hint);
    }
    format!("/login?{}", query.finish())
}

/// Form fields; a field given twice is refused (RFC 6749 3.1).
fn form_fields(body: &[u8]) -> Result<HashMap<String, String>, OidcError> {
    let mut fields = HashMap::new();
    for (name, value) in form_urlencoded::parse(body) {
        if fields.insert(name.to_string(), value.into_owned()).is_some() {
            return Err(OidcError::new(
                "invalid_request",
                format!("{name} is given more than once"),
            ));
        }
    }
    Ok(fields)
}

/// The caller's client credentials: HTTP Basic (each part form-urlencoded, RFC 6749 2.3.1), or
/// `client_id` (and `client_secret`) in the form; both at once is refused.
fn client_credentials(
    headers: &HeaderMap,
    fields: &HashMap<String, String>,
) -> Result<ClientCredentials, OidcError> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Basic "));
    let Some(encoded) = basic else {
        return Ok(ClientCredentials {
            client_id: fields.get("client_id").cloned(),
            secret: fields.get("client_secret").cloned(),
            basic: false,
        });
    };
    if fields.contains_key("client_secret") {
        return Err(OidcError::new(
            "invalid_request",
            "use one client authentication method",
        ));
    }
    let invalid = || OidcError::new("invalid_client", "the Authorization header cannot be read");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| invalid())?;
    let decoded = String::from_utf8(decoded).map_err(|_| invalid())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(invalid)?;
    let unescape = |part: &str| {
        form_urlencoded::parse(format!("x={part}").as_bytes())
            .next()
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default()
    };
    Ok(ClientCredentials {
        client_id: Some(unescape(id)),
        secret: Some(unescape(secret)),
        basic: true,
    })
}

fn error_json(error: &OidcError, challenge: Option<String>) -> Response {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::BAD_REQUEST);
    if status.is_server_error() {
        tracing::warn!(error = error.error, description = %error.description, "provider call failed");
    }
    let body = serde_json::json!({ "error": error.error, "error_description": error.description });
    let mut response = (status, no_store(), Json(body)).into_response();
    if let Some(challenge) = challenge.and_then(|value| HeaderValue::from_str(&value).ok()) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, challenge);
    }
    response
}

fn no_store() -> [(header::HeaderName, &'static str); 2] {
    [(header::CACHE_CONTROL, "no-store"), (header::PRAGMA, "no-cache")]
}

async fn token(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let answer = async {
        let fields = form_fields(&body).map_err(|error| (error, None))?;
        let credentials = client_credentials(&headers, &fields).map_err(|error| (error, None))?;
        let field = |name: &str| fields.get(name).cloned();
        let request = TokenRequest {
            grant_type: field("grant_type").unwrap_or_default(),
            code: field("code"),
            redirect_uri: field("redirect_uri"),
            code_verifier: field("code_verifier"),
            refresh_token: field("refresh_token"),
        };
        tokens::token(&state, &client, &credentials, &request)
            .await
            .map_err(|error| {
                let challenge = credentials.basic && error.error == "invalid_client";
                (error, challenge.then(|| "Basic realm=\"gatehouse\"".to_string()))
            })
    };
    match answer.await {
        Ok(tokens) => (no_store(), Json(tokens)).into_response(),
        Err((error, challenge)) => error_json(&error, challenge),
    }
}

async fn userinfo(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let from_header = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(|token| token.trim().to_string());
    let from_body = form_fields(&body)
        .ok()
        .and_then(|fields| fields.get("access_token").cloned());
    let answer = match (from_header, from_body) {
        (Some(_), Some(_)) => Err(OidcError::new("invalid_request", "send the access token once")),
        (token, other) => tokens::userinfo(&state, &client, token.or(other).as_deref()).await,
    };
    match answer {
        Ok(claims) => (no_store(), Json(claims)).into_response(),
        Err(error) => {
            let challenge = format!(
                "Bearer error=\"{}\", error_description=\"{}\"",
                error.error, error.description
            );
            error_json(&error, Some(challenge))
        }
    }
}

async fn revoke(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let answer = async {
        let fields = form_fields(&body)?;
        let credentials = client_credentials(&headers, &fields)?;
        tokens::revoke(
            &state,
            &client,
            &credentials,
            fields.get("token").map(String::as_str),
        )
        .await
    };
    match answer.await {
        Ok(()) => (StatusCode::OK, no_store()).into_response(),
        Err(error) => error_json(&error, None),
    }
}

async fn logout_endpoint(State(state): State<AppState>, browser: Browser, request: Request) -> Response {
    let Ok(params) = query_or_form(request).await else {
        return refusal::error_response(&AppError::UnknownApp);
    };
    logout(
        &state,
        &browser.session,
        &browser.client,
        browser.viewer.is_some(),
        params,
    )
    .await
}

/// RP-initiated logout. The browser is signed out when `id_token_hint` is an ID token of ours for
/// the user signed in here (without it, any site could sign a user out by a link); it is sent to
/// `post_logout_redirect_uri` only when that app registered the address.
async fn logout(
    state: &AppState,
    session: &Session,
    client: &Client,
    signed_in: bool,
    params: HashMap<String, String>,
) -> Response {
    match end_session(state, session, client, signed_in, &params).await {
        Ok(location) => Redirect::to(&location).into_response(),
        Err(error) => refusal::error_response(&error),
    }
}
