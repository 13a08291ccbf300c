//! A recovery tells nothing about the account behind what was typed: its mail caps count under
//! the recipient whatever was typed and drop the mail instead of answering 429, and its code page
//! and status never wait for the mail (which goes nowhere when there is no account).

use gatehouse::model::{CodeState, VerificationStatus};
use reqwest::StatusCode;

use crate::support::{fixture, per, shipped_limits, verified_user, wrong_code_for, Browser, Fixture};

fn capped(s: &mut gatehouse::server::config::Settings) {
    shipped_limits(s);
    s.mail_per_address = per(3, 3600);
    s.resend_cooldown_secs = gatehouse::server::config::Seconds(0);
}

async fn ask(browser: &Browser, identifier: &str) -> (StatusCode, String) {
    let response = browser.call("/api/recover", &[("identifier", identifier)]).await;
    (response.status(), response.text().await.unwrap())
}

async fn resend(browser: &Browser) -> (StatusCode, String) {
    let response = browser.call("/api/resend_code", &[("purpose", "recovery")]).await;
    (response.status(), response.text().await.unwrap())
}

async fn status(browser: &Browser) -> VerificationStatus {
    let response = browser.call("/api/code_status", &[("purpose", "recovery")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    serde_json::from_str(&response.text().await.unwrap()).unwrap()
}

async fn mail_counted_for(f: &Fixture, address: &str) -> i64 {
    f.db.number(&format!(
        "select count(*) from rate_limit_hits where bucket = 'mail:{address}'"
    ))
    .await
}

async fn last_mail_kind_to(f: &Fixture, address: &str) -> String {
    f.db.texts(&format!(
        "select kind from email_outbox where recipient = '{address}' order by outbox_id desc limit 1"
    ))
    .await
    .remove(0)
}

#[tokio::test]
async fn mail_caps_count_per_recipient_whatever_was_typed_and_never_answer_429() {
    let f = fixture(capped).await;
    verified_user(&f, "yann").await; // the registration's code is the address's first mail
    let browser = f.app.browser();
    let unknown = ask(&browser, "nobody-here").await;
    assert_eq!(unknown.0, StatusCode::OK);
    assert_eq!(ask(&browser, "yann").await, unknown);
    f.sink.wait_for_code("yann@example.test", 2).await;
    assert_eq!(ask(&browser, "yann@example.test").await, unknown);
    f.sink.wait_for_code("yann@example.test", 3).await;
    assert_eq!(
        mail_counted_for(&f, "yann@example.test").await,
        3,
        "by name and by address: one budget"
    );
    for identifier in ["yann", "yann@example.test"] {
        assert_eq!(
            ask(&browser, identifier).await,
            unknown,
            "{identifier}: the same answer"
        );
        assert_eq!(
            resend(&browser).await.0,
            StatusCode::OK,
            "{identifier}: a resend too"
        );
    }
    assert_eq!(mail_counted_for(&f, "yann@example.test").await, 3);
    assert_eq!(
        last_mail_kind_to(&f, "yann@example.test").await,
        "nothing",
        "over the cap: dropped"
    );
    f.advance(3600);
    assert_eq!(resend(&browser).await.0, StatusCode::OK);
    assert_eq!(last_mail_kind_to(&f, "yann@example.test").await, "code");
    f.sink.wait_for_code("yann@example.test", 4).await;
}

#[tokio::test]
async fn a_resend_answers_alike_whether_a_guessed_address_is_the_accounts() {
    let f = fixture(capped).await;
    verified_user(&f, "zoe").await;
    let attacker = f.app.browser();
    // The guess fills the address's budget (with the registration's code, 3 of 3).
    ask(&attacker, "zoe@example.test").await;
    ask(&attacker, "zoe@example.test").await;
    let by_name = f.app.browser();
    ask(&by_name, "zoe").await;
    let by_unknown_name = f.app.browser();
    ask(&by_unknown_name, "nobody-here").await;
    let known = resend(&by_name).await;
    assert_eq!(known.0, StatusCode::OK, "{}", known.1);
    assert_eq!(known, resend(&by_unknown_name).await);
}

#[tokio::test]
async fn the_code_page_and_its_status_do_not_wait_for_the_mail() {
    let f = fixture(|s| s.resend_cooldown_secs = gatehouse::server::config::Seconds(0)).await;
    verified_user(&f, "wolf").await;
    let lifetime = f.app.state.settings.recovery_code_ttl_secs.0;
    let expected = VerificationStatus {
        masked_email: None,
        code: CodeState::Sent {
            seconds_left: lifetime,
            attempts_left: f.app.state.settings.code_max_attempts,
        },
        resend_in_secs: 0,
    };
    for identifier in ["wolf", "nobody-here", "wolf", "nobody-here"] {
        // A stalled mail server holds a real code's mail; nothing holds the empty stand-in.
        f.sink.stall_next_message();
        let browser = f.app.browser();
        assert_eq!(ask(&browser, identifier).await.0, StatusCode::OK);
        assert_eq!(
            status(&browser).await,
            expected,
            "{identifier}, right after the request"
        );
        let page = browser.page("/recover/verify").await;
        assert!(
            page.contains(r#"name="code""#),
            "{identifier}: the code form at once"
        );
        resend(&browser).await;
        assert_eq!(
            status(&browser).await,
            expected,
            "{identifier}, right after a resend"
        );
    }
}

async fn guess(browser: &Browser, code: &str) -> (StatusCode, String) {
    let response = browser
        .call("/api/verify", &[("purpose", "recovery"), ("code", code)])
        .await;
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn wrong_reset_codes_have_a_budget_per_account_across_recoveries_then_recovery_waits() {
    let f = fixture(|s| {
        s.recovery_failures_per_account = per(6, 86_400);
        s.resend_cooldown_secs = gatehouse::server::config::Seconds(0);
    })
    .await;
    verified_user(&f, "vera").await;
    let first = f.app.browser();
    ask(&first, "vera").await;
    let code = f.recovery_code("vera@example.test", 1).await;
    for _ in 0..5 {
        guess(&first, wrong_code_for(&code)).await; // the code's own 5, then it is locked
    }
    // A new recovery (by address this time) starts a new count per code, not per account.
    let second = f.app.browser();
    ask(&second, "vera@example.test").await;
    let code = f.recovery_code("vera@example.test", 2).await;
    let (status, _) = guess(&second, wrong_code_for(&code)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let paused = f
        .sink
        .wait_for_containing("vera@example.test", "paused until", 1)
        .await;
    assert!(paused.code().is_none());
    let (status, body) = guess(&second, &code).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the right code no longer works: {body}"
    );
    let third = f.app.browser();
    ask(&third, "vera").await;
    assert_eq!(
        last_mail_kind_to(&f, "vera@example.test").await,
        "nothing",
        "no code is sent"
    );
    f.advance(86_400);
    let fourth = f.app.browser();
    ask(&fourth, "vera").await;
    let code = f.recovery_code("vera@example.test", 3).await;
    assert_eq!(
        guess(&fourth, &code).await.0,
        StatusCode::OK,
        "a day later, recovery works again"
    );
}

/// What recovery requests leave for `recipient` (the account's address, or what was typed when
/// no account matches): its open recovery flows, their queued mail, all limit hits, and the
/// requests' events.
async fn recovery_rows(f: &Fixture, recipient: &str) -> [i64; 4] {
    [
        f.db.number(&format!(
            "select count(*) from email_codes where purpose = 'recovery' and finished_at is null and email = '{recipient}'"
        ))
        .await,
        f.db.number(&format!(
            "select count(*) from email_outbox o join email_codes c on c.code_id = o.code_id
             where c.purpose = 'recovery' and o.recipient = '{recipient}'"
        ))
        .await,
        f.db.number("select count(*) from rate_limit_hits").await,
        f.db.number("select count(*) from security_events where kind = 'recovery_requested'")
            .await,
    ]
}

#[tokio::test]
async fn a_recovery_for_nobody_leaves_the_rows_one_for_an_account_leaves() {
    let f = fixture(|_| {}).await;
    verified_user(&f, "xena").await;
    let mut work = Vec::new();
    for (typed, recipient) in [("xena", "xena@example.test"), ("nobody-here", "nobody-here")] {
        let before = recovery_rows(&f, recipient).await;
        for _ in 0..2 {
            assert_eq!(ask(&f.app.browser(), typed).await.0, StatusCode::OK, "{typed}");
        }
        let after = recovery_rows(&f, recipient).await;
        assert_eq!(
            after[0], 1,
            "{typed}: the second request voided the first, for an account or none"
        );
        let done: [i64; 4] = std::array::from_fn(|index| after[index] - before[index]);
        work.push(done);
    }
    assert_eq!(work[0], work[1], "known vs unknown: {work:?}");
}

/// An unknown username has no address to write to: its flow's stand-in goes through the outbox
/// like any mail, and nothing reaches a mail server.
#[tokio::test]
async fn a_recovery_for_an_unknown_username_sends_no_mail() {
    let f = fixture(|_| {}).await;
    // Subscribed before the request: the stand-in's delivery, however soon, marks it changed.
    let mut tried = f.app.state.delivery_attempts.subscribe();
    assert_eq!(ask(&f.app.browser(), "nobody-here").await.0, StatusCode::OK);
    // Only turns a hang into a message; the outcome never depends on it.
    let give_up = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while f
        .db
        .number("select count(*) from email_outbox where sent_at is null")
        .await
        > 0
    {
        tokio::time::timeout_at(give_up, tried.changed())
            .await
            .expect("the worker takes up the stand-in")
            .expect("the worker runs");
    }
    assert_eq!(f.db.texts("select kind from email_outbox").await, ["nothing"]);
    assert_eq!(
        f.db.number("select count(*) from email_outbox where kind <> 'nothing'")
            .await,
        0
    );
    assert_eq!(f.sink.message_count().await, 0);
}
