//! Argon2id hashing, off the async threads, with a bound on concurrent hashes and on the
//! requests waiting for one.
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// OWASP's first recommended argon2id configuration: m = 19 MiB, t = 2, p = 1.
fn argon2() -> Result<Argon2<'static>, argon2::Error> {
    Ok(Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19 * 1024, 2, 1, None)?,
    ))
}

#[derive(Clone, Debug)]
pub struct PasswordHasherPool {
    /// Hashes running at once.
    permits: Arc<Semaphore>,
    /// Hashes running or waiting: a request that finds this full is turned away at once, so a
    /// flood of log-ins cannot pile up requests (and their memory) without limit.
    admission: Arc<Semaphore>,
    /// Verified against when the log-in ID does not exist, so a wrong ID costs as much time
    /// as a wrong password and response times do not reveal which IDs exist.
    dummy_hash: Arc<str>,
    verifications: Arc<AtomicU64>,
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed")]
    Hash,
    #[error("hashing worker stopped")]
    Worker,
    #[error("too many password checks waiting")]
    Busy,
}

/// A place among the hashes running or waiting, taken before any other work on a request
/// that will need one (see `PasswordHasherPool::admit`).
#[derive(Debug)]
pub struct HashTicket {
    pool: PasswordHasherPool,
    _admission: OwnedSemaphorePermit,
}

/// Seconds a turned-away client is asked to wait: a full queue drains in about that long.
pub use crate::model::accounts::BUSY_RETRY_AFTER_SECONDS;

impl PasswordHasherPool {
    pub fn new(max_concurrent: usize, max_queued: usize) -> Result<Self, HashError> {
        let dummy = hash_blocking("dummy password for timing equalisation 1!")?;
        let running = max_concurrent.max(1);
        Ok(Self {
            permits: Arc::new(Semaphore::new(running)),
            admission: Arc::new(Semaphore::new(running.saturating_add(max_queued))),
            dummy_hash: dummy.into(),
            verifications: Arc::new(AtomicU64::new(0)),
        })
    }

    /// A ticket for one hash or verification, or `Busy` when as many requests as allowed
    /// are already running or waiting.
    pub fn admit(&self) -> Result<HashTicket, HashError> {
        let permit = self
            .admission
            .clone()
            .try_acquire_owned()
            .map_err(|_| HashError::Busy)?;
        Ok(HashTicket {
            pool: self.clone(),
            _admission: permit,
        })
    }

    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        self.admit()?.hash(password).await
    }

    /// `hash` None means the account does not exist: still spend the same time, then fail.
    pub async fn verify(&self, hash: Option<String>, password: String) -> Result<bool, HashError> {
        self.admit()?.verify(hash, password).await
    }

    /// Password verifications run since start (real and dummy): lets tests see how many
    /// attempts were really checked.
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }
}

impl HashTicket {
    pub async fn hash(self, password: String) -> Result<String, HashError> {
        let _permit = self
            .pool
            .permits
            .acquire()
            .await
            .map_err(|_| HashError::Worker)?;
        tokio::task::spawn_blocking(move || hash_blocking(&password))
            .await
            .map_err(|_| HashError::Worker)?
    }

    /// `hash` None means the account does not exist: still spend the same time, then fail.
    pub async fn verify(self, hash: Option<String>, password: String) -> Result<bool, HashError> {
        let _permit = self
            .pool
            .permits
            .acquire()
            .await
            .map_err(|_| HashError::Worker)?;
        self.pool.verifications.fetch_add(1, Ordering::Relaxed);
        let exists = hash.is_some();
        let hash = hash.unwrap_or_else(|| self.pool.dummy_hash.to_string());
        let ok = tokio::task::spawn_blocking(move || verify_blocking(&hash, &password))
            .await
            .map_err(|_| HashError::Worker)?;
        Ok(exists && ok)
    }
}

fn hash_blocking(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    let a = argon2().map_err(|_| HashError::Hash)?;
    a.hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| HashError::Hash)
}

fn verify_blocking(hash: &str, password: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    argon2()
        .map(|a| a.verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let pool = PasswordHasherPool::new(2, 0).unwrap();
        let h = pool.hash("correct horse 1!".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            pool.verify(Some(h.clone()), "correct horse 1!".into())
                .await
                .unwrap()
        );
        assert!(
            !pool
                .verify(Some(h), "correct horse 2!".into())
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies_even_with_the_dummy_password() {
        let pool = PasswordHasherPool::new(1, 0).unwrap();
        let dummy = "dummy password for timing equalisation 1!".to_string();
        assert!(!pool.verify(None, dummy).await.unwrap());
    }

    #[tokio::test]
    async fn a_full_queue_turns_requests_away_at_once() {
        let pool = PasswordHasherPool::new(1, 1).unwrap();
        let running = pool.admit().unwrap();
        let waiting = pool.admit().unwrap();
        assert!(matches!(pool.admit(), Err(HashError::Busy)));
        assert!(matches!(
            pool.verify(None, "x".into()).await,
            Err(HashError::Busy)
        ));
        drop(waiting);
        let again = pool.admit().unwrap();
        drop((running, again));
        assert!(!pool.verify(None, "x".into()).await.unwrap());
        assert_eq!(pool.verifications(), 1);
    }
}
