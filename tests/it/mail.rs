//! Mail: a new code always leads to a delivery attempt (also after the retries of an outage ran
//! out), each wait of an outage twice the one before up to an hour, failed deliveries mint
//! nothing, daily and instance-wide caps, and the `.eml` outbox.

use gatehouse::{
    error::{AppError, ErrorAnswer},
    server::{
        clock::Clock,
        config::{MailFrom, Seconds, Settings},
    },
};
use reqwest::StatusCode;

use crate::support::{fixture, location, per, shipped_limits, verified_user, SmtpSink, PASSWORD};

#[tokio::test]
async fn a_new_code_is_sent_even_after_the_retries_of_an_outage_ran_out() {
    let f = fixture(|s| {
        s.mail_max_attempts = 2;
        s.resend_cooldown_secs = Seconds(60);
    })
    .await;
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
    browser.register("oona", "oona@example.test").await;
    // Both tries fail while the mail server is down; the mail is given up.
    clock.advance(2);
    app.state.outbox_wake.notify_one();
    for _ in 0..50 {
        if db
            .number("select count(*) from email_outbox where attempts >= 2")
            .await
            == 1
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        clock.advance(2);
        app.state.outbox_wake.notify_one();
    }
    assert_eq!(
        db.number("select count(*) from email_outbox where attempts >= 2")
            .await,
        1,
        "retries exhausted"
    );
    assert_eq!(
        db.number("select codes_issued from email_codes").await,
        1,
        "failed deliveries minted no codes"
    );
    let mut sink = SmtpSink::start_on(port).await;
    sink.settle_by(db.clone());
    clock.advance(60);
    assert_eq!(
        browser
            .call_for_error("/api/resend_code", &[("purpose", "registration")])
            .await,
        (StatusCode::OK, None)
    );
    let code = sink.wait_for_code("oona@example.test", 1).await;
    assert_eq!(location(&browser.verify(&code).await), "/login?verified=1");
    drop(dir);
}

#[tokio::test]
async fn an_address_gets_at_most_its_daily_share_of_mail() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.mail_per_address = per(2, 3600);
        s.mail_per_address_daily = per(3, 86_400);
        s.resend_cooldown_secs = Seconds(0);
    })
    .await;
    let browser = f.app.browser();
    browser.register("pat", "target@example.test").await;
    assert_eq!(
        browser
            .call_for_error("/api/resend_code", &[("purpose", "registration")])
            .await
            .0,
        StatusCode::OK
    );
    f.advance(3601);
    assert_eq!(
        browser
            .call_for_error("/api/resend_code", &[("purpose", "registration")])
            .await
            .0,
        StatusCode::OK,
        "a new hour"
    );
    f.advance(3601);
    let (status, error) = browser
        .call_for_error("/api/resend_code", &[("purpose", "registration")])
        .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "three mails today: {error:?}"
    );
    let fresh = f.app.browser();
    assert_eq!(
        fresh.register_call("pat2", "target@example.test").await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    f.advance(86_400);
    assert_eq!(
        fresh.register_call("pat2", "target@example.test").await.0,
        StatusCode::OK,
        "a new day"
    );
}

#[tokio::test]
async fn the_whole_deployment_sends_at_most_its_hourly_cap() {
    let f = fixture(|s| s.mail_per_instance = per(3, 3600)).await;
    for index in 0..3 {
        let (status, _) = f
            .app
            .browser()
            .register_call(&format!("cap{index}"), &format!("cap{index}@example.test"))
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, error) = f.app.browser().register_call("cap3", "cap3@example.test").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{error:?}");
    assert!(matches!(error, Some(AppError::RateLimited { .. })));
    assert!(f.sink.mails_to("cap3@example.test").await.is_empty());
}

/// Unlike a recipient's own caps (which a recovery keeps private by dropping the mail), the
/// deployment's cap tells nothing about an account: a recovery meets it as a 429.
#[tokio::test]
async fn the_deployment_cap_answers_a_recovery_with_429_and_when_to_retry() {
    let f = fixture(|s| s.mail_per_instance = per(1, 3600)).await;
    verified_user(&f, "cora").await; // its code is the hour's one mail
    let response = f
        .app
        .browser()
        .call("/api/recover", &[("identifier", "cora")])
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "3600");
    let error = serde_json::from_str::<ErrorAnswer>(&response.text().await.unwrap())
        .ok()
        .map(|answer| answer.error);
    assert_eq!(
        error,
        Some(AppError::RateLimited {
            retry_after_secs: 3600
        })
    );
    assert_eq!(
        f.db.number("select count(*) from email_codes where purpose = 'recovery'")
            .await,
        0,
        "no flow begun"
    );
}

#[tokio::test]
async fn a_mail_comes_from_the_mail_from_setting() {
    assert_eq!(
        Settings::default().mail_from,
        MailFrom("Gatehouse <no-reply@gatehouse.localhost>".into())
    );
    let f = fixture(|s| s.mail_from = MailFrom("Helpdesk <help@portal.example.test>".into())).await;
    f.app.browser().register("fern", "fern@example.test").await;
    let mail = f
        .sink
        .wait_for("fern@example.test", 1, std::time::Duration::from_secs(10))
        .await;
    assert!(mail.code().is_some(), "a code mail");
    assert!(
        mail.data
            .lines()
            .any(|line| line == "From: Helpdesk <help@portal.example.test>"),
        "{}",
        mail.data
    );
}

