//! The password rule (SPEC R1.2 with its decisions) and the normalisation applied before
//! hashing, checking and comparing the confirmation.
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasswordRule {
    MinLength,
    MaxLength,
    HasLetter,
    HasDigit,
    HasSpecial,
    NotContainingId,
    NotContainingEmail,
    NotCommon,
}

impl PasswordRule {
    /// Every rule, in the order the checklist shows them.
    pub const ALL: [PasswordRule; 8] = [
        Self::MinLength,
        Self::MaxLength,
        Self::HasLetter,
        Self::HasDigit,
        Self::HasSpecial,
        Self::NotContainingId,
        Self::NotContainingEmail,
        Self::NotCommon,
    ];

    pub fn code(&self) -> &'static str {
        match self {
            Self::MinLength => "min_length",
            Self::MaxLength => "max_length",
            Self::HasLetter => "has_letter",
            Self::HasDigit => "has_digit",
            Self::HasSpecial => "has_special",
            Self::NotContainingId => "not_containing_id",
            Self::NotContainingEmail => "not_containing_email",
            Self::NotCommon => "not_common",
        }
    }
}

/// NFKC, so a password typed with full-width characters on one keyboard ("Ｐａｓｓ１！")
/// matches the same password typed with ASCII on another. Applied before hashing and
/// before verifying.
pub fn normalise_password(raw: &str) -> String {
    raw.nfkc().collect()
}

/// Whether the confirmation is the same password: compared after the same normalisation as
/// the password itself, so "Ｐａｓｓ１！" confirms "Pass1!" (they hash the same).
pub fn same_password(password: &str, confirmation: &str) -> bool {
    normalise_password(password) == normalise_password(confirmation)
}

fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

/// How the rules read characters. The server's verdict uses Unicode normalisation (`Nfkc`);
/// the browser's live checklist uses `LightFold`, which needs no tables, so the NFC/NFKC
/// data (tens of KB) stays out of the WASM. They agree on ASCII and full-width forms, which
/// is what keyboards type; for anything rarer the server's answer after submitting decides.
trait CharFold {
    /// The characters as typed (what the length rules count).
    fn typed(raw: &str) -> Vec<char>;
    /// What one typed character becomes, when that is a single character; None when it
    /// expands (`㎒` is "MHz": one symbol typed, not three letters).
    fn single(c: char) -> Option<char>;
    /// The whole password as it is hashed (what the ID and e-mail rules look at).
    fn whole(raw: &str) -> String;
}

struct Nfkc;

impl CharFold for Nfkc {
    fn typed(raw: &str) -> Vec<char> {
        raw.nfc().collect()
    }
    fn single(c: char) -> Option<char> {
        let mut mapped = std::iter::once(c).nfkc();
        let first = mapped.next()?;
        mapped.next().is_none().then_some(first)
    }
    fn whole(raw: &str) -> String {
        normalise_password(raw)
    }
}

/// Full-width ASCII (U+FF01-U+FF5E) and the ideographic space fold to ASCII, as NFKC does;
/// every other character stays itself.
#[cfg_attr(feature = "ssr", allow(dead_code))]
struct LightFold;

#[cfg_attr(feature = "ssr", allow(dead_code))]
impl LightFold {
    fn fold(c: char) -> char {
        match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        }
    }
}

impl CharFold for LightFold {
    fn typed(raw: &str) -> Vec<char> {
        raw.chars().collect()
    }
    fn single(c: char) -> Option<char> {
        Some(Self::fold(c))
    }
    fn whole(raw: &str) -> String {
        raw.chars().map(Self::fold).collect()
    }
}

/// The checklist's reading of characters: the real one on the server, the light one in the
/// browser (see `CharFold`).
#[cfg(feature = "ssr")]
type ChecklistFold = Nfkc;
#[cfg(not(feature = "ssr"))]
type ChecklistFold = LightFold;

/// Every rule the browser can check while the user types (all but the common-password list),
/// in display order, each with whether it passes. Character rules look at the characters as
/// typed (NFC); the ID and e-mail rules at the NFKC form that is hashed. In the browser the
/// folding is approximate (see `CharFold`); `Password::parse` always uses the exact one.
pub fn password_checklist(raw: &str, login_id: &str, email: &str) -> Vec<(PasswordRule, bool)> {
    checklist::<ChecklistFold>(raw, login_id, email)
}

