//! The credit policy editor on both databases: an administrator adds a version for a coming
//! month (audited with before and after), the public compensation page announces it, a past
//! month's statement keeps the version in force then; other staff and customers cannot
//! change it, a bad policy or a begun month is refused field by field with nothing stored,
//! with and without JavaScript; a scheduled version can be withdrawn before its month only.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use apm_portal::domain::billing::BillingMonth;
use apm_portal::domain::platform_token::Scope;
use apm_portal::model::StaffRole;
use apm_portal::server::sla::{self, IssueOutcome};
use chrono::{DateTime, Duration, Utc};
use common::TestApp;
use common::requests::send;
use serde_json::{Value, json};

const ADD: &str = "admin/sla/policy/add";
const WITHDRAW: &str = "admin/sla/policy/withdraw";

fn this_month() -> BillingMonth {
    BillingMonth::containing(Utc::now())
}

/// The add form as the page posts it: six band rows, the unused ones empty.
fn form(month: &str, basis: &str, bands: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut f = vec![
        ("effective_from".to_string(), month.to_string()),
        ("basis".to_string(), basis.to_string()),
    ];
    for n in 1..=bands.len().max(6) {
        let (below, rate) = bands.get(n - 1).copied().unwrap_or(("", ""));
        f.push((format!("bands[below_{n}]"), below.to_string()));
        f.push((format!("bands[rate_{n}]"), rate.to_string()));
    }
    f
}

fn pairs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

/// Bands that pay more than R3.5's for the same availability: 99.3 % earns 30 %, not 10 %.
const GENEROUS: [(&str, &str); 3] = [("99.95", "10"), ("99", "30"), ("90", "100")];

async fn add(app: &TestApp, c: &reqwest::Client, f: &[(String, String)]) -> (u16, Value) {
    app.call_json(c, ADD, &pairs(f)).await
}

async fn compensation(app: &TestApp) -> Value {
    let (status, v) = app
        .call_json(&app.new_client(), "help/compensation", &[])
        .await;
    assert_eq!(status, 200, "{v}");
    v
}

async fn policy_page(app: &TestApp, c: &reqwest::Client) -> (u16, Value) {
    app.call_json(c, "admin/sla/policy", &[]).await
}

async fn stored_policies(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM credit_policies").await
}

