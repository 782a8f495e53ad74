//! The background sender. Every few seconds each portal instance looks for due mail and
//! claims each message with a conditional UPDATE before talking to the SMTP server (a lease
//! on that one row): instances share the work and no message is sent twice. A failure is
//! recorded (attempts, last error) and retried later with a doubling wait, until the give-up
//! limit.
use super::message::Content;
use super::outbox::{self, Claimed};
use super::retry::{AfterFailure, after_failure};
use super::templates::render;
use super::transport::{Mailer, SMTP_TIMEOUT, SendError};
use crate::domain::kst::to_millis;
use crate::domain::language::Language;
use crate::server::config::Settings;
use crate::server::db::Db;
use chrono::{DateTime, Duration, Utc};

/// Mail taken on per look; the rest waits for the next look.
const BATCH: i64 = 50;

/// What one look did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WorkerRun {
    pub sent: u64,
    pub retried: u64,
    pub failed: u64,
    /// Due mail another instance claimed first.
    pub skipped: u64,
}

/// How the worker sends and retries (from `Settings`).
#[derive(Debug, Clone)]
pub struct Policy {
    pub portal: String,
    pub first_retry_wait: Duration,
    pub max_attempts: i64,
}

impl Policy {
    pub fn from_settings(s: &Settings) -> Self {
        Self {
            portal: s.public_base_url.clone(),
            first_retry_wait: Duration::from_std(s.mail_retry_wait).unwrap_or(Duration::minutes(1)),
            max_attempts: i64::from(s.mail_max_attempts.max(1)),
        }
    }
}

/// A name for this worker in the claims it takes (process and a random part).
pub fn holder_name() -> String {
    format!(
        "mail-{}-{}",
        std::process::id(),
        crate::server::auth::session::new_token()
    )
}

/// Starts the sender of this instance; it runs until the task is aborted.
pub fn spawn(db: Db, mailer: Mailer, settings: &Settings) -> tokio::task::JoinHandle<()> {
    let policy = Policy::from_settings(settings);
    let every = settings.mail_poll_interval;
    let holder = holder_name();
    tracing::info!(mailer = ?mailer, every = ?every, "mail worker started");
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match run_once(&db, &mailer, &policy, &holder, Utc::now()).await {
                Ok(r) if r.sent + r.retried + r.failed > 0 => tracing::info!(
                    sent = r.sent,
                    retried = r.retried,
                    failed = r.failed,
                    "mail worker"
                ),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "mail worker failed"),
            }
        }
    })
}

/// One look: gives up claims abandoned by a stopped instance, then sends what is due at `now`.
pub async fn run_once(
    db: &Db,
    mailer: &Mailer,
    policy: &Policy,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<WorkerRun, sqlx::Error> {
    let now_ms = to_millis(now);
    let mut run = WorkerRun {
        failed: outbox::fail_abandoned(db, now_ms).await?,
        ..WorkerRun::default()
    };
    // Long past the SMTP timeout: a live worker always records its outcome before this.
    let claim_until = now + Duration::from_std(SMTP_TIMEOUT * 4).unwrap_or(Duration::minutes(2));
    for id in outbox::due(db, now_ms, BATCH).await? {
        let Some(mail) = outbox::claim(db, id, holder, now_ms, to_millis(claim_until)).await?
        else {
            run.skipped += 1;
            continue;
        };
        match deliver(mailer, policy, &mail, now).await {
            Ok(()) => {
                outbox::mark_sent(db, id, holder, to_millis(Utc::now().max(now))).await?;
                run.sent += 1;
            }
            Err(SendError::Permanent(e)) => {
                tracing::warn!(mail = id, error = %e, "mail given up");
                outbox::mark_failed(db, id, holder, &e).await?;
                run.failed += 1;
            }
            Err(SendError::Temporary(e)) => {
                match after_failure(
                    mail.attempts,
                    policy.max_attempts,
                    policy.first_retry_wait,
                    now,
                ) {
                    AfterFailure::RetryAt(at) => {
                        tracing::info!(mail = id, attempts = mail.attempts, error = %e, "mail will be retried");
                        outbox::mark_retry(db, id, holder, to_millis(at), &e).await?;
                        run.retried += 1;
                    }
                    AfterFailure::GiveUp => {
                        tracing::warn!(mail = id, attempts = mail.attempts, error = %e, "mail given up");
                        outbox::mark_failed(db, id, holder, &e).await?;
                        run.failed += 1;
                    }
                }
            }
        }
    }
    Ok(run)
}

async fn deliver(
    mailer: &Mailer,
    policy: &Policy,
    mail: &Claimed,
    now: DateTime<Utc>,
) -> Result<(), SendError> {
    // A row this version cannot read (unknown template, language) is a defect to look at,
    // not something that gets better by retrying.
    let content: Content = serde_json::from_str(&mail.payload)
        .map_err(|e| SendError::Permanent(format!("unreadable stored mail: {e}")))?;
    let language = match mail.language.as_deref() {
        Some(code) => Language::from_code(code)
            .ok_or_else(|| SendError::Permanent(format!("unknown language {code:?}")))?,
        None => Language::default(),
    };
    let address = mail
        .address
        .as_deref()
        .ok_or_else(|| SendError::Permanent("the recipient has no e-mail address".into()))?;
    let text = render(&content, language, &policy.portal);
    mailer
        .send(address, &text.subject, text.body, &eml_name(now, mail.id))
        .await
}

/// `20261125T093000Z-mail-00000042`: sorts by time in a folder listing, and the outbox id
/// keeps two mails of one second apart.
fn eml_name(now: DateTime<Utc>, id: i64) -> String {
    format!("{}-mail-{id:08}", now.format("%Y%m%dT%H%M%SZ"))
}
