//! The applicant's name and optional company name (R1.3).
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NameError {
    Empty,
    TooLong,
    Invalid,
}

impl NameError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "name_empty",
            Self::TooLong => "name_too_long",
            Self::Invalid => "name_invalid",
        }
    }
}

fn parse_text(raw: &str, max: usize) -> Result<String, NameError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(NameError::Empty);
    }
    if s.chars().count() > max {
        return Err(NameError::TooLong);
    }
    if s.chars().any(char::is_control) {
        return Err(NameError::Invalid);
    }
    Ok(s.to_string())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        parse_text(raw, 50).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyName(String);

impl CompanyName {
    /// The company is optional: blank means none.
    pub fn parse_optional(raw: &str) -> Result<Option<Self>, NameError> {
        if raw.trim().is_empty() {
            return Ok(None);
        }
        parse_text(raw, 100).map(|s| Some(Self(s)))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(PersonName::parse(" 홍길동 ").unwrap().as_str(), "홍길동");
        assert_eq!(PersonName::parse(" "), Err(NameError::Empty));
        assert!(PersonName::parse(&"가".repeat(50)).is_ok());
        assert_eq!(PersonName::parse(&"가".repeat(51)), Err(NameError::TooLong));
        assert_eq!(PersonName::parse("a\tb"), Err(NameError::Invalid));
        assert_eq!(CompanyName::parse_optional("  "), Ok(None));
        assert_eq!(
            CompanyName::parse_optional(" 에이피엠 ")
                .unwrap()
                .unwrap()
                .as_str(),
            "에이피엠"
        );
        assert_eq!(
            CompanyName::parse_optional(&"c".repeat(101)),
            Err(NameError::TooLong)
        );
    }
}
