//! What the account forms send back: per-field problems (as typed codes the UI translates)
//! and the values to keep in the form. Never a password.
use crate::domain::account::{EmailError, LoginIdError, NameError, PasswordRule, PhoneError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginIdProblem {
    Invalid(LoginIdError),
    Taken,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmailProblem {
    Invalid(EmailError),
    Taken,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUpValues {
    pub login_id: String,
    pub name: String,
    pub company: String,
    pub email: String,
    pub phone: String,
    pub agree_terms: bool,
    pub agree_privacy: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUpErrors {
    pub login_id: Option<LoginIdProblem>,
    pub password: Vec<PasswordRule>,
    pub password_mismatch: bool,
    pub name: Option<NameError>,
    pub company: Option<NameError>,
    pub email: Option<EmailProblem>,
    pub phone: Option<PhoneError>,
    pub terms_missing: bool,
    pub privacy_missing: bool,
}

impl SignUpErrors {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUpOutcome {
    pub ok: bool,
    pub values: SignUpValues,
    pub errors: SignUpErrors,
    /// Something went wrong that is not the visitor's input: the request id to quote.
    pub failure: Option<String>,
}

/// The error code of a request turned away because too many password checks are waiting
/// (HTTP 503 with Retry-After), and the seconds it asks to wait.
pub const SERVER_BUSY_CODE: &str = "server_busy";
pub const BUSY_RETRY_AFTER_SECONDS: u64 = 2;

/// What a log-in attempt came to. Every variant but `LoggedIn` keeps the typed ID and the
/// page to go to, for the form shown again (never the password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome")]
pub enum LoginOutcome {
    /// Signed in (the session cookie is set); where to go now.
    LoggedIn { next: String },
    /// A wrong ID and a wrong password give the same answer.
    InvalidCredentials { login_id: String, next: String },
    /// Too many recent failures for this ID from this network (or on the ID as a whole):
    /// nothing was checked; try again in this many seconds.
    SlowDown {
        seconds: i64,
        login_id: String,
        next: String,
    },
    /// Too many password checks already waiting on the server: try again in this many seconds.
    Busy {
        seconds: i64,
        login_id: String,
        next: String,
    },
}

impl LoginOutcome {
    /// The ID to show in the form again.
    pub fn kept_login_id(&self) -> &str {
        match self {
            Self::LoggedIn { .. } => "",
            Self::InvalidCredentials { login_id, .. }
            | Self::SlowDown { login_id, .. }
            | Self::Busy { login_id, .. } => login_id,
        }
    }

    pub fn next(&self) -> &str {
        match self {
            Self::LoggedIn { next }
            | Self::InvalidCredentials { next, .. }
            | Self::SlowDown { next, .. }
            | Self::Busy { next, .. } => next,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChangeOutcome {
    pub ok: bool,
    pub wrong_current: bool,
    pub password: Vec<PasswordRule>,
    pub mismatch: bool,
    pub failure: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactValues {
    pub name: String,
    pub company: String,
    pub email: String,
    pub phone: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactOutcome {
    pub ok: bool,
    pub values: ContactValues,
    pub name: Option<NameError>,
    pub company: Option<NameError>,
    pub email: Option<EmailProblem>,
    pub phone: Option<PhoneError>,
    pub failure: Option<String>,
}

/// The account page's view of the signed-in customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub login_id: String,
    pub contact: ContactValues,
    pub consents: Vec<ConsentView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentView {
    pub kind: String,
    pub version: String,
    pub accepted_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalDocView {
    pub kind: String,
    pub version: String,
    pub effective_date: String,
    pub title: String,
    pub paragraphs: Vec<String>,
}
