//! Domain prefixes: the project's address is `{prefix}.{service domain}`.
use serde::{Deserialize, Serialize};

pub const PREFIX_MIN: usize = 3;
pub const PREFIX_MAX: usize = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PrefixError {
    Empty,
    TooShort,
    TooLong,
    InvalidCharacter,
    MustStartWithLetter,
    EndsWithHyphen,
    DoubleHyphen,
    Reserved,
}

impl PrefixError {
    /// Every error, for a page that needs each one's message ahead of time (the new-project
    /// island gets them all as props).
    pub const ALL: [PrefixError; 8] = [
        Self::Empty,
        Self::TooShort,
        Self::TooLong,
        Self::InvalidCharacter,
        Self::MustStartWithLetter,
        Self::EndsWithHyphen,
        Self::DoubleHyphen,
        Self::Reserved,
    ];

    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "prefix_empty",
            Self::TooShort => "prefix_too_short",
            Self::TooLong => "prefix_too_long",
            Self::InvalidCharacter => "prefix_invalid_character",
            Self::MustStartWithLetter => "prefix_must_start_with_letter",
            Self::EndsWithHyphen => "prefix_ends_with_hyphen",
            Self::DoubleHyphen => "prefix_double_hyphen",
            Self::Reserved => "prefix_reserved",
        }
    }
}

/// Names that belong to the service itself, or that customers would mistake for it.
pub const RESERVED: &[&str] = &[
    "abuse",
    "account",
    "accounts",
    "admin",
    "administrator",
    "api",
    "apm",
    "app",
    "apps",
    "assets",
    "auth",
    "beta",
    "billing",
    "blog",
    "cdn",
    "ci",
    "console",
    "dashboard",
    "demo",
    "dev",
    "docs",
    "example",
    "ftp",
    "git",
    "grafana",
    "help",
    "hostmaster",
    "imap",
    "internal",
    "localhost",
    "login",
    "logout",
    "mail",
    "media",
    "metrics",
    "monitor",
    "monitoring",
    "mx",
    "noc",
    "ns1",
    "ns2",
    "null",
    "oauth",
    "pay",
    "payment",
    "pop",
    "portal",
    "postmaster",
    "prometheus",
    "root",
    "security",
    "signup",
    "smtp",
    "sso",
    "staging",
    "static",
    "status",
    "status-page",
    "support",
    "test",
    "undefined",
    "vpn",
    "webmaster",
    "www",
];

