//! What a passkey sign-in refuses, each with its own sentence, and how it counts: like a wrong
//! password (limits, the lock).

use gatehouse::error::AppError;
use reqwest::StatusCode;

use super::{
    begin, finish, passkey_sign_in, passkey_site, signed_in, site_origin, with_passkey, Authenticator,
};
use crate::support::{fixture_on, location, PASSWORD};

fn refusal(outcome: Result<String, (StatusCode, Option<AppError>)>) -> (StatusCode, Option<AppError>) {
    outcome.expect_err("refused")
}

#[tokio::test]
async fn a_ceremony_is_used_once_even_by_parallel_answers() {
    let f = passkey_site().await;
    let (_, mut authenticator) = with_passkey(&f, "alice").await;
    let browser = f.app.browser();
    let ceremony = begin(&browser, "sign_in").await.unwrap();
    let answer = authenticator.sign_in(&ceremony.options, 0);
    let attempts: Vec<_> = (0..10)
        .map(|_| {
            let browser = f.app.browser();
            let (token, answer) = (ceremony.token.clone(), answer.clone());
            tokio::spawn(async move { finish(&browser, "sign_in", &token, &answer, "").await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for attempt in attempts {
        outcomes.push(attempt.await.unwrap());
    }
    assert_eq!(
        outcomes.iter().filter(|outcome| outcome.is_ok()).count(),
        1,
        "{outcomes:?}"
    );
    for outcome in outcomes.into_iter().filter(Result::is_err) {
        assert_eq!(
            refusal(outcome),
            (StatusCode::GONE, Some(AppError::PasskeyRequestExpired))
        );
    }
}

#[tokio::test]
async fn a_replayed_answer_is_refused_in_a_new_ceremony_too() {
    let f = passkey_site().await;
    let (_, mut authenticator) = with_passkey(&f, "alice").await;
    let browser = f.app.browser();
    let first = begin(&browser, "sign_in").await.unwrap();
    let answer = authenticator.sign_in(&first.options, 0);
    assert!(finish(&browser, "sign_in", &first.token, &answer, "")
        .await
        .is_ok());
    let second = begin(&browser, "sign_in").await.unwrap();
    let replayed = finish(&browser, "sign_in", &second.token, &answer, "").await;
    assert_eq!(
        refusal(replayed),
        (StatusCode::UNAUTHORIZED, Some(AppError::PasskeyRefused))
    );
}

#[tokio::test]
async fn a_ceremony_lasts_five_minutes_and_serves_its_own_purpose() {
    let f = passkey_site().await;
    let (_, mut authenticator) = with_passkey(&f, "alice").await;
    let browser = f.app.browser();
    let ceremony = begin(&browser, "sign_in").await.unwrap();
    let answer = authenticator.sign_in(&ceremony.options, 0);
    let wrong_purpose = finish(&browser, "second_step", &ceremony.token, &answer, "").await;
    assert_eq!(refusal(wrong_purpose).0, StatusCode::GONE);
    f.advance(301);
    let late = finish(&browser, "sign_in", &ceremony.token, &answer, "").await;
    assert_eq!(
        refusal(late),
        (StatusCode::GONE, Some(AppError::PasskeyRequestExpired))
    );
}

#[tokio::test]
async fn an_answer_made_for_another_site_is_refused() {
    let f = passkey_site().await;
    let (_, mut authenticator) = with_passkey(&f, "alice").await;
    authenticator.origin = "http://localhost.evil.example".to_string();
    let (browser, outcome) = passkey_sign_in(&f, &mut authenticator).await;
    assert_eq!(
        refusal(outcome),
        (StatusCode::UNAUTHORIZED, Some(AppError::PasskeyWrongSite))
    );
    assert_ne!(browser.get("/dashboard").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_passkey_that_did_not_verify_the_user_is_refused() {
    let f = passkey_site().await;
    let (_, mut authenticator) = with_passkey(&f, "alice").await;
    authenticator.verifies_user = false;
    let (_, outcome) = passkey_sign_in(&f, &mut authenticator).await;
    assert_eq!(refusal(outcome).1, Some(AppError::PasskeyUserNotVerified));

    let browser = signed_in(&f, "bob").await;
    let ceremony = begin(&browser, "register").await.unwrap();
    let answer = authenticator.register(&ceremony.options);
    let outcome = finish(&browser, "register", &ceremony.token, &answer, "Key").await;
    assert_eq!(
        refusal(outcome).1,
        Some(AppError::PasskeyUserNotVerified),
        "nor is one registered"
    );
}

#[tokio::test]
async fn another_accounts_passkey_does_not_finish_a_second_step() {
    let f = passkey_site().await;
    let (_, _alice_key) = with_passkey(&f, "alice").await;
    let (_, mut bob_key) = with_passkey(&f, "bob").await;
    let browser = f.app.browser();
    assert_eq!(
        location(&browser.login("alice", PASSWORD).await),
        "/login/verify?next=%2Fdashboard"
    );
    let ceremony = begin(&browser, "second_step").await.unwrap();
    let answer = bob_key.sign_in(&ceremony.options, 0);
    let outcome = finish(&browser, "second_step", &ceremony.token, &answer, "").await;
    assert_eq!(
        refusal(outcome),
        (StatusCode::UNAUTHORIZED, Some(AppError::PasskeyNotRecognised))
    );
    assert_ne!(browser.get("/dashboard").await.status(), StatusCode::OK);
    let failures =
        f.db.number("select count(*) from security_events where kind = 'second_factor_failed'")
            .await;
    assert_eq!(failures, 1, "counted like a wrong code");
}

#[tokio::test]
async fn an_unknown_passkey_is_refused_and_counted() {
    let f = passkey_site().await;
    let elsewhere = passkey_site().await;
    let mut stranger = Authenticator::new(&site_origin(&elsewhere));
    let browser = signed_in(&elsewhere, "mallory").await;
    super::add_passkey(&browser, &mut stranger, "Elsewhere").await;
    stranger.origin = site_origin(&f);
    let (_, outcome) = passkey_sign_in(&f, &mut stranger).await;
    assert_eq!(
        refusal(outcome),
        (StatusCode::UNAUTHORIZED, Some(AppError::PasskeyNotRecognised))
    );
    let failures =
        f.db.number("select count(*) from security_events where kind = 'sign_in_failed'")
            .await;
    assert_eq!(failures, 1);
}

#[tokio::test]
async fn failed_passkey_attempts_lock_the_account_like_wrong_passwords() {
    let port = crate::support::cluster::free_port();
    let f = fixture_on(&format!("127.0.0.1:{port}"), |settings| {
        settings.public_url = Some(gatehouse::server::config::PublicUrl(format!(
            "http://localhost:{port}"
        )));
        settings.login_lock_after = 3;
        settings.login_delay_after = 100;
    })
    .await;
    let (_, mut authenticator) = with_passkey(&f, "alice").await;
    let honest_origin = authenticator.origin.clone();
    authenticator.origin = "http://localhost:1".to_string();
    for _ in 0..3 {
        let (_, outcome) = passkey_sign_in(&f, &mut authenticator).await;
        assert_eq!(refusal(outcome).1, Some(AppError::PasskeyWrongSite));
    }
    f.sink
        .wait_for_containing("alice@example.test", "/unlock/", 1)
        .await;
    authenticator.origin = honest_origin;
    let (browser, outcome) = passkey_sign_in(&f, &mut authenticator).await;
    assert!(
        outcome.is_err(),
        "locked: the right passkey waits for the unlock link too"
    );
    assert_ne!(browser.get("/dashboard").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn one_client_begins_only_so_many_ceremonies() {
    let port = crate::support::cluster::free_port();
    let f = fixture_on(&format!("127.0.0.1:{port}"), |settings| {
        settings.public_url = Some(gatehouse::server::config::PublicUrl(format!(
            "http://localhost:{port}"
        )));
        settings.password_checks_per_ip = crate::support::per(3, 600);
    })
    .await;
    let browser = f.app.browser();
    for _ in 0..3 {
        assert!(begin(&browser, "sign_in").await.is_ok());
    }
    let refused = begin(&browser, "sign_in").await.err().unwrap();
    assert_eq!(refused.0, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        matches!(refused.1, Some(AppError::RateLimited { .. })),
        "{refused:?}"
    );
}
