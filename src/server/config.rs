//! Runtime settings: compiled-in defaults, overridden by `Leptos.toml` (if present), overridden
//! by the environment. Secrets (the SMTP URL, which may hold a password, and the code key) come
//! only from the environment. Bad settings stop start-up with one line naming the key.

use std::{path::PathBuf, time::Duration};

use serde::Deserialize;

use crate::validate::{PASSWORD_MAX, PASSWORD_MIN_DEFAULT, PASSWORD_MIN_FLOOR};

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    /// `None`: mail is written as `.eml` files into `outbox_dir` instead of being sent.
    pub smtp_url: Option<Secret>,
    pub outbox_dir: PathBuf,
    pub mail_from: String,
    /// Public origin (`https://portal.example.com`). Cross-site checks compare against it, and
    /// an `https` origin turns on Secure, `__Host-` session cookies.
    pub public_url: Option<String>,
    pub code_ttl: Duration,
    pub code_max_attempts: u32,
    /// Wrong codes over a whole registration before it must start again (a new code does not reset it).
    pub registration_max_failures: u32,
    pub resend_cooldown: Duration,
    pub password_min_length: usize,
    pub session_idle: Duration,
    /// First retry delay for mail the server could not send; it doubles per failure, up to an hour.
    pub mail_retry: Duration,
    pub mail_max_attempts: u32,
    /// At most this many argon2 computations (19 MiB each) run at once.
    pub hash_concurrency: usize,
    /// 32 bytes that key the code hashes: from `GATEHOUSE_SECRET_KEY` (64 hex digits), else
    /// read from (or created at) `secret_key_file`.
    pub secret_key_file: PathBuf,
    pub secret_key_env: Option<Secret>,
}

/// A string that never shows up in `Debug` output (and so never in logs).
#[derive(Clone)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "sqlite://data/gatehouse.db".into(),
            smtp_url: None,
            outbox_dir: "data/outbox".into(),
            mail_from: "Gatehouse <no-reply@gatehouse.localhost>".into(),
            public_url: None,
            code_ttl: Duration::from_secs(300),
            code_max_attempts: 5,
            registration_max_failures: 100,
            resend_cooldown: Duration::from_secs(60),
            password_min_length: PASSWORD_MIN_DEFAULT,
            session_idle: Duration::from_secs(30 * 60),
            mail_retry: Duration::from_secs(10),
            mail_max_attempts: 10,
            hash_concurrency: 2,
            secret_key_file: "data/secret.key".into(),
            secret_key_env: None,
        }
    }
}

/// The `[gatehouse]` table of `Leptos.toml`. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    database_url: Option<String>,
    outbox_dir: Option<PathBuf>,
    mail_from: Option<String>,
    public_url: Option<String>,
    code_ttl_secs: Option<u64>,
    code_max_attempts: Option<u32>,
    registration_max_failures: Option<u32>,
    resend_cooldown_secs: Option<u64>,
    password_min_length: Option<usize>,
    session_idle_minutes: Option<u64>,
    mail_retry_secs: Option<u64>,
    mail_max_attempts: Option<u32>,
    hash_concurrency: Option<usize>,
    secret_key_file: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
struct FileRoot {
    #[serde(default)]
    gatehouse: FileSettings,
}

/// A setting that could not be used; `Display` is the one line printed at start-up.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: {key}: {problem}")]
pub struct ConfigError {
    pub key: String,
    pub problem: String,
}

fn bad(key: &str, problem: impl Into<String>) -> ConfigError {
    ConfigError { key: key.into(), problem: problem.into() }
}

