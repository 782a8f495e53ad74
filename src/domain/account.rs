//! Sign-up fields, parsed into values that are valid by construction (R1.2, R1.3).
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

// ---------------------------------------------------------------- login ID

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

// ---------------------------------------------------------------- password

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

/// What one typed character becomes after NFKC, when that is a single character (full-width
/// `Ａ` or `１`); None when it expands (`㎒` is "MHz": one symbol typed, not three letters).
fn nfkc_single(c: char) -> Option<char> {
    let mut mapped = std::iter::once(c).nfkc();
    let first = mapped.next()?;
    mapped.next().is_none().then_some(first)
}

/// A Latin letter (SPEC R1.2: 영문), typed in ASCII or full-width; Hangul, accented and other
/// letters are allowed in a password but do not count.
fn latin_letter(c: char) -> bool {
    nfkc_single(c).is_some_and(|m| m.is_ascii_alphabetic())
}

fn digit(c: char) -> bool {
    nfkc_single(c).is_some_and(|m| m.is_ascii_digit())
}

/// Every rule the browser can check while the user types (all but the common-password list),
/// in display order, each with whether it passes. Character rules look at the characters as
/// typed (NFC); the ID and e-mail rules at the NFKC form that is hashed.
pub fn password_checklist(raw: &str, login_id: &str, email: &str) -> Vec<(PasswordRule, bool)> {
    let typed: Vec<char> = raw.nfc().collect();
    let n = typed.len();
    let pw = normalise_password(raw);
    let id = login_id.trim();
    let local = email.trim().split('@').next().unwrap_or("");
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
                .any(|c| super::punctuation::is_punctuation_or_symbol(*c)),
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
        let failing: Vec<PasswordRule> = password_checklist(raw, login_id, email)
            .into_iter()
            .filter(|(_, ok)| !ok)
            .map(|(r, _)| r)
            .collect();
        let normalised = normalise_password(raw);
        #[cfg(feature = "ssr")]
        let failing = {
            let mut failing = failing;
            if super::common_passwords::is_common(&normalised) {
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

// ---------------------------------------------------------------- e-mail

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmailError {
    Empty,
    TooLong,
    Invalid,
}

impl EmailError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "email_empty",
            Self::TooLong => "email_too_long",
            Self::Invalid => "email_invalid",
        }
    }
}

/// An e-mail address, lower-cased (unique regardless of case). Deliberately the common
/// dot-atom form only: quoted local parts and IP-literal domains are legal but in practice
/// typos, and we must be able to write to the address.
///
/// Internationalised domains are accepted (`a@예시.한국`) and kept in their ASCII form
/// (`a@xn--vv4b11d.xn--3e0b707e`, IDNA/UTS #46), so both spellings are one address: that is
/// what mail servers accept without SMTPUTF8, what addresses stored before looked like, and
/// what the 254-octet limit is about. `display` gives the Unicode form for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        let (local, domain) = s.split_once('@').ok_or(EmailError::Invalid)?;
        if domain.contains('@') || !valid_local(local) {
            return Err(EmailError::Invalid);
        }
        let domain = ascii_domain(domain).ok_or(EmailError::Invalid)?;
        let address = format!("{local}@{domain}");
        if address.len() > 254 {
            return Err(EmailError::TooLong);
        }
        if !valid_domain(&domain) {
            return Err(EmailError::Invalid);
        }
        Ok(Self(address))
    }

    /// The stored form (ASCII domain).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or("")
    }

    /// The address with its domain in Unicode (`a@예시.한국`), for showing to people.
    pub fn display(&self) -> String {
        display_email(&self.0)
    }
}

/// The Unicode form of a stored address; a stored value that is not valid IDNA is shown as is.
pub fn display_email(stored: &str) -> String {
    match stored.split_once('@') {
        Some((local, domain)) => match idna::domain_to_unicode(domain) {
            (unicode, Ok(())) => format!("{local}@{unicode}"),
            _ => stored.to_string(),
        },
        None => stored.to_string(),
    }
}