fn checklist<F: CharFold>(raw: &str, login_id: &str, email: &str) -> Vec<(PasswordRule, bool)> {
    let typed = F::typed(raw);
    let n = typed.len();
    let pw = F::whole(raw);
    let id = login_id.trim();
    let local = email.trim().split('@').next().unwrap_or("");
    // A Latin letter (SPEC R1.2: 영문), typed in ASCII or full-width; Hangul, accented and
    // other letters are allowed in a password but do not count.
    let latin_letter = |c: char| F::single(c).is_some_and(|m| m.is_ascii_alphabetic());
    let digit = |c: char| F::single(c).is_some_and(|m| m.is_ascii_digit());
    vec![
        (PasswordRule::MinLength, n >= PASSWORD_MIN_CHARS),
        (PasswordRule::MaxLength, n <= PASSWORD_MAX_CHARS),
        (
            PasswordRule::HasLetter,
            typed.iter().any(|c| latin_letter(*c)),
        ),
        (PasswordRule::HasDigit, typed.iter().any(|c| digit(*c))),
        // Visible punctuation or symbols only: a space, a zero-width or soft hyphen, a
        // control or format character is not what anyone means by "special character".
        (
            PasswordRule::HasSpecial,
            typed
                .iter()
                .any(|c| crate::domain::punctuation::is_punctuation_or_symbol(*c)),
        ),
        (
            PasswordRule::NotContainingId,
            id.chars().count() < 3 || !contains_ci(&pw, id),
        ),
        (
            PasswordRule::NotContainingEmail,
            local.chars().count() < 3 || !contains_ci(&pw, local),
        ),
    ]
}

