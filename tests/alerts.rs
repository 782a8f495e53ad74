//! Customer alerts and the dashboard's month so far, on both databases: a usage threshold is
//! alerted once per crossing (portal notice and e-mail through a real SMTP server), threshold
//! input is checked and another customer's project is 404, unpaid invoices are reminded 3 days
//! and 1 day before their due date and told when overdue (with the dates of each step), and
//! the dashboard card shows this month's usage with an estimate that can be checked by hand.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use apm_portal::domain::billing::BillingMonth;
use apm_portal::domain::kst::{KST, kst_date};
use apm_portal::domain::platform_token::Scope;
use apm_portal::server::mail::Mailer;
use apm_portal::server::mail::worker::{self, Policy};
use chrono::{Datelike, Duration, Utc};
use common::maildev::MailDev;
use common::requests::send;
use common::{TestApp, ms};
use rand::RngCore;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Value, json};

/// A login unique across the whole run: maildev is shared by every test.
fn unique(prefix: &str) -> String {
    let mut b = [0u8; 4];
    rand::rng().fill_bytes(&mut b);
    format!("{prefix}{}", hex::encode(b))
}

/// The start of the current hour, as the platform writes it (KST offset).
fn this_hour() -> String {
    let now = Utc::now().timestamp();
    chrono::DateTime::from_timestamp(now - now.rem_euclid(3600), 0)
        .unwrap()
        .with_timezone(&KST)
        .to_rfc3339()
}

/// The KST month of the current hour: what the alerts name.
fn this_hours_month() -> String {
    let now = Utc::now().timestamp();
    let start = chrono::DateTime::from_timestamp(now - now.rem_euclid(3600), 0).unwrap();
    BillingMonth::containing(start).to_string()
}

/// Sends one value for the current hour (re-sending replaces it: the month's total is it).
async fn report(app: &TestApp, token: &str, prefix: &str, metric: &str, quantity: &str) {
    let (status, out) = send(
        reqwest::Client::new()
            .post(app.url("/api/v1/usage"))
            .bearer_auth(token)
            .json(&json!({"records": [
                {"project": prefix, "metric": metric, "hour": this_hour(), "quantity": quantity}
            ]})),
    )
    .await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["accepted"], 1, "{out}");
}

async fn set_threshold(
    app: &TestApp,
    c: &reqwest::Client,
    project: i64,
    metric: &str,
    value: &str,
) -> (u16, Value) {
    app.call_json(
        c,
        "projects/usage/threshold",
        &[
            ("project_id", &project.to_string()),
            ("metric", metric),
            ("threshold", value),
        ],
    )
    .await
}

async fn notifications(app: &TestApp, c: &reqwest::Client) -> Vec<Value> {
    let (status, list) = app.call_json(c, "notifications/list", &[]).await;
    assert_eq!(status, 200, "{list}");
    list.as_array().unwrap().clone()
}

/// The alerts among a customer's notifications, newest first.
fn alerts(list: &[Value]) -> Vec<Value> {
    list.iter()
        .filter_map(|n| n["notice"].get("Alert").cloned())
        .collect()
}

async fn deliver(app: &TestApp, maildev: &MailDev) {
    let mailer = Mailer::new(
        Some(&maildev.smtp_url),
        "APM Portal <no-reply@apm.example.kr>",
        "unused",
    )
    .unwrap();
    let policy = Policy {
        portal: app.state.settings.public_base_url.clone(),
        first_retry_wait: Duration::seconds(60),
        max_attempts: 3,
    };
    worker::run_once(&app.state.db, &mailer, &policy, "w1", Utc::now())
        .await
        .unwrap();
}

