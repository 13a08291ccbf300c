//! "Sign in with Gatehouse", the OpenID Connect provider, driven by a real relying-party library
//! (the `openidconnect` crate) against the real server: the code flow as the OpenID Foundation's
//! Basic OP plan tests it, one test per module that applies (`basic_op`, each named after its
//! module); the browser's side, with sign-in, consent and the page that moves on (`browser`); what
//! ends tokens, key rotation, several instances and the command line (`lifecycle`); and what must
//! be refused (`refusals`). The helpers below are theirs.

pub(crate) mod basic_op;
mod browser;
mod lifecycle;
mod refusals;

use std::collections::HashMap;

use gatehouse::server::{
    config::{PublicUrl, Settings},
    flows::oidc::clients::{self, ClientRequest},
};
use openidconnect::{
    core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreTokenResponse},
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
};
use reqwest::StatusCode;

use crate::support::{cluster::free_port, fixture_on, location, verified_user, Browser, Fixture, PASSWORD};

pub(crate) const REDIRECT: &str = "https://app.example.test/callback";
pub(crate) const AFTER_LOGOUT: &str = "https://app.example.test/signed-out";

/// The relying party as `openidconnect` builds it from the discovery document.
pub(crate) type Rp = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A portal with the provider on, its issuer its own loopback origin.
pub(crate) async fn provider() -> Fixture {
    provider_with(|_| {}).await
}

pub(crate) async fn provider_with(configure: impl FnOnce(&mut Settings)) -> Fixture {
    let port = free_port();
    fixture_on(&format!("127.0.0.1:{port}"), |settings| {
        settings.public_url = Some(PublicUrl(format!("http://127.0.0.1:{port}")));
        settings.oidc_provider = true;
        configure(settings);
    })
    .await
}

/// A confidential app with implicit consent, admitting everyone.
pub(crate) fn app() -> ClientRequest {
    ClientRequest {
        client_id: "app".into(),
        name: "The App".into(),
        redirect_uris: vec![REDIRECT.into()],
        post_logout_uris: vec![AFTER_LOGOUT.into()],
        consent: Some("implicit".into()),
        ..ClientRequest::default()
    }
}

/// A provider with [`app`] registered, its relying party, and `username` signed in.
pub(crate) async fn ready(username: &str) -> (Fixture, String, Rp, Browser) {
    let f = provider().await;
    let secret = register(&f, app()).await.unwrap();
    let rp = relying_party(&f, "app", Some(&secret)).await;
    let browser = signed_in(&f, username).await;
    (f, secret, rp, browser)
}

/// Registers the client; its secret, if confidential.
pub(crate) async fn register(f: &Fixture, request: ClientRequest) -> Option<String> {
    clients::add(&f.app.state, &request, None).await.unwrap().1
}

/// Who answers the app's server-to-server calls: follows no redirect (RFC 6749 asks).
pub(crate) fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub(crate) async fn relying_party(f: &Fixture, client_id: &str, secret: Option<&str>) -> Rp {
    let issuer = IssuerUrl::new(f.app.origin()).unwrap();
    let metadata = CoreProviderMetadata::discover_async(issuer, &http())
        .await
        .unwrap();
    CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(client_id.into()),
        secret.map(|secret| ClientSecret::new(secret.into())),
    )
    .set_redirect_uri(RedirectUrl::new(REDIRECT.into()).unwrap())
}

/// The app's side of one sign-in, begun: the address to send the browser to, and what the app
/// keeps to check the answer.
pub(crate) struct Started {
    pub url: String,
    pub state: CsrfToken,
    pub nonce: Nonce,
    pub verifier: PkceCodeVerifier,
}

pub(crate) fn start(rp: &Rp, scopes: &[&str], extra: &[(&str, &str)]) -> Started {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = rp
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge);
    for scope in scopes {
        request = request.add_scope(Scope::new(scope.to_string()));
    }
    for (name, value) in extra {
        request = request.add_extra_param(*name, *value);
    }
    let (url, state, nonce) = request.url();
    Started {
        url: url.to_string(),
        state,
        nonce,
        verifier,
    }
}

