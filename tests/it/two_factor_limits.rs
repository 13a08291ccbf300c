//! What bounds the second step of a sign-in: its 5 minutes and its browser, the client's failure
//! limit, the delay, proof of work and lock it shares with the password step (also under parallel
//! guesses), one sign-in per app code, and what it refuses (hostile input, an account disabled
//! meanwhile). The helpers are `two_factor`'s.

use gatehouse::{
    error::{AppError, ErrorAnswer},
    server::clock::Clock,
};
use reqwest::{header, StatusCode};

use crate::{
    proof_of_work::{challenge_of, solve},
    support::{burst, count, fixture, location, per, PASSWORD},
    two_factor::{current_code, enrol, events, pass_password, second_step, wrong_code},
};

#[tokio::test]
async fn the_second_step_belongs_to_one_browser_for_five_minutes() {
    let f = fixture(|_| {}).await;
    let enrolled = enrol(&f, "xena").await;
    let browser = f.app.browser();
    pass_password(&browser, "xena").await;
    let stranger = f.app.browser();
    let (status, error) = second_step(&stranger, &current_code(&f, &enrolled)).await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(error, Some(AppError::SecondStepExpired));
    f.advance(301);
    let (status, _) = second_step(&browser, &current_code(&f, &enrolled)).await;
    assert_eq!(status, StatusCode::GONE, "past its 5 minutes");
    assert!(browser
        .page("/login/verify")
        .await
        .contains("No sign-in is waiting"));
    pass_password(&browser, "xena").await;
    assert_eq!(
        second_step(&browser, &current_code(&f, &enrolled)).await.0,
        StatusCode::OK
    );
}

/// Past the password, wrong app codes spend the very budget wrong passwords spend: the client is
/// stopped at its limit, for the second step and the password step alike.
#[tokio::test]
async fn wrong_app_codes_count_toward_the_clients_failure_limit() {
    let f = fixture(|s| s.login_failures_per_ip = per(3, 300)).await;
    let enrolled = enrol(&f, "nils").await;
    let browser = f.app.browser();
    pass_password(&browser, "nils").await;
    let wrong = wrong_code(&enrolled.secret, f.clock.now());
    for _ in 0..3 {
        assert_eq!(second_step(&browser, &wrong).await.0, StatusCode::UNAUTHORIZED);
    }
    let (status, error) = second_step(&browser, &current_code(&f, &enrolled)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "even the right code");
    assert!(matches!(error, Some(AppError::RateLimited { .. })), "{error:?}");
    let (status, error) = f.app.browser().try_login("nils", PASSWORD, "").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the password step too");
    assert!(matches!(error, Some(AppError::RateLimited { .. })), "{error:?}");
}

