//! Passkeys with a software authenticator (`authenticator.rs`) on a site whose public address is
//! `http://localhost:<port>`: added on the security page, a sign-in with one alone and as the
//! second step after a password, and every refusal (a replayed answer, a reused or expired
//! ceremony, another site's answer, no user verification, another account's passkey).

mod authenticator;
mod refusals;

use gatehouse::{error::AppError, server::config::PublicUrl};
use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{
    app_error, cluster::free_port, fixture_on, location, verified_user, Browser, Fixture, PASSWORD,
};
pub use authenticator::Authenticator;

pub async fn passkey_site() -> Fixture {
    let port = free_port();
    fixture_on(&format!("127.0.0.1:{port}"), |settings| {
        settings.public_url = Some(PublicUrl(format!("http://localhost:{port}")));
    })
    .await
}

pub fn site_origin(f: &Fixture) -> String {
    f.app.state.settings.public_url.as_ref().unwrap().0.clone()
}

pub struct Ceremony {
    pub token: String,
    pub options: String,
}

pub async fn begin(browser: &Browser, purpose: &str) -> Result<Ceremony, (StatusCode, Option<AppError>)> {
    let response = browser.call("/api/begin_passkey", &[("purpose", purpose)]).await;
    let status = response.status();
    let body = response.text().await.unwrap();
    if status != StatusCode::OK {
        return Err((status, app_error(&body)));
    }
    let body: Value = serde_json::from_str(&body).unwrap();
    Ok(Ceremony {
        token: body["token"].as_str().unwrap().to_string(),
        options: body["options"].as_str().unwrap().to_string(),
    })
}

/// The finish call: where the browser goes next, or the refusal.
pub async fn finish(
    browser: &Browser,
    purpose: &str,
    token: &str,
    answer: &str,
    name: &str,
) -> Result<String, (StatusCode, Option<AppError>)> {
    let fields = [
        ("purpose", purpose),
        ("ceremony", token),
        ("answer", answer),
        ("name", name),
        ("next", ""),
    ];
    let response = browser.call("/api/finish_passkey", &fields).await;
    let status = response.status();
    let body = response.text().await.unwrap();
    match status {
        StatusCode::OK => Ok(serde_json::from_str(&body).unwrap()),
        _ => Err((status, app_error(&body))),
    }
}

pub async fn signed_in(f: &Fixture, username: &str) -> Browser {
    let browser = verified_user(f, username).await;
    let response = browser.login(username, PASSWORD).await;
    assert_eq!(location(&response), "/dashboard", "{username} signs in");
    browser
}

/// `username`, signed in, with one passkey ("Laptop") on `authenticator`.
pub async fn add_passkey(browser: &Browser, authenticator: &mut Authenticator, name: &str) {
    let ceremony = begin(browser, "register").await.expect("a registration begins");
    let answer = authenticator.register(&ceremony.options);
    let next = finish(browser, "register", &ceremony.token, &answer, name).await;
    assert_eq!(next.as_deref(), Ok("/account/security?passkey_added=1"));
}

pub async fn with_passkey(f: &Fixture, username: &str) -> (Browser, Authenticator) {
    let browser = signed_in(f, username).await;
    let mut authenticator = Authenticator::new(&site_origin(f));
    add_passkey(&browser, &mut authenticator, "Laptop").await;
    (browser, authenticator)
}

/// A sign-in by passkey alone, in a new browser.
pub async fn passkey_sign_in(
    f: &Fixture,
    authenticator: &mut Authenticator,
) -> (Browser, Result<String, (StatusCode, Option<AppError>)>) {
    let browser = f.app.browser();
    let ceremony = begin(&browser, "sign_in").await.expect("a sign-in begins");
    let answer = authenticator.sign_in(&ceremony.options, 0);
    let outcome = finish(&browser, "sign_in", &ceremony.token, &answer, "").await;
    (browser, outcome)
}

pub async fn session_methods(f: &Fixture, username: &str) -> Vec<String> {
    f.db.texts(&format!(
        "select s.amr from sessions s join users u on u.user_id = s.user_id
         where u.username = '{username}' order by s.signed_in_at, s.amr"
    ))
    .await
}

