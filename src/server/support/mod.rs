//! Support use cases (SPEC R8): the only caller of `db::support`. Pages, form handlers and
//! the API call these; the rules come from `domain::support`.
pub mod attachments;
pub mod calendar;
pub mod demo;
pub mod forms;
pub mod tickets;
pub mod views;

use crate::model::StaffRole;

/// Support agents and admins work tickets; billing and operations may only read them.
pub fn works_tickets(role: StaffRole) -> bool {
    matches!(role, StaffRole::Support | StaffRole::Admin)
}

/// The holiday calendar is the admins' to edit.
pub fn edits_calendar(role: StaffRole) -> bool {
    matches!(role, StaffRole::Admin)
}
