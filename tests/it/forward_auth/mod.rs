//! Forward-auth: `/auth/verify` answering the proxies' header dialects (`answers`), the sign-in's
//! return to the original address (`return_urls`), and a real nginx in front of an app
//! (`nginx`). The helpers below are theirs.

mod answers;
mod nginx;
mod return_urls;

use gatehouse::server::{access_rules::AccessRules, config::PublicUrl};
use reqwest::{header, Response};

use crate::support::{cluster::free_port, fixture_on, Browser, Fixture};

/// The rules every test here runs under, in order: the first match decides.
pub(crate) const RULES: &str = r#"
[[gatehouse.access]]
host = "public.app.test"
policy = "bypass"

[[gatehouse.access]]
host = "app.test"
paths = ["/public"]
policy = "bypass"

[[gatehouse.access]]
host = "app.test"
paths = ["/staff"]
groups = ["staff"]
policy = "signed_in"

[[gatehouse.access]]
host = "app.test"
paths = ["/vault"]
policy = "two_factor"

[[gatehouse.access]]
host = "app.test"
paths = ["/closed"]
policy = "deny"

[[gatehouse.access]]
host = "*.app.test"
policy = "signed_in"

[[gatehouse.access]]
host = "app.test"
policy = "signed_in"
"#;

pub(crate) fn rules(text: &str) -> AccessRules {
    let root: toml::Table = toml::from_str(text).unwrap();
    AccessRules::from_toml(&root["gatehouse"]["access"]).unwrap()
}

/// A portal whose public address is its own loopback one, with [`RULES`].
pub(crate) async fn protected() -> Fixture {
    let port = free_port();
    fixture_on(&format!("127.0.0.1:{port}"), |settings| {
        settings.public_url = Some(PublicUrl(format!("http://127.0.0.1:{port}")));
        settings.access_rules = rules(RULES);
    })
    .await
}

/// How a proxy tells `/auth/verify` about the request it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// `auth_request` to `/auth/verify?mode=nginx`, with `X-Original-URL` and `-Method`.
    Nginx,
    /// Traefik's `ForwardAuth` and Caddy's `forward_auth`: `X-Forwarded-Proto`, `-Host`, `-Uri`,
    /// `-Method`, the client's own headers copied.
    Forwarded,
}

/// What the browser was doing: loading a page, or a script's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Asking {
    Page,
    Script,
}

/// The proxy asks `/auth/verify` about `method url`, sent by `browser` (its cookies ride along).
pub(crate) async fn ask(
    browser: &Browser,
    dialect: Dialect,
    method: &str,
    url: &str,
    asking: Asking,
) -> Response {
    let (path, headers): (&str, Vec<(&str, String)>) = match dialect {
        Dialect::Nginx => (
            "/auth/verify?mode=nginx",
            vec![
                ("x-original-url", url.to_string()),
                ("x-original-method", method.to_string()),
            ],
        ),
        Dialect::Forwarded => {
            let (proto, rest) = url.split_once("://").unwrap();
            let (host, uri) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            (
                "/auth/verify",
                vec![
                    ("x-forwarded-proto", proto.to_string()),
                    ("x-forwarded-host", host.to_string()),
                    ("x-forwarded-uri", uri.to_string()),
                    ("x-forwarded-method", method.to_string()),
                ],
            )
        }
    };
    let mut request = browser.client.get(browser.url(path));
    for (name, value) in headers {
        request = request.header(name, value);
    }
    request = match asking {
        Asking::Page => request.header(header::ACCEPT, "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"),
        Asking::Script => request
            .header(header::ACCEPT, "application/json")
            .header("x-requested-with", "XMLHttpRequest"),
    };
    request.send().await.unwrap()
}

/// The three user headers of an answer (all three are always sent on a 200).
pub(crate) fn remote_user(response: &Response) -> [String; 3] {
    ["remote-user", "remote-email", "remote-groups"].map(|name| {
        let value = response.headers().get(name);
        value
            .unwrap_or_else(|| panic!("{name} is missing"))
            .to_str()
            .unwrap()
            .to_string()
    })
}

/// Where a proxy sends a browser to sign in, for `url`.
pub(crate) fn sign_in_at(f: &Fixture, url: &str) -> String {
    let rd: String = form_urlencoded::byte_serialize(url.as_bytes()).collect();
    format!("{}/login?rd={rd}", f.app.origin())
}
