//! Incidents (SPEC R6.1, R8.1) on both databases: only operations staff and administrators
//! record, correct and publish (support and billing are refused and nothing is stored), every
//! change is audited, refused forms store nothing and come back filled in (also without
//! JavaScript), the public page shows published notices only, newest first, paged, in the
//! visitor's language, and the monthly report's figures are the hand-computed ones.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use apm_portal::domain::billing::BillingMonth;
use apm_portal::model::StaffRole;
use chrono::Utc;
use common::TestApp;
use serde_json::{Value, json};

/// A KST minute `day` days and `hm` into `month`, as `datetime-local` sends it.
fn at(month: BillingMonth, day: u32, hm: &str) -> String {
    format!("{}T{hm}", month.day(day))
}

fn last_month() -> BillingMonth {
    BillingMonth::containing(Utc::now()).prev()
}

fn form<'a>(
    scope: &'a str,
    projects: &'a str,
    start: &'a str,
    recovery: &'a str,
    notice_ko: &'a str,
    publish: bool,
) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("scope", scope),
        ("projects", projects),
        ("started_at", start),
        ("recovered_at", recovery),
        ("cause", "수집 서버 디스크 장애"),
        ("notice_ko", notice_ko),
        ("notice_en", "Collection was delayed."),
    ];
    if publish {
        f.push(("publish", "on"));
    }
    f
}

async fn record(app: &TestApp, c: &reqwest::Client, f: &[(&str, &str)]) -> Value {
    let (status, out) = app.call_json(c, "admin/incidents/record", f).await;
    assert_eq!(status, 200, "{out}");
    out
}

async fn recorded_id(app: &TestApp, c: &reqwest::Client, f: &[(&str, &str)]) -> i64 {
    let out = record(app, c, f).await;
    out["Recorded"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("not recorded: {out}"))
}

async fn admin_page(app: &TestApp, c: &reqwest::Client, month: &str) -> Value {
    let (status, p) = app
        .call_json(c, "admin/incidents", &[("month", month)])
        .await;
    assert_eq!(status, 200, "{p}");
    p
}

both_backends!(
    only_operations_and_admins_write_and_other_staff_read,
    |app: TestApp| async move {
        let m = last_month();
        let (start, end) = (at(m, 3, "09:00"), at(m, 3, "09:30"));
        for role in [StaffRole::Support, StaffRole::Billing] {
            let c = app.as_staff(role).await;
            let out = record(&app, &c, &form("all", "", &start, &end, "공지", true)).await;
            assert_eq!(out, json!("NotAllowed"), "{role:?}");
            let p = admin_page(&app, &c, "").await;
            assert_eq!(p["may_write"], false, "{role:?} reads only");
            assert!(p["report"].is_object());
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM incidents").await, 0);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE target_kind = 'incident'")
                .await,
            0
        );

        let ops = app.as_staff(StaffRole::Operations).await;
        assert_eq!(admin_page(&app, &ops, "").await["may_write"], true);
        let id = recorded_id(&app, &ops, &form("all", "", &start, "", "공지", false)).await;
        let ids = id.to_string();
        let support = app.as_staff(StaffRole::Support).await;
        let (_, refused) = app
            .call_json(
                &support,
                "admin/incidents/recovery",
                &[("incident_id", &ids), ("recovered_at", &end)],
            )
            .await;
        assert_eq!(refused, json!("NotAllowed"));
        let (_, refused) = app
            .call_json(
                &support,
                "admin/incidents/publish",
                &[("incident_id", &ids)],
            )
            .await;
        assert_eq!(refused, json!("NotAllowed"));
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM incidents WHERE recovered_at IS NULL AND published_at IS NULL"
            )
            .await,
            1,
            "the refused changes changed nothing"
        );
        let admin = app.as_staff(StaffRole::Admin).await;
        let (_, ok) = app
            .call_json(&admin, "admin/incidents/publish", &[("incident_id", &ids)])
            .await;
        assert_eq!(ok, json!({"Published": {"id": id}}));

        // Customers and visitors do not learn the staff area exists.
        let customer = app.new_customer("incident-reader").await;
        let (status, _) = app
            .call_json(&customer, "admin/incidents", &[("month", "")])
            .await;
        assert_eq!(status, 404);
        let (status, _) = app
            .call_json(
                &customer,
                "admin/incidents/record",
                &form("all", "", &start, &end, "공지", true),
            )
            .await;
        assert_eq!(status, 404);
        let visitor = app.new_client();
        let (status, _) = app
            .call_json(
                &visitor,
                "admin/incidents/publish",
                &[("incident_id", &ids)],
            )
            .await;
        assert_eq!(status, 404);
        assert_eq!(app.count("SELECT COUNT(*) FROM incidents").await, 1);
    }
);

