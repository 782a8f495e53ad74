//! Free and paid plans (R2.1, R2.2): the trial period and the free plan's target limit.
//! Targets and capacity have their own modules, re-exported here so `domain::plan::X` paths
//! keep working.
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

pub use super::capacity::*;
pub use super::target::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Plan {
    Free,
    Paid,
}

impl Plan {
    pub fn code(self) -> &'static str {
        match self {
            Self::Free => "free",
            Self::Paid => "paid",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "free" => Some(Self::Free),
            "paid" => Some(Self::Paid),
            _ => None,
        }
    }
}

pub const FREE_TRIAL_DAYS: i64 = 15;
pub const DEFAULT_FREE_TARGET_LIMIT: u32 = 5;

/// 15 days (plus any extension staff granted) after creation, to the millisecond: KST has
/// no daylight saving, so "15 days later" is the same wall-clock time 15 dates later.
pub fn trial_ends_at(created_at: DateTime<Utc>, extension_days: i64) -> DateTime<Utc> {
    created_at + Duration::days(FREE_TRIAL_DAYS + extension_days.max(0))
}

/// Whole days left, rounded up (14 days and an hour left shows "15 days"); 0 once past.
pub fn days_left(ends_at: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let left = ends_at - now;
    if left <= Duration::zero() {
        return 0;
    }
    let day = Duration::days(1).num_milliseconds();
    (left.num_milliseconds() + day - 1) / day
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetLimitError {
    FreePlanLimitReached { limit: u32 },
}

pub fn check_can_add_target(
    plan: Plan,
    current: u32,
    free_limit: u32,
) -> Result<(), TargetLimitError> {
    match plan {
        Plan::Paid => Ok(()),
        Plan::Free if current < free_limit => Ok(()),
        Plan::Free => Err(TargetLimitError::FreePlanLimitReached { limit: free_limit }),
    }
}

/// None: no limit.
pub fn targets_left(plan: Plan, current: u32, free_limit: u32) -> Option<u32> {
    match plan {
        Plan::Paid => None,
        Plan::Free => Some(free_limit.saturating_sub(current)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn trial_is_fifteen_days_plus_extensions() {
        let created = Utc.with_ymd_and_hms(2024, 2, 20, 3, 0, 0).unwrap();
        assert_eq!(
            trial_ends_at(created, 0),
            Utc.with_ymd_and_hms(2024, 3, 6, 3, 0, 0).unwrap(),
            "across Feb 29"
        );
        assert_eq!(
            trial_ends_at(created, 7),
            Utc.with_ymd_and_hms(2024, 3, 13, 3, 0, 0).unwrap()
        );
        assert_eq!(
            trial_ends_at(created, -3),
            trial_ends_at(created, 0),
            "no negative extension"
        );
    }

    #[test]
    fn days_left_rounds_up_and_stops_at_zero() {
        let end = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap();
        assert_eq!(days_left(end, end - Duration::days(15)), 15);
        assert_eq!(
            days_left(end, end - Duration::days(14) - Duration::hours(1)),
            15
        );
        assert_eq!(days_left(end, end - Duration::milliseconds(1)), 1);
        assert_eq!(days_left(end, end), 0);
        assert_eq!(days_left(end, end + Duration::days(3)), 0);
    }

    #[test]
    fn free_target_limit() {
        assert_eq!(check_can_add_target(Plan::Free, 4, 5), Ok(()));
        assert_eq!(
            check_can_add_target(Plan::Free, 5, 5),
            Err(TargetLimitError::FreePlanLimitReached { limit: 5 })
        );
        assert_eq!(
            check_can_add_target(Plan::Free, 9, 5),
            Err(TargetLimitError::FreePlanLimitReached { limit: 5 })
        );
        assert_eq!(check_can_add_target(Plan::Paid, 500, 5), Ok(()));
        assert_eq!(targets_left(Plan::Free, 3, 5), Some(2));
        assert_eq!(targets_left(Plan::Free, 7, 5), Some(0));
        assert_eq!(targets_left(Plan::Paid, 7, 5), None);
    }
}
