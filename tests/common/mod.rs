//! `spawn_app`: the real server on port 0 with a fresh database per test, on SQLite or
//! PostgreSQL. PostgreSQL tests are skipped only outside CI when no server answers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use apm_portal::server::config::Settings;
use apm_portal::server::db::Db;
use apm_portal::server::startup::{self, AppState};
use rand::RngCore;
use std::net::SocketAddr;

pub mod instances;
pub mod maildev;
pub mod paid;
pub mod requests;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn pg_admin_url() -> String {
    std::env::var("APM_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub state: AppState,
    pub client: reqwest::Client,
    cleanup: Option<Cleanup>,
    server: tokio::task::JoinHandle<()>,
}

pub enum Cleanup {
    File(std::path::PathBuf),
    Postgres(String),
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        match self.cleanup.take() {
            Some(Cleanup::File(p)) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
                }
            }
            Some(Cleanup::Postgres(name)) => {
                // Drop runs outside async; a short-lived runtime on its own thread drops the database.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    rt.block_on(async move {
                        if let Ok(db) = Db::connect(&pg_admin_url()).await {
                            let _ = sqlx::query(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .execute(&db.pool)
                            .await;
                        }
                    });
                })
                .join();
            }
            None => {}
        }
    }
}

fn random_name() -> String {
    let mut b = [0u8; 6];
    rand::rng().fill_bytes(&mut b);
    format!("apm_test_{}", hex::encode(b))
}

/// Returns None (test skipped) when PostgreSQL is unreachable outside CI; in CI it must be there.
pub async fn fresh_database(backend: Backend) -> Option<(String, Cleanup)> {
    let name = random_name();
    match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            Some((format!("sqlite://{}", path.display()), Cleanup::File(path)))
        }
        Backend::Postgres => {
            let admin = match Db::connect(&pg_admin_url()).await {
                Ok(db) => db,
                Err(e) => {
                    if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
                        panic!("PostgreSQL is required in CI but unreachable: {e}");
                    }
                    eprintln!("skipping PostgreSQL test: {e}");
                    return None;
                }
            };
            sqlx::query(&format!("CREATE DATABASE \"{name}\""))
                .execute(&admin.pool)
                .await
                .unwrap();
            admin.pool.close().await;
            let base = pg_admin_url();
            let root = base
                .rsplit_once('/')
                .map(|(r, _)| r.to_string())
                .unwrap_or(base);
            Some((format!("{root}/{name}"), Cleanup::Postgres(name)))
        }
    }
}

pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(
    backend: Backend,
    tweak: impl FnOnce(&mut Settings),
) -> Option<TestApp> {
    let (url, cleanup) = fresh_database(backend).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut settings = Settings::from_env().unwrap();
    settings.database_url = url;
    settings.listen = addr;
    settings.public_base_url = format!("http://{addr}");
    settings.auth_rate_per_minute = 1000;
    settings.max_concurrent_hashes = 4;
    tweak(&mut settings);
    let state = startup::prepare(settings).await.unwrap();
    let app = startup::router(state.clone());
    let server = tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    let base = format!("http://{addr}");
    Some(TestApp {
        addr,
        client: client_for(&base),
        base,
        state,
        cleanup: Some(cleanup),
        server,
    })
}

/// A browser-like client: keeps cookies, sends our Origin, does not follow redirects.
pub fn client_for(base: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("origin", base.parse().unwrap());
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        // A request the server never answers fails the test with a message instead of
        // holding the whole run until CI's limit.
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn new_client(&self) -> reqwest::Client {
        client_for(&self.base)
    }

    /// Calls a server function as the hydrated app does (form body, JSON answer).
    pub async fn call(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn sign_up(
        &self,
        client: &reqwest::Client,
        login_id: &str,
        email: &str,
    ) -> serde_json::Value {
        let res = self
            .call(
                client,
                "auth/sign_up",
                &signup_form(login_id, "Valid-pass-2026!", email),
            )
            .await;
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }

    pub async fn log_in(
        &self,
        client: &reqwest::Client,
        login_id: &str,
        password: &str,
    ) -> serde_json::Value {
        let res = self
            .call(
                client,
                "auth/login",
                &[("login_id", login_id), ("password", password)],
            )
            .await;
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(&self.state.db.pool)
            .await
            .unwrap()
    }
}

pub fn signup_form<'a>(
    login_id: &'a str,
    password: &'a str,
    email: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("login_id", login_id),
        ("password", password),
        ("password_confirm", password),
        ("name", "홍길동"),
        ("company", "에이피엠 주식회사"),
        ("email", email),
        ("phone", "010-2345-6789"),
        ("agree_terms", "on"),
        ("agree_privacy", "on"),
    ]
}

/// No test here needs more than a few seconds; a hung one fails after two minutes and says so.
pub async fn within_time_limit(test: impl std::future::Future<Output = ()>) {
    if tokio::time::timeout(std::time::Duration::from_secs(120), test)
        .await
        .is_err()
    {
        panic!("the test did not finish within 120 s (a request or lock never returned)");
    }
}

/// One test body, run against both backends.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(app) = common::spawn_app(common::Backend::Sqlite).await {
                    common::within_time_limit(($body)(app)).await;
                }
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = common::spawn_app(common::Backend::Postgres).await {
                    common::within_time_limit(($body)(app)).await;
                }
            }
        }
    };
}

/// Epoch milliseconds of an RFC 3339 instant, as the database keeps times.
pub fn ms(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s)
        .unwrap()
        .timestamp_millis()
}
