//! A usage quantity: a non-negative decimal with at most six decimal places, held as whole
//! millionths in an `i64` (up to ~9.2 trillion units, far above any hour's usage).
use rust_decimal::Decimal;
use std::str::FromStr;

pub const SCALE: u32 = 6;
const MICROS: i64 = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Quantity(i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityError {
    /// Not a number at all.
    NotANumber,
    Negative,
    /// More than six decimal places: the platform must not send more precision than we keep.
    TooPrecise,
    /// Beyond what an i64 of millionths holds.
    TooLarge,
}

impl Quantity {
    pub const ZERO: Quantity = Quantity(0);

    pub fn from_micros(micros: i64) -> Self {
        Self(micros)
    }

    pub fn micros(self) -> i64 {
        self.0
    }

    pub fn from_decimal(d: Decimal) -> Result<Self, QuantityError> {
        if d.is_sign_negative() && !d.is_zero() {
            return Err(QuantityError::Negative);
        }
        let d = d.normalize();
        if d.scale() > SCALE {
            return Err(QuantityError::TooPrecise);
        }
        let micros = d
            .checked_mul(Decimal::from(MICROS))
            .ok_or(QuantityError::TooLarge)?;
        i64::try_from(micros)
            .map(Self)
            .map_err(|_| QuantityError::TooLarge)
    }

    /// A decimal as written in JSON or a form: `12`, `0.5`, `1.5e3` (no floats in between).
    pub fn parse(text: &str) -> Result<Self, QuantityError> {
        let text = text.trim();
        let d = if text.contains(['e', 'E']) {
            Decimal::from_scientific(text)
        } else {
            Decimal::from_str(text)
        }
        .map_err(|_| match text.parse::<f64>() {
            // A number, but beyond what a decimal holds (1e30): too large, not malformed.
            Ok(f) if f.is_finite() && f < 0.0 => QuantityError::Negative,
            Ok(f) if f.is_finite() => QuantityError::TooLarge,
            _ => QuantityError::NotANumber,
        })?;
        Self::from_decimal(d)
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, SCALE).normalize()
    }

    pub fn checked_add(self, other: Quantity) -> Option<Quantity> {
        self.0.checked_add(other.0).map(Self)
    }

    /// `self - other`, or None below zero: a quantity is never negative.
    pub fn checked_sub(self, other: Quantity) -> Option<Quantity> {
        self.0.checked_sub(other.0).filter(|d| *d >= 0).map(Self)
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.to_decimal())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_become_exact_millionths() {
        assert_eq!(Quantity::parse("12").unwrap().micros(), 12_000_000);
        assert_eq!(Quantity::parse("0.1").unwrap().micros(), 100_000);
        assert_eq!(Quantity::parse("0.000001").unwrap().micros(), 1);
        assert_eq!(Quantity::parse("1.5e3").unwrap().micros(), 1_500_000_000);
        assert_eq!(Quantity::parse("2.50000000").unwrap().micros(), 2_500_000);
        assert_eq!(Quantity::parse("0").unwrap(), Quantity::ZERO);
        assert_eq!(Quantity::parse("-0").unwrap(), Quantity::ZERO);
    }

    #[test]
    fn bad_quantities_say_why() {
        assert_eq!(Quantity::parse("-1"), Err(QuantityError::Negative));
        assert_eq!(Quantity::parse("0.0000001"), Err(QuantityError::TooPrecise));
        assert_eq!(Quantity::parse("1e30"), Err(QuantityError::TooLarge));
        for bad in ["", "abc", "1,5", "NaN", "Infinity", "0x10"] {
            assert_eq!(
                Quantity::parse(bad),
                Err(QuantityError::NotANumber),
                "{bad}"
            );
        }
    }

    #[test]
    fn shown_without_trailing_zeros() {
        assert_eq!(Quantity::from_micros(2_500_000).to_string(), "2.5");
        assert_eq!(Quantity::from_micros(3_000_000).to_string(), "3");
        assert_eq!(Quantity::from_micros(1).to_string(), "0.000001");
    }

    #[test]
    fn subtraction_never_goes_below_zero() {
        let (a, b) = (
            Quantity::parse("2.5").unwrap(),
            Quantity::parse("0.000001").unwrap(),
        );
        assert_eq!(a.checked_sub(b), Some(Quantity::from_micros(2_499_999)));
        assert_eq!(a.checked_sub(a), Some(Quantity::ZERO));
        assert_eq!(b.checked_sub(a), None);
    }
}
