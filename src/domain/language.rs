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

/// The language a visitor reads the portal in, chosen as leptos_i18n chooses it: the language
/// cookie, then the browser's `Accept-Language` (highest weight first), then Korean.
pub fn choose(cookie: Option<&str>, accept_language: Option<&str>) -> Language {
    if let Some(l) = cookie.and_then(|c| Language::from_code(c.trim())) {
        return l;
    }
    let mut wanted: Vec<(u16, Language)> = accept_language
        .unwrap_or_default()
        .split(',')
        .filter_map(|entry| {
            let mut parts = entry.split(';');
            let tag = parts.next()?.trim().to_ascii_lowercase();
            let primary = tag.split('-').next()?;
            let language = Language::from_code(primary)?;
            let weight =
                parts
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1000), |q| {
                        q.trim()
                            .parse::<f32>()
                            .ok()
                            .map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16)
                    })?;
            (weight > 0).then_some((weight, language))
        })
        .collect();
    // Stable: of equal weights the first listed wins.
    wanted.sort_by_key(|w| std::cmp::Reverse(w.0));
    wanted.first().map_or(Language::default(), |(_, l)| *l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_wins_then_the_browser_then_korean() {
        assert_eq!(choose(Some("en"), Some("ko-KR")), Language::En);
        assert_eq!(choose(Some("ko"), Some("en-US")), Language::Ko);
        assert_eq!(choose(Some("fr"), Some("en-US,en;q=0.9")), Language::En);
        assert_eq!(choose(None, None), Language::Ko);
        assert_eq!(choose(None, Some("")), Language::Ko);
        assert_eq!(choose(None, Some("fr-FR,de;q=0.5")), Language::Ko);
    }

    #[test]
    fn accept_language_weights_are_honoured() {
        assert_eq!(choose(None, Some("en-US,en;q=0.9,ko;q=0.8")), Language::En);
        assert_eq!(
            choose(None, Some("ko-KR,ko;q=0.9,en-US;q=0.8")),
            Language::Ko
        );
        assert_eq!(
            choose(None, Some("fr;q=1, en;q=0.4, ko;q=0.6")),
            Language::Ko
        );
        assert_eq!(choose(None, Some("en;q=0, ko;q=0.1")), Language::Ko);
        assert_eq!(choose(None, Some("en;q=0")), Language::Ko);
        assert_eq!(choose(None, Some("EN-gb")), Language::En);
        assert_eq!(choose(None, Some("en;q=abc, ko")), Language::Ko);
    }

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
