//! Projects: the list on the dashboard, creation, and each project's page.
pub mod detail;
pub mod labels;
pub mod list;
pub mod new;
pub mod notifications;
