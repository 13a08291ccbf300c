//! The browser's side of the provider. An app's authorization request is checked; the user signs
//! in (again, when the app asks for a fresh sign-in) and allows the app (once, when its consent is
//! explicit); a single-use code goes back to the app's registered address. While the user signs in
//! or answers, the request waits in the browser's session.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::{
    claims::UserClaims,
    clients::{redirect_uri_registered, registered},
    issuer, paths, random_secret, secret_hash, subject, CODE_TTL_SECS,
};
use crate::{
    error::AppError,
    server::{
        auth::session::SignedIn,
        client::Client,
        domain::{
            scope_has, AuditEntry, Consent, EventKind, GrantChange, OidcClient, OidcCode, Outcome,
            SessionRow, SCOPES,
        },
        flows::sessions,
        state::AppState,
    },
};

pub const CODE_PURPOSE: &str = "oidc code";
const PENDING_KEY: &str = "oidc.pending";
const FINISHED_KEY: &str = "oidc.finished";
/// `state`, `nonce` and the other values an app sends; longer ones are refused.
const MAX_VALUE_LEN: usize = 2048;

/// An authorization request as the app sent it, kept while the user signs in or answers.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PendingAuthorization {
    pub params: HashMap<String, String>,
    /// A sign-in made before this does not do (`prompt=login`, `max_age`, another user's hint).
    pub signed_in_after: Option<i64>,
    /// The user allowed the app on the consent page for this very request.
    pub consented: bool,
}

/// Where the browser goes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// To the app's registered address, with a code or an error.
    ToApp {
        app_name: String,
        url: String,
    },
    /// To the sign-in page, which returns to [`paths::RESUME`].
    SignIn {
        login_hint: Option<String>,
    },
    /// To the terms page, which returns to [`paths::RESUME`].
    AcceptTerms,
    Consent,
}

/// The app and address the browser was last sent on to (for [`paths::CONTINUE`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finished {
    pub app_name: String,
    pub url: String,
}

/// A checked request: every error from here on goes back to the app.
struct Request<'a> {
    client: OidcClient,
    redirect_uri: &'a str,
    state: Option<&'a str>,
    scope: String,
    nonce: Option<&'a str>,
    code_challenge: Option<&'a str>,
    prompt: Vec<&'a str>,
    max_age: Option<i64>,
    id_token_hint: Option<&'a str>,
    login_hint: Option<&'a str>,
}

/// Answers the app at its redirect address (RFC 6749 4.1.2, with RFC 9207's `iss`).
pub(super) fn to_app(
    issuer: &str,
    app: &OidcClient,
    redirect_uri: &str,
    state: Option<&str>,
    answer: &[(&str, &str)],
) -> Step {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in answer {
        query.append_pair(name, value);
    }
    if let Some(state) = state {
        query.append_pair("state", state);
    }
    query.append_pair("iss", issuer);
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    Step::ToApp {
        app_name: app.name.clone(),
        url: format!("{redirect_uri}{separator}{}", query.finish()),
    }
}

/// Decides an authorization request (from the app, or resumed after sign-in or consent).
pub async fn authorize(
    state: &AppState,
    session: &Session,
    client: &Client,
    viewer: Option<&SignedIn>,
    pending: PendingAuthorization,
) -> Result<Step, AppError> {
    let issuer = issuer(state)?.to_string();
    let request = match check(state, &pending.params).await? {
        Ok(request) => request,
        Err(refusal) => {
            let answer = [
                ("error", refusal.error),
                ("error_description", refusal.description.as_str()),
            ];
            let app_state = refusal.state.as_deref();
            return Ok(to_app(
                &issuer,
                &refusal.client,
                &refusal.redirect_uri,
                app_state,
                &answer,
            ));
        }
    };
    let refuse = |error: &str, description: &str| {
        let answer = [("error", error), ("error_description", description)];
        to_app(
            &issuer,
            &request.client,
            request.redirect_uri,
            request.state,
            &answer,
        )
    };
    let prompt_none = request.prompt.contains(&"none");
    let now = state.clock.now();
    let sign_in = match viewer {
        Some(viewer) => state
            .store
            .session(&viewer.handle)
            .await?
            .map(|row| (viewer, row)),
        None => None,
    };
    let stale = match &sign_in {
        Some((viewer, row)) => match stale(state, &request, &pending, row, viewer.user_id, &issuer).await {
            Ok(stale) => stale,
            Err(problem) => return Ok(refuse("invalid_request", problem)),
        },
        None => false,
    };
    let (viewer, row) = match sign_in {
        Some(sign_in) if !stale => sign_in,
        sign_in => {
            if prompt_none {
                return Ok(refuse("login_required", "the user must sign in"));
            }
            if sign_in.is_some() {
                sessions::sign_out(state, session, client).await?;
            }
            let login_hint = request.login_hint.map(str::to_string);
            let waiting = PendingAuthorization {
                signed_in_after: Some(pending.signed_in_after.unwrap_or(now)),
                ..pending
            };
            session.insert(PENDING_KEY, waiting).await?;
            return Ok(Step::SignIn { login_hint });
        }
    };
    if !admitted(state, &request.client, viewer.user_id, client, now).await? {
        forget(session).await?;
        return Ok(refuse(
            "access_denied",
            "the user is not in a group this app admits",
        ));
    }
    if crate::server::flows::terms::must_accept(state, viewer.user_id).await? {
        if prompt_none {
            return Ok(refuse(
                "interaction_required",
                "the user must accept the site's terms",
            ));
        }
        session.insert(PENDING_KEY, pending.clone()).await?;
        return Ok(Step::AcceptTerms);
    }
    if !pending.consented && consent_needed(state, &request, viewer.user_id).await? {
        if prompt_none {
            return Ok(refuse("consent_required", "the user has not allowed this app"));
        }
        session.insert(PENDING_KEY, pending.clone()).await?;
        return Ok(Step::Consent);
    }
    let code = issue_code(state, &request, viewer.user_id, &row, client, now).await?;
    forget(session).await?;
    Ok(to_app(
        &issuer,
        &request.client,
        request.redirect_uri,
        request.state,
        &[("code", &code)],
    ))
}

