use reqwest::StatusCode;

use crate::support::{fixture, location, settings, verified_user, Fixture, TestApp, PASSWORD};

#[tokio::test]
async fn every_failure_gets_the_same_answer() {
    let f = fixture(|_| {}).await;
    let browser = verified_user(&f, "liam").await;
    let wrong_password = browser
        .call(
            "/api/login",
            &[
                ("identifier", "liam"),
                ("password", "not the password!"),
                ("next", ""),
            ],
        )
        .await;
    let status = wrong_password.status();
    let body = wrong_password.text().await.unwrap();
    let unknown_user = browser
        .call(
            "/api/login",
            &[
                ("identifier", "nobody"),
                ("password", "not the password!"),
                ("next", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_user.status(), status);
    assert_eq!(unknown_user.text().await.unwrap(), body);
    assert!(body.contains("InvalidCredentials"));
}

#[tokio::test]
async fn the_session_id_changes_at_sign_in() {
    let f = fixture(|_| {}).await;
    let browser = f.app.browser();
    let registered = browser.register("mia", "mia@example.test").await;
    let before = session_cookie(&registered).expect("registration starts a session");
    browser
        .verify(&f.sink.wait_for_code("mia@example.test", 1).await)
        .await;
    let signed_in = browser.login("mia", PASSWORD).await;
    let after = session_cookie(&signed_in).expect("signing in sets a new session cookie");
    assert_ne!(before, after, "a fresh session id after sign-in");
    let header = signed_in.headers()["set-cookie"].to_str().unwrap();
    assert!(header.contains("HttpOnly") && header.contains("SameSite=Lax") && header.contains("Path=/"));
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| value.strip_prefix("gatehouse="))
        .map(|value| value.split(';').next().unwrap_or_default().to_string())
}

#[tokio::test]
async fn sign_in_only_redirects_to_local_paths() {
    let f = fixture(|_| {}).await;
    let browser = verified_user(&f, "noah").await;
    let response = browser
        .post_form(
            "/api/login",
            "/login",
            &[
                ("identifier", "noah"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/dashboard");
}

#[tokio::test]
async fn a_restart_keeps_sessions() {
    let f = fixture(|_| {}).await;
    let browser = verified_user(&f, "olga").await;
    browser.login("olga", PASSWORD).await;
    assert_eq!(browser.get("/dashboard").await.status(), StatusCode::OK);
    let Fixture { sink, app, dir } = f;
    app.stop().await;

    let restarted = TestApp::start(settings(&dir, &sink.url())).await;
    // The cookie jar is per host, so the same cookie goes to the restarted server's new port.
    let response = browser
        .client
        .get(format!("{}/dashboard", restarted.origin()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "still signed in: sessions live in the database"
    );
    assert_eq!(
        location(&restarted.browser().get("/dashboard").await),
        "/login?next=/dashboard",
        "a stranger is not"
    );
}
