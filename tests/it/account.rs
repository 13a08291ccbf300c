//! The account page: changing the password (the current one required, other sessions end), the
//! address (a recent password, a code to the new address, notices to both), deleting the account
//! (password and the typed username; events kept without addresses), a copy of one's data, and
//! the notice of a sign-in from a new device.

use std::time::Duration;

use gatehouse::error::AppError;
use reqwest::{header, StatusCode};

use crate::support::{fixture, location, per, verified_user, Browser, PASSWORD};

const NEW_PASSWORD: &str = "harbour-meadow-cobalt-4";

async fn change_password(browser: &Browser, current: &str, new: &str) -> (StatusCode, Option<AppError>) {
    let fields = [
        ("current_password", current),
        ("password", new),
        ("password_confirm", new),
    ];
    browser.call_for_error("/api/change_password", &fields).await
}

async fn delete(browser: &Browser, password: &str, confirmation: &str) -> (StatusCode, Option<AppError>) {
    browser
        .call_for_error(
            "/api/delete_account",
            &[("password", password), ("confirmation", confirmation)],
        )
        .await
}

async fn signed_in(f: &crate::support::Fixture, username: &str) -> Browser {
    let browser = verified_user(f, username).await;
    assert_eq!(location(&browser.login(username, PASSWORD).await), "/dashboard");
    browser
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_ends_other_sessions_and_tells_the_owner() {
    let f = fixture(|_| {}).await;
    let laptop = signed_in(&f, "alma").await;
    let phone = f.app.browser();
    phone.login("alma", PASSWORD).await;
    let (status, error) = change_password(&laptop, "not the password!", NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        matches!(error, Some(AppError::Validation(ref errors)) if errors[0].message.contains("not your current password"))
    );
    assert_eq!(
        change_password(&laptop, PASSWORD, "short").await.0,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the policy holds"
    );
    assert_eq!(
        change_password(&laptop, PASSWORD, PASSWORD).await.0,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not the current one"
    );
    let changed = laptop
        .post_form(
            "/api/change_password",
            "/account",
            &[
                ("current_password", PASSWORD),
                ("password", NEW_PASSWORD),
                ("password_confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(location(&changed), "/account?password_changed=1");
    assert_eq!(
        laptop.get("/account").await.status(),
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(
        location(&phone.get("/dashboard").await),
        "/login?next=/dashboard",
        "the other ends"
    );
    let notice = f
        .sink
        .wait_for_containing(
            "alma@example.test",
            "password of your Gatehouse account was just changed",
            1,
        )
        .await;
    assert!(notice.text().contains("127.0.0.1"));
    assert!(
        notice.text().contains(
            "If this was you, there is nothing to do. If it was not, reset your password now with \"Forgot your \
             password?\" on the sign-in page: only someone who can read this mailbox can do that."
        ),
        "what to do if it was not the owner: {}",
        notice.text()
    );
    assert_eq!(
        location(&f.app.browser().login("alma", NEW_PASSWORD).await),
        "/dashboard"
    );
}

#[tokio::test]
async fn changing_the_address_needs_a_recent_password_and_the_code_sent_to_the_new_address() {
    let f = fixture(|_| {}).await;
    let browser = signed_in(&f, "bert").await;
    f.advance(11 * 60);
    let (status, error) = browser
        .call_for_error("/api/change_email", &[("email", "bert.new@example.test")])
        .await;
    assert_eq!(
        (status, error),
        (StatusCode::FORBIDDEN, Some(AppError::ReauthenticationRequired)),
        "eleven minutes later"
    );
    assert!(browser
        .page("/account")
        .await
        .contains("For your safety, enter your password first."));
    assert_eq!(
        location(
            &browser
                .post_form("/api/confirm_password", "/account", &[("password", PASSWORD)])
                .await
        ),
        "/account"
    );
    let started = browser
        .post_form(
            "/api/change_email",
            "/account",
            &[("email", "Bert.New@Example.test")],
        )
        .await;
    assert_eq!(location(&started), "/account/email/verify");
    let page = browser.page("/account/email/verify").await;
    assert!(page.contains("b•••w@example.test"), "the new address, masked");
    let code = f
        .sink
        .wait_for_containing("bert.new@example.test", "address confirmation code is:", 1)
        .await
        .code()
        .unwrap();
    assert_eq!(
        f.db.texts("select email from users").await,
        vec!["bert@example.test"],
        "nothing changes before the code"
    );
    let verified = browser
        .post_form(
            "/api/verify",
            "/account/email/verify",
            &[("purpose", "email_change"), ("code", &code)],
        )
        .await;
    assert_eq!(location(&verified), "/account?email_changed=1");
    assert_eq!(
        f.db.texts("select email from users").await,
        vec!["bert.new@example.test"]
    );
    let old = f
        .sink
        .wait_for_containing("bert@example.test", "was changed to", 1)
        .await;
    assert!(old.text().contains("b•••w@example.test") || old.text().contains("=E2=80=A2"));
    f.sink
        .wait_for_containing(
            "bert.new@example.test",
            "is now the email address of your Gatehouse account",
            1,
        )
        .await;
    browser.post_form("/api/logout", "/dashboard", &[]).await;
    assert_eq!(
        location(&browser.login("bert.new@example.test", PASSWORD).await),
        "/dashboard"
    );
}

#[tokio::test]
async fn another_accounts_address_gets_the_same_answer_and_never_changes_hands() {
    let f = fixture(|_| {}).await;
    verified_user(&f, "cleo").await;
    let browser = signed_in(&f, "dora").await;
    let taken = browser
        .call("/api/change_email", &[("email", "cleo@example.test")])
        .await;
    let free = signed_in(&f, "emil")
        .await
        .call("/api/change_email", &[("email", "emil.two@example.test")])
        .await;
    assert_eq!(taken.status(), free.status());
    assert_eq!(taken.text().await.unwrap(), free.text().await.unwrap());
    let status = browser
        .call_for_error("/api/code_status", &[("purpose", "email_change")])
        .await;
    assert_eq!(status.0, StatusCode::OK, "a code page as for a free address");
    f.sink
        .wait_for_containing("cleo@example.test", "tried to use this email address", 1)
        .await;
    for code in ["000000", "111111"] {
        let (_, error) = browser
            .call_for_error("/api/verify", &[("purpose", "email_change"), ("code", code)])
            .await;
        assert!(matches!(error, Some(AppError::WrongCode { .. })), "{error:?}");
    }
    let emails = f.db.texts("select email from users order by user_id").await;
    assert_eq!(
        emails,
        vec!["cleo@example.test", "dora@example.test", "emil@example.test"]
    );
}

async fn change_email(browser: &Browser, email: &str) -> (StatusCode, Option<AppError>) {
    browser
        .call_for_error("/api/change_email", &[("email", email)])
        .await
}

/// Both addresses get mail (a code, then a notice), so a change spends an hour of each: the new
/// address's budget refuses it, and then the old one's.
#[tokio::test]
async fn an_address_change_takes_the_mail_limits_of_both_addresses() {
    let f = fixture(|s| s.mail_per_address = per(1, 3600)).await;
    let browser = verified_user(&f, "olga").await;
    f.advance(3601); // past the hour her registration's code spent
    assert_eq!(location(&browser.login("olga", PASSWORD).await), "/dashboard");
    assert_eq!(
        location(&f.app.browser().register("pia", "olga.new@example.test").await),
        "/verify"
    );
    let refused = (
        StatusCode::TOO_MANY_REQUESTS,
        Some(AppError::RateLimited {
            retry_after_secs: 3600,
        }),
    );
    assert_eq!(
        change_email(&browser, "olga.new@example.test").await,
        refused,
        "the new address had its code this hour"
    );
    assert_eq!(
        change_email(&browser, "olga.other@example.test").await.0,
        StatusCode::OK
    );
    assert_eq!(
        change_email(&browser, "olga.third@example.test").await,
        refused,
        "the old address's hour is spent now"
    );
    assert_eq!(
        f.db.texts("select recipient from email_outbox where kind = 'code' order by outbox_id")
            .await,
        [
            "olga@example.test",
            "olga.new@example.test",
            "olga.other@example.test"
        ]
    );
}

/// The events of `browser`'s account, as its export lists them, once the outbox is empty.
async fn own_activity(f: &crate::support::Fixture, browser: &Browser) -> Vec<String> {
    for _ in 0..100 {
        if f.db
            .number("select count(*) from email_outbox where sent_at is null")
            .await
            == 0
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let export: serde_json::Value =
        serde_json::from_str(&browser.get("/account/export").await.text().await.unwrap()).unwrap();
    export["security_events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| format!("{} {}", event["description"], event["outcome"]))
        .collect()
}

#[tokio::test]
async fn changing_to_a_taken_address_leaves_the_trace_a_free_one_does() {
    let f = fixture(|_| {}).await;
    verified_user(&f, "cleo").await;
    let mut activities = Vec::new();
    for (username, new_email) in [("dora", "cleo@example.test"), ("emil", "emil.two@example.test")] {
        let browser = signed_in(&f, username).await;
        browser.call("/api/change_email", &[("email", new_email)]).await;
        f.advance(61);
        browser
            .call("/api/resend_code", &[("purpose", "email_change")])
            .await;
        browser
            .call("/api/verify", &[("purpose", "email_change"), ("code", "000000")])
            .await;
        activities.push(own_activity(&f, &browser).await);
    }
    assert_eq!(activities[0], activities[1]);
    assert!(activities[0].len() >= 6, "{:?}", activities[0]);
}

#[tokio::test]
async fn deleting_the_account_needs_the_password_and_the_typed_username() {
    let f = fixture(|_| {}).await;
    let browser = signed_in(&f, "finn").await;
    let other_device = f.app.browser();
    other_device.login("finn", PASSWORD).await;
    assert_eq!(
        delete(&browser, PASSWORD, "someone").await.0,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the typed username"
    );
    assert_eq!(
        delete(&browser, "wrong password!", "finn").await.0,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the password"
    );
    let events = f.db.number("select count(*) from security_events").await;
    let deleted = browser
        .post_form(
            "/api/delete_account",
            "/account",
            &[("password", PASSWORD), ("confirmation", "FINN")],
        )
        .await;
    assert_eq!(location(&deleted), "/?deleted=1");
    assert_eq!(deleted.headers()["clear-site-data"], "\"cookies\", \"storage\"");
    assert_eq!(
        location(&other_device.get("/dashboard").await),
        "/login?next=/dashboard",
        "every session ends"
    );
    assert_eq!(f.db.number("select count(*) from users").await, 0);
    assert_eq!(
        f.app.browser().try_login("finn", PASSWORD, "").await.0,
        StatusCode::UNAUTHORIZED
    );
    f.sink
        .wait_for_containing("finn@example.test", "were deleted", 1)
        .await;
    assert!(
        f.db.number("select count(*) from security_events").await > events,
        "the log is kept, and says so"
    );
    let traced =
        f.db.number("select count(*) from security_events where user_id is not null and (ip is not null or user_agent is not null)")
            .await;
    assert_eq!(traced, 0, "without where the events came from");
    // The username is free again.
    assert_eq!(
        location(&f.app.browser().register("finn", "finn@example.test").await),
        "/verify"
    );
}

#[tokio::test]
async fn the_account_page_links_to_two_factor_sign_in() {
    let f = fixture(|_| {}).await;
    let browser = signed_in(&f, "ivor").await;
    let page = browser.page("/account").await;
    assert!(
        page.contains(r#"href="/account/security""#) && page.contains("Two-factor sign-in"),
        "{page}"
    );
}

#[tokio::test]
async fn a_copy_of_ones_data_can_be_downloaded() {
    let f = fixture(|_| {}).await;
    let browser = signed_in(&f, "gina").await;
    let response = browser.get("/account/export").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_DISPOSITION],
        "attachment; filename=\"gatehouse-gina.json\""
    );
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    let data: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(data["username"], "gina");
    assert_eq!(data["email"], "gina@example.test");
    assert_eq!(data["sessions"].as_array().unwrap().len(), 1);
    let kinds: Vec<&str> = data["security_events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["description"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"Signed in") && kinds.contains(&"Account registered"),
        "{kinds:?}"
    );
    assert_eq!(
        location(&f.app.browser().get("/account/export").await),
        "/login?next=/account/export"
    );
}

/// New-device notices queued: in the sign-in's own transaction, so counted at once.
async fn notices(f: &crate::support::Fixture) -> i64 {
    f.db.number("select count(*) from email_outbox where kind = 'new_device'")
        .await
}

#[tokio::test]
async fn a_sign_in_from_a_new_device_tells_the_owner() {
    let f = fixture(|_| {}).await;
    signed_in(&f, "hugo").await;
    let same_device = f.app.browser();
    same_device.login("hugo", PASSWORD).await;
    assert_eq!(notices(&f).await, 0, "the device the account was made on, again");
    let mut headers = header::HeaderMap::new();
    headers.insert(
        header::USER_AGENT,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1"
            .parse()
            .unwrap(),
    );
    let phone = f.app.browser_with(headers);
    phone.login("hugo", PASSWORD).await;
    let notice = f
        .sink
        .wait_for_containing("hugo@example.test", "had not been signed in from before", 1)
        .await;
    assert!(notice.text().contains("Safari on iOS"));
    assert!(
        notice.text().contains(
            "If this was you, there is nothing to do. If it was not, change your password now and end the \
             other sessions on your dashboard."
        ),
        "what to do if it was not the owner: {}",
        notice.text()
    );
    phone.post_form("/api/logout", "/dashboard", &[]).await;
    phone.login("hugo", PASSWORD).await;
    assert_eq!(notices(&f).await, 1, "a device seen before is not news");
}

/// The same browser, through the trusted proxy, from `ip`, reading pages in `language`.
fn firefox_from(f: &crate::support::Fixture, ip: &str, language: &str) -> Browser {
    let mut headers = header::HeaderMap::new();
    headers.insert(
        header::USER_AGENT,
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
            .parse()
            .unwrap(),
    );
    headers.insert("x-forwarded-for", ip.parse().unwrap());
    headers.insert(header::ACCEPT_LANGUAGE, language.parse().unwrap());
    f.app.browser_with(headers)
}

/// A device is a browser on a network (a /24): the same browser elsewhere is news, next door not,
/// whatever language it reads.
#[tokio::test]
async fn the_same_browser_on_another_network_is_a_new_device() {
    let f = fixture(|s| {
        s.trusted_proxies = gatehouse::server::config::SettingValue::parse_setting("127.0.0.1").unwrap();
    })
    .await;
    verified_user(&f, "ines").await;
    for (ip, language) in [("203.0.113.9", "en"), ("203.0.113.200", "de")] {
        let browser = firefox_from(&f, ip, language);
        assert_eq!(location(&browser.login("ines", PASSWORD).await), "/dashboard");
    }
    assert_eq!(notices(&f).await, 0, "the first device, then the same /24");
    let elsewhere = firefox_from(&f, "198.51.100.9", "en");
    assert_eq!(location(&elsewhere.login("ines", PASSWORD).await), "/dashboard");
    assert_eq!(notices(&f).await, 1, "another network");
}