async fn is_signed_in(browser: &Browser) -> bool {
    browser.get("/dashboard").await.status() == StatusCode::OK
}

#[tokio::test]
async fn a_passkey_is_added_then_signs_in_alone_as_two_factors() {
    let f = passkey_site().await;
    let (browser, mut authenticator) = with_passkey(&f, "alice").await;
    let page = browser.page("/account/security").await;
    assert!(
        page.contains("Laptop") && page.contains("last used never"),
        "listed"
    );
    assert!(
        page.contains("data-testid=\"recovery-codes\""),
        "the first second factor comes with recovery codes"
    );
    let notice = f
        .sink
        .wait_for_containing("alice@example.test", "A passkey was added", 1)
        .await;
    assert!(notice.text().contains("\"Laptop\""), "the notice names it");
    let events =
        f.db.texts("select detail from security_events where kind = 'passkey_added'")
            .await;
    assert_eq!(events, ["Laptop"]);

    let (fresh, outcome) = passkey_sign_in(&f, &mut authenticator).await;
    assert_eq!(outcome.as_deref(), Ok("/dashboard"));
    assert!(is_signed_in(&fresh).await, "the passkey alone signs in");
    assert!(session_methods(&f, "alice")
        .await
        .contains(&"hwk user".to_string()));
    let page = fresh.page("/account/security").await;
    assert!(!page.contains("last used never"), "its last use is shown");
}

#[tokio::test]
async fn a_synced_passkey_is_a_software_key() {
    let f = passkey_site().await;
    let browser = signed_in(&f, "alice").await;
    let mut authenticator = Authenticator::new(&site_origin(&f));
    authenticator.synced = true;
    add_passkey(&browser, &mut authenticator, "Phone").await;
    let (_, outcome) = passkey_sign_in(&f, &mut authenticator).await;
    assert!(outcome.is_ok(), "{outcome:?}");
    assert!(session_methods(&f, "alice")
        .await
        .contains(&"swk user".to_string()));
}

#[tokio::test]
async fn after_the_password_a_passkey_is_the_second_step() {
    let f = passkey_site().await;
    let (_, mut authenticator) = with_passkey(&f, "alice").await;
    let browser = f.app.browser();
    let response = browser.login("alice", PASSWORD).await;
    assert_eq!(
        location(&response),
        "/login/verify?next=%2Fdashboard",
        "a passkey makes a second step"
    );
    assert!(!is_signed_in(&browser).await);
    let ceremony = begin(&browser, "second_step").await.unwrap();
    let answer = authenticator.sign_in(&ceremony.options, 0);
    let next = finish(&browser, "second_step", &ceremony.token, &answer, "").await;
    assert_eq!(next.as_deref(), Ok("/dashboard"));
    assert!(is_signed_in(&browser).await);
    assert!(session_methods(&f, "alice")
        .await
        .contains(&"pwd hwk user".to_string()));
}

#[tokio::test]
async fn a_recovery_code_replaces_a_lost_passkey_and_a_reset_keeps_the_passkeys() {
    let f = passkey_site().await;
    let (browser, mut authenticator) = with_passkey(&f, "alice").await;
    let page = browser.page("/account/security").await;
    let code = page
        .split("data-testid=\"recovery-codes\"")
        .nth(1)
        .and_then(|list| list.split("<code>").nth(1))
        .and_then(|code| code.split("</code>").next())
        .unwrap()
        .to_string();
    let lost = f.app.browser();
    lost.login("alice", PASSWORD).await;
    let response = lost
        .call("/api/second_step", &[("code", &code), ("next", "")])
        .await;
    assert!(
        response.status().is_success() || response.status().is_redirection(),
        "{}",
        response.status()
    );
    assert!(is_signed_in(&lost).await, "password and a recovery code");

    let reset = f.app.browser();
    reset.start_recovery("alice@example.test").await;
    reset
        .enter_recovery_code(&f.recovery_code("alice@example.test", 1).await)
        .await;
    let (_, outcome) = passkey_sign_in(&f, &mut authenticator).await;
    assert!(
        outcome.is_ok(),
        "the passkey still signs in after a reset: {outcome:?}"
    );
}

