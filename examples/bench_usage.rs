//! Benchmark: storing full usage batches (10,000 records) through `POST /api/v1/usage`,
//! the real HTTP path (JSON, token check, per-record checks, one transaction), on an empty
//! database of either backend:
//!
//! ```sh
//! cargo run --release --features ssr --example bench_usage -- sqlite:///tmp/bench_usage.db 5
//! createdb -h 127.0.0.1 -U postgres bench_usage
//! cargo run --release --features ssr --example bench_usage -- postgres://postgres@127.0.0.1/bench_usage 5
//! #                                                           empty database,            rounds
//! ```
//! Each round sends one batch of new hours (all inserts) and then the same batch again (all
//! replacements, each old value kept), and prints the time of each. The portal runs in this
//! process on a loopback port; only that address is contacted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use apm_portal::domain::platform_token::Scope;
use apm_portal::server::config::Settings;
use apm_portal::server::startup;
use serde_json::{Value, json};
use std::time::Instant;

const PROJECTS: usize = 10;
const METRICS: [&str; 3] = ["agent_hours", "ingest_gb", "storage_gb_days"];
const BATCH: usize = 10_000;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "sqlite:///tmp/bench_usage.db".into());
    let rounds: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
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
    .bind(format!("bench{run}"))
    .bind(format!("bench{run}@bench.example.com"))
    .bind(now_ms)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let mut prefixes = Vec::new();
    for p in 0..PROJECTS {
        let prefix = format!("bench-{run}-{p}");
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
        Scope::Usage,
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
    let client = reqwest::Client::new();
    let hours_per_batch = BATCH.div_ceil(PROJECTS * METRICS.len());
    let this_hour = now_ms / 3_600_000 * 3_600_000;
    println!("backend: {}", url.split(':').next().unwrap_or(""));
    println!("round  records  new (ms)  resent (ms)");
    let mut times = Vec::new();
    for round in 0..rounds {
        let mut records: Vec<Value> = Vec::with_capacity(BATCH);
        'fill: for h in 0..hours_per_batch {
            let hour_ms = this_hour - ((round * hours_per_batch + h + 1) as i64) * 3_600_000;
            let hour = chrono::DateTime::from_timestamp_millis(hour_ms)
                .unwrap()
                .to_rfc3339();
            for p in &prefixes {
                for m in METRICS {
                    if records.len() == BATCH {
                        break 'fill;
                    }
                    records
                        .push(json!({"project": p, "metric": m, "hour": hour, "quantity": 12.5}));
                }
            }
        }
        let body = json!({ "records": records });
        let one = |label: &str, out: Value, started: Instant| {
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            assert_eq!(out["accepted"], BATCH, "{label}: {out}");
            ms
        };
        let t = Instant::now();
        let out: Value = client
            .post(format!("http://{addr}/api/v1/usage"))
            .bearer_auth(&secret)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let fresh = one("new", out, t);
        let t = Instant::now();
        let out: Value = client
            .post(format!("http://{addr}/api/v1/usage"))
            .bearer_auth(&secret)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(out["replaced"], BATCH);
        let resent = one("resent", out, t);
        println!("{:>5}  {BATCH:>7}  {fresh:>8.0}  {resent:>11.0}", round + 1);
        times.push((fresh, resent));
    }
    let n = times.len().max(1) as f64;
    let (f, r): (f64, f64) = times.iter().fold((0.0, 0.0), |a, t| (a.0 + t.0, a.1 + t.1));
    println!("mean   {BATCH:>7}  {:>8.0}  {:>11.0}", f / n, r / n);
}
