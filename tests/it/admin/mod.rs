//! The admin console: who may use it (`access`), the actions on an account with their audit
//! records (`actions`), groups (`groups`), and the console's lists and logs (`logs`). The helpers below are theirs.

mod access;
mod actions;
mod clients;
mod groups;
mod logs;

use gatehouse::{error::AppError, model::AdminEventPage};
use reqwest::StatusCode;

use crate::{
    support::{location, verified_user, Browser, Fixture, PASSWORD},
    two_factor::{enrol, Enrolled},
};

/// Runs the real `gatehouse` binary on the fixture's database; (succeeded, stdout and stderr).
pub(crate) async fn gatehouse(f: &Fixture, arguments: &[&str]) -> (bool, String) {
    gatehouse_with(f, arguments, &[]).await
}

/// `gatehouse`, with more settings in the environment.
pub(crate) async fn gatehouse_with(
    f: &Fixture,
    arguments: &[&str],
    settings: &[(&str, &str)],
) -> (bool, String) {
    let config = f.dir.path().join("empty.toml");
    std::fs::write(&config, "").unwrap();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_gatehouse"))
        .args(arguments)
        .env("GATEHOUSE_CONFIG", &config)
        .env("GATEHOUSE_DATABASE_URL", &f.database_url.0)
        .env("GATEHOUSE_SECRET_KEY_FILE", &f.app.state.settings.secret_key_file)
        .env("GATEHOUSE_OUTBOX_DIR", f.dir.path().join("cli-outbox"))
        .envs(settings.iter().copied())
        .env("RUST_LOG", "warn")
        .output()
        .await
        .expect("run gatehouse");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

async fn grant(f: &Fixture, username: &str) {
    let (ok, output) = gatehouse(f, &["admin", "grant", username]).await;
    assert!(ok, "{output}");
    assert!(
        output.contains(&format!("{username} is an admin now")),
        "{output}"
    );
}

/// An admin with two-factor on, signed in with a password entered just now.
pub(crate) async fn admin(f: &Fixture, username: &str) -> Enrolled {
    let enrolled = enrol(f, username).await;
    grant(f, username).await;
    enrolled
}

async fn signed_in(f: &Fixture, username: &str) -> Browser {
    let browser = verified_user(f, username).await;
    assert_eq!(location(&browser.login(username, PASSWORD).await), "/dashboard");
    browser
}

pub(crate) async fn user_id(f: &Fixture, username: &str) -> i64 {
    f.db.number(&format!(
        "select user_id from users where username = '{username}'"
    ))
    .await
}

async fn act(
    browser: &Browser,
    user_id: i64,
    action: &str,
    password: &str,
) -> (StatusCode, Option<AppError>) {
    let user_id = user_id.to_string();
    let mut fields = vec![("user_id", user_id.as_str()), ("action", action)];
    if !password.is_empty() {
        fields.push(("password", password));
    }
    browser.call_for_error("/api/admin/act", &fields).await
}

/// (kind, subject, actor) of every event an admin caused.
async fn admin_events(f: &Fixture) -> Vec<String> {
    f.db.texts(
        "select kind || ' ' || user_id || ' ' || coalesce(cast(actor_id as text), '-') from security_events
         where kind in ('account_disabled', 'account_enabled', 'unlock', 'sessions_ended', 'admin_granted',
                        'admin_revoked')
         order by event_id",
    )
    .await
}

/// A console log's page through its server function: every field empty but `fields`.
async fn log_page<T: serde::de::DeserializeOwned>(
    browser: &Browser,
    path: &str,
    names: &[&'static str],
    fields: &[(&str, &str)],
) -> T {
    let mut form: Vec<(&str, &str)> = names.iter().map(|name| (*name, "")).collect();
    for (name, value) in fields {
        form.retain(|(existing, _)| existing != name);
        form.push((name, value));
    }
    let response = browser.call(path, &form).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    serde_json::from_str(&response.text().await.unwrap()).unwrap()
}

async fn events_page(browser: &Browser, fields: &[(&str, &str)]) -> AdminEventPage {
    let names = ["kind", "account", "actor", "ip", "from", "to", "before"];
    log_page(browser, "/api/admin/events", &names, fields).await
}
