//! Sessions: idle and absolute timeouts, activity keeping a sign-in alive, the session list,
//! ending other sessions, and the headers (CSP with a per-response nonce) on every page.

use gatehouse::{model::SessionView, server::config::Seconds};
use reqwest::{header, StatusCode};
use tower_sessions::{session::Id, SessionStore};

use crate::support::{fixture, location, verified_user, PASSWORD};

#[tokio::test]
async fn an_idle_session_ends() {
    let f = fixture(|s| s.session_idle_secs = Seconds(1800)).await;
    let browser = verified_user(&f, "ivan").await;
    browser.login("ivan", PASSWORD).await;
    f.advance(1799);
    assert_eq!(
        browser.get("/dashboard").await.status(),
        StatusCode::OK,
        "a second before the idle limit"
    );
    f.advance(1800);
    assert_eq!(
        location(&browser.get("/dashboard").await),
        "/login?next=/dashboard",
        "30 minutes of nothing"
    );
}

#[tokio::test]
async fn steady_activity_keeps_a_session_alive_far_beyond_the_idle_limit() {
    let f = fixture(|s| s.session_idle_secs = Seconds(600)).await;
    let browser = verified_user(&f, "jade").await;
    browser.login("jade", PASSWORD).await;
    for _ in 0..20 {
        f.advance(300);
        assert_eq!(browser.get("/dashboard").await.status(), StatusCode::OK);
    }
    // 100 minutes of work with a 10-minute idle limit; then 10 idle minutes end it.
    f.advance(600);
    assert_eq!(
        location(&browser.get("/dashboard").await),
        "/login?next=/dashboard"
    );
}

/// Marking a session seen is a write on every request otherwise: it happens at most once a minute.
#[tokio::test]
async fn a_session_is_marked_seen_at_most_once_a_minute() {
    let f = fixture(|_| {}).await;
    let browser = verified_user(&f, "lena").await;
    browser.login("lena", PASSWORD).await;
    let last_seen = "select last_seen_at from sessions";
    let signed_in_at = f.db.number(last_seen).await;
    for (wait, seen) in [(30, 0), (29, 0), (2, 61), (30, 61), (29, 61), (1, 121)] {
        f.advance(wait);
        assert_eq!(browser.get("/dashboard").await.status(), StatusCode::OK);
        assert_eq!(
            f.db.number(last_seen).await,
            signed_in_at + seen,
            "after {wait} s more"
        );
    }
}