/// A password that meets every rule, NFKC-normalised, never truncated.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    /// All failing rules, so the form can show every one at once.
    pub fn parse(raw: &str, login_id: &str, email: &str) -> Result<Self, Vec<PasswordRule>> {
        let failing: Vec<PasswordRule> = checklist::<Nfkc>(raw, login_id, email)
            .into_iter()
            .filter(|(_, ok)| !ok)
            .map(|(r, _)| r)
            .collect();
        let normalised = normalise_password(raw);
        #[cfg(feature = "ssr")]
        let failing = {
            let mut failing = failing;
            if crate::domain::common_passwords::is_common(&normalised) {
                failing.push(PasswordRule::NotCommon);
            }
            failing
        };
        if failing.is_empty() {
            Ok(Self(normalised))
        } else {
            Err(failing)
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failing(pw: &str) -> Vec<PasswordRule> {
        Password::parse(pw, "hong.gd", "gildong@example.com")
            .err()
            .unwrap_or_default()
    }

    /// The sign-up island labels the checklist's rules from `ALL`: a rule missing there would
    /// show without its text. (Not-common is checked on the server only.)
    #[test]
    fn every_rule_of_the_checklist_is_in_all() {
        let listed: Vec<PasswordRule> = password_checklist("", "", "")
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        assert_eq!(listed.len(), 7);
        assert!(listed.iter().all(|r| PasswordRule::ALL.contains(r)));
        for (i, r) in PasswordRule::ALL.iter().enumerate() {
            assert!(!PasswordRule::ALL[i + 1..].contains(r), "{r:?} twice");
        }
    }

    #[test]
    fn password_product_rule_letter_digit_special_eight() {
        assert_eq!(failing("Abcd-2026"), vec![]);
        assert_eq!(failing("Abc-201"), vec![PasswordRule::MinLength]);
        assert_eq!(failing("Abcdefgh!"), vec![PasswordRule::HasDigit]);
        assert_eq!(failing("12345678!"), vec![PasswordRule::HasLetter]);
        assert_eq!(failing("Abcdefg12"), vec![PasswordRule::HasSpecial]);
        assert_eq!(
            failing("Abcd 2026"),
            vec![PasswordRule::HasSpecial],
            "a space is not special"
        );
        assert_eq!(
            failing(""),
            vec![
                PasswordRule::MinLength,
                PasswordRule::HasLetter,
                PasswordRule::HasDigit,
                PasswordRule::HasSpecial
            ]
        );
    }

    #[test]
    fn password_lengths_count_characters_not_bytes() {
        assert_eq!(
            failing("가나다라a1!"),
            vec![PasswordRule::MinLength],
            "7 characters"
        );
        assert_eq!(failing("가나다라마a1!"), vec![], "8 Hangul-rich characters");
        let long = format!("{}a1!", "가".repeat(125));
        assert_eq!(failing(&long), vec![], "128 accepted whole");
        assert_eq!(
            Password::parse(&long, "", "")
                .unwrap()
                .expose()
                .chars()
                .count(),
            128,
            "never truncated"
        );
        assert_eq!(
            failing(&format!("{}a1!", "가".repeat(126))),
            vec![PasswordRule::MaxLength]
        );
        assert_eq!(
            failing(&format!("{}1!", "x".repeat(62))),
            vec![],
            "64 ASCII characters"
        );
    }

    #[test]
    fn the_letter_must_be_latin() {
        assert_eq!(
            failing("가나다라마바1!"),
            vec![PasswordRule::HasLetter],
            "Hangul is allowed but is not the letter"
        );
        assert_eq!(failing("éééééé1!"), vec![PasswordRule::HasLetter]);
        assert_eq!(failing("ДДДДДД1!"), vec![PasswordRule::HasLetter]);
        assert_eq!(failing("가나다라마바a1!"), vec![]);
        assert_eq!(
            failing("가나다라마바Ａ1!"),
            vec![],
            "full-width Latin counts"
        );
        assert_eq!(
            failing("가나다라마㎒1!"),
            vec![PasswordRule::HasLetter],
            "a symbol that expands to letters is still a symbol"
        );
    }

    #[test]
    fn special_means_visible_punctuation_or_symbol() {
        for invisible in [
            '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{AD}', '\u{7}',
            '\u{1B}', '\u{85}', '\u{202E}', '\u{301}', '\u{FE0F}', ' ', '\u{3000}', '\u{E000}',
        ] {
            assert_eq!(
                failing(&format!("Abcdefg1{invisible}")),
                vec![PasswordRule::HasSpecial],
                "U+{:04X}",
                invisible as u32
            );
        }
        for visible in ['!', '~', '₩', '·', '★', '。', '！', '㎒', '€', '😀'] {
            assert_eq!(failing(&format!("Hxqzwvk7{visible}")), vec![], "{visible}");
        }
    }

    #[test]
    fn length_counts_characters_as_typed_not_their_nfkc_expansion() {
        assert_eq!(
            failing("A1!㎒㎒"),
            vec![PasswordRule::MinLength],
            "5 characters typed, 9 after NFKC"
        );
        assert_eq!(failing("A1!㎒㎒㎒㎒㎒"), vec![]);
        // A decomposed é (e + combining accent) is one character as typed, like the composed one.
        assert_eq!(
            failing("Ab1!e\u{301}e\u{301}e\u{301}"),
            vec![PasswordRule::MinLength]
        );
        assert_eq!(failing("Ab1!e\u{301}e\u{301}e\u{301}e\u{301}"), vec![]);
        let typed = format!("{}a1!", "㎒".repeat(125));
        assert_eq!(failing(&typed), vec![], "128 typed, 378 after NFKC");
        assert_eq!(
            failing(&format!("㎒{typed}")),
            vec![PasswordRule::MaxLength]
        );
    }

    #[test]
    fn the_confirmation_is_compared_after_the_same_normalisation() {
        assert!(same_password("Ｖａｌｉｄ１！", "Valid1!"));
        assert!(same_password("Pass-é-2026", "Pass-e\u{301}-2026"));
        assert!(same_password("Valid-pass-2026!", "Valid-pass-2026!"));
        assert!(!same_password("Valid-pass-2026!", "Valid-pass-2026"));
        assert!(!same_password("Valid-pass-2026!", "valid-pass-2026!"));
        assert!(!same_password("Valid-pass-2026!", ""));
    }

    #[test]
    fn password_is_nfkc_normalised() {
        let full_width = Password::parse("Ｖａｌｉｄ－ｐａｓｓ－２０２６！", "", "").unwrap();
        assert_eq!(full_width.expose(), "Valid-pass-2026!");
        assert_eq!(normalise_password("Ｖａｌｉｄ１！"), "Valid1!");
    }

    #[test]
    fn password_may_not_contain_id_or_email_name() {
        assert_eq!(
            failing("xHONG.GDx-2026"),
            vec![PasswordRule::NotContainingId]
        );
        assert_eq!(
            failing("my-Gildong-2026"),
            vec![PasswordRule::NotContainingEmail]
        );
        // Too short to matter: a two-letter ID or e-mail name would forbid half the alphabet.
        assert!(Password::parse("ab-2026-xyz", "ab", "ab@example.com").is_ok());
    }

    #[test]
    fn common_passwords_are_refused_on_the_server() {
        assert_eq!(failing("P@ssw0rd"), vec![PasswordRule::NotCommon]);
        assert_eq!(failing("qwer1234!"), vec![PasswordRule::NotCommon]);
    }

    #[test]
    fn checklist_leaves_the_common_list_to_the_server() {
        let rules: Vec<_> = password_checklist("P@ssw0rd", "", "")
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        assert!(!rules.contains(&PasswordRule::NotCommon));
        assert!(
            password_checklist("P@ssw0rd", "", "")
                .iter()
                .all(|(_, ok)| *ok)
        );
    }

    #[test]
    fn the_browser_fold_never_passes_a_character_the_server_refuses() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let light = LightFold::single(c);
            let exact = Nfkc::single(c);
            if light.is_some_and(|m| m.is_ascii_alphanumeric()) {
                assert_eq!(light, exact, "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn the_browser_fold_agrees_on_what_keyboards_type() {
        for c in ('\u{20}'..='\u{7E}').chain('\u{FF01}'..='\u{FF5E}') {
            assert_eq!(LightFold::single(c), Nfkc::single(c), "U+{:04X}", c as u32);
        }
        for pw in [
            "Ｖａｌｉｄ－ｐａｓｓ－２０２６！",
            "xHONG.GDx-2026",
            "가나다라마바Ａ1!",
            "",
        ] {
            assert_eq!(
                checklist::<LightFold>(pw, "hong.gd", "gildong@example.com"),
                checklist::<Nfkc>(pw, "hong.gd", "gildong@example.com"),
                "{pw}"
            );
        }
    }

    #[test]
    fn password_debug_hides_it() {
        let p = Password::parse("Valid-pass-2026!", "", "").unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
    }
}