/// ASCII domains pass unchanged (but `xn--` labels must be valid Punycode); others are
/// mapped and encoded by IDNA with the STD3 and DNS length rules.
fn ascii_domain(domain: &str) -> Option<String> {
    if domain.is_ascii() && !domain.contains("xn--") {
        return Some(domain.to_string());
    }
    let ascii = idna::domain_to_ascii_strict(domain).ok()?;
    // The Unicode form must come back to the same ASCII: refuses `xn--` labels that do not
    // decode, or decode to text IDNA would not produce.
    match idna::domain_to_unicode(&ascii) {
        (unicode, Ok(())) if idna::domain_to_ascii_strict(&unicode).ok()? == ascii => Some(ascii),
        _ => None,
    }
}

fn valid_local(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| {
            (tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
                || tld.starts_with("xn--")
        })
}

// ---------------------------------------------------------------- mobile phone

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhoneError {
    Empty,
    Invalid,
}

impl PhoneError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "phone_empty",
            Self::Invalid => "phone_invalid",
        }
    }
}

/// A Korean mobile number, kept in E.164 (+821012345678).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MobilePhone(String);

impl MobilePhone {
    /// Accepts the ways people write it: 010-1234-5678, 01012345678, 010 1234 5678,
    /// 010.1234.5678, (010) 1234-5678, +82 10-1234-5678, +82 (0)10 ..., 82 10 ...
    /// Full-width digits and signs from Korean input methods (０１０－１２３４－５６７８) and the
    /// usual dash look-alikes are read as their ASCII forms.
    pub fn parse(raw: &str) -> Result<Self, PhoneError> {
        let ascii: String = raw
            .nfkc()
            .map(|c| match c {
                '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
                c => c,
            })
            .collect();
        let s = ascii.trim();
        if s.is_empty() {
            return Err(PhoneError::Empty);
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_digit() || " -.()+".contains(c))
        {
            return Err(PhoneError::Invalid);
        }
        if s.matches('+').count() > 1 || (s.contains('+') && !s.starts_with('+')) {
            return Err(PhoneError::Invalid);
        }
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        // National form: 0 + carrier prefix. International: 82, then the number without
        // its leading 0, which some people still write as "(0)".
        let national = if let Some(rest) = digits
            .strip_prefix("82")
            .filter(|_| s.starts_with('+') || !digits.starts_with('0'))
        {
            let rest = rest.strip_prefix('0').unwrap_or(rest);
            format!("0{rest}")
        } else {
            digits
        };
        let (prefix, subscriber) = national.split_at(national.len().min(3));
        let ok = match prefix {
            "010" => subscriber.len() == 8,
            "011" | "016" | "017" | "018" | "019" => subscriber.len() == 7 || subscriber.len() == 8,
            _ => false,
        };
        // A subscriber number starting with 0 would be a dialled prefix, not a number.
        if !ok || subscriber.starts_with('0') {
            return Err(PhoneError::Invalid);
        }
        Ok(Self(format!("+82{}", &national[1..])))
    }

    pub fn e164(&self) -> &str {
        &self.0
    }

    /// 010-1234-5678 (or 011-123-4567 for old seven-digit numbers).
    pub fn display(&self) -> String {
        let national = format!("0{}", &self.0[3..]);
        let (p, rest) = national.split_at(3);
        let split = rest.len() - 4;
        format!("{p}-{}-{}", &rest[..split], &rest[split..])
    }
}

