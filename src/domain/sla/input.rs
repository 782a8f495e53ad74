//! What operations staff enter for SLA (forms and `/api/v1/admin/`), parsed into valid values:
//! a maintenance window (projects or all, start, end, notice) and an exclusion (project,
//! start, end, R3.8 category, written reason). Each problem names its field.
use super::exclusions::ExclusionCategory;
use crate::domain::kst::KST;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};

pub const MAX_TEXT: usize = 2_000;
/// A maintenance window longer than a week is not maintenance.
pub const MAX_WINDOW: Duration = Duration::days(7);
/// An exclusion covers at most a month (a longer excuse is a contract matter).
pub const MAX_EXCLUSION: Duration = Duration::days(31);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Projects,
    Project,
    Start,
    End,
    Notice,
    Category,
    Reason,
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Self::Projects => "projects",
            Self::Project => "project",
            Self::Start => "start",
            Self::End => "end",
            Self::Notice => "notice",
            Self::Category => "category",
            Self::Reason => "reason",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Missing,
    /// Not a time: RFC 3339 with an offset, or a KST `YYYY-MM-DDTHH:MM` from a form.
    BadTime,
    /// The end is not after the start.
    EndBeforeStart,
    TooLong,
    TooLongText,
    UnknownProject,
    UnknownCategory,
}

impl Problem {
    pub fn code(self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::BadTime => "bad_time",
            Self::EndBeforeStart => "end_before_start",
            Self::TooLong => "period_too_long",
            Self::TooLongText => "text_too_long",
            Self::UnknownProject => "unknown_project",
            Self::UnknownCategory => "unknown_category",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::Missing,
            Self::BadTime,
            Self::EndBeforeStart,
            Self::TooLong,
            Self::TooLongText,
            Self::UnknownProject,
            Self::UnknownCategory,
        ]
        .into_iter()
        .find(|p| p.code() == code)
    }

    pub fn message(self, korean: bool) -> &'static str {
        match (self, korean) {
            (Self::Missing, true) => "입력하세요.",
            (Self::Missing, false) => "Required.",
            (Self::BadTime, true) => "날짜와 시각을 입력하세요 (KST).",
            (Self::BadTime, false) => "Enter a date and time (KST).",
            (Self::EndBeforeStart, true) => "종료는 시작보다 늦어야 합니다.",
            (Self::EndBeforeStart, false) => "The end must be after the start.",
            (Self::TooLong, true) => "기간이 너무 깁니다 (점검 7일, 제외 31일까지).",
            (Self::TooLong, false) => {
                "The period is too long (maintenance up to 7 days, exclusions 31)."
            }
            (Self::TooLongText, true) => "2,000자까지 입력할 수 있습니다.",
            (Self::TooLongText, false) => "At most 2,000 characters.",
            (Self::UnknownProject, true) => "그런 도메인 접두어의 프로젝트가 없습니다.",
            (Self::UnknownProject, false) => "No project has this domain prefix.",
            (Self::UnknownCategory, true) => "제외 분류를 고르세요.",
            (Self::UnknownCategory, false) => "Choose an exclusion category.",
        }
    }
}

pub type Problems = Vec<(Field, Problem)>;

/// RFC 3339 with an offset (the API), or `YYYY-MM-DDTHH:MM` read as KST (a form's
/// `datetime-local`, which carries no zone; the portal's business time is KST).
pub fn parse_time(raw: &str) -> Result<DateTime<Utc>, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Problem::Missing);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
        .and_then(|t| t.and_local_timezone(KST).single())
        .map(|t| t.with_timezone(&Utc))
        .ok_or(Problem::BadTime)
}

fn text(raw: &str, field: Field, problems: &mut Problems) -> String {
    let t = raw.trim();
    if t.is_empty() {
        problems.push((field, Problem::Missing));
    } else if t.chars().count() > MAX_TEXT {
        problems.push((field, Problem::TooLongText));
    }
    t.to_string()
}

fn period(
    start: &str,
    end: &str,
    max: Duration,
    problems: &mut Problems,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let mut read = |raw: &str, field: Field| match parse_time(raw) {
        Ok(t) => Some(t),
        Err(p) => {
            problems.push((field, p));
            None
        }
    };
    let (s, e) = (read(start, Field::Start), read(end, Field::End));
    let (s, e) = (s?, e?);
    if e <= s {
        problems.push((Field::End, Problem::EndBeforeStart));
        None
    } else if e - s > max {
        problems.push((Field::End, Problem::TooLong));
        None
    } else {
        Some((s, e))
    }
}

