//! What the provider refuses, and how: a wrong PKCE verifier, a request without PKCE, a user
//! outside the app's groups, a client that cannot prove itself, forged tokens, too many calls.

use base64::Engine as _;
use reqwest::StatusCode;

use super::{
    answer, app, code_of, http, provider, provider_with, register, relying_party, signed_in, start,
    token_call, userinfo, REDIRECT,
};
use crate::support::{location, per};

fn authorize_url(origin: &str, client_id: &str, extra: &str) -> String {
    format!(
        "{origin}/oidc/authorize?response_type=code&client_id={client_id}&scope=openid&state=s%20%26%3D%2Bx&redirect_uri={}{extra}",
        super::basic_op::urlencoding(REDIRECT)
    )
}

#[tokio::test]
async fn a_wrong_code_verifier_is_refused_and_burns_the_code() {
    let (f, _, rp, browser) = super::ready("alice").await;
    let started = start(&rp, &[], &[]);
    let code = code_of(&f, &answer(&browser, &started.url).await, &started);
    let wrong = openidconnect::PkceCodeVerifier::new("x".repeat(64));
    let refused = rp
        .exchange_code(code.clone())
        .unwrap()
        .set_pkce_verifier(wrong)
        .request_async(&http())
        .await;
    assert!(format!("{:?}", refused.unwrap_err()).contains("invalid_grant"));
    let late = rp
        .exchange_code(code)
        .unwrap()
        .set_pkce_verifier(started.verifier)
        .request_async(&http())
        .await;
    assert!(late.is_err(), "a code is tried once");
}

#[tokio::test]
async fn pkce_is_required_with_s256_and_never_plain_unless_the_client_is_legacy() {
    let f = provider().await;
    register(&f, app()).await;
    let legacy = super::ClientRequest {
        allow_without_pkce: true,
        ..super::clients_request("legacy", "Legacy", "implicit")
    };
    let secret = register(&f, legacy).await.unwrap();
    let browser = signed_in(&f, "alice").await;
    let origin = f.app.origin();
    for extra in [
        "",
        "&code_challenge=abc&code_challenge_method=plain",
        "&code_challenge=abc",
    ] {
        let answered = answer(&browser, &authorize_url(&origin, "app", extra)).await;
        assert_eq!(answered["error"], "invalid_request", "{extra:?}");
        assert_eq!(answered["state"], "s &=+x", "the state comes back exactly");
    }
    let answered = answer(&browser, &authorize_url(&origin, "legacy", "")).await;
    let (status, tokens) = token_call(
        &f,
        &[
            ("grant_type", "authorization_code"),
            ("code", &answered["code"]),
            ("redirect_uri", REDIRECT),
            ("client_id", "legacy"),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "a legacy client without PKCE: {tokens}");
}

#[tokio::test]
async fn a_user_outside_the_apps_groups_is_refused_with_access_denied_and_an_event() {
    let f = provider().await;
    let staff_only = super::ClientRequest {
        groups: vec!["staff".into()],
        ..app()
    };
    let secret = register(&f, staff_only).await.unwrap();
    let rp = relying_party(&f, "app", Some(&secret)).await;
    let browser = signed_in(&f, "alice").await;
    let started = start(&rp, &[], &[]);
    let answered = answer(&browser, &started.url).await;
    assert_eq!(answered["error"], "access_denied");
    assert_eq!(answered["state"], *started.state.secret());
    assert_eq!(
        super::app_events(&f, "app").await,
        ["oidc_client_added", "oidc_access_denied"]
    );
}

#[tokio::test]
async fn unknown_clients_and_clients_that_cannot_prove_themselves_are_refused() {
    let f = provider().await;
    let secret = register(&f, app()).await.unwrap();
    let public = super::ClientRequest {
        public: true,
        ..super::clients_request("spa", "The SPA", "implicit")
    };
    assert!(
        register(&f, public).await.is_none(),
        "a public client has no secret"
    );
    let browser = signed_in(&f, "alice").await;
    let response = browser
        .get("/oidc/authorize?response_type=code&client_id=nosuch&scope=openid")
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(location(&response).is_empty());

    let rp = relying_party(&f, "spa", None).await;
    let started = start(&rp, &[], &[]);
    let code = code_of(&f, &answer(&browser, &started.url).await, &started);
    super::exchange(&rp, code, started.verifier).await;

    let origin = f.app.origin();
    let refresh = [("grant_type", "refresh_token"), ("refresh_token", "x")];
    for (client_id, presented) in [
        ("app", None),
        ("app", Some("wrong")),
        ("spa", Some("anything")),
        ("nosuch", Some("x")),
    ] {
        let response = http()
            .post(format!("{origin}/oidc/token"))
            .basic_auth(client_id, presented)
            .form(&refresh)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{client_id} {presented:?}"
        );
        assert!(response.headers().contains_key("www-authenticate"));
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"], "invalid_client");
    }
    let (status, body) = token_call(
        &f,
        &[
            ("grant_type", "password"),
            ("client_id", "app"),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unsupported_grant_type"))
    );
    let both = http()
        .post(format!("{origin}/oidc/token"))
        .basic_auth("app", Some(&secret))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_secret", secret.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        both.status(),
        StatusCode::BAD_REQUEST,
        "one authentication method at a time"
    );
}

