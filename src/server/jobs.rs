//! Background jobs. Each run takes a lease in the database first, so with several portal
//! instances a job runs once; the work itself is idempotent too, so a lost lease (an
//! instance killed mid-run) never applies a transition or sends a notice twice.
use super::db::notifications::NewNotification;
use super::db::projects::{DueWork, ProjectRow};
use super::db::{Db, leases, projects as q, sessions};
use super::mail::{Content, Mail, Recipient, Template};
use super::startup::AppState;
use crate::domain::kst::{from_millis, to_millis};
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
            if let Err(e) = super::login_throttle::purge(&state.db, now).await {
                tracing::error!(error = %e, "log-in throttle purge failed");
            }
            // Billing (issue 18): the month close after its settle period, then overdue invoices.
            match super::billing::close_due_month(&state, &holder, now).await {
                Ok(Some(r)) => {
                    tracing::info!(issued = r.issued, already = r.already, "month close")
                }
                Ok(None) => {}
                Err(e) => tracing::error!(error = %e, "month close failed"),
            }
            // SLA statements (issue 17): after the settle period, once that month's invoices exist.
            match super::sla::issue_due_month(&state, &holder, now).await {
                Ok(Some(r)) => tracing::info!(
                    issued = r.issued,
                    already = r.already,
                    credits_krw = r.credits_krw,
                    "SLA statements"
                ),
                Ok(None) => {}
                Err(e) => tracing::error!(error = %e, "SLA statements failed"),
            }
            if let Err(e) = super::sla::purge_raw_results(&state, now).await {
                tracing::error!(error = %e, "probe result purge failed");
            }
            if let Err(e) = super::billing::mark_overdue(&state, now).await {
                tracing::error!(error = %e, "overdue invoices job failed");
            }
            if let Err(e) = super::billing::remind_due_soon(&state, now).await {
                tracing::error!(error = %e, "invoice reminders failed");
            }
            state.auth_limiter.forget_idle();
            state.project_limiter.forget_idle();
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

/// How many due projects one run takes on; the rest wait for the next run, a minute later.
const BATCH: i64 = 500;

/// Applies the due lifecycle steps and records the notices due 3 and 1 days ahead, for the
/// projects whose `next_step_at` has come (and only those).
pub async fn run_lifecycle(db: &Db, now: DateTime<Utc>) -> Result<LifecycleRun, sqlx::Error> {
    let mut run = LifecycleRun::default();
    for row in q::due_for_lifecycle(db, to_millis(now), BATCH).await? {
        let r = run_lifecycle_for(db, &row, now).await?;
        run.transitions += r.transitions;
        run.notices += r.notices;
    }
    Ok(run)
}

/// The job's work for one project, as read in `row`: every step it passes (one event each),
/// the notice that the last step was applied, the notices due now, and when to look again, all
/// committed together. A row changed since it was read (another run, an upgrade) gets nothing.
pub async fn run_lifecycle_for(
    db: &Db,
    row: &ProjectRow,
    now: DateTime<Utc>,
) -> Result<LifecycleRun, sqlx::Error> {
    let facts = super::projects::facts(row);
    let stored = row.state;
    let mut steps: Vec<(&'static str, i64)> = lifecycle::steps_due(&facts, stored, now)
        .into_iter()
        .map(|(s, at)| (s.code(), to_millis(at)))
        .collect();
    // A state ahead of the facts (the facts changed without a plan change) goes back to them.
    let due = lifecycle::state_at(&facts, now);
    if steps.is_empty() && due < stored {
        steps.push((due.code(), to_millis(now)));
    }
    let mut notices: Vec<NewNotification> = Vec::new();
    if let Some((step, at)) = steps
        .last()
        .filter(|(s, _)| *s != LifecycleState::Active.code())
    {
        notices.push(NewNotification {
            user_id: row.owner_id,
            project_id: row.id,
            kind: "lifecycle_applied",
            step,
            step_at: *at,
            days_before: 0,
        });
    }
    for notice in lifecycle::due_notices(&facts, now) {
        notices.push(NewNotification {
            user_id: row.owner_id,
            project_id: row.id,
            kind: "lifecycle_notice",
            step: notice.step.code(),
            step_at: to_millis(notice.at),
            days_before: notice.days_before,
        });
    }
    let mails = notices.iter().filter_map(|n| notice_mail(row, n)).collect();
    let work = DueWork {
        steps,
        notices,
        mails,
        next_step_at: lifecycle::next_check_after(&facts, now).map(to_millis),
    };
    Ok(match q::apply_due(db, row, &work, to_millis(now)).await? {
        Some(a) => LifecycleRun {
            transitions: a.transitions,
            notices: a.notices,
        },
        None => LifecycleRun::default(),
    })
}

/// The customer is told of each lifecycle step by e-mail too, in their language, with a link
/// to the project: the same facts as the portal notice, queued with it.
fn notice_mail(row: &ProjectRow, n: &NewNotification<'_>) -> Option<Mail> {
    let step = LifecycleState::from_code(n.step)?;
    let at = from_millis(n.step_at)?;
    let template = match n.kind {
        "lifecycle_notice" => Template::LifecycleNotice {
            project_id: row.id,
            project_name: row.name.clone(),
            step,
            step_at: at,
            days_before: n.days_before,
        },
        "lifecycle_applied" => Template::LifecycleApplied {
            project_id: row.id,
            project_name: row.name.clone(),
            step,
            at,
        },
        _ => return None,
    };
    Some(Mail {
        to: Recipient::User(n.user_id),
        content: Content::Template(template),
        dedupe_key: Some(n.mail_key()),
    })
}
