//! Who is asking: the client's IP address (from the socket, or from `X-Forwarded-For` only when
//! the socket is a configured trusted proxy) and its user agent.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::http::HeaderMap;

use super::config::TrustedProxies;
use crate::i18n::{catalogue::text, Language};

#[derive(Debug, Clone)]
pub struct Client {
    pub ip: IpAddr,
    pub user_agent: String,
    /// The language the client is answered in (see `i18n::catalogue::choose`): the browser's
    /// until `guard::resolve_viewer` knows the account's saved choice. Pages and errors are
    /// worded in it, and so is a mail to an address without an account.
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

/// A logged event's device, described in the reader's language; empty when the event recorded none.
pub fn describe_logged_device(user_agent: Option<&str>) -> String {
    user_agent.map(describe_device).unwrap_or_default()
}

/// "Firefox on Linux" from a user agent, in the language of the page being rendered.
pub fn describe_device(user_agent: &str) -> String {
    Device::of(user_agent).describe_in(crate::i18n::language())
}

/// The browsers and systems a user agent may name: a needle to look for, and the name we show.
/// The first that matches wins (Edge and Opera also say "Chrome/", every engine says "Safari/").
const BROWSERS: [(&str, &str); 7] = [
    ("Firefox/", "Firefox"),
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chrome"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
];
const SYSTEMS: [(&str, &str); 8] = [
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
    ("X11", "Linux"),
];

/// The browser and the system a user agent names, as far as we can tell. A queued notice keeps it
/// as its identity ("Firefox on Linux"), and the mail describes it in the recipient's language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Device {
    browser: Option<&'static str>,
    system: Option<&'static str>,
}

impl Device {
    pub fn of(user_agent: &str) -> Device {
        let find = |list: &[(&str, &'static str)]| {
            list.iter()
                .find(|(needle, _)| user_agent.contains(needle))
                .map(|(_, name)| *name)
        };
        Device {
            browser: find(&BROWSERS),
            system: find(&SYSTEMS),
        }
    }

    /// "Firefox on Linux", "Unbekannter Browser unter Android": for a page or a mail in `language`.
    pub fn describe_in(self, language: Language) -> String {
        let browser = match self.browser {
            Some(browser) => browser.to_string(),
            None => text(language, "", "device-unknown-browser", &[]),
        };
        match self.system {
            Some(system) => text(
                language,
                "",
                "device-on",
                &[("browser", browser.into()), ("system", system.into())],
            ),
            None => browser,
        }
    }

    /// What makes a device the same as one seen before, whatever language its pages are in. It is
    /// the English description earlier versions signed and queued, so devices they remembered stay
    /// known and their queued notices still name the device.
    pub fn identity(self) -> String {
        let browser = self.browser.unwrap_or("Unknown browser");
        match self.system {
            Some(system) => format!("{browser} on {system}"),
            None => browser.to_string(),
        }
    }
}

impl serde::Serialize for Device {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.identity())
    }
}

impl<'de> serde::Deserialize<'de> for Device {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Device, D::Error> {
        let identity = String::deserialize(deserializer)?;
        let (browser, system) = identity.split_once(" on ").unwrap_or((&identity, ""));
        let named = |list: &[(&str, &'static str)], name: &str| {
            list.iter().map(|(_, known)| *known).find(|known| *known == name)
        };
        Ok(Device {
            browser: named(&BROWSERS, browser),
            system: named(&SYSTEMS, system),
        })
    }
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
        let english = |agent| Device::of(agent).describe_in(Language::English);
        assert_eq!(english(firefox), "Firefox on Linux");
        assert_eq!(english(iphone), "Safari on iOS");
        assert_eq!(english("curl/8.5.0"), "curl");
        assert_eq!(english(""), "Unknown browser");
        assert_eq!(
            Device::of("Mozilla/5.0 (Linux; Android 14)").describe_in(Language::German),
            "Unbekannter Browser unter Android"
        );
        for agent in [
            firefox,
            iphone,
            "curl/8.5.0",
            "",
            "Mozilla/5.0 (X11; Linux x86_64)",
        ] {
            let device = Device::of(agent);
            assert_eq!(device.identity(), english(agent), "{agent}");
            let queued = serde_json::to_string(&device).unwrap();
            assert_eq!(
                serde_json::from_str::<Device>(&queued).unwrap(),
                device,
                "{agent}"
            );
        }
    }
}
