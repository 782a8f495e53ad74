//! The applicant's e-mail address (R1.3), internationalised domains kept in ASCII.
use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
