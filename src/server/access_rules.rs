//! Forward-auth's access rules: what a request to one of the site's other apps needs. They are an
//! ordered list in the settings file (`[[gatehouse.access]]`), read once at start-up; the first
//! rule that matches a request's host, path and method decides, and a request that no rule
//! matches is denied.

use serde::Deserialize;

use crate::validate;

/// What a matching rule asks of the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Allowed without a sign-in (the user headers are sent empty).
    Bypass,
    SignedIn,
    /// Signed in with a second factor (the sign-in's `amr` has more than the password).
    TwoFactor,
    Deny,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRule {
    host: HostPattern,
    paths: Vec<PathPattern>,
    /// Upper-case; empty: every method.
    methods: Vec<String>,
    /// Empty: any signed-in user; else the user must be in one of them.
    pub groups: Vec<String>,
    pub policy: Policy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum HostPattern {
    Exact(String),
    /// `*.example.com`: any name under `example.com` (not `example.com` itself), kept as
    /// `.example.com`.
    Subdomains(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PathPattern {
    /// `/admin`: the path itself and everything under it (`/admin/x`), not `/administrator`.
    Prefix(String),
    /// `/files/*.pdf`: `*` stands for any run of characters, `/` included.
    Glob(String),
}

/// The rules in their order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessRules(Vec<AccessRule>);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleInFile {
    host: String,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    methods: Vec<String>,
    #[serde(default)]
    groups: Vec<String>,
    policy: Policy,
}

impl AccessRules {
    /// Reads the file's `[[gatehouse.access]]` tables. An error names the rule by its place
    /// (the first is 1) and says what is wrong with it.
    pub fn from_toml(value: &toml::Value) -> Result<AccessRules, String> {
        let tables = value
            .as_array()
            .ok_or("expected a list of rules: write each as [[gatehouse.access]]")?;
        let rules = tables
            .iter()
            .enumerate()
            .map(|(index, table)| {
                let rule = RuleInFile::deserialize(table.clone())
                    .map_err(|error| error.message().to_string())
                    .and_then(AccessRule::checked);
                rule.map_err(|problem| format!("rule {}: {problem}", index + 1))
            })
            .collect::<Result<_, String>>()?;
        Ok(AccessRules(rules))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first rule that matches; `host` without its port, lower-case; `path` decoded.
    pub fn rule_for(&self, host: &str, path: &str, method: &str) -> Option<&AccessRule> {
        self.0.iter().find(|rule| rule.matches(host, path, method))
    }

    /// The hosts the rules name as content-security-policy sources (any port): the sign-in form
    /// may return there, and a browser applies `form-action` to where a form post redirects.
    pub fn form_action_sources(&self) -> String {
        let mut sources: Vec<String> = Vec::new();
        for rule in &self.0 {
            let source = match &rule.host {
                HostPattern::Exact(name) => format!(" {name}:*"),
                HostPattern::Subdomains(parent) => format!(" *{parent}:*"),
            };
            if !sources.contains(&source) {
                sources.push(source);
            }
        }
        sources.concat()
    }

    /// Whether some rule names `host` (lower-case, no port): a sign-in may return there.
    pub fn names_host(&self, host: &str) -> bool {
        self.0.iter().any(|rule| rule.host.matches(host))
    }
}

impl AccessRule {
    fn checked(rule: RuleInFile) -> Result<AccessRule, String> {
        let host = HostPattern::parse(&rule.host)?;
        let paths = rule
            .paths
            .iter()
            .map(|path| PathPattern::parse(path))
            .collect::<Result<_, _>>()?;
        let methods = rule
            .methods
            .iter()
            .map(|method| {
                let method = method.trim().to_ascii_uppercase();
                match !method.is_empty() && method.bytes().all(|byte| byte.is_ascii_uppercase()) {
                    true => Ok(method),
                    false => Err(format!("{method:?} is not an HTTP method like GET or POST")),
                }
            })
            .collect::<Result<_, _>>()?;
        let groups = rule
            .groups
            .iter()
            .map(|group| {
                validate::group_name(group)
                    .map_err(|problem| format!("group {group:?}: {}", problem.in_english()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if !groups.is_empty() && matches!(rule.policy, Policy::Bypass | Policy::Deny) {
            return Err("groups only apply to the signed_in and two_factor policies".into());
        }
        Ok(AccessRule {
            host,
            paths,
            methods,
            groups,
            policy: rule.policy,
        })
    }

    fn matches(&self, host: &str, path: &str, method: &str) -> bool {
        self.host.matches(host)
            && (self.paths.is_empty() || self.paths.iter().any(|pattern| pattern.matches(path)))
            && (self.methods.is_empty() || self.methods.iter().any(|allowed| allowed == method))
    }
}

impl HostPattern {
    fn parse(raw: &str) -> Result<HostPattern, String> {
        let host = raw.trim().to_ascii_lowercase();
        let (name, pattern): (&str, fn(String) -> HostPattern) = match host.strip_prefix("*.") {
            Some(parent) => (parent, |parent| HostPattern::Subdomains(format!(".{parent}"))),
            None => (&host, HostPattern::Exact),
        };
        if !is_domain_name(name) {
            return Err(format!(
                "host {raw:?} is not a name like app.example.com or *.example.com (without a port)"
            ));
        }
        Ok(pattern(name.to_string()))
    }

    fn matches(&self, host: &str) -> bool {
        match self {
            HostPattern::Exact(name) => host == name,
            HostPattern::Subdomains(parent) => host.len() > parent.len() && host.ends_with(parent.as_str()),
        }
    }
}

impl PathPattern {
    fn parse(raw: &str) -> Result<PathPattern, String> {
        if !raw.starts_with('/') || raw.chars().any(char::is_whitespace) {
            return Err(format!("path {raw:?} must start with / and hold no spaces"));
        }
        Ok(match raw.contains('*') {
            true => PathPattern::Glob(raw.to_string()),
            false => PathPattern::Prefix(raw.trim_end_matches('/').to_string()),
        })
    }

    fn matches(&self, path: &str) -> bool {
        match self {
            PathPattern::Prefix(prefix) => path
                .strip_prefix(prefix.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || prefix.is_empty()),
            PathPattern::Glob(glob) => glob_matches(glob, path),
        }
    }
}

/// Dot-separated labels of ASCII letters, digits and `-`, none empty (lower-cased already): what a
/// rule's host and the cookie domain may be.
pub fn is_domain_name(name: &str) -> bool {
    name.split('.')
        .all(|label| !label.is_empty() && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// `*` matches any run of characters (`/` too); everything else itself.
fn glob_matches(glob: &str, text: &str) -> bool {
    let mut parts = glob.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> Result<AccessRules, String> {
        let root: toml::Table = toml::from_str(text).unwrap();
        AccessRules::from_toml(&root["gatehouse"]["access"])
    }

    #[test]
    fn the_first_matching_rule_decides() {
        let rules = rules(
            r#"
            [[gatehouse.access]]
            host = "app.example.com"
            paths = ["/public", "/assets/*.css"]
            policy = "bypass"
            [[gatehouse.access]]
            host = "app.example.com"
            paths = ["/admin"]
            methods = ["post"]
            groups = ["staff"]
            policy = "two_factor"
            [[gatehouse.access]]
            host = "*.example.com"
            policy = "signed_in"
            "#,
        )
        .unwrap();
        let policy = |host, path, method| rules.rule_for(host, path, method).map(|rule| rule.policy);
        assert_eq!(policy("app.example.com", "/public", "GET"), Some(Policy::Bypass));
        assert_eq!(
            policy("app.example.com", "/public/x", "GET"),
            Some(Policy::Bypass)
        );
        assert_eq!(
            policy("app.example.com", "/publicity", "GET"),
            Some(Policy::SignedIn)
        );
        assert_eq!(
            policy("app.example.com", "/assets/a/b.css", "GET"),
            Some(Policy::Bypass)
        );
        assert_eq!(
            policy("app.example.com", "/assets/b.css.map", "GET"),
            Some(Policy::SignedIn)
        );
        assert_eq!(
            policy("app.example.com", "/admin/users", "POST"),
            Some(Policy::TwoFactor)
        );
        assert_eq!(
            policy("app.example.com", "/admin/users", "GET"),
            Some(Policy::SignedIn)
        );
        assert_eq!(policy("other.example.com", "/", "GET"), Some(Policy::SignedIn));
        assert_eq!(
            policy("example.com", "/", "GET"),
            None,
            "a wildcard needs a name under it"
        );
        assert_eq!(policy("app.example.com.evil.test", "/", "GET"), None);
        assert!(rules.names_host("deep.app.example.com"));
        assert_eq!(rules.form_action_sources(), " app.example.com:* *.example.com:*");
        assert!(!rules.names_host("evil.test"));
    }

    #[test]
    fn a_bad_rule_is_named_by_its_place() {
        for (text, problem) in [
            (
                "host = \"app.example.com:8080\"\npolicy = \"bypass\"",
                "rule 1: host",
            ),
            (
                "host = \"a.example\"\npolicy = \"maybe\"",
                "rule 1: unknown variant",
            ),
            (
                "host = \"a.example\"\npaths = [\"admin\"]\npolicy = \"deny\"",
                "must start with /",
            ),
            (
                "host = \"a.example\"\ngroups = [\"Staff\"]\npolicy = \"signed_in\"",
                "group \"Staff\"",
            ),
            (
                "host = \"a.example\"\ngroups = [\"staff\"]\npolicy = \"bypass\"",
                "only apply",
            ),
            (
                "host = \"a.example\"\npolicy = \"deny\"\npath = [\"/\"]",
                "unknown field",
            ),
            (
                "host = \"a.example\"\nmethods = [\"G T\"]\npolicy = \"deny\"",
                "HTTP method",
            ),
        ] {
            let text = format!("[[gatehouse.access]]\nhost = \"ok.example\"\npolicy = \"deny\"\n[[gatehouse.access]]\n{text}\n");
            let error = rules(&text).unwrap_err();
            let problem = problem.replace("rule 1", "rule 2");
            assert!(error.starts_with("rule 2: "), "{error}");
            assert!(error.contains(&problem), "{error} lacks {problem}");
        }
    }

    #[test]
    fn globs_match_any_run_of_characters() {
        assert!(glob_matches("/a/*", "/a/b/c"));
        assert!(glob_matches("/a/*/c", "/a/b/x/c"));
        assert!(glob_matches("*", "/anything"));
        assert!(!glob_matches("/a/*.pdf", "/a/x.pdfx"));
        assert!(!glob_matches("/a*b*b", "/ab"));
    }
}
