//! Sign-up fields, parsed into values that are valid by construction (R1.2, R1.3).
//! One file per field; the types are re-exported here so `domain::account::X` is their path.
mod email;
mod login_id;
mod names;
mod password;
mod phone;

pub use email::*;
pub use login_id::*;
pub use names::*;
pub use password::*;
pub use phone::*;