#[tokio::test]
async fn renaming_and_removing_are_events_and_notices() {
    let f = passkey_site().await;
    let (browser, mut authenticator) = with_passkey(&f, "alice").await;
    let id = f.db.number("select passkey_id from passkeys").await.to_string();
    let renamed = browser
        .call(
            "/api/rename_passkey",
            &[("passkey", &id), ("name", "Work laptop")],
        )
        .await;
    assert!(renamed.status().is_success(), "{}", renamed.status());
    f.sink
        .wait_for_containing("alice@example.test", "was renamed", 1)
        .await;
    let (status, error) = browser
        .call_for_error("/api/rename_passkey", &[("passkey", &id), ("name", " ")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error
        .unwrap()
        .field_message(gatehouse::validate::Field::PasskeyName)
        .is_some());

    let removed = browser.call("/api/remove_passkey", &[("passkey", &id)]).await;
    assert!(removed.status().is_success(), "{}", removed.status());
    f.sink
        .wait_for_containing("alice@example.test", "was removed from your", 1)
        .await;
    let kinds =
        f.db.texts("select kind from security_events where kind like 'passkey_%' order by event_id")
            .await;
    assert_eq!(kinds, ["passkey_added", "passkey_renamed", "passkey_removed"]);
    assert_eq!(
        f.db.number("select count(*) from recovery_codes").await,
        0,
        "the last second factor gone, its codes go"
    );
    let (_, outcome) = passkey_sign_in(&f, &mut authenticator).await;
    assert_eq!(outcome.unwrap_err().1, Some(AppError::PasskeyNotRecognised));
    let again = f.app.browser();
    assert_eq!(
        location(&again.login("alice", PASSWORD).await),
        "/dashboard",
        "no second step any more"
    );
    let (status, _) = browser
        .call_for_error("/api/remove_passkey", &[("passkey", &id)])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn adding_needs_a_recent_password() {
    let f = passkey_site().await;
    let browser = signed_in(&f, "alice").await;
    f.advance(601);
    let refused = begin(&browser, "register").await.err().unwrap();
    assert_eq!(refused.1, Some(AppError::ReauthenticationRequired));
    let anonymous = f.app.browser();
    let refused = begin(&anonymous, "register").await.err().unwrap();
    assert_eq!(refused.1, Some(AppError::NotAuthenticated));
}

#[tokio::test]
async fn without_a_public_address_on_a_domain_there_are_no_passkeys() {
    let f = crate::support::fixture(|_| {}).await;
    let browser = f.app.browser();
    let refused = begin(&browser, "sign_in").await.err().unwrap();
    assert_eq!(
        refused,
        (StatusCode::NOT_FOUND, Some(AppError::PasskeysUnavailable))
    );
    assert!(!browser.page("/login").await.contains("Sign in with a passkey"));

    let port = free_port();
    let on_an_address = fixture_on(&format!("127.0.0.1:{port}"), |settings| {
        settings.public_url = Some(PublicUrl(format!("http://127.0.0.1:{port}")));
    })
    .await;
    let refused = begin(&on_an_address.app.browser(), "sign_in")
        .await
        .err()
        .unwrap();
    assert_eq!(
        refused.1,
        Some(AppError::PasskeysUnavailable),
        "browsers refuse IP addresses"
    );
}

#[tokio::test]
async fn a_passkey_added_through_one_instance_signs_in_through_another() {
    let f = passkey_site().await;
    let (_, mut authenticator) = with_passkey(&f, "alice").await;
    let settings = (*f.app.state.settings).clone();
    let second = crate::support::TestApp::start(settings, f.clock.clone()).await;
    let browser = second.browser();
    let ceremony = begin(&browser, "sign_in").await.unwrap();
    let answer = authenticator.sign_in(&ceremony.options, 0);
    assert!(finish(&browser, "sign_in", &ceremony.token, &answer, "")
        .await
        .is_ok());
    second.stop().await;
}
