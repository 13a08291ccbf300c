//! The address rules: allowed and denied domains (IDNA, `*.` for subdomains), disposable mail
//! services, for registrations, invitations and address changes alike; a refusal is a sentence on
//! the address field, decided before anything could tell whether the address has an account.

use gatehouse::{
    error::AppError,
    server::{config::SettingValue, registration_policy::DomainPatterns},
    validate::Field,
};
use reqwest::StatusCode;

use super::traces;
use crate::support::{fixture, location, settings, verified_user, Fixture, TestApp, PASSWORD};

fn domains(list: &str) -> DomainPatterns {
    DomainPatterns::parse_setting(list).unwrap()
}

/// The sentence on the address field, with the status.
fn email_refusal((status, error): (StatusCode, Option<AppError>)) -> (StatusCode, String) {
    let message = error.and_then(|error| error.field_message(Field::Email));
    (status, message.unwrap_or_default())
}

#[tokio::test]
async fn only_allowed_domains_register_and_denied_ones_never_do() {
    let f = fixture(|settings| {
        settings.registration_domains_allow = domains("example.test, *.corp.test, bücher.test");
        settings.registration_domains_deny = domains("lab.corp.test");
    })
    .await;
    let browser = f.app.browser();
    for address in ["ann@example.test", "bob@eu.corp.test", "cyd@xn--bcher-kva.test"] {
        let name = address.split('@').next().unwrap();
        assert_eq!(
            browser.register_call(name, address).await,
            (StatusCode::OK, None),
            "{address}"
        );
    }
    let before = traces(&f).await;
    let outside = email_refusal(browser.register_call("dee", "dee@mail.example.test").await);
    assert_eq!(outside.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        outside.1.starts_with("Only addresses at example.test,"),
        "{outside:?}"
    );
    let parent = email_refusal(browser.register_call("eve", "eve@corp.test").await);
    assert_eq!(parent, outside, "*.corp.test is the subdomains only");
    let denied = email_refusal(browser.register_call("fay", "fay@lab.corp.test").await);
    assert_eq!(
        denied,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Addresses at lab.corp.test cannot be used here. Use another address.".to_string()
        )
    );
    assert_eq!(traces(&f).await, before, "a refusal leaves nothing behind");
}

#[tokio::test]
async fn a_refused_address_gets_the_same_answer_whether_or_not_it_has_an_account() {
    let f = fixture(|_| {}).await;
    verified_user(&f, "gil").await;
    // The same database under a rule made after gil registered.
    let mut denying = settings(&f.dir, &f.sink.url(), f.database_url.clone());
    denying.registration_domains_deny = domains("example.test");
    let app = TestApp::start(denying, f.clock.clone()).await;
    let browser = app.browser();
    let taken = email_refusal(browser.register_call("newgil", "gil@example.test").await);
    let free = email_refusal(browser.register_call("hal", "hal@example.test").await);
    assert_eq!(taken.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(taken, free);
    assert!(
        f.sink.mails_to("gil@example.test").await.len() == 1,
        "no already-registered notice"
    );
    app.stop().await;
}

#[tokio::test]
async fn disposable_mail_services_are_refused_only_when_the_operator_asks() {
    let open = fixture(|_| {}).await;
    assert_eq!(
        open.app
            .browser()
            .register_call("ivy", "ivy@mailinator.com")
            .await,
        (StatusCode::OK, None)
    );
    let f = fixture(|settings| settings.block_disposable_addresses = true).await;
    let browser = f.app.browser();
    for address in [
        "joe@mailinator.com",
        "joe@inbox.mailinator.com",
        "JOE@GuerrillaMail.com",
    ] {
        let (status, message) = email_refusal(browser.register_call("joe", address).await);
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{address}");
        assert!(message.contains("disposable"), "{message}");
    }
    assert_eq!(
        browser.register_call("joe", "joe@example.test").await,
        (StatusCode::OK, None)
    );
}

#[tokio::test]
async fn a_new_address_and_an_invitation_obey_the_same_rules() {
    let f: Fixture = fixture(|settings| {
        settings.registration_domains_deny = domains("denied.test");
        settings.block_disposable_addresses = true;
    })
    .await;
    let kim = verified_user(&f, "kim").await;
    assert_eq!(location(&kim.login("kim", PASSWORD).await), "/dashboard");
    for address in ["kim@denied.test", "kim@mailinator.com"] {
        let answer = kim
            .call_for_error("/api/change_email", &[("email", address)])
            .await;
        let (status, message) = email_refusal(answer);
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{address}");
        assert!(!message.is_empty());
    }
    assert_eq!(
        f.db.number("select count(*) from email_codes where purpose = 'email_change'")
            .await,
        0
    );
    let (ok, output) = crate::admin::gatehouse_with(
        &f,
        &["invite", "lee@denied.test"],
        &[("GATEHOUSE_REGISTRATION_DOMAINS_DENY", "denied.test")],
    )
    .await;
    assert!(!ok && output.contains("cannot be used here"), "{output}");
}
