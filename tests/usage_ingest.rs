//! Platform tokens and usage ingestion, on both databases: which credentials open
//! `POST /api/v1/usage`, last write wins with the replaced value kept, bad records refused
//! one by one while the good ones are stored, and the batch limit.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use apm_portal::domain::platform_token::Scope;
use apm_portal::model::StaffRole;
use common::requests::{PASSWORD, send};
use common::{TestApp, ms};
use serde_json::{Value, json};

async fn platform_token(app: &TestApp, scope: Scope) -> (i64, String) {
    apm_portal::server::platform_tokens::create(
        &app.state.db,
        "monitoring platform",
        scope,
        None,
        chrono::Utc::now(),
    )
    .await
    .unwrap()
}

/// A batch sent as the platform sends it: a bearer token and no cookie.
async fn post_usage(app: &TestApp, secret: &str, body: &Value) -> (u16, Value) {
    send(
        reqwest::Client::new()
            .post(app.url("/api/v1/usage"))
            .bearer_auth(secret)
            .json(body),
    )
    .await
}

/// The start of an hour a few hours ago, in KST, as the platform writes it.
fn hour_ago(hours: i64) -> String {
    let now = chrono::Utc::now().timestamp();
    let start = now - now.rem_euclid(3600) - hours * 3600;
    chrono::DateTime::from_timestamp(start, 0)
        .unwrap()
        .with_timezone(&apm_portal::domain::kst::KST)
        .to_rfc3339()
}

fn rec(project: &str, metric: &str, hour: &str, quantity: Value) -> Value {
    json!({"project": project, "metric": metric, "hour": hour, "quantity": quantity})
}

async fn stored_micros(app: &TestApp, metric: &str) -> Vec<i64> {
    sqlx::query_scalar::<_, i64>(
        "SELECT quantity_micro FROM usage_hourly WHERE metric = $1 ORDER BY hour_at",
    )
    .bind(metric)
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap()
}

both_backends!(
    only_a_live_usage_token_opens_ingestion,
    |app: TestApp| async move {
        let c = app.new_customer("usage.owner").await;
        app.create_project(&c, "shop", "paid").await;
        let body = json!({"records": [rec("shop", "agent_hours", &hour_ago(1), json!(3))]});

        // Nothing, a made-up secret, a customer session, a personal API token: 401. (With no
        // credentials and no Origin at all the CSRF layer answers first, 403 cross_origin_refused.)
        let (status, e) = send(app.new_client().post(app.url("/api/v1/usage")).json(&body)).await;
        assert_eq!(
            (status, e["code"].as_str()),
            (401, Some("unauthenticated")),
            "{e}"
        );
        assert_eq!(post_usage(&app, "apmp_00ff", &body).await.0, 401);
        assert_eq!(
            app.post_json(&c, "/api/v1/usage", body.clone()).await.0,
            401,
            "a session"
        );
        let (_, personal) = app
            .call_json(
                &c,
                "account/tokens/create",
                &[
                    ("name", "ci"),
                    ("current_password", PASSWORD),
                    ("expiry_days", "30"),
                ],
            )
            .await;
        let personal = personal["secret"].as_str().unwrap().to_string();
        assert_eq!(
            post_usage(&app, &personal, &body).await.0,
            401,
            "a personal token"
        );

        // A platform token of the other scope: 403.
        let (_, probes) = platform_token(&app, Scope::Probes).await;
        let (status, e) = post_usage(&app, &probes, &body).await;
        assert_eq!(
            (status, e["code"].as_str()),
            (403, Some("not_allowed")),
            "{e}"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM usage_hourly").await, 0);

        // The usage token works, and its last use is recorded.
        let (id, usage) = platform_token(&app, Scope::Usage).await;
        let (status, out) = post_usage(&app, &usage, &body).await;
        assert_eq!(status, 200, "{out}");
        assert_eq!(out, json!({"accepted": 1, "replaced": 0, "rejected": []}));
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM platform_tokens WHERE id = {id} AND last_used_at IS NOT NULL"
            ))
            .await,
            1
        );
        // The platform token does not open the customer API either.
        let (status, _) = send(
            reqwest::Client::new()
                .get(app.url("/api/v1/projects"))
                .bearer_auth(&usage),
        )
        .await;
        assert_eq!(status, 401);

        // Revoked by an administrator in the admin view: 401 from then on, and audited.
        let admin = app.as_staff(StaffRole::Admin).await;
        let (status, ok) = app
            .call_json(
                &admin,
                "admin/platform_tokens/revoke",
                &[("token_id", &id.to_string())],
            )
            .await;
        assert_eq!((status, ok), (200, json!(true)));
        assert_eq!(post_usage(&app, &usage, &body).await.0, 401);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'platform_token.revoked'")
                .await,
            1
        );
    }
);

