//! The holiday calendar: loading it for the clocks, and the admins' edits (audited; every
//! open incident's due time is recomputed after a change).
use crate::domain::kst::to_millis;
use crate::domain::support::business_hours::HolidayCalendar;
use crate::model::StaffRole;
use crate::model::support::HolidayView;
use crate::server::db::audit::{self, AuditEntry};
use crate::server::db::{Db, support as db};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

pub async fn load(db: &Db) -> Result<HolidayCalendar, sqlx::Error> {
    let rows = db::holidays(db).await?;
    Ok(HolidayCalendar::new(rows.iter().filter_map(|r| {
        NaiveDate::parse_from_str(&r.day, "%Y-%m-%d").ok()
    })))
}

pub async fn list(db: &Db) -> Result<Vec<HolidayView>, sqlx::Error> {
    Ok(db::holidays(db)
        .await?
        .into_iter()
        .map(|r| HolidayView {
            day: r.day,
            name_ko: r.name_ko,
            name_en: r.name_en,
        })
        .collect())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum HolidayOutcome {
    Saved,
    Removed,
    NotThere,
    BadDate,
    NameMissing,
    NotAllowed,
}

fn audit_id(day: NaiveDate) -> i64 {
    i64::from(day.format("%Y%m%d").to_string().parse::<i32>().unwrap_or(0))
}

pub async fn save(
    db: &Db,
    actor_id: i64,
    role: StaffRole,
    day: &str,
    name_ko: &str,
    name_en: &str,
    now: DateTime<Utc>,
) -> Result<HolidayOutcome, sqlx::Error> {
    if !super::edits_calendar(role) {
        return Ok(HolidayOutcome::NotAllowed);
    }
    let Ok(date) = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d") else {
        return Ok(HolidayOutcome::BadDate);
    };
    let (ko, en) = (name_ko.trim(), name_en.trim());
    if ko.is_empty() || ko.chars().count() > 60 || en.chars().count() > 60 {
        return Ok(HolidayOutcome::NameMissing);
    }
    let en = if en.is_empty() { ko } else { en };
    let day = date.format("%Y-%m-%d").to_string();
    let mut tx = db.pool.begin().await?;
    db::upsert_holiday(&mut tx, &day, ko, en, to_millis(now)).await?;
    audit::record(
        &mut *tx,
        &AuditEntry {
            at_ms: to_millis(now),
            actor_user_id: actor_id,
            actor_role: role.code(),
            action: "holiday.saved",
            target_kind: "holiday",
            target_id: audit_id(date),
            customer_user_id: None,
            reason: "",
            detail: json!({"day": day, "name_ko": ko, "name_en": en}),
        },
    )
    .await?;
    tx.commit().await?;
    super::tickets::recompute_open_incidents(db, now).await?;
    Ok(HolidayOutcome::Saved)
}

pub async fn remove(
    db: &Db,
    actor_id: i64,
    role: StaffRole,
    day: &str,
    now: DateTime<Utc>,
) -> Result<HolidayOutcome, sqlx::Error> {
    if !super::edits_calendar(role) {
        return Ok(HolidayOutcome::NotAllowed);
    }
    let Ok(date) = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d") else {
        return Ok(HolidayOutcome::BadDate);
    };
    let day = date.format("%Y-%m-%d").to_string();
    let mut tx = db.pool.begin().await?;
    if !db::delete_holiday(&mut tx, &day).await? {
        return Ok(HolidayOutcome::NotThere);
    }
    audit::record(
        &mut *tx,
        &AuditEntry {
            at_ms: to_millis(now),
            actor_user_id: actor_id,
            actor_role: role.code(),
            action: "holiday.removed",
            target_kind: "holiday",
            target_id: audit_id(date),
            customer_user_id: None,
            reason: "",
            detail: json!({"day": day}),
        },
    )
    .await?;
    tx.commit().await?;
    super::tickets::recompute_open_incidents(db, now).await?;
    Ok(HolidayOutcome::Removed)
}
