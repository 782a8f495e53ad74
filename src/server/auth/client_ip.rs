//! The client's IP: the socket peer, or the first X-Forwarded-For hop when configured to
//! trust a proxy we run (otherwise anyone could pick their own rate-limit bucket).
use axum::extract::ConnectInfo;
use http::Request;
use std::net::{IpAddr, SocketAddr};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

pub fn from_request<B>(req: &Request<B>, trust_forwarded_for: bool) -> ClientIp {
    if trust_forwarded_for {
        let forwarded = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok());
        if let Some(ip) = forwarded {
            return ClientIp(ip);
        }
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| ClientIp(c.0.ip()))
        .unwrap_or(ClientIp(IpAddr::from([127, 0, 0, 1])))
}