both_backends!(
    administrators_create_platform_tokens_others_may_not,
    |app: TestApp| async move {
        let c = app.new_customer("usage.owner2").await;
        app.create_project(&c, "shop2", "paid").await;
        for role in [
            StaffRole::Billing,
            StaffRole::Support,
            StaffRole::Operations,
        ] {
            let staff = app.as_staff(role).await;
            let (status, out) = app
                .call_json(
                    &staff,
                    "admin/platform_tokens/create",
                    &[("name", "p"), ("scope", "usage")],
                )
                .await;
            assert_eq!((status, out), (200, json!("NotAllowed")), "{role:?}");
            let (status, _) = app.call_json(&staff, "admin/platform_tokens", &[]).await;
            assert_eq!(status, 403, "{role:?} cannot list");
        }
        let (status, _) = app.call_json(&c, "admin/platform_tokens", &[]).await;
        assert_eq!(status, 404, "customers do not learn it exists");

        let admin = app.as_staff(StaffRole::Admin).await;
        let (_, bad) = app
            .call_json(
                &admin,
                "admin/platform_tokens/create",
                &[("name", " "), ("scope", "all")],
            )
            .await;
        assert_eq!(
            bad,
            json!({"Invalid": {"name_invalid": true, "scope_invalid": true}})
        );
        let (_, made) = app
            .call_json(
                &admin,
                "admin/platform_tokens/create",
                &[("name", "platform"), ("scope", "usage")],
            )
            .await;
        let secret = made["Created"]["secret"]
            .as_str()
            .expect("a secret")
            .to_string();
        assert!(secret.starts_with("apmp_"));
        let (status, list) = app.call_json(&admin, "admin/platform_tokens", &[]).await;
        assert_eq!(status, 200);
        assert_eq!(list[0]["name"], "platform");
        assert_eq!(list[0]["scope"], "usage");
        assert!(
            !list.to_string().contains(&secret),
            "the secret is never shown again"
        );
        let body = json!({"records": [rec("shop2", "ingest_gb", &hour_ago(2), json!("1.25"))]});
        assert_eq!(post_usage(&app, &secret, &body).await.0, 200);
        assert_eq!(stored_micros(&app, "ingest_gb").await, [1_250_000]);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'platform_token.created'")
                .await,
            1
        );
    }
);

both_backends!(
    resending_an_hour_replaces_it_and_keeps_the_old_value,
    |app: TestApp| async move {
        let c = app.new_customer("usage.owner3").await;
        app.create_project(&c, "shop3", "paid").await;
        let (_, token) = platform_token(&app, Scope::Usage).await;
        let h1 = hour_ago(3);
        let h2 = hour_ago(2);
        let first = json!({"records": [
            rec("shop3", "agent_hours", &h1, json!(4)),
            rec("shop3", "agent_hours", &h2, json!(5)),
        ]});
        assert_eq!(post_usage(&app, &token, &first).await.1["accepted"], 2);
        // The same batch again: idempotent in effect, each record counted as a replacement.
        assert_eq!(
            post_usage(&app, &token, &first).await.1,
            json!({"accepted": 2, "replaced": 2, "rejected": []})
        );
        let second = json!({"records": [
            rec("shop3", "agent_hours", &h1, json!(6.5)),
            rec("shop3", "agent_hours", &h1, json!(7)),
        ]});
        assert_eq!(
            post_usage(&app, &token, &second).await.1,
            json!({"accepted": 2, "replaced": 2, "rejected": []})
        );
        assert_eq!(
            stored_micros(&app, "agent_hours").await,
            [7_000_000, 5_000_000]
        );
        let kept: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT old_quantity_micro, new_quantity_micro FROM usage_replacements ORDER BY id",
        )
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
        assert_eq!(
            kept,
            [
                (4_000_000, 4_000_000),
                (5_000_000, 5_000_000),
                (4_000_000, 6_500_000),
                (6_500_000, 7_000_000)
            ]
        );
    }
);

