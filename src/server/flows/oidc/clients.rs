//! The registered apps: adding one (with its generated secret, shown once), listing, removing,
//! replacing a secret; and which redirect addresses a client may be answered at.

use super::random_secret;
use crate::{
    error::AppError,
    server::{
        client::Client,
        domain::{ClientAction, ClientChange, ClientRefusal, Consent, OidcClient},
        state::AppState,
    },
    validate,
};

const SECRET_PURPOSE: &str = "oidc client secret";
const MAX_URIS: usize = 20;
const MAX_URI_LEN: usize = 2048;

/// What an operator asks for; checked by [`add`].
#[derive(Debug, Clone, Default)]
pub struct ClientRequest {
    pub client_id: String,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub post_logout_uris: Vec<String>,
    pub groups: Vec<String>,
    pub public: bool,
    pub consent: Option<String>,
    /// A confidential client too old to send PKCE.
    pub allow_without_pkce: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ClientError {
    #[error("{0}")]
    Invalid(String),
    #[error("a client with the id {0:?} exists already")]
    IdTaken(String),
    #[error("no client has the id {0:?}")]
    NoSuchClient(String),
    #[error("{0:?} is a public client: it has no secret")]
    PublicClient(String),
    #[error("{0}")]
    Failed(String),
}

impl From<AppError> for ClientError {
    fn from(error: AppError) -> ClientError {
        ClientError::Failed(error.to_string())
    }
}

impl From<crate::server::store::StoreError> for ClientError {
    fn from(error: crate::server::store::StoreError) -> ClientError {
        ClientError::Failed(error.to_string())
    }
}

/// The client `client_id` names; an id no client could have (too long, other characters) is
/// looked up nowhere.
pub async fn registered(state: &AppState, client_id: &str) -> Result<Option<OidcClient>, AppError> {
    if !is_client_id(client_id) {
        return Ok(None);
    }
    Ok(state.store.oidc_client(client_id).await?)
}

/// 1 to 64 letters, digits, '.', '_' and '-'.
pub fn is_client_id(text: &str) -> bool {
    (1..=64).contains(&text.len())
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"._-".contains(&byte))
}

/// Registers a client; a confidential one's secret is returned, the only time it is shown.
pub async fn add(
    state: &AppState,
    request: &ClientRequest,
    actor: Option<(i64, &Client)>,
) -> Result<(OidcClient, Option<String>), ClientError> {
    let client = checked(request, state.clock.now())?;
    let secret = (!request.public).then(random_secret);
    let client = OidcClient {
        secret_hash: secret
            .as_ref()
            .map(|secret| client_secret_hash(state, &client.client_id, secret)),
        ..client
    };
    change(state, ClientAction::Add(&client), actor).await?;
    Ok((client, secret))
}

pub async fn remove(
    state: &AppState,
    client_id: &str,
    actor: Option<(i64, &Client)>,
) -> Result<(), ClientError> {
    change(state, ClientAction::Remove { client_id }, actor).await
}

/// A new secret (returned, shown once); the old one stops working at once.
pub async fn rotate_secret(
    state: &AppState,
    client_id: &str,
    actor: Option<(i64, &Client)>,
) -> Result<String, ClientError> {
    let secret = random_secret();
    let secret_hash = client_secret_hash(state, client_id, &secret);
    let action = ClientAction::RotateSecret {
        client_id,
        secret_hash: &secret_hash,
    };
    change(state, action, actor).await?;
    Ok(secret)
}

async fn change(
    state: &AppState,
    action: ClientAction<'_>,
    actor: Option<(i64, &Client)>,
) -> Result<(), ClientError> {
    let client_id = match &action {
        ClientAction::Add(client) => client.client_id.clone(),
        ClientAction::Remove { client_id } | ClientAction::RotateSecret { client_id, .. } => {
            client_id.to_string()
        }
    };
    let change = ClientChange {
        action,
        actor_id: actor.map(|(actor_id, _)| actor_id),
        client: actor.map(|(_, client)| client),
        now: state.clock.now(),
    };
    match state.store.change_oidc_clients(change).await? {
        Ok(()) => Ok(()),
        Err(ClientRefusal::IdTaken) => Err(ClientError::IdTaken(client_id)),
        Err(ClientRefusal::NoSuchClient) => Err(ClientError::NoSuchClient(client_id)),
        Err(ClientRefusal::PublicClient) => Err(ClientError::PublicClient(client_id)),
    }
}

/// How the console and the command line name a client's kind.
pub fn kind_of(client: &OidcClient) -> &'static str {
    match (client.is_public(), client.pkce_optional) {
        (true, _) => "public",
        (false, true) => "confidential, PKCE optional",
        (false, false) => "confidential",
    }
}

fn client_secret_hash(state: &AppState, client_id: &str, secret: &str) -> Vec<u8> {
    state
        .server_key
        .sign_parts(SECRET_PURPOSE, &[client_id.as_bytes(), secret.as_bytes()])
}

/// Whether `secret` is the confidential client's (constant time).
pub fn secret_matches(state: &AppState, client: &OidcClient, secret: &str) -> bool {
    client.secret_hash.as_ref().is_some_and(|stored| {
        state.server_key.verify_parts(
            SECRET_PURPOSE,
            &[client.client_id.as_bytes(), secret.as_bytes()],
            stored,
        )
    })
}

