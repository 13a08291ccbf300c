//! The terms: a registration ticks "I accept the terms"; the version and time are stored and
//! exported; a user who accepted another version accepts the one in force before the dashboard
//! or any app behind forward-auth.

use gatehouse::{
    error::AppError,
    server::registration_policy::{TermsUrl, TermsVersion},
};
use reqwest::StatusCode;

use crate::{
    forward_auth::{ask, protected, Asking, Dialect},
    support::{fixture, location, settings, Browser, Fixture, TestApp, PASSWORD},
};

fn with_terms(settings: &mut gatehouse::server::config::Settings, version: &str) {
    settings.terms_url = Some(TermsUrl("https://example.test/terms".into()));
    settings.terms_version = TermsVersion(version.into());
}

async fn register(browser: &Browser, username: &str, accept: bool) -> (StatusCode, Option<AppError>) {
    let email = format!("{username}@example.test");
    let mut fields = vec![
        ("username", username),
        ("email", email.as_str()),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ];
    if accept {
        fields.push(("accept_terms", "on"));
    }
    browser.call_for_error("/api/register", &fields).await
}

#[tokio::test]
async fn a_registration_accepts_the_terms_and_its_acceptance_is_kept_and_exported() {
    let f = fixture(|settings| with_terms(settings, "2026-12")).await;
    let browser = f.app.browser();
    let page = browser.page("/register").await;
    assert!(page.contains("name=\"accept_terms\"") && page.contains("https://example.test/terms"));

    let (status, error) = register(&browser, "mia", false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error, Some(AppError::TermsNotAccepted));
    assert_eq!(f.db.number("select count(*) from users").await, 0);

    assert_eq!(register(&browser, "mia", true).await, (StatusCode::OK, None));
    let code = f.sink.wait_for_code("mia@example.test", 1).await;
    assert_eq!(location(&browser.verify(&code).await), "/login?verified=1");
    assert_eq!(location(&browser.login("mia", PASSWORD).await), "/dashboard");
    let accepted_at =
        f.db.number("select terms_accepted_at from users where username = 'mia'")
            .await;
    assert_eq!(accepted_at, f.app.state.clock.now());
    let export: serde_json::Value =
        serde_json::from_str(&browser.get("/account/export").await.text().await.unwrap()).unwrap();
    assert_eq!(export["terms_version"], "2026-12");
    assert_eq!(export["terms_accepted_at"], accepted_at);
}

/// A user who accepted `2026-12`, signed in to a portal whose terms are now `2027-01`.
async fn with_new_terms(f: &Fixture) -> (TestApp, Browser) {
    let mut settings = settings(&f.dir, &f.sink.url(), f.database_url.clone());
    settings.access_rules = f.app.state.settings.access_rules.clone();
    with_terms(&mut settings, "2027-01");
    let app = TestApp::start(settings, f.clock.clone()).await;
    let browser = app.browser();
    assert_eq!(location(&browser.login("mia", PASSWORD).await), "/dashboard");
    (app, browser)
}

#[tokio::test]
async fn new_terms_are_accepted_before_the_dashboard() {
    let f = fixture(|settings| with_terms(settings, "2026-12")).await;
    let browser = f.app.browser();
    assert_eq!(register(&browser, "mia", true).await.0, StatusCode::OK);
    let code = f.sink.wait_for_code("mia@example.test", 1).await;
    assert_eq!(location(&browser.verify(&code).await), "/login?verified=1");
    let (app, mia) = with_new_terms(&f).await;

    let dashboard = mia.get("/dashboard").await;
    assert_eq!(location(&dashboard), "/terms?next=%2Fdashboard");
    let page = mia.page("/terms?next=%2Fdashboard").await;
    assert!(
        page.contains("version 2027-01") && page.contains("name=\"accept_terms\""),
        "{page}"
    );
    let unticked = mia
        .call_for_error("/api/accept_terms", &[("next", "/dashboard")])
        .await;
    assert_eq!(unticked.0, StatusCode::UNPROCESSABLE_ENTITY);
    let accepted = mia
        .post_form(
            "/api/accept_terms",
            "/terms?next=%2Fdashboard",
            &[("accept_terms", "on"), ("next", "/dashboard")],
        )
        .await;
    assert_eq!(location(&accepted), "/dashboard");
    assert_eq!(mia.get("/dashboard").await.status(), StatusCode::OK);
    let event =
        f.db.texts("select detail from security_events where kind = 'terms_accepted'")
            .await;
    assert_eq!(event, ["2027-01"]);
    app.stop().await;
}