impl Settings {
    /// Reads `GATEHOUSE_CONFIG` (default `Leptos.toml`; a missing default file is fine) and the
    /// environment.
    pub fn load() -> Result<Settings, ConfigError> {
        let (path, required) = match std::env::var("GATEHOUSE_CONFIG") {
            Ok(path) => (PathBuf::from(path), true),
            Err(_) => (PathBuf::from("Leptos.toml"), false),
        };
        let file = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(error) if !required && error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => return Err(bad("GATEHOUSE_CONFIG", format!("cannot read {}: {error}", path.display()))),
        };
        Settings::from_sources(file.as_deref(), |key| std::env::var(key).ok())
    }

    pub fn from_sources(
        file: Option<&str>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Settings, ConfigError> {
        let file: FileRoot = match file {
            Some(text) => toml::from_str(text).map_err(|e| bad("Leptos.toml", e.message().to_string()))?,
            None => FileRoot::default(),
        };
        let file = file.gatehouse;
        let mut settings = Settings::default();

        macro_rules! setting {
            ($field:ident, $file_value:expr, $env:literal, $parse:expr) => {
                if let Some(value) = $file_value {
                    settings.$field = value;
                }
                if let Some(raw) = env($env).filter(|raw| !raw.is_empty()) {
                    settings.$field = $parse(&raw).map_err(|problem: String| bad($env, problem))?;
                }
            };
        }
        let text = |raw: &str| Ok::<_, String>(raw.to_string());
        let seconds = |raw: &str| {
            raw.parse::<u64>().map(Duration::from_secs).map_err(|_| format!("expected a whole number of seconds, got {raw:?}"))
        };
        let number = |raw: &str| raw.parse::<u32>().map_err(|_| format!("expected a whole number, got {raw:?}"));
        let size = |raw: &str| raw.parse::<usize>().map_err(|_| format!("expected a whole number, got {raw:?}"));

        setting!(database_url, file.database_url, "GATEHOUSE_DATABASE_URL", text);
        setting!(outbox_dir, file.outbox_dir, "GATEHOUSE_OUTBOX_DIR", |raw: &str| Ok(PathBuf::from(raw)));
        setting!(mail_from, file.mail_from, "GATEHOUSE_MAIL_FROM", text);
        setting!(public_url, file.public_url.map(Some), "GATEHOUSE_PUBLIC_URL", |raw: &str| Ok(Some(raw.to_string())));
        setting!(code_ttl, file.code_ttl_secs.map(Duration::from_secs), "GATEHOUSE_CODE_TTL_SECS", seconds);
        setting!(code_max_attempts, file.code_max_attempts, "GATEHOUSE_CODE_MAX_ATTEMPTS", number);
        setting!(registration_max_failures, file.registration_max_failures, "GATEHOUSE_REGISTRATION_MAX_FAILURES", number);
        setting!(resend_cooldown, file.resend_cooldown_secs.map(Duration::from_secs), "GATEHOUSE_RESEND_COOLDOWN_SECS", seconds);
        setting!(password_min_length, file.password_min_length, "GATEHOUSE_PASSWORD_MIN_LENGTH", size);
        setting!(session_idle, file.session_idle_minutes.map(|m| Duration::from_secs(m * 60)), "GATEHOUSE_SESSION_IDLE_MINUTES",
            |raw: &str| raw.parse::<u64>().map(|m| Duration::from_secs(m * 60)).map_err(|_| format!("expected a whole number of minutes, got {raw:?}")));
        setting!(mail_retry, file.mail_retry_secs.map(Duration::from_secs), "GATEHOUSE_MAIL_RETRY_SECS", seconds);
        setting!(mail_max_attempts, file.mail_max_attempts, "GATEHOUSE_MAIL_MAX_ATTEMPTS", number);
        setting!(hash_concurrency, file.hash_concurrency, "GATEHOUSE_HASH_CONCURRENCY", size);
        setting!(secret_key_file, file.secret_key_file, "GATEHOUSE_SECRET_KEY_FILE", |raw: &str| Ok(PathBuf::from(raw)));
        settings.smtp_url = env("GATEHOUSE_SMTP_URL").filter(|url| !url.is_empty()).map(Secret);
        settings.secret_key_env = env("GATEHOUSE_SECRET_KEY").filter(|key| !key.is_empty()).map(Secret);

        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if !self.database_url.starts_with("sqlite:") {
            return Err(bad("database_url", "only sqlite: URLs are supported"));
        }
        if !(PASSWORD_MIN_FLOOR..=PASSWORD_MAX).contains(&self.password_min_length) {
            return Err(bad("password_min_length", format!("must be between {PASSWORD_MIN_FLOOR} and {PASSWORD_MAX}")));
        }
        if self.code_ttl.is_zero() || self.code_ttl > Duration::from_secs(600) {
            return Err(bad("code_ttl_secs", "must be between 1 and 600 seconds (NIST caps emailed codes at 10 minutes)"));
        }
        if self.code_max_attempts == 0 || self.registration_max_failures == 0 || self.mail_max_attempts == 0 {
            return Err(bad("code_max_attempts", "attempt limits must be at least 1"));
        }
        if self.hash_concurrency == 0 {
            return Err(bad("hash_concurrency", "must be at least 1"));
        }
        if self.session_idle.is_zero() {
            return Err(bad("session_idle_minutes", "must be at least 1"));
        }
        if let Some(url) = &self.public_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) || url.trim_end_matches('/').matches('/').count() != 2 {
                return Err(bad("public_url", "must be an origin like https://portal.example.com (no path)"));
            }
        }
        if let Some(url) = &self.smtp_url {
            if !(url.0.starts_with("smtp://") || url.0.starts_with("smtps://")) {
                return Err(bad("GATEHOUSE_SMTP_URL", "must start with smtp:// or smtps://"));
            }
        }
        if let Some(key) = &self.secret_key_env {
            if decode_hex_key(&key.0).is_none() {
                return Err(bad("GATEHOUSE_SECRET_KEY", "must be 64 hexadecimal digits (32 bytes)"));
            }
        }
        if !self.mail_from.contains('@') || self.mail_from.contains(['\r', '\n']) {
            return Err(bad("mail_from", "must be an address like \"Gatehouse <no-reply@example.com>\""));
        }
        Ok(())
    }

    /// Secure cookies only make sense behind HTTPS.
    pub fn serves_https(&self) -> bool {
        self.public_url.as_deref().is_some_and(|url| url.starts_with("https://"))
    }
}

