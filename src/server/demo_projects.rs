//! The demo customer's projects: one free trial with targets, one paid with a capacity change.
use super::accounts::ServiceError;
use super::db::projects::{self as q, CapacityCols, NewProject, NewTarget};
use super::startup::AppState;
use crate::domain::kst::to_millis;
use crate::domain::plan::{Capacity, Plan};
use crate::domain::stored::UserId;
use chrono::{DateTime, Duration, Utc};

pub async fn seed(
    state: &AppState,
    owner_id: UserId,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let free = Capacity::FREE_DEFAULT;
    let trial = match q::insert(
        &state.db,
        &NewProject {
            owner_id,
            name: "데모 쇼핑몰",
            prefix: "demo-shop",
            plan: "free",
            ingest_gb_per_day: i64::from(free.ingest_gb_per_day),
            storage_gb: i64::from(free.storage_gb),
            next_step_at: super::projects::new_project_next_step(
                Plan::Free,
                now - Duration::days(12),
            ),
            max_projects: None,
        },
        to_millis(now - Duration::days(12)),
    )
    .await
    {
        Ok(id) => id,
        // Demo data already there (or the prefix taken): nothing to add.
        Err(_) => return Ok(()),
    };
    for (kind, name, detail) in [
        ("url", "메인 페이지", "https://shop.example.kr/"),
        ("was", "주문 WAS", "order-was01.example.kr:8080"),
    ] {
        q::add_target(
            &state.db,
            trial,
            &NewTarget { kind, name, detail },
            Some(5),
            to_millis(now),
        )
        .await?;
    }
    let paid = Capacity::PAID_DEFAULT;
    if let Ok(id) = q::insert(
        &state.db,
        &NewProject {
            owner_id,
            name: "결제 API",
            prefix: "demo-pay",
            plan: "paid",
            ingest_gb_per_day: i64::from(paid.ingest_gb_per_day),
            storage_gb: i64::from(paid.storage_gb),
            next_step_at: None,
            max_projects: None,
        },
        to_millis(now - Duration::days(40)),
    )
    .await
    {
        q::add_target(
            &state.db,
            id,
            &NewTarget {
                kind: "kubernetes",
                name: "운영 클러스터",
                detail: "prod-cluster",
            },
            None,
            to_millis(now),
        )
        .await?;
        let from = CapacityCols {
            ingest_gb_per_day: 10,
            storage_gb: 100,
            extended_retention: 0,
            remote_support: 0,
        };
        let to = CapacityCols {
            ingest_gb_per_day: 50,
            storage_gb: 500,
            extended_retention: 1,
            remote_support: 0,
        };
        q::apply_capacity_change(
            &state.db,
            id,
            owner_id,
            from,
            to,
            to_millis(now - Duration::days(5)),
        )
        .await?;
    }
    Ok(())
}