both_backends!(
    bad_records_are_refused_one_by_one_and_good_ones_stored,
    |app: TestApp| async move {
        let c = app.new_customer("usage.owner4").await;
        app.create_project(&c, "shop4", "paid").await;
        let (_, token) = platform_token(&app, Scope::Usage).await;
        let h = hour_ago(1);
        let future = hour_ago(-3);
        let body = json!({"records": [
            rec("shop4", "agent_hours", &h, json!(2)),
            rec("nobody", "agent_hours", &h, json!(2)),
            rec("shop4", "cpu_seconds", &h, json!(2)),
            rec("shop4", "agent_hours", "2026-11-01T10:30:00+09:00", json!(2)),
            rec("shop4", "agent_hours", &future, json!(2)),
            rec("shop4", "agent_hours", &h, json!(-1)),
            rec("shop4", "agent_hours", &h, json!(1e12)),
            rec("shop4", "agent_hours", "yesterday", json!(2)),
            json!({"project": "shop4"}),
            json!(42),
            rec("shop4", "storage_gb_days", &h, json!(0.5)),
        ]});
        let (status, out) = post_usage(&app, &token, &body).await;
        assert_eq!(status, 200, "{out}");
        assert_eq!(out["accepted"], 2);
        let got: Vec<(u64, String)> = out["rejected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                assert!(!r["message"].as_str().unwrap().is_empty());
                (
                    r["index"].as_u64().unwrap(),
                    r["code"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let want: Vec<(u64, String)> = [
            (1, "unknown_project"),
            (2, "unknown_metric"),
            (3, "hour_not_on_the_hour"),
            (4, "hour_in_future"),
            (5, "negative_quantity"),
            (6, "absurd_quantity"),
            (7, "invalid_hour"),
            (8, "malformed"),
            (9, "malformed"),
        ]
        .into_iter()
        .map(|(i, c)| (i, c.to_string()))
        .collect();
        assert_eq!(got, want);
        assert_eq!(stored_micros(&app, "agent_hours").await, [2_000_000]);
        assert_eq!(stored_micros(&app, "storage_gb_days").await, [500_000]);

        // Not a batch at all: refused whole (422 like every unreadable API body), nothing stored.
        let (status, e) = post_usage(&app, &token, &json!({"rows": []})).await;
        assert_eq!(
            (status, e["code"].as_str()),
            (422, Some("bad_request")),
            "{e}"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM usage_hourly").await, 2);
    }
);

both_backends!(
    a_full_batch_is_stored_and_one_more_record_is_refused,
    |app: TestApp| async move {
        let c = app.new_customer("usage.owner5").await;
        app.create_project(&c, "shop5", "paid").await;
        let (_, token) = platform_token(&app, Scope::Usage).await;
        let metrics = ["agent_hours", "ingest_gb", "storage_gb_days"];
        let records: Vec<Value> = (0..10_000)
            .map(|i| {
                rec(
                    "shop5",
                    metrics[i % 3],
                    &hour_ago(1 + (i / 3) as i64),
                    json!(1.5),
                )
            })
            .collect();
        let mut over = records.clone();
        over.push(rec("shop5", "agent_hours", &hour_ago(5000), json!(1)));
        let (status, e) = post_usage(&app, &token, &json!({"records": over})).await;
        assert_eq!(
            (status, e["code"].as_str()),
            (413, Some("payload_too_large")),
            "{e}"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM usage_hourly").await, 0);
        let (status, out) = post_usage(&app, &token, &json!({"records": records})).await;
        assert_eq!(status, 200);
        assert_eq!(out["accepted"], 10_000);
        assert_eq!(app.count("SELECT COUNT(*) FROM usage_hourly").await, 10_000);
    }
);

both_backends!(
    the_usage_endpoint_is_in_the_openapi_document,
    |app: TestApp| async move {
        let (status, doc) = app
            .get_json(&app.new_client(), "/api/v1/openapi.json")
            .await;
        assert_eq!(status, 200);
        assert!(doc["paths"]["/api/v1/usage"]["post"].is_object(), "{doc}");
        assert!(doc["components"]["schemas"]["UsageReportJson"].is_object());
    }
);

/// The month roll-up the dashboard reads: (month start, metric, micros), oldest first.
async fn rolled_up(app: &TestApp, project: i64) -> Vec<(i64, String, i64)> {
    sqlx::query_as(
        "SELECT month_start, metric, quantity_micro FROM usage_monthly \
         WHERE project_id = $1 ORDER BY month_start, metric",
    )
    .bind(project)
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap()
}

/// The same figures summed from the hours, each KST month's bounds written out by hand.
async fn summed_from_hours(app: &TestApp, project: i64) -> Vec<(i64, String, i64)> {
    let mut out = Vec::new();
    for (start, end) in [
        ("2024-02-01T00:00:00+09:00", "2024-03-01T00:00:00+09:00"),
        ("2024-03-01T00:00:00+09:00", "2024-04-01T00:00:00+09:00"),
    ] {
        let sums: Vec<(String, i64)> = sqlx::query_as(
            "SELECT metric, CAST(SUM(quantity_micro) AS BIGINT) FROM usage_hourly \
             WHERE project_id = $1 AND hour_at >= $2 AND hour_at < $3 GROUP BY metric ORDER BY metric",
        )
        .bind(project)
        .bind(ms(start))
        .bind(ms(end))
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
        out.extend(sums.into_iter().map(|(m, micros)| (ms(start), m, micros)));
    }
    out
}

both_backends!(
    the_month_roll_up_follows_every_resend_by_kst_month,
    |app: TestApp| async move {
        let c = app.new_customer("usage.owner5").await;
        let project = app.create_project(&c, "shop5", "paid").await;
        let (_, token) = platform_token(&app, Scope::Usage).await;
        // A leap-year February's last KST hour, and March's first: 15:00 UTC on the 29th is
        // already March in Seoul. The 31st's last hour stays in March.
        let feb = "2024-02-29T23:00:00+09:00";
        let mar = "2024-03-01T00:00:00+09:00";
        let mar_end = "2024-03-31T23:00:00+09:00";
        let first = json!({"records": [
            rec("shop5", "agent_hours", feb, json!(3)),
            rec("shop5", "agent_hours", mar, json!(4)),
            rec("shop5", "ingest_gb", mar_end, json!(1.5)),
        ]});
        assert_eq!(post_usage(&app, &token, &first).await.1["accepted"], 3);
        let (feb_start, mar_start) = (
            ms("2024-02-01T00:00:00+09:00"),
            ms("2024-03-01T00:00:00+09:00"),
        );
        assert_eq!(
            rolled_up(&app, project).await,
            [
                (feb_start, "agent_hours".to_string(), 3_000_000),
                (mar_start, "agent_hours".to_string(), 4_000_000),
                (mar_start, "ingest_gb".to_string(), 1_500_000),
            ]
        );

        // Re-sends replace, within a batch too; a value replaced by zero leaves zero.
        let second = json!({"records": [
            rec("shop5", "agent_hours", mar, json!(10)),
            rec("shop5", "agent_hours", feb, json!(2)),
            rec("shop5", "agent_hours", feb, json!(2.25)),
            rec("shop5", "ingest_gb", mar_end, json!(0)),
        ]});
        assert_eq!(
            post_usage(&app, &token, &second).await.1,
            json!({"accepted": 4, "replaced": 4, "rejected": []})
        );
        let expected = [
            (feb_start, "agent_hours".to_string(), 2_250_000),
            (mar_start, "agent_hours".to_string(), 10_000_000),
            (mar_start, "ingest_gb".to_string(), 0),
        ];
        assert_eq!(rolled_up(&app, project).await, expected);
        assert_eq!(summed_from_hours(&app, project).await, expected);
    }
);

both_backends!(
    hours_stored_before_the_roll_up_are_rolled_up_once,
    |app: TestApp| async move {
        let c = app.new_customer("usage.owner6").await;
        let project = app.create_project(&c, "shop6", "paid").await;
        // Hours as an older portal stored them, with no roll-up; and a roll-up row as an
        // instance started beside the backfill might have left it, from one batch's difference.
        for (metric, hour, micros) in [
            ("agent_hours", "2024-02-29T23:00:00+09:00", 3_000_000),
            ("agent_hours", "2024-03-01T00:00:00+09:00", 4_000_000),
            ("agent_hours", "2024-03-01T01:00:00+09:00", 5_000_000),
            ("storage_gb_days", "2024-03-31T23:00:00+09:00", 250_000),
        ] {
            sqlx::query(
                "INSERT INTO usage_hourly (project_id, metric, hour_at, quantity_micro, received_at) \
                 VALUES ($1, $2, $3, $4, 0)",
            )
            .bind(project)
            .bind(metric)
            .bind(ms(hour))
            .bind(micros)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        }
        for sql in [
            format!(
                "INSERT INTO usage_monthly (project_id, month_start, metric, quantity_micro) \
                 VALUES ({project}, {}, 'agent_hours', 5000000)",
                ms("2024-03-01T00:00:00+09:00")
            ),
            "INSERT INTO pending_backfills (name) VALUES ('usage_monthly')".to_string(),
        ] {
            sqlx::query(&sql).execute(&app.state.db.pool).await.unwrap();
        }

        apm_portal::server::db::usage_monthly::backfill(&app.state.db)
            .await
            .unwrap();
        let expected = summed_from_hours(&app, project).await;
        assert_eq!(
            expected,
            [
                (
                    ms("2024-02-01T00:00:00+09:00"),
                    "agent_hours".to_string(),
                    3_000_000
                ),
                (
                    ms("2024-03-01T00:00:00+09:00"),
                    "agent_hours".to_string(),
                    9_000_000
                ),
                (
                    ms("2024-03-01T00:00:00+09:00"),
                    "storage_gb_days".to_string(),
                    250_000
                ),
            ]
        );
        assert_eq!(rolled_up(&app, project).await, expected);
        assert_eq!(app.count("SELECT COUNT(*) FROM pending_backfills").await, 0);

        // Done once: a later start (migrations run again) does not add the hours a second time.
        app.state.db.migrate().await.unwrap();
        assert_eq!(rolled_up(&app, project).await, expected);
    }
);