#[tokio::test]
async fn forged_tokens_are_refused_by_userinfo_and_as_hints() {
    let f = provider().await;
    register(&f, app()).await;
    let browser = signed_in(&f, "alice").await;
    let jwks = super::jwks(&f.app.origin()).await;
    let public_key = jwks["keys"][0]["n"].as_str().unwrap().to_string();
    let encode =
        |json: serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json.to_string());
    let claims = encode(serde_json::json!({
        "iss": f.app.origin(), "sub": "anyone", "aud": "app", "exp": 4_000_000_000u64, "iat": 1
    }));
    let unsigned = format!("{}.{claims}.", encode(serde_json::json!({"alg": "none"})));
    let hs256 = {
        use hmac::{Hmac, Mac};
        let kid = jwks["keys"][0]["kid"].clone();
        let header = encode(serde_json::json!({"alg": "HS256", "kid": kid}));
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(public_key.as_bytes()).unwrap();
        mac.update(format!("{header}.{claims}").as_bytes());
        let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{header}.{claims}.{signature}")
    };
    for forged in [&unsigned, &hs256] {
        assert_eq!(userinfo(&f, forged).await.0, StatusCode::UNAUTHORIZED);
        let url = authorize_url(
            &f.app.origin(),
            "app",
            &format!("&code_challenge=abc&code_challenge_method=S256&id_token_hint={forged}"),
        );
        assert_eq!(
            answer(&browser, &url).await["error"],
            "invalid_request",
            "{forged}"
        );
    }
    let (status, body) = userinfo(&f, "").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_token"))
    );
}

#[tokio::test]
async fn calls_over_the_per_client_limit_are_told_to_slow_down() {
    let f = provider_with(|settings| settings.oidc_requests_per_client = per(3, 60)).await;
    let secret = register(&f, app()).await.unwrap();
    let fields = [
        ("grant_type", "refresh_token"),
        ("refresh_token", "x"),
        ("client_id", "app"),
        ("client_secret", secret.as_str()),
    ];
    for _ in 0..3 {
        assert_eq!(token_call(&f, &fields).await.1["error"], "invalid_grant");
    }
    let (status, body) = token_call(&f, &fields).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("slow_down"))
    );
}

