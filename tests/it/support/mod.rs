pub mod cluster;
pub mod db;
pub mod smtp;

use std::{net::SocketAddr, sync::Arc, time::Duration};

use gatehouse::error::{AppError, ErrorAnswer};
use gatehouse::server::{
    clock::{Clock, ManualClock},
    config::{DatabaseUrl, Seconds, Secret, Settings},
    state::AppState,
    throttle::RateLimit,
};
use reqwest::{header, redirect, Client, Response, StatusCode};
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

pub use db::TestDb;
pub use smtp::SmtpSink;

pub const PASSWORD: &str = "tulip-orbit-marble-7";

/// Which database the suite runs against: `GATEHOUSE_TEST_BACKEND=sqlite` (the default) or
/// `postgres`, with `GATEHOUSE_TEST_POSTGRES_URL` naming a server where each test creates its own
/// database. scripts/test.sh runs the whole suite once per backend.
pub fn on_postgres() -> bool {
    std::env::var("GATEHOUSE_TEST_BACKEND").as_deref() == Ok("postgres")
}

/// A new, empty database for one test: a file in `dir`, or a fresh PostgreSQL database.
pub async fn fresh_database(dir: &tempfile::TempDir) -> DatabaseUrl {
    if !on_postgres() {
        return DatabaseUrl(format!("sqlite://{}", dir.path().join("gatehouse.db").display()));
    }
    let server =
        std::env::var("GATEHOUSE_TEST_POSTGRES_URL").expect("GATEHOUSE_TEST_POSTGRES_URL names a server");
    let name = format!("test_{}", gatehouse::server::keys::random_token());
    let admin = TestDb::connect(&server).await;
    admin
        .execute(&format!("create database {name}"))
        .await
        .expect("create the test database");
    admin.close().await;
    let (base, _) = server.rsplit_once('/').expect("a URL ending in /database");
    DatabaseUrl(format!("{base}/{name}"))
}

/// A running Gatehouse on a loopback port, with its own database.
pub struct TestApp {
    pub address: SocketAddr,
    pub state: AppState,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<std::io::Result<()>>>,
}

/// Settings for a test: mail to `smtp_url`, fast retries. Every test talks from 127.0.0.1, so the
/// per-client limits and proof-of-work thresholds are lifted; the tests of those limits set them
/// back (see `shipped_limits`).
pub fn settings(dir: &tempfile::TempDir, smtp_url: &str, database_url: DatabaseUrl) -> Settings {
    let lifted = RateLimit {
        max: 100_000,
        window: Duration::from_secs(3600),
    };
    Settings {
        database_url,
        smtp_url: Some(Secret(smtp_url.to_string())),
        outbox_dir: dir.path().join("outbox"),
        secret_key_file: dir.path().join("secret.key"),
        mail_retry_secs: Seconds(1),
        hash_concurrency: 4,
        register_per_ip: lifted,
        mail_per_address: lifted,
        mail_per_address_daily: lifted,
        mail_per_instance: lifted,
        resend_per_ip: lifted,
        verify_failures_per_ip: lifted,
        login_failures_per_ip: lifted,
        password_checks_per_ip: lifted,
        password_checks_per_account: lifted,
        oidc_requests_per_client: lifted,
        oidc_requests_per_ip: lifted,
        pow_after_login_failures: 10_000,
        pow_after_client_login_failures: 10_000,
        pow_after_registrations: 10_000,
        http_max_connections_per_client: 100_000,
        ..Settings::default()
    }
}

/// The limits Gatehouse ships with, but a cheap proof of work.
pub fn shipped_limits(settings: &mut Settings) {
    let shipped = Settings::default();
    settings.register_per_ip = shipped.register_per_ip;
    settings.mail_per_address = shipped.mail_per_address;
    settings.mail_per_address_daily = shipped.mail_per_address_daily;
    settings.mail_per_instance = shipped.mail_per_instance;
    settings.resend_per_ip = shipped.resend_per_ip;
    settings.verify_failures_per_ip = shipped.verify_failures_per_ip;
    settings.login_failures_per_ip = shipped.login_failures_per_ip;
    settings.password_checks_per_ip = shipped.password_checks_per_ip;
    settings.password_checks_per_account = shipped.password_checks_per_account;
    settings.pow_after_login_failures = shipped.pow_after_login_failures;
    settings.pow_after_client_login_failures = shipped.pow_after_client_login_failures;
    settings.pow_after_registrations = shipped.pow_after_registrations;
    settings.pow_difficulty = 8;
}

pub fn per(max: u32, seconds: u64) -> RateLimit {
    RateLimit {
        max,
        window: Duration::from_secs(seconds),
    }
}

impl TestApp {
    pub async fn start(settings: Settings, clock: Arc<dyn Clock>) -> TestApp {
        TestApp::start_on("127.0.0.1:0", settings, clock).await
    }