/// Whether this browser's sign-in does not answer the request: `prompt=login`, a `max_age` it is
/// older than, or an `id_token_hint` naming someone else. Once the user signed in for this request
/// (`signed_in_after`), that sign-in answers all three: asking again would never end. `Err`: the
/// hint is not an ID token of ours.
async fn stale(
    state: &AppState,
    request: &Request<'_>,
    pending: &PendingAuthorization,
    sign_in: &SessionRow,
    user_id: i64,
    issuer: &str,
) -> Result<bool, &'static str> {
    if let Some(after) = pending.signed_in_after {
        return Ok(sign_in.signed_in_at < after);
    }
    let too_old = request
        .max_age
        .is_some_and(|max_age| state.clock.now() - sign_in.signed_in_at > max_age);
    if request.prompt.contains(&"login") || too_old {
        return Ok(true);
    }
    match request.id_token_hint {
        Some(hint) => match super::signing::verify_own::<UserClaims>(state, hint, issuer).await {
            Some(hinted) => Ok(hinted.sub != subject(state, user_id)),
            None => Err("id_token_hint is not an ID token this provider issued"),
        },
        None => Ok(false),
    }
}

/// Whether a client restricted to groups admits the user; a refusal is recorded.
async fn admitted(
    state: &AppState,
    app: &OidcClient,
    user_id: i64,
    client: &Client,
    now: i64,
) -> Result<bool, AppError> {
    if app.allowed_groups.is_empty() {
        return Ok(true);
    }
    let groups = state.store.groups_of(user_id).await?;
    if groups.iter().any(|group| app.allowed_groups.contains(group)) {
        return Ok(true);
    }
    let entry = AuditEntry {
        detail: Some(&app.client_id),
        ..AuditEntry::new(
            EventKind::OidcAccessDenied,
            Outcome::Failure,
            Some(user_id),
            Some(client),
            now,
        )
    };
    state.store.record_event(entry).await?;
    Ok(false)
}

/// Whether the user is asked: a client whose consent is explicit, and a scope the user has not
/// allowed it yet, or `prompt=consent`.
async fn consent_needed(state: &AppState, request: &Request<'_>, user_id: i64) -> Result<bool, AppError> {
    if request.client.consent == Consent::Implicit {
        return Ok(false);
    }
    let granted = state.store.oidc_grant(user_id, &request.client.client_id).await?;
    let covered = granted
        .as_deref()
        .is_some_and(|granted| request.scope.split(' ').all(|scope| scope_has(granted, scope)));
    Ok(!covered || request.prompt.contains(&"consent"))
}

/// Records what the user allowed the app, and a code for it (60 s, single use), bound to the
/// request and to how the user signed in.
async fn issue_code(
    state: &AppState,
    request: &Request<'_>,
    user_id: i64,
    sign_in: &SessionRow,
    client: &Client,
    now: i64,
) -> Result<String, AppError> {
    let grant = GrantChange {
        user_id,
        client_id: &request.client.client_id,
        scope: Some(&request.scope),
        client,
        now,
    };
    state.store.change_oidc_grant(grant).await?;
    let code = random_secret();
    let stored = OidcCode {
        code_hash: secret_hash(state, CODE_PURPOSE, &code),
        client_id: request.client.client_id.clone(),
        user_id,
        redirect_uri: request.redirect_uri.to_string(),
        scope: request.scope.clone(),
        nonce: request.nonce.map(str::to_string),
        code_challenge: request.code_challenge.map(str::to_string),
        auth_time: sign_in.signed_in_at,
        amr: sign_in.amr.clone(),
        family: random_secret(),
        expires_at: now + CODE_TTL_SECS,
    };
    state.store.issue_oidc_code(&stored).await?;
    Ok(code)
}

/// A fault answered at the app's (registered) address.
struct Refusal {
    client: OidcClient,
    redirect_uri: String,
    state: Option<String>,
    error: &'static str,
    description: String,
}

