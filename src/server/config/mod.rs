//! Runtime settings. Each is declared once below (name, type, default, allowed range); the
//! `[gatehouse]` table of `Leptos.toml` overrides the default and `GATEHOUSE_<NAME>` in the
//! environment overrides both, through the same parser. Secrets (the SMTP URL, which may hold a
//! password, and the server key) come only from the environment. A bad value stops start-up with
//! one line naming the key or variable.

use std::{fmt, path::PathBuf, time::Duration};

use ipnet::IpNet;

use super::{
    access_rules::AccessRules,
    branding::{AccentColour, BrandFile, SiteName, SupportUrl},
    registration_policy::{DomainPatterns, RegistrationMode, TermsUrl, TermsVersion},
    throttle::RateLimit,
};
use crate::{i18n::Language, pow, validate::PASSWORD_MAX};

/// A value a setting can take: parsed from the file's or the environment's text.
pub trait SettingValue: Sized {
    fn parse_setting(raw: &str) -> Result<Self, String>;
}

macro_rules! parsed_with_from_str {
    ($($ty:ty => $what:literal),* $(,)?) => {
        $(impl SettingValue for $ty {
            fn parse_setting(raw: &str) -> Result<Self, String> {
                raw.trim().parse().map_err(|_| format!(concat!("expected ", $what, ", got {:?}"), raw))
            }
        })*
    };
}
parsed_with_from_str!(u8 => "a whole number", u32 => "a whole number", usize => "a whole number");

impl SettingValue for bool {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        match raw.trim() {
            "true" | "on" | "yes" | "1" => Ok(true),
            "false" | "off" | "no" | "0" => Ok(false),
            _ => Err(format!("expected true or false, got {raw:?}")),
        }
    }
}

impl SettingValue for RateLimit {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        raw.parse()
    }
}

impl SettingValue for PathBuf {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        Ok(PathBuf::from(raw))
    }
}

/// A whole number of seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seconds(pub u64);

impl Seconds {
    pub fn duration(self) -> Duration {
        Duration::from_secs(self.0)
    }
    /// As a signed count for time arithmetic (settings are bounded far below i64::MAX).
    pub fn signed(self) -> i64 {
        i64::try_from(self.0).unwrap_or(i64::MAX)
    }
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl SettingValue for Seconds {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        raw.trim()
            .parse()
            .map(Seconds)
            .map_err(|_| format!("expected a whole number of seconds, got {raw:?}"))
    }
}

/// Where the data lives: `sqlite://path` (the default) or `postgres://user:password@host/db`.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(pub String);

impl DatabaseUrl {
    pub fn is_postgres(&self) -> bool {
        self.0.starts_with("postgres://") || self.0.starts_with("postgresql://")
    }
}

impl SettingValue for DatabaseUrl {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        let url = DatabaseUrl(raw.trim().to_string());
        if url.0.starts_with("sqlite:") || url.is_postgres() {
            Ok(url)
        } else {
            Err("expected sqlite://PATH or postgres://USER:PASSWORD@HOST/DATABASE".into())
        }
    }
}

/// Shows the URL without its password.
impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self
            .0
            .split_once("://")
            .and_then(|(scheme, rest)| Some((scheme, rest.split_once('@')?)))
        {
            Some((scheme, (credentials, host))) => {
                let user = credentials.split(':').next().unwrap_or_default();
                write!(f, "\"{scheme}://{user}:[redacted]@{host}\"")
            }
            None => write!(f, "{:?}", self.0),
        }
    }
}

/// The sender of every mail, like `Gatehouse <no-reply@example.com>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFrom(pub String);

impl SettingValue for MailFrom {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        if !raw.contains('@') || raw.contains(['\r', '\n']) {
            return Err("expected an address like \"Gatehouse <no-reply@example.com>\"".into());
        }
        Ok(MailFrom(raw.trim().to_string()))
    }
}

/// The public origin, `https://portal.example.com` (no path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(pub String);

impl SettingValue for Option<std::net::SocketAddr> {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        raw.parse()
            .map(Some)
            .map_err(|_| format!("expected an address and port like 127.0.0.1:9100, got {raw:?}"))
    }
}

impl SettingValue for Option<PublicUrl> {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        let url = raw.trim().trim_end_matches('/');
        if url.is_empty() {
            return Ok(None);
        }
        let scheme_ok = url.starts_with("http://") || url.starts_with("https://");
        if !scheme_ok || url.matches('/').count() != 2 || url.contains(['?', '#', ' ']) {
            return Err("expected an origin like https://portal.example.com (no path)".into());
        }
        Ok(Some(PublicUrl(url.to_string())))
    }
}

