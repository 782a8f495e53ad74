//! Staff and customers' projects, on both databases: who may change a plan, the reason and the
//! audit trail, what the customer sees of it, and where staff find nothing.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use apm_portal::model::StaffRole;
use common::TestApp;
use common::requests::send;
use reqwest::Client;
use serde_json::{Value, json};

/// The staff plan form, as the admin page sends it; answers the outcome.
async fn change_plan(
    app: &TestApp,
    staff: &Client,
    project_id: i64,
    to_plan: &str,
    extension_days: &str,
    reason: &str,
) -> Value {
    let id = project_id.to_string();
    let (status, out) = app
        .call_json(
            staff,
            "admin/project/plan",
            &[
                ("project_id", id.as_str()),
                ("to_plan", to_plan),
                ("extension_days", extension_days),
                ("reason", reason),
            ],
        )
        .await;
    assert_eq!(status, 200, "{out}");
    out
}

both_backends!(
    support_and_billing_may_look_at_a_project_but_not_change_its_plan,
    |app: TestApp| async move {
        let c = app.new_customer("trial.owner").await;
        let id = app.create_project(&c, "needs-time", "free").await;
        for role in [StaffRole::Support, StaffRole::Billing] {
            let staff = app.as_staff(role).await;
            let (status, seen) = app
                .call_json(&staff, "admin/project", &[("project_id", &id.to_string())])
                .await;
            assert_eq!(status, 200, "{role:?}: {seen}");
            let refused = change_plan(&app, &staff, id, "free", "7", "asked nicely").await;
            assert_eq!(refused["outcome"], "not_allowed", "{role:?}: {refused}");
        }
        assert_eq!(
            app.project(&c, id).await["days_left"],
            15,
            "nothing changed"
        );
    }
);

both_backends!(
    operations_extend_a_trial_with_a_reason_and_it_is_audited,
    |app: TestApp| async move {
        let c = app.new_customer("trial.owner").await;
        let id = app.create_project(&c, "needs-time", "free").await;
        let ops = app.as_staff(StaffRole::Operations).await;
        let no_reason = change_plan(&app, &ops, id, "free", "7", " ").await;
        assert_eq!(no_reason["problems"][0], "reason_missing", "{no_reason}");
        assert_eq!(app.project(&c, id).await["days_left"], 15);
        let ok = change_plan(&app, &ops, id, "free", "7", "고객 요청: PoC 연장").await;
        assert_eq!(ok["outcome"], "applied", "{ok}");
        assert_eq!(app.project(&c, id).await["days_left"], 22);
        // The audit log, as an admin reads it, names the action and keeps the reason.
        let admin = app.as_staff(StaffRole::Admin).await;
        let (status, audit) = app.call_json(&admin, "admin/audit", &[("page", "1")]).await;
        assert_eq!(status, 200, "{audit}");
        let extended: Vec<&Value> = audit
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "project.trial_extended")
            .collect();
        assert_eq!(extended.len(), 1, "{audit}");
        assert_eq!(extended[0]["reason"], "고객 요청: PoC 연장");
        assert_eq!(extended[0]["target"], format!("project #{id}"));
        // The customer sees that support extended the trial, but not who or the internal note.
        let mine = app.project_detail(&c, id).await;
        let change = mine["plan_history"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["by_staff"] == true)
            .cloned()
            .unwrap_or_else(|| panic!("no staff change in {mine}"));
        assert_eq!(change["extension_days"], 7, "{change}");
        assert_eq!(change["actor"], "");
        assert_eq!(change["reason"], "");
    }
);