/// The query of an address, as a map.
pub(crate) fn query_of(address: &str) -> HashMap<String, String> {
    let query = address
        .split_once('?')
        .map(|(_, query)| query)
        .unwrap_or_default();
    form_urlencoded::parse(query.as_bytes()).into_owned().collect()
}

/// The browser follows the authorization address; the provider answers the app at once.
pub(crate) async fn answer(browser: &Browser, url: &str) -> HashMap<String, String> {
    let response = browser.client.get(url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{url}");
    let to = location(&response);
    assert!(to.starts_with(REDIRECT), "answered at the app: {to}");
    query_of(&to)
}

/// The code of an answer, after checking its `state` and `iss` (RFC 9207).
pub(crate) fn code_of(f: &Fixture, answer: &HashMap<String, String>, started: &Started) -> AuthorizationCode {
    assert_eq!(answer.get("state"), Some(started.state.secret()), "{answer:?}");
    assert_eq!(answer.get("iss"), Some(&f.app.origin()), "{answer:?}");
    AuthorizationCode::new(
        answer
            .get("code")
            .unwrap_or_else(|| panic!("a code: {answer:?}"))
            .clone(),
    )
}

pub(crate) async fn exchange(
    rp: &Rp,
    code: AuthorizationCode,
    verifier: PkceCodeVerifier,
) -> CoreTokenResponse {
    rp.exchange_code(code)
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http())
        .await
        .unwrap()
}

/// A user signed in (password only) in a browser.
pub(crate) async fn signed_in(f: &Fixture, username: &str) -> Browser {
    let browser = verified_user(f, username).await;
    assert_eq!(location(&browser.login(username, PASSWORD).await), "/dashboard");
    browser
}

/// A whole sign-in at the app `rp` for a signed-in browser: its tokens.
pub(crate) async fn sign_in_at(
    f: &Fixture,
    rp: &Rp,
    browser: &Browser,
    scopes: &[&str],
) -> (CoreTokenResponse, Nonce) {
    let started = start(rp, scopes, &[]);
    let answer = answer(browser, &started.url).await;
    let code = code_of(f, &answer, &started);
    (exchange(rp, code, started.verifier).await, started.nonce)
}

/// The sign-in form posted for an app: it returns to `/oidc/resume`.
pub(crate) async fn log_in_for_app(browser: &Browser, username: &str) -> reqwest::Response {
    browser
        .post_form(
            "/api/login",
            "/login",
            &[
                ("identifier", username),
                ("password", PASSWORD),
                ("next", "/oidc/resume"),
            ],
        )
        .await
}

/// The published keys of the provider at `origin`.
pub(crate) async fn jwks(origin: &str) -> serde_json::Value {
    let response = http().get(format!("{origin}/oidc/jwks")).send().await.unwrap();
    response.json().await.unwrap()
}

/// Userinfo with a bearer token in the header: the status and the JSON.
pub(crate) async fn userinfo(f: &Fixture, access_token: &str) -> (StatusCode, serde_json::Value) {
    let response = http()
        .get(format!("{}/oidc/userinfo", f.app.origin()))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or_default())
}

pub(crate) fn access_token(tokens: &CoreTokenResponse) -> String {
    tokens.access_token().secret().clone()
}

/// A raw call to the token endpoint with form fields: the status and the JSON.
pub(crate) async fn token_call(f: &Fixture, fields: &[(&str, &str)]) -> (StatusCode, serde_json::Value) {
    token_call_at(&f.app.origin(), fields).await
}

pub(crate) async fn token_call_at(origin: &str, fields: &[(&str, &str)]) -> (StatusCode, serde_json::Value) {
    let response = http()
        .post(format!("{origin}/oidc/token"))
        .form(fields)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

/// The kinds of the security events whose detail names `client_id`, in order.
pub(crate) async fn app_events(f: &Fixture, client_id: &str) -> Vec<String> {
    f.db.texts(&format!(
        "select kind from security_events where detail = '{client_id}' order by event_id"
    ))
    .await
}

/// A confidential client with its own id, name and consent.
pub(crate) fn clients_request(client_id: &str, name: &str, consent: &str) -> ClientRequest {
    ClientRequest {
        client_id: client_id.into(),
        name: name.into(),
        consent: Some(consent.into()),
        ..app()
    }
}
