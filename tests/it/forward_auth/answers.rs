//! `/auth/verify`'s answers: every header dialect × who asks × what the rule wants × how the
//! request was made; group changes seen at the next request; sign-outs ending every app's access;
//! unparsable or untrusted requests never let through.

use gatehouse::{
    model::AdminAction,
    server::{
        clock::Clock,
        domain::{AccountAction, GroupAction, GroupChange, NoticeDetails},
    },
};
use reqwest::StatusCode;

use super::{ask, protected, remote_user, sign_in_at, Asking, Dialect};
use crate::{
    admin::gatehouse,
    support::{location, verified_user, Browser, Fixture, PASSWORD},
    two_factor::{code_at, enrol, pass_password, second_step},
};

async fn signed_in(f: &Fixture, username: &str) -> Browser {
    let browser = verified_user(f, username).await;
    assert_eq!(location(&browser.login(username, PASSWORD).await), "/dashboard");
    browser
}

/// What an answer should be, for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expected {
    /// 200 with (user, email, groups).
    Allowed([&'static str; 3]),
    SignInFirst,
    Forbidden,
}

#[tokio::test]
async fn every_dialect_gets_the_answer_each_rule_and_user_call_for() {
    let f = protected().await;
    let anonymous = f.app.browser();
    let alice = signed_in(&f, "alice").await;
    let bob = signed_in(&f, "bob").await;
    let (ok, output) = gatehouse(&f, &["groups", "create", "staff"]).await;
    assert!(ok, "{output}");
    assert!(gatehouse(&f, &["groups", "add", "staff", "bob"]).await.0);
    // Carol signs in with her authenticator app's code as the second factor.
    let carol = enrol(&f, "carol").await;
    carol.browser.post_form("/api/logout", "/dashboard", &[]).await;
    pass_password(&carol.browser, "carol").await;
    let code = code_at(&carol.secret, f.clock.now());
    assert_eq!(second_step(&carol.browser, &code).await.0, StatusCode::OK);

    use Expected::*;
    let none = Allowed(["", "", ""]);
    let alice_in = Allowed(["alice", "alice@example.test", ""]);
    let bob_in = Allowed(["bob", "bob@example.test", "staff"]);
    let carol_in = Allowed(["carol", "carol@example.test", ""]);
    let cases: &[(&str, [Expected; 4])] = &[
        // (address, [anonymous, alice, bob (staff), carol (second factor)])
        (
            "http://public.app.test/anything",
            [none.clone(), none.clone(), none.clone(), none.clone()],
        ),
        (
            "http://app.test/public/logo.png",
            [none.clone(), none.clone(), none.clone(), none.clone()],
        ),
        (
            "https://app.test/home?tab=1",
            [SignInFirst, alice_in.clone(), bob_in.clone(), carol_in.clone()],
        ),
        (
            "http://wiki.app.test:8080/page",
            [SignInFirst, alice_in.clone(), bob_in.clone(), carol_in.clone()],
        ),
        (
            "https://app.test/staff/rota",
            [SignInFirst, Forbidden, bob_in.clone(), Forbidden],
        ),
        (
            "https://app.test/vault",
            [SignInFirst, Forbidden, Forbidden, carol_in.clone()],
        ),
        (
            "https://app.test/closed",
            [Forbidden, Forbidden, Forbidden, Forbidden],
        ),
        (
            "https://unknown.test/",
            [Forbidden, Forbidden, Forbidden, Forbidden],
        ),
    ];
    let browsers = [&anonymous, &alice, &bob, &carol.browser];
    for dialect in [Dialect::Nginx, Dialect::Forwarded] {
        for method in ["GET", "POST", "HEAD"] {
            for asking in [Asking::Page, Asking::Script] {
                for (url, expected) in cases {
                    for (browser, expected) in browsers.iter().zip(expected) {
                        let response = ask(browser, dialect, method, url, asking).await;
                        let case = format!("{dialect:?} {method} {url} {asking:?} expecting {expected:?}");
                        let no_store = response
                            .headers()
                            .get("cache-control")
                            .map(|v| v.to_str().unwrap().to_string());
                        assert_eq!(no_store.as_deref(), Some("no-store"), "{case}");
                        match expected {
                            Allowed(user) => {
                                assert_eq!(response.status(), StatusCode::OK, "{case}");
                                assert_eq!(remote_user(&response), user.map(String::from), "{case}");
                            }
                            Forbidden => assert_eq!(response.status(), StatusCode::FORBIDDEN, "{case}"),
                            SignInFirst => {
                                let status = match (dialect, asking, method) {
                                    (Dialect::Nginx, _, _) | (_, Asking::Script, _) => {
                                        StatusCode::UNAUTHORIZED
                                    }
                                    (_, Asking::Page, "GET" | "HEAD") => StatusCode::FOUND,
                                    _ => StatusCode::SEE_OTHER,
                                };
                                assert_eq!(response.status(), status, "{case}");
                                assert_eq!(location(&response), sign_in_at(&f, url), "{case}");
                            }
                        }
                    }
                }
            }
        }
    }
}

#[tokio::test]
async fn a_group_change_counts_from_the_next_request_without_signing_in_again() {
    let f = protected().await;
    let dave = signed_in(&f, "dave").await;
    let staff_page = "https://app.test/staff";
    let status = |response: reqwest::Response| response.status();
    assert_eq!(
        status(ask(&dave, Dialect::Nginx, "GET", staff_page, Asking::Page).await),
        StatusCode::FORBIDDEN
    );
    // Refusals are counted per reason, not logged one by one.
    f.app.flush_refusals().await;
    let counted = "select count from refusals where kind = 'forward_auth_denied' and bucket = 'forward-auth:not-in-group'";
    assert_eq!(f.db.number(counted).await, 1);
    // Made through this instance (as the console makes it): the very next request sees it.
    let dave_id =
        f.db.number("select user_id from users where username = 'dave'")
            .await;
    let store = &f.app.state.store;
    let change = |action| GroupChange {
        action,
        actor_id: None,
        client: None,
        now: f.clock.now(),
    };
    let create = GroupAction::Create {
        name: "staff",
        description: "",
    };
    assert_eq!(store.change_groups(change(create)).await.unwrap(), Ok(true));
    let add = GroupAction::AddMember {
        name: "staff",
        user_id: dave_id,
    };
    assert_eq!(store.change_groups(change(add)).await.unwrap(), Ok(true));
    let allowed = ask(&dave, Dialect::Nginx, "GET", staff_page, Asking::Page).await;
    assert_eq!(remote_user(&allowed)[2], "staff");
    // Made by another process (the command line, another instance): within a second.
    assert!(gatehouse(&f, &["groups", "remove", "staff", "dave"]).await.0);
    let removed_at = std::time::Instant::now();
    while status(ask(&dave, Dialect::Nginx, "GET", staff_page, Asking::Page).await) != StatusCode::FORBIDDEN {
        assert!(
            removed_at.elapsed() < std::time::Duration::from_millis(1500),
            "still allowed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn signing_out_or_an_admins_end_of_all_sessions_ends_every_apps_access_at_once() {
    let f = protected().await;
    let erin = signed_in(&f, "erin").await;
    let page = "https://app.test/home";
    let asks = |browser: &Browser| {
        let browser = browser.clone();
        async move {
            ask(&browser, Dialect::Nginx, "GET", page, Asking::Page)
                .await
                .status()
        }
    };
    assert_eq!(asks(&erin).await, StatusCode::OK);
    // The forward-auth cookie outlives the sign-out only in a copy: the server forgets it.
    let copied = erin.clone();
    let signed_out = erin.post_form("/api/logout", "/dashboard", &[]).await;
    assert!(signed_out
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|cookie| cookie.to_str().unwrap().starts_with("gatehouse-auth=;")));
    assert_eq!(asks(&copied).await, StatusCode::UNAUTHORIZED);

    assert_eq!(location(&erin.login("erin", PASSWORD).await), "/dashboard");
    assert_eq!(asks(&erin).await, StatusCode::OK);
    let erin_id =
        f.db.number("select user_id from users where username = 'erin'")
            .await;
    let end_everywhere = AccountAction {
        kind: AdminAction::EndSessions,
        user_id: erin_id,
        actor_id: None,
        client: None,
        details: NoticeDetails::default(),
        now: f.clock.now(),
    };
    assert!(f.app.state.store.act_on_account(end_everywhere).await.unwrap());
    assert_eq!(
        asks(&erin).await,
        StatusCode::UNAUTHORIZED,
        "an admin's end of all sessions"
    );
}

#[tokio::test]
async fn an_idle_or_old_sign_in_no_longer_passes() {
    let f = protected().await;
    let frank = signed_in(&f, "frank").await;
    let page = "https://app.test/home";
    let idle = f.app.state.settings.session_idle_secs.signed();
    for _ in 0..3 {
        // Activity through forward-auth alone keeps the sign-in alive.
        f.advance(idle - 10);
        assert_eq!(
            ask(&frank, Dialect::Forwarded, "GET", page, Asking::Page)
                .await
                .status(),
            StatusCode::OK
        );
    }
    f.advance(idle);
    assert_eq!(
        ask(&frank, Dialect::Forwarded, "GET", page, Asking::Page)
            .await
            .status(),
        StatusCode::FOUND
    );
}

#[tokio::test]
async fn a_spoofed_user_header_or_an_unparsable_or_untrusted_request_never_passes() {
    let f = protected().await;
    let anonymous = f.app.browser();
    let spoofed = anonymous
        .client
        .get(anonymous.url("/auth/verify"))
        .header("x-original-url", "https://app.test/home")
        .header("remote-user", "admin")
        .header("remote-groups", "staff")
        .send()
        .await
        .unwrap();
    assert_eq!(spoofed.status(), StatusCode::FOUND);
    assert!(spoofed.headers().get("remote-user").is_none());
    for headers in [
        &[][..],
        &[("x-original-url", "app.test/home")],
        &[("x-original-url", "https://app.test/public%2f..%2fhome")],
        &[("x-original-url", "https://app.test/public/..;/home")],
        &[("x-original-url", "https://user@app.test/public")],
        &[
            ("x-original-url", "https://app.test/public"),
            ("x-original-method", "G T"),
        ],
        &[("x-forwarded-proto", "https"), ("x-forwarded-host", "app.test")],
        &[
            ("x-forwarded-proto", "gopher"),
            ("x-forwarded-host", "app.test"),
            ("x-forwarded-uri", "/public"),
        ],
        &[
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "evil.test/x@app.test"),
            ("x-forwarded-uri", "/public"),
        ],
        &[
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "app.test"),
            ("x-forwarded-uri", "//evil.test/"),
        ],
    ] {
        let mut request = anonymous.client.get(anonymous.url("/auth/verify"));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{headers:?}");
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("could not tell which page"));
    }
}