async fn audit_detail(app: &TestApp, action: &str) -> Value {
    let text: String = sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// One result per minute from one location for `minutes` minutes from `from`.
fn results(prefix: &str, from: DateTime<Utc>, minutes: i64, ok: bool) -> Vec<Value> {
    (0..minutes)
        .map(|i| {
            json!({"project": prefix, "location": "seoul-1", "at": (from + Duration::minutes(i)).to_rfc3339(), "ok": ok})
        })
        .collect()
}

both_backends!(
    an_admin_schedules_a_version_the_public_page_announces_it_and_past_statements_keep_theirs,
    |app: TestApp| async move {
        let before = compensation(&app).await;
        assert_eq!(before["version"], 1);
        assert_eq!(before["next_effective_from"], Value::Null);
        let visitor = app.new_client();
        let html = app.page_html(&visitor, "/help/compensation").await;
        assert!(
            !html.contains("data-test=\"next-policy\""),
            "nothing scheduled"
        );

        let next = this_month().next().to_string();
        let admin = app.as_staff(StaffRole::Admin).await;
        let (status, out) = add(&app, &admin, &form(&next, "trailing_3_months", &GENEROUS)).await;
        assert_eq!(status, 200, "{out}");
        assert_eq!(
            out,
            json!({"Added": {"version": 2, "effective_from": next}})
        );
        assert_eq!(stored_policies(&app).await, 2);

        // Audited with what the month would have had and what it has now.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'credit_policy.added' AND target_id = 2")
                .await,
            1
        );
        let detail = audit_detail(&app, "credit_policy.added").await;
        assert_eq!(detail["before"]["version"], 1);
        assert_eq!(
            detail["before"]["bands"][0],
            json!({"below": "99.9", "rate_percent": "5"})
        );
        assert_eq!(detail["after"]["version"], 2);
        assert_eq!(detail["after"]["effective_from"], next);
        assert_eq!(detail["after"]["basis"], "trailing_3_months");
        assert_eq!(
            detail["after"]["bands"][0],
            json!({"below": "99.95", "rate_percent": "10"})
        );
        assert_eq!(detail["after"]["bands"].as_array().unwrap().len(), 3);

        // The public page: still version 1 today, version 2 announced with its bands.
        let now = compensation(&app).await;
        assert_eq!(now["version"], 1);
        assert_eq!(now["target_percent"], "99.9");
        assert_eq!(now["next_effective_from"], next);
        assert_eq!(now["next_target_percent"], "99.95");
        assert_eq!(now["next_basis"], "trailing_3_months");
        assert_eq!(
            now["next_tiers"],
            json!([
                ["[99, 99.95)", "10"],
                ["[90, 99)", "30"],
                ["[0, 90)", "100"]
            ])
        );
        let html = app.page_html(&visitor, "/help/compensation").await;
        assert!(html.contains("data-test=\"next-policy\""), "announced");
        assert!(html.contains(&next));
        assert!(html.contains("[99, 99.95)"));

        // Every staff member reads the list; the scheduled one is marked, version 1 in force.
        let ops = app.as_staff(StaffRole::Operations).await;
        let (status, page) = policy_page(&app, &ops).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["may_edit"], false);
        let list: Vec<(i64, &str)> = page["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["version"].as_i64().unwrap(),
                    v["status"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(list, [(2, "Scheduled"), (1, "InForce")]);
        assert!(
            page["versions"][0]["created_by"]
                .as_str()
                .unwrap()
                .starts_with("admin")
        );
        assert_eq!(page["versions"][1]["created_by"], Value::Null);
        let (_, admin_page) = policy_page(&app, &admin).await;
        assert_eq!(admin_page["may_edit"], true);
        let html = app.page_html(&admin, "/admin/sla/policy").await;
        assert!(html.contains("data-test=\"policy-form\""));
        assert!(html.contains("data-status=\"scheduled\""));
        let html = app.page_html(&ops, "/admin/sla/policy").await;
        assert!(html.contains("data-test=\"policy-versions\""));
        assert!(
            !html.contains("data-test=\"policy-form\""),
            "operations only read"
        );

        // A statement of a past month uses the version in force then: 300 minutes down of a
        // whole month is between 99.0 and 99.5 %, 10 % under version 1 (30 % under version 2).
        let m = this_month().prev().prev();
        let (_, id) = app
            .paid_project_since("policy.owner", "policyshop", m.start() - Duration::days(40))
            .await;
        let token = app.platform_token(Scope::Probes).await;
        let down = m.start() + Duration::days(9) + Duration::hours(10);
        let (status, r) = send(
            reqwest::Client::new()
                .post(app.url("/api/v1/probe-results"))
                .bearer_auth(&token)
                .json(&json!({"results": results("policyshop", down, 300, false)})),
        )
        .await;
        assert_eq!(status, 200, "{r}");
        apm_portal::server::billing::close_month(&app.state, m, Utc::now())
            .await
            .unwrap();
        assert!(matches!(
            sla::issue_month(&app.state, m, Utc::now()).await.unwrap(),
            IssueOutcome::Issued(_)
        ));
        assert_eq!(
            app.count(&format!(
                "SELECT policy_version FROM sla_statements WHERE project_id = {id} AND month = '{m}'"
            ))
            .await,
            1
        );
        let rate: String = sqlx::query_scalar(
            "SELECT credit_rate_percent FROM sla_statements WHERE project_id = $1",
        )
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
        assert_eq!(rate, "10");
    }
);

both_backends!(
    only_administrators_change_the_policy_and_refusals_store_nothing,
    |app: TestApp| async move {
        let next = this_month().next().to_string();
        let good = form(&next, "this_month", &GENEROUS);
        for role in [
            StaffRole::Operations,
            StaffRole::Support,
            StaffRole::Billing,
        ] {
            let c = app.as_staff(role).await;
            let (status, out) = add(&app, &c, &good).await;
            assert_eq!((status, out), (200, json!("NotAllowed")), "{role:?}");
            let (_, page) = policy_page(&app, &c).await;
            assert_eq!(
                page["versions"].as_array().unwrap().len(),
                1,
                "{role:?} reads"
            );
        }
        // Customers and visitors do not learn the staff endpoints exist.
        let customer = app.new_customer("policy.customer").await;
        assert_eq!(add(&app, &customer, &good).await.0, 404);
        assert_eq!(policy_page(&app, &customer).await.0, 404);
        assert_eq!(add(&app, &app.new_client(), &good).await.0, 404);
        assert_eq!(
            app.call_json(&customer, WITHDRAW, &[("version", "1")])
                .await
                .0,
            404
        );
        assert_eq!(stored_policies(&app).await, 1);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'credit_policy.%'")
                .await,
            0
        );
        assert_eq!(compensation(&app).await["next_effective_from"], Value::Null);
    }
);

