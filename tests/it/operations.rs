//! What an operator runs and watches: `/readyz` turning unready (the database gone, the outbox
//! stuck) and ready again, and the command line's `migrate`, `check-config` and `--version`.

use gatehouse::server::clock::Clock;
use reqwest::StatusCode;

use crate::support::{fixture, fresh_database};

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

    let secret_smtp = "smtp://mailer:hunter2-secret@127.0.0.1:2525";
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
