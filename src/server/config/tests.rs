//! The settings' parsing, ranges, precedence and documentation.

use super::*;

fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |key| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.to_string())
}

#[test]
fn a_public_https_site_needs_a_mail_server_or_says_files_on_purpose() {
    const HTTPS: (&str, &str) = ("GATEHOUSE_PUBLIC_URL", "https://portal.example");
    const SMTP: (&str, &str) = ("GATEHOUSE_SMTP_URL", "smtp://127.0.0.1:2525");
    const FILES: (&str, &str) = ("GATEHOUSE_MAIL_TO_FILES", "true");
    const LOCAL: (&str, &str) = ("GATEHOUSE_PUBLIC_URL", "http://127.0.0.1:3000");
    let error = Settings::from_sources(None, env_of(&[HTTPS])).unwrap_err();
    assert!(error.problem.contains("written to files"), "{error:?}");
    assert!(Settings::from_sources(None, env_of(&[HTTPS, SMTP])).is_ok());
    assert!(Settings::from_sources(None, env_of(&[HTTPS, FILES])).is_ok());
    assert!(Settings::from_sources(None, env_of(&[LOCAL])).is_ok());
}

#[test]
fn environment_overrides_file_overrides_defaults() {
    let file = "[gatehouse]\ncode_ttl_secs = 120\nmail_from = \"A <a@b.co>\"\n";
    let settings = Settings::from_sources(Some(file), env_of(&[("GATEHOUSE_CODE_TTL_SECS", "30")])).unwrap();
    assert_eq!(settings.code_ttl_secs, Seconds(30));
    assert_eq!(settings.mail_from, MailFrom("A <a@b.co>".into()));
    assert_eq!(settings.resend_cooldown_secs, Seconds(60));
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
        error.problem.contains("GATEHOUSE_SMTP_URL"),
        "secrets are refused in the file: {error}"
    );
    let error = Settings::from_sources(Some("[gatehouse]\nno_such_key = 1\n"), env_of(&[])).unwrap_err();
    assert_eq!(error.key, "no_such_key");
}

#[test]
fn every_number_has_an_upper_bound() {
    for (variable, too_big) in [
        ("GATEHOUSE_CODE_TTL_SECS", "601"),
        ("GATEHOUSE_LOGIN_LOCK_AFTER", "101"),
        ("GATEHOUSE_POW_DIFFICULTY", "25"),
        ("GATEHOUSE_HASH_CONCURRENCY", "65"),
        ("GATEHOUSE_SESSION_LIFETIME_SECS", "99999999999999999999"),
        ("GATEHOUSE_MAIL_PER_ADDRESS", "5/30d"),
        ("GATEHOUSE_HTTP_MAX_CONNECTIONS", "0"),
    ] {
        let error = Settings::from_sources(None, |key| (key == variable).then(|| too_big.to_string()));
        assert_eq!(error.unwrap_err().key, variable, "{variable}={too_big}");
    }
}

#[test]
fn limits_and_proxies_are_read_from_file_and_environment() {
    let file = "[gatehouse]\nregister_per_ip = \"4/10m\"\ntrusted_proxies = \"10.0.0.0/8, 192.168.1.1, ::ffff:172.16.0.0/108\"\n";
    let settings = Settings::from_sources(
        Some(file),
        env_of(&[("GATEHOUSE_LOGIN_FAILURES_PER_IP", "7/30s")]),
    )
    .unwrap();
    assert_eq!(
        settings.register_per_ip,
        RateLimit {
            max: 4,
            window: Duration::from_secs(600)
        }
    );
    assert_eq!(
        settings.login_failures_per_ip,
        RateLimit {
            max: 7,
            window: Duration::from_secs(30)
        }
    );
    assert_eq!(settings.trusted_proxies.0.len(), 3);
    assert!(
        settings.trusted_proxies.contains(&"172.16.3.4".parse().unwrap()),
        "mapped range as IPv4"
    );
    assert!(
        settings
            .trusted_proxies
            .contains(&"::ffff:10.1.2.3".parse().unwrap()),
        "mapped peer as IPv4"
    );
    let error =
        Settings::from_sources(None, env_of(&[("GATEHOUSE_TRUSTED_PROXIES", "10.0.0.0/33")])).unwrap_err();
    assert_eq!(error.key, "GATEHOUSE_TRUSTED_PROXIES");
}