both_backends!(
    operations_record_correct_and_publish_each_audited_and_bad_input_stores_nothing,
    |app: TestApp| async move {
        let customer = app.new_customer("incident-owner").await;
        app.create_project(&customer, "shop-alpha", "paid").await;
        app.create_project(&customer, "shop-beta", "free").await;
        let ops = app.as_staff(StaffRole::Operations).await;
        let m = last_month();
        let start = at(m, 5, "23:30");

        // Everything wrong at once: every problem beside its field, the values kept.
        let bad = record(
            &app,
            &ops,
            &form(
                "projects",
                "shop-alpha, 9bad",
                &start,
                &at(m, 5, "23:00"),
                " ",
                false,
            ),
        )
        .await;
        let problems: Vec<(String, String)> = bad["Invalid"]["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["field"].as_str().unwrap().to_string(),
                    p["code"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            problems,
            [
                ("projects".to_string(), "project_invalid".to_string()),
                ("recovered_at".into(), "recovery_not_after_start".into()),
                ("notice_ko".into(), "notice_ko_missing".into()),
            ]
        );
        assert_eq!(bad["Invalid"]["kept"]["projects"], "shop-alpha, 9bad");
        // A prefix no project has.
        let unknown = record(
            &app,
            &ops,
            &form(
                "projects",
                "shop-alpha shop-gamma",
                &start,
                "",
                "공지",
                false,
            ),
        )
        .await;
        assert_eq!(
            unknown["Invalid"]["problems"],
            json!([{"field": "projects", "code": "project_unknown", "prefix": "shop-gamma"}])
        );
        // In the future.
        let future = record(
            &app,
            &ops,
            &form("all", "", "2999-01-01T00:00", "", "공지", false),
        )
        .await;
        assert_eq!(future["Invalid"]["problems"][0]["code"], "start_in_future");
        assert_eq!(app.count("SELECT COUNT(*) FROM incidents").await, 0);

        // Open, for two projects, not yet published.
        let id = recorded_id(
            &app,
            &ops,
            &form(
                "projects",
                "Shop-Alpha\nshop-beta",
                &start,
                "",
                "수집 지연",
                false,
            ),
        )
        .await;
        let ids = id.to_string();
        let p = admin_page(&app, &ops, &m.to_string()).await;
        let listed = &p["incidents"][0];
        assert_eq!(listed["id"], id);
        assert_eq!(listed["open"], true);
        assert_eq!(listed["projects"], json!(["shop-alpha", "shop-beta"]));
        assert_eq!(listed["published_at"], Value::Null);
        assert_eq!(p["report"]["open"], 1);
        assert_eq!(p["report"]["failures"], 0);

        // Recovery before the start is refused; after midnight (the next KST day) it is kept.
        let (_, early) = app
            .call_json(
                &ops,
                "admin/incidents/recovery",
                &[("incident_id", &ids), ("recovered_at", &at(m, 5, "23:29"))],
            )
            .await;
        assert_eq!(
            early,
            json!({"Invalid": {"id": id, "code": "recovery_not_after_start"}})
        );
        let recovery = at(m, 6, "01:05");
        let (_, saved) = app
            .call_json(
                &ops,
                "admin/incidents/recovery",
                &[("incident_id", &ids), ("recovered_at", &recovery)],
            )
            .await;
        assert_eq!(saved, json!({"Saved": {"id": id}}));
        let (_, missing) = app
            .call_json(
                &ops,
                "admin/incidents/recovery",
                &[("incident_id", "999999"), ("recovered_at", &recovery)],
            )
            .await;
        assert_eq!(missing, json!("NotFound"));
        let p = admin_page(&app, &ops, &m.to_string()).await;
        assert_eq!(p["incidents"][0]["minutes"], 95, "23:30 to 01:05");
        assert_eq!(p["incidents"][0]["recovered_input"], recovery);

        let (_, published) = app
            .call_json(&ops, "admin/incidents/publish", &[("incident_id", &ids)])
            .await;
        assert_eq!(published, json!({"Published": {"id": id}}));
        let (_, again) = app
            .call_json(&ops, "admin/incidents/publish", &[("incident_id", &ids)])
            .await;
        assert_eq!(again, json!({"AlreadyPublished": {"id": id}}));

        for (action, n) in [
            ("incident.recorded", 1),
            ("incident.recovery_set", 1),
            ("incident.published", 1),
        ] {
            assert_eq!(
                app.count(&format!(
                    "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' \
                     AND target_kind = 'incident' AND target_id = {id}"
                ))
                .await,
                n,
                "{action}"
            );
        }
        let detail: String = sqlx::query_scalar(
            "SELECT detail FROM audit_log WHERE action = 'incident.recovery_set'",
        )
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
        let detail: Value = serde_json::from_str(&detail).unwrap();
        assert_eq!(detail["before"], Value::Null);
        assert!(detail["after"].is_i64());

        // A correction of a recorded recovery is audited with what it was before.
        let (_, corrected) = app
            .call_json(
                &ops,
                "admin/incidents/recovery",
                &[("incident_id", &ids), ("recovered_at", &at(m, 6, "00:35"))],
            )
            .await;
        assert_eq!(corrected, json!({"Saved": {"id": id}}));
        let details: Vec<String> = sqlx::query_scalar(
            "SELECT detail FROM audit_log WHERE action = 'incident.recovery_set' ORDER BY id",
        )
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
        let last: Value = serde_json::from_str(&details[1]).unwrap();
        assert_eq!(last["before"], detail["after"]);
        assert_eq!(
            admin_page(&app, &ops, &m.to_string()).await["incidents"][0]["minutes"],
            65
        );
    }
);

both_backends!(
    a_refused_form_without_javascript_comes_back_with_its_messages_and_values,
    |app: TestApp| async move {
        let ops = app.as_staff(StaffRole::Operations).await;
        let m = last_month();
        let start = at(m, 2, "10:00");
        let early = at(m, 2, "09:00");
        let f = form("all", "", &start, &early, "디스크 가득 참", false);
        let res = app
            .post_without_js(&ops, "admin/incidents/record", "/admin/incidents", &f)
            .await;
        assert!(res.status().is_redirection(), "{}", res.status());
        let html = app.page_html(&ops, "/admin/incidents").await;
        assert!(
            html.contains("복구 시각은 시작 시각보다 뒤여야 합니다."),
            "the message beside the field"
        );
        assert!(html.contains("디스크 가득 참"), "the typed notice is kept");
        assert!(html.contains(&start), "the typed start is kept");
        assert_eq!(app.count("SELECT COUNT(*) FROM incidents").await, 0);

        let end = at(m, 2, "10:40");
        let ok = form("all", "", &start, &end, "디스크 가득 참", true);
        let res = app
            .post_without_js(&ops, "admin/incidents/record", "/admin/incidents", &ok)
            .await;
        assert!(res.status().is_redirection());
        let html = app.page_html(&ops, "/admin/incidents").await;
        assert!(html.contains("장애를 기록했습니다."), "{html}");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM incidents WHERE published_at IS NOT NULL")
                .await,
            1
        );
    }
);

