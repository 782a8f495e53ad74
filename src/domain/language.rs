//! The portal's two languages (Korean by default, English), as kept with an account and used
//! for what reaches a customer outside the portal (e-mail).
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Language {
    #[default]
    Ko,
    En,
}

impl Language {
    /// The stored code, the same as leptos_i18n's locale names and the `/locale/{code}` path.
    pub fn code(self) -> &'static str {
        match self {
            Self::Ko => "ko",
            Self::En => "en",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        [Self::Ko, Self::En].into_iter().find(|l| l.code() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_korean_is_the_default() {
        for l in [Language::Ko, Language::En] {
            assert_eq!(Language::from_code(l.code()), Some(l));
        }
        assert_eq!(Language::from_code("fr"), None);
        assert_eq!(Language::from_code("KO"), None);
        assert_eq!(Language::default(), Language::Ko);
    }
}
