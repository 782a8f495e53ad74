//! An incident as staff type it, read into a valid [`NewIncident`] or the list of what is
//! wrong with it, one [`Problem`] per field.
//!
//! Times are typed in KST to the minute (`<input type="datetime-local">` sends
//! `YYYY-MM-DDTHH:MM`), so every stored time and every duration is a whole number of minutes
//! and the report's arithmetic is exact. Neither start nor recovery may lie in the future: an
//! incident is recorded once it has begun, its recovery once it is over.
use crate::domain::kst::{KST, to_kst};
use crate::domain::prefix::DomainPrefix;
use chrono::{DateTime, Datelike, NaiveDateTime, TimeZone, Utc};

/// Longest cause (one sentence or a short paragraph for staff).
pub const MAX_CAUSE_CHARS: usize = 500;
/// Longest notice text, per language (what visitors read on `/incidents`).
pub const MAX_NOTICE_CHARS: usize = 2000;
/// More affected projects than this is an outage for everybody: record it as "all".
pub const MAX_PROJECTS: usize = 50;
/// Times before this are typing mistakes (the portal's calendar starts in 2000).
const EARLIEST_YEAR: i32 = 2000;

/// Which projects an incident touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    /// At least one, without duplicates, in the order typed.
    Projects(Vec<DomainPrefix>),
}

/// The form's fields as typed.
#[derive(Debug, Clone, Default)]
pub struct IncidentInput<'a> {
    /// `all` | `projects`
    pub scope: &'a str,
    /// Domain prefixes separated by commas, spaces or new lines (used with `projects`).
    pub projects: &'a str,
    pub started_at: &'a str,
    /// Empty while the incident is still open.
    pub recovered_at: &'a str,
    pub cause: &'a str,
    pub notice_ko: &'a str,
    pub notice_en: &'a str,
}

/// A valid incident: recovery (if any) after start, neither in the future, texts present and
/// bounded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIncident {
    pub scope: Scope,
    pub started_at: DateTime<Utc>,
    pub recovered_at: Option<DateTime<Utc>>,
    pub cause: String,
    pub notice_ko: String,
    pub notice_en: String,
}

/// What is wrong with one field. `field()` names the form field, `code()` is the stable code
/// the page translates and the JSON carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    ScopeUnknown,
    ProjectsMissing,
    /// The text cannot be a domain prefix.
    ProjectInvalid(String),
    /// No project has this prefix (the storage layer's check).
    ProjectUnknown(String),
    TooManyProjects,
    StartInvalid,
    StartInFuture,
    RecoveryInvalid,
    RecoveryNotAfterStart,
    RecoveryInFuture,
    CauseMissing,
    CauseTooLong,
    NoticeKoMissing,
    NoticeKoTooLong,
    NoticeEnMissing,
    NoticeEnTooLong,
}

impl Problem {
    pub fn field(&self) -> &'static str {
        match self {
            Self::ScopeUnknown => "scope",
            Self::ProjectsMissing
            | Self::ProjectInvalid(_)
            | Self::ProjectUnknown(_)
            | Self::TooManyProjects => "projects",
            Self::StartInvalid | Self::StartInFuture => "started_at",
            Self::RecoveryInvalid | Self::RecoveryNotAfterStart | Self::RecoveryInFuture => {
                "recovered_at"
            }
            Self::CauseMissing | Self::CauseTooLong => "cause",
            Self::NoticeKoMissing | Self::NoticeKoTooLong => "notice_ko",
            Self::NoticeEnMissing | Self::NoticeEnTooLong => "notice_en",
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::ScopeUnknown => "scope_unknown",
            Self::ProjectsMissing => "projects_missing",
            Self::ProjectInvalid(_) => "project_invalid",
            Self::ProjectUnknown(_) => "project_unknown",
            Self::TooManyProjects => "too_many_projects",
            Self::StartInvalid => "start_invalid",
            Self::StartInFuture => "start_in_future",
            Self::RecoveryInvalid => "recovery_invalid",
            Self::RecoveryNotAfterStart => "recovery_not_after_start",
            Self::RecoveryInFuture => "recovery_in_future",
            Self::CauseMissing => "cause_missing",
            Self::CauseTooLong => "cause_too_long",
            Self::NoticeKoMissing => "notice_ko_missing",
            Self::NoticeKoTooLong => "notice_ko_too_long",
            Self::NoticeEnMissing => "notice_en_missing",
            Self::NoticeEnTooLong => "notice_en_too_long",
        }
    }

    /// The prefix a project problem is about, to name it in the message.
    pub fn prefix(&self) -> Option<&str> {
        match self {
            Self::ProjectInvalid(p) | Self::ProjectUnknown(p) => Some(p),
            _ => None,
        }
    }
}

