//! Refused requests are counted, not logged one row each; the user's own events stay in view;
//! the security log is deleted only by its retention sweep.

use reqwest::StatusCode;

use crate::support::{burst, count, fixture, per, shipped_limits, verified_user, PASSWORD};

async fn rows(db: &crate::support::TestDb) -> i64 {
    let mut total = 0;
    for table in [
        "security_events",
        "refusals",
        "rate_limit_hits",
        "sign_in_throttle",
        "used_challenges",
    ] {
        total += db.number(&format!("select count(*) from {table}")).await;
    }
    total
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_thousand_refused_requests_add_a_bounded_number_of_rows() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.login_failures_per_ip = per(1, 3600);
    })
    .await;
    let before = rows(&f.db).await;
    let size_before = f.db.size().await;
    let browser = f.app.browser();
    assert_eq!(
        browser.try_login("nobody", "wrong password!", "").await.0,
        StatusCode::UNAUTHORIZED
    );
    for round in 0..20 {
        let statuses = burst(500, |index| {
            let browser = f.app.browser();
            async move {
                browser
                    .try_login(&format!("guess{round}-{index}"), "wrong password!", "")
                    .await
                    .0
            }
        })
        .await;
        assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 500);
    }
    f.app.flush_refusals().await;
    let added = rows(&f.db).await - before;
    let grown = f.db.size().await - size_before;
    eprintln!("10,000 refused sign-ins: {added} rows, the database grew by {grown} bytes");
    assert!(
        added <= 5,
        "one evaluated failure (event, hit, throttle row) and one refusal row: {added}"
    );
    let refused =
        f.db.number("select cast(sum(count) as bigint) from refusals where kind = 'sign_in_refused'")
            .await;
    assert_eq!(refused, 10_000, "every refusal is counted");
}

#[tokio::test]
async fn failures_do_not_push_the_users_own_sign_ins_out_of_view() {
    let f = fixture(|s| {
        s.login_delay_after = 100;
        s.login_lock_after = 100;
    })
    .await;
    let browser = verified_user(&f, "rhea").await;
    browser.login("rhea", PASSWORD).await;
    let attacker = f.app.browser();
    for _ in 0..40 {
        attacker.try_login("rhea", "wrong password!", "").await;
    }
    let dashboard = browser.page("/dashboard").await;
    assert!(dashboard.contains("Signed in"), "her own sign-in is still listed");
    assert!(dashboard.contains("Failed sign-in"), "and so are the failures");
}

#[tokio::test]
async fn the_security_log_is_deleted_only_past_its_retention() {
    let f = fixture(|s| s.event_retention_days = 30).await;
    verified_user(&f, "sven").await;
    let events = f.db.number("select count(*) from security_events").await;
    assert!(events >= 3);
    assert!(
        f.db.execute("delete from security_events").await.is_err(),
        "no deleting around the retention sweep"
    );
    assert!(
        f.db.execute("update security_events set outcome = 'failure'")
            .await
            .is_err(),
        "append-only"
    );
    // Twenty-nine days later everything is still there; thirty-one days later the sweep removes it.
    f.advance(29 * 86_400);
    f.app
        .state
        .store
        .sweep(&gatehouse::server::sweep_policy(&f.app.state))
        .await
        .unwrap();
    assert_eq!(f.db.number("select count(*) from security_events").await, events);
    f.advance(2 * 86_400);
    f.app
        .state
        .store
        .sweep(&gatehouse::server::sweep_policy(&f.app.state))
        .await
        .unwrap();
    assert_eq!(f.db.number("select count(*) from security_events").await, 0);
}
