//! Password hashing is the costliest work a request can ask for: every path that runs argon2 takes
//! a limit first, per client and per account, and a right password counts like a wrong one.

use gatehouse::{error::AppError, server::config::SettingValue};
use reqwest::StatusCode;

use crate::support::{fixture, location, per, verified_user, Fixture, PASSWORD};

fn through_proxy(s: &mut gatehouse::server::config::Settings) {
    s.trusted_proxies = SettingValue::parse_setting("127.0.0.1").unwrap();
}

fn assert_refused_without_hashing(f: &Fixture, before: u64, (status, error): (StatusCode, Option<AppError>)) {
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{error:?}");
    assert!(matches!(error, Some(AppError::RateLimited { .. })), "{error:?}");
    assert_eq!(f.app.state.hasher.computations(), before, "refused before argon2");
}

#[tokio::test]
async fn right_passwords_of_one_account_are_limited_from_every_client() {
    let f = fixture(|s| {
        through_proxy(s);
        s.password_checks_per_account = per(3, 3600);
    })
    .await;
    verified_user(&f, "wendy").await;
    for n in 1..=3 {
        let browser = f.app.browser_from(&format!("192.0.2.{n}"));
        assert_eq!(location(&browser.login("wendy", PASSWORD).await), "/dashboard");
    }
    let elsewhere = f.app.browser_from("198.51.100.7");
    let before = f.app.state.hasher.computations();
    assert_refused_without_hashing(&f, before, elsewhere.try_login("wendy", PASSWORD, "").await);
    let (status, _) = elsewhere.try_login("nobody", PASSWORD, "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "other names are not held up");
    f.advance(3600);
    assert_eq!(location(&elsewhere.login("wendy", PASSWORD).await), "/dashboard");
}

#[tokio::test]
async fn every_password_checked_for_one_client_counts_right_or_wrong() {
    let f = fixture(|s| {
        through_proxy(s);
        s.password_checks_per_ip = per(3, 600);
    })
    .await;
    verified_user(&f, "anna").await;
    verified_user(&f, "bert").await;
    let looping = f.app.browser_from("192.0.2.1");
    assert_eq!(location(&looping.login("anna", PASSWORD).await), "/dashboard");
    let again = f.app.browser_from("192.0.2.1");
    assert_eq!(location(&again.login("bert", PASSWORD).await), "/dashboard");
    assert_eq!(
        again.try_login("anna", "not-her-password-1", "").await.0,
        StatusCode::UNAUTHORIZED
    );
    let before = f.app.state.hasher.computations();
    let fresh = f.app.browser_from("192.0.2.1");
    assert_refused_without_hashing(&f, before, fresh.try_login("bert", PASSWORD, "").await);
    let other_client = f.app.browser_from("192.0.2.2");
    assert_eq!(
        location(&other_client.login("bert", PASSWORD).await),
        "/dashboard"
    );
    f.advance(600);
    assert_eq!(location(&fresh.login("bert", PASSWORD).await), "/dashboard");
}

#[tokio::test]
async fn a_verified_recovery_cannot_loop_the_same_password_check() {
    let f = fixture(|s| s.password_checks_per_account = per(3, 3600)).await;
    verified_user(&f, "sami").await;
    let browser = f.app.browser();
    browser.start_recovery("sami").await;
    let code = f.recovery_code("sami@example.test", 1).await;
    browser.enter_recovery_code(&code).await;
    let same = [("password", PASSWORD), ("password_confirm", PASSWORD)];
    for _ in 0..3 {
        let (status, _) = browser.call_for_error("/api/reset_password", &same).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let before = f.app.state.hasher.computations();
    assert_refused_without_hashing(
        &f,
        before,
        browser.call_for_error("/api/reset_password", &same).await,
    );
}
