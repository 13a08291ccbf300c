//! Abuse resistance: every limit is hit (429 with Retry-After, or lockout) and a real user gets
//! through once the window has passed; proof of work; the proxy rule; enumeration by timing.

use std::time::{Duration, Instant};

use gatehouse::{error::AppError, pow, server::throttle::RateLimit};
use reqwest::{header, StatusCode};

use crate::support::{
    fixture, location, shipped_limits, verified_user, wrong_code_for, Browser, Fixture, PASSWORD,
};

fn per(max: u32, secs: u64) -> RateLimit {
    RateLimit {
        max,
        window: Duration::from_secs(secs),
    }
}

fn assert_throttled(status: StatusCode, error: &Option<AppError>) -> u64 {
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{error:?}");
    match error {
        Some(AppError::RateLimited { retry_after_secs }) => *retry_after_secs,
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

async fn register_call(browser: &Browser, username: &str) -> (StatusCode, Option<AppError>) {
    let email = format!("{username}@example.test");
    browser
        .call_for_error(
            "/api/register",
            &[
                ("username", username),
                ("email", &email),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await
}

#[tokio::test]
async fn registrations_per_client_are_limited_and_the_window_passes() {
    let f = fixture(|s| {
        s.limits = gatehouse::server::config::Limits {
            register_per_ip: per(2, 3),
            ..shipped_limits()
        }
    })
    .await;
    let browser = f.app.browser();
    assert_eq!(register_call(&browser, "reg1").await.0, StatusCode::OK);
    assert_eq!(register_call(&browser, "reg2").await.0, StatusCode::OK);
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
    assert!((1..=3).contains(&retry_after), "Retry-After {retry_after}");
    let page = browser.register("reg3", "reg3@example.test").await;
    assert!(
        location(&page).contains("/register?"),
        "back to the form, which shows the sentence: {}",
        location(&page)
    );
    tokio::time::sleep(Duration::from_secs(retry_after + 1)).await;
    assert_eq!(
        register_call(&browser, "reg3").await.0,
        StatusCode::OK,
        "after the window a real user gets through"
    );
}

#[tokio::test]
async fn mail_to_one_address_and_resends_per_client_are_limited() {
    let f = fixture(|s| {
        s.resend_cooldown = Duration::ZERO;
        s.limits = gatehouse::server::config::Limits {
            mail_per_address: per(3, 4),
            resend_per_ip: per(20, 3600),
            ..shipped_limits()
        };
    })
    .await;
    let browser = f.app.browser();
    browser.register("mailbomb", "victim@example.test").await;
    assert_eq!(
        browser.call_for_error("/api/resend_code", &[]).await.0,
        StatusCode::OK
    );
    assert_eq!(
        browser.call_for_error("/api/resend_code", &[]).await.0,
        StatusCode::OK
    );
    let (status, error) = browser.call_for_error("/api/resend_code", &[]).await;
    let wait = assert_throttled(status, &error);
    // Registering again to the same address counts against the same limit.
    let (status, error) = register_call(&f.app.browser(), "victim").await;
    assert_throttled(status, &error);
    tokio::time::sleep(Duration::from_secs(wait + 1)).await;
    assert_eq!(
        browser.call_for_error("/api/resend_code", &[]).await.0,
        StatusCode::OK
    );
    f.sink
        .wait_for("victim@example.test", 4, Duration::from_secs(10))
        .await;

    let f = fixture(|s| {
        s.resend_cooldown = Duration::ZERO;
        s.limits = gatehouse::server::config::Limits {
            resend_per_ip: per(2, 3600),
            ..shipped_limits()
        };
    })
    .await;
    let browser = f.app.browser();
    browser.register("resender", "resender@example.test").await;
    browser.call_for_error("/api/resend_code", &[]).await;
    browser.call_for_error("/api/resend_code", &[]).await;
    let (status, error) = browser.call_for_error("/api/resend_code", &[]).await;
    assert_throttled(status, &error);
}

#[tokio::test]
async fn wrong_codes_per_client_and_per_registration_are_limited() {
    let f = fixture(|s| {
        s.resend_cooldown = Duration::ZERO;
        s.registration_max_failures = 7;
        s.limits = gatehouse::server::config::Limits {
            verify_failures_per_ip: per(1000, 300),
            ..shipped_limits()
        };
    })
    .await;
    let browser = f.app.browser();
    browser.register("guesser", "guesser@example.test").await;
    let code = f.sink.wait_for_code("guesser@example.test", 1).await;
    let wrong = wrong_code_for(&code);
    for _ in 0..5 {
        browser.call_for_error("/api/verify", &[("code", wrong)]).await;
    }
    // A new code does not reset the registration's total.
    browser.call_for_error("/api/resend_code", &[]).await;
    let fresh = f.sink.wait_for_code("guesser@example.test", 2).await;
    browser.call_for_error("/api/verify", &[("code", wrong)]).await;
    let (status, error) = browser.call_for_error("/api/verify", &[("code", wrong)]).await;
    assert_eq!(
        (status, error),
        (StatusCode::FORBIDDEN, Some(AppError::RegistrationLocked))
    );
    let (_, error) = browser.call_for_error("/api/verify", &[("code", &fresh)]).await;
    assert_eq!(
        error,
        Some(AppError::RegistrationLocked),
        "even the right code is refused now"
    );

    let f = fixture(|s| {
        s.limits = gatehouse::server::config::Limits {
            verify_failures_per_ip: per(3, 3),
            ..shipped_limits()
        }
    })
    .await;
    let browser = f.app.browser();
    browser.register("prober", "prober@example.test").await;
    let code = f.sink.wait_for_code("prober@example.test", 1).await;
    let wrong = wrong_code_for(&code);
    for _ in 0..3 {
        browser.call_for_error("/api/verify", &[("code", wrong)]).await;
    }
    let (status, error) = browser.call_for_error("/api/verify", &[("code", &code)]).await;
    let wait = assert_throttled(status, &error);
    tokio::time::sleep(Duration::from_secs(wait + 1)).await;
    assert_eq!(location(&browser.verify(&code).await), "/login?verified=1");
}

#[tokio::test]
async fn failed_sign_ins_per_client_are_limited() {
    let f = fixture(|s| {
        s.limits = gatehouse::server::config::Limits {
            login_failures_per_ip: per(3, 3),
            pow_after_client_login_failures: 100,
            pow_after_login_failures: 100,
            ..shipped_limits()
        }
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
    tokio::time::sleep(Duration::from_secs(wait + 1)).await;
    assert_eq!(location(&owner.login("wendy", PASSWORD).await), "/dashboard");
}

#[tokio::test]
async fn consecutive_failures_delay_then_lock_an_account_and_unlock_clears_it() {
    let f = fixture(|s| {
        s.limits = gatehouse::server::config::Limits {
            login_delay_after: 1,
            login_lock_after: 4,
            pow_after_login_failures: 100,
            pow_after_client_login_failures: 100,
            ..shipped_limits()
        }
    })
    .await;
    let browser = verified_user(&f, "xena").await;
    let wrong = "wrong password!";
    // Every spelling of the account feeds one counter: username in any case, and the email.
    assert_eq!(
        browser.try_login("xena", wrong, "").await.0,
        StatusCode::UNAUTHORIZED
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        browser.try_login("XENA", wrong, "").await.0,
        StatusCode::UNAUTHORIZED
    );
    // Two failures: 2 s to wait, and an attempt inside the wait is refused, even when right.
    let (status, error) = browser.try_login("xena@example.test", PASSWORD, "").await;
    assert!((1..=2).contains(&assert_throttled(status, &error)));
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(
        browser.try_login("xena", wrong, "").await.0,
        StatusCode::UNAUTHORIZED
    );
    tokio::time::sleep(Duration::from_millis(4100)).await;
    assert_eq!(
        browser.try_login("xena", wrong, "").await.0,
        StatusCode::UNAUTHORIZED,
        "the 4th failure locks"
    );
    let locked = browser.try_login("xena", PASSWORD, "").await;
    let wrong = browser.try_login("xena", wrong, "").await;
    assert_eq!(
        locked,
        (StatusCode::UNAUTHORIZED, Some(AppError::InvalidCredentials)),
        "locked: the generic answer"
    );
    assert_eq!(locked, wrong);

    assert!(gatehouse::server::flows::account::unlock(&f.app.state.db, "XENA")
        .await
        .unwrap());
    assert_eq!(
        location(&browser.login("xena", PASSWORD).await),
        "/dashboard",
        "a success after unlock"
    );
    let mut conn = f.app.state.db.acquire().await.unwrap();
    let kinds: Vec<String> = sqlx::query_scalar("select kind from security_events order by event_id")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    for expected in [
        "registration",
        "code_issued",
        "code_verified",
        "sign_in_failed",
        "throttled",
        "lockout",
        "unlock",
        "sign_in",
    ] {
        assert!(
            kinds.iter().any(|kind| kind == expected),
            "{expected} missing from {kinds:?}"
        );
    }
    let appended = sqlx::query("delete from security_events")
        .execute(&mut *conn)
        .await;
    assert!(appended.is_err(), "the security log is append-only");
}

fn challenge_of(error: &Option<AppError>) -> String {
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

fn solve(challenge: &str) -> String {
    let difficulty = pow::difficulty_of(challenge).unwrap();
    pow::proof(
        challenge,
        pow::search(challenge, difficulty, 0, u64::MAX).unwrap(),
    )
}

#[tokio::test]
async fn repeated_failures_ask_for_a_proof_of_work_that_works_once() {
    let f = fixture(|s| {
        s.limits = gatehouse::server::config::Limits {
            login_delay_after: 100,
            ..shipped_limits()
        }
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
    let not_a_solution = (0..)
        .find(|nonce| !pow::is_solution(&challenge, 8, *nonce))
        .unwrap();
    let forged = challenge_of(
        &browser
            .try_login("yuri", PASSWORD, &pow::proof(&challenge, not_a_solution))
            .await
            .1,
    );
    let tampered = challenge.replacen("v1.8.", "v1.1.", 1);
    challenge_of(&browser.try_login("yuri", PASSWORD, &solve(&tampered)).await.1);

    let proof = solve(&forged);
    assert_eq!(
        browser.try_login("yuri", "wrong password!", &proof).await.0,
        StatusCode::UNAUTHORIZED,
        "a proof buys one evaluation"
    );
    challenge_of(&browser.try_login("yuri", PASSWORD, &proof).await.1);
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

    // Without JavaScript the page says what to do: wait, or turn JavaScript on.
    let f = fixture(|s| {
        s.limits = gatehouse::server::config::Limits {
            pow_after_registrations: 1,
            ..shipped_limits()
        }
    })
    .await;
    let browser = f.app.browser();
    browser.register("burst1", "burst1@example.test").await;
    let refused = browser.register("burst2", "burst2@example.test").await;
    let back = location(&refused);
    assert!(back.contains("/register?"), "{back}");
    let page = browser
        .client
        .get(&back)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Too many attempts from here") && page.contains("turn on JavaScript"),
        "{page}"
    );
}

#[tokio::test]
async fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
    async fn two_clients_share_a_bucket(f: &Fixture) -> bool {
        let from = |ip: &str| {
            let mut headers = header::HeaderMap::new();
            headers.insert("x-forwarded-for", ip.parse().unwrap());
            f.app.browser_with(headers)
        };
        let (first, second) = (from("198.51.100.1"), from("198.51.100.2"));
        first.try_login("nobody", "wrong password!", "").await;
        second.try_login("somebody", "wrong password!", "").await.0 == StatusCode::TOO_MANY_REQUESTS
    }
    let limits = || gatehouse::server::config::Limits {
        login_failures_per_ip: per(1, 3600),
        ..shipped_limits()
    };
    let direct = fixture(|s| s.limits = limits()).await;
    assert!(
        two_clients_share_a_bucket(&direct).await,
        "a stranger's X-Forwarded-For is ignored"
    );
    let proxied = fixture(|s| {
        s.limits = limits();
        s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    assert!(
        !two_clients_share_a_bucket(&proxied).await,
        "behind the trusted proxy each client has its own bucket"
    );
}

/// Mann–Whitney U as a z-score (normal approximation; ties get average ranks).
fn mann_whitney_z(a: &[f64], b: &[f64]) -> f64 {
    let mut all: Vec<(f64, bool)> = a
        .iter()
        .map(|&x| (x, true))
        .chain(b.iter().map(|&x| (x, false)))
        .collect();
    all.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut rank_sum_a = 0.0;
    let mut index = 0;
    while index < all.len() {
        let mut end = index;
        while end + 1 < all.len() && all[end + 1].0 == all[index].0 {
            end += 1;
        }
        let rank = (index + end) as f64 / 2.0 + 1.0;
        rank_sum_a += all[index..=end].iter().filter(|(_, from_a)| *from_a).count() as f64 * rank;
        index = end + 1;
    }
    let (n1, n2) = (a.len() as f64, b.len() as f64);
    let u = rank_sum_a - n1 * (n1 + 1.0) / 2.0;
    (u - n1 * n2 / 2.0) / (n1 * n2 * (n1 + n2 + 1.0) / 12.0).sqrt()
}

fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

#[tokio::test]
async fn unknown_and_known_accounts_answer_alike_in_status_body_and_time() {
    let f = fixture(|s| {
        s.limits.login_delay_after = 10_000;
        s.limits.login_lock_after = 10_000;
    })
    .await;
    let browser = verified_user(&f, "zoe").await;
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    let mut answers = std::collections::HashSet::new();
    for round in 0..200 {
        for (identifier, times) in [("zoe", &mut known), ("nobody-here", &mut unknown)] {
            let started = Instant::now();
            let response = browser
                .call(
                    "/api/login",
                    &[
                        ("identifier", identifier),
                        ("password", "not the password"),
                        ("next", ""),
                    ],
                )
                .await;
            let status = response.status();
            let body = response.text().await.unwrap();
            if round > 0 {
                times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            answers.insert((status, body));
        }
    }
    assert_eq!(answers.len(), 1, "one status and body for both: {answers:?}");
    let z = mann_whitney_z(&known, &unknown);
    let (known_median, unknown_median) = (median(&mut known), median(&mut unknown));
    eprintln!("sign-in timing: known median {known_median:.1} ms, unknown median {unknown_median:.1} ms, Mann-Whitney z {z:.2}");
    assert!(
        z.abs() < 3.29,
        "timing tells the two apart (z = {z:.2}, p < 0.001)"
    );
    assert!(
        (known_median - unknown_median).abs() < 5.0,
        "medians {known_median:.1} vs {unknown_median:.1} ms"
    );
}