both_backends!(
    a_bad_policy_or_a_begun_month_is_refused_field_by_field,
    |app: TestApp| async move {
        let admin = app.as_staff(StaffRole::Admin).await;
        let next = this_month().next().to_string();
        let codes = |out: &Value| -> Vec<(String, String)> {
            out["Invalid"]["fields"]
                .as_array()
                .unwrap_or_else(|| panic!("not refused: {out}"))
                .iter()
                .map(|f| {
                    (
                        f["field"].as_str().unwrap().to_string(),
                        f["code"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        };
        let refused = |month: &str, basis: &str, bands: &[(&str, &str)]| {
            let f = form(month, basis, bands);
            let app = &app;
            let admin = &admin;
            async move {
                let (status, out) = add(app, admin, &f).await;
                assert_eq!(status, 200, "{out}");
                out
            }
        };
        let pair = |f: &str, c: &str| (f.to_string(), c.to_string());

        // Equal thresholds, a falling rate, too many decimals, half a row, no basis.
        let out = refused(
            &next,
            "",
            &[
                ("99.9", "5"),
                ("99.9", "10"),
                ("99", "4"),
                ("98.0001", "50"),
                ("", "60"),
            ],
        )
        .await;
        assert_eq!(
            codes(&out),
            [
                pair("basis", "basis_invalid"),
                pair("below_4", "bad_threshold"),
                pair("below_5", "threshold_missing"),
                pair("below_2", "thresholds_not_descending"),
                pair("rate_3", "rate_falls"),
            ]
        );
        // The typed values come back for the form.
        assert_eq!(out["Invalid"]["form"]["effective_from"], next);
        assert_eq!(out["Invalid"]["form"]["rows"][3], json!(["98.0001", "50"]));

        assert_eq!(
            codes(&refused(&next, "this_month", &[("101", "5"), ("99", "100.5")]).await),
            [pair("below_1", "bad_threshold"), pair("rate_2", "bad_rate")]
        );
        assert_eq!(
            codes(&refused(&next, "this_month", &[]).await),
            [pair("bands", "no_bands")]
        );
        let seven: Vec<(String, String)> = (0..7)
            .map(|i| (format!("{}", 99 - i), format!("{}", 10 + i)))
            .collect();
        let seven: Vec<(&str, &str)> = seven
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(
            codes(&refused(&next, "this_month", &seven).await),
            [pair("bands", "too_many_bands")]
        );
        // This month has begun and a past month is history: never rewritten.
        for month in [
            this_month(),
            this_month().prev(),
            this_month().prev().prev().prev(),
        ] {
            assert_eq!(
                codes(&refused(&month.to_string(), "this_month", &GENEROUS).await),
                [pair("effective_from", "month_not_in_future")],
                "{month}"
            );
        }
        assert_eq!(
            codes(&refused("2031-13", "this_month", &GENEROUS).await),
            [pair("effective_from", "month_invalid")]
        );
        assert_eq!(
            stored_policies(&app).await,
            1,
            "nothing stored on a refusal"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'credit_policy.%'")
                .await,
            0
        );

        // Without JavaScript: redirected back, the message beside its field, values kept.
        let page = "/admin/sla/policy";
        let res = app
            .post_without_js(
                &admin,
                ADD,
                page,
                &form(&next, "this_month", &[("99.9", "5"), ("99.9", "10")]),
            )
            .await;
        assert!(res.status().is_redirection(), "{}", res.status());
        let html = app.page_html(&admin, page).await;
        assert!(
            html.contains("기준은 위에서 아래로 갈수록 낮아져야 합니다."),
            "the message beside the field"
        );
        assert!(html.contains("id=\"policy-below-2-error\""));
        assert_eq!(stored_policies(&app).await, 1);

        // A good one without JavaScript is stored; the same month again is taken.
        let res = app
            .post_without_js(&admin, ADD, page, &form(&next, "this_month", &GENEROUS))
            .await;
        assert!(res.status().is_redirection(), "{}", res.status());
        let html = app.page_html(&admin, page).await;
        assert!(html.contains("새 버전을 추가했습니다"), "{html}");
        assert_eq!(stored_policies(&app).await, 2);
        assert_eq!(
            codes(&refused(&next, "this_month", &GENEROUS).await),
            [pair("effective_from", "month_taken")]
        );
        assert_eq!(stored_policies(&app).await, 2);
    }
);

both_backends!(
    a_scheduled_version_can_be_withdrawn_before_its_month_only,
    |app: TestApp| async move {
        let admin = app.as_staff(StaffRole::Admin).await;
        let later = this_month().next().next().to_string();
        let (_, out) = add(&app, &admin, &form(&later, "this_month", &GENEROUS)).await;
        let version = out["Added"]["version"].as_i64().unwrap();
        let v = version.to_string();

        let ops = app.as_staff(StaffRole::Operations).await;
        let (_, refused) = app.call_json(&ops, WITHDRAW, &[("version", &v)]).await;
        assert_eq!(refused, json!("NotAllowed"));
        // The version in force (its month has begun) is history.
        let (_, refused) = app.call_json(&admin, WITHDRAW, &[("version", "1")]).await;
        assert_eq!(refused, json!("NotWithdrawable"));
        let (_, refused) = app.call_json(&admin, WITHDRAW, &[("version", "999")]).await;
        assert_eq!(refused, json!("NotWithdrawable"));
        assert_eq!(stored_policies(&app).await, 2);

        let (status, done) = app.call_json(&admin, WITHDRAW, &[("version", &v)]).await;
        assert_eq!(
            (status, done),
            (
                200,
                json!({"Withdrawn": {"version": version, "effective_from": later}})
            )
        );
        assert_eq!(stored_policies(&app).await, 1);
        let detail = audit_detail(&app, "credit_policy.withdrawn").await;
        assert_eq!(detail["before"]["version"], version);
        assert_eq!(
            detail["before"]["bands"][1],
            json!({"below": "99", "rate_percent": "30"})
        );
        assert_eq!(
            detail["after"]["version"], 1,
            "what applies in that month instead"
        );
        assert_eq!(compensation(&app).await["next_effective_from"], Value::Null);
        // Gone once: a second withdrawal finds nothing, and the month is free again.
        let (_, again) = app.call_json(&admin, WITHDRAW, &[("version", &v)]).await;
        assert_eq!(again, json!("NotWithdrawable"));
        let (_, out) = add(&app, &admin, &form(&later, "this_month", &GENEROUS)).await;
        assert_eq!(out["Added"]["effective_from"], later);

        // A version whose month has begun stays, even when asked for by an admin: dated back.
        sqlx::query("UPDATE credit_policies SET effective_from = $1 WHERE effective_from = $2")
            .bind(this_month().to_string())
            .bind(&later)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let started = out["Added"]["version"].as_i64().unwrap().to_string();
        let (_, refused) = app
            .call_json(&admin, WITHDRAW, &[("version", &started)])
            .await;
        assert_eq!(refused, json!("NotWithdrawable"));
        assert_eq!(stored_policies(&app).await, 2);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'credit_policy.withdrawn'")
                .await,
            1
        );
    }
);
