//! Excluded periods (SPEC R3.8): maintenance announced in advance, and exclusions staff record
//! after the fact with a category and a reason. Outage minutes inside them are not counted.
use super::span::Span;
use chrono::{DateTime, Duration, Utc};

/// The default: a window counts as announced when published 24 hours ahead.
pub const DEFAULT_MAINTENANCE_LEAD: Duration = Duration::hours(24);

/// R3.8's list, the categories staff choose from when recording an exclusion. Announced
/// maintenance has its own kind ([`ExcludedKind::Maintenance`]), not a category here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExclusionCategory {
    ForceMajeure,
    /// Customer or third-party equipment or software.
    CustomerEquipment,
    /// Unauthorised customer action, or required setup missing.
    CustomerAction,
    /// The provider's recommendations ignored, or poor customer security.
    IgnoredRecommendations,
    /// Customer input errors, or limits exceeded.
    CustomerError,
    /// Service stopped to contain an incident on the customer's system.
    IncidentContainment,
    /// Illegal intrusion despite lawful protection.
    Intrusion,
    /// Suspension under the terms.
    Suspension,
    /// Overdue payment, beta, trial, evaluation or free periods.
    NonPaidPeriod,
    Other,
}

impl ExclusionCategory {
    pub const ALL: [Self; 10] = [
        Self::ForceMajeure,
        Self::CustomerEquipment,
        Self::CustomerAction,
        Self::IgnoredRecommendations,
        Self::CustomerError,
        Self::IncidentContainment,
        Self::Intrusion,
        Self::Suspension,
        Self::NonPaidPeriod,
        Self::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::ForceMajeure => "force_majeure",
            Self::CustomerEquipment => "customer_equipment",
            Self::CustomerAction => "customer_action",
            Self::IgnoredRecommendations => "ignored_recommendations",
            Self::CustomerError => "customer_error",
            Self::IncidentContainment => "incident_containment",
            Self::Intrusion => "intrusion",
            Self::Suspension => "suspension",
            Self::NonPaidPeriod => "non_paid_period",
            Self::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self, korean: bool) -> &'static str {
        let (ko, en) = match self {
            Self::ForceMajeure => ("천재지변 등 불가항력", "Force majeure"),
            Self::CustomerEquipment => (
                "고객 또는 제3자의 장비·소프트웨어",
                "Customer or third-party equipment or software",
            ),
            Self::CustomerAction => (
                "고객의 무단 조치 또는 필수 설정 누락",
                "Unauthorised customer action or missing required setup",
            ),
            Self::IgnoredRecommendations => (
                "권고 미이행 또는 고객 보안 미흡",
                "Provider's recommendations ignored or poor customer security",
            ),
            Self::CustomerError => (
                "고객 입력 오류 또는 한도 초과",
                "Customer input error or limits exceeded",
            ),
            Self::IncidentContainment => (
                "고객 시스템 장애 확산 방지를 위한 중단",
                "Stopped to contain an incident on the customer's system",
            ),
            Self::Intrusion => (
                "적법한 보호 조치에도 불구한 불법 침입",
                "Illegal intrusion despite lawful protection",
            ),
            Self::Suspension => ("약관에 따른 이용 정지", "Suspension under the terms"),
            Self::NonPaidPeriod => (
                "연체·베타·체험·평가·무료 기간",
                "Overdue payment, beta, trial, evaluation or free period",
            ),
            Self::Other => ("기타 이에 준하는 경우", "Other comparable case"),
        };
        if korean { ko } else { en }
    }
}

/// A maintenance window operations staff published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaintenanceWindow {
    pub id: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub published_at: DateTime<Utc>,
    pub notice: String,
}

impl MaintenanceWindow {
    /// Announced in advance: published at least `lead` before it started (R3.8 "maintenance
    /// announced in advance"); a window published late does not excuse its downtime.
    pub fn announced_in_time(&self, lead: Duration) -> bool {
        self.published_at + lead <= self.start
    }
}

/// An exclusion staff recorded after the fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedExclusion {
    pub id: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub category: ExclusionCategory,
    pub reason: String,
    /// The staff member's name, shown to staff (the statement shows category and reason).
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExcludedKind {
    Maintenance {
        /// False when published less than the lead time ahead: listed, but not subtracted.
        announced_in_time: bool,
    },
    Exclusion {
        category: ExclusionCategory,
    },
}

/// One excluded period as the statement lists it, clipped to the statement's month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcludedPeriod {
    pub span: Span,
    pub kind: ExcludedKind,
    /// The maintenance notice, or the exclusion's written reason.
    pub reason: String,
}

