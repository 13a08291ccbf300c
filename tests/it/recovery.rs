//! A forgotten password: a code to the account's address, the same code page as registration, a
//! new password. Unknown names and addresses get the same answer; a recovery finishes only in the
//! browser that started it; a reset ends every session, lifts the lock, and signs nobody in.

use std::time::Duration;

use gatehouse::error::AppError;
use reqwest::StatusCode;

use crate::support::{fixture, location, verified_user, Browser, PASSWORD};

const NEW_PASSWORD: &str = "lantern-quarry-violet-9";

fn lifted(s: &mut gatehouse::server::config::Settings) {
    s.resend_cooldown_secs = gatehouse::server::config::Seconds(0);
}

async fn set_password(browser: &Browser, password: &str) -> reqwest::Response {
    browser
        .post_form(
            "/api/reset_password",
            "/recover/password",
            &[("password", password), ("password_confirm", password)],
        )
        .await
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_username_or_by_address() {
    let f = fixture(lifted).await;
    verified_user(&f, "rosa").await;
    for (identifier, shows_address) in [("rosa", false), ("Rosa@Example.test", true)] {
        let browser = f.app.browser();
        let started = browser.start_recovery(identifier).await;
        assert_eq!(location(&started), "/recover/verify");
        let nth = if shows_address { 2 } else { 1 };
        let code = f.recovery_code("rosa@example.test", nth).await;
        // The request did not wait for the mail; the page shows the code once it is marked sent.
        let mut page = browser.page("/recover/verify").await;
        for _ in 0..50 {
            if page.contains("The code expires in") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            page = browser.page("/recover/verify").await;
        }
        assert_eq!(
            page.contains("r•••a@example.test"),
            shows_address,
            "the address shows only when it was typed"
        );
        let main = &page[page.find("<main").unwrap_or(0)..];
        assert!(
            main.contains("The code expires in") && main.contains("10:00"),
            "ten minutes, counted down: {}",
            &main[..main.len().min(1500)]
        );
        assert_eq!(
            location(&browser.enter_recovery_code(&code).await),
            "/recover/password"
        );
        assert!(browser
            .page("/recover/password")
            .await
            .contains("Set the new password"));
        let password = format!("{NEW_PASSWORD}-{nth}");
        assert_eq!(
            location(&set_password(&browser, &password).await),
            "/login?reset=1",
            "nobody is signed in"
        );
        assert_eq!(
            location(&browser.get("/dashboard").await),
            "/login?next=/dashboard"
        );
        assert_eq!(location(&browser.login("rosa", &password).await), "/dashboard");
    }
    assert_eq!(
        f.app.browser().try_login("rosa", PASSWORD, "").await.0,
        StatusCode::UNAUTHORIZED,
        "the old password is gone"
    );
}

#[tokio::test]
async fn the_new_password_follows_the_rules_and_is_not_the_current_one() {
    let f = fixture(lifted).await;
    verified_user(&f, "sami").await;
    let browser = f.app.browser();
    browser.start_recovery("sami").await;
    browser
        .enter_recovery_code(&f.recovery_code("sami@example.test", 1).await)
        .await;
    for (password, expected) in [
        ("short", "at least 15 characters"),
        ("password1234567", "most commonly used"),
        ("sami-sails-the-sea-far", "must not contain your username"),
        (PASSWORD, "different from your current one"),
    ] {
        let response = browser
            .call(
                "/api/reset_password",
                &[("password", password), ("password_confirm", password)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{password}");
        assert!(
            response.text().await.unwrap().contains(expected),
            "{password}: {expected}"
        );
    }
    let mismatch = browser
        .call(
            "/api/reset_password",
            &[("password", NEW_PASSWORD), ("password_confirm", "other")],
        )
        .await;
    assert_eq!(mismatch.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        location(&set_password(&browser, NEW_PASSWORD).await),
        "/login?reset=1"
    );
    let used = browser
        .call(
            "/api/reset_password",
            &[
                ("password", "yet-another-password-1"),
                ("password_confirm", "yet-another-password-1"),
            ],
        )
        .await;
    assert_eq!(used.status(), StatusCode::NOT_FOUND, "the recovery is used up");
}

#[tokio::test]
async fn a_reset_ends_every_session_lifts_the_lock_and_tells_the_owner() {
    let f = fixture(|s| {
        lifted(s);
        s.login_lock_after = 3;
        s.login_delay_after = 100;
        s.trusted_proxies = gatehouse::server::config::SettingValue::parse_setting("127.0.0.1").unwrap();
    })
    .await;
    let laptop = verified_user(&f, "tess").await;
    laptop.login("tess", PASSWORD).await;
    for attempt in 1..=3 {
        f.app
            .browser_from(&format!("203.0.113.{attempt}"))
            .try_login("tess", "wrong password!", "")
            .await;
    }
    assert_eq!(
        f.db.number("select count(*) from users where locked_at is not null")
            .await,
        1,
        "locked"
    );
    let phone = f.app.browser_from("198.51.100.5");
    phone.start_recovery("tess@example.test").await;
    let code = f.recovery_code("tess@example.test", 1).await;
    phone.enter_recovery_code(&code).await;
    assert_eq!(
        location(&set_password(&phone, NEW_PASSWORD).await),
        "/login?reset=1"
    );
    assert_eq!(
        location(&laptop.get("/dashboard").await),
        "/login?next=/dashboard",
        "the laptop is signed out"
    );
    assert_eq!(
        location(&phone.login("tess", NEW_PASSWORD).await),
        "/dashboard",
        "the lock is lifted"
    );
    let notice = f
        .sink
        .wait_for_containing(
            "tess@example.test",
            "password of your Gatehouse account was just changed",
            1,
        )
        .await;
    let text = notice.text();
    assert!(
        text.contains("password of your Gatehouse account was just changed"),
        "{text}"
    );
    assert!(
        text.contains("198.51.100.5") && text.contains("UTC"),
        "when and from where"
    );
    assert!(!text.contains(NEW_PASSWORD));
}

/// The owner who guessed wrong until their own browser was delayed, then reset the password,
/// signs in from that browser at once, by username and by address.
#[tokio::test]
async fn a_reset_lifts_the_delays_its_owner_ran_into() {
    let f = fixture(|s| {
        lifted(s);
        s.login_delay_after = 2;
    })
    .await;
    let phone = verified_user(&f, "tilo").await;
    for identifier in ["tilo", "tilo@example.test"] {
        for _ in 0..2 {
            phone.try_login(identifier, "wrong password!", "").await;
        }
        let (status, _) = phone.try_login(identifier, "wrong password!", "").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{identifier} is delayed");
    }
    phone.start_recovery("tilo").await;
    let code = f.recovery_code("tilo@example.test", 1).await;
    phone.enter_recovery_code(&code).await;
    assert_eq!(
        location(&set_password(&phone, NEW_PASSWORD).await),
        "/login?reset=1"
    );
    for identifier in ["tilo", "tilo@example.test"] {
        assert_eq!(
            location(&phone.login(identifier, NEW_PASSWORD).await),
            "/dashboard",
            "{identifier}"
        );
        phone.post_form("/api/logout", "/dashboard", &[]).await;
    }
}

#[tokio::test]
async fn codes_of_a_recovery_can_be_wrong_expire_and_work_once() {
    let f = fixture(lifted).await;
    verified_user(&f, "uwe").await;
    let browser = f.app.browser();
    browser.start_recovery("uwe").await;
    let code = f.recovery_code("uwe@example.test", 1).await;
    let wrong = crate::support::wrong_code_for(&code);
    let (status, error) = browser
        .call_for_error("/api/verify", &[("purpose", "recovery"), ("code", wrong)])
        .await;
    assert_eq!(
        (status, error),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(AppError::WrongCode { attempts_left: 4 })
        )
    );
    f.advance(600);
    let (status, error) = browser
        .call_for_error("/api/verify", &[("purpose", "recovery"), ("code", &code)])
        .await;
    assert_eq!(
        (status, error),
        (StatusCode::GONE, Some(AppError::CodeExpired)),
        "ten minutes"
    );
    assert_eq!(
        browser
            .call_for_error("/api/resend_code", &[("purpose", "recovery")])
            .await
            .0,
        StatusCode::OK
    );
    let fresh = f.recovery_code("uwe@example.test", 2).await;
    assert_eq!(
        location(&browser.enter_recovery_code(&fresh).await),
        "/recover/password"
    );
    let (status, _) = browser
        .call_for_error("/api/verify", &[("purpose", "recovery"), ("code", &fresh)])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a code works once");
    // The password step waits ten minutes, no longer.
    f.advance(601);
    assert!(
        location(&set_password(&browser, NEW_PASSWORD).await).contains("__err"),
        "refused, said on the page"
    );
    assert_eq!(
        location(&browser.login("uwe", PASSWORD).await),
        "/dashboard",
        "the password did not change"
    );
}

#[tokio::test]
async fn a_recovery_started_in_one_browser_cannot_be_finished_in_another() {
    let f = fixture(lifted).await;
    verified_user(&f, "vera").await;
    let (owner, other) = (f.app.browser(), f.app.browser());
    owner.start_recovery("vera").await;
    let code = f.recovery_code("vera@example.test", 1).await;
    let (status, error) = other
        .call_for_error("/api/verify", &[("purpose", "recovery"), ("code", &code)])
        .await;
    assert_eq!(
        (status, error),
        (StatusCode::NOT_FOUND, Some(AppError::NoPendingVerification))
    );
    other.start_recovery("vera").await; // the other browser's own request voids the first code
    let (_, error) = owner
        .call_for_error("/api/verify", &[("purpose", "recovery"), ("code", &code)])
        .await;
    assert_eq!(
        error,
        Some(AppError::NoPendingVerification),
        "a new request voids the old one"
    );
    let code = f.recovery_code("vera@example.test", 2).await;
    assert_eq!(
        location(&other.enter_recovery_code(&code).await),
        "/recover/password"
    );
    let (status, _) = owner
        .call_for_error(
            "/api/reset_password",
            &[("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the owner's browser cannot finish the other's recovery"
    );
    assert_eq!(
        location(&f.app.browser().login("vera", PASSWORD).await),
        "/dashboard",
        "nothing changed before a code"
    );
}

#[tokio::test]
async fn unknown_names_and_addresses_get_the_same_answer() {
    let f = fixture(lifted).await;
    verified_user(&f, "wolf").await;
    let mut answers = std::collections::HashSet::new();
    for identifier in ["wolf", "nobody-here", "wolf@example.test", "nobody@example.test"] {
        let browser = f.app.browser();
        let response = browser.call("/api/recover", &[("identifier", identifier)]).await;
        answers.insert((response.status(), response.text().await.unwrap()));
        let status = browser.call("/api/code_status", &[("purpose", "recovery")]).await;
        assert_eq!(
            status.status(),
            StatusCode::OK,
            "{identifier}: a code page to show"
        );
    }
    assert_eq!(answers.len(), 1, "{answers:?}");
    let notice = f
        .sink
        .wait_for("nobody@example.test", 1, Duration::from_secs(10))
        .await;
    assert!(notice.text().contains("no account uses it") && notice.code().is_none());
    f.recovery_code("wolf@example.test", 1).await;

    let quiet = fixture(|s| {
        lifted(s);
        s.recovery_notify_unknown_address = false;
    })
    .await;
    quiet
        .app
        .browser()
        .call("/api/recover", &[("identifier", "nobody@example.test")])
        .await;
    assert_eq!(
        quiet
            .db
            .number("select count(*) from email_outbox where kind <> 'nothing'")
            .await,
        0,
        "the notice can be turned off"
    );
}

#[tokio::test]
async fn a_new_address_or_password_ends_every_open_recovery() {
    let f = fixture(lifted).await;
    verified_user(&f, "iris").await;
    let old_mailbox = f.app.browser();
    old_mailbox.start_recovery("iris").await;
    let old_code = f.recovery_code("iris@example.test", 1).await;

    // The owner moves to a new address: the recovery mailed to the old one is over.
    let owner = f.app.browser();
    assert_eq!(location(&owner.login("iris", PASSWORD).await), "/dashboard");
    owner
        .post_form(
            "/api/change_email",
            "/account",
            &[("email", "iris.new@example.test")],
        )
        .await;
    let confirmation = f
        .sink
        .wait_for_containing("iris.new@example.test", "address confirmation code is:", 1)
        .await
        .code()
        .unwrap();
    let changed = owner
        .post_form(
            "/api/verify",
            "/account/email/verify",
            &[("purpose", "email_change"), ("code", &confirmation)],
        )
        .await;
    assert_eq!(location(&changed), "/account?email_changed=1");
    for (endpoint, fields) in [
        (
            "/api/verify",
            vec![("purpose", "recovery"), ("code", old_code.as_str())],
        ),
        ("/api/resend_code", vec![("purpose", "recovery")]),
    ] {
        let (status, error) = old_mailbox.call_for_error(endpoint, &fields).await;
        assert_eq!(
            (status, error),
            (StatusCode::NOT_FOUND, Some(AppError::NoPendingVerification)),
            "{endpoint}"
        );
    }

    // A recovery whose code was entered waits for its new password; the owner changing the
    // password meanwhile ends it.
    let verified = f.app.browser();
    verified.start_recovery("iris").await;
    let code = f.recovery_code("iris.new@example.test", 1).await;
    assert_eq!(
        location(&verified.enter_recovery_code(&code).await),
        "/recover/password"
    );
    let fields = [
        ("current_password", PASSWORD),
        ("password", NEW_PASSWORD),
        ("password_confirm", NEW_PASSWORD),
    ];
    assert_eq!(
        owner.call_for_error("/api/change_password", &fields).await.0,
        StatusCode::OK
    );
    assert!(
        location(&set_password(&verified, "another-lantern-quarry-7").await).contains("__err"),
        "refused, said on the page"
    );
    assert_eq!(
        location(&f.app.browser().login("iris", NEW_PASSWORD).await),
        "/dashboard"
    );
    assert_eq!(
        f.db.number(
            "select count(*) from email_codes where finished_at is null and purpose != 'registration'"
        )
        .await,
        0
    );
}

/// The mail server holds an address change's code unanswered, so its row stays unsent whatever
/// the worker does meanwhile (the clock never reaches a retry); the reset drops it.
#[tokio::test]
async fn a_reset_drops_the_unsent_mail_of_the_accounts_open_flows() {
    let f = fixture(lifted).await;
    let owner = verified_user(&f, "odin").await;
    assert_eq!(location(&owner.login("odin", PASSWORD).await), "/dashboard");
    let phone = f.app.browser();
    phone.start_recovery("odin").await;
    let code = f.recovery_code("odin@example.test", 1).await;
    assert_eq!(
        location(&phone.enter_recovery_code(&code).await),
        "/recover/password"
    );
    f.sink.stall_next_message();
    let started = owner
        .post_form(
            "/api/change_email",
            "/account",
            &[("email", "odin.new@example.test")],
        )
        .await;
    assert_eq!(location(&started), "/account/email/verify");
    let unsent = "select count(*) from email_outbox o join email_codes c on c.code_id = o.code_id
                  where c.purpose = 'email_change' and o.sent_at is null";
    assert_eq!(f.db.number(unsent).await, 1, "the new address's code waits");
    assert_eq!(
        location(&set_password(&phone, NEW_PASSWORD).await),
        "/login?reset=1"
    );
    assert_eq!(f.db.number(unsent).await, 0, "dropped by the reset");
    assert_eq!(
        f.db.number(
            "select count(*) from email_codes where purpose = 'email_change' and finished_at is null"
        )
        .await,
        0,
        "and its flow is over"
    );
}

#[tokio::test]
async fn a_recovery_names_a_username_or_one_plain_address_and_nothing_else_is_queued() {
    let f = fixture(lifted).await;
    verified_user(&f, "vera").await;
    let queued = f.db.number("select count(*) from email_outbox").await;
    let browser = f.app.browser();
    for identifier in ["p1 <vera@example.test>", "p2 <vera@example.test>", "@@x", "a@b@c"] {
        let (status, error) = browser
            .call_for_error("/api/recover", &[("identifier", identifier)])
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{identifier}");
        let message = error
            .unwrap()
            .field_message(gatehouse::validate::Field::Identifier);
        assert_eq!(
            message.as_deref(),
            Some("Enter an email address like name@example.com."),
            "{identifier}"
        );
    }
    let outbox = f.db.number("select count(*) from email_outbox").await;
    assert_eq!(outbox, queued, "nothing queued");
    let recoveries =
        f.db.number("select count(*) from email_codes where purpose = 'recovery'");
    assert_eq!(recoveries.await, 0, "no flow begun");
    assert_eq!(f.app.browser().get("/readyz").await.status(), StatusCode::OK);
}
