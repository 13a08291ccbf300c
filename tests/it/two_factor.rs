//! Two-factor sign-in: enrolment on the security page (a recent password, the app's first code),
//! the second step of a sign-in (codes within one step either side, each step once, recovery codes
//! once), its limits, delays and lock under parallel guesses, its 5 minutes and its browser, and
//! turning it off. Codes are computed from the secret the page shows, at the app's clock, which the
//! tests move (no waiting for 30-second steps).

use gatehouse::{
    error::AppError,
    server::{
        client::Client,
        clock::Clock,
        domain::{EnableTwoFactor, NoticeDetails, TwoFactorChange},
    },
};
use reqwest::{header, StatusCode};
use totp_rs::{Builder, Secret};

use crate::support::{burst, count, fixture, location, per, verified_user, Browser, Fixture, PASSWORD};

/// An account with two-factor on: its browser (signed in), the secret its app holds, and its
/// recovery codes.
pub struct Enrolled {
    pub browser: Browser,
    pub secret: Vec<u8>,
    pub recovery_codes: Vec<String>,
}

pub fn code_at(secret: &[u8], time: i64) -> String {
    Builder::new()
        .with_secret(secret.to_vec())
        .build()
        .unwrap()
        .generate(u64::try_from(time).unwrap())
        .to_string()
}

fn current_code(f: &Fixture, enrolled: &Enrolled) -> String {
    code_at(&enrolled.secret, f.clock.now())
}

/// The text between `start` and the next `end`, for each occurrence.
fn between<'a>(html: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    html.split(start)
        .skip(1)
        .filter_map(|rest| rest.split(end).next())
        .collect()
}

/// The secret as the page shows it, in groups of four.
fn grouped_secret(html: &str) -> String {
    let shown = between(html, "data-testid=\"totp-secret\"", "</code>");
    let element = shown.first().expect("the page shows the secret");
    element.split_once('>').expect("the element's text").1.to_string()
}

fn secret_on_page(html: &str) -> Vec<u8> {
    let base32: String = grouped_secret(html)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    Secret::try_from_base32(&base32).unwrap().as_bytes().to_vec()
}