/// Wrong codes on one account ask for a proof of work as wrong passwords for one name do.
#[tokio::test]
async fn repeated_wrong_second_factors_ask_for_a_proof_of_work() {
    let f = fixture(|s| {
        s.pow_after_login_failures = 3;
        s.pow_difficulty = 8;
        s.login_delay_after = 100;
    })
    .await;
    let enrolled = enrol(&f, "pola").await;
    let browser = f.app.browser();
    pass_password(&browser, "pola").await;
    let wrong = wrong_code(&enrolled.secret, f.clock.now());
    for _ in 0..3 {
        assert_eq!(second_step(&browser, &wrong).await.0, StatusCode::UNAUTHORIZED);
    }
    let right = current_code(&f, &enrolled);
    let (status, error) = second_step(&browser, &right).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "the right code without a proof"
    );
    let proof = solve(&challenge_of(&error));
    let fields = [
        ("code", right.as_str()),
        ("next", "/dashboard"),
        ("pow", proof.as_str()),
    ];
    let (status, _) = browser.call_for_error("/api/second_step", &fields).await;
    assert_eq!(status, StatusCode::OK, "with one");
    assert_eq!(browser.get("/dashboard").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn wrong_second_factors_are_delayed_and_lock_the_account_with_the_passwords_failures() {
    let f = fixture(|s| {
        s.login_delay_after = 3;
        s.login_lock_after = 8;
    })
    .await;
    let enrolled = enrol(&f, "yara").await;
    let browser = f.app.browser();
    // Two wrong passwords first: the lock counts both steps together.
    for _ in 0..2 {
        assert_eq!(
            browser.try_login("yara", "wrong password!", "").await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    pass_password(&browser, "yara").await;
    // A code of a day ago: wrong whatever the clock says later in the test.
    let wrong = wrong_code(&enrolled.secret, f.clock.now());
    for _ in 0..3 {
        assert_eq!(second_step(&browser, &wrong).await.0, StatusCode::UNAUTHORIZED);
    }
    let response = browser
        .call("/api/second_step", &[("code", &wrong), ("next", "/dashboard")])
        .await;
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the delay after 3"
    );
    assert!(response.headers().contains_key(header::RETRY_AFTER));
    // Three more failures (each after its delay) reach the lock at 8.
    for _ in 0..3 {
        f.advance(290);
        pass_password(&browser, "yara").await;
        assert_eq!(second_step(&browser, &wrong).await.0, StatusCode::UNAUTHORIZED);
    }
    f.sink
        .wait_for_containing("yara@example.test", "/unlock/", 1)
        .await;
    f.advance(20);
    let right = current_code(&f, &enrolled);
    assert_eq!(
        second_step(&browser, &right).await.0,
        StatusCode::UNAUTHORIZED,
        "locked: even the right code"
    );
    f.advance(600);
    let (status, _) = browser.try_login("yara", PASSWORD, "").await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "locked: the password step fails too"
    );
    assert!(events(&f, "yara").await.contains(&"lockout".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_wrong_guesses_meet_the_delay() {
    let f = fixture(|s| {
        s.login_delay_after = 5;
        s.login_failures_per_ip = per(1000, 300);
    })
    .await;
    let enrolled = enrol(&f, "zora").await;
    let mut browsers = Vec::new();
    for _ in 0..20 {
        let browser = f.app.browser();
        pass_password(&browser, "zora").await;
        browsers.push(browser);
    }
    let wrong = wrong_code(&enrolled.secret, f.clock.now());
    let guesses = burst(20, |index| {
        let browser = browsers[index].clone();
        let wrong = wrong.clone();
        async move { second_step(&browser, &wrong).await.0 }
    })
    .await;
    assert_eq!(count(&guesses, StatusCode::UNAUTHORIZED), 5, "{guesses:?}");
    assert_eq!(count(&guesses, StatusCode::TOO_MANY_REQUESTS), 15, "{guesses:?}");
}

/// Twenty browsers past the password send the one right code at once: it signs in one of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_app_code_sent_by_twenty_browsers_at_once_signs_in_one() {
    let f = fixture(|s| s.login_failures_per_ip = per(1000, 300)).await;
    let enrolled = enrol(&f, "zeno").await;
    f.advance(60);
    let mut browsers = Vec::new();
    for _ in 0..20 {
        let browser = f.app.browser();
        pass_password(&browser, "zeno").await;
        browsers.push(browser);
    }
    let right = current_code(&f, &enrolled);
    let answers = burst(20, |index| {
        let browser = browsers[index].clone();
        let right = right.clone();
        async move { second_step(&browser, &right).await.0 }
    })
    .await;
    assert_eq!(count(&answers, StatusCode::OK), 1, "{answers:?}");
}

#[tokio::test]
async fn hostile_second_factors_get_a_sentence_never_a_server_error() {
    let f = fixture(|s| s.login_delay_after = 100).await;
    let enrolled = enrol(&f, "dora").await;
    let browser = f.app.browser();
    pass_password(&browser, "dora").await;
    let long = "7".repeat(100_000);
    for hostile in [
        "",
        " ",
        "12345",
        "1234567",
        "１２３４５６",
        "12345\u{0}6",
        "' or 1=1 --",
        "<script>alert(1)</script>",
        "7K3QD-M9XTU",
        long.as_str(),
    ] {
        let response = browser
            .call("/api/second_step", &[("code", hostile), ("next", "/dashboard")])
            .await;
        let status = response.status();
        let body = response.text().await.unwrap();
        let shown = &hostile[..hostile.len().min(20)];
        assert!(status.is_client_error(), "{shown:?}: {status}");
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            assert!(body.contains("too large"), "{body}");
        } else {
            assert!(
                serde_json::from_str::<ErrorAnswer>(&body).is_ok(),
                "a sentence for {shown:?}: {body}"
            );
        }
        for endpoint in ["/api/disable_two_factor", "/api/new_recovery_codes"] {
            let status = enrolled
                .browser
                .call(endpoint, &[("password", PASSWORD), ("code", hostile)])
                .await
                .status();
            assert!(status.is_client_error(), "{endpoint}: {status}");
        }
        let status = enrolled
            .browser
            .call("/api/enable_two_factor", &[("code", hostile)])
            .await
            .status();
        assert!(status.is_client_error(), "enable: {status}");
    }
}

#[tokio::test]
async fn an_account_disabled_between_the_two_steps_is_not_signed_in() {
    let f = fixture(|_| {}).await;
    let enrolled = enrol(&f, "dora").await;
    let browser = f.app.browser();
    pass_password(&browser, "dora").await;
    // An admin disables the account while the second step waits.
    f.db.execute("update users set disabled_at = 1 where username = 'dora'")
        .await
        .unwrap();
    let (status, _) = second_step(&browser, &current_code(&f, &enrolled)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        location(&browser.get("/dashboard").await),
        "/login?next=/dashboard",
        "no session"
    );
}
