//! Benchmark: 100,000 probe results in batches of 10,000 through `POST /api/v1/probe-results`,
//! the real HTTP path (JSON, token check, per-result checks, one transaction with the
//! per-minute roll-up), on an empty database of either backend (issue 17):
//!
//! ```sh
//! cargo run --release --features ssr --example bench_probes -- sqlite:///tmp/bench_probes.db
//! createdb -h 127.0.0.1 -U postgres bench_probes
//! cargo run --release --features ssr --example bench_probes -- postgres://postgres@127.0.0.1/bench_probes
//! ```
//! 50 paid projects, 4 probe locations, one result per project, location and minute over the
//! last 500 minutes (every 7th failed): ten batches of new results, then the same ten again
//! (all duplicates, nothing stored twice). Prints the time of each batch and the totals. The
//! portal runs in this process on a loopback port; only that address is contacted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use apm_portal::domain::platform_token::Scope;
use apm_portal::server::config::Settings;
use apm_portal::server::startup;
use serde_json::{Value, json};
use std::time::Instant;

const PROJECTS: usize = 50;
const LOCATIONS: [&str; 4] = ["seoul-1", "busan-1", "tokyo-1", "singapore-1"];
const MINUTES: usize = 500;
const BATCH: usize = 10_000;

#[tokio::main]
async fn main() {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sqlite:///tmp/bench_probes.db".into());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut settings = Settings::from_env().unwrap();
    settings.database_url = url.clone();
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
    .bind(format!("probe{run}"))
    .bind(format!("probe{run}@bench.example.com"))
    .bind(now_ms)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let mut prefixes = Vec::new();
    for p in 0..PROJECTS {
        let prefix = format!("probe-{run}-{p}");
        sqlx::query(
            "INSERT INTO projects (owner_id, name, prefix, plan, created_at, state, \
             state_changed_at, ingest_gb_per_day, storage_gb) \
             VALUES ($1, 'bench', $2, 'paid', $3, 'active', $3, 10, 100)",
        )
        .bind(owner)
        .bind(&prefix)
        .bind(now_ms)
        .execute(&db.pool)
        .await
        .unwrap();
        prefixes.push(prefix);
    }
    let (_, secret) = apm_portal::server::platform_tokens::create(
        &db,
        "bench",
        Scope::Probes,
        None,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let app = startup::router(state);
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await;
    });

    // Every result, oldest minute first, cut into batches of 10,000.
    let this_minute = now_ms / 60_000 * 60_000;
    let mut all: Vec<Value> = Vec::with_capacity(PROJECTS * LOCATIONS.len() * MINUTES);
    for m in 0..MINUTES {
        let at_ms = this_minute - ((MINUTES - m) as i64) * 60_000;
        let at = chrono::DateTime::from_timestamp_millis(at_ms)
            .unwrap()
            .to_rfc3339();
        for (p, prefix) in prefixes.iter().enumerate() {
            for (l, location) in LOCATIONS.iter().enumerate() {
                let ok = (m + p + l) % 7 != 0;
                all.push(json!({"project": prefix, "location": location, "at": at, "ok": ok, "latency_ms": 120}));
            }
        }
    }
    let client = reqwest::Client::new();
    let send = |batch: Vec<Value>| {
        let client = client.clone();
        let secret = secret.clone();
        async move {
            let started = Instant::now();
            let out: Value = client
                .post(format!("http://{addr}/api/v1/probe-results"))
                .bearer_auth(&secret)
                .json(&json!({ "results": batch }))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            (started.elapsed().as_secs_f64() * 1000.0, out)
        }
    };
    println!("backend: {}", url.split(':').next().unwrap_or(""));
    println!("pass        batch  results  ms");
    for (pass, field) in [("new", "accepted"), ("resent", "duplicates")] {
        let mut total = 0.0;
        for (i, batch) in all.chunks(BATCH).enumerate() {
            let (ms, out) = send(batch.to_vec()).await;
            assert_eq!(out[field], batch.len(), "{pass} batch {i}: {out}");
            println!("{pass:<10} {:>6}  {:>7}  {ms:.0}", i + 1, batch.len());
            total += ms;
        }
        println!("{pass:<10}  total  {:>7}  {total:.0}", all.len());
    }
}
