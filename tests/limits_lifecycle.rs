//! Caps and creation rate, paged lists, and the lifecycle job that reads only due projects,
//! on both databases.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use apm_portal::domain::kst::{kst_date, start_of_kst_day};
use apm_portal::domain::stored::ProjectId;
use apm_portal::server::config::Settings;
use apm_portal::server::db::projects as q;
use apm_portal::server::jobs;
use chrono::{Days, Duration, Utc};
use common::TestApp;
use serde_json::{Value, json};

async fn create(app: &TestApp, c: &reqwest::Client, prefix: &str, plan: &str) -> reqwest::Response {
    c.post(app.url("/api/v1/projects"))
        .json(&json!({"name": "결제 서비스", "prefix": prefix, "plan": plan}))
        .send()
        .await
        .unwrap()
}

async fn row(app: &TestApp, id: i64) -> q::ProjectRow {
    q::find(&app.state.db, ProjectId(id))
        .await
        .unwrap()
        .unwrap()
}

async fn count_for(app: &TestApp, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

/// Ends a free project's trial by moving its creation back, as the passing of time would.
async fn age(app: &TestApp, id: i64, days: i64) {
    sqlx::query("UPDATE projects SET created_at = created_at - $1, next_step_at = 0 WHERE id = $2")
        .bind(days * 86_400_000)
        .bind(id)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
}

fn small_caps(s: &mut Settings) {
    s.max_projects_per_customer = 2;
    s.max_tokens_per_customer = 2;
}

both_backends_with!(
    projects_and_tokens_stop_at_the_cap_with_a_stable_code,
    small_caps,
    |app: TestApp| async move {
        let c = app.new_customer("collector").await;
        let first = app.create_project(&c, "cap-one", "free").await;
        app.create_project(&c, "cap-two", "paid").await;
        let third = create(&app, &c, "cap-three", "free").await;
        assert_eq!(third.status(), 409);
        let e: Value = third.json().await.unwrap();
        assert_eq!(e["code"], "project_limit_reached");
        // The page's server function says so next to the form.
        let page: Value = app
            .call(
                &c,
                "projects/create",
                &[
                    ("name", "세 번째"),
                    ("prefix", "cap-three"),
                    ("plan", "free"),
                ],
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(page["project_limit"], 2, "{page}");
        assert!(page["project_id"].is_null());
        // Another customer has a cap of their own.
        let other = app.new_customer("newcomer").await;
        app.create_project(&other, "other-one", "free").await;
        // A deleted project does not count: its data is gone (its prefix stays reserved).
        age(&app, first, 16).await;
        jobs::run_lifecycle(&app.state.db, Utc::now())
            .await
            .unwrap();
        assert_eq!(row(&app, first).await.state.code(), "deleted");
        app.create_project(&c, "cap-three", "free").await;
        assert_eq!(create(&app, &c, "cap-one", "free").await.status(), 409);

        // Tokens: two live ones at most; revoking one makes room.
        let mint = || async {
            app.call(
                &c,
                "account/tokens/create",
                &[
                    ("name", "CI"),
                    ("current_password", common::requests::PASSWORD),
                ],
            )
            .await
            .json::<Value>()
            .await
            .unwrap()
        };
        assert!(mint().await["secret"].is_string());
        assert!(mint().await["secret"].is_string());
        let refused = mint().await;
        assert!(refused["secret"].is_null(), "{refused}");
        assert_eq!(refused["token_limit"], 2);
        let list: Value = app
            .call(&c, "account/tokens", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(list.as_array().unwrap().len(), 2);
        let tid = list[0]["id"].as_i64().unwrap().to_string();
        app.call(&c, "account/tokens/revoke", &[("token_id", &tid)])
            .await;
        assert!(mint().await["secret"].is_string());
    }
);

both_backends_with!(
    project_creation_is_rate_limited_per_customer,
    |s: &mut Settings| s.project_creations_per_hour = 2,
    |app: TestApp| async move {
        let c = app.new_customer("scripter").await;
        app.create_project(&c, "rate-one", "free").await;
        app.create_project(&c, "rate-two", "free").await;
        // An invalid request is answered as such and does not use up the allowance.
        let bad = create(&app, &c, "-bad-", "free").await;
        assert_eq!(bad.status(), 422);
        let res = create(&app, &c, "rate-three", "free").await;
        assert_eq!(res.status(), 429);
        let wait: u64 = res.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=3600).contains(&wait), "{wait}");
        assert_eq!(res.json::<Value>().await.unwrap()["code"], "rate_limited");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM projects").await,
            2,
            "nothing reserved"
        );
        // The page shows how long to wait.
        let page: Value = app
            .call(
                &c,
                "projects/create",
                &[
                    ("name", "세 번째"),
                    ("prefix", "rate-three"),
                    ("plan", "free"),
                ],
            )
            .await
            .json()
            .await
            .unwrap();
        assert!(page["retry_after_secs"].as_u64().unwrap() >= 1, "{page}");
        // Someone else is not slowed down.
        let other = app.new_customer("patient").await;
        app.create_project(&other, "rate-other", "free").await;
    }
);

