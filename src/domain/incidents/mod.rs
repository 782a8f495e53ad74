//! Incidents (SPEC R6.1, R8.1): what operations staff record about a failure, read from form
//! input into a valid value (`input`), and the monthly reliability report against the R6.1
//! targets (`report`). Pure: the clock is always passed in.
pub mod input;
pub mod report;

pub use input::{IncidentInput, NewIncident, Problem, Scope};
pub use report::{MeanMinutes, MonthlyReport, Verdict};
