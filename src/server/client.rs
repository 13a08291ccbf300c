//! Who is asking: the client's IP address (from the socket, or from `X-Forwarded-For` only when
//! the socket is a configured trusted proxy) and its user agent.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderMap},
    middleware::Next,
    response::Response,
};
use ipnet::IpNet;

use super::state::AppState;

const MAX_USER_AGENT_CHARS: usize = 256;

#[derive(Debug, Clone)]
pub struct Client {
    pub ip: IpAddr,
    pub user_agent: String,
}

impl Client {
    /// The key per-client limits count under. An IPv6 client usually holds a whole /64, so it
    /// counts as one client.
    pub fn limit_key(&self) -> String {
        match self.ip {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => {
                let prefix = u128::from(ip) & !((1u128 << 64) - 1);
                format!("{}/64", Ipv6Addr::from(prefix))
            }
        }
    }
}

/// Attaches a [`Client`] to every request, for server functions and middleware to read.
pub async fn identify_client(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let client = Client {
        ip: client_ip(peer, request.headers(), &state.settings.trusted_proxies),
        user_agent: request
            .headers()
            .get(header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .chars()
            .take(MAX_USER_AGENT_CHARS)
            .collect(),
    };
    request.extensions_mut().insert(client);
    next.run(request).await
}

/// Walks `X-Forwarded-For` from the right (the hop our proxy added) past every trusted proxy;
/// the first address that is not one is the client. A peer that is not a trusted proxy is
/// the client itself, whatever headers it sends.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted_proxies: &[IpNet]) -> IpAddr {
    let trusted = |ip: &IpAddr| trusted_proxies.iter().any(|net| net.contains(ip));
    if !trusted(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|hop| hop.trim().parse::<IpAddr>())
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    forwarded
        .iter()
        .rev()
        .find(|hop| !trusted(hop))
        .or(forwarded.first())
        .copied()
        .unwrap_or(peer)
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

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let stranger: IpAddr = "198.51.100.9".parse().unwrap();
        let trusted = ["10.0.0.0/8".parse().unwrap()];
        let headers = forwarded("1.2.3.4, 203.0.113.7");
        assert_eq!(
            client_ip(stranger, &headers, &trusted),
            stranger,
            "a stranger's header is ignored"
        );
        assert_eq!(
            client_ip(proxy, &headers, &[]),
            proxy,
            "no proxy is trusted by default"
        );
        assert_eq!(
            client_ip(proxy, &headers, &trusted),
            "203.0.113.7".parse::<IpAddr>().unwrap(),
            "the hop the proxy saw"
        );
        assert_eq!(
            client_ip(proxy, &forwarded("203.0.113.7, 10.0.0.5"), &trusted),
            "203.0.113.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_ip(proxy, &forwarded("garbage"), &trusted), proxy);
        assert_eq!(client_ip(proxy, &HeaderMap::new(), &trusted), proxy);
    }

    #[test]
    fn ipv6_clients_are_limited_per_64() {
        let client = |ip: &str| Client {
            ip: ip.parse().unwrap(),
            user_agent: String::new(),
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