both_backends!(
    the_public_page_shows_published_notices_only_newest_first_paged_in_both_languages,
    |app: TestApp| async move {
        let visitor = app.new_client();
        let html = app.page_html(&visitor, "/incidents").await;
        assert!(
            html.contains("data-test=\"no-notices\""),
            "no log-in needed"
        );
        let ops = app.as_staff(StaffRole::Operations).await;
        let m = last_month();
        // 21 published notices on days 1..=21 (the newest, day 21, first) and one draft.
        for day in 1..=21u32 {
            let start = at(m, day, "08:00");
            let text = format!("공개 공지 {day:02}일");
            recorded_id(
                &app,
                &ops,
                &form("all", "", &start, &at(m, day, "08:20"), &text, true),
            )
            .await;
        }
        recorded_id(
            &app,
            &ops,
            &form("all", "", &at(m, 22, "08:00"), "", "비공개 초안", false),
        )
        .await;
        let (status, p1) = app.call_json(&visitor, "incidents", &[("page", "1")]).await;
        assert_eq!(status, 200);
        let items = p1["items"].as_array().unwrap();
        assert_eq!(items.len(), 20);
        assert_eq!(items[0]["notice_ko"], "공개 공지 21일");
        assert_eq!(items[19]["notice_ko"], "공개 공지 02일");
        assert_eq!(items[0]["minutes"], 20);
        assert_eq!(p1["has_next"], true);
        assert!(items[0].get("cause").is_none(), "the cause is staff-only");
        let (_, p2) = app.call_json(&visitor, "incidents", &[("page", "2")]).await;
        assert_eq!(p2["items"].as_array().unwrap().len(), 1);
        assert_eq!(p2["items"][0]["notice_ko"], "공개 공지 01일");
        assert_eq!(p2["has_next"], false);

        let html = app.page_html(&visitor, "/incidents").await;
        assert!(html.contains("공개 공지 21일"));
        assert!(!html.contains("비공개 초안"), "drafts are not public");
        assert!(!html.contains("수집 서버 디스크 장애"), "nor is the cause");
        assert!(!html.contains("공개 공지 01일"), "page 2 holds the oldest");
        assert!(html.contains("href=\"/incidents?page=2\""));
        let html = app.page_html(&visitor, "/incidents?page=2").await;
        assert!(html.contains("공개 공지 01일"));

        // In English the English notice is shown.
        let en = app.new_client();
        en.get(app.url("/locale/en?next=/incidents"))
            .send()
            .await
            .unwrap();
        let html = app.page_html(&en, "/incidents").await;
        assert!(html.contains("Incident notices"));
        assert!(html.contains("Collection was delayed."));
        // The footer links the page from everywhere.
        assert!(
            app.page_html(&visitor, "/")
                .await
                .contains("href=\"/incidents\"")
        );
    }
);

