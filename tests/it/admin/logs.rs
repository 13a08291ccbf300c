//! The console's lists and logs: the overview, the security log, the code log and the user list,
//! their filters, pages and CSV exports.

use std::io::Read;

use gatehouse::{
    error::AppError,
    server::{clock::Clock, config::Seconds},
};
use reqwest::StatusCode;

use super::{act, admin, events_page, log_page, signed_in, user_id};
use crate::support::{location, Browser, PASSWORD};

#[tokio::test]
async fn the_security_log_filters_pages_newest_first_and_exports_csv() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    let carol = signed_in(&f, "carol").await;
    let carol_id = user_id(&f, "carol").await;
    for action in ["disable", "enable"] {
        assert_eq!(
            act(&alice.browser, carol_id, action, "").await,
            (StatusCode::OK, None)
        );
    }

    let by_alice = events_page(&alice.browser, &[("actor", "ALICE")]).await;
    let kinds: Vec<&str> = by_alice.events.iter().map(|event| event.kind.as_str()).collect();
    assert_eq!(kinds, ["account_enabled", "account_disabled"]);
    assert_eq!(by_alice.events[0].username.as_deref(), Some("carol"));
    assert_eq!(by_alice.events[0].actor.as_deref(), Some("alice"));
    let carols_sign_ins = events_page(
        &alice.browser,
        &[("kind", "sign_in"), ("account", "carol@example.test")],
    )
    .await;
    assert_eq!(carols_sign_ins.events.len(), 1);
    assert!(events_page(&alice.browser, &[("account", "nobody")])
        .await
        .events
        .is_empty());
    assert!(events_page(&alice.browser, &[("ip", "192.0.2.1")])
        .await
        .events
        .is_empty());
    let today = &gatehouse::model::utc_timestamp(f.clock.now())[..10];
    let tomorrow = &gatehouse::model::utc_timestamp(f.clock.now() + 86_400)[..10];
    assert!(!events_page(&alice.browser, &[("from", today), ("to", today)])
        .await
        .events
        .is_empty());
    assert!(events_page(&alice.browser, &[("from", tomorrow)])
        .await
        .events
        .is_empty());
    let bad_date = [
        ("from", "2026-13-45"),
        ("kind", ""),
        ("account", ""),
        ("actor", ""),
        ("ip", ""),
        ("to", ""),
        ("before", ""),
    ];
    assert_eq!(
        alice.browser.call_for_error("/api/admin/events", &bad_date).await,
        (StatusCode::BAD_REQUEST, Some(AppError::InvalidDate))
    );
    let page = alice.browser.page("/admin/events?from=yesterday").await;
    assert!(page.contains("Write dates as YYYY-MM-DD"), "{page}");

    // 120 more events: pages of 50, newest first, each event once.
    for index in 0..120 {
        f.db.execute(&format!(
            "insert into security_events (at, kind, user_id, ip, outcome) values ({}, 'sign_in_failed', {carol_id}, '198.51.100.{}', 'failure')",
            f.clock.now(),
            index % 200
        ))
        .await
        .unwrap();
    }
    let mut seen = Vec::new();
    let mut before = String::new();
    loop {
        let page = events_page(&alice.browser, &[("account", "carol"), ("before", &before)]).await;
        assert!(page.events.len() <= 50);
        seen.extend(page.events.iter().map(|event| event.event_id));
        match page.next_before {
            Some(next) => before = next.to_string(),
            None => break,
        }
    }
    let all: i64 =
        f.db.number(&format!(
            "select count(*) from security_events where user_id = {carol_id}"
        ))
        .await;
    assert_eq!(seen.len() as i64, all);
    assert!(
        seen.windows(2).all(|pair| pair[0] > pair[1]),
        "newest first, no repeats"
    );
    let html = alice.browser.page("/admin/events?account=carol").await;
    assert!(html.contains("Older events"));

    // The exports: the same filters, every row.
    let csv = alice.browser.get("/admin/events.csv?account=carol").await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("event_id,at,kind,outcome,user_id,username,actor_id,actor,ip,user_agent\n"));
    assert_eq!(csv.lines().count() as i64, all + 1);
    let users = alice
        .browser
        .get("/admin/users.csv?filter=admin")
        .await
        .text()
        .await
        .unwrap();
    let rows: Vec<&str> = users.lines().collect();
    assert_eq!(rows.len(), 2, "{users}");
    assert!(
        rows[1].contains(",alice,alice@example.test,Active,true,true,"),
        "{users}"
    );

    // A browser name a spreadsheet would run as a formula reaches the export as text.
    let formula = r#"=HYPERLINK("http://evil.example/","open")"#;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::USER_AGENT, formula.parse().unwrap());
    f.app
        .browser_with(headers)
        .login("nobody-here", "not a password")
        .await;
    let csv = alice.browser.get("/admin/events.csv?kind=sign_in_failed").await;
    let csv = csv.text().await.unwrap();
    assert!(
        csv.contains(r#""'=HYPERLINK(""http://evil.example/"",""open"")""#),
        "{csv}"
    );
    assert!(!csv.contains(r#","=HYPERLINK"#), "{csv}");

    // Disabling ended carol's session; signed in again, she is still no admin.
    assert_eq!(location(&carol.login("carol", PASSWORD).await), "/dashboard");
    for path in ["/admin/events.csv", "/admin/users.csv", "/admin/events"] {
        assert_eq!(carol.get(path).await.status(), StatusCode::FORBIDDEN, "{path}");
        assert_eq!(
            location(&f.app.browser().get(path).await),
            format!("/login?next={path}")
        );
    }
}

#[tokio::test]
async fn the_overview_counts_today_and_draws_the_last_30_days() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    let _carol = signed_in(&f, "carol").await;
    let now = f.clock.now();
    let today_start = now - now.rem_euclid(86_400);
    f.db.execute(&format!(
        "insert into security_events (at, kind, user_id, outcome) values ({}, 'sign_in', null, 'success')",
        today_start - 10 * 86_400 + 5
    ))
    .await
    .unwrap();
    f.db.execute(&format!(
        "insert into refusals (kind, bucket, window_start, count, last_at) values ('sign_in_refused', 'x', {}, 7, {})",
        today_start - 3 * 86_400,
        today_start - 3 * 86_400
    ))
    .await
    .unwrap();
    f.db.execute(&format!(
        "insert into security_events (at, kind, user_id, outcome) values ({}, 'sign_in', null, 'success')",
        today_start - 30 * 86_400
    ))
    .await
    .unwrap();

    let response = alice.browser.call("/api/admin/overview", &[]).await;
    let overview: gatehouse::model::AdminOverview =
        serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(
        (overview.accounts, overview.admins, overview.two_factor),
        (2, 1, 1)
    );
    let sign_ins_today =
        f.db.number(&format!(
            "select count(*) from security_events where kind = 'sign_in' and at >= {today_start}"
        ))
        .await;
    assert_eq!(overview.sign_ins_today, sign_ins_today);
    assert_eq!(overview.days.len(), 30);
    let today = &overview.days[29];
    assert_eq!(today.start, today_start);
    assert_eq!(
        (today.registrations, today.verifications, today.sign_ins),
        (2, 2, sign_ins_today)
    );
    assert_eq!(overview.days[19].sign_ins, 1, "ten days ago");
    assert_eq!(overview.days[26].refusals, 7, "three days ago");
    assert_eq!(
        overview.days.iter().map(|day| day.sign_ins).sum::<i64>(),
        sign_ins_today + 1,
        "day 31 is out"
    );

    let page = alice.browser.page("/admin").await;
    assert!(
        page.contains("<svg") && page.contains("<polyline"),
        "a server-drawn chart"
    );
    // Each line has its own dash pattern (none is one), so the lines differ without colour too.
    let dashes: Vec<&str> = page
        .split("<polyline")
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap())
        .map(|tag| {
            tag.split("stroke-dasharray=\"")
                .nth(1)
                .map_or("", |value| value.split('"').next().unwrap())
        })
        .collect();
    let patterns: std::collections::HashSet<&str> = dashes.iter().copied().collect();
    assert_eq!(dashes.len(), 5, "{dashes:?}");
    assert_eq!(patterns.len(), dashes.len(), "{dashes:?}");
    assert!(page.contains("The numbers, day by day"));
}

