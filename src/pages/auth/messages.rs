//! Field problems in the visitor's language. The server sends typed codes, never text.
use crate::domain::account::{EmailError, LoginIdError, NameError, PasswordRule, PhoneError};
use crate::i18n::*;
use crate::model::accounts::{EmailProblem, LoginIdProblem};
use leptos_i18n::I18nContext;

type I18n = I18nContext<Locale>;

pub fn login_id(i18n: I18n, p: LoginIdProblem) -> String {
    match p {
        LoginIdProblem::Taken => t_string!(i18n, errors.login_id_taken),
        LoginIdProblem::Invalid(LoginIdError::Empty) => t_string!(i18n, errors.required),
        LoginIdProblem::Invalid(LoginIdError::TooShort) => t_string!(i18n, errors.login_id_length),
        LoginIdProblem::Invalid(LoginIdError::TooLong) => t_string!(i18n, errors.login_id_length),
        LoginIdProblem::Invalid(LoginIdError::InvalidCharacter) => {
            t_string!(i18n, errors.login_id_chars)
        }
        LoginIdProblem::Invalid(LoginIdError::MustStartWithLetter) => {
            t_string!(i18n, errors.login_id_start)
        }
    }
    .to_string()
}

pub fn email(i18n: I18n, p: EmailProblem) -> String {
    match p {
        EmailProblem::Taken => t_string!(i18n, errors.email_taken),
        EmailProblem::Invalid(EmailError::Empty) => t_string!(i18n, errors.required),
        EmailProblem::Invalid(EmailError::TooLong) => t_string!(i18n, errors.email_invalid),
        EmailProblem::Invalid(EmailError::Invalid) => t_string!(i18n, errors.email_invalid),
    }
    .to_string()
}

pub fn phone(i18n: I18n, p: PhoneError) -> String {
    match p {
        PhoneError::Empty => t_string!(i18n, errors.required),
        PhoneError::Invalid => t_string!(i18n, errors.phone_invalid),
    }
    .to_string()
}

pub fn name(i18n: I18n, p: NameError) -> String {
    match p {
        NameError::Empty => t_string!(i18n, errors.required),
        NameError::TooLong => t_string!(i18n, errors.too_long),
        NameError::Invalid => t_string!(i18n, errors.invalid),
    }
    .to_string()
}

pub fn password_rule(i18n: I18n, r: PasswordRule) -> String {
    match r {
        PasswordRule::MinLength => t_string!(i18n, password_rules.min_length),
        PasswordRule::MaxLength => t_string!(i18n, password_rules.max_length),
        PasswordRule::HasLetter => t_string!(i18n, password_rules.letter),
        PasswordRule::HasDigit => t_string!(i18n, password_rules.digit),
        PasswordRule::HasSpecial => t_string!(i18n, password_rules.special),
        PasswordRule::NotContainingId => t_string!(i18n, password_rules.no_id),
        PasswordRule::NotContainingEmail => t_string!(i18n, password_rules.no_email),
        PasswordRule::NotCommon => t_string!(i18n, password_rules.not_common),
    }
    .to_string()
}

/// The first failing rule, phrased as what is wrong.
pub fn password(i18n: I18n, rules: &[PasswordRule]) -> Option<String> {
    let first = rules.first()?;
    Some(format!(
        "{} {}",
        t_string!(i18n, errors.password_prefix),
        password_rule(i18n, *first)
    ))
}
