//! What an operator runs and watches: `/readyz` turning unready (the database gone, the outbox
//! stuck) and ready again, the command line's `migrate`, `check-config` and `--version`, metrics
//! moving with a flow, the log's formats and filter, and SIGTERM with a request in flight (real
//! processes for the last three).

use std::time::Duration;

use gatehouse::server::clock::Clock;
use reqwest::StatusCode;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::support::{
    cluster::{free_port, Cluster},
    fixture, fresh_database, location, SmtpSink, PASSWORD,
};

async fn readiness(f: &crate::support::Fixture) -> (StatusCode, String) {
    let response = f.app.browser().get("/readyz").await;
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn readyz_says_unready_while_mail_is_stuck_or_the_database_is_gone() {
    let f = fixture(|_| {}).await;
    assert_eq!(readiness(&f).await, (StatusCode::OK, "ready".to_string()));

    // A mail queued 11 minutes ago (the limit is 10) and still not sent (its next attempt is far off).
    let now = f.clock.now();
    f.db.execute(&format!(
        "insert into email_outbox (kind, recipient, attempts, next_attempt_at, created_at)
         values ('nothing', 'stuck@example.test', 3, {}, {})",
        now + 86_400,
        now - 660
    ))
    .await
    .unwrap();
    let (status, body) = readiness(&f).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        body.contains("the oldest mail to send has waited 660 s"),
        "{body}"
    );

    f.db.execute(&format!(
        "update email_outbox set sent_at = {now} where recipient = 'stuck@example.test'"
    ))
    .await
    .unwrap();
    assert_eq!(readiness(&f).await.0, StatusCode::OK);

    f.app.state.store.close().await;
    let (status, body) = readiness(&f).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("the database does not answer"), "{body}");
}

