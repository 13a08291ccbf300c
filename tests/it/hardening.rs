use std::io::Read;

use reqwest::StatusCode;

use crate::support::{fixture, per, shipped_limits, verified_user, PASSWORD};

#[tokio::test]
async fn every_bad_field_gets_a_422_and_a_sentence() {
    let f = fixture(|_| {}).await;
    let browser = f.app.browser();
    let long = "x".repeat(300);
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        (
            "ab",
            "a@example.test",
            PASSWORD,
            PASSWORD,
            "Use 3 to 32 characters",
        ),
        (
            &long,
            "a@example.test",
            PASSWORD,
            PASSWORD,
            "Use 3 to 32 characters",
        ),
        ("bob'--", "a@example.test", PASSWORD, PASSWORD, "Use only letters"),
        ("admin", "a@example.test", PASSWORD, PASSWORD, "reserved"),
        (
            "paul",
            "not-an-address",
            PASSWORD,
            PASSWORD,
            "Enter an email address like",
        ),
        (
            "paul",
            "x@y.test\r\nBcc: attacker@evil.test",
            PASSWORD,
            PASSWORD,
            "Enter an email address like",
        ),
        (
            "paul",
            &format!("{long}@example.test"),
            PASSWORD,
            PASSWORD,
            "at most 254",
        ),
        (
            "paul",
            "p@example.test",
            "short pass",
            "short pass",
            "at least 15 characters",
        ),
        (
            "paul",
            "p@example.test",
            "password1234567",
            "password1234567",
            "most commonly used",
        ),
        (
            "paul",
            "p@example.test",
            "paul-is-my-name-ok",
            "paul-is-my-name-ok",
            "must not contain your username",
        ),
        (
            "paul",
            "p@example.test",
            PASSWORD,
            "something else entirely",
            "do not match",
        ),
    ];
    for (username, email, password, confirm, expected) in cases {
        let response = browser
            .call(
                "/api/register",
                &[
                    ("username", username),
                    ("email", email),
                    ("password", password),
                    ("password_confirm", confirm),
                ],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{username:?} {email:?}"
        );
        let body = response.text().await.unwrap();
        assert!(body.contains(expected), "{expected:?} not in {body}");
    }
    let wrong_format = browser
        .call(
            "/api/login",
            &[("identifier", ""), ("password", "x"), ("next", "")],
        )
        .await;
    assert_eq!(wrong_format.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        f.db.number("select count(*) from users").await,
        0,
        "nothing was registered"
    );
    assert_eq!(
        f.db.number("select count(*) from email_outbox").await,
        0,
        "and nothing was mailed"
    );
    assert_eq!(f.sink.message_count().await, 0);
}

