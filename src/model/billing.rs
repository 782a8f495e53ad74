//! What billing, usage and platform-token pages receive from the server.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformTokenView {
    pub id: i64,
    pub name: String,
    /// `usage` | `probes`
    pub scope: String,
    pub hint: String,
    /// The staff member's log-in ID; None when made with the command line.
    pub created_by: Option<String>,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NewPlatformTokenOutcome {
    /// Shown once, right after creation; never again.
    Created {
        secret: String,
        scope: String,
    },
    Invalid {
        name_invalid: bool,
        scope_invalid: bool,
    },
    NotAllowed,
}

/// One priced item, named in both languages (the page picks one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceItemView {
    /// `metric` | `capacity` | `option`
    pub kind: String,
    pub code: String,
    pub name_ko: String,
    pub name_en: String,
    pub unit_ko: String,
    pub unit_en: String,
    /// Decimal KRW, e.g. `40` or `0.5`.
    pub unit_price: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceVersionView {
    /// `YYYY-MM`
    pub effective_from: String,
    pub items: Vec<PriceItemView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricePage {
    pub current: Option<PriceVersionView>,
    pub next: Option<PriceVersionView>,
    /// Every version, newest first (the admin view lists them).
    pub all: Vec<PriceVersionView>,
    /// VAT in percent, e.g. `10`.
    pub vat_percent: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NewPriceVersionOutcome {
    Added {
        effective_from: String,
    },
    /// Stable codes (`month_invalid`, `month_not_in_future`, `month_taken`) and, for prices,
    /// `price_invalid:<kind>:<code>` / `price_missing:<kind>:<code>`.
    Invalid {
        problems: Vec<String>,
    },
    NotAllowed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvoiceStatus {
    Paid,
    /// Some paid, some still owed, not yet due (or due today).
    PartlyPaid,
    Unpaid,
    /// The due date passed with something still owed.
    Overdue,
}

impl InvoiceStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Paid => "paid",
            Self::PartlyPaid => "partly_paid",
            Self::Unpaid => "unpaid",
            Self::Overdue => "overdue",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceSummary {
    pub id: i64,
    pub number: String,
    pub project_id: i64,
    pub project_name: String,
    pub customer_login_id: String,
    /// `YYYY-MM`
    pub month: String,
    /// KST
    pub issued_at: String,
    /// KST date
    pub due_date: String,
    pub total: i64,
    pub paid_amount: i64,
    /// What is still owed: total - credit notes - payments.
    pub balance: i64,
    pub status: InvoiceStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLineView {
    pub kind: String,
    pub code: String,
    pub name_ko: String,
    pub name_en: String,
    pub unit_ko: String,
    pub unit_en: String,
    /// The month the line is for; differs from the invoice's for late usage.
    pub usage_month: String,
    pub late: bool,
    pub quantity: String,
    pub unit_price: String,
    pub paid_days: Option<i64>,
    /// For a pro-rated line (capacity, option): the units held and the month's days, so the
    /// quantity reads as units x paid days / month days.
    pub prorated: Option<Prorated>,
    pub amount: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prorated {
    pub units: u64,
    pub month_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub amount: i64,
    pub paid_on: String,
    pub method: String,
    pub reference: String,
    /// Staff see who recorded it; customers do not.
    pub recorded_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceDetail {
    pub summary: InvoiceSummary,
    pub project_prefix: String,
    pub lines: Vec<InvoiceLineView>,
    pub subtotal: i64,
    pub credited: i64,
    pub vat_percent: String,
    pub vat: i64,
    pub total: i64,
    pub credit_noted: i64,
    pub credit_notes: Vec<CreditNoteView>,
    pub payments: Vec<PaymentView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNoteView {
    pub number: String,
    pub amount: i64,
    pub reason: String,
    /// KST
    pub created_at: String,
    /// Staff see who wrote it; customers do not.
    pub created_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CreditNoteOutcome {
    Created {
        number: String,
        /// The credit note covered the balance: the invoice is paid.
        invoice_paid: bool,
    },
    /// Stable codes: `amount_invalid`, `amount_over_balance`, `already_paid`,
    /// `reason_invalid`.
    Invalid {
        problems: Vec<String>,
    },
    NotAllowed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentOutcome {
    Recorded {
        invoice_paid: bool,
    },
    /// Stable codes: `amount_invalid`, `amount_over_balance`, `already_paid`, `date_invalid`,
    /// `date_in_future`, `method_unknown`, `reference_invalid`.
    Invalid {
        problems: Vec<String>,
    },
    NotAllowed,
}

/// One metric's month on the usage page: a value per day, and bar heights for the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricMonthView {
    pub code: String,
    pub name_ko: String,
    pub name_en: String,
    pub unit_ko: String,
    pub unit_en: String,
    /// Per day of the month: (day, quantity as a decimal, bar height 0-100 of the busiest day).
    pub days: Vec<(u32, String, u32)>,
    pub total: String,
    /// The customer's monthly threshold for this metric, as a decimal; None: not set.
    pub threshold: Option<String>,
    /// This month's total has reached the threshold.
    pub threshold_reached: bool,
}

/// What setting a usage threshold did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThresholdOutcome {
    Saved {
        metric: String,
        value: String,
        /// This month's usage is at or above it already (the alert was raised at once).
        already_reached: bool,
    },
    Removed {
        metric: String,
    },
    /// Stable codes: `metric_unknown`, `threshold_not_a_number`, `threshold_not_positive`,
    /// `threshold_too_precise`, `threshold_too_large`.
    Invalid {
        metric: String,
        code: String,
        /// What was typed (bounded), shown again in the field so it can be corrected.
        typed: String,
    },
}

impl ThresholdOutcome {
    pub fn metric(&self) -> &str {
        match self {
            Self::Saved { metric, .. }
            | Self::Removed { metric }
            | Self::Invalid { metric, .. } => metric,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageMonthView {
    pub project_id: i64,
    pub project_name: String,
    /// `YYYY-MM`
    pub month: String,
    pub prev_month: String,
    /// None when the month is the current one (nothing after it yet).
    pub next_month: Option<String>,
    pub metrics: Vec<MetricMonthView>,
}
