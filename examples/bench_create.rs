//! Load generator: project creation latency through `/api/v1/projects` (R4.2 asks for under
//! 5 minutes; we report milliseconds). Run against a running portal:
//!
//! ```sh
//! cargo run --release --features ssr --example bench_create -- http://127.0.0.1:3000 400 8
//! #                                                      base URL, projects, concurrency
//! ```
//! It signs up a fresh customer, makes an API token, then creates the projects and prints
//! latency percentiles and throughput. It only ever talks to the address it is given.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let base = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "http://127.0.0.1:3000".into());
    let total: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(400);
    let concurrency: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(8).max(1);
    assert!(
        base.starts_with("http://127.") || base.starts_with("http://localhost"),
        "loopback only"
    );

    let run = format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis()
    );
    let login = format!("bench{}", &run[run.len() - 8..]);
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("origin", base.parse().unwrap());
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .unwrap();
    let pw = "Bench-mark-2026!";
    let email = format!("{login}@bench.example.com");
    let signed: serde_json::Value = browser
        .post(format!("{base}/api/auth/sign_up"))
        .form(&[
            ("login_id", login.as_str()),
            ("password", pw),
            ("password_confirm", pw),
            ("name", "Bench"),
            ("email", email.as_str()),
            ("phone", "010-9999-0000"),
            ("agree_terms", "on"),
            ("agree_privacy", "on"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(signed["ok"], true, "sign-up failed: {signed}");
    let token: serde_json::Value = browser
        .post(format!("{base}/api/account/tokens/create"))
        .form(&[("name", "bench"), ("current_password", pw)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = token["secret"].as_str().unwrap().to_string();

    let api = reqwest::Client::new();
    let started = Instant::now();
    let mut latencies: Vec<Duration> = Vec::with_capacity(total);
    let mut next = 0usize;
    while next < total {
        let batch: Vec<_> = (next..(next + concurrency).min(total))
            .map(|i| {
                let api = api.clone();
                let url = format!("{base}/api/v1/projects");
                let secret = secret.clone();
                let body = serde_json::json!({"name": format!("Bench {i}"), "prefix": format!("b{run}-{i}"), "plan": "paid"});
                tokio::spawn(async move {
                    let t = Instant::now();
                    let res = api.post(url).bearer_auth(secret).json(&body).send().await.unwrap();
                    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap_or_default());
                    t.elapsed()
                })
            })
            .collect();
        for h in batch {
            latencies.push(h.await.unwrap());
        }
        next += concurrency;
    }
    let wall = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
    let mean = latencies.iter().sum::<Duration>() / latencies.len() as u32;
    println!(
        "created {total} projects with concurrency {concurrency} in {:.2?}",
        wall
    );
    println!(
        "throughput {:.0} projects/s",
        total as f64 / wall.as_secs_f64()
    );
    println!(
        "latency mean {:.1?}  p50 {:.1?}  p90 {:.1?}  p99 {:.1?}  max {:.1?}",
        mean,
        pct(0.50),
        pct(0.90),
        pct(0.99),
        latencies[latencies.len() - 1]
    );
}