fn recovery_codes_on_page(html: &str) -> Vec<String> {
    let list = between(html, "data-testid=\"recovery-codes\"", "</ul>");
    list.first()
        .map(|list| {
            between(list, "<code>", "</code>")
                .into_iter()
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

async fn signed_in(f: &Fixture, username: &str) -> Browser {
    let browser = verified_user(f, username).await;
    assert_eq!(location(&browser.login(username, PASSWORD).await), "/dashboard");
    browser
}

pub async fn enrol(f: &Fixture, username: &str) -> Enrolled {
    let browser = signed_in(f, username).await;
    let started = browser
        .post_form("/api/start_two_factor", "/account/security", &[])
        .await;
    assert_eq!(location(&started), "/account/security");
    let secret = secret_on_page(&browser.page("/account/security").await);
    let code = code_at(&secret, f.clock.now());
    let enabled = browser
        .post_form("/api/enable_two_factor", "/account/security", &[("code", &code)])
        .await;
    assert_eq!(location(&enabled), "/account/security");
    assert!(
        crate::sign_in::session_cookie(&enabled, "gatehouse").is_some(),
        "turning two-factor on renews the session id"
    );
    let recovery_codes = recovery_codes_on_page(&browser.page("/account/security").await);
    assert_eq!(recovery_codes.len(), 10);
    // The enrolment's code was used: the next sign-in needs the next step's.
    f.advance(30);
    Enrolled {
        browser,
        secret,
        recovery_codes,
    }
}

async fn pass_password(browser: &Browser, username: &str) {
    let response = browser.login(username, PASSWORD).await;
    assert_eq!(location(&response), "/login/verify?next=%2Fdashboard");
}

async fn second_step(browser: &Browser, code: &str) -> (StatusCode, Option<AppError>) {
    browser
        .call_for_error("/api/second_step", &[("code", code), ("next", "/dashboard")])
        .await
}

async fn events(f: &Fixture, username: &str) -> Vec<String> {
    f.db.texts(&format!(
        "select kind from security_events where user_id = (select user_id from users where username = '{username}')
         order by event_id"
    ))
    .await
}

#[tokio::test]
async fn enrolment_needs_a_recent_password_and_the_apps_first_code() {
    let f = fixture(|_| {}).await;
    let browser = signed_in(&f, "tove").await;
    f.advance(601);
    let page = browser.page("/account/security").await;
    assert!(page.contains("enter your password to set it up") && !page.contains("totp-secret"));
    let (status, _) = browser.call_for_error("/api/start_two_factor", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the password is asked again first");
    let confirmed = browser
        .post_form(
            "/api/confirm_password",
            "/account/security",
            &[("password", PASSWORD), ("next", "/account/security")],
        )
        .await;
    assert_eq!(location(&confirmed), "/account/security");
    browser
        .post_form("/api/start_two_factor", "/account/security", &[])
        .await;
    let page = browser.page("/account/security").await;
    assert!(
        page.contains("<svg") && page.contains("role=\"img\""),
        "a QR code, inline"
    );
    let grouped = grouped_secret(&page);
    assert_eq!(
        grouped.split(' ').count(),
        8,
        "32 base-32 letters in groups of four: {grouped}"
    );
    let secret = secret_on_page(&page);
    assert_eq!(secret.len(), 20, "160 bits");
    let stored = f.db.blobs("select sealed_secret from totp_factors").await;
    assert!(
        !stored[0].windows(20).any(|window| window == secret.as_slice()),
        "stored sealed, never as it is"
    );

    let wrong = code_at(&secret, f.clock.now() + 300);
    let (status, error) = browser
        .call_for_error("/api/enable_two_factor", &[("code", &wrong)])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(matches!(error, Some(AppError::Validation(_))));
    assert_eq!(
        f.db.number("select count(*) from totp_factors where enabled_at is not null")
            .await,
        0
    );

    let code = code_at(&secret, f.clock.now());
    browser
        .post_form("/api/enable_two_factor", "/account/security", &[("code", &code)])
        .await;
    let page = browser.page("/account/security").await;
    let codes = recovery_codes_on_page(&page);
    let unique: std::collections::HashSet<&String> = codes.iter().collect();
    assert_eq!(unique.len(), 10);
    assert!(
        codes
            .iter()
            .all(|code| code.len() == 19 && code.split('-').all(|group| group.len() == 4)),
        "16 symbols (80 bits) in four groups: {codes:?}"
    );
    assert_eq!(
        f.db.number("select count(*) from recovery_codes where used_at is null")
            .await,
        10
    );
    let stored = f.db.blobs("select code_hash from recovery_codes").await;
    assert!(stored
        .iter()
        .all(|hash| !hash.windows(5).any(|w| codes[0].as_bytes()[..5] == *w)));

    let file = browser.get("/account/security/recovery-codes.txt").await;
    assert_eq!(file.status(), StatusCode::OK);
    assert!(file.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let text = file.text().await.unwrap();
    assert!(codes.iter().all(|code| text.contains(code.as_str())));

    browser
        .post_form("/api/recovery_codes_saved", "/account/security", &[])
        .await;
    let page = browser.page("/account/security").await;
    assert!(recovery_codes_on_page(&page).is_empty(), "shown once");
    assert!(page.contains("10 recovery codes are left"));
    assert_eq!(
        browser.get("/account/security/recovery-codes.txt").await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(browser.page("/dashboard").await.contains("<dd>On</dd>"));
    f.sink
        .wait_for_containing("tove@example.test", "two-factor sign-in was turned on", 1)
        .await;
    assert!(events(&f, "tove")
        .await
        .contains(&"two_factor_enabled".to_string()));
}

#[tokio::test]
async fn the_session_starts_only_after_the_second_step_and_a_code_works_once() {
    let f = fixture(|_| {}).await;
    let enrolled = enrol(&f, "ulla").await;
    let laptop = f.app.browser();
    pass_password(&laptop, "ulla").await;
    assert_eq!(
        location(&laptop.get("/dashboard").await),
        "/login?next=/dashboard",
        "not signed in yet"
    );
    assert!(laptop.page("/login/verify").await.contains("One more step"));
    let now = f.clock.now();
    let (status, error) = second_step(&laptop, &code_at(&enrolled.secret, now + 120)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error, Some(AppError::SecondFactorInvalid));
    let code = current_code(&f, &enrolled);
    let done = laptop
        .post_form(
            "/api/second_step",
            "/login/verify",
            &[("code", &code), ("next", "/account")],
        )
        .await;
    assert_eq!(location(&done), "/account");
    assert_eq!(laptop.get("/dashboard").await.status(), StatusCode::OK);

    // The same code again, from another browser that knows the password: refused (replay).
    let phone = f.app.browser();
    pass_password(&phone, "ulla").await;
    assert_eq!(second_step(&phone, &code).await.0, StatusCode::UNAUTHORIZED);
    f.advance(30);
    assert_eq!(
        second_step(&phone, &current_code(&f, &enrolled)).await.0,
        StatusCode::OK
    );
    let kinds = events(&f, "ulla").await;
    let tail: Vec<&str> = kinds.iter().rev().take(6).rev().map(String::as_str).collect();
    assert_eq!(
        tail,
        [
            "password_accepted",
            "second_factor_failed",
            "sign_in",
            "password_accepted",
            "second_factor_failed",
            "sign_in"
        ]
    );
}

#[tokio::test]
async fn codes_count_one_step_either_side_and_no_further() {
    let f = fixture(|_| {}).await;
    let enrolled = enrol(&f, "vera").await;
    f.advance(60);
    let browser = f.app.browser();
    let now = f.clock.now();
    pass_password(&browser, "vera").await;
    for far in [now - 60, now + 60] {
        assert_eq!(
            second_step(&browser, &code_at(&enrolled.secret, far)).await.0,
            StatusCode::UNAUTHORIZED,
            "two steps away"
        );
    }
    assert_eq!(
        second_step(&browser, &code_at(&enrolled.secret, now - 30))
            .await
            .0,
        StatusCode::OK
    );
    let browser = f.app.browser();
    pass_password(&browser, "vera").await;
    assert_eq!(
        second_step(&browser, &code_at(&enrolled.secret, now + 30))
            .await
            .0,
        StatusCode::OK
    );
    let browser = f.app.browser();
    pass_password(&browser, "vera").await;
    assert_eq!(
        second_step(&browser, &code_at(&enrolled.secret, now)).await.0,
        StatusCode::UNAUTHORIZED,
        "a step older than one already accepted"
    );
}

#[tokio::test]
async fn a_recovery_code_works_once_and_tells_the_owner() {
    let f = fixture(|_| {}).await;
    let enrolled = enrol(&f, "wim").await;
    let browser = f.app.browser();
    pass_password(&browser, "wim").await;
    // Typed the way people type: lower case, without the dash.
    let typed = enrolled.recovery_codes[3].to_lowercase().replace('-', " ");
    let done = browser
        .post_form(
            "/api/second_step",
            "/login/verify",
            &[("code", &typed), ("next", "/dashboard")],
        )
        .await;
    assert_eq!(location(&done), "/dashboard?recovery_codes_left=9");
    assert!(browser
        .page("/dashboard?recovery_codes_left=9")
        .await
        .contains("You signed in with a recovery code"));
    let notice = f
        .sink
        .wait_for_containing("wim@example.test", "recovery codes was just used", 1)
        .await;
    assert!(notice.text().contains("9 of your recovery codes are left"));
    let again = f.app.browser();
    pass_password(&again, "wim").await;
    assert_eq!(
        second_step(&again, &enrolled.recovery_codes[3]).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        second_step(&again, &enrolled.recovery_codes[4]).await.0,
        StatusCode::OK
    );
    enrolled
        .browser
        .post_form("/api/recovery_codes_saved", "/account/security", &[])
        .await;
    assert!(enrolled
        .browser
        .page("/account/security")
        .await
        .contains("8 recovery codes are left"));
    assert!(events(&f, "wim")
        .await
        .contains(&"recovery_code_used".to_string()));
}

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
    let wrong = code_at(&enrolled.secret, f.clock.now() - 86_400);
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
    let wrong = code_at(&enrolled.secret, f.clock.now() - 86_400);
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
async fn turning_off_and_new_recovery_codes_need_the_password_and_a_code() {
    let f = fixture(|_| {}).await;
    let enrolled = enrol(&f, "abel").await;
    let browser = &enrolled.browser;
    browser
        .post_form("/api/recovery_codes_saved", "/account/security", &[])
        .await;
    let code = current_code(&f, &enrolled);
    let (status, error) = browser
        .call_for_error(
            "/api/disable_two_factor",
            &[("password", "not the password!"), ("code", &code)],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error
        .unwrap()
        .field_message(gatehouse::validate::Field::CurrentPassword)
        .is_some());
    let (status, error) = browser
        .call_for_error(
            "/api/disable_two_factor",
            &[("password", PASSWORD), ("code", "123456")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error
        .unwrap()
        .field_message(gatehouse::validate::Field::Code)
        .is_some());

    // New recovery codes: the old set stops working.
    let renewed = browser
        .post_form(
            "/api/new_recovery_codes",
            "/account/security",
            &[("password", PASSWORD), ("code", &enrolled.recovery_codes[0])],
        )
        .await;
    assert_eq!(location(&renewed), "/account/security");
    let new_codes = recovery_codes_on_page(&browser.page("/account/security").await);
    assert_eq!(new_codes.len(), 10);
    assert!(new_codes
        .iter()
        .all(|code| !enrolled.recovery_codes.contains(code)));
    let other = f.app.browser();
    pass_password(&other, "abel").await;
    assert_eq!(
        second_step(&other, &enrolled.recovery_codes[1]).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(second_step(&other, &new_codes[0]).await.0, StatusCode::OK);
    f.sink
        .wait_for_containing("abel@example.test", "new set of recovery codes", 1)
        .await;

    let code = current_code(&f, &enrolled);
    let off = browser
        .post_form(
            "/api/disable_two_factor",
            "/account/security",
            &[("password", PASSWORD), ("code", &code)],
        )
        .await;
    assert_eq!(location(&off), "/account/security?turned_off=1");
    assert_eq!(f.db.number("select count(*) from totp_factors").await, 0);
    assert_eq!(f.db.number("select count(*) from recovery_codes").await, 0);
    f.sink
        .wait_for_containing("abel@example.test", "two-factor sign-in was turned off", 1)
        .await;
    assert_eq!(
        location(&f.app.browser().login("abel", PASSWORD).await),
        "/dashboard"
    );
    let kinds = events(&f, "abel").await;
    for kind in [
        "two_factor_enabled",
        "recovery_codes_replaced",
        "two_factor_disabled",
    ] {
        assert!(kinds.contains(&kind.to_string()), "{kind}: {kinds:?}");
    }
}

#[tokio::test]
async fn a_password_reset_does_not_skip_the_second_factor() {
    let f = fixture(|_| {}).await;
    enrol(&f, "boris").await;
    let browser = f.app.browser();
    browser.start_recovery("boris").await;
    let code = f.recovery_code("boris@example.test", 1).await;
    browser.enter_recovery_code(&code).await;
    let new_password = "harbour-meadow-cobalt-4";
    let reset = browser
        .post_form(
            "/api/reset_password",
            "/recover/password",
            &[("password", new_password), ("password_confirm", new_password)],
        )
        .await;
    assert_eq!(location(&reset), "/login?reset=1");
    let response = browser.login("boris", new_password).await;
    assert_eq!(location(&response), "/login/verify?next=%2Fdashboard");
}

#[tokio::test]
async fn when_the_operator_requires_it_users_without_it_are_sent_to_set_it_up() {
    let f = fixture(|s| s.two_factor_required = true).await;
    let browser = signed_in(&f, "cato").await;
    assert_eq!(
        location(&browser.get("/dashboard").await),
        "/account/security?required=1"
    );
    assert_eq!(
        location(&browser.get("/account").await),
        "/account/security?required=1"
    );
    let page = browser.page("/account/security?required=1").await;
    assert!(page.contains("requires two-factor sign-in"));
    browser
        .post_form("/api/start_two_factor", "/account/security", &[])
        .await;
    let secret = secret_on_page(&browser.page("/account/security").await);
    browser
        .post_form(
            "/api/enable_two_factor",
            "/account/security",
            &[("code", &code_at(&secret, f.clock.now()))],
        )
        .await;
    assert_eq!(browser.get("/dashboard").await.status(), StatusCode::OK);
    assert!(
        !browser
            .page("/account/security")
            .await
            .contains("Turn two-factor off"),
        "no button offers to turn it off"
    );

    // Nor does the API, with the right password and a fresh code.
    f.advance(30);
    let (status, error) = browser
        .call_for_error(
            "/api/disable_two_factor",
            &[("password", PASSWORD), ("code", &code_at(&secret, f.clock.now()))],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error, Some(AppError::TwoFactorRequired));
    assert_eq!(
        f.db.number("select count(*) from totp_factors where enabled_at is not null")
            .await,
        1
    );
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
                serde_json::from_str::<AppError>(&body).is_ok(),
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
async fn enrolment_turns_on_only_the_secret_its_code_was_checked_against() {
    let f = fixture(|_| {}).await;
    let browser = signed_in(&f, "ines").await;
    browser
        .post_form("/api/start_two_factor", "/account/security", &[])
        .await;
    let store = &f.app.state.store;
    let user_id = store.user_id_of("ines").await.unwrap().unwrap();
    let checked = store.two_factor(user_id).await.unwrap().unwrap().sealed_secret;
    // "Start over" lands between the code's check and the switch: the row holds a secret nobody saw.
    browser
        .post_form("/api/start_two_factor", "/account/security", &[])
        .await;
    let client = Client {
        ip: "127.0.0.1".parse().unwrap(),
        user_agent: String::new(),
    };
    let details = NoticeDetails::default();
    let enable = EnableTwoFactor {
        change: TwoFactorChange {
            user_id,
            details: &details,
            client: &client,
            now: f.clock.now(),
        },
        step: f.clock.now() / 30,
        sealed_secret: &checked,
        recovery_code_hashes: &[],
    };
    assert!(!store.enable_two_factor(enable).await.unwrap());
    assert_eq!(
        f.db.number("select count(*) from totp_factors where enabled_at is not null")
            .await,
        0
    );
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
