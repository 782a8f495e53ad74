//! Support (SPEC R8): business-hours arithmetic, the holiday calendar's initial data, the
//! incident clocks (R8.3), tickets and their attachments, and safe Markdown.
pub mod attachment;
pub mod business_hours;
pub mod clocks;
pub mod holidays;
#[cfg(feature = "ssr")]
pub mod markdown;
pub mod ticket;
