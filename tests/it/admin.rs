//! The admin console: the role granted on the command line, the console's refusal of anyone but an
//! admin with two-factor on (every admin server function, enumerated from the app itself), the
//! actions on an account with their audit records, the fresh password they need, and the admin's
//! shorter idle limit.

use std::collections::BTreeSet;

use gatehouse::{error::AppError, model::AdminEventPage, server::clock::Clock};
use reqwest::StatusCode;

use crate::{
    support::{location, verified_user, Browser, Fixture, PASSWORD},
    two_factor::{code_at, enrol, Enrolled},
};

/// Runs the real `gatehouse` binary on the fixture's database; (succeeded, stdout and stderr).
async fn gatehouse(f: &Fixture, arguments: &[&str]) -> (bool, String) {
    let config = f.dir.path().join("empty.toml");
    std::fs::write(&config, "").unwrap();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(arguments)
        .env("GATEHOUSE_CONFIG", &config)
        .env("GATEHOUSE_DATABASE_URL", &f.database_url.0)
        .env("GATEHOUSE_SECRET_KEY", "5a".repeat(32))
        .env("RUST_LOG", "warn")
        .output()
        .await
        .expect("run gatehouse");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

async fn grant(f: &Fixture, username: &str) {
    let (ok, output) = gatehouse(f, &["admin", "grant", username]).await;
    assert!(ok, "{output}");
    assert!(
        output.contains(&format!("{username} is an admin now")),
        "{output}"
    );
}

/// An admin with two-factor on, signed in with a password entered just now.
async fn admin(f: &Fixture, username: &str) -> Enrolled {
    let enrolled = enrol(f, username).await;
    grant(f, username).await;
    enrolled
}

async fn signed_in(f: &Fixture, username: &str) -> Browser {
    let browser = verified_user(f, username).await;
    assert_eq!(location(&browser.login(username, PASSWORD).await), "/dashboard");
    browser
}

async fn user_id(f: &Fixture, username: &str) -> i64 {
    f.db.number(&format!(
        "select user_id from users where username = '{username}'"
    ))
    .await
}

async fn act(
    browser: &Browser,
    user_id: i64,
    action: &str,
    password: &str,
) -> (StatusCode, Option<AppError>) {
    let user_id = user_id.to_string();
    let mut fields = vec![("user_id", user_id.as_str()), ("action", action)];
    if !password.is_empty() {
        fields.push(("password", password));
    }
    browser.call_for_error("/api/admin/act", &fields).await
}

/// (kind, subject, actor) of every event an admin caused.
async fn admin_events(f: &Fixture) -> Vec<String> {
    f.db.texts(
        "select kind || ' ' || user_id || ' ' || coalesce(cast(actor_id as text), '-') from security_events
         where kind in ('account_disabled', 'account_enabled', 'unlock', 'sessions_ended', 'admin_granted',
                        'admin_revoked')
         order by event_id",
    )
    .await
}

#[tokio::test]
async fn the_first_admin_is_made_on_the_command_line_and_the_console_needs_two_factor() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = enrol(&f, "alice").await;
    assert_eq!(alice.browser.get("/admin").await.status(), StatusCode::FORBIDDEN);

    grant(&f, "alice").await;
    let overview = alice.browser.page("/admin").await;
    assert!(overview.contains("Admin console"), "{overview}");
    assert!(overview.contains("data-testid=\"account-counts\""));

    // An admin without two-factor is sent to turn it on.
    let bob = signed_in(&f, "bob").await;
    grant(&f, "bob").await;
    assert_eq!(
        location(&bob.get("/admin/users").await),
        "/account/security?required=1"
    );
    let (status, error) = bob.call_for_error("/api/admin/overview", &[]).await;
    assert_eq!(
        (status, error),
        (StatusCode::FORBIDDEN, Some(AppError::AdminNeedsTwoFactor))
    );

    // Revoking counts at once, in the session already open.
    let (ok, output) = gatehouse(&f, &["admin", "revoke", "alice@example.test"]).await;
    assert!(ok && output.contains("is no longer an admin"), "{output}");
    assert_eq!(alice.browser.get("/admin").await.status(), StatusCode::FORBIDDEN);

    let (ok, output) = gatehouse(&f, &["admin", "grant", "nobody"]).await;
    assert!(
        !ok && output.contains("no account has the username or email address nobody"),
        "{output}"
    );
    let (ok, output) = gatehouse(&f, &["--help"]).await;
    assert!(
        ok && output.contains("admin") && output.contains("unlock"),
        "{output}"
    );

    let alice_id = user_id(&f, "alice").await;
    let bob_id = user_id(&f, "bob").await;
    assert_eq!(
        admin_events(&f).await,
        [
            format!("admin_granted {alice_id} -"),
            format!("admin_granted {bob_id} -"),
            format!("admin_revoked {alice_id} -"),
        ]
    );
}

