//! The modules of the OpenID Foundation's Basic OP certification plan that apply to the code
//! flow, each a test named after its module (`oidcc-server` is `oidcc_server`).

use openidconnect::{core::CoreUserInfoClaims, AccessToken, OAuth2TokenResponse, TokenResponse};
use reqwest::StatusCode;

use super::{
    access_token, answer, app, code_of, exchange, http, provider, register, sign_in_at, signed_in, start,
    token_call, userinfo, REDIRECT,
};
use crate::support::location;

#[tokio::test]
async fn oidcc_server() {
    let (f, _, rp, browser) = super::ready("alice").await;
    let (tokens, nonce) = sign_in_at(&f, &rp, &browser, &["email", "profile"]).await;
    let id_token = tokens.id_token().expect("an ID token");
    let claims = id_token
        .claims(&rp.id_token_verifier(), &nonce)
        .expect("the ID token verifies");
    assert_eq!(claims.issuer().as_str(), f.app.origin());
    assert_eq!(claims.audiences()[0].as_str(), "app");
    assert_eq!(
        claims.email().map(|email| email.as_str()),
        Some("alice@example.test")
    );
    assert_eq!(claims.email_verified(), Some(true));
    assert_eq!(
        claims.preferred_username().map(|name| name.as_str()),
        Some("alice")
    );
    assert_ne!(claims.subject().as_str(), "alice", "sub is not the username");
    assert!(claims.auth_time().is_some());
    let amr: Vec<&str> = claims
        .auth_method_refs()
        .unwrap()
        .iter()
        .map(|amr| amr.as_str())
        .collect();
    assert_eq!(amr, ["pwd"]);
    assert_eq!(
        claims.auth_context_ref().unwrap().as_str(),
        "urn:gatehouse:acr:pwd"
    );
    assert!(
        tokens.refresh_token().is_none(),
        "no offline_access, no refresh token"
    );
    assert!(tokens.expires_in().unwrap().as_secs() <= 600);
}

#[tokio::test]
async fn oidcc_userinfo_get_post_header_and_post_body() {
    let (f, _, rp, browser) = super::ready("alice").await;
    let (tokens, _) = sign_in_at(&f, &rp, &browser, &["email"]).await;
    let claims: CoreUserInfoClaims = rp
        .user_info(tokens.access_token().clone(), None)
        .unwrap()
        .request_async(&http())
        .await
        .expect("userinfo by GET with the bearer header");
    assert_eq!(
        claims.email().map(|email| email.as_str()),
        Some("alice@example.test")
    );
    let by_post_header = http()
        .post(format!("{}/oidc/userinfo", f.app.origin()))
        .bearer_auth(access_token(&tokens))
        .send()
        .await
        .unwrap();
    assert_eq!(by_post_header.status(), StatusCode::OK);
    let by_post_body = http()
        .post(format!("{}/oidc/userinfo", f.app.origin()))
        .form(&[("access_token", access_token(&tokens))])
        .send()
        .await
        .unwrap();
    assert_eq!(by_post_body.status(), StatusCode::OK);
    let body: serde_json::Value = by_post_body.json().await.unwrap();
    assert_eq!(body["sub"], claims.subject().as_str());
}

