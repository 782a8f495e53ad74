//! KRW amounts and the one rounding rule: every invoice line, and the VAT, is rounded on its
//! own, half up, to 1 KRW (0.5 -> 1, 1.49 -> 1). Sums of rounded lines are never rounded again.
use rust_decimal::{Decimal, RoundingStrategy};

/// `value` rounded half up to whole KRW; None if it does not fit an i64 (no real invoice).
pub fn round_krw(value: Decimal) -> Option<i64> {
    let rounded = value.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    i64::try_from(rounded).ok()
}

/// `12,345`-style, for pages and print.
pub fn format_krw(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if amount < 0 { format!("-{out}") } else { out }
}

/// Why a typed amount of money is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountProblem {
    /// Not whole KRW above 0.
    Invalid,
    /// More than what is still owed.
    OverBalance,
}

/// An amount typed into a billing form (`12,000` or `12000`): whole KRW above 0 and at most
/// `balance`. Payments and credit notes both check their amount this way.
pub fn parse_amount_up_to(raw: &str, balance: i64) -> Result<i64, AmountProblem> {
    let amount = raw
        .trim()
        .replace(',', "")
        .parse::<i64>()
        .ok()
        .filter(|a| *a > 0)
        .ok_or(AmountProblem::Invalid)?;
    if amount > balance {
        return Err(AmountProblem::OverBalance);
    }
    Ok(amount)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn halves_go_up_and_the_rest_to_the_nearest() {
        assert_eq!(round_krw(d("0.5")), Some(1));
        assert_eq!(round_krw(d("1.4999")), Some(1));
        assert_eq!(round_krw(d("2.5")), Some(3));
        assert_eq!(round_krw(d("3.5")), Some(4), "not banker's rounding");
        assert_eq!(round_krw(d("99.50")), Some(100));
        assert_eq!(round_krw(d("0.49")), Some(0));
        assert_eq!(round_krw(d("0")), Some(0));
        assert_eq!(
            round_krw(d("-2.5")),
            Some(-3),
            "credits round away from zero too"
        );
        assert_eq!(round_krw(d("1e25")), None);
    }

    #[test]
    fn typed_amounts_are_whole_krw_up_to_the_balance() {
        assert_eq!(parse_amount_up_to(" 12,000 ", 12_000), Ok(12_000));
        assert_eq!(parse_amount_up_to("1", 12_000), Ok(1));
        assert_eq!(
            parse_amount_up_to("12001", 12_000),
            Err(AmountProblem::OverBalance)
        );
        for bad in ["", "0", "-5", "1.5", "abc", "99999999999999999999"] {
            assert_eq!(
                parse_amount_up_to(bad, 12_000),
                Err(AmountProblem::Invalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn amounts_get_thousands_separators() {
        assert_eq!(format_krw(0), "0");
        assert_eq!(format_krw(999), "999");
        assert_eq!(format_krw(1000), "1,000");
        assert_eq!(format_krw(1234567), "1,234,567");
        assert_eq!(format_krw(-1234), "-1,234");
    }
}