both_backends!(
    the_monthly_report_has_the_hand_computed_figures,
    |app: TestApp| async move {
        let ops = app.as_staff(StaffRole::Operations).await;
        let m = last_month();
        let before = m.prev();
        // Last month: 30 + 90 + 180 minutes, one of them from 23:00 on the last day of the
        // month before, which counts there (it started there), not here.
        for (start, end) in [
            (at(m, 1, "00:00"), at(m, 1, "00:30")),
            (at(m, 10, "12:00"), at(m, 10, "13:30")),
            (at(m, 20, "22:00"), at(m, 21, "01:00")),
            (at(before, before.days(), "23:00"), at(m, 1, "01:00")),
        ] {
            recorded_id(&app, &ops, &form("all", "", &start, &end, "공지", false)).await;
        }
        let r = &admin_page(&app, &ops, &m.to_string()).await["report"];
        assert_eq!(r["month"], m.to_string());
        assert_eq!(r["failures"], 3);
        assert_eq!(r["total_minutes"], 300);
        assert_eq!(r["mttr_seconds"], 6000, "300 / 3 = 100 minutes");
        assert_eq!(r["longest_minutes"], 180);
        assert_eq!(r["combined_seconds"], 16800, "100 + 180 = 280 minutes");
        assert_eq!(r["mttr_verdict"], "met");
        assert_eq!(r["longest_verdict"], "met");
        assert_eq!(r["combined_verdict"], "met");
        assert_eq!(r["open"], 0);

        let r = &admin_page(&app, &ops, &before.to_string()).await["report"];
        assert_eq!(
            (r["failures"].as_i64(), r["total_minutes"].as_i64()),
            (Some(1), Some(120))
        );
        assert_eq!(r["mttr_verdict"], "missed", "exactly 2 h is not under 2 h");
        assert_eq!(r["longest_verdict"], "met");

        let p = admin_page(&app, &ops, &before.prev().to_string()).await;
        assert_eq!(p["report"]["mttr_verdict"], "no_failures");
        assert_eq!(p["incidents"], json!([]));

        // A month that cannot be read shows this month, and says so.
        let p = admin_page(&app, &ops, "2026-13").await;
        assert_eq!(p["month_invalid"], true);
        assert_eq!(p["month"], BillingMonth::containing(Utc::now()).to_string());

        // The page shows the figures.
        let html = app
            .page_html(&ops, &format!("/admin/incidents?month={m}"))
            .await;
        assert!(html.contains("1시간 40분"), "MTTR 100 minutes");
        assert!(html.contains("3시간"), "MTTSR 180 minutes");
        assert!(html.contains("data-verdict=\"met\""));
    }
);

both_backends!(
    the_demo_has_one_published_past_incident,
    |app: TestApp| async move {
        apm_portal::server::demo::ensure_demo_data(&app.state)
            .await
            .unwrap();
        apm_portal::server::demo::ensure_demo_data(&app.state)
            .await
            .unwrap();
        assert_eq!(
            app.count("SELECT COUNT(*) FROM incidents WHERE published_at IS NOT NULL AND recovered_at IS NOT NULL")
                .await,
            1
        );
        let html = app.page_html(&app.new_client(), "/incidents").await;
        assert!(html.contains("47분"), "{html}");
    }
);
