//! Abuse resistance: every limit is hit (429 with Retry-After) and a real user gets through once
//! the window has passed; the sign-in delay; proof of work; the proxy rule; enumeration by timing
//! and by throttling.

use gatehouse::error::AppError;
use reqwest::{header, StatusCode};

use crate::support::{
    fixture, location, per, shipped_limits, verified_user, wrong_code_for, Browser, PASSWORD,
};

fn assert_throttled(status: StatusCode, error: &Option<AppError>) -> u64 {
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{error:?}");
    match error {
        Some(AppError::RateLimited { retry_after_secs }) => *retry_after_secs,
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

async fn register_as(browser: &Browser, username: &str) -> (StatusCode, Option<AppError>) {
    browser
        .register_call(username, &format!("{username}@example.test"))
        .await
}

#[tokio::test]
async fn registrations_per_client_are_limited_and_the_window_passes() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.register_per_ip = per(2, 600);
    })
    .await;
    let browser = f.app.browser();
    assert_eq!(register_as(&browser, "reg1").await.0, StatusCode::OK);
    f.advance(60);
    assert_eq!(register_as(&browser, "reg2").await.0, StatusCode::OK);
    let response = browser
        .call(
            "/api/register",
            &[
                ("username", "reg3"),
                ("email", "reg3@example.test"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(retry_after, 540, "until the first of the two leaves the window");
    let page = browser.register("reg3", "reg3@example.test").await;
    assert!(
        location(&page).contains("/register?"),
        "back to the form, which shows the sentence"
    );
    assert!(browser
        .follow(&page)
        .await
        .contains("Too many attempts. Please try again in 9 minutes."));
    f.advance(539);
    assert_eq!(
        register_as(&browser, "reg3").await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    f.advance(1);
    assert_eq!(
        register_as(&browser, "reg3").await.0,
        StatusCode::OK,
        "after the window a real user gets through"
    );
}

#[tokio::test]
async fn mail_to_one_address_and_resends_per_client_are_limited() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.resend_cooldown_secs = gatehouse::server::config::Seconds(0);
        s.mail_per_address = per(3, 3600);
        s.resend_per_ip = per(20, 3600);
    })
    .await;
    let browser = f.app.browser();
    browser.register("mailbomb", "victim@example.test").await;
    assert_eq!(
        browser
            .call_for_error("/api/resend_code", &[("purpose", "registration")])
            .await,
        (StatusCode::OK, None),
        "resend 1 of 2 allowed"
    );
    assert_eq!(
        browser
            .call_for_error("/api/resend_code", &[("purpose", "registration")])
            .await,
        (StatusCode::OK, None),
        "resend 2 of 2 allowed"
    );
    let (status, error) = browser
        .call_for_error("/api/resend_code", &[("purpose", "registration")])
        .await;
    let wait = assert_throttled(status, &error);
    // Registering again to the same address counts against the same limit.
    let (status, error) = register_as(&f.app.browser(), "victim").await;
    assert_throttled(status, &error);
    f.advance(i64::try_from(wait).unwrap());
    assert_eq!(
        browser
            .call_for_error("/api/resend_code", &[("purpose", "registration")])
            .await
            .0,
        StatusCode::OK
    );
    f.sink
        .wait_for("victim@example.test", 4, std::time::Duration::from_secs(10))
        .await;

    let f = fixture(|s| {
        shipped_limits(s);
        s.resend_cooldown_secs = gatehouse::server::config::Seconds(0);
        s.resend_per_ip = per(2, 3600);
    })
    .await;
    let browser = f.app.browser();
    browser.register("resender", "resender@example.test").await;
    assert_eq!(
        browser
            .call_for_error("/api/resend_code", &[("purpose", "registration")])
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        browser
            .call_for_error("/api/resend_code", &[("purpose", "registration")])
            .await
            .0,
        StatusCode::OK
    );
    let (status, error) = browser
        .call_for_error("/api/resend_code", &[("purpose", "registration")])
        .await;
    assert_throttled(status, &error);
}

