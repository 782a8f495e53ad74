//! When a customer is reminded of an unpaid invoice before its due date (R7: told before
//! each step; the first step, access stopping, comes the day after the due date).
//!
//! Two reminders: "3 days" while 2 or 3 days are left, "1 day" while 1 or 0 days are left
//! (the due date itself). A window, not an exact day, so a job that did not run on the day
//! (an outage, a restart) still reminds the next day; each reminder is sent once (its key).
use chrono::NaiveDate;

/// Which reminder is due on `today` for an invoice due on `due`: 3, 1, or none.
pub fn reminder_due(today: NaiveDate, due: NaiveDate) -> Option<i64> {
    match (due - today).num_days() {
        2..=3 => Some(3),
        0..=1 => Some(1),
        _ => None,
    }
}

/// The key that sends a reminder once per invoice.
pub fn reminder_key(invoice_id: i64, days_before: i64) -> String {
    format!("invoice_due_soon:{invoice_id}:{days_before}")
}

/// The key of an invoice's overdue notice (once per invoice).
pub fn overdue_key(invoice_id: i64) -> String {
    format!("invoice_overdue:{invoice_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn three_days_then_one_day_before_the_due_date() {
        let due = d("2026-12-25");
        for (today, want) in [
            ("2026-12-20", None),
            ("2026-12-21", None),
            ("2026-12-22", Some(3)),
            ("2026-12-23", Some(3)),
            ("2026-12-24", Some(1)),
            ("2026-12-25", Some(1)),
            // Past due: the overdue notice takes over.
            ("2026-12-26", None),
        ] {
            assert_eq!(reminder_due(d(today), due), want, "{today}");
        }
    }

    #[test]
    fn across_month_ends_and_leap_days() {
        // Due on 1 March 2028: 3 days before is 27 February, the leap day counted.
        assert_eq!(reminder_due(d("2028-02-26"), d("2028-03-01")), None);
        assert_eq!(reminder_due(d("2028-02-27"), d("2028-03-01")), Some(3));
        assert_eq!(reminder_due(d("2028-02-28"), d("2028-03-01")), Some(3));
        assert_eq!(reminder_due(d("2028-02-29"), d("2028-03-01")), Some(1));
        // 2027 has no 29 February: 26 February is 3 days before 1 March.
        assert_eq!(reminder_due(d("2027-02-25"), d("2027-03-01")), None);
        assert_eq!(reminder_due(d("2027-02-26"), d("2027-03-01")), Some(3));
        // New Year.
        assert_eq!(reminder_due(d("2026-12-31"), d("2027-01-01")), Some(1));
        assert_eq!(reminder_due(d("2026-12-29"), d("2027-01-01")), Some(3));
    }

    #[test]
    fn each_reminder_has_its_own_key() {
        assert_eq!(reminder_key(12, 3), "invoice_due_soon:12:3");
        assert_ne!(reminder_key(12, 3), reminder_key(12, 1));
        assert_ne!(reminder_key(12, 1), reminder_key(13, 1));
        assert_eq!(overdue_key(12), "invoice_overdue:12");
    }
}
