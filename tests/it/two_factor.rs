//! Two-factor sign-in: enrolment on the security page (a recent password, the app's first code),
//! the second step of a sign-in (codes within one step either side, each step once, recovery codes
//! once), and turning it off; what bounds the second step is in `two_factor_limits`. Codes are
//! computed from the secret the page shows, at the app's clock, which the tests move (no waiting
//! for 30-second steps).

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

use crate::support::{fixture, location, verified_user, Browser, Fixture, PASSWORD};

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

pub(crate) fn current_code(f: &Fixture, enrolled: &Enrolled) -> String {
    code_at(&enrolled.secret, f.clock.now())
}

/// A code that no step the server accepts at `time` (one either side) would give.
pub(crate) fn wrong_code(secret: &[u8], time: i64) -> String {
    let accepted: Vec<String> = [-30, 0, 30]
        .iter()
        .map(|offset| code_at(secret, time + offset))
        .collect();
    ["000000", "111111", "222222", "333333"]
        .into_iter()
        .find(|code| !accepted.iter().any(|right| right == code))
        .unwrap()
        .to_string()
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

pub(crate) async fn pass_password(browser: &Browser, username: &str) {
    let response = browser.login(username, PASSWORD).await;
    assert_eq!(location(&response), "/login/verify?next=%2Fdashboard");
}

pub(crate) async fn second_step(browser: &Browser, code: &str) -> (StatusCode, Option<AppError>) {
    browser
        .call_for_error("/api/second_step", &[("code", code), ("next", "/dashboard")])
        .await
}

pub(crate) async fn events(f: &Fixture, username: &str) -> Vec<String> {
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

    let wrong = wrong_code(&secret, f.clock.now());
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
        language: Default::default(),
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