/// Checks the request. An unknown client or an unregistered redirect address is the user's error
/// page (`Err(UnknownApp)`), never a redirect; every other fault goes back to the app.
async fn check<'a>(
    state: &AppState,
    params: &'a HashMap<String, String>,
) -> Result<Result<Request<'a>, Refusal>, AppError> {
    let param = |name: &str| {
        params
            .get(name)
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    };
    let client_id = param("client_id").ok_or(AppError::UnknownApp)?;
    let client = registered(state, client_id).await?.ok_or(AppError::UnknownApp)?;
    let redirect_uri = param("redirect_uri").ok_or(AppError::UnknownApp)?;
    if !redirect_uri_registered(&client, redirect_uri) {
        return Err(AppError::UnknownApp);
    }
    let app_state = param("state");
    let refusal = |error: &'static str, description: &str| {
        Ok(Err(Refusal {
            client: client.clone(),
            redirect_uri: redirect_uri.to_string(),
            state: app_state
                .filter(|value| value.len() <= MAX_VALUE_LEN)
                .map(str::to_string),
            error,
            description: description.to_string(),
        }))
    };
    if let Some(too_long) = params.iter().find(|(_, value)| value.len() > MAX_VALUE_LEN) {
        return refusal("invalid_request", &format!("{} is too long", too_long.0));
    }
    if let Some(unreadable) = params
        .iter()
        .find(|(_, value)| value.chars().any(char::is_control))
    {
        return refusal(
            "invalid_request",
            &format!("{} has control characters", unreadable.0),
        );
    }
    for (name, error) in [
        ("request", "request_not_supported"),
        ("request_uri", "request_uri_not_supported"),
        ("registration", "registration_not_supported"),
    ] {
        if param(name).is_some() {
            return refusal(error, &format!("the {name} parameter is not supported"));
        }
    }
    if param("response_type") != Some("code") {
        return refusal(
            "unsupported_response_type",
            "only the code flow (response_type=code) is supported",
        );
    }
    if param("response_mode").is_some_and(|mode| mode != "query") {
        return refusal("invalid_request", "only response_mode=query is supported");
    }
    let asked: Vec<&str> = param("scope").unwrap_or_default().split(' ').collect();
    if !asked.contains(&"openid") {
        return refusal("invalid_scope", "the openid scope is required");
    }
    let scope = SCOPES
        .iter()
        .filter(|known| asked.contains(known))
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let code_challenge = param("code_challenge");
    match (code_challenge, param("code_challenge_method")) {
        (Some(_), Some("S256")) => {}
        (Some(_), _) => return refusal("invalid_request", "PKCE must use code_challenge_method=S256"),
        (None, _) if !client.pkce_optional => {
            return refusal("invalid_request", "PKCE (code_challenge with S256) is required");
        }
        (None, _) => {}
    }
    let prompt: Vec<&str> = param("prompt")
        .unwrap_or_default()
        .split(' ')
        .filter(|p| !p.is_empty())
        .collect();
    if prompt.contains(&"none") && prompt.len() > 1 {
        return refusal(
            "invalid_request",
            "prompt=none cannot be combined with other values",
        );
    }
    let max_age = match param("max_age").map(str::parse::<i64>) {
        None => None,
        Some(Ok(seconds)) if seconds >= 0 => Some(seconds),
        Some(_) => return refusal("invalid_request", "max_age must be a whole number of seconds"),
    };
    Ok(Ok(Request {
        client,
        redirect_uri,
        state: app_state,
        scope,
        nonce: param("nonce"),
        code_challenge,
        prompt,
        max_age,
        id_token_hint: param("id_token_hint"),
        login_hint: param("login_hint"),
    }))
}

/// The request that waits in this browser, taken up after the sign-in.
pub async fn resume(
    state: &AppState,
    session: &Session,
    client: &Client,
    viewer: Option<&SignedIn>,
) -> Result<Step, AppError> {
    let pending = waiting(session).await?;
    authorize(state, session, client, viewer, pending).await
}

pub(super) async fn waiting(session: &Session) -> Result<PendingAuthorization, AppError> {
    session
        .get::<PendingAuthorization>(PENDING_KEY)
        .await?
        .ok_or(AppError::NoAppSignInWaiting)
}

pub(super) async fn forget(session: &Session) -> Result<(), AppError> {
    session.remove::<PendingAuthorization>(PENDING_KEY).await?;
    Ok(())
}

/// Where a browser that came through a form goes on to the app: browsers refuse to follow a form's
/// redirect to another site that the page's `form-action` does not list, so the last step is a
/// page of ours that moves on by itself ([`paths::CONTINUE`]).
pub async fn finish_through_page(
    session: &Session,
    app_name: String,
    url: String,
) -> Result<&'static str, AppError> {
    session.insert(FINISHED_KEY, Finished { app_name, url }).await?;
    Ok(paths::CONTINUE)
}

/// The address the continue page sends the browser on to, once: shown again (the back button),
/// the page would hand the app a used code, and the app's replay would revoke the sign-in.
pub async fn finished(session: &Session) -> Result<Finished, AppError> {
    session
        .remove::<Finished>(FINISHED_KEY)
        .await?
        .ok_or(AppError::NoAppSignInWaiting)
}