#[test]
fn the_shipped_leptos_toml_documents_every_setting_at_its_default() {
    let text = include_str!("../../../Leptos.toml");
    for name in Settings::NAMES {
        let documented = text.contains(&format!("\n{name} = ")) || text.contains(&format!("\n# {name} = "));
        assert!(documented, "Leptos.toml does not document {name}");
    }
    let from_file = Settings::from_sources(Some(text), |_| None).unwrap();
    assert_eq!(
        format!("{from_file:?}"),
        format!("{:?}", Settings::default()),
        "the file shows the defaults"
    );
}

#[test]
fn secrets_are_redacted_in_debug_output() {
    let settings = Settings::from_sources(
        None,
        env_of(&[
            ("GATEHOUSE_SMTP_URL", "smtps://u:hunter2@mail.example:465"),
            (
                "GATEHOUSE_DATABASE_URL",
                "postgres://gate:swordfish@db.example/gatehouse",
            ),
        ]),
    )
    .unwrap();
    let shown = format!("{settings:?}");
    assert!(
        !shown.contains("hunter2") && !shown.contains("swordfish"),
        "{shown}"
    );
    assert!(shown.contains("postgres://gate:[redacted]@db.example/gatehouse"));
}

#[test]
fn forward_auth_settings_are_checked_against_the_public_url() {
    const PUBLIC: (&str, &str) = ("GATEHOUSE_PUBLIC_URL", "https://portal.example.com");
    const FILES: (&str, &str) = ("GATEHOUSE_MAIL_TO_FILES", "true");
    let rules = "[[gatehouse.access]]\nhost = \"app.example.com\"\npolicy = \"signed_in\"\n";
    let error = Settings::from_sources(Some(rules), env_of(&[])).unwrap_err();
    assert_eq!(error.key, "access", "rules need an absolute sign-in address");
    let settings = Settings::from_sources(Some(rules), env_of(&[PUBLIC, FILES])).unwrap();
    assert!(!settings.access_rules.is_empty());
    let bad_rule = "[[gatehouse.access]]\nhost = \"app.example.com\"\npolicy = \"maybe\"\n";
    let error = Settings::from_sources(Some(bad_rule), env_of(&[PUBLIC, FILES])).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("configuration error: access: rule 1: "),
        "{error}"
    );

    let domain = |value: &'static str| {
        Settings::from_sources(None, move |key| match key {
            "GATEHOUSE_COOKIE_DOMAIN" => Some(value.to_string()),
            _ => env_of(&[PUBLIC, FILES])(key),
        })
    };
    assert_eq!(
        domain(".Example.com").unwrap().cookie_domain,
        Some(CookieDomain("example.com".into()))
    );
    assert!(domain("portal.example.com").is_ok());
    assert_eq!(domain("other.com").unwrap_err().key, "cookie_domain");
    assert_eq!(domain("com").unwrap_err().key, "GATEHOUSE_COOKIE_DOMAIN");
}

#[test]
fn the_provider_needs_a_public_url_on_https_or_loopback() {
    const ON: (&str, &str) = ("GATEHOUSE_OIDC_PROVIDER", "true");
    const FILES: (&str, &str) = ("GATEHOUSE_MAIL_TO_FILES", "true");
    let with = |public_url: &'static str| {
        Settings::from_sources(None, move |key| match key {
            "GATEHOUSE_PUBLIC_URL" => Some(public_url.to_string()),
            _ => env_of(&[ON, FILES])(key),
        })
    };
    assert_eq!(
        Settings::from_sources(None, env_of(&[ON])).unwrap_err().key,
        "oidc_provider",
        "the issuer is the public URL"
    );
    for fine in [
        "https://portal.example.com",
        "http://127.0.0.1:3000",
        "http://localhost:3000",
        "http://[::1]:3000",
    ] {
        assert!(with(fine).unwrap().oidc_provider, "{fine}");
    }
    assert_eq!(
        with("http://portal.example.com").unwrap_err().key,
        "oidc_provider"
    );
    assert!(!Settings::default().oidc_provider, "off unless asked for");
}
