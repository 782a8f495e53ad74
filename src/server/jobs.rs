//! Background jobs. Each run takes a lease in the database first, so with several portal
//! instances a job runs once; the work itself is idempotent too, so a lost lease (an
//! instance killed mid-run) never applies a transition or sends a notice twice.
use super::db::notifications::{self, NewNotification};
use super::db::{Db, leases, projects as q, sessions};
use super::startup::AppState;
use crate::domain::kst::to_millis;
use crate::domain::lifecycle::{self, LifecycleState};
use crate::domain::session::{ABSOLUTE_TIMEOUT_HOURS, IDLE_TIMEOUT_MINUTES};
use chrono::{DateTime, Duration, Utc};
use std::time::Duration as StdDuration;

const LIFECYCLE_LEASE: &str = "lifecycle";
const EVERY: StdDuration = StdDuration::from_secs(60);

pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    let holder = format!(
        "{}-{}",
        std::process::id(),
        super::auth::session::new_token()
    );
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            let now = Utc::now();
            match run_lifecycle_with_lease(&state.db, &holder, now).await {
                Ok(Some(r)) if r.transitions + r.notices > 0 => {
                    tracing::info!(
                        transitions = r.transitions,
                        notices = r.notices,
                        "lifecycle job"
                    );
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "lifecycle job failed"),
            }
            let idle = to_millis(now - Duration::minutes(IDLE_TIMEOUT_MINUTES));
            let created = to_millis(now - Duration::hours(ABSOLUTE_TIMEOUT_HOURS));
            if let Err(e) = sessions::purge_expired(&state.db, idle, created).await {
                tracing::error!(error = %e, "session purge failed");
            }
            state.auth_limiter.forget_idle();
        }
    })
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LifecycleRun {
    pub transitions: u64,
    pub notices: u64,
}

/// None when another instance holds the lease.
pub async fn run_lifecycle_with_lease(
    db: &Db,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<Option<LifecycleRun>, sqlx::Error> {
    let now_ms = to_millis(now);
    if !leases::try_acquire(db, LIFECYCLE_LEASE, holder, now_ms, now_ms + 55_000).await? {
        return Ok(None);
    }
    let result = run_lifecycle(db, now).await;
    leases::release(db, LIFECYCLE_LEASE, holder).await?;
    result.map(Some)
}

/// Applies every due lifecycle transition and records the notices due 3 and 1 days ahead.
pub async fn run_lifecycle(db: &Db, now: DateTime<Utc>) -> Result<LifecycleRun, sqlx::Error> {
    let now_ms = to_millis(now);
    let mut run = LifecycleRun::default();
    for row in q::all(db).await? {
        let facts = super::projects::facts(&row);
        let due = lifecycle::state_at(&facts, now);
        let stored = row.state;
        if due != stored {
            let due_at = lifecycle::schedule(&facts)
                .into_iter()
                .find(|(s, _)| *s == due)
                .map(|(_, at)| to_millis(at))
                .unwrap_or(now_ms);
            if q::apply_transition(db, &row, due.code(), due_at, now_ms).await? {
                run.transitions += 1;
                if due != LifecycleState::Active {
                    notifications::insert_once(
                        db,
                        &NewNotification {
                            user_id: row.owner_id,
                            project_id: row.id,
                            kind: "lifecycle_applied",
                            step: due.code(),
                            step_at: due_at,
                            days_before: 0,
                        },
                        now_ms,
                    )
                    .await?;
                }
            }
        }
        for notice in lifecycle::due_notices(&facts, now) {
            if notifications::insert_once(
                db,
                &NewNotification {
                    user_id: row.owner_id,
                    project_id: row.id,
                    kind: "lifecycle_notice",
                    step: notice.step.code(),
                    step_at: to_millis(notice.at),
                    days_before: notice.days_before,
                },
                now_ms,
            )
            .await?
            {
                run.notices += 1;
            }
        }
    }
    Ok(run)
}