/// The parent domain the forward-auth cookie is scoped to (`example.com`), so that one sign-in
/// reaches every app under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieDomain(pub String);

impl SettingValue for Option<CookieDomain> {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        let domain = raw.trim().trim_start_matches('.').to_ascii_lowercase();
        if domain.is_empty() {
            return Ok(None);
        }
        if !super::access_rules::is_domain_name(&domain) || !domain.contains('.') {
            return Err(format!("expected a domain like example.com, got {raw:?}"));
        }
        Ok(Some(CookieDomain(domain)))
    }
}

/// Reverse proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(pub Vec<IpNet>);

impl TrustedProxies {
    pub fn contains(&self, ip: &std::net::IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }
}

impl SettingValue for TrustedProxies {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        raw.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                let net = entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<std::net::IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{entry:?} is not an address or CIDR range like 10.0.0.0/8"))?;
                // `::ffff:10.0.0.1` is the IPv4 proxy 10.0.0.1 seen through a dual-stack socket.
                Ok(match net {
                    IpNet::V6(v6) if v6.addr().to_ipv4_mapped().is_some() && v6.prefix_len() >= 96 => {
                        let v4 = v6.addr().to_ipv4_mapped().expect("checked above");
                        IpNet::new(v4.into(), v6.prefix_len() - 96).expect("prefix within 0..=32")
                    }
                    other => other,
                })
            })
            .collect::<Result<_, String>>()
            .map(TrustedProxies)
    }
}

/// A string that never shows up in `Debug` output (and so never in logs).
#[derive(Clone)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
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