/// The session record behind the cookie (tower-sessions) keeps its own expiry, on the wall clock
/// that the test cannot move. It is set to the absolute lifetime at sign-in, never to the idle
/// limit, so it cannot end a sign-in that Gatehouse's own rules (on the injected clock) keep alive.
#[tokio::test]
async fn the_session_record_lasts_the_absolute_lifetime_not_the_idle_limit() {
    let f = fixture(|s| {
        s.session_idle_secs = Seconds(2);
        s.session_lifetime_secs = Seconds(8 * 3600);
    })
    .await;
    let browser = verified_user(&f, "kurt").await;
    let signed_in = browser.login("kurt", PASSWORD).await;
    let cookie = signed_in
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok()?.strip_prefix("gatehouse="))
        .next_back()
        .expect("the sign-in sets the session cookie");
    let id: Id = cookie.split(';').next().unwrap().parse().unwrap();
    let record = f.app.state.sessions.load(&id).await.unwrap().expect("its record");
    let left = record.expiry_date - time::OffsetDateTime::now_utc();
    assert!(left > time::Duration::hours(7), "the record expires in {left}");
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_lifetime_however_active() {
    let f = fixture(|s| s.session_lifetime_secs = Seconds(4 * 3600)).await;
    let browser = verified_user(&f, "jack").await;
    browser.login("jack", PASSWORD).await;
    for _ in 0..15 {
        f.advance(15 * 60);
        assert_eq!(browser.get("/dashboard").await.status(), StatusCode::OK);
    }
    f.advance(15 * 60);
    assert_eq!(
        location(&browser.get("/dashboard").await),
        "/login?next=/dashboard",
        "four hours after sign-in"
    );
    let (status, _) = browser.call_for_error("/api/account", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn sessions_of(browser: &crate::support::Browser) -> Vec<SessionView> {
    let response = browser.call("/api/sessions", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    serde_json::from_str(&response.text().await.unwrap()).unwrap()
}

#[tokio::test]
async fn a_session_can_be_ended_from_another_device() {
    let f = fixture(|_| {}).await;
    let laptop = {
        let mut headers = header::HeaderMap::new();
        headers.insert(
            header::USER_AGENT,
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
                .parse()
                .unwrap(),
        );
        f.app.browser_with(headers)
    };
    laptop.register("kate", "kate@example.test").await;
    laptop
        .verify(&f.sink.wait_for_code("kate@example.test", 1).await)
        .await;
    laptop.login("kate", PASSWORD).await;
    let phone = f.app.browser();
    phone.login("kate", PASSWORD).await;
    let tablet = f.app.browser();
    tablet.login("kate", PASSWORD).await;

    let sessions = sessions_of(&phone).await;
    assert_eq!(sessions.len(), 3);
    let laptop_session = sessions
        .iter()
        .find(|session| session.device == "Firefox on Linux")
        .expect("the laptop is listed");
    assert!(!laptop_session.current);
    assert_eq!(sessions.iter().filter(|session| session.current).count(), 1);
    assert_eq!(laptop_session.ip, "127.0.0.1");

    let ended = phone
        .post_form(
            "/api/end_session",
            "/dashboard",
            &[("id", &laptop_session.id.to_string())],
        )
        .await;
    assert!(
        location(&ended).contains("/dashboard"),
        "back to the dashboard: {}",
        location(&ended)
    );
    assert_eq!(
        location(&laptop.get("/dashboard").await),
        "/login?next=/dashboard",
        "the laptop is signed out"
    );
    let (status, _) = laptop
        .call_for_error("/api/end_session", &[("id", &laptop_session.id.to_string())])
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    phone
        .post_form("/api/end_other_sessions", "/dashboard", &[])
        .await;
    assert_eq!(
        location(&tablet.get("/dashboard").await),
        "/login?next=/dashboard"
    );
    assert_eq!(sessions_of(&phone).await.len(), 1, "only this one is left");
    let dashboard = phone.page("/dashboard").await;
    assert!(dashboard.contains("Where you are signed in") && dashboard.contains("this device"));
    assert!(dashboard.contains("Recent activity") && dashboard.contains("Session ended from another device"));
    assert!(dashboard.contains("Signed in") && dashboard.contains("Email address verified"));

    // Someone else's session cannot be ended.
    let stranger = verified_user(&f, "lars").await;
    stranger.login("lars", PASSWORD).await;
    let mine = sessions_of(&phone).await[0].id.to_string();
    let (status, _) = stranger
        .call_for_error("/api/end_session", &[("id", &mine)])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(phone.get("/dashboard").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn every_page_carries_the_security_headers_and_a_fresh_script_nonce() {
    let f = fixture(|_| {}).await;
    let browser = verified_user(&f, "mona").await;
    browser.login("mona", PASSWORD).await;
    let mut nonces = std::collections::HashSet::new();
    for path in [
        "/",
        "/register",
        "/login",
        "/verify",
        "/dashboard",
        "/unlock/00",
        "/no-such-page",
        "/register",
    ] {
        let response = browser.get(path).await;
        let headers = response.headers().clone();
        let policy = headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_string();
        for directive in [
            "'wasm-unsafe-eval'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "'strict-dynamic'",
        ] {
            assert!(
                policy.contains(directive),
                "{path}: {directive} missing from {policy}"
            );
        }
        assert!(!policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"));
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "same-origin");
        assert_eq!(headers["cache-control"], "no-store", "{path}");
        assert!(headers.contains_key("permissions-policy"));
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .unwrap()
            .split('\'')
            .next()
            .unwrap()
            .to_string();
        let html = response.text().await.unwrap();
        let script_tags: Vec<&str> = html
            .split("<script")
            .skip(1)
            .map(|rest| rest.split('>').next().unwrap())
            .collect();
        assert!(!script_tags.is_empty(), "{path} has scripts");
        assert!(
            script_tags
                .iter()
                .all(|tag| tag.contains(&format!("nonce=\"{nonce}\""))),
            "{path}: every inline script carries the nonce: {script_tags:?}"
        );
        assert!(nonces.insert(nonce), "a fresh nonce per response");
    }
    for private_answer in ["/api/account", "/api/sessions", "/api/recent_activity"] {
        let response = browser.call(private_answer, &[]).await;
        assert_eq!(
            response.headers()["cache-control"],
            "no-store",
            "{private_answer}"
        );
    }
    assert!(
        !browser
            .get("/")
            .await
            .headers()
            .contains_key(header::STRICT_TRANSPORT_SECURITY),
        "no HSTS over plain HTTP"
    );
}
