//! Where a browser may be sent back to after signing in: a path on this site, or an address on a
//! host that an access rule names (the app forward-auth sent it from). Everything else, and every
//! trick that would turn the return into an open redirect, lands on the dashboard.

use super::access_rules::AccessRules;

const FALLBACK: &str = "/dashboard";
/// Longer return addresses are refused rather than cut.
const MAX_LEN: usize = 2048;

/// `next` if it is a plain path on this site (`/x`, not `//evil.example` or `/\evil.example`),
/// else the dashboard.
pub fn local(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 200
        && next
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_-.?=&".contains(c));
    if local {
        next
    } else {
        FALLBACK
    }
}

/// Where a sign-in returns to: `next` when it is a path on this site ([`local`]) or an `http(s)`
/// address without credentials on a host an access rule names; else the dashboard.
pub fn after_sign_in(rules: &AccessRules, next: &str) -> String {
    if next.starts_with('/') {
        return local(next).to_string();
    }
    to_protected_app(rules, next).unwrap_or_else(|| FALLBACK.to_string())
}

fn to_protected_app(rules: &AccessRules, next: &str) -> Option<String> {
    let scheme_written_out = ["http://", "https://"].iter().any(|scheme| {
        next.get(..scheme.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
    });
    // A backslash or a control character reads differently to a browser than to a parser.
    let plain = next.len() <= MAX_LEN
        && !next
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace());
    if !scheme_written_out || !plain {
        return None;
    }
    let url = url::Url::parse(next).ok()?;
    let host = url.host_str()?;
    let credentials = !url.username().is_empty() || url.password().is_some();
    (!credentials && rules.names_host(host)).then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> AccessRules {
        let root: toml::Table = toml::from_str(
            "[[gatehouse.access]]\nhost = \"app.example.com\"\npolicy = \"signed_in\"\n\
             [[gatehouse.access]]\nhost = \"*.apps.example.com\"\npolicy = \"signed_in\"\n",
        )
        .unwrap();
        AccessRules::from_toml(&root["gatehouse"]["access"]).unwrap()
    }

    #[test]
    fn sign_in_only_redirects_to_local_paths() {
        assert_eq!(local("/dashboard?tab=1"), "/dashboard?tab=1");
        for hostile in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "/%5Cevil.example",
            "/dashboard@evil.example",
            "",
        ] {
            assert_eq!(local(hostile), "/dashboard", "{hostile}");
        }
    }

    #[test]
    fn a_sign_in_returns_only_to_the_hosts_rules_name() {
        let rules = rules();
        for allowed in [
            "https://app.example.com/wiki/page?q=1#top",
            "http://app.example.com:8080/",
            "https://grafana.apps.example.com/d/x",
            "HTTPS://APP.EXAMPLE.COM/",
        ] {
            assert_ne!(after_sign_in(&rules, allowed), "/dashboard", "{allowed}");
        }
        assert_eq!(after_sign_in(&rules, "/account"), "/account");
        for hostile in [
            "//evil.example",
            "\\\\evil.example",
            "/\\evil.example",
            "http:evil.example",
            "http:app.example.com",
            "https:/app.example.com/",
            "https://evil.example/",
            "https://app.example.com@evil.example/",
            "https://evil.example\\@app.example.com/",
            "https://evil.example#@app.example.com/",
            "https://user:pass@app.example.com/",
            "https://app.example.com.evil.example/",
            "https://apps.example.com/",
            "javascript://app.example.com/%0aalert(1)",
            "ftp://app.example.com/",
            "data:text/html,<script>alert(1)</script>",
            "https://app.example.com/\n",
            " https://app.example.com/",
        ] {
            assert_eq!(after_sign_in(&rules, hostile), "/dashboard", "{hostile}");
        }
    }
}
