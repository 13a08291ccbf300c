//! Parallel bursts are limited exactly as sequential attempts are: each sign-in attempt is
//! reserved (counted) atomically before its password is hashed, and the queue in front of argon2
//! is bounded. Every burst here is released at once behind a barrier, on a multi-threaded runtime.

use reqwest::StatusCode;

use crate::support::{
    burst, count, fixture, per, shipped_limits, verified_user, wrong_code_for, Fixture, PASSWORD,
};

fn proxied(s: &mut gatehouse::server::config::Settings) {
    s.trusted_proxies = gatehouse::server::config::SettingValue::parse_setting("127.0.0.1").unwrap();
}

async fn wrong_sign_ins(
    f: &Fixture,
    requests: usize,
    identifier: impl Fn(usize) -> String,
    from: impl Fn(usize) -> String,
) -> Vec<StatusCode> {
    burst(requests, |index| {
        let browser = f.app.browser_from(&from(index));
        let identifier = identifier(index);
        async move { browser.try_login(&identifier, "wrong password!", "").await.0 }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_from_one_client_is_evaluated_no_more_than_its_limit() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.login_failures_per_ip = per(30, 300);
        s.pow_after_client_login_failures = 10_000;
        s.pow_after_login_failures = 10_000;
    })
    .await;
    let before = f.app.state.hasher.computations();
    let statuses = wrong_sign_ins(
        &f,
        200,
        |index| format!("stuffed{index}"),
        |_| "203.0.113.9".into(),
    )
    .await;
    let evaluated = f.app.state.hasher.computations() - before;
    eprintln!("burst of 200 from one client: {evaluated} evaluated");
    assert_eq!(
        count(&statuses, StatusCode::UNAUTHORIZED) as u64,
        evaluated,
        "{statuses:?}"
    );
    assert_eq!(
        count(&statuses, StatusCode::UNAUTHORIZED) + count(&statuses, StatusCode::SERVICE_UNAVAILABLE),
        30
    );
    assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 170);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_on_one_identifier_meets_the_delay_after_five() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.login_failures_per_ip = per(10_000, 300);
        s.pow_after_client_login_failures = 10_000;
        s.pow_after_login_failures = 10_000;
    })
    .await;
    verified_user(&f, "vera").await;
    let before = f.app.state.hasher.computations();
    let statuses = wrong_sign_ins(&f, 200, |_| "vera".into(), |_| "203.0.113.9".into()).await;
    let evaluated = f.app.state.hasher.computations() - before;
    assert_eq!(evaluated, 5, "the sixth failure in a row waits: {statuses:?}");
    assert_eq!(count(&statuses, StatusCode::UNAUTHORIZED), 5);
    assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 195);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_right_password_queued_behind_the_lock_does_not_lift_it() {
    let f = fixture(|s| {
        proxied(s);
        s.login_lock_after = 5;
        s.login_delay_after = 100;
        s.hash_concurrency = 1;
    })
    .await;
    verified_user(&f, "walt").await;
    // Thirty wrong passwords from thirty clients queue for the one hashing slot; the owner's right
    // password joins the queue last.
    let owner = f.app.browser_from("198.51.100.200");
    let right = tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        owner.try_login("walt", PASSWORD, "").await.0
    });
    let statuses = wrong_sign_ins(
        &f,
        30,
        |_| "walt".into(),
        |index| format!("198.51.100.{}", index + 1),
    )
    .await;
    assert!(statuses
        .iter()
        .all(|status| *status == StatusCode::UNAUTHORIZED || *status == StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(
        right.await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "the lock was set first"
    );
    let locked =
        f.db.number("select count(*) from users where username = 'walt' and locked_at is not null")
            .await;
    assert_eq!(locked, 1, "the account stays locked");
    let (status, _) = f
        .app
        .browser_from("198.51.100.201")
        .try_login("walt", PASSWORD, "")
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let lock_mails =
        f.db.number("select count(*) from email_outbox where kind = 'account_locked'")
            .await;
    assert_eq!(lock_mails, 1, "one lock, one mail to the owner");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_queue_in_front_of_argon2_is_bounded() {
    let f = fixture(|s| {
        proxied(s);
        s.hash_concurrency = 1;
        s.login_delay_after = 100;
    })
    .await;
    let before = f.app.state.hasher.computations();
    let statuses = burst(200, |index| {
        let browser = f.app.browser_from(&format!("198.18.0.{}", index % 250 + 1));
        async move {
            let response = browser
                .call(
                    "/api/login",
                    &[
                        ("identifier", &format!("nobody{index}")),
                        ("password", "wrong"),
                        ("next", ""),
                    ],
                )
                .await;
            if response.status() == StatusCode::SERVICE_UNAVAILABLE {
                assert_eq!(response.headers()["retry-after"], "2");
            }
            response.status()
        }
    })
    .await;
    let evaluated = f.app.state.hasher.computations() - before;
    let (busy, refused) = (
        count(&statuses, StatusCode::SERVICE_UNAVAILABLE),
        count(&statuses, StatusCode::UNAUTHORIZED),
    );
    eprintln!("200 sign-ins, one hashing slot: {refused} evaluated, {busy} told to come back");
    // How many wait too long depends on the machine's speed; the wait's bound itself is the unit
    // test `a_request_that_cannot_get_a_slot_in_time_is_told_to_come_back`.
    assert_eq!(busy + refused, 200, "only 401 and 503: {statuses:?}");
    assert_eq!(evaluated, refused as u64);
}

/// PostgreSQL only: there, every mail-producing request takes the deployment-wide mail cap's lock,
/// across instances (SQLite has one writer, and every write waits its turn there anyway).
#[tokio::test]
async fn a_client_over_its_own_limit_is_refused_without_waiting_for_the_shared_mail_lock() {
    let f = fixture(|s| s.resend_per_ip = per(1, 3600)).await;
    let crate::support::TestDb::Postgres(pool) = &f.db else {
        return;
    };
    let browser = f.app.browser();
    let recover = || browser.call("/api/recover", &[("identifier", "nobody-here")]);
    assert_eq!(
        recover().await.status(),
        StatusCode::OK,
        "the client's one request"
    );
    // Another instance holds the shared mail cap's lock for as long as it likes.
    let mut holder = pool.begin().await.unwrap();
    sqlx::query("select pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(gatehouse::server::throttle::bucket::all_mail())
        .execute(&mut *holder)
        .await
        .unwrap();
    let refused = tokio::time::timeout(std::time::Duration::from_secs(10), recover())
        .await
        .expect("answered while the shared lock is held");
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    holder.rollback().await.unwrap();
}

/// The per-client registration limit is counted and checked under one lock per key: sixty at
/// once get exactly the three a client may have.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_registrations_from_one_client_meets_its_limit_exactly() {
    let f = fixture(|s| {
        s.register_per_ip = per(3, 3600);
        s.pow_after_registrations = 10_000;
    })
    .await;
    let answers = burst(60, |index| {
        let browser = f.app.browser();
        async move {
            let (username, email) = (format!("burst{index}"), format!("burst{index}@example.test"));
            let fields = [
                ("username", username.as_str()),
                ("email", email.as_str()),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ];
            browser.call("/api/register", &fields).await.status()
        }
    })
    .await;
    assert_eq!(count(&answers, StatusCode::TOO_MANY_REQUESTS), 57, "{answers:?}");
    assert_eq!(f.db.number("select count(*) from users").await, 3);
}

/// Twenty wrong guesses at one code at once are counted as if one followed another: four are told
/// how many tries are left, the fifth locks the code, and the right code is refused after them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_guesses_at_one_code_at_once_meet_its_five_tries() {
    let f = fixture(|_| {}).await;
    let browser = f.app.browser();
    browser.register("gina", "gina@example.test").await;
    let code = f.sink.wait_for_code("gina@example.test", 1).await;
    let wrong = wrong_code_for(&code);
    let answers = burst(20, |_| {
        let browser = browser.clone();
        async move {
            let fields = [("purpose", "registration"), ("code", wrong)];
            browser.call("/api/verify", &fields).await.status()
        }
    })
    .await;
    assert_eq!(
        count(&answers, StatusCode::UNPROCESSABLE_ENTITY),
        4,
        "{answers:?}"
    );
    assert_eq!(count(&answers, StatusCode::TOO_MANY_REQUESTS), 16, "{answers:?}");
    let right = browser
        .call("/api/verify", &[("purpose", "registration"), ("code", &code)])
        .await;
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
}