both_backends_with!(
    lists_come_a_page_at_a_time,
    |s: &mut Settings| {
        s.max_projects_per_customer = 30;
        s.project_creations_per_hour = 100;
    },
    |app: TestApp| async move {
        let c = app.new_customer("pager").await;
        let mut ids = Vec::new();
        for i in 0..21 {
            ids.push(
                app.create_project(&c, &format!("paged-{i:02}"), "paid")
                    .await,
            );
        }
        ids.reverse();
        // API: limit and an opaque cursor, newest first, until no next_cursor.
        let mut seen = Vec::new();
        let mut path = "/api/v1/projects?limit=8".to_string();
        loop {
            let (status, page) = app.get_json(&c, &path).await;
            assert_eq!(status, 200, "{page}");
            let items = page["items"].as_array().unwrap();
            assert!(items.len() <= 8);
            seen.extend(items.iter().map(|p| p["id"].as_i64().unwrap()));
            match page["next_cursor"].as_str() {
                Some(cur) => path = format!("/api/v1/projects?limit=8&cursor={cur}"),
                None => break,
            }
        }
        assert_eq!(seen, ids);
        let (_, all) = app.get_json(&c, "/api/v1/projects").await;
        assert_eq!(all["items"].as_array().unwrap().len(), 21, "default 50");
        assert!(all.get("next_cursor").is_none());
        for bad in ["limit=0", "limit=101", "limit=x"] {
            let (status, _) = app.get_json(&c, &format!("/api/v1/projects?{bad}")).await;
            assert_eq!(status, 400, "{bad}");
        }
        let (status, e) = app.get_json(&c, "/api/v1/projects?cursor=zz").await;
        assert_eq!((status, e["code"].as_str()), (400, Some("invalid_cursor")));

        // Targets, oldest first.
        let pid = ids[0];
        for i in 0..3 {
            let res = c
                .post(app.url(&format!("/api/v1/projects/{pid}/targets")))
                .json(&json!({"kind": "system", "name": format!("host {i}"), "detail": format!("host{i}.example.kr")}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 201);
        }
        let (_, t1) = app
            .get_json(&c, &format!("/api/v1/projects/{pid}/targets?limit=2"))
            .await;
        assert_eq!(t1["items"][0]["name"], "host 0");
        assert_eq!(t1["items"].as_array().unwrap().len(), 2);
        let cur = t1["next_cursor"].as_str().unwrap();
        let (_, t2) = app
            .get_json(
                &c,
                &format!("/api/v1/projects/{pid}/targets?limit=2&cursor={cur}"),
            )
            .await;
        assert_eq!(t2["items"][0]["name"], "host 2");
        assert!(t2.get("next_cursor").is_none());

        // Capacity history, newest first.
        for ingest in [11, 12, 13] {
            let res = c
                .post(app.url(&format!("/api/v1/projects/{pid}/capacity-changes")))
                .json(&json!({"ingest_gb_per_day": ingest, "storage_gb": 100, "extended_retention": false, "remote_support": false}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 201);
        }
        let (_, h1) = app
            .get_json(
                &c,
                &format!("/api/v1/projects/{pid}/capacity-changes?limit=2"),
            )
            .await;
        assert_eq!(h1["items"][0]["to"]["ingest_gb_per_day"], 13);
        let cur = h1["next_cursor"].as_str().unwrap();
        let (_, h2) = app
            .get_json(
                &c,
                &format!("/api/v1/projects/{pid}/capacity-changes?limit=2&cursor={cur}"),
            )
            .await;
        assert_eq!(h2["items"][0]["to"]["ingest_gb_per_day"], 11);

        // Pages: `?page=` of 20 rows, with where we are.
        let p2: Value = app
            .call(&c, "projects/list", &[("page", "2")])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(p2["projects"].as_array().unwrap().len(), 1, "{p2}");
        assert_eq!(p2["projects"][0]["id"], ids[20]);
        assert_eq!(p2["page"], json!({"page": 2, "pages": 2}));
        let first: Value = app
            .call(&c, "projects/list", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(first["projects"].as_array().unwrap().len(), 20);
        assert_eq!(first["page"], json!({"page": 1, "pages": 2}));
        // Past the end: no rows, and still the right number of pages.
        let p3: Value = app
            .call(&c, "projects/list", &[("page", "3")])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(p3["projects"].as_array().unwrap().len(), 0, "{p3}");
        assert_eq!(p3["page"], json!({"page": 3, "pages": 2}));
        let html = c
            .get(app.url("/dashboard?page=2"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("class=\"pager\""),
            "the dashboard has a pager"
        );
        let detail: Value = app
            .call(
                &c,
                "projects/detail",
                &[("project_id", &pid.to_string()), ("targets_page", "1")],
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(detail["pages"]["targets"], json!({"page": 1, "pages": 1}));
        assert_eq!(detail["capacity_history"].as_array().unwrap().len(), 3);

        // The OpenAPI document describes the paging.
        let (_, doc) = app.get_json(&c, "/api/v1/openapi.json").await;
        let params = doc["paths"]["/api/v1/projects"]["get"]["parameters"]
            .as_array()
            .unwrap();
        let names: Vec<_> = params.iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert!(
            names.contains(&"limit") && names.contains(&"cursor"),
            "{names:?}"
        );
        assert!(
            doc["components"]["schemas"]["ProjectPageJson"]["properties"]["next_cursor"]
                .is_object()
        );
    }
);

both_backends!(
    the_job_reads_only_projects_with_a_step_due,
    |app: TestApp| async move {
        let db = &app.state.db;
        let c = app.new_customer("watcher").await;
        let free = app.create_project(&c, "watched", "free").await;
        let paid = app.create_project(&c, "paying", "paid").await;
        let created = row(&app, free).await.created_at.0.timestamp_millis();
        // The free trial's first look is when its 3-day notice window opens; a paid project
        // that owes nothing is never looked at.
        assert_eq!(
            row(&app, free).await.next_step_at,
            Some(created + 12 * 86_400_000)
        );
        assert_eq!(row(&app, paid).await.next_step_at, None);
        let now = Utc::now();
        assert!(
            q::due_for_lifecycle(db, now.timestamp_millis(), 100)
                .await
                .unwrap()
                .is_empty()
        );
        let notice_time = now + Duration::days(13);
        let due = q::due_for_lifecycle(db, notice_time.timestamp_millis(), 100)
            .await
            .unwrap();
        assert_eq!(
            due.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![ProjectId(free)]
        );
        let r = jobs::run_lifecycle(db, notice_time).await.unwrap();
        assert_eq!((r.transitions, r.notices), (0, 1));
        // Next look: the 1-day notice window.
        assert_eq!(
            row(&app, free).await.next_step_at,
            Some(created + 14 * 86_400_000)
        );
        assert_eq!(
            jobs::run_lifecycle(db, notice_time).await.unwrap(),
            jobs::LifecycleRun::default(),
            "nothing due until then"
        );
        // A project whose next look has not come is not read, even if its trial is over:
        // the job trusts next_step_at.
        sqlx::query("UPDATE projects SET next_step_at = $1 WHERE id = $2")
            .bind((now + Duration::days(30)).timestamp_millis())
            .bind(free)
            .execute(&db.pool)
            .await
            .unwrap();
        let after = now + Duration::days(16);
        assert_eq!(jobs::run_lifecycle(db, after).await.unwrap().transitions, 0);
        assert_eq!(row(&app, free).await.state.code(), "active");
    }
);

both_backends!(
    a_late_run_records_every_step_it_jumps_with_one_notice,
    |app: TestApp| async move {
        let db = &app.state.db;
        let c = app.new_customer("latecomer").await;
        let free = app.create_project(&c, "jumped", "free").await;
        let after = Utc::now() + Duration::days(16);
        let r = jobs::run_lifecycle(db, after).await.unwrap();
        assert_eq!(r.transitions, 3, "one event per step");
        let steps: Vec<(String, String)> = sqlx::query_as(
            "SELECT from_state, to_state FROM lifecycle_events WHERE project_id = $1 ORDER BY id",
        )
        .bind(free)
        .fetch_all(&db.pool)
        .await
        .unwrap();
        let steps: Vec<(&str, &str)> = steps
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(
            steps,
            vec![
                ("active", "access_stopped"),
                ("access_stopped", "collection_stopped"),
                ("collection_stopped", "deleted")
            ]
        );
        assert_eq!(
            count_for(
                &app,
                "SELECT COUNT(*) FROM notifications WHERE project_id = $1 AND kind = 'lifecycle_applied'",
                free
            )
            .await,
            1,
            "the customer is told once, of the last step"
        );
        assert_eq!(row(&app, free).await.next_step_at, None, "nothing left");

        // A paid project: a payment missed and the job late by twelve days.
        let paid = app.create_project(&c, "unpaid", "paid").await;
        let missed = kst_date(Utc::now());
        apm_portal::server::projects::set_missed_payment(
            &app.state,
            &row(&app, paid).await,
            Some(missed),
            Utc::now(),
        )
        .await
        .unwrap();
        let late = start_of_kst_day(missed.checked_add_days(Days::new(12)).unwrap());
        let r = jobs::run_lifecycle(db, late).await.unwrap();
        assert_eq!(r.transitions, 2, "access and collection stopped");
        assert_eq!(row(&app, paid).await.state.code(), "collection_stopped");
        assert_eq!(
            row(&app, paid).await.next_step_at,
            Some(
                start_of_kst_day(missed.checked_add_days(Days::new(17)).unwrap())
                    .timestamp_millis()
            ),
            "next: the 3-day notice of deletion"
        );
    }
);

both_backends!(
    two_job_runs_racing_on_one_due_row_apply_it_once,
    |app: TestApp| async move {
        let db = &app.state.db;
        let c = app.new_customer("raced").await;
        let id = app.create_project(&c, "raced-paid", "paid").await;
        let missed = kst_date(Utc::now());
        apm_portal::server::projects::set_missed_payment(
            &app.state,
            &row(&app, id).await,
            Some(missed),
            Utc::now(),
        )
        .await
        .unwrap();
        // Two days later only one step is due: access stops.
        let at = start_of_kst_day(missed.checked_add_days(Days::new(2)).unwrap());
        // Both runs read the due row before either writes...
        let read_a = q::due_for_lifecycle(db, at.timestamp_millis(), 10)
            .await
            .unwrap();
        let read_b = q::due_for_lifecycle(db, at.timestamp_millis(), 10)
            .await
            .unwrap();
        assert_eq!(read_a.len(), 1);
        assert_eq!(read_b.len(), 1);
        // ...then both apply what they read, at the same time.
        let (a, b) = tokio::join!(
            jobs::run_lifecycle_for(db, &read_a[0], at),
            jobs::run_lifecycle_for(db, &read_b[0], at),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(
            a.transitions + b.transitions,
            1,
            "one of the two applies it: {a:?} {b:?}"
        );
        assert_eq!(
            a.notices + b.notices,
            1,
            "and tells the customer once: {a:?} {b:?}"
        );
        assert_eq!(
            q::lifecycle_event_count(db, ProjectId(id)).await.unwrap(),
            1,
            "one event"
        );
        assert_eq!(
            count_for(
                &app,
                "SELECT COUNT(*) FROM notifications WHERE project_id = $1",
                id
            )
            .await,
            1,
            "one notice"
        );
        assert_eq!(row(&app, id).await.state.code(), "access_stopped");
    }
);

both_backends!(
    upgrades_extensions_and_payments_withdraw_untrue_notices,
    |app: TestApp| async move {
        let db = &app.state.db;
        let pending = "SELECT COUNT(*) FROM notifications WHERE project_id = $1 AND kind = 'lifecycle_notice'";
        let c = app.new_customer("changer").await;
        let up = app.create_project(&c, "to-upgrade", "free").await;
        let ext = app.create_project(&c, "to-extend", "free").await;
        // Both trials end in two days: the 3-day notice is out.
        age(&app, up, 13).await;
        age(&app, ext, 13).await;
        jobs::run_lifecycle(db, Utc::now()).await.unwrap();
        assert_eq!(count_for(&app, pending, up).await, 1);
        assert_eq!(count_for(&app, pending, ext).await, 1);
        // An upgrade: nothing will be deleted, so the notice goes, and the job has nothing to
        // look at any more.
        let res = c
            .post(app.url(&format!("/api/v1/projects/{up}/upgrade")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(count_for(&app, pending, up).await, 0);
        assert_eq!(row(&app, up).await.next_step_at, None);
        // A staff extension by 7 days: the old end is untrue; the new one is 9 days away.
        let ops = app.as_staff(apm_portal::model::StaffRole::Operations).await;
        let (_, ok) = app
            .call_json(
                &ops,
                "admin/project/plan",
                &[
                    ("project_id", &ext.to_string()),
                    ("to_plan", "free"),
                    ("extension_days", "7"),
                    ("reason", "고객 요청"),
                ],
            )
            .await;
        assert_eq!(ok["outcome"], "applied", "{ok}");
        assert_eq!(count_for(&app, pending, ext).await, 0);
        let r = row(&app, ext).await;
        assert_eq!(
            r.next_step_at,
            Some(r.created_at.0.timestamp_millis() + (22 - 3) * 86_400_000),
            "the new end's 3-day window"
        );
        // A payment clears a missed date: its notices go too.
        let paid = app.create_project(&c, "pays-late", "paid").await;
        let missed = kst_date(Utc::now());
        let svc = apm_portal::server::projects::set_missed_payment;
        let notice_at = start_of_kst_day(missed) + Duration::hours(1);
        svc(&app.state, &row(&app, paid).await, Some(missed), notice_at)
            .await
            .unwrap();
        jobs::run_lifecycle(db, notice_at).await.unwrap();
        assert_eq!(
            count_for(&app, pending, paid).await,
            1,
            "access stops tomorrow"
        );
        svc(&app.state, &row(&app, paid).await, None, notice_at)
            .await
            .unwrap();
        assert_eq!(count_for(&app, pending, paid).await, 0);
        assert_eq!(row(&app, paid).await.next_step_at, None);
    }
);

both_backends!(
    upgrades_and_staff_downgrades_enter_the_capacity_history,
    |app: TestApp| async move {
        let c = app.new_customer("historian").await;
        let id = app.create_project(&c, "history-kept", "free").await;
        let res = c
            .post(app.url(&format!("/api/v1/projects/{id}/upgrade")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let (_, h) = app
            .get_json(&c, &format!("/api/v1/projects/{id}/capacity-changes"))
            .await;
        let items = h["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{h}");
        let paid_default = apm_portal::domain::plan::Capacity::PAID_DEFAULT;
        let free_default = apm_portal::domain::plan::Capacity::FREE_DEFAULT;
        assert_eq!(
            items[0]["from"]["ingest_gb_per_day"],
            free_default.ingest_gb_per_day
        );
        assert_eq!(
            items[0]["to"]["ingest_gb_per_day"],
            paid_default.ingest_gb_per_day
        );
        // Paid options bought later, then staff move the project back to free.
        let cap = c
            .post(app.url(&format!("/api/v1/projects/{id}/capacity-changes")))
            .json(&json!({"ingest_gb_per_day": 10, "storage_gb": 100, "extended_retention": true, "remote_support": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(cap.status(), 201);
        let ops = app.as_staff(apm_portal::model::StaffRole::Operations).await;
        let (_, ok) = app
            .call_json(
                &ops,
                "admin/project/plan",
                &[
                    ("project_id", &id.to_string()),
                    ("to_plan", "free"),
                    ("extension_days", "10"),
                    ("reason", "계약 종료"),
                ],
            )
            .await;
        assert_eq!(ok["outcome"], "applied", "{ok}");
        let (_, h) = app
            .get_json(&c, &format!("/api/v1/projects/{id}/capacity-changes"))
            .await;
        let items = h["items"].as_array().unwrap();
        assert_eq!(items.len(), 3, "{h}");
        assert_eq!(items[0]["from"]["extended_retention"], true);
        assert_eq!(items[0]["to"]["extended_retention"], false);
        assert_eq!(
            items[0]["to"]["ingest_gb_per_day"],
            free_default.ingest_gb_per_day
        );
    }
);