#[tokio::test]
async fn every_admin_endpoint_refuses_anonymous_callers_and_non_admins() {
    let f = crate::support::fixture(|_| {}).await;
    let paths: BTreeSet<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    let admin_paths: Vec<&str> = paths
        .iter()
        .copied()
        .filter(|path| path.starts_with("/api/admin/"))
        .collect();
    assert!(admin_paths.len() >= 4, "{paths:?}");
    for path in &paths {
        assert!(
            !path.contains("admin") || path.starts_with("/api/admin/"),
            "{path}: admin functions belong under /api/admin/, where the guard is"
        );
    }

    let anonymous = f.app.browser();
    let user = signed_in(&f, "carol").await;
    let without_two_factor = signed_in(&f, "dave").await;
    grant(&f, "dave").await;
    let real_admin = admin(&f, "alice").await;
    let carol_id = user_id(&f, "carol").await.to_string();
    let fields = [
        ("user_id", carol_id.as_str()),
        ("action", "disable"),
        ("search", ""),
        ("filter", ""),
        ("after", ""),
        ("password", PASSWORD),
    ];
    for path in &admin_paths {
        assert_eq!(
            anonymous.call(path, &fields).await.status(),
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        assert_eq!(
            user.call(path, &fields).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(
            without_two_factor.call(path, &fields).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
        let cross_site = real_admin
            .browser
            .client
            .post(real_admin.browser.url(path))
            .header("sec-fetch-site", "cross-site")
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(cross_site.status(), StatusCode::FORBIDDEN, "{path}");
    }
    for page in ["/admin", "/admin/users", &format!("/admin/users/{carol_id}")] {
        assert_eq!(
            location(&anonymous.get(page).await),
            format!("/login?next={page}")
        );
        assert_eq!(user.get(page).await.status(), StatusCode::FORBIDDEN, "{page}");
    }
    // Nothing reached the account.
    assert!(admin_events(&f)
        .await
        .iter()
        .all(|event| event.starts_with("admin_granted")));
    assert_eq!(location(&user.get("/dashboard").await), "");
}

#[tokio::test]
async fn an_admin_finds_disables_enables_unlocks_and_ends_sessions_each_on_the_record() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    let carol = signed_in(&f, "carol").await;
    let alice_id = user_id(&f, "alice").await;
    let carol_id = user_id(&f, "carol").await;

    let found = alice.browser.page("/admin/users?search=CAR&filter=all").await;
    assert!(
        found.contains(">carol</strong>") && !found.contains(">alice</strong>"),
        "{found}"
    );
    let admins = alice.browser.page("/admin/users?filter=admin").await;
    assert!(admins.contains(">alice</strong>") && !admins.contains(">carol</strong>"));
    let page = alice
        .browser
        .page(&format!("/admin/users/{carol_id}?confirm=disable"))
        .await;
    assert!(page.contains("Disable the account?") && page.contains("carol@example.test"));

    // Disabled: the open session ends at once, and the right password no longer signs in.
    let disabled = alice
        .browser
        .post_form(
            "/api/admin/act",
            &format!("/admin/users/{carol_id}?confirm=disable"),
            &[("user_id", &carol_id.to_string()), ("action", "disable")],
        )
        .await;
    assert_eq!(
        location(&disabled),
        format!("/admin/users/{carol_id}?done=disable")
    );
    assert_eq!(location(&carol.get("/dashboard").await), "/login?next=/dashboard");
    let (status, error) = carol.try_login("carol", PASSWORD, "").await;
    assert_eq!(
        (status, error),
        (StatusCode::UNAUTHORIZED, Some(AppError::InvalidCredentials))
    );
    let listed = alice.browser.page("/admin/users?filter=disabled").await;
    assert!(listed.contains(">carol</strong>"));

    assert_eq!(
        act(&alice.browser, carol_id, "enable", "").await,
        (StatusCode::OK, None)
    );
    assert_eq!(location(&carol.login("carol", PASSWORD).await), "/dashboard");

    f.db.execute(&format!(
        "update users set locked_at = 1, failed_sign_ins = 10 where user_id = {carol_id}"
    ))
    .await
    .unwrap();
    assert_eq!(
        act(&alice.browser, carol_id, "unlock", "").await,
        (StatusCode::OK, None)
    );
    assert_eq!(
        f.db.number(&format!(
            "select failed_sign_ins + coalesce(locked_at, 0) from users where user_id = {carol_id}"
        ))
        .await,
        0
    );

    assert_eq!(
        act(&alice.browser, carol_id, "end_sessions", "").await,
        (StatusCode::OK, None)
    );
    assert_eq!(location(&carol.get("/dashboard").await), "/login?next=/dashboard");

    assert_eq!(
        act(&alice.browser, carol_id, "grant_admin", "").await,
        (StatusCode::OK, None)
    );
    assert_eq!(
        act(&alice.browser, carol_id, "revoke_admin", "").await,
        (StatusCode::OK, None)
    );

    // Not on one's own role or access; an unknown id or action is refused.
    for action in ["revoke_admin", "disable"] {
        assert_eq!(
            act(&alice.browser, alice_id, action, "").await,
            (StatusCode::FORBIDDEN, Some(AppError::NotOnOwnAccount))
        );
    }
    assert_eq!(
        act(&alice.browser, 999_999, "disable", "").await,
        (StatusCode::NOT_FOUND, Some(AppError::NoSuchAccount))
    );
    assert_eq!(
        act(&alice.browser, carol_id, "delete_everything", "").await.0,
        StatusCode::BAD_REQUEST
    );

    assert_eq!(
        admin_events(&f).await,
        [
            format!("admin_granted {alice_id} -"),
            format!("account_disabled {carol_id} {alice_id}"),
            format!("account_enabled {carol_id} {alice_id}"),
            format!("unlock {carol_id} {alice_id}"),
            format!("sessions_ended {carol_id} {alice_id}"),
            format!("admin_granted {carol_id} {alice_id}"),
            format!("admin_revoked {carol_id} {alice_id}"),
        ]
    );
    // The account's own page shows what the admin did.
    let carol_page = alice.browser.page(&format!("/admin/users/{carol_id}")).await;
    assert!(
        carol_page.contains("Account disabled by an administrator"),
        "{carol_page}"
    );
}

#[tokio::test]
async fn actions_need_a_recent_password_and_an_idle_admin_is_signed_out_sooner() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    let _carol = signed_in(&f, "carol").await;
    let carol_id = user_id(&f, "carol").await;

    f.advance(301);
    let confirm = alice
        .browser
        .page(&format!("/admin/users/{carol_id}?confirm=disable"))
        .await;
    assert!(
        confirm.contains("id=\"admin-password\""),
        "the confirmation asks for the password"
    );
    assert_eq!(
        act(&alice.browser, carol_id, "disable", "").await,
        (StatusCode::FORBIDDEN, Some(AppError::ReauthenticationRequired))
    );
    let (status, _) = act(&alice.browser, carol_id, "disable", "not the password").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        act(&alice.browser, carol_id, "disable", PASSWORD).await,
        (StatusCode::OK, None)
    );
    assert_eq!(
        f.db.number(&format!(
            "select count(*) from users where user_id = {carol_id} and disabled_at is not null"
        ))
        .await,
        1
    );

    // Or a current code from the app instead of the password.
    f.advance(301);
    let code = code_at(&alice.secret, f.clock.now());
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, _) = act(&alice.browser, carol_id, "enable", wrong).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        act(&alice.browser, carol_id, "enable", &code).await,
        (StatusCode::OK, None)
    );

    // 15 minutes without a request end an admin's sign-in; a user's lasts 30.
    let user = signed_in(&f, "erin").await;
    f.advance(15 * 60 + 1);
    assert_eq!(location(&alice.browser.get("/admin").await), "/login?next=/admin");
    assert_eq!(user.get("/dashboard").await.status(), StatusCode::OK);
}

