//! The apps' servers' side of the provider: the token endpoint (a code, or a refresh token, for
//! tokens), userinfo and revocation. Each call is limited per address and per client id before
//! anything is checked; every failure is an RFC 6749 / 6750 error.

use super::{
    authorize::CODE_PURPOSE,
    claims::{self, IdToken, UserClaims},
    clients::secret_matches,
    internal_error, issuer, random_secret, secret_hash, signing, OidcError,
};
use crate::server::{
    audit::RefusalKind,
    client::Client,
    domain::{
        CodeExchange, CodeRedemption, LimitCheck, LimitRequest, MintedTokens, OidcClient, RefreshOutcome,
        TokenRefresh,
    },
    state::AppState,
    throttle::bucket,
};

const TOKEN_PURPOSE: &str = "oidc token";

/// How a caller said who it is: `client_secret_basic`, `client_secret_post`, or a public client's
/// bare `client_id` (`none`).
#[derive(Debug, Clone, Default)]
pub struct ClientCredentials {
    pub client_id: Option<String>,
    pub secret: Option<String>,
    /// The credentials came in the `Authorization` header (the error then asks for it again).
    pub basic: bool,
}

/// A token endpoint request's form fields.
#[derive(Debug, Clone, Default)]
pub struct TokenRequest {
    pub grant_type: String,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub refresh_token: Option<String>,
}

/// The token endpoint's answer (RFC 6749 5.1, OpenID Connect Core 3.1.3.3).
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub id_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub scope: String,
}

/// Counts the call against the caller's address and the client id it names.
async fn take_limits(state: &AppState, client: &Client, client_id: Option<&str>) -> Result<(), OidcError> {
    let settings = &state.settings;
    let mut checks = vec![LimitCheck {
        bucket: bucket::app_requests(&client.limit_key()),
        limit: settings.oidc_requests_per_ip,
    }];
    // An id no client could have is counted against the address alone (and then refused).
    if let Some(client_id) = client_id.filter(|client_id| super::clients::is_client_id(client_id)) {
        checks.push(LimitCheck {
            bucket: bucket::app_client_requests(client_id),
            limit: settings.oidc_requests_per_client,
        });
    }
    let now = state.clock.now();
    let request = LimitRequest {
        now,
        checks: &checks,
        proof_gate: None,
    };
    match state.store.take_limits(request).await.map_err(internal_error)? {
        Ok(()) => Ok(()),
        Err(refusal) => {
            Err(super::super::refused(state, client, RefusalKind::AppRequest, refusal, now).into())
        }
    }
}

/// The client the credentials prove, or `invalid_client`.
async fn authenticate(state: &AppState, credentials: &ClientCredentials) -> Result<OidcClient, OidcError> {
    let invalid = || OidcError::new("invalid_client", "client authentication failed");
    let client_id = credentials.client_id.as_deref().ok_or_else(invalid)?;
    let client = super::clients::registered(state, client_id)
        .await?
        .ok_or_else(invalid)?;
    let proven = match (&credentials.secret, client.is_public()) {
        (Some(secret), false) => secret_matches(state, &client, secret),
        (None, true) => true,
        _ => false,
    };
    proven.then_some(client).ok_or_else(invalid)
}

