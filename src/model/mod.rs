//! Types that travel between the server and the browser (server function results).
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StaffRole {
    Support,
    Billing,
    Operations,
    Admin,
}

impl StaffRole {
    pub const ALL: [StaffRole; 4] = [Self::Support, Self::Billing, Self::Operations, Self::Admin];

    pub fn code(self) -> &'static str {
        match self {
            Self::Support => "support",
            Self::Billing => "billing",
            Self::Operations => "operations",
            Self::Admin => "admin",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == s)
    }

    /// Plan changes and trial extensions are operations' and admins' to make (issue 4).
    pub fn may_change_plans(self) -> bool {
        matches!(self, Self::Operations | Self::Admin)
    }

    pub fn may_read_audit_log(self) -> bool {
        matches!(self, Self::Admin)
    }

    /// Platform tokens open machine endpoints for everybody's data: administrators only.
    pub fn may_manage_platform_tokens(self) -> bool {
        matches!(self, Self::Admin)
    }

    /// Price versions and payments are billing's and administrators' to change (issue 18).
    pub fn may_change_billing(self) -> bool {
        matches!(self, Self::Billing | Self::Admin)
    }

    /// Maintenance windows, exclusions and statement revisions are operations' and
    /// administrators' (issue 17); everybody else on staff reads them.
    pub fn may_change_sla(self) -> bool {
        matches!(self, Self::Operations | Self::Admin)
    }

    /// The credit policy is the administrators' alone (R3.5: "editable by admins").
    pub fn may_change_credit_policy(self) -> bool {
        matches!(self, Self::Admin)
    }

    /// Support may read invoices to answer customers, but change nothing.
    pub fn may_read_billing(self) -> bool {
        matches!(self, Self::Support | Self::Billing | Self::Admin)
    }
}

/// Who is signed in, as the pages need to know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionUser {
    Customer {
        id: i64,
        login_id: String,
        name: String,
    },
    Staff {
        id: i64,
        login_id: String,
        name: String,
        role: StaffRole,
    },
}

impl SessionUser {
    pub fn id(&self) -> i64 {
        match self {
            Self::Customer { id, .. } | Self::Staff { id, .. } => *id,
        }
    }

    pub fn user_id(&self) -> crate::domain::stored::UserId {
        crate::domain::stored::UserId(self.id())
    }

    pub fn name(&self) -> &str {
        match self {
            Self::Customer { name, .. } | Self::Staff { name, .. } => name,
        }
    }

    pub fn login_id(&self) -> &str {
        match self {
            Self::Customer { login_id, .. } | Self::Staff { login_id, .. } => login_id,
        }
    }

    pub fn is_staff(&self) -> bool {
        matches!(self, Self::Staff { .. })
    }
}

pub mod accounts;
pub mod alerts;
pub mod billing;
pub mod error;
pub mod help;
pub mod incidents;
pub mod projects;
pub mod sla;
pub mod support;
