//! A checked batch folded into what to store: one value per (project, metric, hour), the
//! last one sent winning, and every value it replaces kept for reconciliation.
use super::quantity::Quantity;
use super::record::UsageRecord;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UsageKey {
    pub project_id: i64,
    pub metric: String,
    /// Epoch milliseconds of the hour's start (UTC).
    pub hour_ms: i64,
}

impl UsageKey {
    pub fn of(r: &UsageRecord) -> Self {
        Self {
            project_id: r.project_id,
            metric: r.metric.clone(),
            hour_ms: r.hour.timestamp_millis(),
        }
    }
}

/// A value that was overwritten: the stored one, or an earlier record of the same batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub key: UsageKey,
    pub old: Quantity,
    pub new: Quantity,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchPlan {
    /// The value to store per key, in the order keys first appeared.
    pub writes: Vec<(UsageKey, Quantity)>,
    pub replacements: Vec<Replacement>,
}

impl BatchPlan {
    /// Records that replaced a value (stored before, or sent earlier in the batch).
    pub fn replaced(&self) -> usize {
        self.replacements.len()
    }
}

/// Folds `records` (in the order sent) over the `stored` values of their keys.
pub fn plan(records: &[UsageRecord], stored: &HashMap<UsageKey, Quantity>) -> BatchPlan {
    let mut position: HashMap<UsageKey, usize> = HashMap::with_capacity(records.len());
    let mut out = BatchPlan::default();
    for r in records {
        let key = UsageKey::of(r);
        match position.get(&key) {
            Some(&i) => {
                let old = out.writes[i].1;
                out.writes[i].1 = r.quantity;
                out.replacements.push(Replacement {
                    key,
                    old,
                    new: r.quantity,
                });
            }
            None => {
                if let Some(&old) = stored.get(&key) {
                    out.replacements.push(Replacement {
                        key: key.clone(),
                        old,
                        new: r.quantity,
                    });
                }
                position.insert(key.clone(), out.writes.len());
                out.writes.push((key, r.quantity));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn rec(project_id: i64, metric: &str, hour: &str, q: &str) -> UsageRecord {
        UsageRecord {
            project_id,
            metric: metric.into(),
            hour: DateTime::parse_from_rfc3339(hour)
                .unwrap()
                .with_timezone(&Utc),
            quantity: Quantity::parse(q).unwrap(),
        }
    }

    #[test]
    fn new_keys_are_written_and_nothing_is_replaced() {
        let rs = [
            rec(1, "agent_hours", "2026-11-01T00:00:00Z", "3"),
            rec(1, "agent_hours", "2026-11-01T01:00:00Z", "4"),
            rec(2, "agent_hours", "2026-11-01T00:00:00Z", "5"),
            rec(1, "ingest_gb", "2026-11-01T00:00:00Z", "6"),
        ];
        let p = plan(&rs, &HashMap::new());
        assert_eq!(p.writes.len(), 4);
        assert_eq!(p.replaced(), 0);
    }

    #[test]
    fn a_resent_hour_replaces_the_stored_value_and_keeps_it() {
        let r = rec(1, "agent_hours", "2026-11-01T00:00:00Z", "3");
        let stored = HashMap::from([(UsageKey::of(&r), Quantity::parse("2").unwrap())]);
        let p = plan(std::slice::from_ref(&r), &stored);
        assert_eq!(p.writes, vec![(UsageKey::of(&r), r.quantity)]);
        assert_eq!(
            p.replacements,
            vec![Replacement {
                key: UsageKey::of(&r),
                old: Quantity::parse("2").unwrap(),
                new: r.quantity
            }]
        );
    }

    #[test]
    fn resending_the_same_value_still_counts_as_a_replacement() {
        let r = rec(1, "agent_hours", "2026-11-01T00:00:00Z", "3");
        let stored = HashMap::from([(UsageKey::of(&r), r.quantity)]);
        assert_eq!(plan(std::slice::from_ref(&r), &stored).replaced(), 1);
    }

    #[test]
    fn within_a_batch_the_last_record_wins() {
        let a = rec(1, "agent_hours", "2026-11-01T00:00:00Z", "3");
        let b = rec(1, "agent_hours", "2026-11-01T09:00:00+09:00", "8");
        let c = rec(1, "agent_hours", "2026-11-01T00:00:00Z", "9");
        let stored = HashMap::from([(UsageKey::of(&a), Quantity::parse("1").unwrap())]);
        let p = plan(&[a.clone(), b, c.clone()], &stored);
        assert_eq!(p.writes, vec![(UsageKey::of(&a), c.quantity)]);
        let olds: Vec<String> = p.replacements.iter().map(|r| r.old.to_string()).collect();
        assert_eq!(olds, ["1", "3", "8"]);
        assert_eq!(p.replaced(), 3);
    }
}