macro_rules! settings {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident: $ty:ty = $default:expr $(, within $range:expr)?;
    )*) => {
        /// Everything the server can be told. Every field is documented in `Leptos.toml`.
        #[derive(Debug, Clone)]
        pub struct Settings {
            $($(#[doc = $doc])* pub $name: $ty,)*
            /// `GATEHOUSE_SMTP_URL`. `None`: mail is written as `.eml` files into `outbox_dir`.
            pub smtp_url: Option<Secret>,
            /// `GATEHOUSE_SECRET_KEY` (64 hex digits); `None`: read from or created at `secret_key_file`.
            pub secret_key: Option<Secret>,
            /// The file's `[[gatehouse.access]]` list (forward-auth); only the file can hold it.
            pub access_rules: AccessRules,
        }

        impl Default for Settings {
            fn default() -> Self {
                Settings { $($name: $default,)* smtp_url: None, secret_key: None, access_rules: AccessRules::default() }
            }
        }

        impl Settings {
            /// Every setting's name, as `Leptos.toml` spells it.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($name)),*];

            fn set(&mut self, name: &str, raw: &str) -> Result<(), String> {
                match name {
                    $(stringify!($name) => {
                        let value = <$ty as SettingValue>::parse_setting(raw)?;
                        $(
                            let range = $range;
                            if !range.contains(&value) {
                                return Err(format!("must be between {} and {}", range.start(), range.end()));
                            }
                        )?
                        self.$name = value;
                    })*
                    "smtp_url" | "secret_key" => {
                        return Err(format!("{name} is a secret: set GATEHOUSE_{} in the environment", name.to_uppercase()))
                    }
                    _ => return Err(format!("unknown setting {name:?}")),
                }
                Ok(())
            }
        }
    };
}

settings! {
    /// `sqlite://PATH` (created and migrated at start-up) or `postgres://…`.
    database_url: DatabaseUrl = DatabaseUrl("sqlite://data/gatehouse.db".into());
    /// Where mail goes when `GATEHOUSE_SMTP_URL` is unset.
    outbox_dir: PathBuf = "data/outbox".into();
    /// Mail written to `outbox_dir` is what the operator wants, even on a public https site
    /// (which otherwise refuses to start without `GATEHOUSE_SMTP_URL`).
    mail_to_files: bool = false;
    mail_from: MailFrom = MailFrom("Gatehouse <no-reply@gatehouse.localhost>".into());
    /// Public origin; cross-site checks compare against it, and `https` turns on Secure,
    /// `__Host-` cookies and HSTS.
    public_url: Option<PublicUrl> = None;
    /// The site's name in the header, titles, mails and authenticator apps.
    site_name: SiteName = SiteName("Gatehouse".into());
    /// An SVG or PNG (at most 256 KiB) shown in the header beside the name.
    logo_file: Option<BrandFile> = None;
    /// A CSS colour for the header, buttons and links, with 4.5:1 contrast against white.
    accent_colour: Option<AccentColour> = None;
    /// Where users get help, shown in mails and on error pages (`https://…` or `mailto:…`).
    support_url: Option<SupportUrl> = None;
    /// Pages' and mails' language when neither the account, the switch nor the browser names one
    /// that Gatehouse speaks.
    default_language: Language = Language::English;
    /// Who may register: `open` (anyone), `invite` (only from an invitation link) or `closed`
    /// (nobody on their own; invitation links still work).
    registration: RegistrationMode = RegistrationMode::Open;
    /// Only addresses at these domains may be an account's (comma-separated; `*.example.com`: any
    /// domain under example.com); empty: any domain.
    registration_domains_allow: DomainPatterns = DomainPatterns::default();
    /// Addresses at these domains may not (the same form); they win over the allowed ones.
    registration_domains_deny: DomainPatterns = DomainPatterns::default();
    /// Refuses addresses of disposable mail services (mailchecker's list, built in).
    block_disposable_addresses: bool = false;
    /// The terms a registration must accept (with `terms_version`); `None`: no tick-box.
    terms_url: Option<TermsUrl> = None;
    /// The terms' version: a user who accepted another is asked to accept these.
    terms_version: TermsVersion = TermsVersion::default();
    code_ttl_secs: Seconds = Seconds(300), within Seconds(1)..=Seconds(600);
    code_max_attempts: u32 = 5, within 1..=20;
    /// Wrong codes over a whole flow (new codes do not reset it); NIST caps it at 100.
    registration_max_failures: u32 = 100, within 1..=100;
    resend_cooldown_secs: Seconds = Seconds(60), within Seconds(0)..=Seconds(3600);
    /// How long a password-recovery code is valid, from the request (whatever happens to its mail).
    recovery_code_ttl_secs: Seconds = Seconds(600), within Seconds(60)..=Seconds(3600);
    /// Mail an address nobody's account uses that someone asked to recover it.
    recovery_notify_unknown_address: bool = true;
    /// Mail the owner when their account is signed in from a device it has not seen before.
    new_device_notice: bool = true;
    /// How recently the password must have been entered on this device for a sensitive change
    /// (password, address, deleting the account); older, and it is asked for again.
    reauthentication_secs: Seconds = Seconds(600), within Seconds(60)..=Seconds(86_400);
    /// Every account must have two-factor: signed-in users without it are sent to set it up.
    two_factor_required: bool = false;
    /// An admin's sign-in unused for this long ends (shorter than `session_idle_secs`).
    admin_idle_secs: Seconds = Seconds(900), within Seconds(60)..=Seconds(86_400);
    /// How recently an admin must have entered the password for an action on an account.
    admin_reauthentication_secs: Seconds = Seconds(300), within Seconds(30)..=Seconds(3_600);
    password_min_length: usize = crate::validate::PASSWORD_MIN_DEFAULT,
        within crate::validate::PASSWORD_MIN_FLOOR..=PASSWORD_MAX;
    /// A sign-in unused for this long ends.
    session_idle_secs: Seconds = Seconds(1800), within Seconds(1)..=Seconds(86_400);
    /// A sign-in ends this long after it began, however active.
    session_lifetime_secs: Seconds = Seconds(43_200), within Seconds(1)..=Seconds(30 * 86_400);
    trusted_proxies: TrustedProxies = TrustedProxies::default();
    /// Scopes the forward-auth cookie to this parent domain, so one sign-in reaches every app
    /// under it; `None`: the cookie is Gatehouse's own host's.
    cookie_domain: Option<CookieDomain> = None;
    /// Turns on the OpenID Connect provider ("Sign in with Gatehouse"). Its issuer is `public_url`,
    /// which must be set, and https unless it is on loopback.
    oidc_provider: bool = false;
    /// How long an app's access token and ID token are valid.
    oidc_token_secs: Seconds = Seconds(600), within Seconds(60)..=Seconds(3600);
    /// How long an app's refresh token (scope `offline_access`) is valid; each use replaces it.
    oidc_refresh_token_secs: Seconds = Seconds(30 * 86_400), within Seconds(3600)..=Seconds(365 * 86_400);
    /// Calls to the token, userinfo and revocation endpoints per client id, and per address.
    oidc_requests_per_client: RateLimit = RateLimit { max: 600, window: Duration::from_secs(60) };
    oidc_requests_per_ip: RateLimit = RateLimit { max: 600, window: Duration::from_secs(60) };
    register_per_ip: RateLimit = RateLimit { max: 10, window: Duration::from_secs(3600) };
    /// Mail (codes and notices) to one address, over registrations and resends.
    mail_per_address: RateLimit = RateLimit { max: 5, window: Duration::from_secs(3600) };
    mail_per_address_daily: RateLimit = RateLimit { max: 10, window: Duration::from_secs(86_400) };
    /// All mail the deployment sends (every instance together), to protect the sender's reputation.
    mail_per_instance: RateLimit = RateLimit { max: 600, window: Duration::from_secs(3600) };
    resend_per_ip: RateLimit = RateLimit { max: 20, window: Duration::from_secs(3600) };
    verify_failures_per_ip: RateLimit = RateLimit { max: 30, window: Duration::from_secs(300) };
    /// Wrong reset codes of one account over all its recoveries (NIST's cap on failed attempts
    /// per account); then recovery waits and the owner is told.
    recovery_failures_per_account: RateLimit = RateLimit { max: 20, window: Duration::from_secs(86_400) };
    login_failures_per_ip: RateLimit = RateLimit { max: 30, window: Duration::from_secs(300) };
    /// Passwords hashed or checked for one client (sign-ins, confirmations, new passwords), right
    /// or wrong: argon2 is the costliest thing a request can ask for.
    password_checks_per_ip: RateLimit = RateLimit { max: 100, window: Duration::from_secs(600) };
    /// Right passwords and new passwords of one account (its wrong ones lead to the lock).
    password_checks_per_account: RateLimit = RateLimit { max: 20, window: Duration::from_secs(3600) };
    /// Consecutive failures of one identifier from one client before each further attempt waits
    /// 1 s, doubling per failure up to `login_max_delay_secs`.
    login_delay_after: u32 = 5, within 1..=100;
    login_max_delay_secs: Seconds = Seconds(300), within Seconds(1)..=Seconds(3600);
    /// Consecutive evaluated failures that lock an account (NIST caps it at 100); the owner is
    /// mailed an unlock link.
    login_lock_after: u32 = 100, within 1..=100;
    pow_difficulty: u8 = 17, within 1..=pow::MAX_DIFFICULTY;
    pow_after_login_failures: u32 = 3, within 0..=10_000;
    pow_after_client_login_failures: u32 = 10, within 0..=10_000;
    pow_after_registrations: u32 = 3, within 0..=10_000;
    pow_window_secs: Seconds = Seconds(900), within Seconds(1)..=Seconds(86_400);
    mail_retry_secs: Seconds = Seconds(10), within Seconds(1)..=Seconds(3600);
    mail_max_attempts: u32 = 10, within 1..=100;
    /// `/readyz` answers 503 while a mail still to be sent has waited longer than this.
    outbox_stuck_secs: Seconds = Seconds(600), within Seconds(10)..=Seconds(86_400);
    /// How long a worker may hold a claimed mail before another instance may take it over.
    mail_lease_secs: Seconds = Seconds(60), within Seconds(2)..=Seconds(3600);
    hash_concurrency: usize = 2, within 1..=64;
    event_retention_days: u32 = 365, within 1..=3650;
    /// How long finished code flows and sent mail rows are kept (for operators' review).
    code_log_retention_days: u32 = 30, within 1..=3650;
    http_header_timeout_secs: Seconds = Seconds(10), within Seconds(1)..=Seconds(300);
    http_request_timeout_secs: Seconds = Seconds(30), within Seconds(1)..=Seconds(600);
    http_max_connections: usize = 1024, within 1..=100_000;
    /// Open connections one client address may hold (a trusted proxy carries many clients and is
    /// not capped); one more is closed at once.
    http_max_connections_per_client: usize = 128, within 1..=100_000;
    shutdown_grace_secs: Seconds = Seconds(20), within Seconds(1)..=Seconds(600);
    /// Where Prometheus metrics are served (`GET /metrics`); `None`: not collected at all.
    metrics_addr: Option<std::net::SocketAddr> = None;
    secret_key_file: PathBuf = "data/secret.key".into();
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
        let mut settings = Settings::default();
        if let Some(text) = file {
            let root: toml::Table = toml::from_str(text).map_err(|e| bad("Leptos.toml", e.message()))?;
            if let Some(table) = root.get("gatehouse") {
                let table = table
                    .as_table()
                    .ok_or_else(|| bad("gatehouse", "expected a table"))?;
                for (name, value) in table {
                    if name == "access" {
                        settings.access_rules =
                            AccessRules::from_toml(value).map_err(|problem| bad("access", problem))?;
                        continue;
                    }
                    let raw = match value {
                        toml::Value::String(text) => text.clone(),
                        toml::Value::Integer(number) => number.to_string(),
                        toml::Value::Boolean(flag) => flag.to_string(),
                        _ => return Err(bad(name, "expected a string, a whole number, true or false")),
                    };
                    settings.set(name, &raw).map_err(|problem| bad(name, problem))?;
                }
            }
        }
        for name in Settings::NAMES {
            let variable = format!("GATEHOUSE_{}", name.to_uppercase());
            if let Some(raw) = env(&variable).filter(|raw| !raw.is_empty()) {
                settings
                    .set(name, &raw)
                    .map_err(|problem| bad(&variable, problem))?;
            }
        }
        settings.smtp_url = env("GATEHOUSE_SMTP_URL")
            .filter(|url| !url.is_empty())
            .map(Secret);
        settings.secret_key = env("GATEHOUSE_SECRET_KEY")
            .filter(|key| !key.is_empty())
            .map(Secret);
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if let Some(url) = &self.smtp_url {
            if !(url.0.starts_with("smtp://") || url.0.starts_with("smtps://")) {
                return Err(bad("GATEHOUSE_SMTP_URL", "must start with smtp:// or smtps://"));
            }
            let timeout = std::time::Duration::from_secs(1);
            if let Err(problem) = super::mail::smtp::SmtpPool::from_url(&url.0, timeout) {
                return Err(bad("GATEHOUSE_SMTP_URL", problem));
            }
        }
        if let Some(key) = &self.secret_key {
            if super::keys::ServerKey::from_hex(&key.0).is_none() {
                return Err(bad(
                    "GATEHOUSE_SECRET_KEY",
                    "must be 64 hexadecimal digits (32 bytes)",
                ));
            }
        }
        if self.smtp_url.is_none() && self.serves_https() && !self.mail_to_files {
            return Err(bad(
                "GATEHOUSE_SMTP_URL",
                "is unset on a public https site, so codes would only be written to files: set a mail \
                 server, or GATEHOUSE_MAIL_TO_FILES=true if files are what you want",
            ));
        }
        let public_host = self.public_url.as_ref().map(|url| {
            let authority = url.0.split("://").nth(1).unwrap_or_default();
            authority
                .rsplit_once(':')
                .map_or(authority, |(host, _)| host)
                .to_ascii_lowercase()
        });
        if let Some(domain) = &self.cookie_domain {
            let covers = |host: &str| host == domain.0 || host.ends_with(&format!(".{}", domain.0));
            if !public_host.as_deref().is_some_and(covers) {
                return Err(bad(
                    "cookie_domain",
                    "must be public_url's host or a parent of it (set public_url first)",
                ));
            }
        }
        if !self.access_rules.is_empty() && public_host.is_none() {
            return Err(bad(
                "access",
                "forward-auth sends browsers to sign in at an absolute address: set public_url",
            ));
        }
        if self.oidc_provider {
            let loopback = matches!(public_host.as_deref(), Some("127.0.0.1" | "[::1]" | "localhost"));
            if public_host.is_none() {
                return Err(bad(
                    "oidc_provider",
                    "the provider's issuer is public_url: set it",
                ));
            }
            if !self.serves_https() && !loopback {
                return Err(bad(
                    "oidc_provider",
                    "public_url must be https (plain http only on loopback)",
                ));
            }
        }
        if self.terms_url.is_some() == self.terms_version.0.is_empty() {
            return Err(bad("terms_version", "set terms_url and terms_version together"));
        }
        if self.session_idle_secs > self.session_lifetime_secs {
            return Err(bad("session_idle_secs", "must not exceed session_lifetime_secs"));
        }
        Ok(())
    }

    /// Secure cookies only make sense behind HTTPS.
    pub fn serves_https(&self) -> bool {
        self.public_url
            .as_ref()
            .is_some_and(|url| url.0.starts_with("https://"))
    }
}

#[cfg(test)]
mod tests;
