//! Who may register, and with which address: the registration mode (`open`, `invite`, `closed`),
//! the address rules (allowed and denied domains, disposable mail services) and the terms a
//! registration accepts. The rules read the address alone, so a refusal tells nothing about which
//! addresses have accounts; registration and an address change both ask [`address_refusal`].

use std::{collections::HashSet, sync::LazyLock};

use super::config::{SettingValue, Settings};
use crate::i18n::{t, t_with};

/// `GATEHOUSE_REGISTRATION`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum RegistrationMode {
    /// Anyone may register.
    #[default]
    Open,
    /// Only from an invitation link.
    Invite,
    /// Nobody registers on their own; invitation links still work.
    Closed,
}

impl RegistrationMode {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl SettingValue for RegistrationMode {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        match raw.trim() {
            "open" => Ok(RegistrationMode::Open),
            "invite" => Ok(RegistrationMode::Invite),
            "closed" => Ok(RegistrationMode::Closed),
            _ => Err(format!("expected open, invite or closed, got {raw:?}")),
        }
    }
}

/// A comma-separated list of mail domains: `example.com` is that domain alone, `*.example.com`
/// any domain under it (not `example.com` itself), as in forward-auth's host patterns. Kept in
/// the ASCII form IDNA gives, lower-case; `*.example.com` is kept as `.example.com`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DomainPatterns(pub Vec<String>);

impl DomainPatterns {
    pub fn matches(&self, domain: &str) -> bool {
        self.0.iter().any(|pattern| match pattern.strip_prefix('.') {
            Some(parent) => domain.len() > parent.len() + 1 && domain.ends_with(pattern.as_str()),
            None => domain == pattern,
        })
    }
}

impl SettingValue for DomainPatterns {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        raw.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                let (subdomains, name) = match entry.strip_prefix("*.") {
                    Some(name) => (true, name),
                    None => (false, entry),
                };
                let ascii = idna::domain_to_ascii(name)
                    .ok()
                    .filter(|ascii| ascii.contains('.') && super::access_rules::is_domain_name(ascii))
                    .ok_or_else(|| format!("{entry:?} is not a domain like example.com or *.example.com"))?;
                Ok(if subdomains { format!(".{ascii}") } else { ascii })
            })
            .collect::<Result<_, String>>()
            .map(DomainPatterns)
    }
}

/// `GATEHOUSE_TERMS_URL`: where the terms are, an absolute `https://`/`http://` address or a path
/// on this site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermsUrl(pub String);

impl SettingValue for Option<TermsUrl> {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        let url = raw.trim();
        if url.is_empty() {
            return Ok(None);
        }
        let absolute = url.starts_with("https://") || url.starts_with("http://");
        let local = url.starts_with('/') && !url.starts_with("//");
        if !(absolute || local) || url.contains(['"', '<', '>', ' ', '\\']) {
            return Err(
                "expected an address like https://example.com/terms or a path like /terms.html".into(),
            );
        }
        Ok(Some(TermsUrl(url.to_string())))
    }
}

/// `GATEHOUSE_TERMS_VERSION`: any short label (`2026-12`, `v3`); a user who accepted another one
/// is asked again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermsVersion(pub String);

impl SettingValue for TermsVersion {
    fn parse_setting(raw: &str) -> Result<Self, String> {
        let version = raw.trim();
        if version.chars().count() > 64 || version.chars().any(char::is_control) {
            return Err("expected a short label like 2026-12 (at most 64 characters)".into());
        }
        Ok(TermsVersion(version.to_string()))
    }
}

/// The terms in force: both settings, or neither.
pub struct Terms<'a> {
    pub url: &'a str,
    pub version: &'a str,
}

pub fn terms(settings: &Settings) -> Option<Terms<'_>> {
    let url = settings.terms_url.as_ref()?;
    Some(Terms {
        url: &url.0,
        version: &settings.terms_version.0,
    })
}

/// Whether an account that accepted `accepted` (none: never) must accept the terms in force.
pub fn must_accept_terms(settings: &Settings, accepted: Option<&str>) -> bool {
    terms(settings).is_some_and(|terms| accepted != Some(terms.version))
}

