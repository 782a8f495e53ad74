//! Which hosts a URL target may name. URL checks run from our cloud, so an address inside our
//! own network (or the cloud's metadata service) would turn the probe against us
//! (server-side request forgery); a customer's private network is out of its reach anyway.
//!
//! Resolvers and browsers read many spellings of one IPv4 address (`127.1`, `0x7f.0.0.1`,
//! `0177.0.0.1`, `127.000.000.001`, `169.254.43518`, `2130706433`), so rather than decode them
//! all, a host that looks like a number is accepted only as a canonical dotted quad outside
//! the refused ranges. Host names are checked again when the probe resolves them (a public
//! name can point at a private address; that is the probe's job, not this one's).
use std::net::{Ipv4Addr, Ipv6Addr};

/// Suffixes that never name a public host (RFC 6761, RFC 6762, RFC 8375, and the `.internal`
/// names cloud providers use, such as `metadata.google.internal`).
const PRIVATE_SUFFIXES: [&str; 5] = ["localhost", "local", "internal", "home.arpa", "localdomain"];

/// Whether a URL target may name `host` (the authority without port; IPv6 in brackets).
pub fn public_url_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[') {
        return inner
            .strip_suffix(']')
            .and_then(|ip| ip.parse::<Ipv6Addr>().ok())
            .is_some_and(|ip| !internal_v6(ip));
    }
    // `localhost.` is `localhost`: a fully qualified name ends in a dot.
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    // WHATWG URL parsing treats a host whose last label is a number as IPv4 (then `1.2.3.0x4`
    // and `example.123` are addresses, or invalid); so do we.
    if labels.last().is_some_and(|l| numeric_looking(l))
        || labels.iter().all(|l| numeric_looking(l))
    {
        return canonical_dotted_quad(&host).is_some_and(|ip| !internal_v4(ip));
    }
    !PRIVATE_SUFFIXES
        .iter()
        .any(|s| host == *s || host.ends_with(&format!(".{s}")))
}

/// Decimal digits, or `0x` and hex digits (`0x` alone is 0 to inet_aton and browsers).
fn numeric_looking(label: &str) -> bool {
    let hex = label
        .strip_prefix("0x")
        .is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit()));
    hex || (!label.is_empty() && label.chars().all(|c| c.is_ascii_digit()))
}

/// Four decimal labels 0-255 without leading zeros (std's parser refuses `010`, which
/// inet_aton would read as octal 8).
fn canonical_dotted_quad(host: &str) -> Option<Ipv4Addr> {
    let ip: Ipv4Addr = host.parse().ok()?;
    (ip.to_string() == host).then_some(ip)
}

/// 0/8 "this network", 10/8, 100.64/10 (carrier NAT), 127/8, 169.254/16 (link-local and the
/// metadata service), 172.16/12, 192.0.0/24 (protocol assignments), 192.168/16, 198.18/15
/// (benchmarking), 224/4 multicast and 240/4 reserved (with the broadcast address).
pub fn internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    a == 0
        || a == 10
        || (a == 100 && (64..128).contains(&b))
        || a == 127
        || (a == 169 && b == 254)
        || (a == 172 && (16..32).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 192 && b == 168)
        || (a == 198 && (b == 18 || b == 19))
        || a >= 224
}

