//! Who is asking: the client's IP address (from the socket, or from `X-Forwarded-For` only when
//! the socket is a configured trusted proxy) and its user agent.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::http::HeaderMap;

use super::config::TrustedProxies;
use crate::i18n::Language;

#[derive(Debug, Clone)]
pub struct Client {
    pub ip: IpAddr,
    pub user_agent: String,
    /// The language the client is answered in (see `i18n::catalogue::choose`): what a mail to an
    /// address without an account is written in.
    pub language: Language,
}

impl Client {
    /// The key per-client limits count under. An IPv6 client usually holds a whole /64, so it
    /// counts as one client.
    pub fn limit_key(&self) -> String {
        match self.ip.to_canonical() {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => {
                let prefix = u128::from(ip) & !((1u128 << 64) - 1);
                format!("{}/64", Ipv6Addr::from(prefix))
            }
        }
    }
}

/// The client's address. A peer that is not a trusted proxy is the client itself, whatever headers
/// it sends. Behind trusted proxies, `X-Forwarded-For` is walked from the right (the hop our own
/// proxy added) past every trusted proxy, and the first hop that is not one is the client. A hop
/// that cannot be read as an address was written by someone we do not trust, so the client is the
/// last trusted hop before it. Addresses are canonical: on a dual-stack socket an IPv4 client
/// arrives as `::ffff:a.b.c.d`, and is the IPv4 client `a.b.c.d` here.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted_proxies: &TrustedProxies) -> IpAddr {
    let mut client = peer.to_canonical();
    if !trusted_proxies.contains(&client) {
        return client;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    for hop in hops.iter().rev() {
        let Some(address) = parse_hop(hop) else {
            return client;
        };
        client = address;
        if !trusted_proxies.contains(&client) {
            return client;
        }
    }
    client
}

/// `203.0.113.7`, `2001:db8::1`, and the forms some proxies write with a port: `203.0.113.7:4711`,
/// `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|address| address.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

/// A logged event's device, described; empty when the event recorded none.
pub fn describe_logged_device(user_agent: Option<&str>) -> String {
    user_agent.map(describe_device).unwrap_or_default()
}

/// "Firefox on Linux" from a user agent, for the session list.
pub fn describe_device(user_agent: &str) -> String {
    let has = |needle: &str| user_agent.contains(needle);
    let browser = if has("Firefox/") {
        "Firefox"
    } else if has("Edg/") {
        "Edge"
    } else if has("OPR/") {
        "Opera"
    } else if has("Chrome/") || has("Chromium/") {
        "Chrome"
    } else if has("Safari/") {
        "Safari"
    } else if has("curl/") {
        "curl"
    } else {
        "Unknown browser"
    };
    let system = if has("Android") {
        "Android"
    } else if has("iPhone") || has("iPad") {
        "iOS"
    } else if has("Windows") {
        "Windows"
    } else if has("Mac OS X") || has("Macintosh") {
        "macOS"
    } else if has("Linux") || has("X11") {
        "Linux"
    } else {
        return browser.to_string();
    };
    format!("{browser} on {system}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    fn trusted(ranges: &str) -> TrustedProxies {
        crate::server::config::SettingValue::parse_setting(ranges).unwrap()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let proxy = ip("10.0.0.2");
        let stranger = ip("198.51.100.9");
        let trusted = trusted("10.0.0.0/8");
        let headers = forwarded("1.2.3.4, 203.0.113.7");
        assert_eq!(
            client_ip(stranger, &headers, &trusted),
            stranger,
            "a stranger's header is ignored"
        );
        assert_eq!(
            client_ip(proxy, &headers, &TrustedProxies::default()),
            proxy,
            "no proxy is trusted by default"
        );
        assert_eq!(
            client_ip(proxy, &headers, &trusted),
            ip("203.0.113.7"),
            "the hop the proxy saw"
        );
        assert_eq!(
            client_ip(proxy, &forwarded("203.0.113.7, 10.0.0.5"), &trusted),
            ip("203.0.113.7")
        );
        assert_eq!(client_ip(proxy, &HeaderMap::new(), &trusted), proxy);
    }

    #[test]
    fn an_unreadable_hop_does_not_discard_the_chain() {
        let proxy = ip("10.0.0.2");
        let trusted = trusted("10.0.0.0/8");
        // The client wrote garbage into the header; our proxy appended what it saw.
        assert_eq!(
            client_ip(proxy, &forwarded("garbage, 203.0.113.7"), &trusted),
            ip("203.0.113.7")
        );
        assert_eq!(
            client_ip(proxy, &forwarded("unknown, 203.0.113.7:4711"), &trusted),
            ip("203.0.113.7")
        );
        assert_eq!(
            client_ip(proxy, &forwarded("[2001:db8::7]:4711"), &trusted),
            ip("2001:db8::7")
        );
        // Garbage right of a trusted hop: the client is the last trusted hop we could read.
        assert_eq!(
            client_ip(proxy, &forwarded("203.0.113.7, 10.0.0.9, junk"), &trusted),
            proxy
        );
        assert_eq!(
            client_ip(proxy, &forwarded("203.0.113.7, junk, 10.0.0.9"), &trusted),
            ip("10.0.0.9")
        );
    }

    #[test]
    fn ipv4_mapped_addresses_are_ipv4_clients_and_proxies() {
        let trusted = trusted("10.0.0.0/8");
        let mapped_client = ip("::ffff:203.0.113.7");
        assert_eq!(
            client_ip(mapped_client, &HeaderMap::new(), &trusted),
            ip("203.0.113.7")
        );
        let mapped_proxy = ip("::ffff:10.0.0.2");
        assert_eq!(
            client_ip(mapped_proxy, &forwarded("::ffff:198.51.100.1"), &trusted),
            ip("198.51.100.1")
        );
        let key = |peer: &str| {
            Client {
                ip: client_ip(ip(peer), &HeaderMap::new(), &trusted),
                user_agent: String::new(),
                language: Default::default(),
            }
            .limit_key()
        };
        assert_eq!(key("::ffff:203.0.113.7"), "203.0.113.7");
        assert_ne!(
            key("::ffff:203.0.113.7"),
            key("::ffff:203.0.113.8"),
            "two IPv4 clients, two buckets"
        );
    }

    #[test]
    fn ipv6_clients_are_limited_per_64() {
        let client = |ip: &str| Client {
            ip: ip.parse().unwrap(),
            user_agent: String::new(),
            language: Default::default(),
        };
        assert_eq!(
            client("2001:db8:1:2:aaaa::1").limit_key(),
            client("2001:db8:1:2:bbbb::2").limit_key()
        );
        assert_ne!(
            client("2001:db8:1:2::1").limit_key(),
            client("2001:db8:1:3::1").limit_key()
        );
        assert_eq!(client("192.0.2.1").limit_key(), "192.0.2.1");
    }

    #[test]
    fn describes_common_devices() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(describe_device(firefox), "Firefox on Linux");
        assert_eq!(describe_device(iphone), "Safari on iOS");
        assert_eq!(describe_device("curl/8.5.0"), "curl");
        assert_eq!(describe_device(""), "Unknown browser");
    }
}
