//! What an app learns about a user, per scope, in the ID token and from userinfo alike; and how
//! the sign-in was made (`amr`, RFC 8176, and `acr`).

use serde::{Deserialize, Serialize};

use crate::{
    error::AppError,
    server::{domain::scope_has, state::AppState},
};

/// `acr` of a sign-in with more than a password.
pub const ACR_MULTI_FACTOR: &str = "urn:gatehouse:acr:mfa";
/// `acr` of a sign-in with the password alone.
pub const ACR_PASSWORD: &str = "urn:gatehouse:acr:pwd";
pub const ACR_VALUES: [&str; 2] = [ACR_PASSWORD, ACR_MULTI_FACTOR];
pub const CLAIMS: [&str; 14] = [
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "amr",
    "acr",
    "azp",
    "email",
    "email_verified",
    "preferred_username",
    "groups",
];

/// The user's claims a scope allows (`sub` always).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct UserClaims {
    pub sub: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<String>>,
}

/// `None` when the account is gone.
pub async fn user_claims(
    state: &AppState,
    user_id: i64,
    scope: &str,
) -> Result<Option<UserClaims>, AppError> {
    let Some(account) = state.store.account(user_id).await? else {
        return Ok(None);
    };
    let groups = match scope_has(scope, "groups") {
        true => Some(state.store.groups_of(user_id).await?),
        false => None,
    };
    let email = scope_has(scope, "email");
    Ok(Some(UserClaims {
        sub: super::subject(state, user_id),
        email_verified: email.then_some(account.verified_at.is_some()),
        email: email.then_some(account.email),
        preferred_username: scope_has(scope, "profile").then_some(account.username),
        groups,
    }))
}

/// The ID token's claims.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdToken {
    pub iss: String,
    pub aud: String,
    pub azp: String,
    pub exp: i64,
    pub iat: i64,
    pub auth_time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    pub amr: Vec<String>,
    pub acr: String,
    #[serde(flatten)]
    pub user: UserClaims,
}

/// The stored `amr` (`pwd`, `pwd otp`, `hwk user` for a passkey, `pwd hwk user` after a password;
/// see `methods_used` in `store/sign_in.rs`) as RFC 8176 lists it: `mfa` added when there is more
/// than one method.
pub fn amr_values(amr: &str) -> Vec<String> {
    let mut values: Vec<String> = amr
        .split(' ')
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect();
    if values.len() > 1 {
        values.push("mfa".to_string());
    }
    values
}

pub fn acr(amr: &str) -> &'static str {
    match amr_values(amr).len() > 1 {
        true => ACR_MULTI_FACTOR,
        false => ACR_PASSWORD,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passkey_counts_as_two_factors() {
        assert_eq!(amr_values("pwd"), ["pwd"]);
        assert_eq!(acr("pwd"), ACR_PASSWORD);
        for passkey in ["hwk user", "swk user", "pwd hwk user"] {
            assert!(amr_values(passkey).contains(&"mfa".to_string()), "{passkey}");
            assert_eq!(acr(passkey), ACR_MULTI_FACTOR, "{passkey}");
        }
    }
}