/// Loopback, unspecified, link-local, unique-local (fc00::/7), site-local, multicast, and
/// every form that carries an IPv4 address (mapped, compatible, NAT64, 6to4) when that address
/// is refused.
pub fn internal_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let embedded = |hi: u16, lo: u16| internal_v4(Ipv4Addr::from(((hi as u32) << 16) | lo as u32));
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (s[0] & 0xffc0) == 0xfe80
        || (s[0] & 0xffc0) == 0xfec0
        || (s[0] & 0xfe00) == 0xfc00
        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (the deprecated compatible form).
        || (s[..5] == [0; 5] && (s[5] == 0xffff || s[5] == 0) && embedded(s[6], s[7]))
        // 64:ff9b::a.b.c.d and 64:ff9b:1::/48 (NAT64), 2002:AABB:CCDD::/48 (6to4).
        || (s[0] == 0x64 && s[1] == 0xff9b && embedded(s[6], s[7]))
        || (s[0] == 0x2002 && embedded(s[1], s[2]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_of_hosts() {
        let table: &[(&str, bool)] = &[
            // Public names and canonical public addresses.
            ("shop.example.com", true),
            ("example.co.kr", true),
            ("api.example.com", true),
            ("1.2.3.example.com", true),
            ("0x7f.example.com", true),
            ("cafe.be", true),
            ("localhost.example.com", true),
            ("internal.example.com", true),
            ("8.8.8.8", true),
            ("203.0.113.7", true),
            ("1.1.1.1", true),
            ("223.255.255.255", true),
            ("100.63.255.255", true),
            ("100.128.0.1", true),
            ("172.15.0.1", true),
            ("172.32.0.1", true),
            ("198.17.255.255", true),
            ("198.20.0.1", true),
            ("169.253.0.1", true),
            ("[2606:4700:4700::1111]", true),
            ("[2001:db8::1]", true),
            ("[::ffff:8.8.8.8]", true),
            ("[64:ff9b::808:808]", true),
            ("[2002:808:808::1]", true),
            // Loopback in every spelling.
            ("127.0.0.1", false),
            ("127.1", false),
            ("127.0.1", false),
            ("0x7f.0.0.1", false),
            ("0X7F.0.0.1", false),
            ("0x7f000001", false),
            ("0177.0.0.1", false),
            ("0177.1", false),
            ("127.000.000.001", false),
            ("2130706433", false),
            ("127.0.0.1.", false),
            ("localhost.", false),
            ("metadata.google.internal.", false),
            ("127.255.255.254", false),
            // The metadata service, likewise.
            ("169.254.169.254", false),
            ("169.254.43518", false),
            ("0xa9.0xfe.0xa9.0xfe", false),
            ("0xa9fea9fe", false),
            ("2852039166", false),
            ("0251.0376.0251.0376", false),
            ("metadata.google.internal", false),
            ("METADATA.GOOGLE.INTERNAL", false),
            ("instance-data.ec2.internal", false),
            // A numeric host is refused unless canonical, even when it would be public.
            ("8.8.2056", false),
            ("08.8.8.8", false),
            ("8.8.8.0x8", false),
            ("134744072", false),
            ("1.2.3.4.5", false),
            ("256.1.1.1", false),
            ("example.123", false),
            ("0x", false),
            ("0x.0x.0x.0x", false),
            // Refused ranges.
            ("0.0.0.0", false),
            ("0.1.2.3", false),
            ("10.0.0.1", false),
            ("100.64.0.1", false),
            ("100.127.255.255", false),
            ("172.16.5.4", false),
            ("172.31.255.255", false),
            ("192.0.0.170", false),
            ("192.168.0.10", false),
            ("198.18.0.1", false),
            ("198.19.255.255", false),
            ("224.0.0.1", false),
            ("239.255.255.250", false),
            ("240.0.0.1", false),
            ("255.255.255.255", false),
            // Names that never leave the local network.
            ("localhost", false),
            ("app.localhost", false),
            ("printer.local", false),
            ("db.internal", false),
            ("router.home.arpa", false),
            ("host.localdomain", false),
            // IPv6 literals.
            ("[::1]", false),
            ("[::]", false),
            ("[0:0:0:0:0:0:0:1]", false),
            ("[fe80::1]", false),
            ("[febf::1]", false),
            ("[fec0::1]", false),
            ("[fc00::1]", false),
            ("[fd12:3456::1]", false),
            ("[ff02::1]", false),
            ("[::ffff:127.0.0.1]", false),
            ("[::ffff:7f00:1]", false),
            ("[::ffff:169.254.169.254]", false),
            ("[::ffff:10.0.0.1]", false),
            ("[::127.0.0.1]", false),
            ("[64:ff9b::a9fe:a9fe]", false),
            ("[64:ff9b::127.0.0.1]", false),
            ("[2002:7f00:1::]", false),
            ("[2002:a9fe:a9fe::1]", false),
            ("[fe80::1%25eth0]", false),
            ("[not-an-ip]", false),
            ("[::1", false),
        ];
        for (host, public) in table {
            assert_eq!(public_url_host(host), *public, "{host}");
        }
    }
}
