//! A shipped list of passwords attackers try first (server only: it would bloat the WASM).
use std::collections::HashSet;
use std::sync::LazyLock;

static LIST: LazyLock<HashSet<String>> = LazyLock::new(|| {
    include_str!("common_passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
});

pub fn is_common(password: &str) -> bool {
    LIST.contains(&password.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_passwords_are_common_in_any_case() {
        for p in [
            "password",
            "P@ssw0rd",
            "Password1!",
            "qwer1234!",
            "1q2w3e4r!",
            "admin123!",
            "iloveyou",
        ] {
            assert!(is_common(p), "{p}");
        }
    }

    #[test]
    fn a_real_passphrase_is_not() {
        assert!(!is_common("Valid-pass-2026!"));
        assert!(!is_common("감자칩과 콜라 7잔!"));
    }
}
