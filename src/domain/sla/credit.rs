//! The credit (SPEC R3.6, R3.7, R3.9): the fee basis, the rate, the round-down to 10 KRW, and
//! who is eligible at all.
use super::policy::FeeBasis;
use crate::domain::billing::BillingMonth;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;

/// The fee basis of a statement, with the months it was taken from so it can be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeBasisFigure {
    pub basis: FeeBasis,
    /// Whole KRW; the trailing average is rounded down to 1 KRW (in the customer's favour
    /// it would be up; down keeps every figure a plain floor, stated on the statement).
    pub krw: i64,
    /// The months whose invoiced charges make it up.
    pub months: Vec<(BillingMonth, i64)>,
}

/// `charges`: the project's invoiced charge per month, before VAT and credits.
///
/// The trailing basis averages the months among this one and the two before it that have an
/// invoice: a project invoiced for fewer than three months averages what it has (dividing by
/// three would penalise a new customer for months it never paid).
pub fn fee_basis(
    basis: FeeBasis,
    month: BillingMonth,
    charges: &BTreeMap<BillingMonth, i64>,
) -> FeeBasisFigure {
    let months: Vec<(BillingMonth, i64)> = match basis {
        FeeBasis::ThisMonth => charges
            .get(&month)
            .map(|&c| (month, c))
            .into_iter()
            .collect(),
        FeeBasis::TrailingThreeMonths => [month.prev().prev(), month.prev(), month]
            .into_iter()
            .filter_map(|m| charges.get(&m).map(|&c| (m, c)))
            .collect(),
    };
    let sum: i128 = months.iter().map(|&(_, c)| i128::from(c.max(0))).sum();
    let n = i128::try_from(months.len()).unwrap_or(1).max(1);
    FeeBasisFigure {
        basis,
        krw: i64::try_from(sum / n).unwrap_or(i64::MAX),
        months,
    }
}

/// The credit before and after R3.7's rounding down to a multiple of 10 KRW.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreditFigure {
    pub before_rounding: Decimal,
    pub krw: i64,
}

pub fn credit(fee_basis_krw: i64, rate_percent: Decimal) -> CreditFigure {
    let exact = Decimal::from(fee_basis_krw.max(0))
        .checked_mul(rate_percent)
        .map(|x| x / Decimal::ONE_HUNDRED)
        .unwrap_or(Decimal::ZERO);
    let tens = (exact / Decimal::TEN).round_dp_with_strategy(0, RoundingStrategy::ToZero);
    let krw = i64::try_from(tens).unwrap_or(0).saturating_mul(10);
    CreditFigure {
        before_rounding: exact.normalize(),
        krw,
    }
}

/// Why a statement grants no credit although it shows every figure (R3.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ineligible {
    /// Not on the paid plan for the whole month (a project paid from mid-month, say).
    NotPaidAllMonth,
    /// No invoice has been issued for the project yet.
    NoInvoice,
}

impl Ineligible {
    pub fn code(self) -> &'static str {
        match self {
            Self::NotPaidAllMonth => "not_paid_all_month",
            Self::NoInvoice => "no_invoice",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::NotPaidAllMonth, Self::NoInvoice]
            .into_iter()
            .find(|r| r.code() == raw)
    }

    pub fn message(self, korean: bool) -> &'static str {
        match (self, korean) {
            (Self::NotPaidAllMonth, true) => {
                "보상 대상이 아닙니다: 해당 월 전체 기간 동안 유료 서비스를 이용하지 않았습니다."
            }
            (Self::NotPaidAllMonth, false) => {
                "No credit is due: the project was not on paid service for the whole month."
            }
            (Self::NoInvoice, true) => "보상 대상이 아닙니다: 발행된 청구서가 없습니다.",
            (Self::NoInvoice, false) => "No credit is due: no invoice has been issued yet.",
        }
    }
}

