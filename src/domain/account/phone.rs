//! The applicant's Korean mobile number (R1.3), kept in E.164.
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
