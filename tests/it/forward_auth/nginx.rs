//! A real Debian nginx in front of the portal and of a small app that echoes the headers it
//! receives, protected with the `auth_request` files the README shows (deploy/forward-auth/).
//! The browser reaches both through nginx by name (`portal.gatehouse.test`,
//! `app.gatehouse.test`), one cookie domain over both.

use std::{net::SocketAddr, process::Stdio, time::Duration};

use axum::{http::HeaderMap, routing::any, Router};
use gatehouse::server::config::{CookieDomain, PublicUrl};
use reqwest::{header, StatusCode};
use tokio::process::{Child, Command};

use super::rules;
use crate::{
    admin::gatehouse,
    support::{cluster::free_port, fixture_on, location, Browser, Fixture, PASSWORD},
};

/// Answers every request with the headers it received, one `name: value` per line.
async fn start_echo_app() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let echo = Router::new().fallback(any(|headers: HeaderMap| async move {
        headers
            .iter()
            .map(|(name, value)| format!("{name}: {}\n", value.to_str().unwrap_or("?")))
            .collect::<String>()
    }));
    tokio::spawn(async move { axum::serve(listener, echo).await });
    port
}

/// nginx from scripts/lib/forward-auth-proxy.sh: `portal.gatehouse.test` to the portal,
/// `app.gatehouse.test` to the echo app behind forward-auth.
async fn start_nginx(port: u16, portal: u16, app: u16) -> (Child, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let process = Command::new("scripts/lib/forward-auth-proxy.sh")
        .arg(port.to_string())
        .arg(dir.path().join("nginx"))
        .args(["gatehouse.test", &portal.to_string(), &app.to_string()])
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start nginx");
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (process, dir)
}

const NGINX_RULES: &str = r#"
[[gatehouse.access]]
host = "app.gatehouse.test"
paths = ["/staff"]
groups = ["staff"]
policy = "signed_in"

[[gatehouse.access]]
host = "*.gatehouse.test"
policy = "signed_in"
"#;

/// A browser that finds both names at nginx, and posts from the portal's origin.
fn browser(port: u16) -> Browser {
    let portal = format!("http://portal.gatehouse.test:{port}");
    let mut headers = header::HeaderMap::new();
    headers.insert(header::ORIGIN, portal.parse().unwrap());
    headers.insert(header::ACCEPT, "text/html".parse().unwrap());
    let nginx = SocketAddr::from(([127, 0, 0, 1], port));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .resolve("portal.gatehouse.test", nginx)
        .resolve("app.gatehouse.test", nginx)
        .build()
        .unwrap();
    Browser {
        client,
        origin: portal,
    }
}

async fn open(browser: &Browser, url: &str) -> reqwest::Response {
    browser
        .client
        .get(url)
        .header("remote-user", "mallory")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn nginx_sends_a_stranger_to_sign_in_and_tells_the_app_who_came_back() {
    let port = free_port();
    let f: Fixture = fixture_on("127.0.0.1:0", |settings| {
        settings.public_url = Some(PublicUrl(format!("http://portal.gatehouse.test:{port}")));
        settings.cookie_domain = Some(CookieDomain("gatehouse.test".into()));
        settings.access_rules = rules(NGINX_RULES);
    })
    .await;
    let app = start_echo_app().await;
    let _nginx = start_nginx(port, f.app.address.port(), app).await;
    let browser = browser(port);
    let home = format!("http://app.gatehouse.test:{port}/home?x=1");

    let stranger = open(&browser, &home).await;
    assert_eq!(stranger.status(), StatusCode::FOUND);
    let rd: String = form_urlencoded::byte_serialize(home.as_bytes()).collect();
    assert_eq!(
        location(&stranger),
        format!("http://portal.gatehouse.test:{port}/login?rd={rd}")
    );

    assert_eq!(
        location(&browser.register("gwen", "gwen@example.test").await),
        "/verify"
    );
    let code = f.sink.wait_for_code("gwen@example.test", 1).await;
    assert_eq!(location(&browser.verify(&code).await), "/login?verified=1");
    let login_page = browser.page(&format!("/login?rd={rd}")).await;
    assert!(login_page.contains("name=\"next\""));
    let signed_in = browser
        .post_form(
            "/api/login",
            &format!("/login?rd={rd}"),
            &[("identifier", "gwen"), ("password", PASSWORD), ("next", &home)],
        )
        .await;
    assert_eq!(location(&signed_in), home);

    let seen = open(&browser, &home).await;
    assert_eq!(seen.status(), StatusCode::OK);
    let seen = seen.text().await.unwrap();
    assert!(seen.contains("remote-user: gwen\n"), "{seen}");
    assert!(
        !seen.contains("mallory"),
        "the client's own header never reaches the app: {seen}"
    );
    assert!(seen.contains("remote-email: gwen@example.test\n"), "{seen}");

    let staff = format!("http://app.gatehouse.test:{port}/staff");
    assert_eq!(open(&browser, &staff).await.status(), StatusCode::FORBIDDEN);
    assert!(gatehouse(&f, &["groups", "create", "staff"]).await.0);
    assert!(gatehouse(&f, &["groups", "add", "staff", "gwen"]).await.0);
    // The command line is another process: its change counts within a second.
    let mut allowed = open(&browser, &staff).await;
    for _ in 0..30 {
        if allowed.status() == StatusCode::OK {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        allowed = open(&browser, &staff).await;
    }
    assert_eq!(allowed.status(), StatusCode::OK);
    assert!(allowed.text().await.unwrap().contains("remote-groups: staff\n"));

    browser.post_form("/api/logout", "/dashboard", &[]).await;
    assert_eq!(open(&browser, &home).await.status(), StatusCode::FOUND);
}
