//! From probe results per minute to outages (SPEC R3.2, issue 17).
//!
//! A minute is DOWN when it has results and every one failed, UP when any succeeded, NO DATA
//! when it has none. No-data minutes between two down minutes count as down, so a probe gap
//! inside an outage does not shorten it; other no-data minutes count as up and are listed. An
//! outage is a maximal run of down minutes lasting at least five minutes; a run crossing a
//! month boundary is judged whole, then split between the months.
use super::span::{Span, clip, subtract};

/// R3.2: "continuously, for 5 minutes or more".
pub const MIN_OUTAGE_MINUTES: u64 = 5;

/// How many results of one minute succeeded and failed (the per-minute roll-up).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MinuteCounts {
    pub ok: u32,
    pub failed: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinuteState {
    Up,
    Down,
    NoData,
}

impl MinuteCounts {
    pub fn state(self) -> MinuteState {
        if self.ok > 0 {
            MinuteState::Up
        } else if self.failed > 0 {
            MinuteState::Down
        } else {
            MinuteState::NoData
        }
    }
}

/// What the minutes of one period show.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MinuteFindings {
    /// Outages (runs of five minutes or more), clipped to the period.
    pub outages: Vec<Span>,
    /// No-data minutes of the period that count as up (those inside a down run do not).
    pub no_data: Vec<Span>,
}

/// Reads the minutes of `period`.
///
/// `observed` holds every minute with at least one result, sorted by minute, over a window
/// reaching beyond the period on both sides, so that a run crossing the period's edge is
/// judged whole; minutes outside the window are treated as having no data. The caller picks
/// the margin (the statement uses a day on each side).
pub fn read_minutes(period: Span, observed: &[(i64, MinuteCounts)]) -> MinuteFindings {
    let mut runs: Vec<Span> = Vec::new();
    // The open run: its first and last down minute. An up minute closes it; a no-data gap
    // keeps it open, since such minutes count as down once another down minute follows.
    let mut open: Option<(i64, i64)> = None;
    fn close(run: Option<(i64, i64)>, runs: &mut Vec<Span>) {
        if let Some(span) = run.and_then(|(first, last)| Span::new(first, last + 1)) {
            runs.push(span);
        }
    }
    let mut previous: Option<i64> = None;
    for &(minute, counts) in observed {
        // Results are one row per minute; a repeated or unsorted minute is a caller bug that
        // must not make a run go backwards.
        if previous.is_some_and(|p| minute <= p) {
            continue;
        }
        previous = Some(minute);
        match counts.state() {
            MinuteState::Down => {
                open = Some(match open {
                    Some((first, _)) => (first, minute),
                    None => (minute, minute),
                });
            }
            MinuteState::Up => close(open.take(), &mut runs),
            MinuteState::NoData => {}
        }
    }
    close(open.take(), &mut runs);

    let outages: Vec<Span> = runs
        .iter()
        .copied()
        .filter(|r| r.minutes() >= MIN_OUTAGE_MINUTES)
        .collect();
    let outages = clip(&outages, &[period]);

    // No-data minutes: the period's minutes without results, outside every down run (short
    // runs included: their gap minutes are down, just not an outage).
    let mut seen: Vec<Span> = observed
        .iter()
        .filter(|(_, c)| c.state() != MinuteState::NoData)
        .filter_map(|&(m, _)| Span::new(m, m + 1))
        .collect();
    seen.extend(runs.iter().copied());
    let no_data = subtract(&[period], &seen);
    MinuteFindings { outages, no_data }
}

#[cfg(test)]
mod tests {
    use super::super::span::total;
    use super::*;
    use proptest::prelude::*;

    const UP: MinuteCounts = MinuteCounts { ok: 2, failed: 1 };
    const DOWN: MinuteCounts = MinuteCounts { ok: 0, failed: 3 };

    fn s(a: i64, b: i64) -> Span {
        Span::new(a, b).unwrap()
    }