#[tokio::test]
async fn without_a_mail_server_mail_becomes_eml_files_and_the_key_file_is_private() {
    let f = fixture(|s| s.smtp_url = None).await;
    let browser = f.app.browser();
    browser.register("quentin", "quentin@example.test").await;
    let outbox = f.dir.path().join("outbox");
    let mut files = Vec::new();
    for _ in 0..50 {
        files = std::fs::read_dir(&outbox)
            .unwrap()
            .filter_map(Result::ok)
            .collect();
        if !files.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(files.len(), 1);
    assert!(files[0].file_name().to_string_lossy().ends_with(".eml"));
    let text = std::fs::read_to_string(files[0].path())
        .unwrap()
        .replace("=\r\n", "");
    let code = text[text.find("verification code is:").unwrap()..]
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .unwrap()
        .to_string();
    assert_eq!(location(&browser.verify(&code).await), "/login?verified=1");
    assert_eq!(location(&browser.login("quentin", PASSWORD).await), "/dashboard");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(f.dir.path().join("secret.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

/// Waits, on the worker's own signal, until the mail to `recipient` has been tried `tries` times;
/// then its next attempt time.
async fn next_attempt_after_try(
    app: &crate::support::TestApp,
    db: &crate::support::TestDb,
    recipient: &str,
    tries: i64,
) -> i64 {
    // Subscribed before the first look: a try recorded after it marks the channel changed, one
    // recorded before it is already in the table (the row is written before the signal is sent).
    let mut tried = app.state.delivery_attempts.subscribe();
    let attempts = format!("select attempts from email_outbox where recipient = '{recipient}'");
    // Only turns a hang into a message; the outcome never depends on it.
    let give_up = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while db.number(&attempts).await < tries {
        tokio::time::timeout_at(give_up, tried.changed())
            .await
            .unwrap_or_else(|_| panic!("no try #{tries} of the mail to {recipient}"))
            .expect("the worker runs");
    }
    assert_eq!(db.number(&attempts).await, tries, "one try per due time");
    db.number(&format!(
        "select next_attempt_at from email_outbox where recipient = '{recipient}'"
    ))
    .await
}

#[tokio::test]
async fn while_the_mail_server_is_down_each_wait_doubles_up_to_an_hour() {
    let f = fixture(|s| {
        s.mail_retry_secs = Seconds(600);
        s.mail_max_attempts = 10;
    })
    .await;
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
    assert_eq!(
        location(&browser.register("otto", "otto@example.test").await),
        "/verify",
        "the registration is accepted while mail is down"
    );
    for (tries, wait) in (1..).zip([600, 1200, 2400, 3600, 3600]) {
        let next_at = next_attempt_after_try(&app, &db, "otto@example.test", tries).await;
        assert_eq!(next_at - clock.now(), wait, "the wait after try {tries}");
        clock.advance(wait);
        app.state.outbox_wake.notify_one();
    }
    assert_eq!(
        db.number("select count(*) from email_outbox where sent_at is null")
            .await,
        1,
        "still queued, nothing lost"
    );
    drop(dir);
}

/// The shipped retry: the first wait is 10 s, and a mail is given up after its tenth try.
#[tokio::test]
async fn on_its_defaults_mail_is_retried_after_10_s_and_given_up_after_10_tries() {
    let shipped = Settings::default();
    let f = fixture(|s| {
        s.mail_retry_secs = shipped.mail_retry_secs;
        s.mail_max_attempts = shipped.mail_max_attempts;
    })
    .await;
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
    browser.register("ines", "ines@example.test").await;
    let mut due_at = next_attempt_after_try(&app, &db, "ines@example.test", 1).await;
    assert_eq!(due_at - clock.now(), 10, "the first retry waits 10 s");
    for tries in 2..=10 {
        clock.advance(due_at - clock.now());
        app.state.outbox_wake.notify_one();
        due_at = next_attempt_after_try(&app, &db, "ines@example.test", tries).await;
    }
    // Long after its last due time, a later mail is tried twice and this one, given up, not
    // again. Due rows are claimed oldest first, and a batch is finished before the next is
    // claimed: by the later mail's second try, an eleventh try would have been recorded.
    clock.advance(24 * 3600);
    browser.register("jules", "jules@example.test").await;
    let jules_due_at = next_attempt_after_try(&app, &db, "jules@example.test", 1).await;
    clock.advance(jules_due_at - clock.now());
    app.state.outbox_wake.notify_one();
    next_attempt_after_try(&app, &db, "jules@example.test", 2).await;
    assert_eq!(
        db.number("select attempts from email_outbox where recipient = 'ines@example.test'")
            .await,
        10,
        "no eleventh try"
    );
    drop(dir);
}