#[tokio::test]
async fn new_terms_are_accepted_before_any_app_behind_forward_auth() {
    let f = protected().await;
    // The portal has no terms yet: mia registers without a tick-box.
    let browser = f.app.browser();
    let (status, _) = browser.register_call("mia", "mia@example.test").await;
    assert_eq!(status, StatusCode::OK);
    let code = f.sink.wait_for_code("mia@example.test", 1).await;
    assert_eq!(location(&browser.verify(&code).await), "/login?verified=1");
    let mut settings = settings(&f.dir, &f.sink.url(), f.database_url.clone());
    settings.public_url = f.app.state.settings.public_url.clone();
    settings.access_rules = f.app.state.settings.access_rules.clone();
    with_terms(&mut settings, "2027-01");
    let app = TestApp::start(settings, f.clock.clone()).await;
    let mia = app.browser();
    assert_eq!(location(&mia.login("mia", PASSWORD).await), "/dashboard");

    let url = "http://app.test/notes";
    let page = ask(&mia, Dialect::Forwarded, "GET", url, Asking::Page).await;
    assert_eq!(page.status(), StatusCode::FOUND);
    let public = f.app.state.settings.public_url.clone().unwrap().0;
    assert_eq!(
        location(&page),
        format!("{public}/terms?next=http%3A%2F%2Fapp.test%2Fnotes")
    );
    // nginx's mode answers 401 and sends the browser to sign in; the sign-in page, seeing a
    // signed-in user, sends it on to the terms.
    let nginx = ask(&mia, Dialect::Nginx, "GET", url, Asking::Page).await;
    assert_eq!(nginx.status(), StatusCode::UNAUTHORIZED);
    let rd = mia.get("/login?rd=http%3A%2F%2Fapp.test%2Fnotes").await;
    assert_eq!(location(&rd), "/terms?next=http%3A%2F%2Fapp.test%2Fnotes");

    let accepted = mia
        .call_for_error("/api/accept_terms", &[("accept_terms", "on"), ("next", url)])
        .await;
    assert_eq!(accepted, (StatusCode::OK, None));
    let allowed = ask(&mia, Dialect::Forwarded, "GET", url, Asking::Page).await;
    assert_eq!(allowed.status(), StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn an_app_signing_in_with_openid_connect_waits_for_the_terms_too() {
    use crate::oidc::{app, provider_with, query_of, register as add_app, relying_party, start, REDIRECT};
    let f = provider_with(|settings| with_terms(settings, "2027-01")).await;
    let secret = add_app(&f, app()).await.unwrap();
    let rp = relying_party(&f, "app", Some(&secret)).await;
    let mia = f.app.browser();
    assert_eq!(register(&mia, "mia", true).await.0, StatusCode::OK);
    let code = f.sink.wait_for_code("mia@example.test", 1).await;
    assert_eq!(location(&mia.verify(&code).await), "/login?verified=1");
    assert_eq!(location(&mia.login("mia", PASSWORD).await), "/dashboard");
    // Accepted long ago: an older version.
    f.db.execute("update users set terms_version = '2026-12' where username = 'mia'")
        .await
        .unwrap();

    let silent = start(&rp, &[], &[("prompt", "none")]);
    let answer = mia.client.get(&silent.url).send().await.unwrap();
    assert!(location(&answer).starts_with(REDIRECT));
    assert_eq!(
        query_of(&location(&answer)).get("error").map(String::as_str),
        Some("interaction_required")
    );
    let started = start(&rp, &[], &[]);
    let asked = mia.client.get(&started.url).send().await.unwrap();
    assert_eq!(location(&asked), "/terms?next=%2Foidc%2Fresume");
    let accepted = mia
        .post_form(
            "/api/accept_terms",
            "/terms?next=%2Foidc%2Fresume",
            &[("accept_terms", "on"), ("next", "/oidc/resume")],
        )
        .await;
    assert_eq!(location(&accepted), "/oidc/resume");
    assert_eq!(location(&mia.get("/oidc/resume").await), "/oidc/continue");
}