both_backends!(
    a_crossed_threshold_is_alerted_once_in_the_portal_and_by_mail,
    |app: TestApp| async move {
        let login = unique("thr");
        let c = app.new_customer(&login).await;
        let id = app.create_project(&c, "shop", "paid").await;
        let token = app.platform_token(Scope::Usage).await;

        let (status, out) = set_threshold(&app, &c, id, "ingest_gb", "10").await;
        assert_eq!(status, 200, "{out}");
        assert_eq!(
            out,
            json!({"Saved": {"metric": "ingest_gb", "value": "10", "already_reached": false}})
        );
        // Below the threshold, and another metric without one: nothing.
        report(&app, &token, "shop", "ingest_gb", "6").await;
        report(&app, &token, "shop", "agent_hours", "500").await;
        assert!(alerts(&notifications(&app, &c).await).is_empty());

        // Reaching it (a re-send replacing 6 with 12): one alert.
        report(&app, &token, "shop", "ingest_gb", "12").await;
        let list = alerts(&notifications(&app, &c).await);
        assert_eq!(list.len(), 1, "{list:?}");
        let a = &list[0];
        assert_eq!(a["alert"], "usage_threshold");
        assert_eq!(
            (a["threshold"].as_str(), a["total"].as_str()),
            (Some("10"), Some("12"))
        );
        assert_eq!(a["month"].as_str(), Some(this_hours_month().as_str()));

        // More usage, a dip below and back above: still the one alert this month.
        for q in ["15", "3", "20"] {
            report(&app, &token, "shop", "ingest_gb", q).await;
        }
        assert_eq!(alerts(&notifications(&app, &c).await).len(), 1);

        // A raised threshold is alerted again when usage reaches it.
        let (_, out) = set_threshold(&app, &c, id, "ingest_gb", "25").await;
        assert_eq!(out["Saved"]["already_reached"], false, "{out}");
        report(&app, &token, "shop", "ingest_gb", "30").await;
        let list = alerts(&notifications(&app, &c).await);
        assert_eq!(list.len(), 2);
        assert_eq!(list[0]["threshold"], "25", "newest first: {list:?}");

        // The usage page shows the threshold as reached.
        let (_, page) = app
            .call_json(
                &c,
                "projects/usage",
                &[("project_id", &id.to_string()), ("month", "")],
            )
            .await;
        let ingest = page["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["code"] == "ingest_gb")
            .unwrap()
            .clone();
        assert_eq!(
            (
                ingest["threshold"].as_str(),
                ingest["threshold_reached"].as_bool()
            ),
            (Some("25"), Some(true))
        );

        // Two e-mails, one per crossing, arrive at the SMTP server.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'usage_threshold'")
                .await,
            2
        );
        if let Some(maildev) = MailDev::from_env() {
            deliver(&app, &maildev).await;
            let got = maildev.wait_for(&format!("{login}@example.com"), 2).await;
            assert_eq!(got.len(), 2, "{got:?}");
            assert!(
                got.iter().all(|m| m.subject
                    == "[APM] '결제 서비스' 프로젝트 수집 데이터 사용량이 임계값을 넘었습니다"),
                "{got:?}"
            );
            assert!(
                got.iter()
                    .any(|m| m.text.contains("30 GB로, 설정하신 월 임계값 25 GB"))
            );
        }

        // Marking read clears them with the lifecycle notices.
        let (status, _) = app.call_json(&c, "notifications/read", &[]).await;
        assert_eq!(status, 200);
        assert!(
            notifications(&app, &c)
                .await
                .iter()
                .all(|n| n["unread"] == false)
        );
    }
);