pub fn decode_hex_key(hex: &str) -> Option<[u8; 32]> {
    let hex = hex.trim();
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut key = [0u8; 32];
    for (index, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[index * 2..index * 2 + 2], 16).ok()?;
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |key| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.to_string())
    }

    #[test]
    fn environment_overrides_file_overrides_defaults() {
        let file = "[gatehouse]\ncode_ttl_secs = 120\nmail_from = \"A <a@b.co>\"\n";
        let settings = Settings::from_sources(Some(file), env_of(&[("GATEHOUSE_CODE_TTL_SECS", "30")])).unwrap();
        assert_eq!(settings.code_ttl, Duration::from_secs(30));
        assert_eq!(settings.mail_from, "A <a@b.co>");
        assert_eq!(settings.resend_cooldown, Duration::from_secs(60));
    }

    #[test]
    fn bad_values_name_their_key() {
        let error = Settings::from_sources(None, env_of(&[("GATEHOUSE_CODE_TTL_SECS", "soon")])).unwrap_err();
        assert_eq!(error.key, "GATEHOUSE_CODE_TTL_SECS");
        let error = Settings::from_sources(Some("[gatehouse]\npassword_min_length = 4\n"), env_of(&[])).unwrap_err();
        assert_eq!(error.key, "password_min_length");
        let error = Settings::from_sources(Some("[gatehouse]\nsmtp_url = \"smtp://x\"\n"), env_of(&[])).unwrap_err();
        assert!(error.problem.contains("smtp_url"), "secrets are refused in the file: {error}");
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let settings = Settings::from_sources(None, env_of(&[("GATEHOUSE_SMTP_URL", "smtps://u:hunter2@mail.example:465")])).unwrap();
        assert!(!format!("{settings:?}").contains("hunter2"));
    }
}