    /// `listen` may be `[::]:0`: a dual-stack socket, where IPv4 clients arrive as `::ffff:a.b.c.d`.
    pub async fn start_on(listen: &str, settings: Settings, clock: Arc<dyn Clock>) -> TestApp {
        let listener = TcpListener::bind(listen).await.unwrap();
        let address = SocketAddr::from(([127, 0, 0, 1], listener.local_addr().unwrap().port()));
        let leptos_options = leptos::config::LeptosOptions::builder()
            .output_name("gatehouse")
            .site_root("target/site")
            .site_addr(address)
            .build();
        let state = AppState::open_with_clock(settings, leptos_options, clock)
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
        // A page's own origin is the public address, when there is one.
        let page_origin = match &self.state.settings.public_url {
            Some(public_url) => public_url.0.clone(),
            None => self.origin(),
        };
        headers.insert(header::ORIGIN, page_origin.parse().unwrap());
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

    /// A browser whose requests come, through the trusted proxy, from `ip`.
    pub fn browser_from(&self, ip: &str) -> Browser {
        let mut headers = header::HeaderMap::new();
        headers.insert("x-forwarded-for", ip.parse().unwrap());
        self.browser_with(headers)
    }

    /// Writes the refusals counted so far, as the housekeeping task does every few seconds.
    pub async fn flush_refusals(&self) {
        self.state
            .refusals
            .flush(self.state.store.as_ref())
            .await
            .unwrap();
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

#[derive(Clone)]
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

    /// Follows a redirect the way a browser does (same cookies) and returns the page.
    pub async fn follow(&self, response: &Response) -> String {
        let target = location(response);
        let target = if target.starts_with("http") {
            target
        } else {
            self.url(&target)
        };
        self.client
            .get(target)
            .send()
            .await
            .unwrap()
            .text()
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
        (status, app_error(&body))
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

    pub async fn register_call(&self, username: &str, email: &str) -> (StatusCode, Option<AppError>) {
        let fields = [
            ("username", username),
            ("email", email),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ];
        self.call_for_error("/api/register", &fields).await
    }

    /// Asks to recover the account `identifier` names, from `/recover`.
    pub async fn start_recovery(&self, identifier: &str) -> Response {
        self.post_form("/api/recover", "/recover", &[("identifier", identifier)])
            .await
    }

    /// Enters a recovery's code, from `/recover/verify`.
    pub async fn enter_recovery_code(&self, code: &str) -> Response {
        self.post_form(
            "/api/verify",
            "/recover/verify",
            &[("purpose", "recovery"), ("code", code)],
        )
        .await
    }

    pub async fn verify(&self, code: &str) -> Response {
        self.post_form(
            "/api/verify",
            "/verify",
            &[("purpose", "registration"), ("code", code)],
        )
        .await
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
    pub clock: Arc<ManualClock>,
    pub database_url: DatabaseUrl,
    pub db: TestDb,
}

/// A mail sink and an app that sends to it, on a fresh database and a clock that only moves when
/// the test moves it, with optional changes to the settings.
pub async fn fixture(configure: impl FnOnce(&mut Settings)) -> Fixture {
    fixture_on("127.0.0.1:0", configure).await
}

pub async fn fixture_on(listen: &str, configure: impl FnOnce(&mut Settings)) -> Fixture {
    let mut sink = SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database(&dir).await;
    let mut settings = settings(&dir, &sink.url(), database_url.clone());
    configure(&mut settings);
    let clock = Arc::new(ManualClock::starting_now());
    let app = TestApp::start_on(listen, settings, clock.clone()).await;
    let db = TestDb::connect(&database_url.0).await;
    sink.settle_by(db.clone());
    Fixture {
        sink,
        app,
        dir,
        clock,
        database_url,
        db,
    }
}

impl Fixture {
    /// The code of the `nth` password-reset mail to `address`.
    pub async fn recovery_code(&self, address: &str, nth: usize) -> String {
        self.sink
            .wait_for_containing(address, "password reset code is:", nth)
            .await
            .code()
            .unwrap()
    }

    /// Moves the app's clock.
    pub fn advance(&self, seconds: i64) {
        self.clock.advance(seconds);
    }
}

/// A browser whose user `username` (address `<username>@example.test`) has registered and
/// verified, not yet signed in.
pub async fn verified_user(f: &Fixture, username: &str) -> Browser {
    let browser = f.app.browser();
    let email = format!("{username}@example.test");
    let registered = browser.register(username, &email).await;
    assert_eq!(location(&registered), "/verify", "{username} registers");
    let verified = browser.verify(&f.sink.wait_for_code(&email, 1).await).await;
    assert_eq!(location(&verified), "/login?verified=1", "{username} verifies");
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

/// The statuses of `requests` sent all at once: every request is built first and they are
/// released together behind a barrier, so the server sees a true burst.
pub async fn burst<F, Fut>(requests: usize, make: F) -> Vec<StatusCode>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = StatusCode> + Send + 'static,
{
    let barrier = Arc::new(tokio::sync::Barrier::new(requests));
    let tasks: Vec<_> = (0..requests)
        .map(|index| {
            let barrier = barrier.clone();
            let request = make(index);
            tokio::spawn(async move {
                barrier.wait().await;
                request.await
            })
        })
        .collect();
    let mut statuses = Vec::with_capacity(requests);
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses
}

pub fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|candidate| **candidate == status).count()
}

/// The error a server function answered with, from its body (the error and its sentence).
pub fn app_error(body: &str) -> Option<AppError> {
    serde_json::from_str::<ErrorAnswer>(body)
        .ok()
        .map(|answer| answer.error)
}