async fn gatehouse(arguments: &[&str], environment: &[(&str, &str)]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("empty.toml");
    std::fs::write(&config, "").unwrap();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(arguments)
        .env("GATEHOUSE_CONFIG", &config)
        .env("GATEHOUSE_SECRET_KEY", "5a".repeat(32))
        .env("RUST_LOG", "warn")
        .envs(environment.iter().copied())
        .output()
        .await
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// What a newcomer's first run uses (the README): SQLite and the mail files under `data/`, and
/// Leptos' address 127.0.0.1:3000.
#[tokio::test]
async fn on_its_defaults_it_keeps_its_data_under_data_and_listens_on_port_3000() {
    let (ok, output) = gatehouse(&["check-config"], &[]).await;
    assert!(ok, "{output}");
    assert!(
        output.contains("sqlite://data/gatehouse.db") && output.contains("\"data/outbox\""),
        "{output}"
    );
    let leptos = leptos::config::get_configuration(None).unwrap().leptos_options;
    assert_eq!(leptos.site_addr.to_string(), "127.0.0.1:3000");
}

#[tokio::test]
async fn the_command_line_migrates_checks_the_settings_and_knows_its_version() {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(&dir).await;
    let (ok, output) = gatehouse(&["migrate"], &[("GATEHOUSE_DATABASE_URL", &database.0)]).await;
    assert!(ok && output.contains("migrations applied"), "{output}");
    let db = crate::support::TestDb::connect(&database.0).await;
    assert_eq!(
        db.number("select count(*) from users").await,
        0,
        "the schema is there"
    );

    // A password that would cross the wire in clear stops the start, and the message keeps it.
    let (ok, output) = gatehouse(
        &["check-config"],
        &[(
            "GATEHOUSE_SMTP_URL",
            "smtp://mailer:hunter2-secret@mail.example.test:587",
        )],
    )
    .await;
    assert!(
        !ok && output.contains("without TLS") && !output.contains("hunter2"),
        "{output}"
    );

    let secret_smtp = "smtp://mailer:hunter2-secret@127.0.0.1:2525?tls=none";
    let (ok, output) = gatehouse(
        &["check-config"],
        &[
            ("GATEHOUSE_SMTP_URL", secret_smtp),
            ("GATEHOUSE_CODE_TTL_SECS", "120"),
        ],
    )
    .await;
    assert!(ok, "{output}");
    assert!(
        output.contains("code_ttl_secs") && output.contains("120"),
        "{output}"
    );
    assert!(
        !output.contains("hunter2") && !output.contains(&"5a".repeat(32)),
        "{output}"
    );
    let (ok, output) = gatehouse(&["check-config"], &[("GATEHOUSE_CODE_TTL_SECS", "100000")]).await;
    assert!(!ok && output.contains("CODE_TTL_SECS"), "{output}");

    let (ok, output) = gatehouse(&["--version"], &[]).await;
    assert!(
        ok && output.trim() == format!("gatehouse {}", env!("CARGO_PKG_VERSION")),
        "{output}"
    );
}

/// Starts the server alone on `environment`, waits until it serves, kills it, and returns what it
/// wrote to standard output (its log).
async fn log_of_a_start(environment: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("empty.toml");
    std::fs::write(&config, "").unwrap();
    let port = free_port();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .env_remove("RUST_LOG")
        .env("GATEHOUSE_CONFIG", &config)
        .env("GATEHOUSE_SECRET_KEY", "5a".repeat(32))
        .env("GATEHOUSE_DATABASE_URL", fresh_database(&dir).await.0)
        .env("GATEHOUSE_OUTBOX_DIR", dir.path().join("outbox"))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .envs(environment.iter().copied())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let health = format!("http://127.0.0.1:{port}/healthz");
    let give_up = tokio::time::Instant::now() + Duration::from_secs(30);
    while reqwest::get(&health).await.is_err() {
        assert!(tokio::time::Instant::now() < give_up, "the server never served");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Its start was logged before it began to serve.
    child.start_kill().unwrap();
    String::from_utf8(child.wait_with_output().await.unwrap().stdout).unwrap()
}

/// Plain lines by default, one JSON object per line with `GATEHOUSE_LOG_FORMAT=json`; `RUST_LOG`
/// filters, and without it the start's info line is written.
#[tokio::test]
async fn the_log_is_plain_or_json_and_filtered_by_rust_log() {
    let plain = log_of_a_start(&[]).await;
    let started = plain
        .lines()
        .find(|line| line.contains("Gatehouse listening on"))
        .unwrap_or_else(|| panic!("{plain}"));
    assert!(started.contains("INFO") && !started.starts_with('{'), "{started}");

    let json = log_of_a_start(&[("GATEHOUSE_LOG_FORMAT", "json")]).await;
    let lines: Vec<serde_json::Value> = json
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    assert!(
        lines.iter().any(|line| line["level"] == "INFO"
            && line["fields"]["message"]
                .as_str()
                .is_some_and(|message| message.starts_with("Gatehouse listening on"))),
        "{json}"
    );

    let warnings_only = log_of_a_start(&[("RUST_LOG", "warn")]).await;
    assert!(!warnings_only.contains("listening"), "{warnings_only}");
}

/// Read in-process: the range tests in `src/server/config.rs` have no room left in that file.
#[tokio::test]
async fn a_recovery_codes_lifetime_is_a_minute_to_an_hour() {
    use gatehouse::server::config::{Seconds, Settings};
    let variable = "GATEHOUSE_RECOVERY_CODE_TTL_SECS";
    let read = |value: &'static str| {
        Settings::from_sources(None, move |key| (key == variable).then(|| value.to_string()))
    };
    for (value, seconds) in [("60", 60), ("3600", 3600)] {
        let settings = read(value).unwrap();
        assert_eq!(settings.recovery_code_ttl_secs, Seconds(seconds));
    }
    for out_of_range in ["59", "3601"] {
        let error = read(out_of_range).unwrap_err();
        assert_eq!(error.key, variable, "{variable}={out_of_range}");
    }
}

/// The value of one sample in a Prometheus exposition: `name{labels…}` holding every `labels` pair.
fn sample(exposition: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    exposition.lines().find_map(|line| {
        let (series, value) = line.rsplit_once(' ')?;
        let (series_name, series_labels) = series.split_once('{').unwrap_or((series, "}"));
        let wanted = series_name == name
            && labels
                .iter()
                .all(|(key, value)| series_labels.contains(&format!("{key}=\"{value}\"")));
        wanted.then(|| value.parse().unwrap())
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_move_with_a_flow_on_their_own_address() {
    let metrics_address = format!("127.0.0.1:{}", free_port());
    let cluster = Cluster::start(
        1,
        SmtpSink::start().await,
        &[("GATEHOUSE_METRICS_ADDR", &metrics_address)],
    )
    .await;
    let scrape = || async {
        let response = reqwest::get(format!("http://{metrics_address}/metrics"))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.text().await.unwrap()
    };
    let before = scrape().await;
    assert_eq!(sample(&before, "gatehouse_registrations_total", &[]), None);
    assert_eq!(sample(&before, "gatehouse_active_sessions", &[]), Some(0.0));

    let browser = cluster.browser();
    assert_eq!(
        location(&browser.register("metered", "metered@example.test").await),
        "/verify"
    );
    assert_eq!(browser.get("/verify").await.status(), StatusCode::OK);
    let code = cluster.sink.wait_for_code("metered@example.test", 1).await;
    // Asked again at once: refused by the cooldown, and counted.
    assert_eq!(
        browser
            .call("/api/resend_code", &[("purpose", "registration")])
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(location(&browser.verify(&code).await), "/login?verified=1");
    assert_eq!(location(&browser.login("metered", PASSWORD).await), "/dashboard");

    let after = scrape().await;
    let count = |name, labels: &[(&str, &str)]| {
        sample(&after, name, labels).unwrap_or_else(|| panic!("{name} {labels:?} in:\n{after}"))
    };
    assert_eq!(
        count("gatehouse_registrations_total", &[("stage", "started")]),
        1.0
    );
    assert_eq!(
        count("gatehouse_registrations_total", &[("stage", "verified")]),
        1.0
    );
    let code_outcome = |outcome| {
        count(
            "gatehouse_codes_total",
            &[("purpose", "registration"), ("outcome", outcome)],
        )
    };
    assert_eq!(code_outcome("sent"), 1.0);
    assert_eq!(code_outcome("verified"), 1.0);
    assert_eq!(
        count("gatehouse_refusals_total", &[("limit", "resend_refused")]),
        1.0
    );
    assert_eq!(count("gatehouse_active_sessions", &[]), 1.0);
    assert_eq!(count("gatehouse_outbox_depth", &[]), 0.0);
    assert_eq!(count("gatehouse_outbox_oldest_age_seconds", &[]), 0.0);
    assert!(
        count("gatehouse_hash_slot_wait_seconds_count", &[]) >= 2.0,
        "register and sign in hashed"
    );
    let register_calls = count(
        "gatehouse_http_requests_total",
        &[("route", "/api/register"), ("method", "POST"), ("status", "302")],
    );
    assert_eq!(register_calls, 1.0);
    assert!(
        count(
            "gatehouse_http_request_duration_seconds_count",
            &[("route", "/verify"), ("method", "GET")]
        ) >= 1.0
    );

    // Never on the public address.
    assert_eq!(browser.get("/metrics").await.status(), StatusCode::NOT_FOUND);
}

/// Whether `address` refuses new connections within 5 s: a process stopping closes its listener
/// first.
async fn refuses_connections(address: &str) -> bool {
    for _ in 0..100 {
        if TcpStream::connect(address).await.is_err() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_the_request_in_flight_then_exits_cleanly() {
    let mut cluster = Cluster::start(
        1,
        SmtpSink::start().await,
        &[("GATEHOUSE_SHUTDOWN_GRACE_SECS", "10")],
    )
    .await;
    let address = format!("127.0.0.1:{}", cluster.instance_port(0));
    // A sign-in whose body has not all arrived when the signal comes.
    let body = "identifier=nobody&password=not+the+password";
    let mut in_flight = TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /api/login HTTP/1.1\r\nHost: {address}\r\nOrigin: http://{address}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    in_flight.write_all(head.as_bytes()).await.unwrap();
    in_flight.write_all(&body.as_bytes()[..10]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let mut process = cluster.terminate(0).await;
    assert!(
        refuses_connections(&address).await,
        "no new connection is accepted once the signal came"
    );
    in_flight.write_all(&body.as_bytes()[10..]).await.unwrap();
    let mut answer = String::new();
    in_flight.read_to_string(&mut answer).await.unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 "),
        "the request in flight got its answer: {answer:?}"
    );
    assert!(!answer.starts_with("HTTP/1.1 5"), "{answer}");
    let status = tokio::time::timeout(Duration::from_secs(15), process.wait())
        .await
        .expect("the process exits within its grace period")
        .unwrap();
    assert!(status.success(), "exit status {status}");
}

/// SIGTERM while a mail is being sent: the worker finishes it, and records it as sent, before the
/// process exits (a mail cut off half-way would be sent again by the next instance).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_the_mail_being_sent_finish_first() {
    let mut cluster = Cluster::start(
        1,
        SmtpSink::start().await,
        &[("GATEHOUSE_SHUTDOWN_GRACE_SECS", "10")],
    )
    .await;
    let mut hold = cluster.sink.hold_next_message();
    cluster.browser().register("tereza", "tereza@example.test").await;
    hold.until_received().await;
    let address = format!("127.0.0.1:{}", cluster.instance_port(0));
    let mut process = cluster.terminate(0).await;
    assert!(
        refuses_connections(&address).await,
        "the signal came while the mail was held"
    );
    hold.release();
    let status = tokio::time::timeout(Duration::from_secs(15), process.wait())
        .await
        .expect("the process exits")
        .unwrap();
    assert!(status.success(), "exit status {status}");
    assert_eq!(
        cluster
            .db
            .number("select count(*) from email_outbox where sent_at is not null")
            .await,
        1,
        "recorded as sent before the process ended"
    );
    assert_eq!(cluster.sink.message_count().await, 1);
}
