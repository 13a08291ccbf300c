//! Proof of work: after repeated failures on one account, after many failures from one client over
//! many names, and after many registrations from one client, a request must carry a solved
//! challenge; a solution is bound to its challenge, expires, and pays for one request.

use gatehouse::{error::AppError, pow};
use reqwest::StatusCode;

use crate::support::{fixture, location, shipped_limits, verified_user, Browser, PASSWORD};

pub(crate) fn challenge_of(error: &Option<AppError>) -> String {
    match error {
        Some(AppError::ProofOfWorkRequired {
            challenge,
            retry_after_secs,
        }) => {
            assert!(*retry_after_secs > 0);
            challenge.clone()
        }
        other => panic!("expected ProofOfWorkRequired, got {other:?}"),
    }
}

pub(crate) fn solve(challenge: &str) -> String {
    let difficulty = challenge.split('.').nth(1).unwrap().parse::<u8>().unwrap();
    pow::proof(
        challenge,
        pow::search(challenge, difficulty, 0, u64::MAX).unwrap(),
    )
}

#[tokio::test]
async fn repeated_failures_ask_for_a_proof_of_work_that_works_once() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.login_delay_after = 100;
    })
    .await;
    let browser = verified_user(&f, "yuri").await;
    for _ in 0..3 {
        assert_eq!(
            browser.try_login("yuri", "wrong password!", "").await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    let (status, error) = browser.try_login("yuri", PASSWORD, "").await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "the right password without a proof is refused"
    );
    let challenge = challenge_of(&error);
    assert!(challenge.starts_with("v1.8."));
    let not_a_solution = (0..)
        .find(|nonce| !pow::is_solution(&challenge, 8, *nonce))
        .unwrap();
    let forged = challenge_of(
        &browser
            .try_login("yuri", PASSWORD, &pow::proof(&challenge, not_a_solution))
            .await
            .1,
    );
    // Tampered: the same difficulty but a later expiry, so only the signature can tell.
    let (body, signature) = challenge.rsplit_once('.').unwrap();
    let mut fields: Vec<&str> = body.split('.').collect();
    fields[2] = "9999999999";
    let tampered = format!("{}.{signature}", fields.join("."));
    challenge_of(&browser.try_login("yuri", PASSWORD, &solve(&tampered)).await.1);

    let proof = solve(&forged);
    assert_eq!(
        browser.try_login("yuri", "wrong password!", &proof).await.0,
        StatusCode::UNAUTHORIZED,
        "a proof buys one evaluation"
    );
    challenge_of(&browser.try_login("yuri", PASSWORD, &proof).await.1);
    // A challenge expires after ten minutes.
    let stale = challenge_of(&browser.try_login("yuri", PASSWORD, "").await.1);
    f.advance(601);
    challenge_of(&browser.try_login("yuri", PASSWORD, &solve(&stale)).await.1);
    let fresh = challenge_of(&browser.try_login("yuri", PASSWORD, "").await.1);
    let signed_in = browser
        .post_form(
            "/api/login",
            "/login",
            &[
                ("identifier", "yuri"),
                ("password", PASSWORD),
                ("next", ""),
                ("pow", &solve(&fresh)),
            ],
        )
        .await;
    assert_eq!(location(&signed_in), "/dashboard");
}

#[tokio::test]
async fn without_javascript_the_page_says_to_wait_or_turn_javascript_on() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.pow_after_registrations = 1;
    })
    .await;
    let browser = f.app.browser();
    browser.register("burst1", "burst1@example.test").await;
    let refused = browser.register("burst2", "burst2@example.test").await;
    assert!(
        location(&refused).contains("/register?"),
        "{}",
        location(&refused)
    );
    let page = browser.follow(&refused).await;
    assert!(
        page.contains("Too many attempts from here") && page.contains("turn on JavaScript"),
        "{page}"
    );
}

