//! Versioned price tables (R2.3): unit prices per metric, monthly prices of capacity and of
//! option services, each version in force from its month until the next version's month.
//! A new version may only start in a month that has not begun, so nothing already shown or
//! invoiced changes; invoices also copy the unit prices they were made with.
use super::month::BillingMonth;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

/// Capacity priced per unit per month (pro-rated by paid days).
pub const CAPACITY_ITEMS: [&str; 2] = ["ingest_gb_per_day", "storage_gb"];
/// Option services priced per month (pro-rated by paid days).
pub const OPTION_ITEMS: [&str; 2] = ["extended_retention", "remote_support"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemKind {
    /// KRW per unit of usage (per agent-hour, per GB, per GB-day).
    Metric,
    /// KRW per unit of capacity per month.
    Capacity,
    /// KRW per month while the option is on.
    Option,
}

impl ItemKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Metric => "metric",
            Self::Capacity => "capacity",
            Self::Option => "option",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Metric, Self::Capacity, Self::Option]
            .into_iter()
            .find(|k| k.code() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceTable {
    pub effective_from: BillingMonth,
    pub prices: BTreeMap<(ItemKind, String), Decimal>,
}

impl PriceTable {
    pub fn price(&self, kind: ItemKind, code: &str) -> Option<Decimal> {
        self.prices.get(&(kind, code.to_string())).copied()
    }
}

/// The version in force in `month`: the latest one starting in or before it.
pub fn in_force(versions: &[PriceTable], month: BillingMonth) -> Option<&PriceTable> {
    versions
        .iter()
        .filter(|v| v.effective_from <= month)
        .max_by_key(|v| v.effective_from)
}

/// The next version to come after `month`, if one is announced.
pub fn next_after(versions: &[PriceTable], month: BillingMonth) -> Option<&PriceTable> {
    versions
        .iter()
        .filter(|v| v.effective_from > month)
        .min_by_key(|v| v.effective_from)
}

pub const MAX_UNIT_PRICE: i64 = 100_000_000;
pub const MAX_PRICE_DECIMALS: u32 = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PriceProblem {
    MonthInvalid,
    /// The month has begun (or passed): its figures are already being shown and billed.
    MonthNotInFuture,
    /// A version already starts in that month.
    MonthTaken,
    /// Not a decimal of at most 4 places between 0 and 100,000,000 KRW.
    PriceInvalid {
        kind: ItemKind,
        code: String,
    },
    PriceMissing {
        kind: ItemKind,
        code: String,
    },
}

impl PriceProblem {
    pub fn code(&self) -> &'static str {
        match self {
            Self::MonthInvalid => "month_invalid",
            Self::MonthNotInFuture => "month_not_in_future",
            Self::MonthTaken => "month_taken",
            Self::PriceInvalid { .. } => "price_invalid",
            Self::PriceMissing { .. } => "price_missing",
        }
    }
}

pub fn parse_unit_price(raw: &str) -> Option<Decimal> {
    let raw = raw.trim().replace(',', "");
    let d = Decimal::from_str(&raw).ok()?.normalize();
    (!d.is_sign_negative() || d.is_zero())
        .then_some(d)
        .filter(|d| d.scale() <= MAX_PRICE_DECIMALS && *d <= Decimal::from(MAX_UNIT_PRICE))
        .map(|d| d.abs())
}