#[tokio::test]
async fn wrong_codes_per_client_and_per_registration_are_limited() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.resend_cooldown_secs = gatehouse::server::config::Seconds(0);
        s.registration_max_failures = 7;
        s.verify_failures_per_ip = per(1000, 300);
    })
    .await;
    let browser = f.app.browser();
    browser.register("guesser", "guesser@example.test").await;
    let code = f.sink.wait_for_code("guesser@example.test", 1).await;
    let wrong = wrong_code_for(&code);
    for _ in 0..5 {
        browser
            .call_for_error("/api/verify", &[("purpose", "registration"), ("code", wrong)])
            .await;
    }
    // A new code does not reset the registration's total.
    assert_eq!(
        browser
            .call_for_error("/api/resend_code", &[("purpose", "registration")])
            .await
            .0,
        StatusCode::OK
    );
    let fresh = f.sink.wait_for_code("guesser@example.test", 2).await;
    let wrong = wrong_code_for(&fresh);
    assert_eq!(
        browser
            .call_for_error("/api/verify", &[("purpose", "registration"), ("code", wrong)])
            .await
            .1,
        Some(AppError::WrongCode { attempts_left: 4 })
    );
    let (status, error) = browser
        .call_for_error("/api/verify", &[("purpose", "registration"), ("code", wrong)])
        .await;
    assert_eq!(
        (status, error),
        (StatusCode::FORBIDDEN, Some(AppError::RegistrationLocked))
    );
    let (_, error) = browser
        .call_for_error("/api/verify", &[("purpose", "registration"), ("code", &fresh)])
        .await;
    assert_eq!(
        error,
        Some(AppError::RegistrationLocked),
        "even the right code is refused now"
    );

    let f = fixture(|s| {
        shipped_limits(s);
        s.verify_failures_per_ip = per(3, 120);
    })
    .await;
    let browser = f.app.browser();
    browser.register("prober", "prober@example.test").await;
    let code = f.sink.wait_for_code("prober@example.test", 1).await;
    let wrong = wrong_code_for(&code);
    for _ in 0..3 {
        browser
            .call_for_error("/api/verify", &[("purpose", "registration"), ("code", wrong)])
            .await;
    }
    let (status, error) = browser
        .call_for_error("/api/verify", &[("purpose", "registration"), ("code", &code)])
        .await;
    let wait = assert_throttled(status, &error);
    f.advance(i64::try_from(wait).unwrap());
    assert_eq!(location(&browser.verify(&code).await), "/login?verified=1");
}

#[tokio::test]
async fn tries_of_an_expired_code_count_against_the_client() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.verify_failures_per_ip = per(3, 300);
    })
    .await;
    let browser = f.app.browser();
    browser.register("late", "late@example.test").await;
    let code = f.sink.wait_for_code("late@example.test", 1).await;
    f.advance(301);
    for _ in 0..3 {
        assert_eq!(
            browser
                .call_for_error("/api/verify", &[("purpose", "registration"), ("code", &code)])
                .await
                .1,
            Some(AppError::CodeExpired)
        );
    }
    let (status, error) = browser
        .call_for_error("/api/verify", &[("purpose", "registration"), ("code", &code)])
        .await;
    assert_throttled(status, &error);
}

#[tokio::test]
async fn failed_sign_ins_per_client_are_limited() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.login_failures_per_ip = per(3, 300);
        s.pow_after_client_login_failures = 100;
        s.pow_after_login_failures = 100;
    })
    .await;
    let owner = verified_user(&f, "wendy").await;
    let stuffer = f.app.browser();
    for name in ["anna", "bert", "carl"] {
        assert_eq!(
            stuffer.try_login(name, "leaked-password-1", "").await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    let (status, error) = stuffer.try_login("wendy", PASSWORD, "").await;
    let wait = assert_throttled(status, &error);
    assert_eq!(
        owner.try_login("wendy", PASSWORD, "").await.0,
        StatusCode::TOO_MANY_REQUESTS,
        "same address, same bucket"
    );
    f.advance(i64::try_from(wait).unwrap());
    assert_eq!(location(&owner.login("wendy", PASSWORD).await), "/dashboard");
}

#[tokio::test]
async fn consecutive_failures_delay_each_identifier_from_each_client() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.login_delay_after = 2;
        s.pow_after_login_failures = 100;
        s.pow_after_client_login_failures = 100;
    })
    .await;
    let browser = verified_user(&f, "xena").await;
    let wrong = "wrong password!";
    assert_eq!(
        browser.try_login("xena", wrong, "").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        browser.try_login("XENA", wrong, "").await.0,
        StatusCode::UNAUTHORIZED,
        "the same identifier, any case"
    );
    // Two failures: 1 s to wait, and an attempt inside the wait is refused, even when right.
    let (status, error) = browser.try_login("xena", PASSWORD, "").await;
    assert_eq!(assert_throttled(status, &error), 1);
    f.advance(1);
    assert_eq!(
        browser.try_login("xena", wrong, "").await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, error) = browser.try_login("xena", PASSWORD, "").await;
    assert_eq!(assert_throttled(status, &error), 2, "the wait doubles");
    // Refused attempts are not counted: after the wait one attempt is evaluated, and a success
    // starts the count again.
    f.advance(2);
    assert_eq!(location(&browser.login("xena", PASSWORD).await), "/dashboard");
    assert_eq!(
        browser.try_login("xena", wrong, "").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        browser.try_login("xena", wrong, "").await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
    async fn second_client_is_refused(f: &crate::support::Fixture) -> bool {
        let (first, second) = (
            f.app.browser_from("198.51.100.1"),
            f.app.browser_from("198.51.100.2"),
        );
        assert_eq!(
            first.try_login("nobody", "wrong password!", "").await.0,
            StatusCode::UNAUTHORIZED
        );
        match second.try_login("somebody", "wrong password!", "").await.0 {
            StatusCode::TOO_MANY_REQUESTS => true,
            StatusCode::UNAUTHORIZED => false,
            other => panic!("unexpected {other}"),
        }
    }
    let direct = fixture(|s| {
        shipped_limits(s);
        s.login_failures_per_ip = per(1, 3600);
    })
    .await;
    assert!(
        second_client_is_refused(&direct).await,
        "a stranger's X-Forwarded-For is ignored"
    );
    let proxied = fixture(|s| {
        shipped_limits(s);
        s.login_failures_per_ip = per(1, 3600);
        s.trusted_proxies = gatehouse::server::config::SettingValue::parse_setting("127.0.0.1").unwrap();
    })
    .await;
    assert!(
        !second_client_is_refused(&proxied).await,
        "behind the trusted proxy each client has its own bucket"
    );
}