/// A console log's page through its server function: every field empty but `fields`.
async fn log_page<T: serde::de::DeserializeOwned>(
    browser: &Browser,
    path: &str,
    names: &[&'static str],
    fields: &[(&str, &str)],
) -> T {
    let mut form: Vec<(&str, &str)> = names.iter().map(|name| (*name, "")).collect();
    for (name, value) in fields {
        form.retain(|(existing, _)| existing != name);
        form.push((name, value));
    }
    let response = browser.call(path, &form).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    serde_json::from_str(&response.text().await.unwrap()).unwrap()
}

async fn events_page(browser: &Browser, fields: &[(&str, &str)]) -> AdminEventPage {
    let names = ["kind", "account", "actor", "ip", "from", "to", "before"];
    log_page(browser, "/api/admin/events", &names, fields).await
}

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
async fn an_admin_resets_a_lost_second_factor_and_deletes_an_account_each_with_a_notice() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    let alice_id = user_id(&f, "alice").await;
    let frank = enrol(&f, "frank").await;
    let frank_id = user_id(&f, "frank").await;
    let carol = signed_in(&f, "carol").await;
    let carol_id = user_id(&f, "carol").await;

    // Frank lost his phone and his recovery codes: the password alone signs in afterwards.
    let page = alice.browser.page(&format!("/admin/users/{frank_id}")).await;
    assert!(page.contains("Reset two-factor sign-in"));
    assert_eq!(
        act(&alice.browser, frank_id, "reset_two_factor", "").await,
        (StatusCode::OK, None)
    );
    f.sink
        .wait_for_containing("frank@example.test", "two-factor sign-in was turned off", 1)
        .await;
    assert_eq!(
        f.db.number(&format!(
            "select count(*) from recovery_codes where user_id = {frank_id}"
        ))
        .await,
        0
    );
    assert_eq!(
        location(&frank.browser.login("frank", PASSWORD).await),
        "/dashboard"
    );
    let page = alice.browser.page(&format!("/admin/users/{frank_id}")).await;
    assert!(
        !page.contains("Reset two-factor sign-in"),
        "only offered while it is on"
    );

    // Deleting: confirmed without JavaScript, the session ends, a last mail, the events stay.
    let deleted = alice
        .browser
        .post_form(
            "/api/admin/act",
            &format!("/admin/users/{carol_id}?confirm=delete"),
            &[("user_id", &carol_id.to_string()), ("action", "delete")],
        )
        .await;
    assert_eq!(location(&deleted), "/admin/users?deleted=1");
    assert!(alice
        .browser
        .follow(&deleted)
        .await
        .contains("The account was deleted"));
    f.sink
        .wait_for_containing("carol@example.test", "This is the last mail", 1)
        .await;
    assert_eq!(location(&carol.get("/dashboard").await), "/login?next=/dashboard");
    assert_eq!(
        f.db.number("select count(*) from users where username = 'carol'")
            .await,
        0
    );
    assert_eq!(
        act(&alice.browser, carol_id, "delete", "").await,
        (StatusCode::NOT_FOUND, Some(AppError::NoSuchAccount))
    );
    assert_eq!(
        act(&alice.browser, alice_id, "delete", "").await,
        (StatusCode::FORBIDDEN, Some(AppError::NotOnOwnAccount))
    );
    let log = f
        .db
        .texts(
            "select kind || ' ' || user_id || ' ' || coalesce(cast(actor_id as text), '-') from security_events
             where kind in ('two_factor_reset', 'account_deleted') order by event_id",
        )
        .await;
    assert_eq!(
        log,
        [
            format!("two_factor_reset {frank_id} {alice_id}"),
            format!("account_deleted {carol_id} {alice_id}"),
        ]
    );
    let events = events_page(&alice.browser, &[("kind", "account_deleted")]).await;
    assert_eq!(events.events[0].username, None, "the account's name went with it");
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

#[tokio::test]
async fn an_admin_resends_a_verification_code_that_the_owners_browser_can_use() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    let alice_id = user_id(&f, "alice").await;
    let gina = f.app.browser();
    assert_eq!(
        location(&gina.register("gina", "gina@example.test").await),
        "/verify"
    );
    let first = f.sink.wait_for_code("gina@example.test", 1).await;
    let gina_id = user_id(&f, "gina").await;
    let page = alice.browser.page(&format!("/admin/users/{gina_id}")).await;
    assert!(page.contains("Resend the verification code"));
    assert!(
        page.contains("Waiting for the code"),
        "the account's codes are on its page"
    );

    // The same cooldown as the verify page's button.
    let (status, _) = act(&alice.browser, gina_id, "resend_verification", "").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    f.advance(61);
    assert_eq!(
        act(&alice.browser, gina_id, "resend_verification", "").await,
        (StatusCode::OK, None)
    );
    let second = f.sink.wait_for_code("gina@example.test", 2).await;
    assert_ne!(first, second);
    assert_eq!(location(&gina.verify(&second).await), "/login?verified=1");

    assert_eq!(
        act(&alice.browser, gina_id, "resend_verification", "").await,
        (StatusCode::CONFLICT, Some(AppError::AlreadyVerified))
    );
    assert_eq!(
        f.db.texts(&format!(
            "select coalesce(cast(actor_id as text), '-') from security_events where kind = 'resend' and user_id = {gina_id}"
        ))
        .await,
        [alice_id.to_string()]
    );
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

#[tokio::test]
async fn the_user_list_pages_by_username_or_newest_first_each_account_once() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    f.db.execute(
        "with recursive n(i) as (select 1 union all select i + 1 from n where i < 120)
         insert into users (username, email, password_hash, created_at) select 'seeded' || i, 'seeded' || i || '@example.test', 'x', 1 from n",
    )
    .await
    .unwrap();
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

#[tokio::test]
async fn an_admin_sends_a_reset_code_whose_link_opens_the_reset_in_any_browser() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    let alice_id = user_id(&f, "alice").await;
    let _carol = signed_in(&f, "carol").await;
    let carol_id = user_id(&f, "carol").await;
    assert!(alice
        .browser
        .page(&format!("/admin/users/{carol_id}"))
        .await
        .contains("Send a password reset code"));

    assert_eq!(
        act(&alice.browser, carol_id, "send_recovery_code", "").await,
        (StatusCode::OK, None)
    );
    let mail = f
        .sink
        .wait_for_containing("carol@example.test", "An administrator sent you this code", 1)
        .await;
    let text = mail.text();
    let code = mail.code().expect("the code");
    let link = text
        .split_whitespace()
        .find(|word| word.contains("/recover/continue/"))
        .expect("the link");
    let path = &link[link.find("/recover/continue/").unwrap()..];

    // Carol's phone, a browser that never saw the portal: the link takes up the reset.
    let phone = f.app.browser();
    assert_eq!(location(&phone.get(path).await), "/recover/verify");
    let verified = phone
        .post_form(
            "/api/verify",
            "/recover/verify",
            &[("purpose", "recovery"), ("code", &code)],
        )
        .await;
    assert_eq!(location(&verified), "/recover/password");
    let new_password = "violet-harbour-lantern-42";
    let reset = phone
        .post_form(
            "/api/reset_password",
            "/recover/password",
            &[("password", new_password), ("password_confirm", new_password)],
        )
        .await;
    assert!(location(&reset).starts_with("/login"), "{}", location(&reset));
    assert_eq!(location(&phone.login("carol", new_password).await), "/dashboard");

    // Used: the link no longer opens anything.
    let late = f.app.browser();
    assert_eq!(location(&late.get(path).await), "/recover?link_expired=1");
    assert_eq!(
        location(&late.get("/recover/continue/not-a-flow").await),
        "/recover?link_expired=1"
    );
    assert_eq!(
        act(&alice.browser, alice_id, "send_recovery_code", "").await,
        (StatusCode::FORBIDDEN, Some(AppError::NotOnOwnAccount))
    );
    assert_eq!(
        f.db.texts(&format!(
            "select coalesce(cast(actor_id as text), '-') from security_events where kind = 'recovery_requested' and user_id = {carol_id}"
        ))
        .await,
        [alice_id.to_string()]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_action_sent_twenty_times_at_once_changes_the_account_once() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    let _carol = signed_in(&f, "carol").await;
    let carol_id = user_id(&f, "carol").await.to_string();
    let client = alice.browser.client.clone();
    let url = alice.browser.url("/api/admin/act");
    let statuses = crate::support::burst(20, |_| {
        let request = client
            .post(&url)
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&[("user_id", carol_id.as_str()), ("action", "disable")]);
        async move { request.send().await.unwrap().status() }
    })
    .await;
    assert_eq!(
        crate::support::count(&statuses, StatusCode::OK),
        20,
        "{statuses:?}"
    );
    assert_eq!(
        f.db.number("select count(*) from security_events where kind = 'account_disabled'")
            .await,
        1,
        "one change, one record"
    );
}
