//! A customer's alerts beyond lifecycle steps: a usage threshold crossed, an invoice about to
//! fall due or overdue. The same facts make the portal notice and the e-mail, so both say
//! the same thing; they are stored as JSON (`customer_alerts.payload`) and never recomputed.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageThresholdAlert {
    pub project_id: i64,
    pub project_name: String,
    pub metric: String,
    pub metric_ko: String,
    pub metric_en: String,
    pub unit_ko: String,
    pub unit_en: String,
    /// `YYYY-MM` (KST)
    pub month: String,
    /// Decimals as shown: the threshold and the month's usage when it was found crossed.
    pub threshold: String,
    pub total: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceAlert {
    pub invoice_id: i64,
    pub number: String,
    pub project_id: i64,
    pub project_name: String,
    /// `YYYY-MM`: the month invoiced.
    pub month: String,
    /// KRW still owed when the alert was made.
    pub balance: i64,
    /// `YYYY-MM-DD` (KST)
    pub due_date: String,
    /// Due-soon reminders: days left until the due date (0 on the day). Overdue: 0.
    pub days_left: i64,
    /// Overdue: the KST dates access stops, collection stops and data is deleted (R7).
    pub steps: Option<OverdueSteps>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueSteps {
    pub access_stops: String,
    pub collection_stops: String,
    pub deleted: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "alert", rename_all = "snake_case")]
pub enum CustomerAlert {
    UsageThreshold(UsageThresholdAlert),
    InvoiceDueSoon(InvoiceAlert),
    InvoiceOverdue(InvoiceAlert),
}

impl CustomerAlert {
    /// `customer_alerts.kind` (and the outbox's `kind` of its e-mail).
    pub fn code(&self) -> &'static str {
        match self {
            Self::UsageThreshold(_) => "usage_threshold",
            Self::InvoiceDueSoon(_) => "invoice_due_soon",
            Self::InvoiceOverdue(_) => "invoice_overdue",
        }
    }

    pub fn project_id(&self) -> i64 {
        match self {
            Self::UsageThreshold(a) => a.project_id,
            Self::InvoiceDueSoon(a) | Self::InvoiceOverdue(a) => a.project_id,
        }
    }

    /// The portal page the alert is about.
    pub fn link(&self) -> String {
        match self {
            Self::UsageThreshold(a) => {
                format!("/projects/{}/usage?month={}", a.project_id, a.month)
            }
            Self::InvoiceDueSoon(a) | Self::InvoiceOverdue(a) => {
                format!("/invoices/{}", a.invoice_id)
            }
        }
    }
}
