//! The user's side: a browser without JavaScript signs in (with its second factor), answers the
//! consent page, moves on through the continue page, sees and withdraws its apps, and signs out
//! from an app.

use openidconnect::{OAuth2TokenResponse, TokenResponse};
use reqwest::StatusCode;

use super::{
    access_token, answer, app, code_of, exchange, provider, query_of, register, relying_party, sign_in_at,
    signed_in, start, userinfo, AFTER_LOGOUT,
};
use crate::{
    support::{location, verified_user, Browser, PASSWORD},
    two_factor::{current_code, enrol},
};

/// Where the continue page sends the browser (its link, the same as its refresh).
pub(crate) fn continue_target(page: &str) -> String {
    let refresh = page
        .split("content=\"0;url=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page moves on by itself");
    let link = page
        .split("<a href=\"")
        .find(|part| part.starts_with("https://app.example.test/"))
        .and_then(|part| part.split('"').next())
        .expect("and links there");
    assert_eq!(refresh, link);
    link.replace("&amp;", "&")
}

/// The browser follows the way back to the app after a form: resume, then the continue page.
async fn back_to_app(
    browser: &Browser,
    from: &reqwest::Response,
) -> std::collections::HashMap<String, String> {
    assert_eq!(location(from), "/oidc/resume");
    let resumed = browser.get("/oidc/resume").await;
    assert_eq!(location(&resumed), "/oidc/continue");
    query_of(&continue_target(&browser.page("/oidc/continue").await))
}

