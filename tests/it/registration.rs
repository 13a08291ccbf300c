use std::time::Duration;

use reqwest::StatusCode;

use gatehouse::server::{clock::Clock, config::Seconds};

use crate::support::{fixture, location, verified_user, wrong_code_for, Fixture, PASSWORD};

#[tokio::test]
async fn register_verify_sign_in_dashboard_sign_out() {
    let f = fixture(|_| {}).await;
    let browser = f.app.browser();

    let registered = browser.register("Alice", "Alice@Example.test").await;
    assert_eq!(registered.status(), StatusCode::FOUND);
    assert_eq!(location(&registered), "/verify");

    let mail = f
        .sink
        .wait_for("alice@example.test", 1, Duration::from_secs(10))
        .await;
    assert_eq!(
        mail.recipients,
        vec!["alice@example.test"],
        "exactly one recipient"
    );
    assert!(mail.text().contains("text/plain") && mail.text().contains("text/html"));
    assert!(mail.text().contains("5 minutes"));
    let code = mail.code().expect("a 6-digit code");

    let verify_page = browser.page("/verify").await;
    assert!(verify_page.contains("a•••e@example.test"), "the masked address");
    assert!(
        verify_page.contains("The code expires in"),
        "the countdown is server-rendered"
    );
    assert!(
        verify_page.contains("autocomplete=\"one-time-code\"")
            && verify_page.contains("inputmode=\"numeric\"")
    );

    let verified = browser.verify(&code).await;
    assert_eq!(location(&verified), "/login?verified=1");
    // Verifying proves the address, not the person: no session yet.
    assert_eq!(
        location(&browser.get("/dashboard").await),
        "/login?next=/dashboard"
    );

    let signed_in = browser.login("alice", PASSWORD).await;
    assert_eq!(location(&signed_in), "/dashboard");
    let dashboard = browser.get("/dashboard").await;
    assert_eq!(dashboard.status(), StatusCode::OK);
    assert_eq!(dashboard.headers()["cache-control"], "no-store");
    let html = dashboard.text().await.unwrap();
    assert!(html.contains("alice") && html.contains("alice@example.test"));
    assert!(html.contains("This is your first sign-in."));

    let signed_out = browser.post_form("/api/logout", "/dashboard", &[]).await;
    assert_eq!(location(&signed_out), "/login?signed_out=1");
    assert_eq!(
        location(&browser.get("/dashboard").await),
        "/login?next=/dashboard"
    );
    assert_eq!(
        browser.call("/api/account", &[]).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn sign_in_by_email_shows_the_previous_sign_in() {
    let f = fixture(|_| {}).await;
    let browser = verified_user(&f, "bob").await;
    f.advance(3600);
    let first_sign_in = f.clock.now();
    assert_eq!(
        location(&browser.login("bob@example.test", PASSWORD).await),
        "/dashboard"
    );
    browser.post_form("/api/logout", "/dashboard", &[]).await;
    f.advance(3 * 3600);
    assert_eq!(
        location(&browser.login("BOB@EXAMPLE.TEST", PASSWORD).await),
        "/dashboard"
    );
    let html = browser.page("/dashboard").await;
    assert!(!html.contains("This is your first sign-in."));
    let shown = gatehouse::model::utc_timestamp(first_sign_in);
    let previous = &html[html.find("Previous sign-in").expect("the field")..];
    assert!(
        previous[..previous.find("</dd>").unwrap()].contains(&shown),
        "the previous sign-in ({shown}) is shown"
    );
}

#[tokio::test]
async fn wrong_codes_count_down_and_the_sixth_try_is_refused_even_when_right() {
    let f = fixture(|_| {}).await;
    let browser = f.app.browser();
    browser.register("carol", "carol@example.test").await;
    let code = f.sink.wait_for_code("carol@example.test", 1).await;
    let wrong = wrong_code_for(&code);
    for attempts_left in (1..=4).rev() {
        let response = browser
            .call("/api/verify", &[("purpose", "registration"), ("code", wrong)])
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response
            .text()
            .await
            .unwrap()
            .contains(&format!("\"attempts_left\":{attempts_left}")));
    }
    let fifth = browser
        .call("/api/verify", &[("purpose", "registration"), ("code", wrong)])
        .await;
    assert_eq!(fifth.status(), StatusCode::TOO_MANY_REQUESTS);
    let right_but_too_late = browser
        .call("/api/verify", &[("purpose", "registration"), ("code", &code)])
        .await;
    assert_eq!(right_but_too_late.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(browser.page("/verify").await.contains("Too many wrong attempts"));

    // The no-JS form shows the sentence on the page it redirects back to.
    let from_form = browser.verify(wrong).await;
    let back = location(&from_form);
    assert!(back.starts_with(&browser.url("/verify?")), "{back}");
    let page = browser
        .client
        .get(&back)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Too many wrong attempts for this code. Request a new code."));
}

#[tokio::test]
async fn a_code_works_once() {
    let f = fixture(|_| {}).await;
    let browser = f.app.browser();
    browser.register("dave", "dave@example.test").await;
    let code = f.sink.wait_for_code("dave@example.test", 1).await;
    assert_eq!(location(&browser.verify(&code).await), "/login?verified=1");
    assert_eq!(
        browser
            .call("/api/verify", &[("purpose", "registration"), ("code", &code)])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn codes_expire_on_the_server() {
    let f = fixture(|_| {}).await;
    let browser = f.app.browser();
    browser.register("erin", "erin@example.test").await;
    let code = f.sink.wait_for_code("erin@example.test", 1).await;
    let mail = f
        .sink
        .wait_for("erin@example.test", 1, Duration::from_secs(1))
        .await;
    assert!(mail.text().contains("5 minutes"));
    f.advance(299);
    assert!(browser.page("/verify").await.contains("0:01"), "one second left");
    f.advance(1);
    let response = browser
        .call("/api/verify", &[("purpose", "registration"), ("code", &code)])
        .await;
    assert_eq!(response.status(), StatusCode::GONE);
    assert!(browser.page("/verify").await.contains("Your code has expired"));
}

#[tokio::test]
async fn resend_waits_for_the_cooldown_and_replaces_the_code() {
    let f = fixture(|settings| settings.resend_cooldown_secs = Seconds(60)).await;
    let browser = f.app.browser();
    browser.register("frank", "frank@example.test").await;
    let first = f.sink.wait_for_code("frank@example.test", 1).await;

    let too_soon = browser
        .call("/api/resend_code", &[("purpose", "registration")])
        .await;
    assert_eq!(too_soon.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = too_soon.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(retry_after, 60);
    assert!(too_soon.text().await.unwrap().contains("retry_after_secs"));

    f.advance(59);
    assert_eq!(
        browser
            .call("/api/resend_code", &[("purpose", "registration")])
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    f.advance(1);
    assert_eq!(
        browser
            .call("/api/resend_code", &[("purpose", "registration")])
            .await
            .status(),
        StatusCode::OK
    );
    let second = f.sink.wait_for_code("frank@example.test", 2).await;
    if first != second {
        let (status, error) = browser
            .call_for_error("/api/verify", &[("purpose", "registration"), ("code", &first)])
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "the first code died with the second: {error:?}"
        );
    }
    assert_eq!(location(&browser.verify(&second).await), "/login?verified=1");
}

#[tokio::test]
async fn a_code_only_works_in_the_browser_that_registered() {
    let f = fixture(|_| {}).await;
    let (alice, mallory) = (f.app.browser(), f.app.browser());
    alice.register("grace", "grace@example.test").await;
    mallory.register("mallory", "mallory@example.test").await;
    let code = f.sink.wait_for_code("grace@example.test", 1).await;
    f.sink.wait_for_code("mallory@example.test", 1).await;
    let stolen = mallory
        .call("/api/verify", &[("purpose", "registration"), ("code", &code)])
        .await;
    assert_eq!(
        stolen.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "checked against mallory's own registration"
    );
    assert_eq!(location(&alice.verify(&code).await), "/login?verified=1");
}

#[tokio::test]
async fn a_taken_username_is_reported_a_taken_address_is_not() {
    let f = fixture(|_| {}).await;
    let first = f.app.browser();
    first.register("heidi", "heidi@example.test").await;
    first
        .verify(&f.sink.wait_for_code("heidi@example.test", 1).await)
        .await;

    let taken_name = f
        .app
        .browser()
        .call(
            "/api/register",
            &[
                ("username", "HEIDI"),
                ("email", "other@example.test"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(taken_name.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken_name
        .text()
        .await
        .unwrap()
        .contains("This username is taken"));

    // The same address again: the very answer a new registration gets...
    let second = f.app.browser();
    let response = second.register("heidi2", "Heidi@Example.test").await;
    assert_eq!(
        (response.status(), location(&response)),
        (StatusCode::FOUND, "/verify".to_string())
    );
    // ...while the owner is told, and no code is sent.
    let notice = f
        .sink
        .wait_for("heidi@example.test", 2, Duration::from_secs(10))
        .await;
    assert!(notice.text().contains("tried to register"));
    assert!(notice.code().is_none());
    assert!(second.page("/verify").await.contains("h•••i@example.test"));
    assert_eq!(
        second
            .call("/api/verify", &[("purpose", "registration"), ("code", "123456")])
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

/// What a registration leaves behind, seen from outside: the same username again, a sign-in with
/// it, the address registered again under another name, and the first name then.
async fn traces_of_registering(f: &Fixture, username: &str, email: &str) -> Vec<String> {
    let mut traces = Vec::new();
    let browser = f.app.browser();
    traces.push(location(&browser.register(username, email).await));
    let again = f
        .app
        .browser()
        .register_call(username, &format!("{username}-2@example.test"))
        .await;
    traces.push(format!("{again:?}"));
    let signing_in = f.app.browser();
    traces.push(location(&signing_in.login(username, PASSWORD).await));
    let page = signing_in.page("/verify").await;
    let masked = format!("{}•••{}", &email[..1], &email[email.find('@').unwrap() - 1..]);
    traces.push(format!("shows the address typed: {}", page.contains(&masked)));
    let renamed = f.app.browser().register(&format!("{username}x"), email).await;
    traces.push(location(&renamed));
    let freed = f
        .app
        .browser()
        .register_call(username, &format!("{username}-3@example.test"))
        .await;
    traces.push(format!("{freed:?}"));
    traces
}

#[tokio::test]
async fn a_registration_naming_an_address_in_use_leaves_the_traces_of_any_other() {
    let f = fixture(|_| {}).await;
    verified_user(&f, "owner").await;
    let in_use = traces_of_registering(&f, "mallory", "owner@example.test").await;
    let free = traces_of_registering(&f, "trent", "fresh@example.test").await;
    assert_eq!(in_use, free);
    assert!(
        in_use[1].contains("This username is taken"),
        "the name is held: {}",
        in_use[1]
    );
    assert_eq!(in_use[2], "/verify");
    assert!(in_use[3].ends_with("true"));
    assert!(
        in_use[5].starts_with("(200"),
        "a new registration of the address frees it: {}",
        in_use[5]
    );
}

#[tokio::test]
async fn an_unverified_account_cannot_sign_in_and_is_sent_to_verify() {
    let f = fixture(|_| {}).await;
    let browser = f.app.browser();
    browser.register("ivan", "ivan@example.test").await;
    f.sink.wait_for_code("ivan@example.test", 1).await;
    let other_browser = f.app.browser();
    assert!(location(&other_browser.login("ivan", "wrong password here!").await).contains("__err"));
    let response = other_browser.login("ivan", PASSWORD).await;
    assert_eq!(location(&response), "/verify");
    assert_eq!(
        location(&other_browser.get("/dashboard").await),
        "/login?next=/dashboard"
    );
    assert!(other_browser.page("/verify").await.contains("i•••n@example.test"));
}

#[tokio::test]
async fn mail_server_down_then_up_loses_nothing() {
    let f = crate::support::fixture(|_| {}).await;
    let port = f.sink.port;
    let crate::support::Fixture {
        sink,
        app,
        dir,
        clock,
        db,
        ..
    } = f;
    sink.stop();
    let browser = app.browser();
    let response = browser.register("judy", "judy@example.test").await;
    assert_eq!(
        location(&response),
        "/verify",
        "the registration is accepted while mail is down"
    );
    let page = browser.page("/verify").await;
    assert!(page.contains("is delayed"), "the page says so honestly");
    // Ten minutes later the mail server is back; the code's five minutes start when it is sent.
    clock.advance(600);
    let mut sink = crate::support::SmtpSink::start_on(port).await;
    sink.settle_by(db.clone());
    app.state.outbox_wake.notify_one();
    let code = sink.wait_for_code("judy@example.test", 1).await;
    clock.advance(299);
    assert_eq!(location(&browser.verify(&code).await), "/login?verified=1");
    drop(dir);
}

#[tokio::test]
async fn the_database_keeps_no_code_in_clear() {
    let f = fixture(|_| {}).await;
    let browser = f.app.browser();
    browser.register("kim", "kim@example.test").await;
    let code = f.sink.wait_for_code("kim@example.test", 1).await;
    let stored = f.db.blobs("select code_hash from email_codes").await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].len(), 32, "an HMAC-SHA-256");
    let nonces =
        f.db.number("select count(*) from email_outbox where secret_nonce is not null")
            .await;
    assert_eq!(nonces, 0, "once sent, not even the nonce is left");
    if !crate::support::on_postgres() {
        let mut files = Vec::new();
        for name in ["gatehouse.db", "gatehouse.db-wal"] {
            files.extend(std::fs::read(f.dir.path().join(name)).unwrap_or_default());
        }
        assert!(
            !files.windows(6).any(|window| window == code.as_bytes()),
            "the code appears nowhere in the files"
        );
    }
}
