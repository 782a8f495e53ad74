//! Benchmark: SLA statements (issue 17) on an empty database of either backend:
//!
//! ```sh
//! cargo run --release --features ssr --example bench_statements -- sqlite:///tmp/bench_statements.db
//! createdb -h 127.0.0.1 -U postgres bench_statements
//! cargo run --release --features ssr --example bench_statements -- postgres://postgres@127.0.0.1/bench_statements
//! #                                                                 empty database,   [projects, default 1000]
//! ```
//! 1. One project-month from 43,200 minutes of results: one result a minute for the first 30
//!    days of last month, sent through `POST /api/v1/probe-results` in batches of 10,000 (the
//!    real path, with the per-minute roll-up), then that project's statement computed from
//!    the roll-up as the month close computes it.
//! 2. All statements for 1,000 paid projects: every project has a result for each of those
//!    43,200 minutes (written straight into the roll-up, 43 million rows, timed apart as
//!    set-up) and a down stretch of 0-89 minutes; the month close issues the invoices, then
//!    the statements (with their credits), each timed.
//!
//! The portal runs in this process on a loopback port; only that address is contacted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use apm_portal::domain::billing::BillingMonth;
use apm_portal::domain::platform_token::Scope;
use apm_portal::server::sla::{self, IssueOutcome};
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use std::time::Instant;

#[path = "common/bench_portal.rs"]
mod bench_portal;

const MINUTES: i64 = 43_200;
const BATCH: usize = 10_000;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "sqlite:///tmp/bench_statements.db".into());
    let projects: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let bench_portal::BenchPortal {
        addr,
        secret,
        prefixes,
        project_ids,
        owner_id,
        state,
    } = bench_portal::start(&url, "stmt", projects, Scope::Probes).await;
    let pool = &state.db.pool;
    let month = BillingMonth::containing(Utc::now()).prev();
    let first_minute = month.start().timestamp() / 60;

    // Every project paid since well before the month, as an upgrade would have left it.
    let since = (month.start() - Duration::days(40)).timestamp_millis();
    sqlx::query("UPDATE projects SET created_at = $1, upgraded_at = $1 WHERE owner_id = $2")
        .bind(since)
        .bind(owner_id)
        .execute(pool)
        .await
        .unwrap();
    for id in &project_ids {
        sqlx::query(
            "INSERT INTO plan_changes (project_id, at, from_plan, to_plan, actor_user_id, reason) \
             VALUES ($1, $2, '', 'paid', $3, 'bench')",
        )
        .bind(id)
        .bind(since)
        .bind(owner_id)
        .execute(pool)
        .await
        .unwrap();
    }

    // 1. One project-month through the API.
    let first = &prefixes[0];
    let results: Vec<Value> = (0..MINUTES)
        .map(|m| {
            let at = chrono::DateTime::from_timestamp((first_minute + m) * 60, 0)
                .unwrap()
                .to_rfc3339();
            // 45 minutes down on the 10th: an outage on the statement.
            let ok = !(14_400..14_445).contains(&m);
            json!({"project": first, "location": "seoul-1", "at": at, "ok": ok, "latency_ms": 80})
        })
        .collect();
    let client = reqwest::Client::new();
    let started = Instant::now();
    for batch in results.chunks(BATCH) {
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
        assert_eq!(out["accepted"].as_u64(), Some(batch.len() as u64), "{out}");
    }
    let ingest = started.elapsed();
    let policies = apm_portal::server::db::sla::policies(pool).await.unwrap();
    let lead = Duration::hours(i64::from(state.settings.maintenance_lead_hours));
    let started = Instant::now();
    let mut tx = pool.begin().await.unwrap();
    let (one, _) = sla::recompute(&mut tx, project_ids[0], month, &policies, lead)
        .await
        .unwrap()
        .unwrap();
    tx.rollback().await.unwrap();
    let compute_one = started.elapsed();
    assert_eq!(one.outage_minutes, 45);
    println!(
        "one project-month: {MINUTES} results in {} batches taken in {} ms; its statement computed in {} ms",
        results.len().div_ceil(BATCH),
        ingest.as_millis(),
        compute_one.as_millis()
    );

    // 2. The other projects' roll-up, written directly (set-up, not the figure).
    let started = Instant::now();
    sqlx::query(
        "WITH RECURSIVE m (minute) AS (SELECT CAST($1 AS BIGINT) UNION ALL \
         SELECT minute + 1 FROM m WHERE minute < CAST($2 AS BIGINT)) \
         INSERT INTO probe_minutes (project_id, minute, ok_count, failed_count) \
         SELECT p.id, m.minute, \
           CASE WHEN m.minute - $1 >= (p.id % 50) * 800 \
                 AND m.minute - $1 < (p.id % 50) * 800 + (p.id % 90) THEN 0 ELSE 3 END, \
           CASE WHEN m.minute - $1 >= (p.id % 50) * 800 \
                 AND m.minute - $1 < (p.id % 50) * 800 + (p.id % 90) THEN 3 ELSE 0 END \
         FROM projects p, m WHERE p.owner_id = $3 AND p.id <> $4",
    )
    .bind(first_minute)
    .bind(first_minute + MINUTES - 1)
    .bind(owner_id)
    .bind(project_ids[0])
    .execute(pool)
    .await
    .unwrap();
    println!(
        "set-up: {} roll-up rows for {} more projects written in {} s",
        (projects as i64 - 1) * MINUTES,
        projects - 1,
        started.elapsed().as_secs()
    );

    let closed_at = month.end() + Duration::hours(3);
    let started = Instant::now();
    let invoices = apm_portal::server::billing::close_month(&state, month, closed_at)
        .await
        .unwrap();
    let close = started.elapsed();
    let ready = sla::ready_at(month, state.settings.sla_settle_hours) + Duration::hours(1);
    let started = Instant::now();
    let IssueOutcome::Issued(report) = sla::issue_month(&state, month, ready).await.unwrap() else {
        panic!("the statements were not issued");
    };
    let issue = started.elapsed();
    assert_eq!(report.issued as usize, projects);
    println!(
        "{projects} paid projects, {month}: {} invoices in {} ms; {} statements ({} KRW of credits) in {} ms ({:.1} ms each)",
        invoices.issued,
        close.as_millis(),
        report.issued,
        report.credits_krw,
        issue.as_millis(),
        issue.as_secs_f64() * 1000.0 / projects as f64
    );
}
