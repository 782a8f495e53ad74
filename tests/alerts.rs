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
use common::TestApp;
use common::maildev::MailDev;
use common::requests::send;
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