/// A KST wall-clock minute as `datetime-local` sends it: `YYYY-MM-DDTHH:MM`, optionally with
/// `:00` seconds (some browsers add them) or a space for the `T` (typed by hand). Anything
/// else, including non-zero seconds, is not a minute and is refused.
pub fn parse_kst_minute(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    let s = s.strip_suffix(":00").filter(|r| r.len() == 16).unwrap_or(s);
    if s.len() != 16 || !s.is_ascii() {
        return None;
    }
    let normal = s.replacen(' ', "T", 1);
    let local = NaiveDateTime::parse_from_str(&normal, "%Y-%m-%dT%H:%M").ok()?;
    // chrono accepts one-digit fields; only the canonical form is a valid input.
    if local.format("%Y-%m-%dT%H:%M").to_string() != normal {
        return None;
    }
    if local.year() < EARLIEST_YEAR {
        return None;
    }
    KST.from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// The value for a `datetime-local` input showing `t` in KST.
pub fn kst_input_value(t: DateTime<Utc>) -> String {
    to_kst(t).format("%Y-%m-%dT%H:%M").to_string()
}

/// Trims and bounds a text; `None` when it is empty after trimming.
fn text(raw: &str, max: usize) -> Result<Option<String>, ()> {
    let t = raw.trim().replace("\r\n", "\n");
    if t.is_empty() {
        Ok(None)
    } else if t.chars().count() > max {
        Err(())
    } else {
        Ok(Some(t))
    }
}

fn projects(raw: &str) -> Result<Vec<DomainPrefix>, Vec<Problem>> {
    let mut out: Vec<DomainPrefix> = Vec::new();
    let mut problems = Vec::new();
    let words: Vec<&str> = raw
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return Err(vec![Problem::ProjectsMissing]);
    }
    // Too many distinct words is one problem, not one message per word of a pasted list.
    let mut distinct: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
    distinct.sort();
    distinct.dedup();
    if distinct.len() > MAX_PROJECTS {
        return Err(vec![Problem::TooManyProjects]);
    }
    for w in words {
        match DomainPrefix::parse(w) {
            Ok(p) if out.contains(&p) => {}
            Ok(p) => out.push(p),
            // Bounded: a pasted essay must not come back whole in the message.
            Err(_) => {
                let p = Problem::ProjectInvalid(w.chars().take(40).collect());
                if !problems.contains(&p) {
                    problems.push(p);
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// A recovery time for an incident that started at `started_at`.
pub fn check_recovery(
    started_at: DateTime<Utc>,
    raw: &str,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, Problem> {
    let t = parse_kst_minute(raw).ok_or(Problem::RecoveryInvalid)?;
    if t <= started_at {
        Err(Problem::RecoveryNotAfterStart)
    } else if t > now {
        Err(Problem::RecoveryInFuture)
    } else {
        Ok(t)
    }
}

impl NewIncident {
    /// Reads the form; every problem of every field at once, so the form shows them together.
    pub fn parse(input: &IncidentInput<'_>, now: DateTime<Utc>) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let scope = match input.scope.trim() {
            "all" => Some(Scope::All),
            "projects" => match projects(input.projects) {
                Ok(list) => Some(Scope::Projects(list)),
                Err(mut p) => {
                    problems.append(&mut p);
                    None
                }
            },
            _ => {
                problems.push(Problem::ScopeUnknown);
                None
            }
        };
        let started_at = match parse_kst_minute(input.started_at) {
            None => {
                problems.push(Problem::StartInvalid);
                None
            }
            Some(t) if t > now => {
                problems.push(Problem::StartInFuture);
                None
            }
            Some(t) => Some(t),
        };
        let recovered_at = if input.recovered_at.trim().is_empty() {
            Some(None)
        } else {
            match started_at {
                Some(start) => match check_recovery(start, input.recovered_at, now) {
                    Ok(t) => Some(Some(t)),
                    Err(p) => {
                        problems.push(p);
                        None
                    }
                },
                // Without a valid start only the recovery's own form can be judged.
                None => match parse_kst_minute(input.recovered_at) {
                    None => {
                        problems.push(Problem::RecoveryInvalid);
                        None
                    }
                    Some(t) if t > now => {
                        problems.push(Problem::RecoveryInFuture);
                        None
                    }
                    Some(t) => Some(Some(t)),
                },
            }
        };
        let mut required =
            |raw: &str, max: usize, missing: Problem, too_long: Problem| match text(raw, max) {
                Ok(Some(t)) => Some(t),
                Ok(None) => {
                    problems.push(missing);
                    None
                }
                Err(()) => {
                    problems.push(too_long);
                    None
                }
            };
        let cause = required(
            input.cause,
            MAX_CAUSE_CHARS,
            Problem::CauseMissing,
            Problem::CauseTooLong,
        );
        let notice_ko = required(
            input.notice_ko,
            MAX_NOTICE_CHARS,
            Problem::NoticeKoMissing,
            Problem::NoticeKoTooLong,
        );
        let notice_en = required(
            input.notice_en,
            MAX_NOTICE_CHARS,
            Problem::NoticeEnMissing,
            Problem::NoticeEnTooLong,
        );
        match (scope, started_at, recovered_at, cause, notice_ko, notice_en) {
            (
                Some(scope),
                Some(started_at),
                Some(recovered_at),
                Some(cause),
                Some(ko),
                Some(en),
            ) if problems.is_empty() => Ok(Self {
                scope,
                started_at,
                recovered_at,
                cause,
                notice_ko: ko,
                notice_en: en,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_time::utc;

    const NOW: &str = "2026-12-02T03:00:00Z"; // 12:00 KST

    fn input<'a>() -> IncidentInput<'a> {
        IncidentInput {
            scope: "all",
            projects: "",
            started_at: "2026-12-02T09:10",
            recovered_at: "2026-12-02T10:40",
            cause: "수집 서버 디스크 장애",
            notice_ko: "12월 2일 09:10부터 10:40까지 수집이 지연되었습니다.",
            notice_en: "Collection was delayed on 2 December from 09:10 to 10:40 KST.",
        }
    }

    fn problems(i: &IncidentInput<'_>) -> Vec<&'static str> {
        NewIncident::parse(i, utc(NOW))
            .err()
            .unwrap_or_default()
            .iter()
            .map(Problem::code)
            .collect()
    }

    #[test]
    fn a_complete_incident_is_read_in_kst() {
        let i = NewIncident::parse(&input(), utc(NOW)).unwrap();
        assert_eq!(i.scope, Scope::All);
        assert_eq!(i.started_at, utc("2026-12-02T00:10:00Z"));
        assert_eq!(i.recovered_at, Some(utc("2026-12-02T01:40:00Z")));
        assert_eq!(i.cause, "수집 서버 디스크 장애");
    }

    #[test]
    fn kst_midnight_is_15_00_utc_the_day_before() {
        assert_eq!(
            parse_kst_minute("2026-12-01T00:00"),
            Some(utc("2026-11-30T15:00:00Z"))
        );
        assert_eq!(
            parse_kst_minute("2027-01-01 00:00"),
            Some(utc("2026-12-31T15:00:00Z"))
        );
        assert_eq!(
            parse_kst_minute("2028-02-29T23:59:00"),
            Some(utc("2028-02-29T14:59:00Z"))
        );
        assert_eq!(
            kst_input_value(utc("2026-11-30T15:00:00Z")),
            "2026-12-01T00:00"
        );
    }

    #[test]
    fn only_canonical_minutes_are_times() {
        for bad in [
            "",
            "2026-12-02",
            "2026-12-2T09:10",
            "2026-12-02T9:10",
            "2026-12-02T09:10:30",
            "2026-12-02T09:10:00Z",
            "2026-12-02T09:10+09:00",
            "2027-02-29T00:00",
            "2026-13-01T00:00",
            "2026-12-02T24:00",
            "1999-12-31T23:59",
            "２０２６-12-02T09:10",
            "yesterday",
        ] {
            assert_eq!(parse_kst_minute(bad), None, "{bad:?}");
        }
        assert!(parse_kst_minute(" 2026-12-02T09:10 ").is_some());
    }

    #[test]
    fn recovery_must_come_after_the_start_and_not_in_the_future() {
        let mut i = input();
        i.recovered_at = "2026-12-02T09:10";
        assert_eq!(problems(&i), ["recovery_not_after_start"]);
        i.recovered_at = "2026-12-02T09:00";
        assert_eq!(problems(&i), ["recovery_not_after_start"]);
        i.recovered_at = "2026-12-02T12:01";
        assert_eq!(problems(&i), ["recovery_in_future"]);
        i.recovered_at = "2026-12-02T12:00";
        assert!(
            NewIncident::parse(&i, utc(NOW)).is_ok(),
            "now is not the future"
        );
        i.recovered_at = "soon";
        assert_eq!(problems(&i), ["recovery_invalid"]);
    }

    #[test]
    fn an_open_incident_has_no_recovery_yet() {
        let mut i = input();
        i.recovered_at = "  ";
        assert_eq!(NewIncident::parse(&i, utc(NOW)).unwrap().recovered_at, None);
    }

    #[test]
    fn a_start_in_the_future_or_unreadable_is_refused() {
        let mut i = input();
        i.started_at = "2026-12-02T12:01";
        i.recovered_at = "";
        assert_eq!(problems(&i), ["start_in_future"]);
        i.started_at = "";
        i.recovered_at = "2026-12-02T13:00";
        assert_eq!(problems(&i), ["start_invalid", "recovery_in_future"]);
        i.recovered_at = "x";
        assert_eq!(problems(&i), ["start_invalid", "recovery_invalid"]);
    }

    #[test]
    fn texts_are_required_trimmed_and_bounded() {
        let mut i = input();
        i.cause = " ";
        i.notice_ko = "";
        i.notice_en = "\n";
        assert_eq!(
            problems(&i),
            ["cause_missing", "notice_ko_missing", "notice_en_missing"]
        );
        let long_cause = "가".repeat(MAX_CAUSE_CHARS + 1);
        let long_notice = "a".repeat(MAX_NOTICE_CHARS + 1);
        i.cause = &long_cause;
        i.notice_ko = &long_notice;
        i.notice_en = &long_notice;
        assert_eq!(
            problems(&i),
            ["cause_too_long", "notice_ko_too_long", "notice_en_too_long"]
        );
        let exact = "가".repeat(MAX_CAUSE_CHARS);
        let mut j = input();
        j.cause = &exact;
        j.notice_ko = "  첫 줄\r\n둘째 줄  ";
        let ok = NewIncident::parse(&j, utc(NOW)).unwrap();
        assert_eq!(ok.cause.chars().count(), MAX_CAUSE_CHARS);
        assert_eq!(ok.notice_ko, "첫 줄\n둘째 줄");
    }

    #[test]
    fn affected_projects_are_prefixes_without_duplicates() {
        let mut i = input();
        i.scope = "projects";
        i.projects = "shop-a, Shop-B\nshop-a  pay-01";
        let ok = NewIncident::parse(&i, utc(NOW)).unwrap();
        let names: Vec<&str> = match &ok.scope {
            Scope::Projects(p) => p.iter().map(|p| p.as_str()).collect(),
            Scope::All => vec![],
        };
        assert_eq!(names, ["shop-a", "shop-b", "pay-01"]);
        i.projects = " , ";
        assert_eq!(problems(&i), ["projects_missing"]);
        i.projects = "shop-a, 1abc, x";
        let e = NewIncident::parse(&i, utc(NOW)).unwrap_err();
        assert_eq!(
            e,
            [
                Problem::ProjectInvalid("1abc".into()),
                Problem::ProjectInvalid("x".into())
            ]
        );
        assert_eq!(e[0].field(), "projects");
        assert_eq!(e[0].prefix(), Some("1abc"));
        let many: Vec<String> = (0..=MAX_PROJECTS).map(|n| format!("proj-{n}")).collect();
        let many = many.join(",");
        i.projects = &many;
        assert_eq!(problems(&i), ["too_many_projects"]);
        // Thousands of bad words are one message, and 50 repeated ones are still 1 project.
        let pasted = "x! ".repeat(5000);
        i.projects = &pasted;
        assert_eq!(problems(&i), ["project_invalid"]);
        let junk: Vec<String> = (0..5000).map(|n| format!("{n}x")).collect();
        let junk = junk.join(" ");
        i.projects = &junk;
        assert_eq!(problems(&i), ["too_many_projects"]);
        let same = "shop-a ".repeat(200);
        i.projects = &same;
        assert!(NewIncident::parse(&i, utc(NOW)).is_ok());
        i.scope = "some";
        assert_eq!(problems(&i), ["scope_unknown"]);
    }

    #[test]
    fn all_ignores_the_project_list() {
        let mut i = input();
        i.projects = "not a prefix!";
        assert_eq!(NewIncident::parse(&i, utc(NOW)).unwrap().scope, Scope::All);
    }

    #[test]
    fn every_problem_names_its_field() {
        let all = [
            Problem::ScopeUnknown,
            Problem::ProjectsMissing,
            Problem::ProjectInvalid("a".into()),
            Problem::ProjectUnknown("a".into()),
            Problem::TooManyProjects,
            Problem::StartInvalid,
            Problem::StartInFuture,
            Problem::RecoveryInvalid,
            Problem::RecoveryNotAfterStart,
            Problem::RecoveryInFuture,
            Problem::CauseMissing,
            Problem::CauseTooLong,
            Problem::NoticeKoMissing,
            Problem::NoticeKoTooLong,
            Problem::NoticeEnMissing,
            Problem::NoticeEnTooLong,
        ];
        let fields = [
            "scope",
            "projects",
            "started_at",
            "recovered_at",
            "cause",
            "notice_ko",
            "notice_en",
        ];
        let mut codes: Vec<&str> = all.iter().map(Problem::code).collect();
        assert!(all.iter().all(|p| fields.contains(&p.field())));
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len(), "codes are distinct");
    }

    #[test]
    fn check_recovery_alone() {
        let start = utc("2026-11-30T15:00:00Z");
        assert_eq!(
            check_recovery(start, "2026-12-01T02:30", utc(NOW)),
            Ok(utc("2026-11-30T17:30:00Z"))
        );
        assert_eq!(
            check_recovery(start, "2026-12-01T00:00", utc(NOW)),
            Err(Problem::RecoveryNotAfterStart)
        );
    }
}
