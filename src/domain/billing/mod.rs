//! Billing rules (issue 18): KST calendar months, KRW rounding, versioned price tables and
//! the invoice computation. Pure: no clock, no database; everything is handed in.
pub mod capacity_days;
pub mod credit_note;
pub mod estimate;
pub mod invoice;
pub mod money;
pub mod month;
pub mod paid;
pub mod paid_usage;
pub mod payment;
pub mod prices;
pub mod reminder;

pub use month::BillingMonth;
