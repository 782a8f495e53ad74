//! The log-in ID (R1.2): 4-20 of a-z 0-9 . _ -, starting with a letter, unique regardless of case.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginIdError {
    Empty,
    TooShort,
    TooLong,
    InvalidCharacter,
    MustStartWithLetter,
}

impl LoginIdError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "login_id_empty",
            Self::TooShort => "login_id_too_short",
            Self::TooLong => "login_id_too_long",
            Self::InvalidCharacter => "login_id_invalid_character",
            Self::MustStartWithLetter => "login_id_must_start_with_letter",
        }
    }
}

pub const LOGIN_ID_MIN: usize = 4;
pub const LOGIN_ID_MAX: usize = 20;

/// A log-in ID: 4-20 of a-z 0-9 . _ -, starting with a letter. Input is lower-cased, so
/// "Hong" and "hong" are the same ID (unique regardless of case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginId(String);

impl LoginId {
    /// Checks in a fixed order (empty, characters, first letter, length) so the message names
    /// the most useful problem first.
    pub fn parse(raw: &str) -> Result<Self, LoginIdError> {
        let s = raw.trim().to_ascii_lowercase();
        if s.is_empty() {
            return Err(LoginIdError::Empty);
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        {
            return Err(LoginIdError::InvalidCharacter);
        }
        if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err(LoginIdError::MustStartWithLetter);
        }
        let n = s.chars().count();
        if n < LOGIN_ID_MIN {
            return Err(LoginIdError::TooShort);
        }
        if n > LOGIN_ID_MAX {
            return Err(LoginIdError::TooLong);
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_id_rules_in_order() {
        assert_eq!(LoginId::parse("  ").unwrap_err(), LoginIdError::Empty);
        assert_eq!(
            LoginId::parse("hong gil").unwrap_err(),
            LoginIdError::InvalidCharacter
        );
        assert_eq!(
            LoginId::parse("홍길동이").unwrap_err(),
            LoginIdError::InvalidCharacter
        );
        assert_eq!(
            LoginId::parse("ｈｏｎｇ").unwrap_err(),
            LoginIdError::InvalidCharacter
        );
        assert_eq!(
            LoginId::parse("café").unwrap_err(),
            LoginIdError::InvalidCharacter
        );
        assert_eq!(
            LoginId::parse("1hong").unwrap_err(),
            LoginIdError::MustStartWithLetter
        );
        assert_eq!(
            LoginId::parse(".hong").unwrap_err(),
            LoginIdError::MustStartWithLetter
        );
        assert_eq!(LoginId::parse("abc").unwrap_err(), LoginIdError::TooShort);
        assert_eq!(
            LoginId::parse(&"a".repeat(21)).unwrap_err(),
            LoginIdError::TooLong
        );
    }

    #[test]
    fn login_id_boundaries_and_case() {
        assert_eq!(LoginId::parse("abcd").unwrap().as_str(), "abcd");
        assert_eq!(
            LoginId::parse(&"a".repeat(20)).unwrap().as_str(),
            "a".repeat(20)
        );
        assert_eq!(
            LoginId::parse(" Hong.Gil_dong-1 ").unwrap().as_str(),
            "hong.gil_dong-1"
        );
    }
}
