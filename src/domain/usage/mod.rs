//! Usage: what the monitoring platform reports per project, metric and hour (issue 18).
//!
//! Quantities are exact decimals, kept as whole millionths (`Quantity`) so the database can
//! store and sum them as BIGINT on both backends (sqlx::Any carries no NUMERIC). The list of
//! metrics is data (the `usage_metrics` table); `record` checks one reported record against
//! it, `batch` folds a batch into the writes to make, `threshold` says when a month's usage
//! has crossed a customer's threshold.
pub mod batch;
pub mod daily;
pub mod quantity;
pub mod record;
pub mod threshold;

pub use quantity::{Quantity, QuantityError};
pub use record::{Catalog, Metric, Rejection, UsageRecord};
