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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginProblem {
    /// A wrong ID and a wrong password give the same answer.
    InvalidCredentials,
    /// Too many recent failures on this account: wait this many seconds.
    SlowDown { seconds: i64 },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginOutcome {
    pub ok: bool,
    pub login_id: String,
    pub problem: Option<LoginProblem>,
    /// Where to go after a successful log-in.
    pub next: String,
    pub failure: Option<String>,
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