both_backends!(
    a_downgrade_that_would_stop_an_old_paid_project_is_refused_and_paid_options_go_with_it,
    |app: TestApp| async move {
        let c = app.new_customer("paying.owner").await;
        let old = app.create_project(&c, "old-paid", "paid").await;
        let options = json!({"ingest_gb_per_day": 10, "storage_gb": 100,
            "extended_retention": true, "remote_support": true});
        let cap = format!("/api/v1/projects/{old}/capacity-changes");
        assert_eq!(app.post_json(&c, &cap, options).await.0, 201);
        // Twenty days old: no API moves the clock, so the creation time is moved back.
        sqlx::query("UPDATE projects SET created_at = created_at - $1 WHERE id = $2")
            .bind(20_i64 * 86_400_000)
            .bind(old)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let ops = app.as_staff(StaffRole::Operations).await;
        // Moved to free without days left, it would be deleted on the spot.
        let refused = change_plan(&app, &ops, old, "free", "0", "계약 종료").await;
        assert_eq!(refused["outcome"], "would_stop", "{refused}");
        assert_eq!(
            app.project(&c, old).await["plan"],
            "paid",
            "nothing changed"
        );
        // With the trial extended far enough it keeps running, and the paid options go.
        let ok = change_plan(&app, &ops, old, "free", "10", "계약 종료").await;
        assert_eq!(ok["outcome"], "applied", "{ok}");
        let now_free = app.project(&c, old).await;
        assert_eq!(now_free["plan"], "free");
        assert_eq!(now_free["state"], "active");
        let capacity = &app.project_detail(&c, old).await["capacity"];
        assert_eq!(capacity["extended_retention"], false, "{capacity}");
        assert_eq!(capacity["remote_support"], false, "{capacity}");
    }
);

both_backends!(
    staff_find_nothing_on_the_customer_api_and_only_admins_read_the_audit_log,
    |app: TestApp| async move {
        let ops = app.as_staff(StaffRole::Operations).await;
        // The customer API is not a staff tool: staff sessions find nothing there.
        assert_eq!(send(ops.get(app.url("/api/v1/projects"))).await.0, 404);
        for role in [
            StaffRole::Support,
            StaffRole::Billing,
            StaffRole::Operations,
        ] {
            let staff = app.as_staff(role).await;
            let (status, _) = app.call_json(&staff, "admin/audit", &[("page", "1")]).await;
            assert_eq!(status, 404, "{role:?}");
        }
        let admin = app.as_staff(StaffRole::Admin).await;
        assert_eq!(
            app.call_json(&admin, "admin/audit", &[("page", "1")])
                .await
                .0,
            200
        );
    }
);

both_backends!(
    staff_search_finds_projects_by_owner_id_in_any_case,
    |app: TestApp| async move {
        let c = app.new_customer("trial.owner").await;
        app.create_project(&c, "needs-time", "free").await;
        app.create_project(&c, "old-paid", "paid").await;
        let other = app.new_customer("someone.else").await;
        app.create_project(&other, "not-theirs", "free").await;
        let ops = app.as_staff(StaffRole::Operations).await;
        let (status, found) = app
            .call_json(
                &ops,
                "admin/projects",
                &[("q", "TRIAL.owner"), ("page", "1")],
            )
            .await;
        assert_eq!(status, 200, "{found}");
        assert_eq!(found["total"], 2, "both of the owner's projects: {found}");
    }
);

both_backends!(
    staff_page_through_a_projects_targets,
    |app: TestApp| async move {
        let c = app.new_customer("many.targets").await;
        let id = app.create_project(&c, "many-checks", "paid").await;
        for n in 1..=21 {
            let (status, out) = app.add_target(&c, id, &format!("check-{n:02}")).await;
            assert_eq!(status, 201, "{out}");
        }
        let staff = app.as_staff(StaffRole::Support).await;
        let first = app
            .page_html(&staff, &format!("/admin/projects/{id}"))
            .await;
        let second = app
            .page_html(&staff, &format!("/admin/projects/{id}?targets_page=2"))
            .await;
        let listed = |html: &str| {
            (1..=21)
                .filter(|n| html.contains(&format!("check-{n:02}")))
                .count()
        };
        assert_eq!(listed(&first), 20, "twenty on the first page");
        assert_eq!(listed(&second), 1, "the last one on the second");
        assert!(
            first.contains("targets_page=2"),
            "the first page links to the second"
        );
    }
);