/// Checks a new version as staff typed it: the month, and a price for every metric, capacity
/// and option item. Every problem is reported at once.
pub fn check_new_version(
    existing: &[PriceTable],
    month: &str,
    metric_codes: &[String],
    typed: &BTreeMap<(ItemKind, String), String>,
    now: DateTime<Utc>,
) -> Result<PriceTable, Vec<PriceProblem>> {
    let mut problems = Vec::new();
    let month = BillingMonth::parse(month);
    match month {
        None => problems.push(PriceProblem::MonthInvalid),
        Some(m) if m <= BillingMonth::containing(now) => {
            problems.push(PriceProblem::MonthNotInFuture)
        }
        Some(m) if existing.iter().any(|v| v.effective_from == m) => {
            problems.push(PriceProblem::MonthTaken)
        }
        Some(_) => {}
    }
    let wanted = metric_codes
        .iter()
        .map(|c| (ItemKind::Metric, c.clone()))
        .chain(
            CAPACITY_ITEMS
                .iter()
                .map(|c| (ItemKind::Capacity, c.to_string())),
        )
        .chain(
            OPTION_ITEMS
                .iter()
                .map(|c| (ItemKind::Option, c.to_string())),
        );
    let mut prices = BTreeMap::new();
    for (kind, code) in wanted {
        match typed.get(&(kind, code.clone())).map(|s| s.trim()) {
            None | Some("") => problems.push(PriceProblem::PriceMissing { kind, code }),
            Some(raw) => match parse_unit_price(raw) {
                Some(p) => {
                    prices.insert((kind, code), p);
                }
                None => problems.push(PriceProblem::PriceInvalid { kind, code }),
            },
        }
    }
    match month {
        Some(effective_from) if problems.is_empty() => Ok(PriceTable {
            effective_from,
            prices,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_time::month as m;

    fn table(from: &str, agent: &str) -> PriceTable {
        PriceTable {
            effective_from: m(from),
            prices: BTreeMap::from([(
                (ItemKind::Metric, "agent_hours".to_string()),
                Decimal::from_str(agent).unwrap(),
            )]),
        }
    }

    fn typed(pairs: &[(ItemKind, &str, &str)]) -> BTreeMap<(ItemKind, String), String> {
        pairs
            .iter()
            .map(|(k, c, v)| ((*k, c.to_string()), v.to_string()))
            .collect()
    }

    fn full(agent: &str) -> BTreeMap<(ItemKind, String), String> {
        typed(&[
            (ItemKind::Metric, "agent_hours", agent),
            (ItemKind::Capacity, "ingest_gb_per_day", "3000"),
            (ItemKind::Capacity, "storage_gb", "100"),
            (ItemKind::Option, "extended_retention", "50000"),
            (ItemKind::Option, "remote_support", "100000"),
        ])
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-25T03:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn the_latest_version_not_after_the_month_is_in_force() {
        let v = [
            table("2026-01", "40"),
            table("2026-07", "45"),
            table("2027-01", "50"),
        ];
        assert_eq!(in_force(&v, m("2025-12")), None);
        assert_eq!(
            in_force(&v, m("2026-01")).unwrap().effective_from,
            m("2026-01")
        );
        assert_eq!(
            in_force(&v, m("2026-06")).unwrap().effective_from,
            m("2026-01")
        );
        assert_eq!(
            in_force(&v, m("2026-07")).unwrap().effective_from,
            m("2026-07")
        );
        assert_eq!(
            in_force(&v, m("2030-01")).unwrap().effective_from,
            m("2027-01")
        );
        assert_eq!(
            next_after(&v, m("2026-11")).unwrap().effective_from,
            m("2027-01")
        );
        assert_eq!(next_after(&v, m("2027-01")), None);
    }

    #[test]
    fn unit_prices_are_small_exact_decimals() {
        assert_eq!(parse_unit_price("40"), Decimal::from_str("40").ok());
        assert_eq!(parse_unit_price(" 0.5 "), Decimal::from_str("0.5").ok());
        assert_eq!(parse_unit_price("1,500"), Decimal::from_str("1500").ok());
        assert_eq!(parse_unit_price("0"), Some(Decimal::ZERO));
        assert_eq!(parse_unit_price("-0"), Some(Decimal::ZERO));
        for bad in ["-1", "0.00001", "100000001", "abc", "", "1e30"] {
            assert_eq!(parse_unit_price(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_new_version_starts_in_a_future_month_not_taken() {
        let codes = vec!["agent_hours".to_string()];
        let v = [table("2026-01", "40"), table("2027-01", "50")];
        let ok = check_new_version(&v, "2026-12", &codes, &full("45"), now()).unwrap();
        assert_eq!(ok.effective_from, m("2026-12"));
        assert_eq!(ok.prices.len(), 5);
        assert_eq!(
            check_new_version(&v, "2026-11", &codes, &full("45"), now()),
            Err(vec![PriceProblem::MonthNotInFuture]),
            "the current month has begun"
        );
        assert_eq!(
            check_new_version(&v, "2027-01", &codes, &full("45"), now()),
            Err(vec![PriceProblem::MonthTaken])
        );
        assert_eq!(
            check_new_version(&v, "Dec", &codes, &full("45"), now()),
            Err(vec![PriceProblem::MonthInvalid])
        );
    }

    #[test]
    fn every_item_needs_a_valid_price() {
        let codes = vec!["agent_hours".to_string(), "ingest_gb".to_string()];
        let mut t = full("-3");
        t.remove(&(ItemKind::Option, "remote_support".to_string()));
        let problems = check_new_version(&[], "2027-03", &codes, &t, now()).unwrap_err();
        assert_eq!(
            problems,
            vec![
                PriceProblem::PriceInvalid {
                    kind: ItemKind::Metric,
                    code: "agent_hours".into()
                },
                PriceProblem::PriceMissing {
                    kind: ItemKind::Metric,
                    code: "ingest_gb".into()
                },
                PriceProblem::PriceMissing {
                    kind: ItemKind::Option,
                    code: "remote_support".into()
                },
            ]
        );
    }
}
