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
use serde_json::{Value, json};
use std::time::Instant;

#[path = "common/bench_portal.rs"]
mod bench_portal;

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
    let bench_portal::BenchPortal {
        addr,
        secret,
        prefixes,
        ..
    } = bench_portal::start(&url, "bench", PROJECTS, Scope::Usage).await;
    let now_ms = chrono::Utc::now().timestamp_millis();
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