    /// Minutes from a picture: `u` up, `d` down, `.` no data; minute 0 is the first character.
    fn picture(p: &str) -> Vec<(i64, MinuteCounts)> {
        p.chars()
            .enumerate()
            .filter_map(|(i, c)| match c {
                'u' => Some((i as i64, UP)),
                'd' => Some((i as i64, DOWN)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn one_success_makes_a_minute_up() {
        assert_eq!(MinuteCounts { ok: 1, failed: 9 }.state(), MinuteState::Up);
        assert_eq!(MinuteCounts { ok: 0, failed: 1 }.state(), MinuteState::Down);
        assert_eq!(MinuteCounts::default().state(), MinuteState::NoData);
    }

    #[test]
    fn four_down_minutes_are_no_outage_and_five_are() {
        let f = read_minutes(s(0, 20), &picture("uuddddu"));
        assert_eq!(f.outages, []);
        let f = read_minutes(s(0, 20), &picture("uudddddu"));
        assert_eq!(f.outages, [s(2, 7)]);
        assert_eq!(total(&f.outages), 5);
    }

    #[test]
    fn a_probe_gap_inside_a_failing_stretch_counts_as_down() {
        // d . . d spans four minutes; d d . . d spans five.
        let f = read_minutes(s(0, 10), &picture("ud..du"));
        assert_eq!(
            f.outages,
            [],
            "four minutes from the first to the last down minute"
        );
        let f = read_minutes(s(0, 10), &picture("udd..du"));
        assert_eq!(
            f.outages,
            [s(1, 6)],
            "the gap makes the run five minutes long"
        );
        assert_eq!(
            total(&f.no_data),
            10 - 7,
            "gap minutes inside the run are not no-data"
        );
    }

    #[test]
    fn no_data_outside_a_failing_stretch_counts_as_up_and_is_listed() {
        let f = read_minutes(s(0, 12), &picture("..uuu.ddddd.u"));
        assert_eq!(f.outages, [s(6, 11)]);
        assert_eq!(f.no_data, [s(0, 2), s(5, 6), s(11, 12)]);
    }

    #[test]
    fn no_data_before_the_first_or_after_the_last_down_minute_does_not_extend_a_run() {
        let f = read_minutes(s(0, 20), &picture("u...ddddd...u"));
        assert_eq!(f.outages, [s(4, 9)]);
        assert_eq!(total(&f.no_data), 20 - 2 - 5);
    }

    #[test]
    fn an_up_minute_splits_two_short_runs_that_never_make_an_outage() {
        let f = read_minutes(s(0, 20), &picture("dddudddd"));
        assert_eq!(f.outages, []);
    }

    #[test]
    fn a_run_across_the_period_edge_is_judged_whole_then_clipped() {
        // Period starts at minute 10; the run is minutes 7..13 (6 long): 3 fall inside.
        let f = read_minutes(s(10, 40), &picture("uuuuuuuddddddu"));
        assert_eq!(f.outages, [s(10, 13)]);
        // Period ends at minute 10: the run's first three minutes belong to it.
        let f = read_minutes(s(0, 10), &picture("uuuuuuuddddddu"));
        assert_eq!(f.outages, [s(7, 10)]);
        // Only 2 minutes on this side and 3 on the other: still one 5-minute outage.
        let f = read_minutes(s(10, 20), &picture("uuuuuuuuddddd"));
        assert_eq!(f.outages, [s(10, 13)]);
    }

    #[test]
    fn a_run_still_failing_at_the_end_of_the_data_ends_with_its_last_down_minute() {
        let f = read_minutes(s(0, 10), &picture("uuuddddddd"));
        assert_eq!(f.outages, [s(3, 10)]);
    }

    #[test]
    fn repeated_or_unsorted_minutes_are_ignored() {
        let mut obs = picture("udddddu");
        obs.insert(3, (1, UP));
        assert_eq!(read_minutes(s(0, 10), &obs).outages, [s(1, 6)]);
    }

    #[test]
    fn a_period_without_results_is_all_no_data() {
        let f = read_minutes(s(100, 200), &[]);
        assert_eq!(f.outages, []);
        assert_eq!(f.no_data, [s(100, 200)]);
    }

    fn arb_minutes() -> impl Strategy<Value = Vec<(i64, MinuteCounts)>> {
        prop::collection::vec(0u8..3, 0..120).prop_map(|v| {
            v.into_iter()
                .enumerate()
                .filter_map(|(i, k)| match k {
                    0 => Some((i as i64, UP)),
                    1 => Some((i as i64, DOWN)),
                    _ => None,
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn outages_and_no_data_never_overlap_and_stay_in_the_period(obs in arb_minutes(), a in 0i64..60, l in 1i64..80) {
            let period = s(a, a + l);
            let f = read_minutes(period, &obs);
            prop_assert_eq!(total(&clip(&f.outages, &f.no_data)), 0);
            prop_assert_eq!(total(&clip(&f.outages, &[period])), total(&f.outages));
            prop_assert_eq!(total(&clip(&f.no_data, &[period])), total(&f.no_data));
            for &(m, c) in &obs {
                if c.state() == MinuteState::Up {
                    prop_assert!(!f.outages.iter().any(|o| o.contains(m)));
                }
            }
        }

        #[test]
        fn turning_an_up_minute_down_never_shortens_the_outages(obs in arb_minutes(), pick in 0usize..120) {
            let period = s(0, 120);
            let before = total(&read_minutes(period, &obs).outages);
            let mut worse = obs.clone();
            if let Some(x) = worse.get_mut(pick) {
                x.1 = DOWN;
            }
            prop_assert!(total(&read_minutes(period, &worse).outages) >= before);
        }
    }
}
