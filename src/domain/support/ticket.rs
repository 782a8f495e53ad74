//! Tickets (SPEC R8.2, R8.4, R8.5): their kinds, severities, statuses, who may move them where,
//! and the checks on what a customer types.
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

macro_rules! codes {
    ($name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }
            pub fn from_code(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|x| x.code() == s)
            }
        }
    };
}

codes!(TicketKind {
    Inquiry => "inquiry",
    Incident => "incident",
    Complaint => "complaint",
    RemoteSupport => "remote_support",
    OnsiteTraining => "onsite_training",
    SecurityReport => "security_report",
});

codes!(Severity {
    Critical => "critical",
    Major => "major",
    Minor => "minor",
});

codes!(TicketStatus {
    New => "new",
    InProgress => "in_progress",
    WaitingForCustomer => "waiting_for_customer",
    Resolved => "resolved",
    Closed => "closed",
});

codes!(MessagePurpose {
    Reply => "reply",
    Progress => "progress",
    Report => "report",
    InternalNote => "internal_note",
});

// R8.5: what kind of problem it was, and whose.
codes!(ResolutionCategory {
    UsageQuestion => "usage_question",
    Configuration => "configuration",
    ProductDefect => "product_defect",
    ServiceOutage => "service_outage",
    Performance => "performance",
    Billing => "billing",
    FeatureRequest => "feature_request",
    ServiceQuality => "service_quality",
    Other => "other",
});

codes!(ResolutionCause {
    CustomerEnvironment => "customer_environment",
    OurSoftware => "our_software",
    OurOperations => "our_operations",
    ThirdParty => "third_party",
    NotAFault => "not_a_fault",
    Unknown => "unknown",
});

impl TicketKind {
    /// Only incident reports carry a severity and the R8.3 clocks.
    pub fn has_clocks(self) -> bool {
        self == Self::Incident
    }
}

impl TicketStatus {
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Resolved | Self::Closed)
    }
}

impl MessagePurpose {
    /// Whether the customer ever sees it (pages, API, e-mail, exports).
    pub fn is_visible_to_customer(self) -> bool {
        self != Self::InternalNote
    }
}

/// What staff may set a ticket's status to from where it is. Closing is final for staff too;
/// only the customer's reopen (within the window) brings a closed ticket back.
pub fn staff_may_move(from: TicketStatus, to: TicketStatus) -> bool {
    use TicketStatus::*;
    from != to
        && match from {
            New | InProgress | WaitingForCustomer => to != New,
            Resolved => matches!(to, InProgress | Closed),
            Closed => false,
        }
}

/// The customer's reopen: allowed on a resolved or closed ticket within `window` of the
/// resolution (or closing, when it was closed without one).
pub fn customer_may_reopen(
    status: TicketStatus,
    resolved_or_closed_at: Option<DateTime<Utc>>,
    window: Duration,
    now: DateTime<Utc>,
) -> bool {
    !status.is_open() && resolved_or_closed_at.is_some_and(|at| now <= at + window)
}

pub const SUBJECT_MAX_CHARS: usize = 150;
pub const BODY_MAX_CHARS: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextProblem {
    Missing,
    TooLong { max: usize },
}

impl TextProblem {
    pub fn code(self) -> &'static str {
        match self {
            Self::Missing => "required",
            Self::TooLong { .. } => "too_long",
        }
    }
}

fn text(raw: &str, max: usize) -> Result<String, TextProblem> {
    let t = raw.trim();
    if t.is_empty() {
        Err(TextProblem::Missing)
    } else if t.chars().count() > max {
        Err(TextProblem::TooLong { max })
    } else {
        Ok(t.to_string())
    }
}

/// A subject: one line, trimmed, 1-150 characters (control characters become spaces).
pub fn parse_subject(raw: &str) -> Result<String, TextProblem> {
    let one_line: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    text(&one_line, SUBJECT_MAX_CHARS)
}

/// A message body (Markdown source), trimmed, 1-20 000 characters.
pub fn parse_body(raw: &str) -> Result<String, TextProblem> {
    text(raw, BODY_MAX_CHARS)
}

/// A rating of the answer: 1 to 5.
pub fn parse_rating(raw: &str) -> Option<i64> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|r| (1..=5).contains(r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn every_code_round_trips() {
        for k in TicketKind::ALL {
            assert_eq!(TicketKind::from_code(k.code()), Some(*k));
        }
        for s in TicketStatus::ALL {
            assert_eq!(TicketStatus::from_code(s.code()), Some(*s));
        }
        for c in ResolutionCategory::ALL {
            assert_eq!(ResolutionCategory::from_code(c.code()), Some(*c));
        }
        for c in ResolutionCause::ALL {
            assert_eq!(ResolutionCause::from_code(c.code()), Some(*c));
        }
        assert_eq!(TicketKind::from_code("Incident"), None);
    }

    #[test]
    fn only_internal_notes_are_hidden() {
        assert!(!MessagePurpose::InternalNote.is_visible_to_customer());
        assert!(MessagePurpose::Reply.is_visible_to_customer());
        assert!(MessagePurpose::Progress.is_visible_to_customer());
        assert!(MessagePurpose::Report.is_visible_to_customer());
    }

    #[test]
    fn staff_moves() {
        use TicketStatus::*;
        assert!(staff_may_move(New, InProgress));
        assert!(staff_may_move(InProgress, WaitingForCustomer));
        assert!(staff_may_move(WaitingForCustomer, Resolved));
        assert!(staff_may_move(Resolved, Closed));
        assert!(staff_may_move(Resolved, InProgress));
        assert!(!staff_may_move(InProgress, New));
        assert!(!staff_may_move(Closed, InProgress));
        assert!(!staff_may_move(Resolved, Resolved));
    }

    #[test]
    fn reopen_only_within_the_window() {
        let at = Utc.with_ymd_and_hms(2028, 2, 15, 3, 0, 0).unwrap();
        let w = Duration::days(14);
        // 2028 is a leap year: 14 days after 15 February is 29 February.
        let last = Utc.with_ymd_and_hms(2028, 2, 29, 3, 0, 0).unwrap();
        assert!(customer_may_reopen(
            TicketStatus::Resolved,
            Some(at),
            w,
            last
        ));
        assert!(!customer_may_reopen(
            TicketStatus::Closed,
            Some(at),
            w,
            last + Duration::seconds(1)
        ));
        assert!(!customer_may_reopen(
            TicketStatus::InProgress,
            Some(at),
            w,
            at
        ));
        assert!(!customer_may_reopen(TicketStatus::Closed, None, w, at));
    }

    #[test]
    fn subjects_and_bodies() {
        assert_eq!(
            parse_subject("  DB 느림 \n 긴급 "),
            Ok("DB 느림   긴급".into())
        );
        assert_eq!(parse_subject(" \t"), Err(TextProblem::Missing));
        assert_eq!(
            parse_subject(&"가".repeat(151)),
            Err(TextProblem::TooLong { max: 150 })
        );
        assert!(parse_subject(&"가".repeat(150)).is_ok());
        assert_eq!(parse_body(""), Err(TextProblem::Missing));
        assert!(parse_body("line\n\nline").is_ok());
    }

    #[test]
    fn ratings() {
        assert_eq!(parse_rating("5"), Some(5));
        assert_eq!(parse_rating("0"), None);
        assert_eq!(parse_rating("6"), None);
        assert_eq!(parse_rating("x"), None);
    }
}