/// R3.9: paid service for at least the most recent full month (the statement's month, which
/// has ended), and at least one invoice issued.
pub fn eligibility(
    service_minutes: u64,
    month_minutes: u64,
    invoice_issued: bool,
) -> Result<(), Ineligible> {
    if service_minutes < month_minutes {
        Err(Ineligible::NotPaidAllMonth)
    } else if !invoice_issued {
        Err(Ineligible::NoInvoice)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_time::month as m;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn credits_round_down_to_10_krw() {
        assert_eq!(credit(123_456, d("5")).krw, 6_170, "6,172.8 -> 6,170");
        assert_eq!(credit(123_456, d("5")).before_rounding, d("6172.8"));
        assert_eq!(
            credit(100_000, d("10")).krw,
            10_000,
            "already a multiple of 10"
        );
        assert_eq!(credit(199, d("5")).krw, 0, "9.95 KRW is nothing");
        assert_eq!(credit(200, d("5")).krw, 10);
        assert_eq!(credit(123_459, d("100")).krw, 123_450);
        assert_eq!(credit(0, d("25")).krw, 0);
        assert_eq!(
            credit(-5, d("25")).krw,
            0,
            "a negative basis never makes a debit"
        );
    }

    #[test]
    fn this_month_basis_is_that_months_charge() {
        let charges = BTreeMap::from([(m("2026-09"), 50_000), (m("2026-10"), 80_000)]);
        let f = fee_basis(FeeBasis::ThisMonth, m("2026-10"), &charges);
        assert_eq!(f.krw, 80_000);
        assert_eq!(f.months, [(m("2026-10"), 80_000)]);
        let none = fee_basis(FeeBasis::ThisMonth, m("2026-11"), &charges);
        assert_eq!((none.krw, none.months.len()), (0, 0));
    }

    #[test]
    fn the_trailing_basis_averages_the_months_it_has() {
        let charges = BTreeMap::from([
            (m("2026-07"), 1_000_000),
            (m("2026-08"), 100_000),
            (m("2026-09"), 200_000),
            (m("2026-10"), 400_001),
        ]);
        let f = fee_basis(FeeBasis::TrailingThreeMonths, m("2026-10"), &charges);
        assert_eq!(f.krw, 233_333, "700,001 / 3, rounded down");
        assert_eq!(f.months.len(), 3);
        // Only two months invoiced so far: their average, not a third of their sum.
        let two = BTreeMap::from([(m("2026-09"), 200_000), (m("2026-10"), 400_001)]);
        assert_eq!(
            fee_basis(FeeBasis::TrailingThreeMonths, m("2026-10"), &two).krw,
            300_000
        );
        // Across the new year.
        let jan = BTreeMap::from([(m("2026-11"), 30), (m("2026-12"), 60), (m("2027-01"), 90)]);
        assert_eq!(
            fee_basis(FeeBasis::TrailingThreeMonths, m("2027-01"), &jan).krw,
            60
        );
    }

    #[test]
    fn eligibility_needs_the_whole_month_and_an_invoice() {
        assert_eq!(eligibility(43_200, 43_200, true), Ok(()));
        assert_eq!(
            eligibility(21_600, 43_200, true),
            Err(Ineligible::NotPaidAllMonth)
        );
        assert_eq!(
            eligibility(43_200, 43_200, false),
            Err(Ineligible::NoInvoice)
        );
        for r in [Ineligible::NotPaidAllMonth, Ineligible::NoInvoice] {
            assert_eq!(Ineligible::parse(r.code()), Some(r));
        }
    }

    proptest! {
        #[test]
        fn the_credit_never_exceeds_the_fee_basis(basis in 0i64..10_000_000_000, rate in 1u32..=10_000) {
            let rate = Decimal::new(i64::from(rate), 2);
            let c = credit(basis, rate);
            prop_assert!(c.krw <= basis);
            prop_assert!(c.krw >= 0 && c.krw % 10 == 0);
            prop_assert!(Decimal::from(c.krw) <= c.before_rounding);
            prop_assert!(c.before_rounding - Decimal::from(c.krw) < Decimal::TEN);
        }
    }
}
