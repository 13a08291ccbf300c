pub mod smtp;

use std::{net::SocketAddr, time::Duration};

use gatehouse::error::AppError;
use gatehouse::server::{
    config::{Limits, Secret, Settings},
    state::AppState,
    throttle::RateLimit,
};
use reqwest::{header, redirect, Client, Response, StatusCode};
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

pub use smtp::SmtpSink;

pub const PASSWORD: &str = "tulip-orbit-marble-7";

/// A running Gatehouse on a loopback port, with its own database file.
pub struct TestApp {
    pub address: SocketAddr,
    pub state: AppState,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<std::io::Result<()>>>,
}

/// Settings for a test: a fresh database in `dir`, mail to `smtp_url`, fast retries. Every test
/// talks from 127.0.0.1, so the per-client limits and proof-of-work thresholds are lifted; the
/// tests of those limits set them back (see `shipped_limits`).
pub fn settings(dir: &tempfile::TempDir, smtp_url: &str) -> Settings {
    let lifted = RateLimit {
        max: 10_000,
        window: Duration::from_secs(3600),
    };
    Settings {
        database_url: format!("sqlite://{}", dir.path().join("gatehouse.db").display()),
        smtp_url: Some(Secret(smtp_url.to_string())),
        outbox_dir: dir.path().join("outbox"),
        secret_key_file: dir.path().join("secret.key"),
        mail_retry: Duration::from_secs(1),
        hash_concurrency: 4,
        limits: Limits {
            register_per_ip: lifted,
            mail_per_address: lifted,
            resend_per_ip: lifted,
            verify_failures_per_ip: lifted,
            login_failures_per_ip: lifted,
            pow_after_login_failures: 10_000,
            pow_after_client_login_failures: 10_000,
            pow_after_registrations: 10_000,
            ..Limits::default()
        },
        ..Settings::default()
    }
}

/// The limits Gatehouse ships with, but a cheap proof of work.
pub fn shipped_limits() -> Limits {
    Limits {
        pow_difficulty: 8,
        ..Limits::default()
    }
}

impl TestApp {
    pub async fn start(settings: Settings) -> TestApp {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let leptos_options = leptos::config::LeptosOptions::builder()
            .output_name("gatehouse")
            .site_root("target/site")
            .site_addr(address)
            .build();
        let state = AppState::open(settings, leptos_options)
            .await
            .expect("the app starts");
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(gatehouse::server::serve(state.clone(), listener, async move {
            let _ = stopped.await;
        }));
        TestApp {
            address,
            state,
            stop: Some(stop),
            server: Some(server),
        }
    }

    /// Graceful shutdown, as on SIGTERM.
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.server.take().unwrap().await.unwrap().unwrap();
    }

    pub fn origin(&self) -> String {
        format!("http://{}", self.address)
    }

    /// A browser without JavaScript: it keeps cookies, sends Origin and Accept: text/html, and
    /// does not follow redirects by itself (tests look at each one).
    pub fn browser(&self) -> Browser {
        self.browser_with(header::HeaderMap::new())
    }

    /// A browser that sends `extra` headers with every request (a user agent, `X-Forwarded-For`).
    pub fn browser_with(&self, extra: header::HeaderMap) -> Browser {
        let mut headers = extra;
        headers.insert(header::ORIGIN, self.origin().parse().unwrap());
        headers.insert(header::ACCEPT, "text/html".parse().unwrap());
        let client = Client::builder()
            .cookie_store(true)
            .redirect(redirect::Policy::none())
            .default_headers(headers)
            .build()
            .unwrap();
        Browser {
            client,
            origin: self.origin(),
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub struct Browser {
    pub client: Client,
    pub origin: String,
}

impl Browser {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.origin, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn page(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.text().await.unwrap()
    }

    /// A form post from the page `from`, as the browser sends it.
    pub async fn post_form(&self, path: &str, from: &str, fields: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .header(header::REFERER, self.url(from))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// The same post from a script (fetch): JSON answers with real status codes.
    pub async fn call(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .header(header::ACCEPT, "application/json")
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// `call`, reading the answer as the typed error (or `None` on success).
    pub async fn call_for_error(
        &self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, Option<AppError>) {
        let response = self.call(path, fields).await;
        let status = response.status();
        let body = response.text().await.unwrap();
        (status, serde_json::from_str::<AppError>(&body).ok())
    }

    pub async fn try_login(
        &self,
        identifier: &str,
        password: &str,
        proof: &str,
    ) -> (StatusCode, Option<AppError>) {
        self.call_for_error(
            "/api/login",
            &[
                ("identifier", identifier),
                ("password", password),
                ("next", ""),
                ("pow", proof),
            ],
        )
        .await
    }

    pub async fn register(&self, username: &str, email: &str) -> Response {
        self.post_form(
            "/api/register",
            "/register",
            &[
                ("username", username),
                ("email", email),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await
    }

    pub async fn verify(&self, code: &str) -> Response {
        self.post_form("/api/verify", "/verify", &[("code", code)]).await
    }

    pub async fn login(&self, identifier: &str, password: &str) -> Response {
        self.post_form(
            "/api/login",
            "/login",
            &[("identifier", identifier), ("password", password), ("next", "")],
        )
        .await
    }
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get(header::LOCATION)
        .map(|value| value.to_str().unwrap().to_string())
        .unwrap_or_default()
}

pub struct Fixture {
    pub sink: SmtpSink,
    pub app: TestApp,
    pub dir: tempfile::TempDir,
}

/// A mail sink and an app that sends to it, with optional changes to the settings.
pub async fn fixture(configure: impl FnOnce(&mut Settings)) -> Fixture {
    let sink = SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(&dir, &sink.url());
    configure(&mut settings);
    let app = TestApp::start(settings).await;
    Fixture { sink, app, dir }
}

/// A browser whose user `username` (address `<username>@example.test`) has registered and
/// verified, not yet signed in.
pub async fn verified_user(f: &Fixture, username: &str) -> Browser {
    let browser = f.app.browser();
    let email = format!("{username}@example.test");
    browser.register(username, &email).await;
    browser.verify(&f.sink.wait_for_code(&email, 1).await).await;
    browser
}

/// A well-formed code that is certainly not `code`.
pub fn wrong_code_for(code: &str) -> &'static str {
    if code == "000000" {
        "111111"
    } else {
        "000000"
    }
}
