//! Projects over HTTP (server functions and /api/v1) on both databases.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use apm_portal::server::jobs;
use chrono::{Duration, Utc};
use common::TestApp;
use serde_json::{Value, json};

async fn customer(app: &TestApp, id: &str) -> reqwest::Client {
    let c = app.new_client();
    assert_eq!(
        app.sign_up(&c, id, &format!("{id}@example.com")).await["ok"],
        true
    );
    c
}

async fn create(app: &TestApp, c: &reqwest::Client, prefix: &str, plan: &str) -> reqwest::Response {
    c.post(app.url("/api/v1/projects"))
        .json(&json!({"name": "결제 서비스", "prefix": prefix, "plan": plan}))
        .send()
        .await
        .unwrap()
}

/// The project as its owner reads it through the API.
async fn project_json(app: &TestApp, c: &reqwest::Client, id: i64) -> Value {
    let res = c
        .get(app.url(&format!("/api/v1/projects/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "project {id}");
    res.json().await.unwrap()
}

/// Creates a project that must succeed and returns its id.
async fn created_id(app: &TestApp, c: &reqwest::Client, prefix: &str, plan: &str) -> i64 {
    let res = create(app, c, prefix, plan).await;
    assert_eq!(res.status(), 201, "creating {prefix}");
    res.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

both_backends!(
    create_read_and_list_through_the_api,
    |app: TestApp| async move {
        let c = customer(&app, "creator").await;
        let res = create(&app, &c, "Pay-Shop", "free").await;
        assert_eq!(res.status(), 201);
        let p: Value = res.json().await.unwrap();
        assert_eq!(p["prefix"], "pay-shop");
        assert_eq!(p["address"], "pay-shop.apm.example.kr");
        assert_eq!(p["plan"], "free");
        assert_eq!(p["state"], "active");
        assert_eq!(p["days_left"], 15);
        assert_eq!(p["targets_left"], 5);
        let id = p["id"].as_i64().unwrap();
        let one: Value = project_json(&app, &c, id).await;
        assert_eq!(one["name"], "결제 서비스");
        let list: Value = c
            .get(app.url("/api/v1/projects"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(list.as_array().unwrap().len(), 1);
        // The plan choice is recorded with its time.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM plan_changes WHERE to_plan = 'free'")
                .await,
            1
        );
    }
);

both_backends!(
    invalid_input_is_explained_and_writes_nothing,
    |app: TestApp| async move {
        let c = customer(&app, "careful").await;
        for (prefix, code) in [
            ("ab", "prefix_too_short"),
            ("www", "prefix_reserved"),
            ("my--shop", "prefix_double_hyphen"),
            ("shop-", "prefix_ends_with_hyphen"),
            ("쇼핑", "prefix_invalid_character"),
        ] {
            let res = create(&app, &c, prefix, "free").await;
            assert_eq!(res.status(), 422, "{prefix}");
            let e: Value = res.json().await.unwrap();
            assert_eq!(e["code"], "validation_failed");
            assert_eq!(e["fields"][0]["code"], code, "{prefix}: {e}");
        }
        let bad_plan = create(&app, &c, "goodname", "gold").await;
        assert_eq!(
            bad_plan.json::<Value>().await.unwrap()["fields"][0]["field"],
            "plan"
        );
        let broken = c
            .post(app.url("/api/v1/projects"))
            .header("content-type", "application/json")
            .body("{")
            .send()
            .await
            .unwrap();
        assert_eq!(broken.status(), 400);
        assert_eq!(broken.json::<Value>().await.unwrap()["code"], "bad_request");
        let not_a_number = c.get(app.url("/api/v1/projects/abc")).send().await.unwrap();
        assert_eq!(not_a_number.status(), 400);
        assert_eq!(
            not_a_number.json::<Value>().await.unwrap()["code"],
            "bad_request"
        );
        let no_query = c
            .get(app.url("/api/v1/prefix-availability"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            no_query.json::<Value>().await.unwrap()["code"],
            "bad_request"
        );
        let wrong_method = c.put(app.url("/api/v1/projects")).send().await.unwrap();
        assert_eq!(
            wrong_method.json::<Value>().await.unwrap()["code"],
            "method_not_allowed"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM projects").await, 0);
    }
);

both_backends!(
    a_prefix_is_unique_across_customers,
    |app: TestApp| async move {
        let a = customer(&app, "alpha").await;
        let b = customer(&app, "bravo").await;
        assert_eq!(create(&app, &a, "shared", "free").await.status(), 201);
        let res = create(&app, &b, "SHARED", "paid").await;
        assert_eq!(res.status(), 409);
        assert_eq!(res.json::<Value>().await.unwrap()["code"], "prefix_taken");
        let check: Value = b
            .get(app.url("/api/v1/prefix-availability?prefix=Shared"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(check["available"], false);
        assert_eq!(check["reason"], "prefix_taken");
        let free: Value = b
            .get(app.url("/api/v1/prefix-availability?prefix=other-one"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(free["available"], true);
        assert_eq!(free["address"], "other-one.apm.example.kr");
    }
);

both_backends!(
    two_customers_racing_for_a_prefix_exactly_one_wins,
    |app: TestApp| async move {
        let mut clients = Vec::new();
        for i in 0..6 {
            clients.push(customer(&app, &format!("racer{i}")).await);
        }
        let attempts = clients.iter().map(|c| create(&app, c, "contested", "free"));
        let results = futures::future::join_all(attempts).await;
        let statuses: Vec<u16> = results.iter().map(|r| r.status().as_u16()).collect();
        assert_eq!(
            statuses.iter().filter(|s| **s == 201).count(),
            1,
            "{statuses:?}"
        );
        assert!(
            statuses.iter().all(|s| *s == 201 || *s == 409),
            "{statuses:?}"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM projects WHERE prefix = 'contested'")
                .await,
            1
        );
    }
);

both_backends!(
    another_customers_project_is_not_found_on_pages_and_api,
    |app: TestApp| async move {
        let owner = customer(&app, "owner").await;
        let id = created_id(&app, &owner, "owned-one", "paid").await;
        let other = customer(&app, "intruder").await;
        let sid = id.to_string();
        for path in [
            format!("/api/v1/projects/{id}"),
            format!("/api/v1/projects/{id}/targets"),
            format!("/api/v1/projects/{id}/capacity-changes"),
        ] {
            let r = other.get(app.url(&path)).send().await.unwrap();
            assert_eq!(r.status(), 404, "{path}");
            assert_eq!(r.json::<Value>().await.unwrap()["code"], "not_found");
        }
        let add = other
            .post(app.url(&format!("/api/v1/projects/{id}/targets")))
            .json(&json!({"kind": "url", "name": "x", "detail": "https://a.example.com"}))
            .send()
            .await
            .unwrap();
        assert_eq!(add.status(), 404);
        assert_eq!(
            other
                .post(app.url(&format!("/api/v1/projects/{id}/upgrade")))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        // Server functions and the page itself.
        assert_eq!(
            app.call(&other, "projects/detail", &[("project_id", &sid)])
                .await
                .status(),
            404
        );
        assert_eq!(
            app.call(
                &other,
                "projects/targets/add",
                &[
                    ("project_id", &sid),
                    ("kind", "url"),
                    ("name", "x"),
                    ("detail", "https://a.example.com")
                ]
            )
            .await
            .status(),
            404
        );
        assert_eq!(
            other
                .get(app.url(&format!("/projects/{id}")))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        assert_eq!(
            owner
                .get(app.url(&format!("/projects/{id}")))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM monitoring_targets").await,
            0
        );
        // The owner's own target cannot be renamed or removed by anyone else either, and
        // neither the capacity nor the plan moves.
        let added = owner
            .post(app.url(&format!("/api/v1/projects/{id}/targets")))
            .json(&json!({"kind": "url", "name": "mine", "detail": "https://a.example.com"}))
            .send()
            .await
            .unwrap();
        assert_eq!(added.status(), 201);
        let tid = app
            .count("SELECT MAX(id) FROM monitoring_targets")
            .await
            .to_string();
        let target_url = app.url(&format!("/api/v1/projects/{id}/targets/{tid}"));
        let renamed = other
            .patch(&target_url)
            .json(&json!({"name": "theirs"}))
            .send()
            .await
            .unwrap();
        assert_eq!(renamed.status(), 404);
        assert_eq!(
            other.delete(&target_url).send().await.unwrap().status(),
            404
        );
        let cap = other
            .post(app.url(&format!("/api/v1/projects/{id}/capacity-changes")))
            .json(&json!({"ingest_gb_per_day": 50, "storage_gb": 500, "extended_retention": true, "remote_support": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(cap.status(), 404);
        for (endpoint, form) in [
            (
                "projects/targets/rename",
                vec![
                    ("project_id", sid.as_str()),
                    ("target_id", tid.as_str()),
                    ("name", "theirs"),
                ],
            ),
            (
                "projects/targets/remove",
                vec![("project_id", sid.as_str()), ("target_id", tid.as_str())],
            ),
            ("projects/upgrade", vec![("project_id", sid.as_str())]),
            (
                "projects/capacity",
                vec![
                    ("project_id", sid.as_str()),
                    ("ingest_gb_per_day", "50"),
                    ("storage_gb", "500"),
                ],
            ),
        ] {
            assert_eq!(
                app.call(&other, endpoint, &form).await.status(),
                404,
                "{endpoint}"
            );
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM monitoring_targets WHERE name = 'mine'")
                .await,
            1
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM capacity_changes").await, 0);
        // Without any credentials the API says so.
        let anon = reqwest::Client::new()
            .get(app.url("/api/v1/projects"))
            .send()
            .await
            .unwrap();
        assert_eq!(anon.status(), 401);
    }
);

both_backends!(
    the_free_plan_allows_five_targets_and_paid_any_number,
    |app: TestApp| async move {
        let c = customer(&app, "targeter").await;
        let id = created_id(&app, &c, "five-targets", "free").await;
        let add = |n: usize| {
            let c = c.clone();
            let url = app.url(&format!("/api/v1/projects/{id}/targets"));
            async move {
                c.post(url).json(&json!({"kind": "url", "name": format!("check {n}"), "detail": format!("https://shop.example.com/{n}")}))
                .send().await.unwrap()
            }
        };
        for n in 0..5 {
            assert_eq!(add(n).await.status(), 201);
        }
        let refused = add(5).await;
        assert_eq!(refused.status(), 409);
        assert_eq!(
            refused.json::<Value>().await.unwrap()["code"],
            "target_limit_reached"
        );
        // Bad details are explained per field.
        let bad = c
            .post(app.url(&format!("/api/v1/projects/{id}/targets")))
            .json(&json!({"kind": "system", "name": "", "detail": "not a host"}))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 422);
        let up: Value = c
            .post(app.url(&format!("/api/v1/projects/{id}/upgrade")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(up["plan"], "paid");
        assert_eq!(up["days_left"], Value::Null);
        assert_eq!(add(6).await.status(), 201);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM monitoring_targets").await,
            6
        );
        // Rename and remove.
        let targets: Value = c
            .get(app.url(&format!("/api/v1/projects/{id}/targets")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let tid = targets[0]["id"].as_i64().unwrap();
        let renamed = c
            .patch(app.url(&format!("/api/v1/projects/{id}/targets/{tid}")))
            .json(&json!({"name": "홈"}))
            .send()
            .await
            .unwrap();
        assert_eq!(renamed.status(), 204);
        assert_eq!(
            c.delete(app.url(&format!("/api/v1/projects/{id}/targets/{tid}")))
                .send()
                .await
                .unwrap()
                .status(),
            204
        );
        assert_eq!(
            c.delete(app.url(&format!("/api/v1/projects/{id}/targets/{tid}")))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        // Upgrading twice records one change.
        assert_eq!(
            c.post(app.url(&format!("/api/v1/projects/{id}/upgrade")))
                .send()
                .await
                .unwrap()
                .status(),
            409
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM plan_changes WHERE reason = 'upgrade'")
                .await,
            1
        );
    }
);

both_backends!(
    capacity_changes_apply_at_once_and_keep_history,
    |app: TestApp| async move {
        let c = customer(&app, "grower").await;
        let id = created_id(&app, &c, "growing", "paid").await;
        let url = app.url(&format!("/api/v1/projects/{id}/capacity-changes"));
        let first = c.post(&url).json(&json!({"ingest_gb_per_day": 50, "storage_gb": 500, "extended_retention": true, "remote_support": false})).send().await.unwrap();
        assert_eq!(first.status(), 201);
        let second = c.post(&url).json(&json!({"ingest_gb_per_day": 20, "storage_gb": 500, "extended_retention": true, "remote_support": true})).send().await.unwrap();
        let history: Value = second.json().await.unwrap();
        assert_eq!(history.as_array().unwrap().len(), 2);
        assert_eq!(history[0]["from"]["ingest_gb_per_day"], 50);
        assert_eq!(history[0]["to"]["ingest_gb_per_day"], 20);
        assert!(history[0]["applied_at"].is_string());
        assert_eq!(history[0]["requested_at"], history[0]["applied_at"]);
        let out_of_range = c.post(&url).json(&json!({"ingest_gb_per_day": 0, "storage_gb": 500, "extended_retention": true, "remote_support": true})).send().await.unwrap();
        assert_eq!(out_of_range.status(), 422);
        let same = c.post(&url).json(&json!({"ingest_gb_per_day": 20, "storage_gb": 500, "extended_retention": true, "remote_support": true})).send().await.unwrap();
        assert_eq!(
            same.json::<Value>().await.unwrap()["fields"][0]["code"],
            "no_change"
        );
        assert_eq!(
            app.count("SELECT ingest_gb_per_day FROM projects").await,
            20
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM capacity_changes").await, 2);
        // Free projects cannot change capacity.
        let fid = created_id(&app, &c, "still-free", "free").await;
        let free = c.post(app.url(&format!("/api/v1/projects/{fid}/capacity-changes")))
        .json(&json!({"ingest_gb_per_day": 5, "storage_gb": 50, "extended_retention": false, "remote_support": false})).send().await.unwrap();
        assert_eq!(
            free.json::<Value>().await.unwrap()["fields"][0]["code"],
            "not_paid"
        );
    }
);

both_backends!(
    trial_expiry_runs_once_however_often_and_wherever_the_job_runs,
    |app: TestApp| async move {
        let c = customer(&app, "trialist").await;
        let id = created_id(&app, &c, "short-trial", "free").await;
        let db = &app.state.db;
        // Two days before the end: the 3-day notice.
        let notice_time = Utc::now() + Duration::days(13);
        let r = jobs::run_lifecycle(db, notice_time).await.unwrap();
        assert_eq!((r.transitions, r.notices), (0, 1));
        assert_eq!(
            jobs::run_lifecycle(db, notice_time).await.unwrap().notices,
            0,
            "stored once"
        );
        // After the end, two instances race: one transition, one event, one notification of it.
        let after = Utc::now() + Duration::days(16);
        let (a, b) = tokio::join!(
            jobs::run_lifecycle_with_lease(db, "instance-a", after),
            jobs::run_lifecycle_with_lease(db, "instance-b", after),
        );
        let total: u64 = [a.unwrap(), b.unwrap()]
            .into_iter()
            .flatten()
            .map(|r| r.transitions)
            .sum();
        assert_eq!(total, 1);
        let (a, b) = tokio::join!(
            jobs::run_lifecycle(db, after),
            jobs::run_lifecycle(db, after)
        );
        assert_eq!(
            a.unwrap().transitions + b.unwrap().transitions,
            0,
            "nothing left to do"
        );
        assert_eq!(
            apm_portal::server::db::projects::lifecycle_event_count(db, id)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM notifications WHERE kind = 'lifecycle_applied'")
                .await,
            1
        );
        let state: String = sqlx::query_scalar("SELECT state FROM projects")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(state, "deleted");
    }
);

both_backends!(
    a_job_that_read_the_project_before_an_upgrade_leaves_it_running,
    |app: TestApp| async move {
        use apm_portal::server::db::projects as q;
        let c = customer(&app, "racer").await;
        let id = created_id(&app, &c, "late-upgrade", "free").await;
        let db = &app.state.db;
        // The job read the row while the project was still free...
        let stale = q::find(db, id).await.unwrap().unwrap();
        // ...the customer upgrades...
        let up = c
            .post(app.url(&format!("/api/v1/projects/{id}/upgrade")))
            .send()
            .await
            .unwrap();
        assert_eq!(up.status(), 200);
        // ...and the job's transition, worked out from the stale row, must not land.
        let later = chrono::Utc::now() + Duration::days(16);
        let ms = later.timestamp_millis();
        assert!(
            !q::apply_transition(db, &stale, "deleted", ms, ms)
                .await
                .unwrap()
        );
        assert_eq!(
            q::find(db, id).await.unwrap().unwrap().state.code(),
            "active"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM lifecycle_events").await, 0);
        // A fresh run at the same time finds nothing to do for a paid project.
        assert_eq!(jobs::run_lifecycle(db, later).await.unwrap().transitions, 0);
    }
);

both_backends!(
    the_lease_lets_one_instance_run_at_a_time,
    |app: TestApp| async move {
        let db = &app.state.db;
        let now = Utc::now();
        let ms = now.timestamp_millis();
        use apm_portal::server::db::leases::{release, try_acquire};
        assert!(try_acquire(db, "job", "a", ms, ms + 60_000).await.unwrap());
        assert!(
            !try_acquire(db, "job", "b", ms + 1, ms + 60_000)
                .await
                .unwrap()
        );
        assert!(
            try_acquire(db, "job", "b", ms + 60_001, ms + 120_000)
                .await
                .unwrap(),
            "an expired lease is taken over"
        );
        release(db, "job", "b").await.unwrap();
        assert!(
            try_acquire(db, "job", "a", ms + 60_002, ms + 120_000)
                .await
                .unwrap()
        );
    }
);

both_backends!(
    staff_change_plans_with_a_reason_and_it_is_audited,
    |app: TestApp| async move {
        let c = customer(&app, "trial.owner").await;
        let id = created_id(&app, &c, "needs-time", "free").await;
        let sid = id.to_string();
        use apm_portal::model::StaffRole;
        apm_portal::server::staff::create(
            &app.state,
            "helper",
            "지원 담당",
            "help@portal.example.kr",
            StaffRole::Support,
            "Staff-pass-2026!",
        )
        .await
        .unwrap();
        apm_portal::server::staff::create(
            &app.state,
            "operator",
            "운영 담당",
            "ops@portal.example.kr",
            StaffRole::Operations,
            "Staff-pass-2026!",
        )
        .await
        .unwrap();
        let support = app.new_client();
        app.log_in(&support, "helper", "Staff-pass-2026!").await;
        // Support can look but not change.
        assert_eq!(
            app.call(&support, "admin/project", &[("project_id", &sid)])
                .await
                .status(),
            200
        );
        let refused: Value = app
            .call(
                &support,
                "admin/project/plan",
                &[
                    ("project_id", &sid),
                    ("to_plan", "free"),
                    ("extension_days", "7"),
                    ("reason", "asked nicely"),
                ],
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(refused["outcome"], "not_allowed");
        let ops = app.new_client();
        app.log_in(&ops, "operator", "Staff-pass-2026!").await;
        let no_reason: Value = app
            .call(
                &ops,
                "admin/project/plan",
                &[
                    ("project_id", &sid),
                    ("to_plan", "free"),
                    ("extension_days", "7"),
                    ("reason", " "),
                ],
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(no_reason["problems"][0], "reason_missing", "{no_reason}");
        let ok: Value = app
            .call(
                &ops,
                "admin/project/plan",
                &[
                    ("project_id", &sid),
                    ("to_plan", "free"),
                    ("extension_days", "7"),
                    ("reason", "고객 요청: PoC 연장"),
                ],
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(ok["outcome"], "applied", "{ok}");
        let p: Value = project_json(&app, &c, id).await;
        assert_eq!(p["days_left"], 22);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'project.trial_extended'")
                .await,
            1
        );
        let audit: String = sqlx::query_scalar("SELECT reason FROM audit_log")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(audit, "고객 요청: PoC 연장");
        // The customer sees that support extended the trial, but not who or the internal note.
        let mine: Value = app
            .call(&c, "projects/detail", &[("project_id", &sid)])
            .await
            .json()
            .await
            .unwrap();
        let change = &mine["plan_history"][0];
        assert_eq!(change["by_staff"], true, "{mine}");
        assert_eq!(change["actor"], "");
        assert_eq!(change["reason"], "");
        // An old paid project moved to free would be deleted on the spot: refused unless the
        // trial is extended far enough to keep it running; paid options are dropped with it.
        let old = created_id(&app, &c, "old-paid", "paid").await;
        let old_sid = old.to_string();
        let cap = c
            .post(app.url(&format!("/api/v1/projects/{old}/capacity-changes")))
            .json(&json!({"ingest_gb_per_day": 10, "storage_gb": 100, "extended_retention": true, "remote_support": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(cap.status(), 201);
        sqlx::query("UPDATE projects SET created_at = created_at - $1 WHERE id = $2")
            .bind(20_i64 * 86_400_000)
            .bind(old)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let downgrade = |days: &'static str| {
            let (app, ops, old_sid) = (&app, &ops, old_sid.clone());
            async move {
                app.call(
                    ops,
                    "admin/project/plan",
                    &[
                        ("project_id", old_sid.as_str()),
                        ("to_plan", "free"),
                        ("extension_days", days),
                        ("reason", "계약 종료"),
                    ],
                )
                .await
                .json::<Value>()
                .await
                .unwrap()
            }
        };
        assert_eq!(downgrade("0").await["outcome"], "would_stop");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM projects WHERE plan = 'paid'")
                .await,
            1,
            "nothing changed"
        );
        assert_eq!(downgrade("10").await["outcome"], "applied");
        let now_free: Value = project_json(&app, &c, old).await;
        assert_eq!(now_free["plan"], "free");
        assert_eq!(now_free["state"], "active");
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM projects WHERE extended_retention = 1 OR remote_support = 1"
            )
            .await,
            0
        );
        // The customer API is not a staff tool: staff sessions find nothing there.
        let staff_api = ops.get(app.url("/api/v1/projects")).send().await.unwrap();
        assert_eq!(staff_api.status(), 404);
        // Only admins read the audit log.
        assert_eq!(
            app.call(&ops, "admin/audit", &[("page", "1")])
                .await
                .status(),
            404
        );
        // Staff search finds the project by owner ID.
        let found: Value = app
            .call(
                &ops,
                "admin/projects",
                &[("q", "TRIAL.owner"), ("page", "1")],
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(found["total"], 2, "both of the owner's projects");
    }
);

both_backends!(
    personal_api_tokens_work_until_revoked,
    |app: TestApp| async move {
        let c = customer(&app, "automator").await;
        let made: Value = app
            .call(&c, "account/tokens/create", &[("name", "CI")])
            .await
            .json()
            .await
            .unwrap();
        let secret = made["secret"].as_str().unwrap().to_string();
        assert!(secret.starts_with("apm_"));
        let stored: String = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        assert_ne!(stored, secret, "only the hash is kept");
        let bot = reqwest::Client::new();
        let res = bot
            .post(app.url("/api/v1/projects"))
            .bearer_auth(&secret)
            .json(&json!({"name": "From CI", "prefix": "from-ci", "plan": "free"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201, "a bearer token needs no Origin");
        // A token is no key to the account itself: it cannot mint more tokens, even same-origin.
        let minted = bot
            .post(app.url("/api/account/tokens/create"))
            .bearer_auth(&secret)
            .header("origin", app.url(""))
            .header("accept", "application/json")
            .form(&[("name", "more")])
            .send()
            .await
            .unwrap();
        assert_ne!(minted.status(), 200);
        assert_eq!(app.count("SELECT COUNT(*) FROM api_tokens").await, 1);
        let list: Value = app
            .call(&c, "account/tokens", &[])
            .await
            .json()
            .await
            .unwrap();
        let tid = list[0]["id"].as_i64().unwrap().to_string();
        app.call(&c, "account/tokens/revoke", &[("token_id", &tid)])
            .await;
        let after = bot
            .get(app.url("/api/v1/projects"))
            .bearer_auth(&secret)
            .send()
            .await
            .unwrap();
        assert_eq!(after.status(), 401);
    }
);

#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let app = common::spawn_app(common::Backend::Sqlite).await.unwrap();
    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["info"]["title"], "APM portal API");
    for path in [
        "/api/v1/projects",
        "/api/v1/projects/{id}/targets",
        "/api/v1/projects/{id}/capacity-changes",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
}
