//! A browser is bound to its pending registration by a random flow token, ids are never reused,
//! and per-account state dies with the account.

use gatehouse::error::AppError;
use reqwest::StatusCode;

use crate::support::{fixture, location, shipped_limits, PASSWORD};

#[tokio::test]
async fn registering_a_pending_address_again_does_not_rebind_the_first_browser() {
    let f = fixture(|_| {}).await;
    let (first, second) = (f.app.browser(), f.app.browser());
    first.register("first-try", "shared@example.test").await;
    let first_code = f.sink.wait_for_code("shared@example.test", 1).await;
    let first_id = f.db.number("select max(user_id) from users").await;
    // Someone else registers the same (still unverified) address with a password of their own.
    second.register("second-try", "shared@example.test").await;
    let second_code = f.sink.wait_for_code("shared@example.test", 2).await;
    let second_id = f.db.number("select max(user_id) from users").await;
    assert!(
        second_id > first_id,
        "a new account gets a new id, never a freed one ({first_id} then {second_id})"
    );

    // The first browser's registration is gone; its page does not turn into the second's.
    let (status, error) = first
        .call_for_error("/api/code_status", &[("purpose", "registration")])
        .await;
    assert_eq!(
        (status, error),
        (StatusCode::NOT_FOUND, Some(AppError::NoPendingVerification))
    );
    assert_eq!(
        first
            .call_for_error(
                "/api/verify",
                &[("purpose", "registration"), ("code", &first_code)]
            )
            .await
            .1,
        Some(AppError::NoPendingVerification)
    );
    assert_eq!(
        first
            .call_for_error(
                "/api/verify",
                &[("purpose", "registration"), ("code", &second_code)]
            )
            .await
            .1,
        Some(AppError::NoPendingVerification)
    );
    assert_eq!(
        f.db.number("select count(*) from users where verified_at is not null")
            .await,
        0,
        "nothing verified"
    );

    // The second registration is intact and verifies with its own code only.
    assert_eq!(location(&second.verify(&second_code).await), "/login?verified=1");
    assert_eq!(
        location(&second.login("second-try", PASSWORD).await),
        "/dashboard"
    );
}

#[tokio::test]
async fn a_new_account_inherits_nothing_from_a_deleted_one() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.trusted_proxies = gatehouse::server::config::SettingValue::parse_setting("127.0.0.1").unwrap();
        s.login_delay_after = 100;
        s.pow_after_login_failures = 100;
        s.pow_after_client_login_failures = 100;
        s.login_failures_per_ip = crate::support::per(1000, 300);
    })
    .await;
    // An unverified account collects sign-in failures and security events from 203.0.113.66 ...
    let squatter = f.app.browser_from("203.0.113.66");
    squatter.register("held-name", "owner@example.test").await;
    f.sink.wait_for_code("owner@example.test", 1).await;
    for _ in 0..3 {
        squatter.try_login("held-name", "wrong password!", "").await;
    }
    let old_id =
        f.db.number("select user_id from users where username = 'held-name'")
            .await;
    assert_eq!(
        f.db.number("select failed_sign_ins from users where username = 'held-name'")
            .await,
        3
    );
    // ... and is replaced by the address's owner registering again, from elsewhere.
    let owner = f.app.browser_from("198.51.100.7");
    owner.register("owner", "owner@example.test").await;
    let code = f.sink.wait_for_code("owner@example.test", 2).await;
    assert_eq!(location(&owner.verify(&code).await), "/login?verified=1");
    assert_eq!(location(&owner.login("owner", PASSWORD).await), "/dashboard");
    let new_id =
        f.db.number("select user_id from users where username = 'owner'")
            .await;
    assert!(new_id > old_id);
    assert_eq!(
        f.db.number("select failed_sign_ins from users where username = 'owner'")
            .await,
        0
    );
    let dashboard = owner.page("/dashboard").await;
    assert!(
        !dashboard.contains("203.0.113.66"),
        "another person's address shows up in this account's activity"
    );
    assert!(dashboard.contains("198.51.100.7"));
}
