//! The ID tokens' signing keys: RS256 only, generated at first start, sealed with the server key,
//! replaced by `gatehouse keys rotate`. A retired key stays in the JWKS until every ID token it
//! signed has expired. Verifying accepts RS256 with our own published keys and nothing else, so
//! `alg=none` and a token "signed" with the public key as an HMAC secret fail by construction.

use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rsa::{pkcs1::EncodeRsaPrivateKey, traits::PublicKeyParts, RsaPrivateKey};
use serde::{de::DeserializeOwned, Serialize};

use super::{internal_error, OidcError};
use crate::{
    error::AppError,
    server::{domain::SigningKeyRow, error::internal, keys::random_token, state::AppState},
};

const SEAL_PURPOSE: &str = "oidc signing key";
const KEY_BITS: usize = 2048;

/// Makes the first signing key unless one exists (another instance may make it at the same time:
/// one of them wins, and both use it).
pub async fn ensure_key(state: &AppState) -> Result<(), AppError> {
    if current_key(state).await?.is_some() {
        return Ok(());
    }
    let key = generate(state).await?;
    state.store.add_signing_key(&key, false).await?;
    Ok(())
}

/// A new current key; the one it replaces stays published until its tokens have expired.
pub async fn rotate(state: &AppState) -> Result<String, AppError> {
    let key = generate(state).await?;
    state.store.add_signing_key(&key, true).await?;
    Ok(key.key_id)
}

async fn generate(state: &AppState) -> Result<SigningKeyRow, AppError> {
    let private = tokio::task::spawn_blocking(|| RsaPrivateKey::new(&mut rand::rngs::OsRng, KEY_BITS))
        .await
        .map_err(internal)?
        .map_err(internal)?;
    let der = private.to_pkcs1_der().map_err(internal)?;
    let key_id = random_token()[..16].to_string();
    let base64url = |bytes: Vec<u8>| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    Ok(SigningKeyRow {
        sealed_key: state
            .server_key
            .seal(SEAL_PURPOSE, key_id.as_bytes(), der.as_bytes()),
        key_id,
        modulus: base64url(private.n().to_bytes_be()),
        exponent: base64url(private.e().to_bytes_be()),
        created_at: state.clock.now(),
        retired_at: None,
    })
}

async fn current_key(state: &AppState) -> Result<Option<SigningKeyRow>, AppError> {
    let keys = state.store.signing_keys(i64::MAX).await?;
    Ok(keys.into_iter().find(|key| key.retired_at.is_none()))
}

/// Keys whose tokens may still be presented: the current one and those retired within a token's
/// lifetime.
async fn published_keys(state: &AppState) -> Result<Vec<SigningKeyRow>, AppError> {
    let since = state.clock.now() - state.settings.oidc_token_secs.signed();
    Ok(state.store.signing_keys(since).await?)
}

/// Signs `claims` as a JWT with the current key (RS256, its `kid` in the header).
pub async fn sign(state: &AppState, claims: &impl Serialize) -> Result<String, OidcError> {
    let key = current_key(state)
        .await?
        .ok_or_else(|| internal_error("no current signing key"))?;
    let der = state
        .server_key
        .open(SEAL_PURPOSE, key.key_id.as_bytes(), &key.sealed_key)
        .ok_or_else(|| internal_error("the signing key does not open with this server key"))?;
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(key.key_id);
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_rsa_der(&der)).map_err(internal_error)
}

/// The JWKS document: the public halves of the published keys.
pub async fn jwks(state: &AppState) -> Result<serde_json::Value, AppError> {
    let keys = published_keys(state).await?;
    let keys: Vec<_> = keys
        .iter()
        .map(|key| {
            serde_json::json!({
                "kty": "RSA", "use": "sig", "alg": "RS256",
                "kid": key.key_id, "n": key.modulus, "e": key.exponent,
            })
        })
        .collect();
    Ok(serde_json::json!({ "keys": keys }))
}

/// The claims of an ID token this provider signed with a key it still publishes, expired or not
/// (as `id_token_hint` brings them back); `None` for anything else.
pub async fn verify_own<T: DeserializeOwned>(state: &AppState, token: &str, issuer: &str) -> Option<T> {
    let kid = jsonwebtoken::decode_header(token).ok()?.kid?;
    let keys = published_keys(state).await.ok()?;
    let key = keys.iter().find(|key| key.key_id == kid)?;
    let decoding = DecodingKey::from_rsa_components(&key.modulus, &key.exponent).ok()?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.set_issuer(&[issuer]);
    validation.set_required_spec_claims(&["sub", "iss", "aud"]);
    let data = jsonwebtoken::decode::<T>(token, &decoding, &validation).ok()?;
    Some(data.claims)
}
