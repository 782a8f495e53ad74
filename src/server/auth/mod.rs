//! Who is asking: sessions, password hashing, CSRF and request limits.
pub mod client_ip;
pub mod csrf;
pub mod password;
pub mod rate_limit;
pub mod session;

pub use session::{Auth, AuthSession};