/// Why `email` (canonical, from `validate::email`) may not be an account's address, as the
/// sentence its field shows; `None` when it may. Denied domains win over allowed ones.
pub fn address_refusal(settings: &Settings, email: &str) -> Option<String> {
    let domain = email.rsplit_once('@').map(|(_, domain)| domain)?;
    let domain = idna::domain_to_ascii(domain).unwrap_or_else(|_| domain.to_string());
    if settings.registration_domains_deny.matches(&domain) {
        return Some(t_with("field-domain-denied", &[("domain", domain.into())]));
    }
    let allowed = &settings.registration_domains_allow;
    if !allowed.0.is_empty() && !allowed.matches(&domain) {
        let list: Vec<String> = allowed
            .0
            .iter()
            .map(|pattern| match pattern.strip_prefix('.') {
                Some(parent) => t_with("field-domains-under", &[("parent", parent.into())]),
                None => pattern.clone(),
            })
            .collect();
        return Some(t_with(
            "field-domains-allowed",
            &[("domains", list.join(", ").into())],
        ));
    }
    if settings.block_disposable_addresses && is_disposable(&domain) {
        return Some(t("field-disposable-address"));
    }
    None
}

/// The domain or a parent of it is on mailchecker's list of disposable mail services.
fn is_disposable(domain: &str) -> bool {
    static DISPOSABLE: LazyLock<HashSet<&'static str>> =
        LazyLock::new(|| mailchecker::blacklist().into_iter().collect());
    let mut rest = domain;
    loop {
        if DISPOSABLE.contains(rest) {
            return true;
        }
        match rest.split_once('.') {
            Some((_, parent)) if parent.contains('.') => rest = parent,
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(allow: &str, deny: &str, disposable: bool) -> Settings {
        Settings {
            registration_domains_allow: DomainPatterns::parse_setting(allow).unwrap(),
            registration_domains_deny: DomainPatterns::parse_setting(deny).unwrap(),
            block_disposable_addresses: disposable,
            ..Settings::default()
        }
    }

    #[test]
    fn a_domain_matches_itself_and_a_star_matches_only_below_it() {
        let rules = settings("example.com, *.corp.example", "", false);
        assert_eq!(address_refusal(&rules, "a@example.com"), None);
        assert!(address_refusal(&rules, "a@mail.example.com").is_some());
        assert_eq!(address_refusal(&rules, "a@eu.corp.example"), None);
        assert!(address_refusal(&rules, "a@corp.example").is_some());
        assert!(address_refusal(&rules, "a@evilcorp.example").is_some());
    }

    #[test]
    fn denied_domains_win_and_are_compared_after_idna() {
        let rules = settings("", "BÜCHER.example", false);
        let refusal = address_refusal(&rules, "a@xn--bcher-kva.example").unwrap();
        assert!(refusal.contains("cannot be used"), "{refusal}");
        assert_eq!(address_refusal(&rules, "a@books.example"), None);
    }

    #[test]
    fn disposable_services_and_their_subdomains_are_refused_only_when_asked() {
        assert_eq!(
            address_refusal(&settings("", "", false), "a@mailinator.com"),
            None
        );
        let rules = settings("", "", true);
        assert!(address_refusal(&rules, "a@mailinator.com").is_some());
        assert!(address_refusal(&rules, "a@x.mailinator.com").is_some());
        assert_eq!(address_refusal(&rules, "a@example.com"), None);
    }

    #[test]
    fn bad_patterns_and_terms_are_refused_at_start_up() {
        assert!(DomainPatterns::parse_setting("example").is_err());
        assert!(DomainPatterns::parse_setting("exa mple.com").is_err());
        assert!(<Option<TermsUrl>>::parse_setting("javascript:alert(1)").is_err());
        assert!(<Option<TermsUrl>>::parse_setting("//evil.example/terms").is_err());
        assert!(<Option<TermsUrl>>::parse_setting("/terms.html")
            .unwrap()
            .is_some());
    }
}
