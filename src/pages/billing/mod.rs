//! Usage and billing pages (issue 18): the public price list, a customer's invoices.
pub mod invoices;
pub mod prices;
pub mod usage;
