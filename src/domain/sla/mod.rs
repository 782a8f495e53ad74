//! Availability and SLA credits (SPEC R3, issue 17): probe minutes -> outages -> excluded
//! periods -> availability -> tier -> credit, and the monthly statement that shows them all.
//! Pure: results, plan history, windows, policy and charges are handed in.
pub mod availability;
pub mod credit;
pub mod exclusions;
pub mod input;
pub mod outages;
pub mod policy;
pub mod probe;
pub mod retention;
pub mod span;
pub mod statement;