pub fn is_reserved(s: &str) -> bool {
    RESERVED.contains(&s)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainPrefix(String);

impl DomainPrefix {
    /// Upper-case input is lowered (DNS is case-insensitive); anything outside a-z 0-9 '-'
    /// (including non-ASCII letters, which would need punycode) is refused.
    pub fn parse(raw: &str) -> Result<Self, PrefixError> {
        let s = raw.trim().to_ascii_lowercase();
        if s.is_empty() {
            return Err(PrefixError::Empty);
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(PrefixError::InvalidCharacter);
        }
        let n = s.len();
        if n < PREFIX_MIN {
            return Err(PrefixError::TooShort);
        }
        if n > PREFIX_MAX {
            return Err(PrefixError::TooLong);
        }
        if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err(PrefixError::MustStartWithLetter);
        }
        if s.ends_with('-') {
            return Err(PrefixError::EndsWithHyphen);
        }
        // "xn--" and friends are IDN markers; a double hyphen anywhere is refused.
        if s.contains("--") {
            return Err(PrefixError::DoubleHyphen);
        }
        if is_reserved(&s) {
            return Err(PrefixError::Reserved);
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn address(&self, service_domain: &str) -> String {
        format!("{}.{service_domain}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `ALL` holds each error at its place; the match stops compiling when one is added.
    #[test]
    fn all_lists_every_error_once() {
        for (i, e) in PrefixError::ALL.iter().enumerate() {
            let place = match e {
                PrefixError::Empty => 0,
                PrefixError::TooShort => 1,
                PrefixError::TooLong => 2,
                PrefixError::InvalidCharacter => 3,
                PrefixError::MustStartWithLetter => 4,
                PrefixError::EndsWithHyphen => 5,
                PrefixError::DoubleHyphen => 6,
                PrefixError::Reserved => 7,
            };
            assert_eq!(place, i);
        }
    }

    #[test]
    fn lengths_2_3_30_31() {
        assert_eq!(DomainPrefix::parse("ab"), Err(PrefixError::TooShort));
        assert_eq!(DomainPrefix::parse("abc").unwrap().as_str(), "abc");
        assert!(DomainPrefix::parse(&"a".repeat(30)).is_ok());
        assert_eq!(
            DomainPrefix::parse(&"a".repeat(31)),
            Err(PrefixError::TooLong)
        );
    }

    #[test]
    fn each_rule() {
        assert_eq!(DomainPrefix::parse("   "), Err(PrefixError::Empty));
        assert_eq!(
            DomainPrefix::parse("my_shop"),
            Err(PrefixError::InvalidCharacter)
        );
        assert_eq!(
            DomainPrefix::parse("my.shop"),
            Err(PrefixError::InvalidCharacter)
        );
        assert_eq!(
            DomainPrefix::parse("my shop"),
            Err(PrefixError::InvalidCharacter)
        );
        assert_eq!(
            DomainPrefix::parse("1shop"),
            Err(PrefixError::MustStartWithLetter)
        );
        assert_eq!(
            DomainPrefix::parse("-shop"),
            Err(PrefixError::MustStartWithLetter)
        );
        assert_eq!(
            DomainPrefix::parse("shop-"),
            Err(PrefixError::EndsWithHyphen)
        );
        assert_eq!(
            DomainPrefix::parse("my--shop"),
            Err(PrefixError::DoubleHyphen)
        );
        assert_eq!(
            DomainPrefix::parse("xn--shop"),
            Err(PrefixError::DoubleHyphen)
        );
        assert_eq!(
            DomainPrefix::parse("my-shop-2").unwrap().as_str(),
            "my-shop-2"
        );
    }

    #[test]
    fn upper_case_is_lowered() {
        assert_eq!(DomainPrefix::parse("  MyShop ").unwrap().as_str(), "myshop");
        assert_eq!(DomainPrefix::parse("WWW"), Err(PrefixError::Reserved));
    }

    #[test]
    fn unicode_is_refused() {
        for s in ["쇼핑몰", "ｓｈｏｐ", "shöp", "İstanbul", "shop\u{200b}x"] {
            assert_eq!(
                DomainPrefix::parse(s),
                Err(PrefixError::InvalidCharacter),
                "{s}"
            );
        }
    }

    #[test]
    fn reserved_words() {
        for w in [
            "www",
            "api",
            "admin",
            "mail",
            "support",
            "status",
            "status-page",
            "apm",
        ] {
            assert_eq!(DomainPrefix::parse(w), Err(PrefixError::Reserved), "{w}");
        }
        assert!(
            DomainPrefix::parse("www2").is_ok(),
            "only the exact word is reserved"
        );
    }

    #[test]
    fn address() {
        assert_eq!(
            DomainPrefix::parse("shop")
                .unwrap()
                .address("apm.example.kr"),
            "shop.apm.example.kr"
        );
    }

    /// The rules, written out again independently of `parse`, for the property tests.
    fn satisfies_every_rule(v: &str) -> bool {
        (PREFIX_MIN..=PREFIX_MAX).contains(&v.len())
            && v.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && v.starts_with(|c: char| c.is_ascii_lowercase())
            && !v.ends_with('-')
            && !v.contains("--")
            && !is_reserved(v)
    }

    /// Text made of what prefixes are made of: mostly letters and digits in both cases, some
    /// hyphens, reserved words and IDN markers, leading digits, stray spaces.
    fn from_the_prefix_alphabet() -> impl Strategy<Value = String> {
        let first = prop_oneof![
            8 => "[a-zA-Z]",
            1 => "[0-9-]",
            1 => proptest::sample::select(RESERVED).prop_map(str::to_string),
            1 => Just("xn--".to_string()),
        ];
        let piece = prop_oneof![8 => "[a-zA-Z0-9]{1,6}", 1 => Just("-".to_string())];
        (" ?", first, proptest::collection::vec(piece, 0..10), " ?")
            .prop_map(|(lead, first, rest, trail)| format!("{lead}{first}{}{trail}", rest.concat()))
    }

    proptest! {
        // Drawn from the prefix alphabet, so both sides are exercised: measured over 10,000
        // draws, 55% are valid, reserved words refuse 1% and each other rule (too short, too
        // long, first character, double or trailing hyphen) 7-10%.
        #[test]
        fn text_from_the_prefix_alphabet_is_accepted_exactly_when_every_rule_holds(
            s in from_the_prefix_alphabet()
        ) {
            let normalised = s.trim().to_ascii_lowercase();
            match DomainPrefix::parse(&s) {
                Ok(p) => {
                    prop_assert_eq!(p.as_str(), normalised.as_str());
                    prop_assert!(satisfies_every_rule(p.as_str()));
                    prop_assert_eq!(DomainPrefix::parse(p.as_str()), Ok(p.clone()));
                }
                Err(_) => prop_assert!(!satisfies_every_rule(&normalised), "{s:?} refused"),
            }
        }

        // Any text at all: almost none of it is a valid prefix, so this one guards the refusals
        // (non-ASCII, controls, look-alikes) rather than the acceptances.
        #[test]
        fn arbitrary_text_is_accepted_only_when_every_rule_holds(s in "\\PC{0,40}") {
            if let Ok(p) = DomainPrefix::parse(&s) {
                let v = p.as_str();
                prop_assert!((3..=30).contains(&v.len()));
                prop_assert!(v.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
                prop_assert!(v.starts_with(|c: char| c.is_ascii_lowercase()));
                prop_assert!(!v.ends_with('-') && !v.contains("--") && !is_reserved(v));
                prop_assert_eq!(DomainPrefix::parse(v), Ok(p.clone()));
            }
        }

        #[test]
        fn well_formed_prefixes_are_accepted(s in "[a-z][a-z0-9]{2,29}") {
            prop_assume!(!is_reserved(&s));
            prop_assert!(DomainPrefix::parse(&s).is_ok());
        }
    }
}
