//! Stretches of whole minutes, the unit every SLA figure is counted in.
//!
//! A minute is an epoch minute (minutes since 1970-01-01 00:00 UTC). KST is a whole number of
//! hours ahead of UTC, so every KST minute is exactly one epoch minute and no conversion can
//! shift a figure by part of a minute.
use crate::domain::billing::BillingMonth;
use chrono::{DateTime, Utc};

/// The epoch minute `t` falls in (seconds dropped).
pub fn minute_of(t: DateTime<Utc>) -> i64 {
    t.timestamp().div_euclid(60)
}

/// The instant a minute starts.
pub fn start_of_minute(minute: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(minute.checked_mul(60)?, 0)
}

/// Minutes `[start, end)`; never empty and never reversed once made with `new`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    start: i64,
    end: i64,
}

impl Span {
    /// None when `end <= start`: an empty stretch is not a span.
    pub fn new(start: i64, end: i64) -> Option<Self> {
        (start < end).then_some(Self { start, end })
    }

    /// The minutes from the one `from` falls in up to (not including) the one `to` falls in;
    /// a `to` inside a minute counts that minute as well, so a period never loses its tail.
    pub fn between(from: DateTime<Utc>, to: DateTime<Utc>) -> Option<Self> {
        let end = if to.timestamp().rem_euclid(60) == 0 && to.timestamp_subsec_nanos() == 0 {
            minute_of(to)
        } else {
            minute_of(to) + 1
        };
        Self::new(minute_of(from), end)
    }

    /// The minutes of a KST month (28-31 days, never empty).
    pub fn of_month(month: BillingMonth) -> Self {
        let start = minute_of(month.start());
        Self {
            start,
            end: minute_of(month.end()).max(start + 1),
        }
    }

    pub fn start(self) -> i64 {
        self.start
    }

    pub fn end(self) -> i64 {
        self.end
    }

    pub fn minutes(self) -> u64 {
        self.end.abs_diff(self.start)
    }

    pub fn contains(self, minute: i64) -> bool {
        self.start <= minute && minute < self.end
    }

    pub fn intersect(self, other: Span) -> Option<Span> {
        Span::new(self.start.max(other.start), self.end.min(other.end))
    }

    pub fn start_time(self) -> Option<DateTime<Utc>> {
        start_of_minute(self.start)
    }

    pub fn end_time(self) -> Option<DateTime<Utc>> {
        start_of_minute(self.end)
    }
}

/// Sorted, disjoint spans with touching ones joined: a period covered twice counts once.
pub fn merge(spans: impl IntoIterator<Item = Span>) -> Vec<Span> {
    let mut all: Vec<Span> = spans.into_iter().collect();
    all.sort();
    let mut out: Vec<Span> = Vec::with_capacity(all.len());
    for s in all {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// The parts of `spans` inside `within` (both merged first).
pub fn clip(spans: &[Span], within: &[Span]) -> Vec<Span> {
    let a = merge(spans.iter().copied());
    let b = merge(within.iter().copied());
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if let Some(x) = a[i].intersect(b[j]) {
            out.push(x);
        }
        if a[i].end < b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// The parts of `spans` outside `removed`.
pub fn subtract(spans: &[Span], removed: &[Span]) -> Vec<Span> {
    let removed = merge(removed.iter().copied());
    let mut out = Vec::new();
    for s in merge(spans.iter().copied()) {
        let mut from = s.start;
        for r in removed
            .iter()
            .filter(|r| r.end > s.start && r.start < s.end)
        {
            if r.start > from {
                out.push(Span {
                    start: from,
                    end: r.start,
                });
            }
            from = from.max(r.end);
        }
        if from < s.end {
            out.push(Span {
                start: from,
                end: s.end,
            });
        }
    }
    out
}

/// Minutes covered by `spans`, each minute once.
pub fn total(spans: &[Span]) -> u64 {
    merge(spans.iter().copied())
        .iter()
        .map(|s| s.minutes())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn s(a: i64, b: i64) -> Span {
        Span::new(a, b).unwrap()
    }

    fn utc(x: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(x).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn an_empty_or_reversed_span_is_refused() {
        assert_eq!(Span::new(5, 5), None);
        assert_eq!(Span::new(6, 5), None);
        assert_eq!(s(5, 6).minutes(), 1);
    }

    #[test]
    fn a_period_ending_inside_a_minute_keeps_that_minute() {
        let a = Span::between(utc("2026-10-01T00:00:00Z"), utc("2026-10-01T00:05:00Z")).unwrap();
        assert_eq!(a.minutes(), 5);
        let b = Span::between(utc("2026-10-01T00:00:30Z"), utc("2026-10-01T00:05:01Z")).unwrap();
        assert_eq!(b.minutes(), 6);
        assert_eq!(
            Span::between(utc("2026-10-01T00:05:00Z"), utc("2026-10-01T00:05:00Z")),
            None
        );
        assert_eq!(a.start_time(), Some(utc("2026-10-01T00:00:00Z")));
        assert_eq!(a.end_time(), Some(utc("2026-10-01T00:05:00Z")));
    }

    #[test]
    fn minutes_before_1970_round_down() {
        assert_eq!(minute_of(utc("1969-12-31T23:59:30Z")), -1);
    }

    #[test]
    fn overlapping_and_touching_spans_merge() {
        assert_eq!(
            merge([s(10, 20), s(0, 5), s(15, 30), s(30, 31), s(40, 41)]),
            [s(0, 5), s(10, 31), s(40, 41)]
        );
        assert_eq!(total(&[s(0, 10), s(5, 15)]), 15, "the overlap counts once");
    }

    #[test]
    fn clipping_and_subtracting() {
        let outages = [s(0, 10), s(20, 30)];
        assert_eq!(clip(&outages, &[s(5, 25)]), [s(5, 10), s(20, 25)]);
        assert_eq!(subtract(&outages, &[s(5, 25)]), [s(0, 5), s(25, 30)]);
        assert_eq!(subtract(&outages, &[s(-5, 100)]), []);
        assert_eq!(subtract(&outages, &[]), outages);
        assert_eq!(
            subtract(&[s(0, 10)], &[s(2, 3), s(5, 6)]),
            [s(0, 2), s(3, 5), s(6, 10)]
        );
    }

    fn arb_spans() -> impl Strategy<Value = Vec<Span>> {
        prop::collection::vec((0i64..500, 1i64..60), 0..12)
            .prop_map(|v| v.into_iter().map(|(a, l)| s(a, a + l)).collect())
    }

    proptest! {
        #[test]
        fn clip_and_subtract_split_the_minutes(a in arb_spans(), b in arb_spans()) {
            let inside = total(&clip(&a, &b));
            let outside = total(&subtract(&a, &b));
            prop_assert_eq!(inside + outside, total(&a));
            for m in 0..600 {
                let in_a = a.iter().any(|x| x.contains(m));
                let in_b = b.iter().any(|x| x.contains(m));
                prop_assert_eq!(clip(&a, &b).iter().any(|x| x.contains(m)), in_a && in_b);
                prop_assert_eq!(subtract(&a, &b).iter().any(|x| x.contains(m)), in_a && !in_b);
            }
        }
    }
}