/// Which projects a window covers: all, or these (ids already looked up by prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    All,
    Projects(Vec<i64>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWindow {
    pub coverage: Coverage,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub notice: String,
}

/// `projects`: None for all, else the prefixes as given with the id each resolved to.
pub fn parse_window(
    projects: Option<&[(String, Option<i64>)]>,
    start: &str,
    end: &str,
    notice: &str,
) -> Result<NewWindow, Problems> {
    let mut problems = Problems::new();
    let coverage = match projects {
        None => Some(Coverage::All),
        Some([]) => {
            problems.push((Field::Projects, Problem::Missing));
            None
        }
        Some(list) => {
            let ids: Option<Vec<i64>> = list.iter().map(|(_, id)| *id).collect();
            if ids.is_none() {
                problems.push((Field::Projects, Problem::UnknownProject));
            }
            ids.map(|mut v| {
                v.sort_unstable();
                v.dedup();
                Coverage::Projects(v)
            })
        }
    };
    let times = period(start, end, MAX_WINDOW, &mut problems);
    let notice = text(notice, Field::Notice, &mut problems);
    match (coverage, times) {
        (Some(coverage), Some((start, end))) if problems.is_empty() => Ok(NewWindow {
            coverage,
            start,
            end,
            notice,
        }),
        _ => Err(problems),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExclusion {
    pub project_id: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub category: ExclusionCategory,
    pub reason: String,
}

pub fn parse_exclusion(
    project: Option<i64>,
    start: &str,
    end: &str,
    category: &str,
    reason: &str,
) -> Result<NewExclusion, Problems> {
    let mut problems = Problems::new();
    if project.is_none() {
        problems.push((Field::Project, Problem::UnknownProject));
    }
    let times = period(start, end, MAX_EXCLUSION, &mut problems);
    let category = ExclusionCategory::parse(category.trim());
    if category.is_none() {
        problems.push((Field::Category, Problem::UnknownCategory));
    }
    let reason = text(reason, Field::Reason, &mut problems);
    match (project, times, category) {
        (Some(project_id), Some((start, end)), Some(category)) if problems.is_empty() => {
            Ok(NewExclusion {
                project_id,
                start,
                end,
                category,
                reason,
            })
        }
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_time::utc;

    #[test]
    fn problem_codes_round_trip() {
        for p in [
            Problem::Missing,
            Problem::BadTime,
            Problem::EndBeforeStart,
            Problem::TooLong,
            Problem::TooLongText,
            Problem::UnknownProject,
            Problem::UnknownCategory,
        ] {
            assert_eq!(Problem::from_code(p.code()), Some(p));
            assert!(!p.message(true).is_empty() && !p.message(false).is_empty());
        }
        assert_eq!(Problem::from_code("nope"), None);
    }

    #[test]
    fn a_form_time_is_kst_and_an_api_time_keeps_its_offset() {
        assert_eq!(
            parse_time("2026-12-01T02:00"),
            Ok(utc("2026-11-30T17:00:00Z"))
        );
        assert_eq!(
            parse_time("2026-12-01T02:00:00+09:00"),
            Ok(utc("2026-11-30T17:00:00Z"))
        );
        assert_eq!(
            parse_time("2026-12-01T02:00:00Z"),
            Ok(utc("2026-12-01T02:00:00Z"))
        );
        assert_eq!(parse_time(""), Err(Problem::Missing));
        assert_eq!(parse_time("tomorrow"), Err(Problem::BadTime));
        assert_eq!(parse_time("2026-02-30T01:00"), Err(Problem::BadTime));
    }

    #[test]
    fn a_window_needs_projects_a_real_period_and_a_notice() {
        let ok = parse_window(None, "2026-12-01T02:00", "2026-12-01T04:00", " DB 점검 ").unwrap();
        assert_eq!(ok.coverage, Coverage::All);
        assert_eq!(ok.notice, "DB 점검");
        let some = parse_window(
            Some(&[
                ("b".into(), Some(9)),
                ("a".into(), Some(3)),
                ("b".into(), Some(9)),
            ]),
            "2026-12-01T02:00",
            "2026-12-01T04:00",
            "x",
        )
        .unwrap();
        assert_eq!(some.coverage, Coverage::Projects(vec![3, 9]));
        let e = parse_window(Some(&[]), "2026-12-01T04:00", "2026-12-01T02:00", "").unwrap_err();
        assert_eq!(
            e,
            vec![
                (Field::Projects, Problem::Missing),
                (Field::End, Problem::EndBeforeStart),
                (Field::Notice, Problem::Missing),
            ]
        );
        let e = parse_window(
            Some(&[("nope".into(), None)]),
            "2026-12-01T00:00",
            "2026-12-09T00:00",
            "x",
        )
        .unwrap_err();
        assert_eq!(
            e,
            vec![
                (Field::Projects, Problem::UnknownProject),
                (Field::End, Problem::TooLong),
            ]
        );
        let e = parse_window(None, "x", "", &"n".repeat(2001)).unwrap_err();
        assert_eq!(
            e,
            vec![
                (Field::Start, Problem::BadTime),
                (Field::End, Problem::Missing),
                (Field::Notice, Problem::TooLongText),
            ]
        );
    }

    #[test]
    fn an_exclusion_needs_a_project_a_category_and_a_reason() {
        let ok = parse_exclusion(
            Some(4),
            "2026-11-10T12:00",
            "2026-11-10T13:00",
            "customer_equipment",
            "고객 방화벽",
        )
        .unwrap();
        assert_eq!(ok.category, ExclusionCategory::CustomerEquipment);
        assert_eq!(ok.end - ok.start, Duration::hours(1));
        let e = parse_exclusion(
            None,
            "2026-11-10T12:00",
            "2026-12-20T13:00",
            "maintenance",
            " ",
        )
        .unwrap_err();
        assert_eq!(
            e,
            vec![
                (Field::Project, Problem::UnknownProject),
                (Field::End, Problem::TooLong),
                (Field::Category, Problem::UnknownCategory),
                (Field::Reason, Problem::Missing),
            ]
        );
    }
}