/// Whether an address belongs to an account must not show in how sign-ins with it are throttled:
/// failures on the account's username change nothing for its address.
#[tokio::test]
async fn throttling_does_not_tell_which_address_belongs_to_an_account() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.login_delay_after = 3;
    })
    .await;
    verified_user(&f, "uma").await;
    let attacker = f.app.browser();
    for _ in 0..5 {
        attacker.try_login("uma", "wrong password!", "").await;
    }
    let uma = attacker.try_login("uma", "wrong password!", "").await;
    assert_eq!(
        uma.0,
        StatusCode::TOO_MANY_REQUESTS,
        "the username itself is throttled: {uma:?}"
    );
    let her_address = attacker
        .try_login("uma@example.test", "wrong password!", "")
        .await;
    let nobodys_address = attacker
        .try_login("nobody@example.test", "wrong password!", "")
        .await;
    assert_eq!(
        her_address, nobodys_address,
        "the same answer for her address and an unregistered one"
    );
    assert_eq!(
        her_address,
        (StatusCode::UNAUTHORIZED, Some(AppError::InvalidCredentials))
    );
}

/// What a failed sign-in leaves behind: [failures counted on accounts, failures counted on the
/// stand-in rows, limit hits, throttle rows, failure events, argon2 runs].
async fn sign_in_work(f: &crate::support::Fixture) -> [i64; 6] {
    let db = &f.db;
    [
        db.number("select cast(coalesce(sum(failed_sign_ins), 0) as bigint) from users")
            .await,
        db.number("select cast(coalesce(sum(failed_sign_ins), 0) as bigint) from sign_in_decoys")
            .await,
        db.number("select count(*) from rate_limit_hits").await,
        db.number("select count(*) from sign_in_throttle").await,
        db.number("select count(*) from security_events where kind = 'sign_in_failed'")
            .await,
        i64::try_from(f.app.state.hasher.computations()).unwrap(),
    ]
}

fn work_done(before: [i64; 6], after: [i64; 6]) -> [i64; 6] {
    std::array::from_fn(|index| after[index] - before[index])
}

/// An unknown name must cost the database what a known one costs: its failure is counted by the
/// very statement an account's is, on a stand-in row.
#[tokio::test]
async fn an_unknown_name_costs_the_same_database_work_as_an_account() {
    let f = fixture(|_| {}).await;
    verified_user(&f, "dora").await;
    let browser = f.app.browser();
    let failed = (StatusCode::UNAUTHORIZED, Some(AppError::InvalidCredentials));

    let start = sign_in_work(&f).await;
    assert_eq!(browser.try_login("dora", "wrong password!", "").await, failed);
    let after_known = sign_in_work(&f).await;
    assert_eq!(
        browser.try_login("nobody-here", "wrong password!", "").await,
        failed
    );
    let after_unknown = sign_in_work(&f).await;

    let known = work_done(start, after_known);
    let unknown = work_done(after_known, after_unknown);
    assert_eq!(
        known[..2],
        [1, 0],
        "the account's row counts its failure: {known:?}"
    );
    assert_eq!(
        unknown[..2],
        [0, 1],
        "a stand-in row counts the unknown name's failure: {unknown:?}"
    );
    assert_eq!(
        known[2..],
        unknown[2..],
        "the same limit hits, throttle rows, events and hashing: {known:?} vs {unknown:?}"
    );
}
