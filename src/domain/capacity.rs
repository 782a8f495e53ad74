//! Capacity and paid options of a project (R5.1), changed only on the paid plan.
use super::plan::Plan;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capacity {
    pub ingest_gb_per_day: u32,
    pub storage_gb: u32,
    pub extended_retention: bool,
    pub remote_support: bool,
}

impl Capacity {
    pub const FREE_DEFAULT: Capacity = Capacity {
        ingest_gb_per_day: 1,
        storage_gb: 10,
        extended_retention: false,
        remote_support: false,
    };
    pub const PAID_DEFAULT: Capacity = Capacity {
        ingest_gb_per_day: 10,
        storage_gb: 100,
        extended_retention: false,
        remote_support: false,
    };
}

pub const INGEST_RANGE: (u32, u32) = (1, 10_000);
pub const STORAGE_RANGE: (u32, u32) = (10, 100_000);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CapacityError {
    IngestOutOfRange {
        min: u32,
        max: u32,
    },
    StorageOutOfRange {
        min: u32,
        max: u32,
    },
    NotPaid,
    NoChange,
    /// Access to the project has stopped (trial over or payment overdue).
    ProjectInactive,
}

impl CapacityError {
    /// The request field the error is about (API error bodies name it).
    pub fn field(&self) -> &'static str {
        match self {
            Self::IngestOutOfRange { .. } => "ingest_gb_per_day",
            Self::StorageOutOfRange { .. } => "storage_gb",
            Self::NotPaid | Self::NoChange | Self::ProjectInactive => "capacity",
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::IngestOutOfRange { .. } => "ingest_out_of_range",
            Self::StorageOutOfRange { .. } => "storage_out_of_range",
            Self::NotPaid => "not_paid",
            Self::NoChange => "no_change",
            Self::ProjectInactive => "project_inactive",
        }
    }
}

pub fn validate_capacity(c: &Capacity) -> Result<(), Vec<CapacityError>> {
    let mut errors = Vec::new();
    if !(INGEST_RANGE.0..=INGEST_RANGE.1).contains(&c.ingest_gb_per_day) {
        errors.push(CapacityError::IngestOutOfRange {
            min: INGEST_RANGE.0,
            max: INGEST_RANGE.1,
        });
    }
    if !(STORAGE_RANGE.0..=STORAGE_RANGE.1).contains(&c.storage_gb) {
        errors.push(CapacityError::StorageOutOfRange {
            min: STORAGE_RANGE.0,
            max: STORAGE_RANGE.1,
        });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Capacity and options are a paid-plan matter (R5.1); a request must change something.
pub fn check_capacity_change(
    plan: Plan,
    current: &Capacity,
    requested: &Capacity,
) -> Result<(), Vec<CapacityError>> {
    if plan != Plan::Paid {
        return Err(vec![CapacityError::NotPaid]);
    }
    validate_capacity(requested)?;
    if current == requested {
        return Err(vec![CapacityError::NoChange]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_changes() {
        let cur = Capacity::PAID_DEFAULT;
        let up = Capacity {
            ingest_gb_per_day: 50,
            ..cur
        };
        assert_eq!(check_capacity_change(Plan::Paid, &cur, &up), Ok(()));
        assert_eq!(
            check_capacity_change(Plan::Free, &cur, &up),
            Err(vec![CapacityError::NotPaid])
        );
        assert_eq!(
            check_capacity_change(Plan::Paid, &cur, &cur),
            Err(vec![CapacityError::NoChange])
        );
        let bad = Capacity {
            ingest_gb_per_day: 0,
            storage_gb: 100_001,
            ..cur
        };
        assert_eq!(
            check_capacity_change(Plan::Paid, &cur, &bad),
            Err(vec![
                CapacityError::IngestOutOfRange {
                    min: 1,
                    max: 10_000
                },
                CapacityError::StorageOutOfRange {
                    min: 10,
                    max: 100_000
                }
            ])
        );
        let edges = Capacity {
            ingest_gb_per_day: 10_000,
            storage_gb: 10,
            ..cur
        };
        assert_eq!(validate_capacity(&edges), Ok(()));
        let options_only = Capacity {
            remote_support: true,
            ..cur
        };
        assert_eq!(
            check_capacity_change(Plan::Paid, &cur, &options_only),
            Ok(())
        );
    }
}