#[tokio::test]
async fn malformed_and_hostile_requests_get_4xx_never_5xx() {
    let f = fixture(|_| {}).await;
    let browser = f.app.browser();
    let missing_fields = browser.call("/api/register", &[("username", "quinn")]).await;
    assert_eq!(missing_fields.status(), StatusCode::BAD_REQUEST);
    assert!(missing_fields.text().await.unwrap().contains("BadRequest"));

    let huge = "a".repeat(1024 * 1024);
    let oversized = browser.call("/api/register", &[("username", &huge)]).await;
    assert_eq!(oversized.status(), StatusCode::PAYLOAD_TOO_LARGE);

    for hostile in [
        "' OR '1'='1' --",
        "<script>alert(1)</script>",
        "%00",
        "\u{202E}admin",
        "a\r\nb",
    ] {
        for path in ["/api/register", "/api/login", "/api/verify"] {
            let response = browser
                .call(
                    path,
                    &[
                        ("username", hostile),
                        ("email", hostile),
                        ("password", hostile),
                        ("password_confirm", hostile),
                        ("identifier", hostile),
                        ("code", hostile),
                        ("next", hostile),
                    ],
                )
                .await;
            assert!(
                response.status().is_client_error(),
                "{path} {hostile:?}: {}",
                response.status()
            );
        }
    }
    let wrong_type = browser
        .client
        .post(browser.url("/api/login"))
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body("{\"identifier\": 1}")
        .send()
        .await
        .unwrap();
    assert!(wrong_type.status().is_client_error(), "{}", wrong_type.status());
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let f = fixture(|_| {}).await;
    let browser = f.app.browser();
    let forged = browser
        .client
        .post(browser.url("/api/register"))
        .header("origin", "https://evil.example")
        .form(&[
            ("username", "rita"),
            ("email", "rita@example.test"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let from_sibling = browser
        .client
        .post(browser.url("/api/logout"))
        .header("sec-fetch-site", "same-site")
        .send()
        .await
        .unwrap();
    assert_eq!(from_sibling.status(), StatusCode::FORBIDDEN);
    let no_origin = reqwest::Client::new()
        .post(browser.url("/api/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(no_origin.status(), StatusCode::FORBIDDEN);
    let prefix_trick = browser
        .client
        .post(browser.url("/api/logout"))
        .header("origin", format!("{}.evil.example", browser.origin))
        .send()
        .await
        .unwrap();
    assert_eq!(prefix_trick.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        browser.get("/api/logout").await.status(),
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[tokio::test]
async fn pages_answer_with_the_right_status_and_headers() {
    let f = fixture(|_| {}).await;
    let browser = f.app.browser();
    let missing = browser.get("/no-such-page").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let register = browser.get("/register").await;
    assert_eq!(register.status(), StatusCode::OK);
    assert_eq!(register.headers()["x-content-type-options"], "nosniff");
    assert_eq!(register.headers()["x-frame-options"], "DENY");
    assert!(register.headers().contains_key("content-security-policy"));
    for page in [&missing, &register] {
        assert_eq!(page.headers()["cross-origin-opener-policy"], "same-origin");
        assert_eq!(
            page.headers()["permissions-policy"],
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
        );
    }
    let html = register.text().await.unwrap();
    assert!(html.contains("autocomplete=\"new-password\""));
    assert!(
        html.contains("action=\"/api/register\""),
        "the form posts without JavaScript"
    );
    // The bundle's files are never documents: no document headers, but never sniffed either.
    let bundle_file = browser.get("/pkg/gatehouse.wasm").await;
    assert_eq!(bundle_file.headers()["x-content-type-options"], "nosniff");
    for document_header in [
        "content-security-policy",
        "x-frame-options",
        "permissions-policy",
        "cross-origin-opener-policy",
    ] {
        assert!(
            !bundle_file.headers().contains_key(document_header),
            "{document_header}"
        );
    }
    assert_eq!(browser.page("/healthz").await, "ok");
    let nothing_pending = browser
        .call("/api/code_status", &[("purpose", "registration")])
        .await;
    assert_eq!(nothing_pending.status(), StatusCode::NOT_FOUND);
}

/// A proxy in front may have given the request its id already; the logs of both then agree.
#[tokio::test]
async fn a_request_id_the_request_brings_is_the_one_it_gets_back() {
    let f = fixture(|_| {}).await;
    let browser = f.app.browser();
    let id = "6f1c2b8e-3d4a-4e5f-9a7b-0c1d2e3f4a5b";
    for path in ["/register", "/no-such-page"] {
        let response = browser
            .client
            .get(browser.url(path))
            .header("x-request-id", id)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["x-request-id"], id, "{path}");
    }
    let failed = browser
        .client
        .post(browser.url("/api/login"))
        .header("x-request-id", id)
        .header(reqwest::header::ACCEPT, "application/json")
        .form(&[("identifier", "nobody-here"), ("password", "x"), ("next", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(failed.headers()["x-request-id"], id, "an error answer too");
    let own = browser.get("/register").await;
    assert_ne!(own.headers()["x-request-id"], id, "without one, a new id");
}

#[tokio::test]
async fn a_taken_username_is_reported_only_after_the_limits_and_the_hashing() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.register_per_ip = per(3, 3600);
    })
    .await;
    verified_user(&f, "yara").await;
    let browser = f.app.browser();
    let before = f.app.state.hasher.computations();
    let (status, _) = browser.register_call("yara", "someone-else@example.test").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "taken, and said so");
    assert_eq!(
        f.app.state.hasher.computations() - before,
        1,
        "after as much work as a real registration"
    );
    browser.register_call("yara", "someone-else@example.test").await;
    let (status, _) = browser.register_call("yara", "someone-else@example.test").await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "probing usernames spends the same limit"
    );
}

#[tokio::test]
async fn the_shipped_proof_of_work_asks_for_seventeen_bits() {
    let f = fixture(|s| {
        s.pow_after_registrations = 0;
        s.pow_difficulty = gatehouse::server::config::Settings::default().pow_difficulty;
    })
    .await;
    let (status, error) = f.app.browser().register_call("zack", "zack@example.test").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    match error {
        Some(gatehouse::error::AppError::ProofOfWorkRequired { challenge, .. }) => {
            assert!(challenge.starts_with("v1.17."), "{challenge}")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn small_pages_go_as_they_are_and_large_ones_gzipped() {
    let f = fixture(|_| {}).await;
    let browser = verified_user(&f, "zipper").await;
    browser.login("zipper", PASSWORD).await;
    // Signed in on four browsers, the dashboard lists four sessions and their sign-ins: over 4 KiB.
    for _ in 0..3 {
        f.app.browser().login("zipper", PASSWORD).await;
    }
    let fetch = |path: &'static str| {
        browser
            .client
            .get(browser.url(path))
            .header("accept-encoding", "gzip")
            .send()
    };

    let small = fetch("/").await.unwrap();
    assert!(small.headers().get("content-encoding").is_none());
    let length: usize = small.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let page = small.bytes().await.unwrap();
    assert_eq!(page.len(), length, "a page is sent whole, with its length");
    assert!(length < 4096, "/register is {length} B");

    let large = fetch("/dashboard").await.unwrap();
    assert_eq!(large.headers()["content-encoding"], "gzip");
    let compressed = large.bytes().await.unwrap();
    let mut page = String::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .read_to_string(&mut page)
        .unwrap();
    assert!(page.len() >= 4096, "/dashboard is {} B", page.len());
    assert!(page.contains("<h1>Hello, zipper</h1>"), "{page}");
    assert!(compressed.len() < page.len() / 2);
}

/// A script's registration post carrying `origin` and no `Sec-Fetch-Site` (an older browser, or
/// a forged form): only the cross-site guard's Origin rule can decide it.
async fn register_with_origin(browser: &crate::support::Browser, origin: &str, username: &str) -> StatusCode {
    let email = format!("{username}@example.test");
    browser
        .client
        .post(browser.url("/api/register"))
        .header(reqwest::header::ORIGIN, origin)
        .header(reqwest::header::ACCEPT, "application/json")
        .form(&[
            ("username", username),
            ("email", email.as_str()),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ])
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn behind_a_public_url_only_its_own_origin_may_post() {
    const PUBLIC: &str = "https://portal.example.test";
    let f = fixture(|s| s.public_url = Some(gatehouse::server::config::PublicUrl(PUBLIC.into()))).await;
    let browser = f.app.browser();
    assert_eq!(
        register_with_origin(&browser, "https://evil.example", "rita").await,
        StatusCode::FORBIDDEN,
        "another site"
    );
    assert_eq!(
        register_with_origin(&browser, &browser.origin, "rita").await,
        StatusCode::FORBIDDEN,
        "the listen address is not the public origin"
    );
    assert_eq!(
        f.db.number("select count(*) from users").await,
        0,
        "nothing was registered"
    );
    assert_eq!(
        register_with_origin(&browser, PUBLIC, "rita").await,
        StatusCode::OK,
        "the public origin itself is not refused"
    );
    assert_eq!(
        f.db.number("select count(*) from users where username = 'rita'")
            .await,
        1
    );
}