async fn codes_page(browser: &Browser, fields: &[(&str, &str)]) -> gatehouse::model::AdminCodePage {
    let names = ["purpose", "state", "account", "from", "to", "before"];
    log_page(browser, "/api/admin/codes", &names, fields).await
}

#[tokio::test]
async fn the_code_log_tells_what_happened_to_each_code_and_never_the_code() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    let _carol = signed_in(&f, "carol").await;
    let gina = f.app.browser();
    assert_eq!(
        location(&gina.register("gina", "gina@example.test").await),
        "/verify"
    );
    let code = f.sink.wait_for_code("gina@example.test", 1).await;
    gina.verify(crate::support::wrong_code_for(&code)).await;

    let gina_codes = codes_page(&alice.browser, &[("account", "gina")]).await;
    let [flow] = gina_codes.codes.as_slice() else {
        panic!("{gina_codes:?}")
    };
    assert_eq!(
        (flow.purpose.as_str(), flow.state.as_str()),
        ("Registration", "Waiting for the code")
    );
    assert_eq!((flow.failed_attempts, flow.codes_issued), (1, 1));
    assert_eq!(flow.mail_attempts, Some(0), "delivered at the first attempt");
    assert!(flow.mail_sent_at.is_some() && flow.mail_error.is_none());

    let verified = codes_page(&alice.browser, &[("state", "verified")]).await;
    let names: Vec<Option<&str>> = verified
        .codes
        .iter()
        .map(|code| code.username.as_deref())
        .collect();
    assert_eq!(names, [Some("carol"), Some("alice")]);
    let failed = codes_page(&alice.browser, &[("state", "failed")]).await;
    assert_eq!(failed.codes.len(), 1);
    assert!(codes_page(&alice.browser, &[("purpose", "recovery")])
        .await
        .codes
        .is_empty());

    f.advance(301);
    let expired = codes_page(&alice.browser, &[("state", "expired")]).await;
    assert_eq!(expired.codes.len(), 1);
    assert_eq!(expired.codes[0].state, "Expired");

    let page = alice.browser.page("/admin/codes?account=gina").await;
    assert!(page.contains("gina@example.test") && page.contains("Expired"));
    let csv = alice.browser.get("/admin/codes.csv").await.text().await.unwrap();
    assert!(csv.starts_with("code_id,purpose,state,user_id,username,email,issued_at,"));
    assert_eq!(csv.lines().count(), 4, "{csv}");
    for shown in [&page, &csv] {
        assert!(!shown.contains(&code), "the code itself is never shown");
    }
}