#[tokio::test]
async fn hostile_input_to_every_provider_endpoint_never_gets_a_5xx() {
    let f = provider().await;
    let secret = register(&f, app()).await.unwrap();
    let browser = signed_in(&f, "alice").await;
    let valid: &[(&str, &str)] = &[
        ("response_type", "code"),
        ("client_id", "app"),
        ("client_secret", &secret),
        ("redirect_uri", REDIRECT),
        ("scope", "openid email"),
        ("state", "s"),
        ("nonce", "n"),
        ("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
        ("code_challenge_method", "S256"),
        ("prompt", "none"),
        ("max_age", "60"),
        ("id_token_hint", "x.y.z"),
        ("grant_type", "authorization_code"),
        ("code", "abc"),
        ("code_verifier", "v"),
        ("refresh_token", "r"),
        ("token", "t"),
        ("access_token", "a"),
        ("post_logout_redirect_uri", super::AFTER_LOGOUT),
    ];
    let megabyte = "x".repeat(1024 * 1024);
    let mut inputs: Vec<&str> = crate::properties::HOSTILE.to_vec();
    inputs.push(&megabyte);
    for path in [
        "/oidc/authorize",
        "/oidc/token",
        "/oidc/userinfo",
        "/oidc/revoke",
        "/oidc/logout",
    ] {
        for (attacked, _) in valid {
            for hostile in &inputs {
                let fields: Vec<(&str, &str)> = valid
                    .iter()
                    .map(|&(name, value)| (name, if name == *attacked { *hostile } else { value }))
                    .collect();
                let posted = browser
                    .client
                    .post(browser.url(path))
                    .form(&fields)
                    .send()
                    .await
                    .unwrap();
                assert!(
                    posted.status().as_u16() < 500,
                    "POST {path} {attacked}={hostile:.40}: {}",
                    posted.status()
                );
                if hostile.len() < 4096 {
                    let query: String = form_urlencoded::Serializer::new(String::new())
                        .extend_pairs(&fields)
                        .finish();
                    let got = browser.get(&format!("{path}?{query}")).await;
                    assert!(
                        got.status().as_u16() < 500,
                        "GET {path} {attacked}={hostile:.40}: {}",
                        got.status()
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn an_apps_own_page_may_call_the_token_userinfo_and_key_endpoints_without_credentials() {
    let f = provider().await;
    let preflight = http()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/oidc/userinfo", f.app.origin()),
        )
        .header("origin", "https://spa.example.test")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), StatusCode::OK);
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
    assert!(preflight
        .headers()
        .get("access-control-allow-credentials")
        .is_none());
    let keys = http()
        .get(format!("{}/oidc/jwks", f.app.origin()))
        .header("origin", "https://spa.example.test")
        .send()
        .await
        .unwrap();
    assert_eq!(keys.headers()["access-control-allow-origin"], "*");
    let authorize = http()
        .get(format!("{}/oidc/authorize", f.app.origin()))
        .header("origin", "https://spa.example.test")
        .send()
        .await
        .unwrap();
    assert!(
        authorize.headers().get("access-control-allow-origin").is_none(),
        "the browser's own pages are not"
    );
}

#[tokio::test]
async fn a_code_waits_at_most_a_minute_and_an_access_token_ten() {
    let (f, _, rp, browser) = super::ready("alice").await;
    let started = start(&rp, &[], &[]);
    let code = code_of(&f, &answer(&browser, &started.url).await, &started);
    f.advance(59);
    let tokens = super::exchange(&rp, code, started.verifier).await;
    let started = start(&rp, &[], &[]);
    let late = code_of(&f, &answer(&browser, &started.url).await, &started);
    f.advance(60);
    let refused = rp
        .exchange_code(late)
        .unwrap()
        .set_pkce_verifier(started.verifier);
    assert!(
        refused.request_async(&http()).await.is_err(),
        "a code of 60 s is too old"
    );
    f.advance(600 - 60 - 1);
    assert_eq!(
        userinfo(&f, &super::access_token(&tokens)).await.0,
        StatusCode::OK
    );
    f.advance(1);
    assert_eq!(
        userinfo(&f, &super::access_token(&tokens)).await.0,
        StatusCode::UNAUTHORIZED
    );
}