#[tokio::test]
async fn a_signed_out_user_signs_in_and_goes_back_to_the_app_without_javascript() {
    let f = provider().await;
    let secret = register(&f, app()).await.unwrap();
    let rp = relying_party(&f, "app", Some(&secret)).await;
    let browser = verified_user(&f, "alice").await;
    let started = start(&rp, &["email"], &[("login_hint", "alice")]);
    let response = browser.client.get(&started.url).send().await.unwrap();
    assert_eq!(location(&response), "/login?rd=%2Foidc%2Fresume&login_hint=alice");
    let form = browser.page("/login?rd=%2Foidc%2Fresume&login_hint=alice").await;
    assert!(
        form.contains(r#"name="identifier""#) && form.contains(r#"value="alice""#),
        "the hint fills the form"
    );
    let login = super::log_in_for_app(&browser, "alice").await;
    let answered = back_to_app(&browser, &login).await;
    let tokens = exchange(&rp, code_of(&f, &answered, &started), started.verifier).await;
    let claims = tokens
        .id_token()
        .unwrap()
        .claims(&rp.id_token_verifier(), &started.nonce)
        .unwrap();
    assert_eq!(claims.email().unwrap().as_str(), "alice@example.test");
    assert_eq!(
        browser.get("/oidc/resume").await.status(),
        StatusCode::NOT_FOUND,
        "nothing waits any more"
    );
    let again = browser.get("/oidc/continue").await.text().await.unwrap();
    assert!(
        !again.contains("code="),
        "the continue page hands a code on once (the back button)"
    );
}

#[tokio::test]
async fn a_user_with_two_factor_passes_the_second_step_and_the_app_is_told_so() {
    let f = provider().await;
    let secret = register(&f, app()).await.unwrap();
    let rp = relying_party(&f, "app", Some(&secret)).await;
    let enrolled = enrol(&f, "alice").await;
    let browser = &enrolled.browser;
    browser.post_form("/api/logout", "/dashboard", &[]).await;
    let started = start(&rp, &[], &[]);
    let response = browser.client.get(&started.url).send().await.unwrap();
    assert_eq!(location(&response), "/login?rd=%2Foidc%2Fresume");
    let login = super::log_in_for_app(browser, "alice").await;
    assert_eq!(location(&login), "/login/verify?next=%2Foidc%2Fresume");
    let step = browser
        .post_form(
            "/api/second_step",
            "/login/verify",
            &[("code", &current_code(&f, &enrolled)), ("next", "/oidc/resume")],
        )
        .await;
    let answered = back_to_app(browser, &step).await;
    let tokens = exchange(&rp, code_of(&f, &answered, &started), started.verifier).await;
    let claims = tokens
        .id_token()
        .unwrap()
        .claims(&rp.id_token_verifier(), &started.nonce)
        .unwrap();
    let amr: Vec<&str> = claims
        .auth_method_refs()
        .unwrap()
        .iter()
        .map(|amr| amr.as_str())
        .collect();
    assert_eq!(amr, ["pwd", "otp", "mfa"]);
    assert_eq!(
        claims.auth_context_ref().unwrap().as_str(),
        "urn:gatehouse:acr:mfa"
    );
}

#[tokio::test]
async fn explicit_consent_is_asked_once_denying_answers_access_denied_and_prompt_consent_asks_again() {
    let f = provider().await;
    let explicit = super::clients_request("wiki", "The Wiki", "explicit");
    let secret = register(&f, explicit).await.unwrap();
    let rp = relying_party(&f, "wiki", Some(&secret)).await;
    let browser = signed_in(&f, "alice").await;
    let started = start(&rp, &["email"], &[]);
    let response = browser.client.get(&started.url).send().await.unwrap();
    assert_eq!(location(&response), "/oidc/consent");
    let page = browser.page("/oidc/consent").await;
    assert!(page.contains("Allow The Wiki to sign you in?"), "{page}");
    assert!(page.contains("your email address, alice@example.test"), "{page}");
    let denied = browser
        .post_form("/api/answer_consent", "/oidc/consent", &[("allow", "no")])
        .await;
    assert_eq!(location(&denied), "/oidc/continue");
    let answered = query_of(&continue_target(&browser.page("/oidc/continue").await));
    assert_eq!(answered["error"], "access_denied");
    assert_eq!(answered["state"], *started.state.secret());

    let started = start(&rp, &["email"], &[]);
    assert_eq!(
        location(&browser.client.get(&started.url).send().await.unwrap()),
        "/oidc/consent"
    );
    let allowed = browser
        .post_form("/api/answer_consent", "/oidc/consent", &[("allow", "yes")])
        .await;
    assert_eq!(location(&allowed), "/oidc/continue");
    let answered = query_of(&continue_target(&browser.page("/oidc/continue").await));
    exchange(&rp, code_of(&f, &answered, &started), started.verifier).await;

    let started = start(&rp, &["email"], &[]);
    code_of(&f, &answer(&browser, &started.url).await, &started);
    let started = start(&rp, &["email", "groups"], &[]);
    let response = browser.client.get(&started.url).send().await.unwrap();
    assert_eq!(
        location(&response),
        "/oidc/consent",
        "a scope not allowed yet is asked for"
    );
    let started = start(&rp, &["email"], &[("prompt", "consent")]);
    let response = browser.client.get(&started.url).send().await.unwrap();
    assert_eq!(location(&response), "/oidc/consent");
    let started = start(&rp, &["email", "groups"], &[("prompt", "none")]);
    assert_eq!(answer(&browser, &started.url).await["error"], "consent_required");
    assert_eq!(
        super::app_events(&f, "wiki").await,
        ["oidc_client_added", "oidc_app_allowed"]
    );
}

#[tokio::test]
async fn the_account_page_lists_the_apps_and_withdrawing_one_ends_its_tokens_at_once() {
    let (f, _, rp, browser) = super::ready("alice").await;
    let (tokens, _) = sign_in_at(&f, &rp, &browser, &["email", "offline_access"]).await;
    let page = browser.page("/account").await;
    assert!(
        page.contains("The App") && page.contains("openid, email, offline_access"),
        "{page}"
    );
    let withdrawn = browser
        .post_form("/api/withdraw_app", "/account", &[("client_id", "app")])
        .await;
    assert_eq!(location(&withdrawn), "/account?app_withdrawn=1");
    assert_eq!(
        userinfo(&f, &access_token(&tokens)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let refresh = rp
        .exchange_refresh_token(tokens.refresh_token().unwrap())
        .unwrap()
        .request_async(&super::http())
        .await;
    assert!(refresh.is_err());
    assert!(browser.page("/account").await.contains("No app signs you in"));
    assert_eq!(
        super::app_events(&f, "app").await,
        ["oidc_client_added", "oidc_app_allowed", "oidc_app_revoked"]
    );
}

#[tokio::test]
async fn signing_out_from_the_app_ends_the_sign_in_and_returns_to_a_registered_address_only() {
    let (f, _, rp, browser) = super::ready("alice").await;
    let (tokens, _) = sign_in_at(&f, &rp, &browser, &[]).await;
    let hint = tokens.id_token().unwrap().to_string();
    let logout = |query: String| {
        let browser = browser.clone();
        async move { browser.get(&format!("/oidc/logout?{query}")).await }
    };
    let unregistered = logout(format!(
        "id_token_hint={hint}&post_logout_redirect_uri={}",
        super::basic_op::urlencoding("https://evil.example/")
    ))
    .await;
    assert_eq!(unregistered.status(), StatusCode::BAD_REQUEST);
    assert!(location(&unregistered).is_empty());
    let without_hint = logout(format!(
        "post_logout_redirect_uri={}&client_id=app&state=bye-0",
        super::basic_op::urlencoding(AFTER_LOGOUT)
    ))
    .await;
    assert_eq!(
        location(&without_hint),
        "/oidc/logout/confirm",
        "no hint: the user is asked"
    );
    assert!(browser
        .page("/oidc/logout/confirm")
        .await
        .contains("An app asked to sign you out."));
    assert_eq!(
        browser.get("/dashboard").await.status(),
        StatusCode::OK,
        "still signed in"
    );
    let confirmed = browser
        .post_form("/api/confirm_app_logout", "/oidc/logout/confirm", &[])
        .await;
    assert_eq!(location(&confirmed), "/oidc/continue");
    let onward = continue_target(&browser.page("/oidc/continue").await);
    assert_eq!(onward, format!("{AFTER_LOGOUT}?state=bye-0"));
    assert_eq!(
        location(&browser.get("/dashboard").await),
        "/login?next=/dashboard",
        "signed out"
    );

    assert_eq!(location(&browser.login("alice", PASSWORD).await), "/dashboard");
    let out = logout(format!(
        "id_token_hint={hint}&post_logout_redirect_uri={}&state=bye-1",
        super::basic_op::urlencoding(AFTER_LOGOUT)
    ))
    .await;
    assert_eq!(location(&out), format!("{AFTER_LOGOUT}?state=bye-1"));
    assert_eq!(
        location(&browser.get("/dashboard").await),
        "/login?next=/dashboard",
        "signed out"
    );
}