async fn users_page(browser: &Browser, fields: &[(&str, &str)]) -> gatehouse::model::AdminUserPage {
    log_page(
        browser,
        "/api/admin/users",
        &["search", "filter", "sort", "after"],
        fields,
    )
    .await
}

/// 120 accounts straight into the table (`seeded1` to `seeded120`), for lists of several pages.
async fn seed_120_users(f: &crate::support::Fixture) {
    f.db.execute(
        "with recursive n(i) as (select 1 union all select i + 1 from n where i < 120)
         insert into users (username, email, password_hash, created_at) select 'seeded' || i, 'seeded' || i || '@example.test', 'x', 1 from n",
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn the_user_list_pages_by_username_or_newest_first_each_account_once() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    seed_120_users(&f).await;
    let total = f.db.number("select count(*) from users").await;
    for sort in ["", "newest"] {
        let (mut seen, mut after) = (Vec::new(), String::new());
        loop {
            let page = users_page(&alice.browser, &[("sort", sort), ("after", &after)]).await;
            assert!(page.users.len() <= 50);
            seen.extend(page.users);
            match page.next_after {
                Some(next) => after = next,
                None => break,
            }
        }
        assert_eq!(seen.len() as i64, total, "{sort}");
        if sort == "newest" {
            assert!(seen.windows(2).all(|pair| pair[0].user_id > pair[1].user_id));
            assert_eq!(seen.last().unwrap().username, "alice");
        } else {
            assert!(seen.windows(2).all(|pair| pair[0].username < pair[1].username));
        }
    }
    let unverified = users_page(
        &alice.browser,
        &[
            ("filter", "unverified"),
            ("sort", "newest"),
            ("search", "SEEDED11"),
        ],
    )
    .await;
    let names: Vec<&str> = unverified
        .users
        .iter()
        .map(|user| user.username.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "seeded119",
            "seeded118",
            "seeded117",
            "seeded116",
            "seeded115",
            "seeded114",
            "seeded113",
            "seeded112",
            "seeded111",
            "seeded110",
            "seeded11"
        ]
    );
    let csv = alice
        .browser
        .get("/admin/users.csv?sort=newest")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count() as i64, total + 1);
    assert!(
        csv.lines().nth(1).unwrap().contains(",seeded120,"),
        "newest first"
    );
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[tokio::test]
async fn large_console_answers_and_exports_go_gzipped_small_ones_as_they_are() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    seed_120_users(&f).await;
    let total = f.db.number("select count(*) from users").await;
    let browser = &alice.browser;

    let export = browser
        .client
        .get(browser.url("/admin/users.csv"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), StatusCode::OK);
    assert_eq!(export.headers()["content-encoding"], "gzip");
    let csv = gunzip(&export.bytes().await.unwrap());
    assert!(csv.len() >= 4096, "the export is {} B", csv.len());
    assert_eq!(csv.lines().count() as i64, total + 1);

    let list = |search: &'static str| {
        browser
            .client
            .post(browser.url("/api/admin/users"))
            .header(reqwest::header::ACCEPT, "application/json")
            .header("accept-encoding", "gzip")
            .form(&[("search", search), ("filter", ""), ("sort", ""), ("after", "")])
            .send()
    };
    let large = list("").await.unwrap();
    assert_eq!(large.status(), StatusCode::OK);
    assert_eq!(large.headers()["content-encoding"], "gzip");
    let json = gunzip(&large.bytes().await.unwrap());
    assert!(json.len() >= 4096, "a page of the list is {} B", json.len());
    let page: gatehouse::model::AdminUserPage = serde_json::from_str(&json).unwrap();
    assert_eq!(page.users.len(), 50);

    let small = list("alice").await.unwrap();
    assert_eq!(small.status(), StatusCode::OK);
    assert!(small.headers().get("content-encoding").is_none());
    let page: gatehouse::model::AdminUserPage = serde_json::from_str(&small.text().await.unwrap()).unwrap();
    assert_eq!(page.users.len(), 1);
}

