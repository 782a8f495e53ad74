//! The portal the ingestion benchmarks send to: started in the benchmark's own process on a
//! loopback port, on the given database, with one customer, `projects` paid projects and a
//! platform token of one scope. Shared by `bench_usage`, `bench_probes` and `bench_statements`.
#![allow(dead_code)]
use apm_portal::domain::platform_token::Scope;
use apm_portal::server::config::Settings;
use apm_portal::server::startup::{self, AppState};
use std::net::SocketAddr;

pub struct BenchPortal {
    pub addr: SocketAddr,
    /// The platform token's secret, for `Authorization: Bearer`.
    pub secret: String,
    /// The domain prefixes of the benchmark's projects.
    pub prefixes: Vec<String>,
    /// The ids of the same projects, in the same order.
    pub project_ids: Vec<i64>,
    /// The customer who owns them.
    pub owner_id: i64,
    /// The running portal's state, for benchmarks that call the jobs directly.
    pub state: AppState,
}

/// `stem` names this run's customer and projects, so runs on one database never collide.
pub async fn start(url: &str, stem: &str, projects: usize, scope: Scope) -> BenchPortal {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut settings = Settings::from_env().unwrap();
    settings.database_url = url.to_string();
    settings.listen = addr;
    settings.public_base_url = format!("http://{addr}");
    let state = startup::prepare(settings).await.unwrap();
    let db = state.db.clone();

    let now_ms = chrono::Utc::now().timestamp_millis();
    let run = now_ms % 1_000_000;
    let owner: i64 = sqlx::query_scalar(
        "INSERT INTO users (kind, login_id, password_hash, name, email, created_at, updated_at) \
         VALUES ('customer', $1, 'x', 'Bench', $2, $3, $3) RETURNING id",
    )
    .bind(format!("{stem}{run}"))
    .bind(format!("{stem}{run}@bench.example.com"))
    .bind(now_ms)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let mut prefixes = Vec::new();
    let mut project_ids = Vec::new();
    for p in 0..projects {
        let prefix = format!("{stem}-{run}-{p}");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO projects (owner_id, name, prefix, plan, created_at, state, \
             state_changed_at, ingest_gb_per_day, storage_gb) \
             VALUES ($1, 'bench', $2, 'paid', $3, 'active', $3, 10, 100) RETURNING id",
        )
        .bind(owner)
        .bind(&prefix)
        .bind(now_ms)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        prefixes.push(prefix);
        project_ids.push(id);
    }
    let (_, secret) =
        apm_portal::server::platform_tokens::create(&db, "bench", scope, None, chrono::Utc::now())
            .await
            .unwrap();
    let app = startup::router(state.clone());
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    BenchPortal {
        addr,
        secret,
        prefixes,
        project_ids,
        owner_id: owner,
        state,
    }
}
