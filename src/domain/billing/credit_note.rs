//! A credit note as billing staff write one on an invoice: an amount that reduces what the
//! invoice still owes, and the reason the customer reads.
//!
//! The ceiling is the balance (total - earlier credit notes - payments): a credit note only
//! lowers what is still owed. Money already paid that should go back is a refund, which is
//! not a credit note and is not handled here.
use super::money::AmountProblem;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditNote {
    pub amount: i64,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditNoteProblem {
    /// Not a whole number of KRW above 0.
    AmountInvalid,
    /// More than the invoice still owes (its balance).
    AmountOverBalance,
    /// Nothing is owed any more, so there is nothing to reduce.
    AlreadyPaid,
    /// Shorter than 5 or longer than 500 characters (trimmed), or with control characters.
    ReasonInvalid,
}

impl CreditNoteProblem {
    pub fn code(self) -> &'static str {
        match self {
            Self::AmountInvalid => "amount_invalid",
            Self::AmountOverBalance => "amount_over_balance",
            Self::AlreadyPaid => "already_paid",
            Self::ReasonInvalid => "reason_invalid",
        }
    }
}

pub const MIN_REASON_CHARS: usize = 5;
pub const MAX_REASON_CHARS: usize = 500;

/// Checks the form against what the invoice still owes (`balance`). Every problem is
/// reported at once, except on an invoice that owes nothing, where nothing else matters.
pub fn check(
    amount: &str,
    reason: &str,
    balance: i64,
) -> Result<CreditNote, Vec<CreditNoteProblem>> {
    if balance <= 0 {
        return Err(vec![CreditNoteProblem::AlreadyPaid]);
    }
    let mut problems = Vec::new();
    let amount = match super::money::parse_amount_up_to(amount, balance) {
        Ok(a) => Some(a),
        Err(AmountProblem::Invalid) => {
            problems.push(CreditNoteProblem::AmountInvalid);
            None
        }
        Err(AmountProblem::OverBalance) => {
            problems.push(CreditNoteProblem::AmountOverBalance);
            None
        }
    };
    // A textarea sends CRLF; stored with LF so the length is the same whichever browser sent it.
    let reason = reason.trim().replace("\r\n", "\n");
    let chars = reason.chars().count();
    if !(MIN_REASON_CHARS..=MAX_REASON_CHARS).contains(&chars)
        || reason
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        problems.push(CreditNoteProblem::ReasonInvalid);
    }
    match amount {
        Some(amount) if problems.is_empty() => Ok(CreditNote { amount, reason }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CreditNoteProblem::*;

    const REASON: &str = "청구 오류 정정";

    #[test]
    fn a_credit_note_up_to_the_balance_is_taken() {
        let n = check(" 44,000 ", "  용량 과다 청구 정정  ", 44_000).unwrap();
        assert_eq!(
            n,
            CreditNote {
                amount: 44_000,
                reason: "용량 과다 청구 정정".into()
            }
        );
        assert_eq!(check("1", REASON, 44_000).unwrap().amount, 1);
        assert_eq!(check("43999", REASON, 44_000).unwrap().amount, 43_999);
    }

    #[test]
    fn the_amount_is_whole_krw_above_zero() {
        for bad in [
            "0",
            "-5",
            "1.5",
            "1e3",
            "abc",
            "",
            "   ",
            "99999999999999999999",
        ] {
            assert_eq!(check(bad, REASON, 100), Err(vec![AmountInvalid]), "{bad:?}");
        }
    }

    #[test]
    fn the_amount_may_not_exceed_the_balance() {
        assert_eq!(check("101", REASON, 100), Err(vec![AmountOverBalance]));
        assert_eq!(check("100", REASON, 100).map(|n| n.amount), Ok(100));
    }

    #[test]
    fn an_invoice_that_owes_nothing_takes_no_credit_note() {
        assert_eq!(check("1", REASON, 0), Err(vec![AlreadyPaid]));
        assert_eq!(check("0", "", -10), Err(vec![AlreadyPaid]));
    }

    #[test]
    fn the_reason_is_5_to_500_characters_trimmed() {
        // Characters, not bytes: five Hangul syllables are 15 bytes.
        assert!(check("1", "가나다라마", 100).is_ok());
        assert!(check("1", "abcde", 100).is_ok());
        assert!(check("1", &"가".repeat(500), 100).is_ok());
        for bad in ["", "abcd", "   abcd   ", "가나다라"] {
            assert_eq!(check("1", bad, 100), Err(vec![ReasonInvalid]), "{bad:?}");
        }
        assert_eq!(check("1", &"가".repeat(501), 100), Err(vec![ReasonInvalid]));
        assert_eq!(
            check("1", &format!("  {}  ", "a".repeat(500)), 100).map(|n| n.reason.len()),
            Ok(500)
        );
    }

    #[test]
    fn line_breaks_are_kept_and_other_control_characters_refused() {
        assert_eq!(
            check("1", "첫째 줄\r\n둘째 줄\t끝", 100).map(|n| n.reason),
            Ok("첫째 줄\n둘째 줄\t끝".to_string())
        );
        assert_eq!(check("1", "정정 사유\u{0}", 100), Err(vec![ReasonInvalid]));
        assert_eq!(
            check("1", "정정\u{1b}[31m 사유", 100),
            Err(vec![ReasonInvalid])
        );
    }

    #[test]
    fn every_problem_is_named_at_once() {
        assert_eq!(
            check("0", "x", 100),
            Err(vec![AmountInvalid, ReasonInvalid])
        );
        assert_eq!(
            check("500", &"x".repeat(501), 100),
            Err(vec![AmountOverBalance, ReasonInvalid])
        );
    }

    #[test]
    fn codes_are_stable() {
        let codes: Vec<&str> = [AmountInvalid, AmountOverBalance, AlreadyPaid, ReasonInvalid]
            .iter()
            .map(|p| p.code())
            .collect();
        assert_eq!(
            codes,
            [
                "amount_invalid",
                "amount_over_balance",
                "already_paid",
                "reason_invalid"
            ]
        );
    }
}
