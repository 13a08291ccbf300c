//! Runtime settings: compiled-in defaults, overridden by `Leptos.toml` (if present), overridden
//! by the environment. Secrets (the SMTP URL, which may hold a password, and the code key) come
//! only from the environment. Bad settings stop start-up with one line naming the key.

use std::{path::PathBuf, time::Duration};

use ipnet::IpNet;
use serde::Deserialize;

use super::throttle::RateLimit;
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
    /// A session unused for this long ends.
    pub session_idle: Duration,
    /// A session ends this long after its sign-in, however active it is.
    pub session_lifetime: Duration,
    pub limits: Limits,
    /// Proxies whose `X-Forwarded-For` is believed; everyone else's is ignored.
    pub trusted_proxies: Vec<IpNet>,
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

/// Throttling and lockout (see `server::throttle` and `flows::account`).
#[derive(Debug, Clone)]
pub struct Limits {
    pub register_per_ip: RateLimit,
    /// Mail (codes and notices) to one address, over registrations and resends.
    pub mail_per_address: RateLimit,
    pub resend_per_ip: RateLimit,
    /// Wrong codes from one client.
    pub verify_failures_per_ip: RateLimit,
    /// Failed sign-ins from one client.
    pub login_failures_per_ip: RateLimit,
    /// Consecutive failed sign-ins of one account before each further attempt must wait
    /// 1 s, doubling per failure up to `login_max_delay`.
    pub login_delay_after: u32,
    pub login_max_delay: Duration,
    /// Consecutive failed sign-ins that lock the account until it is unlocked.
    pub login_lock_after: u32,
    /// Leading zero bits the proof-of-work hash needs (each bit doubles the work).
    pub pow_difficulty: u8,
    /// Recent consecutive failed sign-ins of an account, or failed sign-ins from one client,
    /// or registrations from one client, after which the form asks for a proof of work.
    pub pow_after_login_failures: u32,
    pub pow_after_client_login_failures: u32,
    pub pow_after_registrations: u32,
    /// How long a burst of failures keeps asking for proof of work (the no-JavaScript wait).
    pub pow_window: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        let per = |max, secs| RateLimit {
            max,
            window: Duration::from_secs(secs),
        };
        Limits {
            register_per_ip: per(10, 3600),
            mail_per_address: per(5, 3600),
            resend_per_ip: per(20, 3600),
            verify_failures_per_ip: per(30, 300),
            login_failures_per_ip: per(30, 300),
            login_delay_after: 5,
            login_max_delay: Duration::from_secs(300),
            login_lock_after: 100,
            pow_difficulty: 17,
            pow_after_login_failures: 3,
            pow_after_client_login_failures: 10,
            pow_after_registrations: 3,
            pow_window: Duration::from_secs(900),
        }
    }
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
            session_lifetime: Duration::from_secs(12 * 3600),
            limits: Limits::default(),
            trusted_proxies: Vec::new(),
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
    session_idle_secs: Option<u64>,
    session_lifetime_secs: Option<u64>,
    trusted_proxies: Option<String>,
    register_per_ip: Option<String>,
    mail_per_address: Option<String>,
    resend_per_ip: Option<String>,
    verify_failures_per_ip: Option<String>,
    login_failures_per_ip: Option<String>,
    login_delay_after: Option<u32>,
    login_max_delay_secs: Option<u64>,
    login_lock_after: Option<u32>,
    pow_difficulty: Option<u8>,
    pow_after_login_failures: Option<u32>,
    pow_after_client_login_failures: Option<u32>,
    pow_after_registrations: Option<u32>,
    pow_window_secs: Option<u64>,
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
    ConfigError {
        key: key.into(),
        problem: problem.into(),
    }
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
            Err(error) => {
                return Err(bad(
                    "GATEHOUSE_CONFIG",
                    format!("cannot read {}: {error}", path.display()),
                ))
            }
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
            ($($field:ident).+, $file_value:expr, $env:literal, $parse:expr) => {
                if let Some(value) = $file_value {
                    settings.$($field).+ = value;
                }
                if let Some(raw) = env($env).filter(|raw| !raw.is_empty()) {
                    settings.$($field).+ = $parse(&raw).map_err(|problem: String| bad($env, problem))?;
                }
            };
        }
        let text = |raw: &str| Ok::<_, String>(raw.to_string());
        let seconds = |raw: &str| {
            raw.parse::<u64>()
                .map(Duration::from_secs)
                .map_err(|_| format!("expected a whole number of seconds, got {raw:?}"))
        };
        let number = |raw: &str| {
            raw.parse::<u32>()
                .map_err(|_| format!("expected a whole number, got {raw:?}"))
        };
        let size = |raw: &str| {
            raw.parse::<usize>()
                .map_err(|_| format!("expected a whole number, got {raw:?}"))
        };

        setting!(database_url, file.database_url, "GATEHOUSE_DATABASE_URL", text);
        setting!(
            outbox_dir,
            file.outbox_dir,
            "GATEHOUSE_OUTBOX_DIR",
            |raw: &str| Ok(PathBuf::from(raw))
        );
        setting!(mail_from, file.mail_from, "GATEHOUSE_MAIL_FROM", text);
        setting!(
            public_url,
            file.public_url.map(Some),
            "GATEHOUSE_PUBLIC_URL",
            |raw: &str| Ok(Some(raw.to_string()))
        );
        setting!(
            code_ttl,
            file.code_ttl_secs.map(Duration::from_secs),
            "GATEHOUSE_CODE_TTL_SECS",
            seconds
        );
        setting!(
            code_max_attempts,
            file.code_max_attempts,
            "GATEHOUSE_CODE_MAX_ATTEMPTS",
            number
        );
        setting!(
            registration_max_failures,
            file.registration_max_failures,
            "GATEHOUSE_REGISTRATION_MAX_FAILURES",
            number
        );
        setting!(
            resend_cooldown,
            file.resend_cooldown_secs.map(Duration::from_secs),
            "GATEHOUSE_RESEND_COOLDOWN_SECS",
            seconds
        );
        setting!(
            password_min_length,
            file.password_min_length,
            "GATEHOUSE_PASSWORD_MIN_LENGTH",
            size
        );
        setting!(
            session_idle,
            file.session_idle_secs.map(Duration::from_secs),
            "GATEHOUSE_SESSION_IDLE_SECS",
            seconds
        );
        setting!(
            session_lifetime,
            file.session_lifetime_secs.map(Duration::from_secs),
            "GATEHOUSE_SESSION_LIFETIME_SECS",
            seconds
        );
        setting!(
            trusted_proxies,
            file.trusted_proxies
                .as_deref()
                .map(parse_cidrs)
                .transpose()
                .map_err(|p| bad("trusted_proxies", p))?,
            "GATEHOUSE_TRUSTED_PROXIES",
            parse_cidrs
        );
        let limit = |raw: &str| raw.parse::<RateLimit>();
        macro_rules! limit_setting {
            ($field:ident, $env:literal) => {
                let from_file = file
                    .$field
                    .as_deref()
                    .map(limit)
                    .transpose()
                    .map_err(|p| bad(stringify!($field), p))?;
                setting!(limits.$field, from_file, $env, limit);
            };
        }
        limit_setting!(register_per_ip, "GATEHOUSE_REGISTER_PER_IP");
        limit_setting!(mail_per_address, "GATEHOUSE_MAIL_PER_ADDRESS");
        limit_setting!(resend_per_ip, "GATEHOUSE_RESEND_PER_IP");
        limit_setting!(verify_failures_per_ip, "GATEHOUSE_VERIFY_FAILURES_PER_IP");
        limit_setting!(login_failures_per_ip, "GATEHOUSE_LOGIN_FAILURES_PER_IP");
        setting!(
            limits.login_delay_after,
            file.login_delay_after,
            "GATEHOUSE_LOGIN_DELAY_AFTER",
            number
        );
        setting!(
            limits.login_max_delay,
            file.login_max_delay_secs.map(Duration::from_secs),
            "GATEHOUSE_LOGIN_MAX_DELAY_SECS",
            seconds
        );
        setting!(
            limits.login_lock_after,
            file.login_lock_after,
            "GATEHOUSE_LOGIN_LOCK_AFTER",
            number
        );
        setting!(
            limits.pow_difficulty,
            file.pow_difficulty,
            "GATEHOUSE_POW_DIFFICULTY",
            |raw: &str| raw
                .parse::<u8>()
                .map_err(|_| format!("expected a number of bits, got {raw:?}"))
        );
        setting!(
            limits.pow_after_login_failures,
            file.pow_after_login_failures,
            "GATEHOUSE_POW_AFTER_LOGIN_FAILURES",
            number
        );
        setting!(
            limits.pow_after_client_login_failures,
            file.pow_after_client_login_failures,
            "GATEHOUSE_POW_AFTER_CLIENT_LOGIN_FAILURES",
            number
        );
        setting!(
            limits.pow_after_registrations,
            file.pow_after_registrations,
            "GATEHOUSE_POW_AFTER_REGISTRATIONS",
            number
        );
        setting!(
            limits.pow_window,
            file.pow_window_secs.map(Duration::from_secs),
            "GATEHOUSE_POW_WINDOW_SECS",
            seconds
        );
        setting!(
            mail_retry,
            file.mail_retry_secs.map(Duration::from_secs),
            "GATEHOUSE_MAIL_RETRY_SECS",
            seconds
        );
        setting!(
            mail_max_attempts,
            file.mail_max_attempts,
            "GATEHOUSE_MAIL_MAX_ATTEMPTS",
            number
        );
        setting!(
            hash_concurrency,
            file.hash_concurrency,
            "GATEHOUSE_HASH_CONCURRENCY",
            size
        );
        setting!(
            secret_key_file,
            file.secret_key_file,
            "GATEHOUSE_SECRET_KEY_FILE",
            |raw: &str| Ok(PathBuf::from(raw))
        );
        settings.smtp_url = env("GATEHOUSE_SMTP_URL")
            .filter(|url| !url.is_empty())
            .map(Secret);
        settings.secret_key_env = env("GATEHOUSE_SECRET_KEY")
            .filter(|key| !key.is_empty())
            .map(Secret);

        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if !self.database_url.starts_with("sqlite:") {
            return Err(bad("database_url", "only sqlite: URLs are supported"));
        }
        if !(PASSWORD_MIN_FLOOR..=PASSWORD_MAX).contains(&self.password_min_length) {
            return Err(bad(
                "password_min_length",
                format!("must be between {PASSWORD_MIN_FLOOR} and {PASSWORD_MAX}"),
            ));
        }
        if self.code_ttl.is_zero() || self.code_ttl > Duration::from_secs(600) {
            return Err(bad(
                "code_ttl_secs",
                "must be between 1 and 600 seconds (NIST caps emailed codes at 10 minutes)",
            ));
        }
        if self.code_max_attempts == 0 || self.registration_max_failures == 0 || self.mail_max_attempts == 0 {
            return Err(bad("code_max_attempts", "attempt limits must be at least 1"));
        }
        if self.hash_concurrency == 0 {
            return Err(bad("hash_concurrency", "must be at least 1"));
        }
        if self.session_idle.is_zero() || self.session_lifetime.is_zero() {
            return Err(bad(
                "session_idle_secs",
                "session timeouts must be at least 1 second",
            ));
        }
        let limits = &self.limits;
        if limits.login_lock_after == 0 || limits.login_delay_after == 0 {
            return Err(bad("login_lock_after", "sign-in limits must be at least 1"));
        }
        if !(1..=32).contains(&limits.pow_difficulty) {
            return Err(bad("pow_difficulty", "must be between 1 and 32 bits"));
        }
        if let Some(url) = &self.public_url {
            if !(url.starts_with("http://") || url.starts_with("https://"))
                || url.trim_end_matches('/').matches('/').count() != 2
            {
                return Err(bad(
                    "public_url",
                    "must be an origin like https://portal.example.com (no path)",
                ));
            }
        }
        if let Some(url) = &self.smtp_url {
            if !(url.0.starts_with("smtp://") || url.0.starts_with("smtps://")) {
                return Err(bad("GATEHOUSE_SMTP_URL", "must start with smtp:// or smtps://"));
            }
        }
        if let Some(key) = &self.secret_key_env {
            if decode_hex_key(&key.0).is_none() {
                return Err(bad(
                    "GATEHOUSE_SECRET_KEY",
                    "must be 64 hexadecimal digits (32 bytes)",
                ));
            }
        }
        if !self.mail_from.contains('@') || self.mail_from.contains(['\r', '\n']) {
            return Err(bad(
                "mail_from",
                "must be an address like \"Gatehouse <no-reply@example.com>\"",
            ));
        }
        Ok(())
    }

    /// Secure cookies only make sense behind HTTPS.
    pub fn serves_https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }
}

