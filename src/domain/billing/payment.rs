//! A payment as billing staff record it: amount, date, method, reference.
use super::money::AmountProblem;
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    BankTransfer,
    Card,
    Other,
}

impl Method {
    pub fn code(self) -> &'static str {
        match self {
            Self::BankTransfer => "bank_transfer",
            Self::Card => "card",
            Self::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::BankTransfer, Self::Card, Self::Other]
            .into_iter()
            .find(|m| m.code() == raw.trim())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub amount: i64,
    pub paid_on: NaiveDate,
    pub method: Method,
    pub reference: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentProblem {
    /// Not a whole number of KRW above 0.
    AmountInvalid,
    /// More than the invoice still owes.
    AmountOverBalance,
    /// Nothing is owed any more.
    AlreadyPaid,
    DateInvalid,
    /// After today (KST).
    DateInFuture,
    MethodUnknown,
    /// Over 100 characters or with control characters.
    ReferenceInvalid,
}

impl PaymentProblem {
    pub fn code(self) -> &'static str {
        match self {
            Self::AmountInvalid => "amount_invalid",
            Self::AmountOverBalance => "amount_over_balance",
            Self::AlreadyPaid => "already_paid",
            Self::DateInvalid => "date_invalid",
            Self::DateInFuture => "date_in_future",
            Self::MethodUnknown => "method_unknown",
            Self::ReferenceInvalid => "reference_invalid",
        }
    }
}

pub const MAX_REFERENCE_CHARS: usize = 100;

/// Checks the form against what the invoice still owes (`balance`) and today's KST date.
/// Every problem is reported at once.
pub fn check(
    amount: &str,
    paid_on: &str,
    method: &str,
    reference: &str,
    balance: i64,
    today: NaiveDate,
) -> Result<Payment, Vec<PaymentProblem>> {
    let mut problems = Vec::new();
    if balance <= 0 {
        return Err(vec![PaymentProblem::AlreadyPaid]);
    }
    let amount = match super::money::parse_amount_up_to(amount, balance) {
        Ok(a) => Some(a),
        Err(AmountProblem::Invalid) => {
            problems.push(PaymentProblem::AmountInvalid);
            None
        }
        Err(AmountProblem::OverBalance) => {
            problems.push(PaymentProblem::AmountOverBalance);
            None
        }
    };
    let date = NaiveDate::parse_from_str(paid_on.trim(), "%Y-%m-%d").ok();
    match date {
        None => problems.push(PaymentProblem::DateInvalid),
        Some(d) if d > today => problems.push(PaymentProblem::DateInFuture),
        Some(_) => {}
    }
    let method = Method::parse(method);
    if method.is_none() {
        problems.push(PaymentProblem::MethodUnknown);
    }
    let reference = reference.trim();
    if reference.chars().count() > MAX_REFERENCE_CHARS || reference.chars().any(char::is_control) {
        problems.push(PaymentProblem::ReferenceInvalid);
    }
    match (amount, date, method) {
        (Some(amount), Some(paid_on), Some(method)) if problems.is_empty() => Ok(Payment {
            amount,
            paid_on,
            method,
            reference: reference.to_string(),
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    #[test]
    fn a_full_or_partial_payment_is_taken() {
        let p = check(
            "88,330",
            "2026-11-25",
            "bank_transfer",
            " 입금 123 ",
            88_330,
            today(),
        )
        .unwrap();
        assert_eq!(p.amount, 88_330);
        assert_eq!(p.method, Method::BankTransfer);
        assert_eq!(p.reference, "입금 123");
        assert!(check("1", "2026-01-01", "card", "", 88_330, today()).is_ok());
    }

    #[test]
    fn every_problem_is_named() {
        assert_eq!(
            check("0", "2026-11-26", "cash", &"x".repeat(101), 100, today()),
            Err(vec![
                PaymentProblem::AmountInvalid,
                PaymentProblem::DateInFuture,
                PaymentProblem::MethodUnknown,
                PaymentProblem::ReferenceInvalid
            ])
        );
        assert_eq!(
            check("101", "25/11/2026", "card", "a\nb", 100, today()),
            Err(vec![
                PaymentProblem::AmountOverBalance,
                PaymentProblem::DateInvalid,
                PaymentProblem::ReferenceInvalid
            ])
        );
        for bad in ["-5", "1.5", "abc", ""] {
            assert_eq!(
                check(bad, "2026-11-25", "card", "", 100, today()),
                Err(vec![PaymentProblem::AmountInvalid]),
                "{bad}"
            );
        }
        assert_eq!(
            check("1", "2026-11-25", "card", "", 0, today()),
            Err(vec![PaymentProblem::AlreadyPaid])
        );
    }
}
