use std::io::Read;

use reqwest::StatusCode;

use crate::support::{fixture, location, per, shipped_limits, verified_user, PASSWORD};

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

/// Whether `number` stands alone in `text`: not as a part of a longer number such as a timestamp.
fn has_number(text: &str, number: &str) -> bool {
    text.match_indices(number).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + number.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// Everything the server logs, at every level, while a whole registration and sign-in run: never
/// a secret, and every request's lines under its id.
#[tokio::test]
async fn codes_passwords_and_secrets_never_reach_the_log() {
    use std::sync::{Arc, Mutex};
    /// The lines written on one thread: this test's, whose runtime runs the server's tasks on
    /// its own thread, and none of the tests running beside it.
    #[derive(Clone)]
    struct Captured {
        bytes: Arc<Mutex<Vec<u8>>>,
        thread: std::thread::ThreadId,
    }
    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if std::thread::current().id() == self.thread {
                self.bytes.lock().unwrap().extend_from_slice(bytes);
            }
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let captured = Captured {
        bytes: Arc::default(),
        thread: std::thread::current().id(),
    };
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // Global, since a scoped one misses lines when another thread meets a log statement first;
    // the writer keeps this thread's lines only. Only this test sets it.
    tracing::subscriber::set_global_default(subscriber).expect("no other test sets a subscriber");

    // The provider on, so that an app's sign-in is logged too.
    let f = crate::oidc::provider().await;
    let secret_password = "violet-harbour-engine-42";
    let browser = f.app.browser();
    let fields = [
        ("username", "logan"),
        ("email", "logan@example.test"),
        ("password", secret_password),
        ("password_confirm", secret_password),
    ];
    browser.post_form("/api/register", "/register", &fields).await;
    let code = f.sink.wait_for_code("logan@example.test", 1).await;
    browser.verify(&code).await;
    browser.login("logan", secret_password).await;
    // Two-factor: its secret, its codes and the recovery codes stay out of the log too.
    browser
        .post_form("/api/start_two_factor", "/account/security", &[])
        .await;
    let page = browser.page("/account/security").await;
    let shown = page.split("data-testid=\"totp-secret\"").nth(1).unwrap();
    let grouped = &shown[shown.find('>').unwrap() + 1..shown.find("</code>").unwrap()];
    let base32: String = grouped.split_whitespace().collect();
    let secret = totp_rs::Secret::try_from_base32(&base32).unwrap();
    let totp = totp_rs::Builder::new().with_secret(secret).build().unwrap();
    let now = gatehouse::server::clock::Clock::now(f.clock.as_ref());
    let app_code = totp.generate(u64::try_from(now).unwrap()).to_string();
    browser
        .post_form(
            "/api/enable_two_factor",
            "/account/security",
            &[("code", &app_code)],
        )
        .await;
    let page = browser.page("/account/security").await;
    let recovery_code = page
        .split("<li><code>")
        .nth(1)
        .unwrap()
        .split("</code>")
        .next()
        .unwrap()
        .to_string();
    browser.post_form("/api/logout", "/dashboard", &[]).await;
    browser.login("logan", secret_password).await;
    browser
        .post_form(
            "/api/second_step",
            "/login/verify",
            &[("code", &recovery_code), ("next", "")],
        )
        .await;
    // Sign in with Gatehouse: the client's secret, the code and the tokens stay out of it too.
    use openidconnect::{OAuth2TokenResponse, TokenResponse};
    let client_secret = crate::oidc::register(&f, crate::oidc::app()).await.unwrap();
    let rp = crate::oidc::relying_party(&f, "app", Some(&client_secret)).await;
    let started = crate::oidc::start(&rp, &["offline_access"], &[]);
    let answer = crate::oidc::answer(&browser, &started.url).await;
    let oidc_code = crate::oidc::code_of(&f, &answer, &started);
    let tokens = crate::oidc::exchange(&rp, oidc_code.clone(), started.verifier).await;
    let refreshed = rp
        .exchange_refresh_token(tokens.refresh_token().unwrap())
        .unwrap()
        .request_async(&crate::oidc::http())
        .await
        .unwrap();
    let app_secrets = [
        client_secret,
        oidc_code.secret().clone(),
        tokens.access_token().secret().clone(),
        tokens.refresh_token().unwrap().secret().clone(),
        tokens.id_token().unwrap().to_string(),
        refreshed.access_token().secret().clone(),
        refreshed.refresh_token().unwrap().secret().clone(),
    ];
    let failed = browser.login("logan", "a-wrong-password-to-log").await;
    let request_id = failed.headers()["x-request-id"].to_str().unwrap().to_string();
    // Unlock and reset links carry their tokens in the path: a request is logged, never its path.
    let unlock_token = gatehouse::server::keys::random_token();
    let unlock = browser.get(&format!("/unlock/{unlock_token}")).await;
    assert_eq!(unlock.status(), StatusCode::OK);
    let unlock_id = unlock.headers()["x-request-id"].to_str().unwrap().to_string();
    let flow_token = gatehouse::server::keys::random_token();
    let take_up = browser.get(&format!("/recover/continue/{flow_token}")).await;
    assert_eq!(location(&take_up), "/recover?link_expired=1");
    let forged = browser
        .client
        .post(browser.url(&format!("/unlock/{unlock_token}")))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let log = String::from_utf8_lossy(&captured.bytes.lock().unwrap()).into_owned();
    assert!(log.contains("mail sent"), "the log was captured");
    assert!(
        log.contains("destination=SMTP 250"),
        "each mail's line says where it went"
    );
    assert!(
        request_id.len() == 36 && log.contains(&request_id),
        "each request's id is in its log lines and its answer: {request_id}"
    );
    assert!(!has_number(&log, &code), "the code is in the log");
    assert!(
        !log.contains(secret_password) && !log.contains("a-wrong-password-to-log"),
        "a password is in the log"
    );
    assert!(
        !log.contains(&base32) && !log.contains(grouped),
        "the authenticator secret is in the log"
    );
    assert!(!has_number(&log, &app_code), "an app code is in the log");
    assert!(
        !log.contains(&recovery_code) && !log.contains(&recovery_code.replace('-', "")),
        "a recovery code is in the log"
    );
    assert!(
        log.contains(&unlock_id) && log.contains("refused a cross-site request"),
        "the link requests were logged"
    );
    assert!(
        !log.contains(&unlock_token) && !log.contains(&flow_token),
        "a link's token is in the log"
    );
    for secret in &app_secrets {
        assert!(
            !log.contains(secret.as_str()),
            "an app's secret, code or token is in the log"
        );
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
