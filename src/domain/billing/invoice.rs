//! The monthly invoice of one project, computed from what it used, the capacity and options
//! it paid for (pro-rated by paid days), the prices in force, waiting credits and VAT.
//! A capacity item gets one line per level it was billed at (see `capacity_days`), each with
//! its own paid days; an option one line with the days it was on.
//!
//! Rounding: each line is rounded half up to 1 KRW on its own, then summed; credits are whole
//! KRW; the VAT is rounded half up once, on the amount after credits. Nothing else rounds.
use super::money::round_krw;
use super::month::BillingMonth;
use super::prices::{self, CAPACITY_ITEMS, ItemKind, OPTION_ITEMS, PriceTable};
use crate::domain::capacity::Capacity;
use crate::domain::usage::Quantity;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Paid days of the month with one capacity (a project changing capacity mid-month has several).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaidPeriod {
    pub days: u32,
    pub capacity: Capacity,
}

/// A credit waiting for this project (from the SLA work), whole KRW.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PendingCredit {
    pub id: i64,
    pub amount: i64,
}

/// Usage of an already invoiced month that arrived after its invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateUsage {
    pub month: BillingMonth,
    pub metric: String,
    pub quantity: Quantity,
}

pub struct InvoiceInput<'a> {
    pub month: BillingMonth,
    pub versions: &'a [PriceTable],
    /// Metric codes in page order; each gets a line (zero usage shows as 0).
    pub metrics: &'a [String],
    /// This month's usage while paid, per metric.
    pub usage: &'a BTreeMap<String, Quantity>,
    pub late_usage: &'a [LateUsage],
    pub paid: &'a [PaidPeriod],
    /// Oldest first: applied in this order.
    pub credits: &'a [PendingCredit],
    /// 0.1 for 10 %.
    pub vat_rate: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    pub kind: ItemKind,
    pub code: String,
    /// The month the line is for: the invoice's own, or an earlier one for late usage.
    pub usage_month: BillingMonth,
    /// Usage, or for capacity and options the units x paid days / days of the month (6 places).
    pub quantity: Decimal,
    pub unit_price: Decimal,
    /// Paid days behind a capacity or option line; None for usage.
    pub paid_days: Option<u32>,
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedCredit {
    pub credit_id: i64,
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComputedInvoice {
    pub month: BillingMonth,
    pub lines: Vec<InvoiceLine>,
    pub subtotal: i64,
    pub credits: Vec<AppliedCredit>,
    pub credited: i64,
    pub vat: i64,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvoiceError {
    /// No price version covers this month.
    NoPrices(BillingMonth),
    /// The version in force has no price for an item the project used.
    Unpriced { kind: ItemKind, code: String },
    /// Paid days beyond the month's length: the caller's periods are wrong.
    TooManyPaidDays,
    /// Amounts beyond i64: not a real invoice.
    Overflow,
}

/// Whether the project owes an invoice for the month at all: it was paid for some of it.
pub fn is_billable(paid: &[PaidPeriod]) -> bool {
    paid.iter().any(|p| p.days > 0)
}

pub fn compute(input: &InvoiceInput<'_>) -> Result<ComputedInvoice, InvoiceError> {
    let month = input.month;
    let month_days = month.days();
    let paid_days: u32 = input.paid.iter().map(|p| p.days).sum();
    if paid_days > month_days {
        return Err(InvoiceError::TooManyPaidDays);
    }
    let table = prices::in_force(input.versions, month).ok_or(InvoiceError::NoPrices(month))?;
    let mut lines = Vec::new();

    for code in input.metrics {
        let used = input.usage.get(code).copied().unwrap_or(Quantity::ZERO);
        lines.push(usage_line(table, month, code, used)?);
    }
    for late in input.late_usage {
        let t = prices::in_force(input.versions, late.month)
            .ok_or(InvoiceError::NoPrices(late.month))?;
        lines.push(usage_line(t, late.month, &late.metric, late.quantity)?);
    }
    let days = Decimal::from(month_days);
    for code in CAPACITY_ITEMS {
        let price = priced(table, ItemKind::Capacity, code)?;
        for (units, level_days) in capacity_levels(input.paid, code) {
            lines.push(prorated_line(
                ItemKind::Capacity,
                code,
                month,
                Decimal::from(u64::from(units) * u64::from(level_days)),
                days,
                price,
                level_days,
            )?);
        }
    }
    for code in OPTION_ITEMS {
        let on_days: u32 = input
            .paid
            .iter()
            .filter(|p| option_on(&p.capacity, code))
            .map(|p| p.days)
            .sum();
        if on_days == 0 {
            continue;
        }
        let price = priced(table, ItemKind::Option, code)?;
        lines.push(prorated_line(
            ItemKind::Option,
            code,
            month,
            Decimal::from(on_days),
            days,
            price,
            on_days,
        )?);
    }

    let subtotal = lines
        .iter()
        .try_fold(0i64, |acc, l| acc.checked_add(l.amount))
        .ok_or(InvoiceError::Overflow)?;
    let mut left = subtotal;
    let mut credits = Vec::new();
    for c in input.credits {
        if left <= 0 {
            break;
        }
        let take = c.amount.min(left);
        if take > 0 {
            credits.push(AppliedCredit {
                credit_id: c.id,
                amount: take,
            });
            left -= take;
        }
    }
    let credited = subtotal - left;
    let vat = round_krw(Decimal::from(left) * input.vat_rate).ok_or(InvoiceError::Overflow)?;
    Ok(ComputedInvoice {
        month,
        lines,
        subtotal,
        credits,
        credited,
        vat,
        total: left.checked_add(vat).ok_or(InvoiceError::Overflow)?,
    })
}

fn priced(table: &PriceTable, kind: ItemKind, code: &str) -> Result<Decimal, InvoiceError> {
    table
        .price(kind, code)
        .ok_or_else(|| InvoiceError::Unpriced {
            kind,
            code: code.to_string(),
        })
}

fn usage_line(
    table: &PriceTable,
    month: BillingMonth,
    code: &str,
    used: Quantity,
) -> Result<InvoiceLine, InvoiceError> {
    let price = priced(table, ItemKind::Metric, code)?;
    let quantity = used.to_decimal();
    let amount = quantity
        .checked_mul(price)
        .and_then(round_krw)
        .ok_or(InvoiceError::Overflow)?;
    Ok(InvoiceLine {
        kind: ItemKind::Metric,
        code: code.to_string(),
        usage_month: month,
        quantity,
        unit_price: price,
        paid_days: None,
        amount,
    })
}

fn prorated_line(
    kind: ItemKind,
    code: &str,
    month: BillingMonth,
    unit_days: Decimal,
    month_days: Decimal,
    price: Decimal,
    paid_days: u32,
) -> Result<InvoiceLine, InvoiceError> {
    // The amount from the exact fraction; the quantity shown is rounded for reading only.
    let amount = unit_days
        .checked_mul(price)
        .and_then(|v| v.checked_div(month_days))
        .and_then(round_krw)
        .ok_or(InvoiceError::Overflow)?;
    let quantity = unit_days
        .checked_div(month_days)
        .ok_or(InvoiceError::Overflow)?
        .round_dp(6)
        .normalize();
    Ok(InvoiceLine {
        kind,
        code: code.to_string(),
        usage_month: month,
        quantity,
        unit_price: price,
        paid_days: Some(paid_days),
        amount,
    })
}

/// The units a pro-rated line was billed at, read back from its stored figures: the line
/// keeps units x paid days / month days (6 places), and the invoice shows the units beside
/// it so "10 x 15/30 days = 5" can be checked by hand. None when the figures do not come
/// from whole units (not a pro-rated line, or a stored line edited by hand).
pub fn units_held(quantity: Decimal, paid_days: u32, month_days: u32) -> Option<u64> {
    if paid_days == 0 || month_days == 0 || paid_days > month_days {
        return None;
    }
    let units = quantity
        .checked_mul(Decimal::from(month_days))?
        .checked_div(Decimal::from(paid_days))?
        .round();
    let back = units
        .checked_mul(Decimal::from(paid_days))?
        .checked_div(Decimal::from(month_days))?
        .round_dp(6);
    if back != quantity.round_dp(6) || units.is_sign_negative() {
        return None;
    }
    u64::try_from(units).ok()
}

/// The levels of one capacity item over the paid periods, each with its paid days, in the
/// order they first appear: one invoice line each, so a mid-month change shows both levels
/// with their days instead of one blended quantity. With no paid day at all the item still
/// gets its (zero) line.
fn capacity_levels(paid: &[PaidPeriod], code: &str) -> Vec<(u32, u32)> {
    let mut levels: Vec<(u32, u32)> = Vec::new();
    for p in paid.iter().filter(|p| p.days > 0) {
        let units = capacity_units(&p.capacity, code);
        match levels.iter_mut().find(|(u, _)| *u == units) {
            Some((_, days)) => *days += p.days,
            None => levels.push((units, p.days)),
        }
    }
    if levels.is_empty() {
        levels.push((
            paid.first()
                .map_or(0, |p| capacity_units(&p.capacity, code)),
            0,
        ));
    }
    levels
}

fn capacity_units(c: &Capacity, code: &str) -> u32 {
    match code {
        "ingest_gb_per_day" => c.ingest_gb_per_day,
        "storage_gb" => c.storage_gb,
        _ => 0,
    }
}

fn option_on(c: &Capacity, code: &str) -> bool {
    match code {
        "extended_retention" => c.extended_retention,
        "remote_support" => c.remote_support,
        _ => false,
    }
}

/// Usage of invoiced months not yet billed: the current total minus what invoices already
/// billed, where it grew. (Where it shrank, staff issue a credit note.)
pub fn late_usage(
    current: &BTreeMap<(BillingMonth, String), Quantity>,
    billed: &BTreeMap<(BillingMonth, String), Quantity>,
) -> Vec<LateUsage> {
    current
        .iter()
        .filter_map(|((month, metric), now)| {
            let before = billed
                .get(&(*month, metric.clone()))
                .copied()
                .unwrap_or(Quantity::ZERO);
            (now.micros() > before.micros()).then(|| LateUsage {
                month: *month,
                metric: metric.clone(),
                quantity: Quantity::from_micros(now.micros() - before.micros()),
            })
        })
        .collect()
}

/// The paid days of `month` for a project paid from `paid_from` (KST date of the upgrade or
/// creation as paid) until `paid_until` (exclusive; None: still paid).
pub fn paid_days(month: BillingMonth, paid_from: NaiveDate, paid_until: Option<NaiveDate>) -> u32 {
    let first = month.first_day();
    let after_last = month.next().first_day();
    let start = paid_from.max(first);
    let end = paid_until.map_or(after_last, |u| u.min(after_last));
    u32::try_from((end - start).num_days().max(0)).unwrap_or(0)
}

/// The due date: the given day of the month after the invoiced one (clamped to its length).
pub fn due_date(month: BillingMonth, due_day: u32) -> NaiveDate {
    month.next().day(due_day)
}

#[cfg(test)]
mod tests;
