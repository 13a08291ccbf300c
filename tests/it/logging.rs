//! What the server logs: never a code, a password or a secret, and every line under its
//! request's id.

use reqwest::StatusCode;

use crate::support::location;

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