#[tokio::test]
async fn oidcc_scope_all_and_other_scope_order() {
    let (f, _, rp, browser) = super::ready("alice").await;
    gatehouse_group(&f, "staff", "alice").await;
    let (tokens, _) = sign_in_at(
        &f,
        &rp,
        &browser,
        &["groups", "profile", "email", "unknown-scope"],
    )
    .await;
    let (status, info) = userinfo(&f, &access_token(&tokens)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(info["preferred_username"], "alice");
    assert_eq!(info["email"], "alice@example.test");
    assert_eq!(info["groups"], serde_json::json!(["staff"]));
    assert_eq!(
        tokens.scopes().unwrap().len(),
        4,
        "unknown scopes are dropped: {:?}",
        tokens.scopes()
    );
    let (bare, _) = sign_in_at(&f, &rp, &browser, &[]).await;
    let (_, info) = userinfo(&f, &access_token(&bare)).await;
    assert!(
        info.get("email").is_none() && info.get("groups").is_none(),
        "openid alone: {info}"
    );
}

async fn gatehouse_group(f: &crate::support::Fixture, group: &str, username: &str) {
    use gatehouse::server::domain::{GroupAction, GroupChange};
    let now = gatehouse::server::clock::Clock::now(f.clock.as_ref());
    let create = GroupChange {
        action: GroupAction::Create {
            name: group,
            description: "",
        },
        actor_id: None,
        client: None,
        now,
    };
    f.app.state.store.change_groups(create).await.unwrap().unwrap();
    let user_id = f.app.state.store.user_id_of(username).await.unwrap().unwrap();
    let add = GroupChange {
        action: GroupAction::AddMember { name: group, user_id },
        ..create
    };
    f.app.state.store.change_groups(add).await.unwrap().unwrap();
}

#[tokio::test]
async fn oidcc_codereuse() {
    let (f, _, rp, browser) = super::ready("alice").await;
    let started = start(&rp, &[], &[]);
    let answer = answer(&browser, &started.url).await;
    let code = code_of(&f, &answer, &started);
    let verifier = started.verifier.secret().clone();
    exchange(&rp, code.clone(), started.verifier).await;
    let again = rp
        .exchange_code(code)
        .unwrap()
        .set_pkce_verifier(openidconnect::PkceCodeVerifier::new(verifier))
        .request_async(&http())
        .await;
    let error = format!("{:?}", again.expect_err("a code works once"));
    assert!(
        error.contains("invalid_grant") || error.contains("InvalidGrant"),
        "{error}"
    );
}

#[tokio::test]
async fn oidcc_codereuse_30seconds_revokes_what_the_code_gave() {
    let (f, _, rp, browser) = super::ready("alice").await;
    let started = start(&rp, &["offline_access"], &[]);
    let answer = answer(&browser, &started.url).await;
    let code = code_of(&f, &answer, &started);
    let verifier = started.verifier.secret().clone();
    let tokens = exchange(&rp, code.clone(), started.verifier).await;
    assert_eq!(userinfo(&f, &access_token(&tokens)).await.0, StatusCode::OK);
    f.advance(30);
    let replay = rp
        .exchange_code(code)
        .unwrap()
        .set_pkce_verifier(openidconnect::PkceCodeVerifier::new(verifier))
        .request_async(&http())
        .await;
    assert!(replay.is_err());
    assert_eq!(
        userinfo(&f, &access_token(&tokens)).await.0,
        StatusCode::UNAUTHORIZED,
        "the access token the code gave is revoked"
    );
    let refresh = rp
        .exchange_refresh_token(tokens.refresh_token().unwrap())
        .unwrap()
        .request_async(&http())
        .await;
    assert!(refresh.is_err(), "so is its refresh token");
    assert_eq!(
        super::app_events(&f, "app").await.last().unwrap(),
        "oidc_token_replayed"
    );
}

#[tokio::test]
async fn oidcc_ensure_registered_redirect_uri() {
    let f = provider().await;
    register(&f, app()).await;
    let browser = signed_in(&f, "alice").await;
    for foreign in [
        "https://evil.example/callback",
        "https://app.example.test/callback/",
        "https://app.example.test/other",
    ] {
        let url = format!(
            "{}/oidc/authorize?response_type=code&client_id=app&scope=openid&redirect_uri={}&code_challenge=x&code_challenge_method=S256",
            f.app.origin(),
            urlencoding(foreign)
        );
        let response = browser.client.get(&url).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{foreign}");
        assert!(location(&response).is_empty(), "never redirected: {foreign}");
        assert!(
            response.text().await.unwrap().contains("not registered"),
            "{foreign}"
        );
    }
}

pub(crate) fn urlencoding(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn oidcc_prompt_none_logged_in_and_not_logged_in() {
    let (f, _, rp, browser) = super::ready("alice").await;
    let started = start(&rp, &[], &[("prompt", "none")]);
    let answered = answer(&browser, &started.url).await;
    code_of(&f, &answered, &started);
    let stranger = f.app.browser();
    let started = start(&rp, &[], &[("prompt", "none")]);
    let answered = answer(&stranger, &started.url).await;
    assert_eq!(answered.get("error").map(String::as_str), Some("login_required"));
    assert_eq!(answered.get("state"), Some(started.state.secret()));
}

#[tokio::test]
async fn oidcc_prompt_login_asks_for_the_password_again() {
    let (f, _, rp, browser) = super::ready("alice").await;
    f.advance(5);
    let started = start(&rp, &[], &[("prompt", "login")]);
    let response = browser.client.get(&started.url).send().await.unwrap();
    assert_eq!(location(&response), "/login?rd=%2Foidc%2Fresume");
    let signed_again = gatehouse::server::clock::Clock::now(f.clock.as_ref());
    let login = super::log_in_for_app(&browser, "alice").await;
    assert_eq!(location(&login), "/oidc/resume");
    let resumed = browser.get("/oidc/resume").await;
    assert_eq!(location(&resumed), "/oidc/continue");
    let page = browser.page("/oidc/continue").await;
    let to = super::browser::continue_target(&page);
    let answered = super::query_of(&to);
    let tokens = exchange(&rp, code_of(&f, &answered, &started), started.verifier).await;
    let claims = tokens
        .id_token()
        .unwrap()
        .claims(&rp.id_token_verifier(), &started.nonce)
        .unwrap();
    assert_eq!(
        claims.auth_time().unwrap().timestamp(),
        signed_again,
        "auth_time is the new sign-in"
    );
}

#[tokio::test]
async fn oidcc_max_age_1_and_max_age_10000() {
    let (f, _, rp, browser) = super::ready("alice").await;
    f.advance(2);
    let started = start(&rp, &[], &[("max_age", "10000")]);
    code_of(&f, &answer(&browser, &started.url).await, &started);
    let started = start(&rp, &[], &[("max_age", "1")]);
    let response = browser.client.get(&started.url).send().await.unwrap();
    assert_eq!(
        location(&response),
        "/login?rd=%2Foidc%2Fresume",
        "the sign-in is older than max_age"
    );
}

#[tokio::test]
async fn oidcc_id_token_hint() {
    let (f, _, rp, browser) = super::ready("alice").await;
    let (tokens, _) = sign_in_at(&f, &rp, &browser, &[]).await;
    let hint = tokens.id_token().unwrap().to_string();
    let started = start(&rp, &[], &[("prompt", "none"), ("id_token_hint", &hint)]);
    code_of(&f, &answer(&browser, &started.url).await, &started);
    let bob = signed_in(&f, "bob").await;
    let started = start(&rp, &[], &[("prompt", "none"), ("id_token_hint", &hint)]);
    let answered = answer(&bob, &started.url).await;
    assert_eq!(answered["error"], "login_required", "the hint names another user");
}

#[tokio::test]
async fn oidcc_claims_essential_unknown_parameters_and_no_nonce_are_handled_cleanly() {
    let (f, _, rp, browser) = super::ready("alice").await;
    let claims = r#"{"userinfo":{"name":{"essential":true}}}"#;
    for extra in [
        [("claims", claims), ("ui_locales", "de")],
        [("extra_parameter", "ignored"), ("display", "page")],
        [("acr_values", "urn:gatehouse:acr:mfa"), ("login_hint", "alice")],
    ] {
        let started = start(&rp, &[], &extra);
        code_of(&f, &answer(&browser, &started.url).await, &started);
    }
    let url = format!(
        "{}/oidc/authorize?response_type=code&client_id=app&scope=openid&redirect_uri={}&state=s1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
        f.app.origin(),
        urlencoding(REDIRECT)
    );
    let answered = answer(&browser, &url).await;
    assert!(
        answered.contains_key("code"),
        "no nonce is fine for the code flow: {answered:?}"
    );
}

#[tokio::test]
async fn oidcc_response_type_missing_implicit_and_hybrid_are_refused() {
    let f = provider().await;
    register(&f, app()).await;
    let browser = signed_in(&f, "alice").await;
    for response_type in ["", "token", "id_token", "code id_token", "code token"] {
        let url = format!(
            "{}/oidc/authorize?response_type={}&client_id=app&scope=openid&redirect_uri={}&state=s&code_challenge=x&code_challenge_method=S256",
            f.app.origin(),
            urlencoding(response_type),
            urlencoding(REDIRECT)
        );
        let answered = answer(&browser, &url).await;
        assert_eq!(
            answered["error"], "unsupported_response_type",
            "{response_type:?}"
        );
        assert_eq!(answered["state"], "s");
    }
}

#[tokio::test]
async fn oidcc_unsigned_request_object_rejected_as_unsupported() {
    let f = provider().await;
    register(&f, app()).await;
    let browser = signed_in(&f, "alice").await;
    for (parameter, error) in [
        ("request", "request_not_supported"),
        ("request_uri", "request_uri_not_supported"),
    ] {
        let url = format!(
            "{}/oidc/authorize?response_type=code&client_id=app&scope=openid&redirect_uri={}&{parameter}=eyJhbGciOiJub25lIn0.e30.",
            f.app.origin(),
            urlencoding(REDIRECT)
        );
        assert_eq!(answer(&browser, &url).await["error"], error);
    }
}

#[tokio::test]
async fn oidcc_server_client_secret_post_and_post_request() {
    let (f, secret, rp, browser) = super::ready("alice").await;
    let started = start(&rp, &[], &[]);
    let query = started.url.split_once('?').unwrap().1.to_string();
    let posted = browser
        .client
        .post(format!("{}/oidc/authorize", f.app.origin()))
        .header(reqwest::header::ORIGIN, "https://app.example.test")
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(query)
        .send()
        .await
        .unwrap();
    assert_eq!(
        posted.status(),
        StatusCode::SEE_OTHER,
        "authorization by POST, from the app's page"
    );
    let answered = super::query_of(&location(&posted));
    let code = code_of(&f, &answered, &started);
    let (status, tokens) = token_call(
        &f,
        &[
            ("grant_type", "authorization_code"),
            ("code", code.secret()),
            ("redirect_uri", REDIRECT),
            ("code_verifier", started.verifier.secret()),
            ("client_id", "app"),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "client_secret_post: {tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    let access = AccessToken::new(tokens["access_token"].as_str().unwrap().into());
    assert_eq!(userinfo(&f, access.secret()).await.0, StatusCode::OK);
}

#[tokio::test]
async fn oidcc_refresh_token_rotates_and_a_reused_one_revokes_its_family() {
    let (f, _, rp, browser) = super::ready("alice").await;
    let (tokens, _) = sign_in_at(&f, &rp, &browser, &["offline_access", "email"]).await;
    let first = tokens
        .refresh_token()
        .expect("offline_access gives a refresh token")
        .clone();
    let refreshed = rp
        .exchange_refresh_token(&first)
        .unwrap()
        .request_async(&http())
        .await
        .expect("a refresh");
    let second = refreshed.refresh_token().expect("a new refresh token").clone();
    assert_ne!(first.secret(), second.secret());
    assert!(refreshed.id_token().is_some());
    assert_eq!(userinfo(&f, &access_token(&refreshed)).await.0, StatusCode::OK);
    let reused = rp
        .exchange_refresh_token(&first)
        .unwrap()
        .request_async(&http())
        .await;
    assert!(reused.is_err(), "a refresh token works once");
    assert_eq!(
        userinfo(&f, &access_token(&refreshed)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let after = rp
        .exchange_refresh_token(&second)
        .unwrap()
        .request_async(&http())
        .await;
    assert!(after.is_err(), "the whole family is revoked");
}
