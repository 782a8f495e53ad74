//! How long raw probe results are kept (issue 17): at least the dispute period of every
//! statement they stand behind, counted from that month's last statement (a revision starts
//! it again), and for good while a month's statements are not issued yet. Only the raw
//! results go; the per-minute roll-up the statements are computed from is kept.
use crate::domain::billing::month::BillingMonth;
use chrono::{DateTime, Duration, Utc};

/// A month with issued statements, and when the last of them (any project, any revision) was
/// issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssuedMonth {
    pub month: BillingMonth,
    pub last_issued_at: DateTime<Utc>,
}

/// A probe may report a minute a little ahead of its own clock (the ingestion allows 5
/// minutes), so a result of a month can arrive just before the month starts; a day of margin
/// keeps such results with their month.
const ARRIVAL_MARGIN: Duration = Duration::days(1);

/// Raw results that arrived before the returned instant may be deleted.
///
/// `due` is the month whose statements are issued next (`sla::month_due`): it and every later
/// month have no statements yet, so nothing of theirs goes. A month of `issued` still within
/// `dispute_days` of its last statement keeps everything from its start on. Results arrive
/// at or after the minute they report (less the margin), so cutting by arrival never reaches
/// a kept month's results; a late result of an old month is kept longer, never shorter.
pub fn raw_results_purge_before(
    now: DateTime<Utc>,
    dispute_days: u32,
    due: BillingMonth,
    issued: &[IssuedMonth],
) -> DateTime<Utc> {
    let dispute = Duration::days(i64::from(dispute_days));
    let earliest_kept = issued
        .iter()
        .filter(|m| now < m.last_issued_at + dispute)
        .map(|m| m.month)
        .chain(std::iter::once(due))
        .min()
        .unwrap_or(due);
    earliest_kept.start() - ARRIVAL_MARGIN
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_time::utc;

    fn month(y: i32, m: u32) -> BillingMonth {
        BillingMonth::new(y, m).unwrap()
    }

    fn issued(y: i32, m: u32, at: &str) -> IssuedMonth {
        IssuedMonth {
            month: month(y, m),
            last_issued_at: utc(at),
        }
    }

    #[test]
    fn with_nothing_issued_only_results_before_the_due_month_go() {
        let now = utc("2026-03-10T00:00:00+09:00");
        assert_eq!(
            raw_results_purge_before(now, 90, month(2026, 2), &[]),
            utc("2026-01-31T00:00:00+09:00")
        );
    }

    #[test]
    fn a_month_is_kept_until_its_dispute_period_after_its_last_statement_ends() {
        // January's statements were issued at 00:00 KST on 3 February (48 hours settled).
        let jan = issued(2026, 1, "2026-02-03T00:00:00+09:00");
        let due = month(2026, 4);
        // 90 days later is 00:00 KST on 4 May: one second before, January is kept...
        let before = utc("2026-05-03T23:59:59+09:00");
        assert_eq!(
            raw_results_purge_before(before, 90, due, &[jan]),
            utc("2025-12-31T00:00:00+09:00")
        );
        // ...and from that instant on, it may go (up to the due month).
        let at = utc("2026-05-04T00:00:00+09:00");
        assert_eq!(
            raw_results_purge_before(at, 90, due, &[jan]),
            utc("2026-03-31T00:00:00+09:00")
        );
    }

    #[test]
    fn a_revision_starts_the_dispute_period_again_and_keeps_every_later_month() {
        let now = utc("2026-09-01T00:00:00+09:00");
        let months = [
            issued(2026, 1, "2026-08-20T10:00:00+09:00"), // revised last month
            issued(2026, 2, "2026-03-03T00:00:00+09:00"),
            issued(2026, 3, "2026-04-03T00:00:00+09:00"),
        ];
        // January is disputable again: nothing from January on may go, although February and
        // March are past their periods (the cut is one instant, by arrival).
        assert_eq!(
            raw_results_purge_before(now, 90, month(2026, 8), &months),
            utc("2025-12-31T00:00:00+09:00")
        );
    }

    #[test]
    fn months_past_their_period_go_and_the_earliest_month_in_dispute_stops_the_cut() {
        let now = utc("2026-07-15T00:00:00+09:00");
        let months = [
            issued(2026, 2, "2026-03-03T00:00:00+09:00"),
            issued(2026, 3, "2026-04-03T00:00:00+09:00"),
            issued(2026, 4, "2026-05-03T00:00:00+09:00"), // 90 days end 1 August
            issued(2026, 5, "2026-06-03T00:00:00+09:00"),
        ];
        assert_eq!(
            raw_results_purge_before(now, 90, month(2026, 6), &months),
            utc("2026-03-31T00:00:00+09:00")
        );
    }

    #[test]
    fn the_cut_never_passes_the_due_month_however_short_the_period() {
        let now = utc("2026-03-02T12:00:00+09:00");
        let feb = issued(2026, 2, "2026-03-01T00:00:00+09:00");
        // A zero-day period: February is past it, but February is still the due month.
        assert_eq!(
            raw_results_purge_before(now, 0, month(2026, 2), &[feb]),
            utc("2026-01-31T00:00:00+09:00")
        );
    }

    #[test]
    fn month_ends_of_every_length_and_the_year_boundary() {
        // The cut is the day before the first kept month, whatever that month's predecessor's
        // length: 28, 29, 30 and 31 days, and across New Year.
        for (due, cut) in [
            (month(2026, 3), "2026-02-28T00:00:00+09:00"),
            (month(2028, 3), "2028-02-29T00:00:00+09:00"),
            (month(2026, 5), "2026-04-30T00:00:00+09:00"),
            (month(2026, 8), "2026-07-31T00:00:00+09:00"),
            (month(2027, 1), "2026-12-31T00:00:00+09:00"),
        ] {
            let now = due.end();
            assert_eq!(raw_results_purge_before(now, 90, due, &[]), utc(cut));
        }
    }
}
