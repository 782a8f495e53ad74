//! The client's IP: the socket peer, or, when the portal runs behind proxies we run, the
//! address our outermost proxy saw. Each proxy appends the address it received the request
//! from to `X-Forwarded-For`, so only the rightmost `trusted_proxies` entries were written by
//! us; everything left of them is whatever the client chose to send and is never used.
use axum::extract::ConnectInfo;
use http::Request;
use std::net::{IpAddr, SocketAddr};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// How the portal is reached, from the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProxyTrust {
    pub trust_forwarded_for: bool,
    /// Proxies of ours in front of the portal; the client is the entry this far from the right.
    pub trusted_proxies: usize,
}

impl ProxyTrust {
    pub const NONE: ProxyTrust = ProxyTrust {
        trust_forwarded_for: false,
        trusted_proxies: 0,
    };
}

/// The client address from the `X-Forwarded-For` values (in header order): the
/// `trusted_proxies`-th entry from the right. None when there are fewer entries than proxies
/// or that entry is not an address; the caller then falls back to the socket peer rather
/// than to an entry the client may have written.
pub fn from_forwarded_for<'a>(
    values: impl IntoIterator<Item = &'a str>,
    trusted_proxies: usize,
) -> Option<IpAddr> {
    if trusted_proxies == 0 {
        return None;
    }
    let entries: Vec<&str> = values
        .into_iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let index = entries.len().checked_sub(trusted_proxies)?;
    parse_entry(entries.get(index)?)
}

/// An address, optionally with a port (`203.0.113.7:4711`, `[2001:db8::1]:443`).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(|ip| ip.to_canonical())
}

pub fn from_request<B>(req: &Request<B>, trust: ProxyTrust) -> ClientIp {
    if trust.trust_forwarded_for {
        let values = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok());
        if let Some(ip) = from_forwarded_for(values, trust.trusted_proxies) {
            return ClientIp(ip);
        }
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| ClientIp(c.0.ip().to_canonical()))
        .unwrap_or(ClientIp(IpAddr::from([127, 0, 0, 1])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn one_proxy_means_the_rightmost_entry() {
        assert_eq!(from_forwarded_for(["203.0.113.7"], 1), ip("203.0.113.7"));
        assert_eq!(
            from_forwarded_for(["10.0.0.1, 203.0.113.7"], 1),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn spoofed_leftmost_entries_are_ignored() {
        // The client sent "1.2.3.4, 5.6.7.8"; our proxy appended the address it really saw.
        assert_eq!(
            from_forwarded_for(["1.2.3.4, 5.6.7.8, 198.51.100.9"], 1),
            ip("198.51.100.9")
        );
        // Two proxies of ours: the second appended the first's address.
        assert_eq!(
            from_forwarded_for(["1.2.3.4, 198.51.100.9, 10.0.0.2"], 2),
            ip("198.51.100.9")
        );
    }

    #[test]
    fn several_header_lines_read_as_one_list() {
        assert_eq!(
            from_forwarded_for(["1.2.3.4", "198.51.100.9, 10.0.0.2"], 2),
            ip("198.51.100.9")
        );
        assert_eq!(
            from_forwarded_for(["1.2.3.4", "198.51.100.9"], 1),
            ip("198.51.100.9")
        );
    }

    #[test]
    fn too_few_entries_or_no_trusted_proxy_give_nothing() {
        assert_eq!(from_forwarded_for(["198.51.100.9"], 2), None);
        assert_eq!(from_forwarded_for(["198.51.100.9"], 0), None);
        assert_eq!(from_forwarded_for([], 1), None);
    }

    #[test]
    fn garbage_at_the_trusted_position_is_not_skipped_over() {
        assert_eq!(from_forwarded_for(["1.2.3.4, unknown"], 1), None);
        assert_eq!(from_forwarded_for(["1.2.3.4, "], 1), None);
        assert_eq!(from_forwarded_for(["1.2.3.4, 999.1.1.1"], 1), None);
        assert_eq!(from_forwarded_for(["1.2.3.4, <script>"], 1), None);
        assert_eq!(from_forwarded_for([""], 1), None);
    }

    #[test]
    fn ipv6_and_ports_are_understood() {
        assert_eq!(
            from_forwarded_for(["1.2.3.4, 2001:db8::7"], 1),
            ip("2001:db8::7")
        );
        assert_eq!(
            from_forwarded_for(["[2001:db8::7]:443"], 1),
            ip("2001:db8::7")
        );
        assert_eq!(
            from_forwarded_for(["203.0.113.7:4711"], 1),
            ip("203.0.113.7")
        );
        assert_eq!(
            from_forwarded_for(["::ffff:203.0.113.7"], 1),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn without_trust_the_header_is_ignored() {
        let req = Request::builder()
            .header("x-forwarded-for", "203.0.113.7")
            .body(())
            .unwrap();
        assert_eq!(
            from_request(&req, ProxyTrust::NONE),
            ClientIp(IpAddr::from([127, 0, 0, 1]))
        );
        let trusted = ProxyTrust {
            trust_forwarded_for: true,
            trusted_proxies: 1,
        };
        assert_eq!(
            from_request(&req, trusted),
            ClientIp(IpAddr::from([203, 0, 113, 7]))
        );
    }
}