/// Exact match, except that a public (native) client's loopback address matches on any port
/// (RFC 8252, 7.3): the app listens wherever the system gave it a port.
pub fn redirect_uri_registered(client: &OidcClient, uri: &str) -> bool {
    if client.redirect_uris.iter().any(|registered| registered == uri) {
        return true;
    }
    if !client.is_public() {
        return false;
    }
    let Some(asked) = loopback_without_port(uri) else {
        return false;
    };
    client
        .redirect_uris
        .iter()
        .filter_map(|registered| loopback_without_port(registered))
        .any(|registered| registered == asked)
}

/// `http://127.0.0.1:4567/cb` → `http://127.0.0.1/cb`; `None` if not a plain-http loopback address.
fn loopback_without_port(uri: &str) -> Option<String> {
    let mut url = url::Url::parse(uri).ok()?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "[::1]"));
    if url.scheme() != "http" || !loopback {
        return None;
    }
    url.set_port(None).ok()?;
    Some(url.to_string())
}

fn checked(request: &ClientRequest, now: i64) -> Result<OidcClient, ClientError> {
    let invalid = |problem: String| Err(ClientError::Invalid(problem));
    let client_id = request.client_id.trim();
    if !is_client_id(client_id) {
        return invalid("a client id is 1 to 64 letters, digits, '.', '_' and '-'".into());
    }
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return invalid("a client's name is 1 to 100 characters, shown to users".into());
    }
    if request.redirect_uris.is_empty() {
        return invalid("a client needs at least one redirect URI".into());
    }
    for uri in request.redirect_uris.iter().chain(&request.post_logout_uris) {
        check_uri(uri).map_err(ClientError::Invalid)?;
    }
    if request.redirect_uris.len() > MAX_URIS || request.post_logout_uris.len() > MAX_URIS {
        return invalid(format!(
            "at most {MAX_URIS} redirect URIs, and {MAX_URIS} post-logout URIs"
        ));
    }
    let mut groups = Vec::new();
    for group in &request.groups {
        groups.push(
            validate::group_name(group).map_err(|problem| {
                ClientError::Invalid(format!("group {group:?}: {}", problem.in_english()))
            })?,
        );
    }
    let consent = match request.consent.as_deref() {
        None => Consent::Explicit,
        Some(text) => Consent::parse(text)
            .ok_or_else(|| ClientError::Invalid("consent is implicit or explicit".into()))?,
    };
    if request.public && request.allow_without_pkce {
        return invalid("a public client always uses PKCE".into());
    }
    Ok(OidcClient {
        client_id: client_id.to_string(),
        name: name.to_string(),
        secret_hash: None,
        redirect_uris: request.redirect_uris.clone(),
        post_logout_uris: request.post_logout_uris.clone(),
        allowed_groups: groups,
        consent,
        pkce_optional: request.allow_without_pkce,
        created_at: now,
    })
}

/// An absolute http(s) address without a fragment or credentials; plain http only on loopback.
fn check_uri(uri: &str) -> Result<(), String> {
    let refuse = |why: &str| Err(format!("{uri:?}: {why}"));
    if uri.len() > MAX_URI_LEN || uri.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return refuse("too long, or has spaces or control characters");
    }
    let Ok(url) = url::Url::parse(uri) else {
        return refuse("not an absolute address");
    };
    if url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return refuse("must not have a fragment (#) or credentials");
    }
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "[::1]" | "localhost"));
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        _ => refuse("must be https (plain http only on loopback)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(public: bool, uris: &[&str]) -> OidcClient {
        OidcClient {
            client_id: "app".into(),
            name: "App".into(),
            secret_hash: (!public).then(|| vec![1]),
            redirect_uris: uris.iter().map(|uri| uri.to_string()).collect(),
            post_logout_uris: vec![],
            allowed_groups: vec![],
            consent: Consent::Explicit,
            pkce_optional: false,
            created_at: 0,
        }
    }

    #[test]
    fn redirect_uris_match_exactly_and_only_a_native_clients_loopback_port_is_free() {
        let web = client(false, &["https://app.example.com/cb", "http://127.0.0.1:8000/cb"]);
        assert!(redirect_uri_registered(&web, "https://app.example.com/cb"));
        for other in [
            "https://app.example.com/cb/",
            "https://app.example.com/cb?x=1",
            "https://APP.example.com/cb",
            "https://app.example.com/cb#x",
            "http://127.0.0.1:8001/cb",
        ] {
            assert!(!redirect_uri_registered(&web, other), "{other}");
        }
        let native = client(true, &["http://127.0.0.1/cb", "http://[::1]:3000/cb"]);
        assert!(redirect_uri_registered(&native, "http://127.0.0.1:53211/cb"));
        assert!(redirect_uri_registered(&native, "http://[::1]:4000/cb"));
        assert!(!redirect_uri_registered(&native, "http://127.0.0.1:53211/other"));
        assert!(!redirect_uri_registered(&native, "http://localhost:53211/cb"));
    }

    #[test]
    fn a_client_is_checked_before_it_is_stored() {
        let request = |uri: &str| ClientRequest {
            client_id: "grafana".into(),
            name: "Grafana".into(),
            redirect_uris: vec![uri.into()],
            ..ClientRequest::default()
        };
        assert!(checked(&request("https://grafana.example.com/login/generic_oauth"), 0).is_ok());
        assert!(checked(&request("http://127.0.0.1:3000/cb"), 0).is_ok());
        for bad in [
            "http://grafana.example.com/cb",
            "https://x.example/cb#frag",
            "/relative",
            "https://u:p@x.example/",
        ] {
            assert!(checked(&request(bad), 0).is_err(), "{bad}");
        }
        let bad_id = ClientRequest {
            client_id: "no spaces".into(),
            ..request("https://x.example/cb")
        };
        assert!(checked(&bad_id, 0).is_err());
    }
}