#[tokio::test]
async fn failures_over_many_names_ask_their_client_for_a_proof_of_work() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.trusted_proxies = gatehouse::server::config::SettingValue::parse_setting("127.0.0.1").unwrap();
    })
    .await;
    let settings = &f.app.state.settings;
    let after = settings.pow_after_client_login_failures;
    assert!(
        after > 0 && after < settings.login_failures_per_ip.max,
        "the proof of work comes before the rate limit"
    );
    verified_user(&f, "wanda").await;
    let stuffer = f.app.browser_from("203.0.113.9");
    for n in 0..after {
        assert_eq!(
            stuffer
                .try_login(&format!("stuffed{n}"), "leaked-password-1", "")
                .await,
            (StatusCode::UNAUTHORIZED, Some(AppError::InvalidCredentials)),
            "failure {n} is evaluated"
        );
    }

    let (status, error) = stuffer.try_login("wanda", PASSWORD, "").await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "a name it never tried, the right password: the client must pay first"
    );
    let challenge = challenge_of(&error);

    let elsewhere = f.app.browser_from("198.51.100.4");
    assert_eq!(
        location(&elsewhere.login("wanda", PASSWORD).await),
        "/dashboard",
        "another client is not asked"
    );
    let paid = stuffer
        .post_form(
            "/api/login",
            "/login",
            &[
                ("identifier", "wanda"),
                ("password", PASSWORD),
                ("next", ""),
                ("pow", &solve(&challenge)),
            ],
        )
        .await;
    assert_eq!(location(&paid), "/dashboard", "paid: evaluated");
}

/// A registration that carries `proof`, a solved proof-of-work challenge.
async fn register_paying(browser: &Browser, username: &str, proof: &str) -> (StatusCode, Option<AppError>) {
    let email = format!("{username}@example.test");
    browser
        .call_for_error(
            "/api/register",
            &[
                ("username", username),
                ("email", &email),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("pow", proof),
            ],
        )
        .await
}

#[tokio::test]
async fn a_solved_registration_puzzle_pays_for_one_registration() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.pow_after_registrations = 1;
    })
    .await;
    let browser = f.app.browser();
    assert_eq!(register_paying(&browser, "paid1", "").await.0, StatusCode::OK);
    let (status, error) = register_paying(&browser, "paid2", "").await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "over the threshold: {error:?}"
    );
    let proof = solve(&challenge_of(&error));
    assert_eq!(
        register_paying(&browser, "paid2", &proof).await.0,
        StatusCode::OK,
        "a solution pays for a registration"
    );
    assert_eq!(
        f.db.number("select count(*) from used_challenges").await,
        1,
        "and is spent"
    );

    let (status, error) = register_paying(&browser, "paid3", &proof).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "the same solution again: {error:?}"
    );
    let fresh = challenge_of(&error);
    assert_eq!(
        f.db.number("select count(*) from users where username = 'paid3'")
            .await,
        0,
        "nothing was registered with a spent solution"
    );
    assert_eq!(
        register_paying(&browser, "paid3", &solve(&fresh)).await.0,
        StatusCode::OK,
        "a new solution does"
    );
}

/// Both counts that ask for a proof of work, one name's failures and one client's, look back
/// `pow_window_secs`: 15 minutes after the last failure, neither asks any more.
#[tokio::test]
async fn the_failures_that_ask_for_a_proof_of_work_are_forgotten_after_15_minutes() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.login_delay_after = 100;
        s.trusted_proxies = gatehouse::server::config::SettingValue::parse_setting("127.0.0.1").unwrap();
    })
    .await;
    let settings = &f.app.state.settings;
    assert_eq!(settings.pow_window_secs.signed(), 15 * 60);
    let (after_name, after_client) = (
        settings.pow_after_login_failures,
        settings.pow_after_client_login_failures,
    );
    verified_user(&f, "yara").await;
    let client = f.app.browser_from("203.0.113.9");
    for n in 0..after_client {
        let name = if n < after_name {
            "yara".to_string()
        } else {
            format!("stuffed{n}")
        };
        assert_eq!(
            client.try_login(&name, "wrong password!", "").await.0,
            StatusCode::UNAUTHORIZED,
            "failure {n} is evaluated"
        );
    }
    f.advance(15 * 60 - 1);
    for name in ["yara", "someone-new"] {
        let (status, error) = client.try_login(name, PASSWORD, "").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{name}, a second early");
        challenge_of(&error);
    }
    f.advance(2);
    assert_eq!(
        location(&client.login("yara", PASSWORD).await),
        "/dashboard",
        "a second late: neither the name nor the client is asked"
    );
}