fn parse_cidrs(raw: &str) -> Result<Vec<IpNet>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{entry:?} is not an address or CIDR range like 10.0.0.0/8"))
        })
        .collect()
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
        let settings =
            Settings::from_sources(Some(file), env_of(&[("GATEHOUSE_CODE_TTL_SECS", "30")])).unwrap();
        assert_eq!(settings.code_ttl, Duration::from_secs(30));
        assert_eq!(settings.mail_from, "A <a@b.co>");
        assert_eq!(settings.resend_cooldown, Duration::from_secs(60));
    }

    #[test]
    fn bad_values_name_their_key() {
        let error = Settings::from_sources(None, env_of(&[("GATEHOUSE_CODE_TTL_SECS", "soon")])).unwrap_err();
        assert_eq!(error.key, "GATEHOUSE_CODE_TTL_SECS");
        let error =
            Settings::from_sources(Some("[gatehouse]\npassword_min_length = 4\n"), env_of(&[])).unwrap_err();
        assert_eq!(error.key, "password_min_length");
        let error =
            Settings::from_sources(Some("[gatehouse]\nsmtp_url = \"smtp://x\"\n"), env_of(&[])).unwrap_err();
        assert!(
            error.problem.contains("smtp_url"),
            "secrets are refused in the file: {error}"
        );
    }

    #[test]
    fn limits_and_proxies_are_read_from_file_and_environment() {
        let file =
            "[gatehouse]\nregister_per_ip = \"4/10m\"\ntrusted_proxies = \"10.0.0.0/8, 192.168.1.1\"\n";
        let settings = Settings::from_sources(
            Some(file),
            env_of(&[("GATEHOUSE_LOGIN_FAILURES_PER_IP", "7/30s")]),
        )
        .unwrap();
        assert_eq!(
            settings.limits.register_per_ip,
            RateLimit {
                max: 4,
                window: Duration::from_secs(600)
            }
        );
        assert_eq!(
            settings.limits.login_failures_per_ip,
            RateLimit {
                max: 7,
                window: Duration::from_secs(30)
            }
        );
        assert_eq!(settings.trusted_proxies.len(), 2);
        let error = Settings::from_sources(None, env_of(&[("GATEHOUSE_TRUSTED_PROXIES", "10.0.0.0/33")]))
            .unwrap_err();
        assert_eq!(error.key, "GATEHOUSE_TRUSTED_PROXIES");
        let error = Settings::from_sources(Some("[gatehouse]\nresend_per_ip = \"often\"\n"), env_of(&[]))
            .unwrap_err();
        assert_eq!(error.key, "resend_per_ip");
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let settings = Settings::from_sources(
            None,
            env_of(&[("GATEHOUSE_SMTP_URL", "smtps://u:hunter2@mail.example:465")]),
        )
        .unwrap();
        assert!(!format!("{settings:?}").contains("hunter2"));
    }
}
