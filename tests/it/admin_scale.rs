//! The admin console at scale: 100,000 accounts and 1,000,000 security events, and how long the
//! server takes to render the console's pages (p50 and p95 over repeated requests). A benchmark,
//! not a test: it asserts nothing about time and runs only when asked
//! (`scripts/bench-admin.sh`, which runs it on both backends with a release build).

use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::{
    support::{fixture, on_postgres, Browser, Fixture},
    two_factor::enrol,
};

const ACCOUNTS: i64 = 100_000;
const EVENTS: i64 = 1_000_000;
const REQUESTS: usize = 200;

async fn seed(f: &Fixture) {
    let (accounts, events) = if on_postgres() {
        (
            format!(
                "insert into users (username, email, password_hash, created_at, verified_at, locked_at)
                 select 'user' || lpad(i::text, 6, '0'), 'user' || lpad(i::text, 6, '0') || '@example.test',
                        'not-a-hash', 1700000000 + i, 1700000000 + i, case when i % 997 = 0 then 1700000000 end
                 from generate_series(1, {ACCOUNTS}) i"
            ),
            format!(
                "insert into security_events (at, kind, user_id, ip, user_agent, outcome)
                 select 1700000000 + i,
                        (array['sign_in', 'sign_in_failed', 'code_issued', 'code_verified'])[i % 4 + 1],
                        (select min(user_id) from users) + 1 + i % {ACCOUNTS},
                        '198.51.100.' || (i % 250), 'Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0',
                        case when i % 4 = 1 then 'failure' else 'success' end
                 from generate_series(1, {EVENTS}) i"
            ),
        )
    } else {
        (
            format!(
                "with recursive n(i) as (select 1 union all select i + 1 from n where i < {ACCOUNTS})
                 insert into users (username, email, password_hash, created_at, verified_at, locked_at)
                 select 'user' || printf('%06d', i), 'user' || printf('%06d', i) || '@example.test',
                        'not-a-hash', 1700000000 + i, 1700000000 + i, case when i % 997 = 0 then 1700000000 end
                 from n"
            ),
            format!(
                "with recursive n(i) as (select 1 union all select i + 1 from n where i < {EVENTS})
                 insert into security_events (at, kind, user_id, ip, user_agent, outcome)
                 select 1700000000 + i,
                        case i % 4 when 0 then 'sign_in' when 1 then 'sign_in_failed' when 2 then 'code_issued'
                                   else 'code_verified' end,
                        (select min(user_id) from users) + 1 + i % {ACCOUNTS},
                        '198.51.100.' || (i % 250), 'Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0',
                        case when i % 4 = 1 then 'failure' else 'success' end
                 from n"
            ),
        )
    };
    f.db.execute(&accounts).await.unwrap();
    f.db.execute(&events).await.unwrap();
    f.db.execute("analyze").await.unwrap();
}

/// (p50, p95) of `REQUESTS` sequential GETs of `path`, after a few to warm up.
async fn time_page(browser: &Browser, path: &str) -> (Duration, Duration) {
    for _ in 0..5 {
        assert_eq!(browser.get(path).await.status(), StatusCode::OK, "{path}");
    }
    let mut took = Vec::with_capacity(REQUESTS);
    for _ in 0..REQUESTS {
        let started = Instant::now();
        let response = browser.get(path).await;
        response.bytes().await.unwrap();
        took.push(started.elapsed());
    }
    took.sort();
    (took[REQUESTS / 2], took[REQUESTS * 95 / 100])
}

#[tokio::test]
#[ignore = "a benchmark: scripts/bench-admin.sh runs it"]
async fn admin_pages_with_100_000_accounts_and_1_000_000_events() {
    let f = fixture(|_| {}).await;
    let admin = enrol(&f, "alice").await;
    f.db.execute("update users set role = 'admin' where username = 'alice'")
        .await
        .unwrap();
    let started = Instant::now();
    seed(&f).await;
    let seeded = started.elapsed();
    let someone =
        f.db.number("select user_id from users where username = 'user050000'")
            .await;
    let pages = [
        ("users, first page", "/admin/users".to_string()),
        ("users, prefix search", "/admin/users?search=user0999".to_string()),
        (
            "users, locked (1 in 997)",
            "/admin/users?filter=locked".to_string(),
        ),
        ("users, next page", "/admin/users?after=user050000".to_string()),
        ("a user's page", format!("/admin/users/{someone}")),
        ("events, first page", "/admin/events".to_string()),
        (
            "events of one account",
            "/admin/events?account=user050000".to_string(),
        ),
        (
            "events of one kind",
            "/admin/events?kind=sign_in_failed".to_string(),
        ),
        ("events, older page", "/admin/events?before=500000".to_string()),
    ];
    let backend = if on_postgres() { "PostgreSQL" } else { "SQLite" };
    println!("\n{backend}: {ACCOUNTS} accounts and {EVENTS} events seeded in {seeded:.1?}");
    println!("{:<28} {:>9} {:>9}", "page", "p50 ms", "p95 ms");
    for (name, path) in pages {
        let (p50, p95) = time_page(&admin.browser, &path).await;
        println!(
            "{name:<28} {:>9.1} {:>9.1}",
            p50.as_secs_f64() * 1000.0,
            p95.as_secs_f64() * 1000.0
        );
    }
}