/// A registration naming an address that has an account holds a stand-in address, never the
/// owner's: the list shows it as such, and the address finds only its owner.
#[tokio::test]
async fn the_user_list_shows_a_registration_stand_in_by_its_in_use_address() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    let _carol = signed_in(&f, "carol").await;
    assert_eq!(
        location(&f.app.browser().register("mallory", "carol@example.test").await),
        "/verify"
    );
    let found = users_page(&alice.browser, &[("search", "mallory")]).await;
    let [stand_in] = found.users.as_slice() else {
        panic!("{found:?}")
    };
    assert_eq!(stand_in.email, "(in use) carol@example.test");
    assert_eq!(stand_in.state, gatehouse::model::AccountState::Unverified);
    let by_address = users_page(&alice.browser, &[("search", "carol@example.test")]).await;
    let names: Vec<&str> = by_address
        .users
        .iter()
        .map(|user| user.username.as_str())
        .collect();
    assert_eq!(names, ["carol"]);
}

/// An export holds at most 100,000 rows, however long the log.
#[tokio::test]
async fn the_events_csv_stops_at_100_000_rows() {
    // A debug build writes the 100,000 rows in some 15 s, more on a busy machine: past the
    // shipped 30 s for a whole request.
    let f = crate::support::fixture(|s| s.http_request_timeout_secs = Seconds(600)).await;
    let alice = admin(&f, "alice").await;
    let events = 100_010;
    let numbers = if crate::support::on_postgres() {
        format!("select i from generate_series(1, {events}) i")
    } else {
        format!("with recursive n(i) as (select 1 union all select i + 1 from n where i < {events}) select i from n")
    };
    f.db.execute(&format!(
        "insert into security_events (at, kind, outcome)
         select 1700000000 + i, 'sign_in_failed', 'failure' from ({numbers}) numbers"
    ))
    .await
    .unwrap();
    let csv = alice.browser.get("/admin/events.csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.unwrap();
    assert_eq!(csv.lines().count(), 1 + 100_000, "the header and 100,000 rows");
}
