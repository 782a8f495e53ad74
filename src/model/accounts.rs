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

/// What a sign-up came to. A failure that is not the visitor's input is the server
/// function's `AppError` (with the request id), never one of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SignUpOutcome {
    /// The account exists and the visitor is signed in.
    SignedUp,
    /// Nothing was stored: what to fix, and the values to show again (never the password).
    Refused {
        values: SignUpValues,
        errors: SignUpErrors,
    },
}

impl SignUpOutcome {
    pub fn values(&self) -> SignUpValues {
        match self {
            Self::SignedUp => SignUpValues::default(),
            Self::Refused { values, .. } => values.clone(),
        }
    }

    pub fn errors(&self) -> SignUpErrors {
        match self {
            Self::SignedUp => SignUpErrors::default(),
            Self::Refused { errors, .. } => errors.clone(),
        }
    }
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

/// What a password change came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PasswordChangeOutcome {
    /// Changed: every other session ended, every API token revoked, this session rotated.
    Changed,
    /// Nothing changed; each field's problem, all at once.
    Refused(PasswordChangeProblems),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChangeProblems {
    pub wrong_current: bool,
    pub password: Vec<PasswordRule>,
    pub mismatch: bool,
}

impl PasswordChangeOutcome {
    pub fn problems(&self) -> PasswordChangeProblems {
        match self {
            Self::Changed => PasswordChangeProblems::default(),
            Self::Refused(p) => p.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactValues {
    pub name: String,
    pub company: String,
    pub email: String,
    pub phone: String,
}

/// What a change of contact details came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ContactOutcome {
    /// Stored; the values as stored (normalised: the phone in display form).
    Saved { values: ContactValues },
    /// Nothing stored: each field's problem, and the values as typed.
    Refused {
        values: ContactValues,
        problems: ContactProblems,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactProblems {
    pub name: Option<NameError>,
    pub company: Option<NameError>,
    pub email: Option<EmailProblem>,
    pub phone: Option<PhoneError>,
}

impl ContactOutcome {
    pub fn values(&self) -> &ContactValues {
        match self {
            Self::Saved { values } | Self::Refused { values, .. } => values,
        }
    }

    pub fn problems(&self) -> ContactProblems {
        match self {
            Self::Saved { .. } => ContactProblems::default(),
            Self::Refused { problems, .. } => problems.clone(),
        }
    }
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
