//! Business rules: pure functions and types, no I/O, the clock always passed in.
//! Compiled for the browser too (live feedback while typing), so nothing here may touch the
//! system clock, files or threads.
pub mod account;
pub mod address;
pub mod api_token;
pub mod billing;
pub mod capacity;
#[cfg(feature = "ssr")]
pub mod common_passwords;
pub mod help;
pub mod incidents;
pub mod kst;
pub mod language;
pub mod lifecycle;
pub mod plan;
pub mod platform_token;
pub mod prefix;
pub mod project;
pub mod punctuation;
pub mod redirect;
pub mod session;
pub mod sla;
pub mod stored;
pub mod support;
pub mod target;
#[cfg(test)]
pub mod test_time;
pub mod throttle;
pub mod usage;
