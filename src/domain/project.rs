//! The project's own name (the prefix has its own module).
use serde::{Deserialize, Serialize};

pub const PROJECT_NAME_MAX: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProjectNameError {
    Empty,
    TooLong,
    Invalid,
}

impl ProjectNameError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "name_empty",
            Self::TooLong => "name_too_long",
            Self::Invalid => "name_invalid",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectName(String);

impl ProjectName {
    /// Any language is fine ("결제 서비스 운영"); surrounding spaces go, control characters
    /// (which would break lists and logs) are refused.
    pub fn parse(raw: &str) -> Result<Self, ProjectNameError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(ProjectNameError::Empty);
        }
        if s.chars().count() > PROJECT_NAME_MAX {
            return Err(ProjectNameError::TooLong);
        }
        if s.chars().any(char::is_control) {
            return Err(ProjectNameError::Invalid);
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_accepts_any_script() {
        assert_eq!(
            ProjectName::parse("  결제 서비스  ").unwrap().as_str(),
            "결제 서비스"
        );
        assert_eq!(ProjectName::parse("Shop API").unwrap().as_str(), "Shop API");
    }

    #[test]
    fn refuses_empty_long_and_control_characters() {
        assert_eq!(ProjectName::parse("   "), Err(ProjectNameError::Empty));
        assert!(ProjectName::parse(&"가".repeat(50)).is_ok());
        assert_eq!(
            ProjectName::parse(&"가".repeat(51)),
            Err(ProjectNameError::TooLong)
        );
        assert_eq!(ProjectName::parse("a\nb"), Err(ProjectNameError::Invalid));
        assert_eq!(
            ProjectName::parse("a\u{7}b"),
            Err(ProjectNameError::Invalid)
        );
    }
}