// ---------------------------------------------------------------- names

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

    fn failing(pw: &str) -> Vec<PasswordRule> {
        Password::parse(pw, "hong.gd", "gildong@example.com")
            .err()
            .unwrap_or_default()
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
    fn password_debug_hides_it() {
        let p = Password::parse("Valid-pass-2026!", "", "").unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
    }

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse(" Hong@Example.COM ").unwrap().as_str(),
            "hong@example.com"
        );
        assert_eq!(
            Email::parse("a.b+tag@mail.co.kr").unwrap().local_part(),
            "a.b+tag"
        );
        for bad in [
            "plain",
            "a@b",
            "a@@b.com",
            "@b.com",
            "a@.com",
            "a@b..com",
            ".a@b.com",
            "a.@b.com",
            "a..b@c.com",
            "a@-b.com",
            "a@b-.com",
            "a@b.c",
            "a b@c.com",
            "홍@example.com",
            "a@b.c1",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Invalid), "{bad}");
        }
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
        assert_eq!(Email::parse("a@b.xn--x"), Err(EmailError::Invalid));
        let long = format!("{}@{}.com", "a".repeat(64), "b".repeat(186));
        assert_eq!(long.len(), 255);
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
        assert_eq!(
            Email::parse(&format!("{}@b.com", "a".repeat(65))),
            Err(EmailError::Invalid)
        );
    }

    #[test]
    fn internationalised_domains_are_kept_in_ascii() {
        let stored = "a@xn--vv4b11d.xn--3e0b707e";
        for typed in [
            "a@예시.한국",
            "A@예시.한국",
            "a@xn--vv4b11d.xn--3e0b707e",
            "a@XN--VV4B11D.XN--3E0B707E",
            "a@예시.xn--3e0b707e",
            // NFC/NFKC-equivalent spellings of the same domain are one address.
            "a@\u{110B}\u{1168}\u{1109}\u{1175}.한국",
            "a@예시。한국",
        ] {
            let e = Email::parse(typed).unwrap_or_else(|err| panic!("{typed}: {err:?}"));
            assert_eq!(e.as_str(), stored, "{typed}");
            assert_eq!(e.display(), "a@예시.한국");
        }
        assert_eq!(
            Email::parse("a@example.xn--3e0b707e").unwrap().as_str(),
            "a@example.xn--3e0b707e"
        );
        assert_eq!(
            Email::parse("a@example.xn--3e0b707e").unwrap().display(),
            "a@example.한국"
        );
        assert_eq!(
            Email::parse("Kim@Bücher.DE").unwrap().as_str(),
            "kim@xn--bcher-kva.de"
        );
        assert_eq!(
            Email::parse("kim@xn--bcher-kva.de").unwrap().display(),
            "kim@bücher.de"
        );
        assert_eq!(display_email("a@example.com"), "a@example.com");
        for bad in [
            "a@예시",
            "a@xn--zz.com",
            "a@xn--.com",
            "a@예 시.한국",
            "a@예시..한국",
            "a@-예시.한국",
            "a@☃.-com",
            "홍@예시.한국",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Invalid), "{bad}");
        }
        let long_label = "가".repeat(20);
        let long = format!(
            "{}@{}한국",
            "a".repeat(64),
            format!("{long_label}.").repeat(7)
        );
        assert_eq!(
            Email::parse(&long),
            Err(EmailError::TooLong),
            "counted in ASCII"
        );
    }

    #[test]
    fn full_width_phone_numbers_from_korean_input_methods() {
        for typed in [
            "０１０-１２３４-５６７８",
            "０１０－１２３４－５６７８",
            "０１０１２３４５６７８",
            "＋８２ １０ １２３４ ５６７８",
            "（０１０）１２３４－５６７８",
            "０１０　１２３４　５６７８",
            "010‐1234‐5678",
            "010–1234–5678",
            "010−1234−5678",
        ] {
            let p = MobilePhone::parse(typed).unwrap_or_else(|_| panic!("{typed}"));
            assert_eq!(p.e164(), "+821012345678", "{typed}");
        }
        for bad in [
            "０２-１２３-４５６７",
            "٠١٠١٢٣٤٥٦٧٨",
            "010-1234-5678\u{200B}",
        ] {
            assert_eq!(MobilePhone::parse(bad), Err(PhoneError::Invalid), "{bad}");
        }
    }

    #[test]
    fn korean_mobile_numbers_in_common_notations() {
        for ok in [
            "010-1234-5678",
            "01012345678",
            "010 1234 5678",
            "010.1234.5678",
            "(010) 1234-5678",
            "+82 10-1234-5678",
            "+82-10-1234-5678",
            "+821012345678",
            "82 10 1234 5678",
            "+82 (0)10 1234 5678",
        ] {
            let p = MobilePhone::parse(ok).unwrap_or_else(|_| panic!("{ok}"));
            assert_eq!(p.e164(), "+821012345678", "{ok}");
            assert_eq!(p.display(), "010-1234-5678");
        }
        let old = MobilePhone::parse("011-234-5678").unwrap();
        assert_eq!(old.e164(), "+82112345678");
        assert_eq!(old.display(), "011-234-5678");
        assert_eq!(MobilePhone::parse("").unwrap_err(), PhoneError::Empty);
        for bad in [
            "02-123-4567",
            "031-123-4567",
            "010-123-4567",
            "010-1234-56789",
            "+1 415 555 0100",
            "010-0234-5678",
            "010-abcd-5678",
            "1012345678",
            "+82+1012345678",
            "010-1234-5678 ext",
        ] {
            assert_eq!(MobilePhone::parse(bad), Err(PhoneError::Invalid), "{bad}");
        }
    }

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
