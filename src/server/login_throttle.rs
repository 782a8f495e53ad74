//! Claiming log-in attempts against the throttle buckets (rules in `domain::throttle`,
//! storage in `db::login_throttle`): first the (log-in ID, network) bucket, then the
//! account-wide one, each before any password is checked.
use super::db::Db;
use super::db::login_throttle::{self as store, ACCOUNT_WIDE, BucketRow};
use crate::domain::kst::{from_millis, to_millis};
use crate::domain::throttle::{self, Bucket, Policy};
use chrono::{DateTime, Duration, Utc};

/// Compare-and-set rounds before giving up: each lost round means another attempt on the same
/// bucket just succeeded, so after a few the answer is "slow down" anyway.
const MAX_ROUNDS: usize = 5;

#[derive(Debug, thiserror::Error)]
pub enum ThrottleError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("stored log-in throttle time out of range: {0}")]
    StoredTime(i64),
}

/// Where one attempt's buckets are.
#[derive(Debug, Clone)]
pub struct AttemptKey {
    pub login_id: String,
    pub network: String,
}

impl AttemptKey {
    pub fn new(raw_login_id: &str, client_ip: &str) -> Self {
        Self {
            login_id: throttle::throttle_login_id(raw_login_id),
            network: client_ip
                .parse()
                .map(throttle::network_key)
                .unwrap_or_else(|_| "unknown".into()),
        }
    }
}

fn to_bucket(row: &BucketRow) -> Result<Bucket, ThrottleError> {
    let time = |ms| from_millis(ms).ok_or(ThrottleError::StoredTime(ms));
    Ok(Bucket {
        failures: u32::try_from(row.failures.max(0)).unwrap_or(u32::MAX),
        last_failure_at: time(row.last_failure_at)?,
        ready_at: time(row.ready_at)?,
    })
}

fn to_row(b: &Bucket) -> BucketRow {
    BucketRow {
        failures: i64::from(b.failures),
        last_failure_at: to_millis(b.last_failure_at),
        ready_at: to_millis(b.ready_at),
    }
}

async fn claim_bucket(
    db: &Db,
    policy: &Policy,
    login_id: &str,
    network: &str,
    now: DateTime<Utc>,
) -> Result<Result<(), Duration>, ThrottleError> {
    for _ in 0..MAX_ROUNDS {
        let seen = store::find(db, login_id, network).await?;
        let bucket = seen.as_ref().map(to_bucket).transpose()?;
        let next = match policy.claim(bucket.as_ref(), now) {
            Ok(next) => next,
            Err(wait) => return Ok(Err(wait)),
        };
        if store::compare_and_set(
            db,
            login_id,
            network,
            seen.as_ref(),
            &to_row(&next),
            to_millis(now),
        )
        .await?
        {
            return Ok(Ok(()));
        }
    }
    Ok(Err(Duration::seconds(1)))
}

/// Counts the attempt as a failure in both buckets, or says how long to wait (then nothing
/// is counted and no password may be checked).
pub async fn claim(
    db: &Db,
    key: &AttemptKey,
    now: DateTime<Utc>,
) -> Result<Result<(), Duration>, ThrottleError> {
    if let Err(wait) =
        claim_bucket(db, &throttle::PER_NETWORK, &key.login_id, &key.network, now).await?
    {
        return Ok(Err(wait));
    }
    if let Err(wait) = claim_bucket(
        db,
        &throttle::ACCOUNT_WIDE,
        &key.login_id,
        ACCOUNT_WIDE,
        now,
    )
    .await?
    {
        // Not attempted after all: the network keeps only the wait it may have started.
        store::give_back(db, &key.login_id, &key.network).await?;
        return Ok(Err(wait));
    }
    Ok(Ok(()))
}

/// The right password: this network starts afresh, and the account-wide claim is given back
/// (failures by others still count there).
pub async fn succeeded(db: &Db, key: &AttemptKey) -> Result<(), ThrottleError> {
    store::clear(db, &key.login_id, &key.network).await?;
    store::give_back(db, &key.login_id, ACCOUNT_WIDE).await?;
    Ok(())
}

/// Drops buckets whose failures are forgotten anyway.
pub async fn purge(db: &Db, now: DateTime<Utc>) -> Result<u64, ThrottleError> {
    let window = throttle::PER_NETWORK
        .window
        .max(throttle::ACCOUNT_WIDE.window);
    Ok(store::purge_before(db, to_millis(now - window)).await?)
}
