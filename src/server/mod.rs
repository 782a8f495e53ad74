//! Everything that runs only on the server: configuration, storage, sessions, HTTP plumbing.
pub mod accounts;
pub mod api;
pub mod api_tokens;
pub mod auth;
pub mod config;
pub mod context;
pub mod db;
pub mod demo;
pub mod demo_projects;
pub mod flash;
pub mod http;
pub mod jobs;
pub mod locale;
pub mod projects;
pub mod staff;
pub mod startup;
pub mod telemetry;
