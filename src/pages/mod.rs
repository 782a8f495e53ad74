//! One module per area of the product; each page's server functions beside it.
pub mod account;
pub mod account_tokens;
pub mod admin;
pub mod auth;
pub mod billing;
pub mod dashboard;
pub mod forms;
pub mod help;
pub mod home;
pub mod incidents;
pub mod layout;
pub mod legal;
pub mod not_found;
pub mod plan_terms;
pub mod projects;
pub mod sla;
pub mod support;
