//! Who a client is: IPv4 clients of a dual-stack listener are IPv4 clients (not one shared IPv6
//! /64), also when matched against the trusted proxies; an unreadable forwarded hop does not make
//! every client the proxy.

use reqwest::StatusCode;

use crate::support::{fixture_on, per, shipped_limits};

fn one_failure_per_client(s: &mut gatehouse::server::config::Settings) {
    shipped_limits(s);
    s.login_failures_per_ip = per(1, 3600);
}

async fn second_is_refused(first: &crate::support::Browser, second: &crate::support::Browser) -> bool {
    assert_eq!(
        first.try_login("nobody", "wrong password!", "").await.0,
        StatusCode::UNAUTHORIZED
    );
    match second.try_login("somebody", "wrong password!", "").await.0 {
        StatusCode::TOO_MANY_REQUESTS => true,
        StatusCode::UNAUTHORIZED => false,
        other => panic!("unexpected {other}"),
    }
}

#[tokio::test]
async fn behind_a_proxy_on_a_dual_stack_listener_clients_keep_their_own_buckets() {
    // The proxy is configured as the IPv4 address it is; the dual-stack socket reports it as
    // ::ffff:127.0.0.1.
    let f = fixture_on("[::]:0", |s| {
        one_failure_per_client(s);
        s.trusted_proxies = gatehouse::server::config::SettingValue::parse_setting("127.0.0.1").unwrap();
    })
    .await;
    let (first, second) = (
        f.app.browser_from("198.51.100.1"),
        f.app.browser_from("198.51.100.2"),
    );
    assert!(
        !second_is_refused(&first, &second).await,
        "two clients, two buckets"
    );
    let again = f.app.browser_from("198.51.100.1");
    assert_eq!(
        again.try_login("anyone", "wrong password!", "").await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn an_unreadable_hop_written_by_a_client_does_not_merge_everyone_into_the_proxy() {
    let f = fixture_on("127.0.0.1:0", |s| {
        one_failure_per_client(s);
        s.trusted_proxies = gatehouse::server::config::SettingValue::parse_setting("127.0.0.1").unwrap();
    })
    .await;
    let first = f.app.browser_from("garbage, 198.51.100.1");
    let second = f.app.browser_from("unknown, 198.51.100.2");
    assert!(
        !second_is_refused(&first, &second).await,
        "each is the hop the proxy saw"
    );
}
