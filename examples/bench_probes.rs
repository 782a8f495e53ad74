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
use serde_json::{Value, json};
use std::time::Instant;

#[path = "common/bench_portal.rs"]
mod bench_portal;

const PROJECTS: usize = 50;
const LOCATIONS: [&str; 4] = ["seoul-1", "busan-1", "tokyo-1", "singapore-1"];
const MINUTES: usize = 500;
const BATCH: usize = 10_000;

#[tokio::main]
async fn main() {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sqlite:///tmp/bench_probes.db".into());
    let bench_portal::BenchPortal {
        addr,
        secret,
        prefixes,
        ..
    } = bench_portal::start(&url, "probe", PROJECTS, Scope::Probes).await;
    let now_ms = chrono::Utc::now().timestamp_millis();

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
