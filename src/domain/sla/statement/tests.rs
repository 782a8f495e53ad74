//! Hand-computed statements: each expected figure is worked out in the comment beside it.
use super::*;
use crate::domain::sla::exclusions::{DEFAULT_MAINTENANCE_LEAD, ExcludedKind, ExclusionCategory};
use crate::domain::sla::outages::MinuteCounts;
use crate::domain::sla::policy::FeeBasis;
use crate::domain::sla::span::minute_of;
use crate::domain::test_time::month as m;
use chrono::{DateTime, Utc};
use proptest::prelude::*;
use std::str::FromStr;

const UP: MinuteCounts = MinuteCounts { ok: 3, failed: 0 };
const DOWN: MinuteCounts = MinuteCounts { ok: 0, failed: 3 };

fn utc(x: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(x).unwrap().with_timezone(&Utc)
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn policy(basis: FeeBasis) -> CreditPolicy {
    CreditPolicy::new(3, m("2024-01"), basis, CreditPolicy::standard_bands()).unwrap()
}

fn paid_since(t: &str) -> Vec<PaidInterval> {
    vec![PaidInterval {
        start: utc(t),
        end: None,
    }]
}

/// Every minute of the month and a day either side up, except `down` (KST-free: UTC strings).
fn minutes(month: BillingMonth, down: &[(&str, i64)]) -> Vec<(i64, MinuteCounts)> {
    let from = minute_of(month.start() - WINDOW_MARGIN);
    let to = minute_of(month.end() + WINDOW_MARGIN);
    let down: Vec<(i64, i64)> = down
        .iter()
        .map(|&(at, n)| (minute_of(utc(at)), minute_of(utc(at)) + n))
        .collect();
    (from..to)
        .map(|x| {
            let is_down = down.iter().any(|&(a, b)| a <= x && x < b);
            (x, if is_down { DOWN } else { UP })
        })
        .collect()
}

struct Case {
    month: BillingMonth,
    paid: Vec<PaidInterval>,
    observed: Vec<(i64, MinuteCounts)>,
    maintenance: Vec<MaintenanceWindow>,
    exclusions: Vec<RecordedExclusion>,
    policy: CreditPolicy,
    charges: BTreeMap<BillingMonth, i64>,
    invoice_issued: bool,
}

impl Case {
    fn new(month: &str, down: &[(&str, i64)]) -> Self {
        let month = m(month);
        Self {
            month,
            paid: paid_since("2020-01-01T00:00:00Z"),
            observed: minutes(month, down),
            maintenance: vec![],
            exclusions: vec![],
            policy: policy(FeeBasis::ThisMonth),
            charges: BTreeMap::from([(month, 100_000)]),
            invoice_issued: true,
        }
    }

    fn run(&self) -> Statement {
        compute(&StatementInput {
            month: self.month,
            paid: &self.paid,
            observed: &self.observed,
            maintenance: &self.maintenance,
            exclusions: &self.exclusions,
            maintenance_lead: DEFAULT_MAINTENANCE_LEAD,
            policy: &self.policy,
            charges: &self.charges,
            invoice_issued: self.invoice_issued,
        })
    }
}

fn window(start: &str, end: &str, published: &str) -> MaintenanceWindow {
    MaintenanceWindow {
        id: 1,
        start: utc(start),
        end: utc(end),
        published_at: utc(published),
        notice: "정기 점검".into(),
    }
}

fn exclusion(start: &str, end: &str) -> RecordedExclusion {
    RecordedExclusion {
        id: 9,
        start: utc(start),
        end: utc(end),
        category: ExclusionCategory::CustomerEquipment,
        reason: "고객 방화벽 설정 변경".into(),
        recorded_by: "ops1".into(),
    }
}

#[test]
fn a_clean_month_meets_the_target() {
    let s = Case::new("2026-11", &[]).run();
    assert_eq!(s.service_minutes, 30 * 1440);
    assert_eq!(s.month_minutes, 43_200);
    assert_eq!(
        (s.outage_minutes, s.excluded_minutes, s.no_data_minutes),
        (0, 0, 0)
    );
    assert_eq!(s.availability.display(), "100.000");
    assert_eq!(s.tier, None);
    assert_eq!(s.credit_krw(), 0);
    assert_eq!(s.eligibility, Ok(()));
    assert_eq!(s.policy_version, 3);
}

#[test]
fn each_month_length_allows_its_own_minutes_at_99_9() {
    // 28, 29, 30 and 31 days: 99.9 % allows 40.32 -> 40, 41.76 -> 41, 43.2 -> 43, 44.64 -> 44.
    for (month, allowed) in [
        ("2026-02", 40),
        ("2024-02", 41),
        ("2026-04", 43),
        ("2026-03", 44),
    ] {
        let start = "2026-04-10T03:00:00Z".replace("2026-04", &month[..7]);
        let ok = Case::new(month, &[(&start, allowed)]).run();
        assert_eq!(ok.outage_minutes, allowed as u64, "{month}");
        assert_eq!(ok.tier, None, "{month}: {} minutes meet 99.9 %", allowed);
        let over = Case::new(month, &[(&start, allowed + 1)]).run();
        assert_eq!(
            over.rate_percent(),
            d("5"),
            "{month}: one more minute earns 5 %"
        );
        assert_eq!(over.credit_krw(), 5_000, "{month}: 5 % of 100,000 KRW");
    }
}

#[test]
fn four_minutes_down_are_no_outage_and_five_are() {
    let four = Case::new("2026-11", &[("2026-11-10T03:00:00Z", 4)]).run();
    assert_eq!(four.outages.len(), 0);
    assert_eq!(four.outage_minutes, 0);
    let five = Case::new("2026-11", &[("2026-11-10T03:00:00Z", 5)]).run();
    assert_eq!(five.outages.len(), 1);
    assert_eq!(five.outage_minutes, 5);
    assert_eq!(
        five.outages[0].span.start_time(),
        Some(utc("2026-11-10T03:00:00Z"))
    );
    assert_eq!(
        five.outages[0].span.end_time(),
        Some(utc("2026-11-10T03:05:00Z"))
    );
}

#[test]
fn a_run_across_kst_midnight_is_split_between_the_months() {
    // 1 November 00:00 KST is 31 October 15:00 UTC. Down 14:57-15:03 UTC: 6 minutes in all,
    // 3 in October and 3 in November; each part is an outage, though under 5 minutes alone.
    let down = [("2026-10-31T14:57:00Z", 6)];
    let oct = Case::new("2026-10", &down).run();
    let nov = Case::new("2026-11", &down).run();
    assert_eq!(oct.outage_minutes, 3);
    assert_eq!(nov.outage_minutes, 3);
    assert_eq!(
        oct.outages[0].span.end_time(),
        Some(utc("2026-10-31T15:00:00Z"))
    );
    assert_eq!(
        nov.outages[0].span.start_time(),
        Some(utc("2026-10-31T15:00:00Z"))
    );
    // 4 minutes in all across midnight: no outage on either side.
    let short = [("2026-10-31T14:58:00Z", 4)];
    assert_eq!(Case::new("2026-10", &short).run().outage_minutes, 0);
    assert_eq!(Case::new("2026-11", &short).run().outage_minutes, 0);
}

#[test]
fn a_probe_gap_inside_a_failing_stretch_counts_as_down_and_outside_as_up() {
    let mut c = Case::new("2026-11", &[("2026-11-10T03:00:00Z", 10)]);
    let gap = |from: &str, n: i64| {
        let a = minute_of(utc(from));
        move |x: &(i64, MinuteCounts)| !(a <= x.0 && x.0 < a + n)
    };
    // Three minutes without results in the middle of the 10 down minutes.
    c.observed.retain(gap("2026-11-10T03:04:00Z", 3));
    // Twenty minutes without results on a quiet day.
    c.observed.retain(gap("2026-11-20T00:00:00Z", 20));
    let s = c.run();
    assert_eq!(s.outage_minutes, 10, "the gap does not shorten the outage");
    assert_eq!(
        s.no_data_minutes, 20,
        "only the quiet gap is listed as no data"
    );
    assert_eq!(s.no_data.len(), 1);
    assert_eq!(s.no_data[0].start_time(), Some(utc("2026-11-20T00:00:00Z")));
}

#[test]
fn overlapping_maintenance_and_exclusions_are_subtracted_once() {
    // Down 03:00-04:00 UTC (60 minutes). Maintenance 02:30-03:30, exclusion 03:20-03:40:
    // together they cover 03:00-03:40 of the outage, 40 minutes, not 30 + 20.
    let mut c = Case::new("2026-11", &[("2026-11-10T03:00:00Z", 60)]);
    c.maintenance = vec![window(
        "2026-11-10T02:30:00Z",
        "2026-11-10T03:30:00Z",
        "2026-11-01T00:00:00Z",
    )];
    c.exclusions = vec![exclusion("2026-11-10T03:20:00Z", "2026-11-10T03:40:00Z")];
    let s = c.run();
    assert_eq!(s.outages.len(), 1);
    assert_eq!(s.outages[0].minutes(), 60);
    assert_eq!(s.excluded_minutes, 40);
    assert_eq!(s.outage_minutes, 20);
    assert_eq!(s.excluded.len(), 2);
    assert!(matches!(
        s.excluded[0].kind,
        ExcludedKind::Maintenance {
            announced_in_time: true
        }
    ));
    // 20 of 43,200 minutes: 99.953 %, above the target.
    assert_eq!(s.availability.display(), "99.953");
    assert_eq!(s.credit_krw(), 0);
}

#[test]
fn maintenance_published_late_does_not_excuse_the_outage() {
    let mut c = Case::new("2026-11", &[("2026-11-10T03:00:00Z", 60)]);
    // Published 2 hours ahead, less than the 24-hour lead.
    c.maintenance = vec![window(
        "2026-11-10T03:00:00Z",
        "2026-11-10T04:00:00Z",
        "2026-11-10T01:00:00Z",
    )];
    let s = c.run();
    assert_eq!(
        s.excluded.len(),
        1,
        "listed, so the customer sees why it did not count"
    );
    assert!(!s.excluded[0].counts());
    assert_eq!(s.excluded_minutes, 0);
    assert_eq!(s.outage_minutes, 60);
    // 60 of 43,200: 99.861 % -> 5 % of 100,000 = 5,000.
    assert_eq!(s.availability.display(), "99.861");
    assert_eq!(s.credit_krw(), 5_000);
}

#[test]
fn a_project_paid_from_mid_month_counts_only_its_paid_minutes_and_is_not_eligible() {
    // Paid from 16 November 00:00 KST (15 November 15:00 UTC): 15 days, 21,600 minutes.
    // Down 30 minutes on the 10th (trial, not counted) and 30 on the 20th (counted).
    let mut c = Case::new(
        "2026-11",
        &[("2026-11-10T03:00:00Z", 30), ("2026-11-20T03:00:00Z", 30)],
    );
    c.paid = paid_since("2026-11-15T15:00:00Z");
    let s = c.run();
    assert_eq!(s.service_minutes, 21_600);
    assert_eq!(s.outage_minutes, 30);
    // 100 x (1 - 30 / 21,600) = 99.86111...: 5 % band, 5,000 KRW computed, none due.
    assert_eq!(s.availability.display(), "99.861");
    assert_eq!(s.rate_percent(), d("5"));
    assert_eq!(s.computed_credit.krw, 5_000);
    assert_eq!(s.eligibility, Err(Ineligible::NotPaidAllMonth));
    assert_eq!(s.credit_krw(), 0);
}

#[test]
fn without_an_invoice_no_credit_is_due() {
    let mut c = Case::new("2026-11", &[("2026-11-10T03:00:00Z", 500)]);
    c.invoice_issued = false;
    c.charges.clear();
    let s = c.run();
    assert_eq!(s.eligibility, Err(Ineligible::NoInvoice));
    assert_eq!(s.fee_basis.krw, 0);
    assert_eq!(s.credit_krw(), 0);
}

#[test]
fn every_tier_boundary_on_a_30_day_month() {
    // 30 days: 99.5 % = 216 minutes, 99.0 % = 432, 95.0 % = 2,160. Fee 123,456 KRW.
    for (down, rate, credit) in [
        (216, "5", 6_170),   // 6,172.8 -> 6,170
        (217, "10", 12_340), // 12,345.6 -> 12,340
        (432, "10", 12_340),
        (433, "25", 30_860), // 30,864 -> 30,860
        (2_160, "25", 30_860),
        (2_161, "100", 123_450),
    ] {
        let mut c = Case::new("2026-11", &[("2026-11-10T00:00:00Z", down)]);
        c.charges = BTreeMap::from([(c.month, 123_456)]);
        let s = c.run();
        assert_eq!(s.outage_minutes, down as u64);
        assert_eq!(s.rate_percent(), d(rate), "{down} minutes");
        assert_eq!(s.credit_krw(), credit, "{down} minutes");
    }
}

#[test]
fn the_trailing_basis_uses_the_months_invoiced() {
    let mut c = Case::new("2026-11", &[("2026-11-10T00:00:00Z", 100)]);
    c.policy = policy(FeeBasis::TrailingThreeMonths);
    c.charges = BTreeMap::from([(m("2026-10"), 90_000), (m("2026-11"), 110_000)]);
    let s = c.run();
    assert_eq!(
        s.fee_basis.krw, 100_000,
        "two months: (90,000 + 110,000) / 2"
    );
    assert_eq!(s.fee_basis.months.len(), 2);
    assert_eq!(s.credit_krw(), 5_000);
}

#[test]
fn outage_minutes_outside_the_month_never_count() {
    let s = Case::new("2026-11", &[("2026-10-20T00:00:00Z", 300)]).run();
    assert_eq!(s.outage_minutes, 0);
}

fn arb_case() -> impl Strategy<Value = (Vec<(i64, i64)>, (i64, i64))> {
    (
        prop::collection::vec((0i64..43_000, 1i64..300), 0..5),
        (0i64..43_000, 1i64..600),
    )
}

fn case_with(down: &[(i64, i64)]) -> Case {
    let mut c = Case::new("2026-11", &[]);
    let base = minute_of(c.month.start());
    for x in c.observed.iter_mut() {
        if down
            .iter()
            .any(|&(a, l)| base + a <= x.0 && x.0 < base + a + l)
        {
            x.1 = DOWN;
        }
    }
    c
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn excluding_a_period_never_lowers_availability((down, (ea, el)) in arb_case()) {
        let c = case_with(&down);
        let before = c.run();
        let mut with = case_with(&down);
        let base = c.month.start();
        let from = base + Duration::minutes(ea);
        with.exclusions = vec![RecordedExclusion {
            id: 1,
            start: from,
            end: from + Duration::minutes(el),
            category: ExclusionCategory::ForceMajeure,
            reason: "x".into(),
            recorded_by: "x".into(),
        }];
        let after = with.run();
        prop_assert!(after.availability.truncated() >= before.availability.truncated());
        prop_assert!(after.outage_minutes <= before.outage_minutes);
        prop_assert!(after.credit_krw() <= before.credit_krw());
        prop_assert!(after.credit_krw() <= after.fee_basis.krw);
    }

    #[test]
    fn one_more_down_minute_never_raises_availability((down, (extra, _)) in arb_case()) {
        let before = case_with(&down).run();
        let mut more = down.clone();
        more.push((extra, 1));
        let after = case_with(&more).run();
        prop_assert!(after.availability.truncated() <= before.availability.truncated());
        let a = after.availability.truncated();
        prop_assert!(a >= Decimal::ZERO && a <= Decimal::ONE_HUNDRED);
    }
}