both_backends!(
    threshold_input_is_checked_and_another_customers_project_is_404,
    |app: TestApp| async move {
        let c = app.new_customer(&unique("thr")).await;
        let id = app.create_project(&c, "shop", "paid").await;
        for (value, code) in [
            ("abc", "threshold_not_a_number"),
            ("10 GB", "threshold_not_a_number"),
            ("0", "threshold_not_positive"),
            ("-3", "threshold_not_positive"),
            ("1.1234567", "threshold_too_precise"),
            ("5000000000", "threshold_too_large"),
        ] {
            let (status, out) = set_threshold(&app, &c, id, "ingest_gb", value).await;
            assert_eq!(status, 200, "{out}");
            assert_eq!(
                out,
                json!({"Invalid": {"metric": "ingest_gb", "code": code, "typed": value}}),
                "{value}"
            );
        }
        // Without JavaScript the page comes back with the refusal next to the field and what
        // was typed still in it, to be corrected rather than typed again.
        let usage_page = format!("/projects/{id}/usage");
        let res = app
            .post_without_js(
                &c,
                "projects/usage/threshold",
                &usage_page,
                &[
                    ("project_id", id.to_string().as_str()),
                    ("metric", "ingest_gb"),
                    ("threshold", "12,5 GB"),
                ],
            )
            .await;
        assert!(res.status().is_redirection(), "{}", res.status());
        let html = app.page_html(&c, &usage_page).await;
        assert!(html.contains(r#"value="12,5 GB""#), "typed text kept");
        assert!(html.contains(r#"aria-invalid="true""#), "field marked");
        let (_, out) = set_threshold(&app, &c, id, "bogus", "10").await;
        assert_eq!(out["Invalid"]["code"], "metric_unknown");
        assert_eq!(app.count("SELECT COUNT(*) FROM usage_thresholds").await, 0);

        // Another customer cannot set (or learn of) this project's thresholds.
        let other = app.new_customer(&unique("other")).await;
        let (status, _) = set_threshold(&app, &other, id, "ingest_gb", "10").await;
        assert_eq!(status, 404);
        assert_eq!(app.count("SELECT COUNT(*) FROM usage_thresholds").await, 0);

        // A threshold set below this month's usage is alerted at once, and says so.
        let token = app.platform_token(Scope::Usage).await;
        report(&app, &token, "shop", "agent_hours", "40").await;
        let (_, out) = set_threshold(&app, &c, id, "agent_hours", "35.5").await;
        assert_eq!(
            out,
            json!({"Saved": {"metric": "agent_hours", "value": "35.5", "already_reached": true}})
        );
        assert_eq!(alerts(&notifications(&app, &c).await).len(), 1);
        assert!(alerts(&notifications(&app, &other).await).is_empty());
        // The dashboard reads its cards and the notifications together, the same as each
        // alone; the other customer's has neither this project nor its alert.
        let (status, dashboard) = app.call_json(&c, "dashboard/read", &[]).await;
        assert_eq!(status, 200, "{dashboard}");
        assert_eq!(
            dashboard["projects"],
            app.call_json(&c, "projects/list", &[]).await.1
        );
        assert_eq!(
            dashboard["notifications"],
            json!(notifications(&app, &c).await)
        );
        assert_eq!(
            alerts(&dashboard["notifications"].as_array().unwrap().clone()).len(),
            1
        );
        let (_, theirs) = app.call_json(&other, "dashboard/read", &[]).await;
        assert_eq!(theirs["projects"]["projects"], json!([]), "{theirs}");
        assert!(alerts(theirs["notifications"].as_array().unwrap()).is_empty());

        // An empty field removes it.
        let (_, out) = set_threshold(&app, &c, id, "agent_hours", " ").await;
        assert_eq!(out, json!({"Removed": {"metric": "agent_hours"}}));
        assert_eq!(app.count("SELECT COUNT(*) FROM usage_thresholds").await, 0);
    }
);

/// A customer with a paid project paid since long before last month, and its invoice for
/// last month (agent-hours used), whose due date the test then moves.
async fn invoiced_project(app: &TestApp, login: &str) -> (reqwest::Client, i64, i64) {
    let last = BillingMonth::containing(Utc::now()).prev();
    let (c, id) = app
        .paid_project_since(login, "shop", last.start() - Duration::days(40))
        .await;
    apm_portal::server::billing::close_month(&app.state, last, Utc::now())
        .await
        .unwrap();
    let invoice: i64 = sqlx::query_scalar("SELECT id FROM invoices WHERE project_id = $1")
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    (c, id, invoice)
}

async fn set_due(app: &TestApp, invoice: i64, days_from_today: i64) {
    let due = kst_date(Utc::now()) + Duration::days(days_from_today);
    sqlx::query("UPDATE invoices SET due_date = $1 WHERE id = $2")
        .bind(due.format("%Y-%m-%d").to_string())
        .bind(invoice)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
}

both_backends!(
    unpaid_invoices_are_reminded_before_the_due_date_and_told_when_overdue,
    |app: TestApp| async move {
        use apm_portal::server::billing::{mark_overdue, remind_due_soon};
        let login = unique("due");
        let (c, project, invoice) = invoiced_project(&app, &login).await;
        let now = Utc::now();

        // Five days ahead: nothing yet. Three days: the first reminder, once.
        set_due(&app, invoice, 5).await;
        assert_eq!(remind_due_soon(&app.state, now).await.unwrap(), 0);
        set_due(&app, invoice, 3).await;
        assert_eq!(remind_due_soon(&app.state, now).await.unwrap(), 1);
        assert_eq!(remind_due_soon(&app.state, now).await.unwrap(), 0);
        set_due(&app, invoice, 2).await;
        assert_eq!(
            remind_due_soon(&app.state, now).await.unwrap(),
            0,
            "same window"
        );
        // One day: the second.
        set_due(&app, invoice, 1).await;
        assert_eq!(remind_due_soon(&app.state, now).await.unwrap(), 1);
        let list = alerts(&notifications(&app, &c).await);
        assert_eq!(list.len(), 2, "{list:?}");
        assert_eq!(list[0]["alert"], "invoice_due_soon");
        assert_eq!(list[0]["days_left"], 1);
        assert_eq!(list[1]["days_left"], 3);
        let total: i64 = sqlx::query_scalar("SELECT total FROM invoices WHERE id = $1")
            .bind(invoice)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        assert!(total > 0);
        assert_eq!(list[0]["balance"], total);

        // Past the due date: marked overdue, told once, with the dates of each step.
        set_due(&app, invoice, -1).await;
        assert_eq!(mark_overdue(&app.state, now).await.unwrap(), 1);
        assert_eq!(mark_overdue(&app.state, now).await.unwrap(), 0);
        assert_eq!(remind_due_soon(&app.state, now).await.unwrap(), 0);
        let list = alerts(&notifications(&app, &c).await);
        assert_eq!(list.len(), 3);
        let overdue = &list[0];
        assert_eq!(overdue["alert"], "invoice_overdue");
        let missed = kst_date(now) - Duration::days(1);
        let day = |n: i64| (missed + Duration::days(n)).format("%Y-%m-%d").to_string();
        assert_eq!(
            overdue["steps"],
            json!({"access_stops": day(1), "collection_stops": day(10), "deleted": day(20)})
        );
        assert_eq!(
            app.project(&c, project).await["state"],
            "access_stopped",
            "the project stopped with the overdue mark"
        );

        // Each alert is mailed once, in the customer's language.
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM mail_outbox WHERE kind IN ('invoice_due_soon', 'invoice_overdue')"
            )
            .await,
            3
        );
        if let Some(maildev) = MailDev::from_env() {
            deliver(&app, &maildev).await;
            // The overdue mark also stops access, which the lifecycle mails on its own.
            let got: Vec<_> = maildev
                .wait_for(&format!("{login}@example.com"), 4)
                .await
                .into_iter()
                .filter(|m| m.subject.contains("청구서"))
                .collect();
            assert_eq!(got.len(), 3, "{got:?}");
            let number: String = sqlx::query_scalar("SELECT number FROM invoices WHERE id = $1")
                .bind(invoice)
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap();
            assert!(
                got.iter()
                    .any(|m| m.subject == format!("[APM] 청구서 {number} 납부 기한이 지났습니다")),
                "{got:?}"
            );
            assert!(
                got.iter()
                    .filter(|m| m.subject.contains("납부 기한 안내"))
                    .count()
                    == 2,
                "{got:?}"
            );
            assert!(
                got.iter()
                    .all(|m| m.text.contains(&format!("{}/invoices/{invoice}", app.base)))
            );
        }
    }
);

fn half_up(d: Decimal) -> i64 {
    i64::try_from(d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)).unwrap()
}

both_backends!(
    the_dashboard_card_shows_this_months_usage_and_an_estimate_to_check_by_hand,
    |app: TestApp| async move {
        let (c, id, _) = invoiced_project(&app, &unique("mtd")).await;
        let free = app.create_project(&c, "trial", "free").await;
        let token = app.platform_token(Scope::Usage).await;
        report(&app, &token, "shop", "ingest_gb", "12.5").await;

        let (status, list) = app.call_json(&c, "projects/list", &[]).await;
        assert_eq!(status, 200, "{list}");
        let card = |pid: i64| {
            list["projects"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["id"] == pid)
                .unwrap()["month_to_date"]
                .clone()
        };
        let paid = card(id);
        let ingest = paid["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["code"] == "ingest_gb")
            .unwrap()
            .clone();
        assert_eq!(ingest["total"], "12.5");
        assert_eq!(card(free)["estimate"], "FreePlan");

        // By hand, with the seeded prices: 12.5 GB x 200 = 2,500; each capacity item is
        // units x price x (paid days so far = today's KST day) / days of the month, rounded
        // half up per line; VAT 10 % of the sum, rounded half up.
        let (ingest_cap, storage): (i64, i64) =
            sqlx::query_as("SELECT ingest_gb_per_day, storage_gb FROM projects WHERE id = $1")
                .bind(id)
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap();
        let now = Utc::now();
        let month = BillingMonth::containing(now);
        let d = Decimal::from(kst_date(now).day());
        let days = Decimal::from(month.days());
        let subtotal = 2_500
            + half_up(Decimal::from(ingest_cap * 3_000) * d / days)
            + half_up(Decimal::from(storage * 100) * d / days);
        let total = subtotal + half_up(Decimal::from(subtotal) / Decimal::from(10));
        assert_eq!(paid["estimate"], json!({"Krw": total}), "{paid}");
    }
);

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(&app.state.db.pool).await.unwrap();
}

/// An hour of usage, stored the way ingestion stores it (`db::usage::store`), which also keeps
/// the month roll-up the dashboard reads.
async fn usage_at(app: &TestApp, project: i64, metric: &str, hour: &str, quantity_micro: i64) {
    use apm_portal::domain::usage::Quantity;
    use apm_portal::domain::usage::batch::{BatchPlan, UsageKey};
    let (token_id, _) = apm_portal::server::platform_tokens::create(
        &app.state.db,
        "test usage",
        Scope::Usage,
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    let key = UsageKey {
        project_id: project,
        metric: metric.to_string(),
        hour_ms: ms(hour),
    };
    apm_portal::server::db::usage::store(
        &app.state.db,
        std::slice::from_ref(&key),
        |_| BatchPlan {
            writes: vec![(key.clone(), Quantity::from_micros(quantity_micro))],
            replacements: vec![],
        },
        token_id,
        0,
    )
    .await
    .unwrap();
}

both_backends!(
    one_page_of_projects_gets_each_projects_own_month_so_far,
    |app: TestApp| async move {
        use apm_portal::domain::stored::UserId;
        use apm_portal::model::projects::Estimate;
        // Noon KST on 20 March 2026: paid days so far count 1-20 of 31.
        let now = chrono::DateTime::parse_from_rfc3339("2026-03-20T12:00:00+09:00")
            .unwrap()
            .with_timezone(&Utc);
        let c = app.new_customer(&unique("page")).await;
        let whole = app.create_project(&c, "whole", "paid").await;
        let upgraded = app.create_project(&c, "upgraded", "free").await;
        let downgraded = app.create_project(&c, "downgraded", "paid").await;
        let free = app.create_project(&c, "trial", "free").await;
        let owner: i64 = sqlx::query_scalar("SELECT owner_id FROM projects WHERE id = $1")
            .bind(whole)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        let jan = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00+09:00")
            .unwrap()
            .with_timezone(&Utc);
        app.backdate_paid_project(whole, jan).await;
        app.backdate_paid_project(downgraded, jan).await;
        exec(
            &app,
            "UPDATE projects SET ingest_gb_per_day = 10, storage_gb = 100",
        )
        .await;
        for (id, at) in [
            (upgraded, "2026-02-01T00:00:00+09:00"),
            (free, "2026-03-02T00:00:00+09:00"),
        ] {
            exec(
                &app,
                &format!(
                    "UPDATE projects SET created_at = {} WHERE id = {id}",
                    ms(at)
                ),
            )
            .await;
            exec(
                &app,
                &format!(
                    "UPDATE plan_changes SET at = {} WHERE project_id = {id}",
                    ms(at)
                ),
            )
            .await;
        }
        // Upgraded at 10:30 KST on the 10th; downgraded at 12:00 KST on the 12th.
        for (id, at, from, to) in [
            (upgraded, "2026-03-10T10:30:00+09:00", "free", "paid"),
            (downgraded, "2026-03-12T12:00:00+09:00", "paid", "free"),
        ] {
            exec(
                &app,
                &format!(
                    "INSERT INTO plan_changes (project_id, at, from_plan, to_plan, actor_user_id, reason) \
                     VALUES ({id}, {}, '{from}', '{to}', {owner}, 'test')",
                    ms(at)
                ),
            )
            .await;
            exec(
                &app,
                &format!("UPDATE projects SET plan = '{to}' WHERE id = {id}"),
            )
            .await;
        }
        // The upgraded project went to 20 GB/day at 09:00 KST on the 15th; a change of the
        // whole-month project that was never applied is not billed.
        let change = |id: i64, applied: &str, to_ingest: i64| {
            format!(
                "INSERT INTO capacity_changes (project_id, requested_by, requested_at, applied_at, \
                 from_ingest_gb_per_day, from_storage_gb, from_extended_retention, from_remote_support, \
                 to_ingest_gb_per_day, to_storage_gb, to_extended_retention, to_remote_support) \
                 VALUES ({id}, {owner}, 0, {applied}, 10, 100, 0, 0, {to_ingest}, 100, 0, 0)"
            )
        };
        exec(
            &app,
            &change(upgraded, &ms("2026-03-15T09:00:00+09:00").to_string(), 20),
        )
        .await;
        exec(
            &app,
            &format!("UPDATE projects SET ingest_gb_per_day = 20 WHERE id = {upgraded}"),
        )
        .await;
        exec(&app, &change(whole, "NULL", 50)).await;

        // The hour before the month is in neither figure; an hour that starts before the
        // upgrade (10:00 < 10:30) is shown but not billed, and so is the downgrade's own hour.
        usage_at(
            &app,
            whole,
            "ingest_gb",
            "2026-02-28T23:00:00+09:00",
            7_000_000,
        )
        .await;
        usage_at(
            &app,
            whole,
            "ingest_gb",
            "2026-03-01T00:00:00+09:00",
            12_500_000,
        )
        .await;
        usage_at(
            &app,
            whole,
            "agent_hours",
            "2026-03-19T19:00:00+09:00",
            100_000_000,
        )
        .await;
        usage_at(
            &app,
            upgraded,
            "ingest_gb",
            "2026-03-05T09:00:00+09:00",
            1_000_000,
        )
        .await;
        usage_at(
            &app,
            upgraded,
            "ingest_gb",
            "2026-03-10T10:00:00+09:00",
            5_000_000,
        )
        .await;
        usage_at(
            &app,
            upgraded,
            "ingest_gb",
            "2026-03-10T11:00:00+09:00",
            3_000_000,
        )
        .await;
        usage_at(
            &app,
            downgraded,
            "agent_hours",
            "2026-03-12T11:00:00+09:00",
            10_000_000,
        )
        .await;
        usage_at(
            &app,
            downgraded,
            "agent_hours",
            "2026-03-12T12:00:00+09:00",
            20_000_000,
        )
        .await;
        usage_at(
            &app,
            free,
            "ingest_gb",
            "2026-03-03T09:00:00+09:00",
            2_000_000,
        )
        .await;

        let page = apm_portal::server::projects::list_page(&app.state, UserId(owner), None, now)
            .await
            .unwrap();
        assert_eq!(page.projects.len(), 4);
        let card = |id: i64| {
            let m = page
                .projects
                .iter()
                .find(|p| p.id.0 == id)
                .and_then(|p| p.month_to_date.clone())
                .unwrap();
            assert_eq!(m.month, "2026-03");
            let totals: Vec<(String, String)> =
                m.metrics.into_iter().map(|t| (t.code, t.total)).collect();
            (totals, m.estimate)
        };
        let t = |a: &str, i: &str, s: &str| {
            vec![
                ("agent_hours".to_string(), a.to_string()),
                ("ingest_gb".to_string(), i.to_string()),
                ("storage_gb_days".to_string(), s.to_string()),
            ]
        };
        // By hand, seeded prices (agent-hour 40, GB 200, GB/day 3,000 and GB 100 a month),
        // each line rounded half up, VAT 10 % rounded half up:
        // whole month, days 1-20: 4,000 + 2,500 + 10x20x3000/31 (19,355) + 100x20x100/31 (6,452)
        //   = 32,307, VAT 3,231.
        assert_eq!(card(whole), (t("100", "12.5", "0"), Estimate::Krw(35_538)));
        // Paid from the 10th (11 days), 10 GB/day on the 10th-14th and 20 from the 15th: 3 GB
        // (600) + 150,000/31 (4,839) + 360,000/31 (11,613) + 100x11x100/31 (3,548) = 20,600.
        assert_eq!(card(upgraded), (t("0", "9", "0"), Estimate::Krw(22_660)));
        // Paid the 1st-11th (the downgrade's day is not): 10 agent-hours (400) + 330,000/31
        // (10,645) + 110,000/31 (3,548) = 14,593, VAT 1,459.
        assert_eq!(card(downgraded), (t("30", "0", "0"), Estimate::Krw(16_052)));
        assert_eq!(card(free), (t("0", "2", "0"), Estimate::FreePlan));
    }
);