impl ExcludedPeriod {
    pub fn counts(&self) -> bool {
        !matches!(
            self.kind,
            ExcludedKind::Maintenance {
                announced_in_time: false
            }
        )
    }
}

/// The excluded periods touching `period`, in time order, each clipped to it.
pub fn excluded_periods(
    period: Span,
    maintenance: &[MaintenanceWindow],
    exclusions: &[RecordedExclusion],
    lead: Duration,
) -> Vec<ExcludedPeriod> {
    let mut out: Vec<ExcludedPeriod> = maintenance
        .iter()
        .filter_map(|w| {
            let span = Span::between(w.start, w.end)?.intersect(period)?;
            Some(ExcludedPeriod {
                span,
                kind: ExcludedKind::Maintenance {
                    announced_in_time: w.announced_in_time(lead),
                },
                reason: w.notice.clone(),
            })
        })
        .chain(exclusions.iter().filter_map(|e| {
            let span = Span::between(e.start, e.end)?.intersect(period)?;
            Some(ExcludedPeriod {
                span,
                kind: ExcludedKind::Exclusion {
                    category: e.category,
                },
                reason: e.reason.clone(),
            })
        }))
        .collect();
    out.sort_by_key(|p| p.span);
    out
}

#[cfg(test)]
mod tests {
    use super::super::span::minute_of;
    use super::*;

    fn utc(x: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(x).unwrap().with_timezone(&Utc)
    }

    fn window(start: &str, end: &str, published: &str) -> MaintenanceWindow {
        MaintenanceWindow {
            id: 1,
            start: utc(start),
            end: utc(end),
            published_at: utc(published),
            notice: "DB upgrade".into(),
        }
    }

    #[test]
    fn categories_round_trip_their_codes() {
        for c in ExclusionCategory::ALL {
            assert_eq!(ExclusionCategory::parse(c.code()), Some(c));
            assert!(!c.label(true).is_empty() && !c.label(false).is_empty());
        }
        assert_eq!(ExclusionCategory::parse("maintenance"), None);
        assert_eq!(ExclusionCategory::parse(""), None);
    }

    #[test]
    fn a_window_counts_only_when_published_the_lead_time_ahead() {
        let w = window(
            "2026-10-10T18:00:00Z",
            "2026-10-10T19:00:00Z",
            "2026-10-09T18:00:00Z",
        );
        assert!(
            w.announced_in_time(DEFAULT_MAINTENANCE_LEAD),
            "exactly 24 h"
        );
        let late = MaintenanceWindow {
            published_at: utc("2026-10-09T18:00:01Z"),
            ..w.clone()
        };
        assert!(!late.announced_in_time(DEFAULT_MAINTENANCE_LEAD));
        assert!(
            late.announced_in_time(Duration::hours(1)),
            "the lead is a setting"
        );
    }

    #[test]
    fn periods_are_clipped_to_the_month_and_listed_in_order() {
        let month = Span::new(
            minute_of(utc("2026-09-30T15:00:00Z")),
            minute_of(utc("2026-10-31T15:00:00Z")),
        )
        .unwrap();
        let across = window(
            "2026-09-30T14:00:00Z",
            "2026-09-30T16:00:00Z",
            "2026-09-20T00:00:00Z",
        );
        let outside = window(
            "2026-11-02T00:00:00Z",
            "2026-11-02T01:00:00Z",
            "2026-10-20T00:00:00Z",
        );
        let exclusion = RecordedExclusion {
            id: 7,
            start: utc("2026-10-05T00:00:00Z"),
            end: utc("2026-10-05T00:30:00Z"),
            category: ExclusionCategory::CustomerEquipment,
            reason: "Customer's load balancer".into(),
            recorded_by: "ops".into(),
        };
        let got = excluded_periods(
            month,
            &[outside, across],
            &[exclusion],
            DEFAULT_MAINTENANCE_LEAD,
        );
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0].span.minutes(),
            60,
            "only the hour inside October (KST)"
        );
        assert_eq!(got[0].span.start(), month.start());
        assert!(got[0].counts());
        assert_eq!(
            got[1].kind,
            ExcludedKind::Exclusion {
                category: ExclusionCategory::CustomerEquipment
            }
        );
        assert_eq!(got[1].span.minutes(), 30);
    }

    #[test]
    fn a_late_window_is_listed_but_does_not_count() {
        let month = Span::new(0, 1_000_000_000).unwrap();
        let late = window(
            "2026-10-10T18:00:00Z",
            "2026-10-10T19:00:00Z",
            "2026-10-10T12:00:00Z",
        );
        let got = excluded_periods(month, &[late], &[], DEFAULT_MAINTENANCE_LEAD);
        assert_eq!(got.len(), 1);
        assert!(!got[0].counts());
    }
}