pub async fn token(
    state: &AppState,
    client: &Client,
    credentials: &ClientCredentials,
    request: &TokenRequest,
) -> Result<TokenResponse, OidcError> {
    let issuer = issuer(state)?.to_string();
    take_limits(state, client, credentials.client_id.as_deref()).await?;
    let app = authenticate(state, credentials).await?;
    let now = state.clock.now();
    let access_token = random_secret();
    let refresh_token = random_secret();
    let access_hash = secret_hash(state, TOKEN_PURPOSE, &access_token);
    let refresh_hash = secret_hash(state, TOKEN_PURPOSE, &refresh_token);
    let lifetime = state.settings.oidc_token_secs.signed();
    let tokens = MintedTokens {
        access_hash: &access_hash,
        access_expires_at: now + lifetime,
        refresh_hash: &refresh_hash,
        refresh_expires_at: now + state.settings.oidc_refresh_token_secs.signed(),
    };
    let invalid_grant = |why: &str| OidcError::new("invalid_grant", why);
    let (user_id, scope, auth_time, amr, nonce, refreshed) = match request.grant_type.as_str() {
        "authorization_code" => {
            let code = request
                .code
                .as_deref()
                .ok_or_else(|| OidcError::new("invalid_request", "code is missing"))?;
            let code_hash = secret_hash(state, CODE_PURPOSE, code);
            let exchange = CodeExchange {
                code_hash: &code_hash,
                client_id: &app.client_id,
                redirect_uri: request.redirect_uri.as_deref().unwrap_or_default(),
                code_verifier: request.code_verifier.as_deref(),
                tokens,
                now,
            };
            match state
                .store
                .redeem_oidc_code(exchange, client)
                .await
                .map_err(internal_error)?
            {
                CodeRedemption::Redeemed { code, refresh } => (
                    code.user_id,
                    code.scope,
                    code.auth_time,
                    code.amr,
                    code.nonce,
                    refresh,
                ),
                CodeRedemption::Refused => {
                    return Err(invalid_grant(
                        "the code is unknown, expired, used, or does not match this request",
                    ))
                }
                CodeRedemption::Replayed { .. } => {
                    return Err(invalid_grant(
                        "the code was used before; what it gave was revoked",
                    ))
                }
            }
        }
        "refresh_token" => {
            let presented = request
                .refresh_token
                .as_deref()
                .ok_or_else(|| OidcError::new("invalid_request", "refresh_token is missing"))?;
            let presented_hash = secret_hash(state, TOKEN_PURPOSE, presented);
            let refresh = TokenRefresh {
                refresh_hash: &presented_hash,
                client_id: &app.client_id,
                tokens,
                now,
            };
            match state
                .store
                .refresh_oidc_tokens(refresh, client)
                .await
                .map_err(internal_error)?
            {
                RefreshOutcome::Refreshed(token) => {
                    (token.user_id, token.scope, token.auth_time, token.amr, None, true)
                }
                RefreshOutcome::Refused => {
                    return Err(invalid_grant("the refresh token is unknown or expired"))
                }
                RefreshOutcome::Replayed { .. } => {
                    return Err(invalid_grant(
                        "the refresh token was used before; its tokens were revoked",
                    ))
                }
            }
        }
        "" => return Err(OidcError::new("invalid_request", "grant_type is missing")),
        _ => {
            return Err(OidcError::new(
                "unsupported_grant_type",
                "only authorization_code and refresh_token are supported",
            ))
        }
    };
    let user = claims::user_claims(state, user_id, &scope)
        .await?
        .ok_or_else(|| invalid_grant("the account is gone"))?;
    let id_token = IdToken {
        iss: issuer,
        aud: app.client_id.clone(),
        azp: app.client_id.clone(),
        exp: now + lifetime,
        iat: now,
        auth_time,
        nonce,
        amr: claims::amr_values(&amr),
        acr: claims::acr(&amr).to_string(),
        user,
    };
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: lifetime,
        id_token: signing::sign(state, &id_token).await?,
        refresh_token: refreshed.then_some(refresh_token),
        scope,
    })
}

/// The claims an access token's scope allows; `invalid_token` for anything but a live one.
pub async fn userinfo(
    state: &AppState,
    client: &Client,
    access_token: Option<&str>,
) -> Result<UserClaims, OidcError> {
    issuer(state)?;
    take_limits(state, client, None).await?;
    let invalid = || OidcError::new("invalid_token", "the access token is missing, unknown or expired");
    let access_token = access_token.ok_or_else(invalid)?;
    let token_hash = secret_hash(state, TOKEN_PURPOSE, access_token);
    let token = state
        .store
        .oidc_access_token(&token_hash, state.clock.now())
        .await
        .map_err(internal_error)?
        .ok_or_else(invalid)?;
    claims::user_claims(state, token.user_id, &token.scope)
        .await?
        .ok_or_else(invalid)
}

/// RFC 7009: the client's token ends (with its family); an unknown token is no error.
pub async fn revoke(
    state: &AppState,
    client: &Client,
    credentials: &ClientCredentials,
    token: Option<&str>,
) -> Result<(), OidcError> {
    issuer(state)?;
    take_limits(state, client, credentials.client_id.as_deref()).await?;
    let app = authenticate(state, credentials).await?;
    let token = token.ok_or_else(|| OidcError::new("invalid_request", "token is missing"))?;
    let token_hash = secret_hash(state, TOKEN_PURPOSE, token);
    state
        .store
        .revoke_oidc_token(&token_hash, &app.client_id)
        .await
        .map_err(internal_error)
}