#[tokio::test]
async fn only_a_trusted_proxy_is_believed() {
    let Some(local) = local_non_loopback_address() else {
        eprintln!("skipped: this machine has no non-loopback address to ask from");
        return;
    };
    // The portal listens on every address; the proxy asks from one that is neither loopback nor
    // in the (empty) trusted list.
    let port = crate::support::cluster::free_port();
    let _f = crate::support::fixture_on(&format!("0.0.0.0:{port}"), |settings| {
        settings.public_url = Some(gatehouse::server::config::PublicUrl(format!(
            "http://127.0.0.1:{port}"
        )));
        settings.access_rules = super::rules(super::RULES);
    })
    .await;
    let client = reqwest::Client::new();
    let response = client
        .get(format!("http://{local}:{port}/auth/verify"))
        .header("x-original-url", "http://public.app.test/")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

fn local_non_loopback_address() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback()).then_some(ip)
}

/// Whatever a proxy passes on as the original address, an address Gatehouse cannot read as the
/// app would (or one on a host no rule names) never gets a 200, nor a 5xx, under a rule that lets
/// every readable address on its host through.
#[test]
fn garbage_original_addresses_never_pass() {
    use proptest::{prelude::*, test_runner::TestRunner};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let port = crate::support::cluster::free_port();
    let f = runtime.block_on(crate::support::fixture_on(
        &format!("127.0.0.1:{port}"),
        |settings| {
            settings.public_url = Some(gatehouse::server::config::PublicUrl(format!(
                "http://127.0.0.1:{port}"
            )));
            settings.access_rules =
                super::rules("[[gatehouse.access]]\nhost = \"app.test\"\npolicy = \"bypass\"\n");
        },
    ));
    let browser = f.app.browser();
    let bad_token = prop_oneof![
        Just("%2f"),
        Just("%2F"),
        Just("%5c"),
        Just("\\"),
        Just("..;"),
        Just(" "),
        Just("%00"),
        Just("\t"),
        Just("%ff"),
        Just("\u{7f}"),
    ];
    let garbage = prop_oneof![
        "\\PC{0,60}",
        // A token the app behind could read differently, at the start of a path segment (and
        // inside the header's value: a proxy strips the spaces around it).
        (
            "https?://app\\.test/([a-z]{1,5}/){0,2}",
            bad_token,
            "[a-z][a-z/]{0,5}"
        )
            .prop_map(|(a, b, c)| format!("{a}{b}{c}")),
        "https?://[a-z]{1,5}(:[a-z]{0,5})?@app\\.test/[a-z]{0,5}",
        "https?://app\\.test[\\\\@][a-z.]{1,10}/",
        "https?://[a-z]{1,8}\\.(evil|app\\.test\\.evil)/[a-z]{0,5}",
        "(ftp|javascript|data|file)://app\\.test/[a-z]{0,5}",
        "//app\\.test/[a-z]{0,5}|/[a-z]{0,9}|app\\.test/[a-z]{0,5}|https?:app\\.test/",
    ];
    let mut runner = TestRunner::new(proptest::test_runner::Config {
        cases: 400,
        ..Default::default()
    });
    runner
        .run(&garbage, |raw| {
            let asked = runtime.block_on(async {
                let header = reqwest::header::HeaderValue::from_bytes(raw.as_bytes());
                let mut request = browser.client.get(browser.url("/auth/verify"));
                if let Ok(header) = header {
                    request = request.header("x-original-url", header);
                }
                request.send().await.map(|response| response.status())
            });
            if let Ok(status) = asked {
                prop_assert!(
                    status != StatusCode::OK && !status.is_server_error(),
                    "{raw:?}: {status}"
                );
            }
            Ok(())
        })
        .unwrap();
}
