//! Prices, the month close, invoices and payments, on both databases: the close issues each
//! invoice once (run twice, or racing), late usage lands on the next invoice naming its month,
//! credits are applied, customers see only their own invoices, billing staff record payments
//! and write credit notes (support only reads), and an overdue invoice stops the project until
//! it is paid (or a credit note covers it).
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use apm_portal::domain::billing::BillingMonth;
use apm_portal::domain::platform_token::Scope;
use apm_portal::model::StaffRole;
use chrono::{Duration, Utc};
use common::TestApp;
use common::requests::send;
use serde_json::{Value, json};

/// A customer with a paid project that has been paid since well before `months_back` months ago.
async fn paid_project(
    app: &TestApp,
    login: &str,
    prefix: &str,
    months_back: u32,
) -> (reqwest::Client, i64) {
    let mut m = BillingMonth::containing(Utc::now());
    for _ in 0..months_back {
        m = m.prev();
    }
    app.paid_project_since(login, prefix, m.start() - Duration::days(40))
        .await
}

/// `hours` agent-hours of 1 each at the start of `month`.
async fn send_usage(
    app: &TestApp,
    token: &str,
    prefix: &str,
    month: BillingMonth,
    hours: i64,
    offset: i64,
) {
    let records: Vec<Value> = (0..hours)
        .map(|h| {
            let at = month.start() + Duration::hours(offset + h);
            json!({"project": prefix, "metric": "agent_hours", "hour": at.to_rfc3339(), "quantity": 1})
        })
        .collect();
    let (status, out) = send(
        reqwest::Client::new()
            .post(app.url("/api/v1/usage"))
            .bearer_auth(token)
            .json(&json!({"records": records})),
    )
    .await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["rejected"], json!([]), "{out}");
}

fn last_month() -> BillingMonth {
    BillingMonth::containing(Utc::now()).prev()
}

async fn close(app: &TestApp, m: BillingMonth) -> apm_portal::server::billing::CloseReport {
    apm_portal::server::billing::close_month(&app.state, m, Utc::now())
        .await
        .unwrap()
}

async fn my_invoices(app: &TestApp, c: &reqwest::Client) -> Vec<Value> {
    let (status, list) = app.call_json(c, "invoices", &[]).await;
    assert_eq!(status, 200, "{list}");
    list.as_array().unwrap().clone()
}

both_backends!(
    the_month_close_issues_each_invoice_once_even_when_two_run_at_once,
    |app: TestApp| async move {
        let (c, _) = paid_project(&app, "bill.owner", "billed", 1).await;
        let token = app.platform_token(Scope::Usage).await;
        let m = last_month();
        send_usage(&app, &token, "billed", m, 20, 0).await;
        let (a, b) = tokio::join!(close(&app, m), close(&app, m));
        assert_eq!(a.issued + b.issued, 1, "{a:?} {b:?}");
        let again = close(&app, m).await;
        assert_eq!((again.issued, again.already), (0, 1));
        assert_eq!(app.count("SELECT COUNT(*) FROM invoices").await, 1);

        let list = my_invoices(&app, &c).await;
        assert_eq!(list.len(), 1);
        assert_eq!(list[0]["month"], m.to_string());
        // 20 agent-hours x 40 + 10 GB/day x 3,000 + 100 GB x 100 = 40,800; VAT 10 % = 4,080.
        assert_eq!(list[0]["total"], 44_880, "{}", list[0]);
        assert_eq!(list[0]["status"], "Unpaid");
        let id = list[0]["id"].as_i64().unwrap();
        let (status, d) = app
            .call_json(&c, "invoice", &[("invoice_id", &id.to_string())])
            .await;
        assert_eq!(status, 200, "{d}");
        assert_eq!(
            (d["subtotal"].as_i64(), d["vat"].as_i64()),
            (Some(40_800), Some(4_080))
        );
        let agents = &d["lines"][0];
        assert_eq!(
            (
                agents["code"].as_str(),
                agents["quantity"].as_str(),
                agents["amount"].as_i64()
            ),
            (Some("agent_hours"), Some("20"), Some(800))
        );
        let due = apm_portal::domain::billing::invoice::due_date(m, 25);
        assert_eq!(d["summary"]["due_date"], due.to_string());
    }
);

both_backends!(
    late_usage_is_billed_next_month_and_credits_are_applied,
    |app: TestApp| async move {
        let (c, project) = paid_project(&app, "late.owner", "late", 2).await;
        let token = app.platform_token(Scope::Usage).await;
        let earlier = last_month().prev();
        send_usage(&app, &token, "late", earlier, 10, 0).await;
        assert_eq!(close(&app, earlier).await.issued, 1);
        // Ten more hours of the closed month arrive late; a credit waits for the project.
        send_usage(&app, &token, "late", earlier, 10, 100).await;
        sqlx::query("INSERT INTO credits (project_id, amount, remaining, source, reason, created_at) VALUES ($1, 100000, 100000, 'sla', 'SLA', 0)")
            .bind(project)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(close(&app, last_month()).await.issued, 1);
        let list = my_invoices(&app, &c).await;
        let newest = list
            .iter()
            .find(|i| i["month"] == last_month().to_string())
            .unwrap();
        let id = newest["id"].as_i64().unwrap();
        let (_, d) = app
            .call_json(&c, "invoice", &[("invoice_id", &id.to_string())])
            .await;
        let late: Vec<&Value> = d["lines"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["late"] == true)
            .collect();
        assert_eq!(late.len(), 1, "{d}");
        assert_eq!(late[0]["usage_month"], earlier.to_string());
        assert_eq!(
            (late[0]["quantity"].as_str(), late[0]["amount"].as_i64()),
            (Some("10"), Some(400))
        );
        // 400 + 40,000 capacity = 40,400, all covered by the 100,000 credit: nothing owed.
        assert_eq!(
            (
                d["subtotal"].as_i64(),
                d["credited"].as_i64(),
                d["total"].as_i64()
            ),
            (Some(40_400), Some(40_400), Some(0))
        );
        assert_eq!(d["summary"]["status"], "Paid");
        assert_eq!(app.count("SELECT remaining FROM credits").await, 59_600);
    }
);

both_backends!(
    capacity_raised_mid_month_is_billed_per_level_for_its_paid_days,
    |app: TestApp| async move {
        let c = app.new_customer("grow.owner").await;
        let id = app.create_project(&c, "grown", "paid").await;
        let url = format!("/api/v1/projects/{id}/capacity-changes");
        // From the paid default (10 GB/day, 100 GB): raised, lowered and raised back.
        for (ingest, storage) in [(40, 300), (20, 300), (40, 300)] {
            let body = json!({"ingest_gb_per_day": ingest, "storage_gb": storage,
                "extended_retention": true, "remote_support": false});
            let (status, out) = app.post_json(&c, &url, body).await;
            assert_eq!(status, 201, "{out}");
        }
        // Moved into April 2026 (30 days), paid since March: raised at 15:00 KST on the 11th,
        // lowered at 10:00 KST on the 21st and raised back at 18:00 the same day.
        let april = BillingMonth::parse("2026-04").unwrap();
        let kst = |day: i64, hour: i64| {
            (april.start() + Duration::days(day - 1) + Duration::hours(hour)).timestamp_millis()
        };
        app.backdate_paid_project(id, april.start() - Duration::days(31))
            .await;
        let pool = &app.state.db.pool;
        let changes: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM capacity_changes WHERE project_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(pool)
                .await
                .unwrap();
        assert_eq!(changes.len(), 3);
        for (change, at) in changes.iter().zip([kst(11, 15), kst(21, 10), kst(21, 18)]) {
            sqlx::query(
                "UPDATE capacity_changes SET requested_at = $1, applied_at = $1 WHERE id = $2",
            )
            .bind(at)
            .bind(change)
            .execute(pool)
            .await
            .unwrap();
        }
        // A change requested but never applied is not billed.
        sqlx::query(
            "INSERT INTO capacity_changes (project_id, requested_by, requested_at, applied_at, \
             from_ingest_gb_per_day, from_storage_gb, from_extended_retention, \
             from_remote_support, to_ingest_gb_per_day, to_storage_gb, to_extended_retention, \
             to_remote_support) SELECT id, owner_id, $1, NULL, 40, 300, 1, 0, 10000, 100000, \
             1, 1 FROM projects WHERE id = $2",
        )
        .bind(kst(25, 12))
        .bind(id)
        .execute(pool)
        .await
        .unwrap();

        assert_eq!(close(&app, april).await.issued, 1);
        assert_eq!(
            close(&app, april).await,
            apm_portal::server::billing::CloseReport {
                issued: 0,
                already: 1
            }
        );
        let list = my_invoices(&app, &c).await;
        assert_eq!(list.len(), 1);
        let invoice = list[0]["id"].as_i64().unwrap().to_string();
        let (status, d) = app
            .call_json(&c, "invoice", &[("invoice_id", &invoice)])
            .await;
        assert_eq!(status, 200, "{d}");
        let lines = |kind: &str| -> Vec<(String, i64, i64)> {
            d["lines"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|l| l["kind"] == kind)
                .map(|l| {
                    (
                        l["code"].as_str().unwrap().to_string(),
                        l["paid_days"].as_i64().unwrap(),
                        l["amount"].as_i64().unwrap(),
                    )
                })
                .collect()
        };
        // Days 1-10 at 10 GB/day and 100 GB; days 11-30 (20 days; the 11th counts whole, the
        // dip on the 21st was undone that day) at 40 GB/day, 300 GB and extended retention:
        //   ingest  10 x 3,000 x 10/30 = 10,000      40 x 3,000 x 20/30 = 80,000
        //   storage 100 x 100 x 10/30 = 3,333.33 -> 3,333    300 x 100 x 20/30 = 20,000
        //   capacity 10,000 + 80,000 + 3,333 + 20,000 = 113,333 (the close's capacity for
        //   all 30 days would have been 40 x 3,000 + 300 x 100 = 150,000)
        //   retention 50,000 x 20/30 = 33,333.33 -> 33,333; no usage
        //   subtotal 146,666; VAT 14,666.6 -> 14,667; total 161,333.
        let capacity = lines("capacity");
        let c_line = |code: &str, days, amount| (code.to_string(), days, amount);
        assert_eq!(
            capacity,
            [
                c_line("ingest_gb_per_day", 10, 10_000),
                c_line("ingest_gb_per_day", 20, 80_000),
                c_line("storage_gb", 10, 3_333),
                c_line("storage_gb", 20, 20_000),
            ],
            "{d}"
        );
        assert_eq!(capacity.iter().map(|l| l.2).sum::<i64>(), 113_333);
        assert_eq!(lines("option"), [c_line("extended_retention", 20, 33_333)]);
        assert_eq!(
            (
                d["subtotal"].as_i64(),
                d["vat"].as_i64(),
                d["total"].as_i64()
            ),
            (Some(146_666), Some(14_667), Some(161_333))
        );
        // Each pro-rated line names the units it billed, so its quantity (units x paid days
        // / 30) can be checked by hand: 10 and 40 GB/day, 100 and 300 GB, retention on.
        let units: Vec<(i64, i64)> = d["lines"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["kind"] != "metric")
            .map(|l| {
                (
                    l["prorated"]["units"].as_i64().unwrap(),
                    l["prorated"]["month_days"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            units,
            [(10, 30), (40, 30), (100, 30), (300, 30), (1, 30)],
            "{d}"
        );
        // The invoice page shows each level with its units and paid days.
        let html = c
            .get(app.url(&format!("/invoices/{invoice}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            // Hydration markers split the text nodes.
            .replace("<!>", "");
        for (units, days) in [(10, 10), (40, 20)] {
            let line = format!("수집 용량<span class=\"hint\"> · {units} × {days}/30일</span>");
            assert!(html.contains(&line), "{line} in {html}");
        }
    }
);

both_backends!(
    customers_see_only_their_own_invoices,
    |app: TestApp| async move {
        let (c, _) = paid_project(&app, "own.owner", "own", 1).await;
        close(&app, last_month()).await;
        let id = my_invoices(&app, &c).await[0]["id"]
            .as_i64()
            .unwrap()
            .to_string();
        let res = c
            .get(app.url(&format!("/invoices/{id}/csv")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let csv = res.text().await.unwrap();
        // 40,000 of capacity + 4,000 VAT, in Korean by default.
        assert!(
            csv.starts_with('\u{feff}') && csv.contains("INV-") && csv.contains("합계,,,,,,44000"),
            "{csv}"
        );

        let other = app.new_customer("someone.else").await;
        assert!(my_invoices(&app, &other).await.is_empty());
        let (status, _) = app
            .call_json(&other, "invoice", &[("invoice_id", &id)])
            .await;
        assert_eq!(status, 404);
        let res = other
            .get(app.url(&format!("/invoices/{id}/csv")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        let visitor = app.new_client();
        assert_eq!(
            visitor
                .get(app.url(&format!("/invoices/{id}/csv")))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        let (status, _) = app
            .call_json(&visitor, "invoice", &[("invoice_id", &id)])
            .await;
        assert_eq!(status, 404);
    }
);

fn pay_form<'a>(id: &'a str, amount: &'a str, today: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("invoice_id", id),
        ("amount", amount),
        ("paid_on", today),
        ("method", "bank_transfer"),
        ("reference", "입금 0001"),
    ]
}

both_backends!(
    overdue_stops_the_project_and_a_payment_restores_it_at_once,
    |app: TestApp| async move {
        let (c, project) = paid_project(&app, "late.payer", "latepay", 1).await;
        close(&app, last_month()).await;
        let id = my_invoices(&app, &c).await[0]["id"].as_i64().unwrap();
        // The due date passed two days ago (KST) unpaid.
        let due = apm_portal::domain::kst::kst_date(Utc::now()) - Duration::days(2);
        sqlx::query("UPDATE invoices SET due_date = $1 WHERE id = $2")
            .bind(due.to_string())
            .bind(id)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(
            apm_portal::server::billing::mark_overdue(&app.state, Utc::now())
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            apm_portal::server::billing::mark_overdue(&app.state, Utc::now())
                .await
                .unwrap(),
            0
        );
        let p = app.project(&c, project).await;
        assert_eq!(p["state"], "access_stopped", "D+1 has passed: {p}");
        let missed: Option<String> =
            sqlx::query_scalar("SELECT missed_payment_date FROM projects WHERE id = $1")
                .bind(project)
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap();
        assert_eq!(missed, Some(due.to_string()));

        let support = app.as_staff(StaffRole::Support).await;
        let (status, overdue) = app
            .call_json(
                &support,
                "admin/invoices",
                &[("filter", "overdue"), ("page", "1")],
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(overdue[0]["id"], id);
        let today = apm_portal::domain::kst::kst_date(Utc::now()).to_string();
        let ids = id.to_string();
        let (_, refused) = app
            .call_json(
                &support,
                "admin/invoice/payment",
                &pay_form(&ids, "1000", &today),
            )
            .await;
        assert_eq!(refused, json!("NotAllowed"));

        let billing = app.as_staff(StaffRole::Billing).await;
        let (_, bad) = app
            .call_json(
                &billing,
                "admin/invoice/payment",
                &pay_form(&ids, "999999999", "2999-01-01"),
            )
            .await;
        assert_eq!(
            bad,
            json!({"Invalid": {"problems": ["amount_over_balance", "date_in_future"]}})
        );
        let (_, part) = app
            .call_json(
                &billing,
                "admin/invoice/payment",
                &pay_form(&ids, "40000", &today),
            )
            .await;
        assert_eq!(part, json!({"Recorded": {"invoice_paid": false}}));
        assert_eq!(
            app.project(&c, project).await["state"],
            "access_stopped",
            "still owes 4,000"
        );
        let (_, full) = app
            .call_json(
                &billing,
                "admin/invoice/payment",
                &pay_form(&ids, "4000", &today),
            )
            .await;
        assert_eq!(full, json!({"Recorded": {"invoice_paid": true}}));
        assert_eq!(
            app.project(&c, project).await["state"],
            "active",
            "access back at once"
        );
        let missed: Option<String> =
            sqlx::query_scalar("SELECT missed_payment_date FROM projects WHERE id = $1")
                .bind(project)
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap();
        assert_eq!(missed, None);
        let mine = my_invoices(&app, &c).await;
        assert_eq!(
            (mine[0]["status"].as_str(), mine[0]["balance"].as_i64()),
            (Some("Paid"), Some(0))
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'invoice.payment_recorded'")
                .await,
            2
        );
    }
);

fn as_pairs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

both_backends!(
    billing_staff_add_price_versions_for_future_months_and_the_public_page_shows_them,
    |app: TestApp| async move {
        let visitor = app.new_client();
        let html = app.page_html(&visitor, "/prices").await;
        assert!(
            html.contains("data-test=\"prices-current\""),
            "no log-in needed"
        );
        assert!(!html.contains("prices-next"));
        let next = BillingMonth::containing(Utc::now()).next().to_string();
        let form = |month: &str| -> Vec<(String, String)> {
            let mut f = vec![("effective_from".to_string(), month.to_string())];
            for (k, v) in [
                ("metric-agent_hours", "45"),
                ("metric-ingest_gb", "200"),
                ("metric-storage_gb_days", "2.5"),
                ("capacity-ingest_gb_per_day", "3000"),
                ("capacity-storage_gb", "100"),
                ("option-extended_retention", "50000"),
                ("option-remote_support", "100000"),
            ] {
                f.push((format!("prices[{k}]"), v.to_string()));
            }
            f
        };
        let support = app.as_staff(StaffRole::Support).await;
        let f = form(&next);
        let (_, refused) = app
            .call_json(&support, "admin/prices/add", &as_pairs(&f))
            .await;
        assert_eq!(refused, json!("NotAllowed"));
        let billing = app.as_staff(StaffRole::Billing).await;
        let past = form(&BillingMonth::containing(Utc::now()).to_string());
        let (_, bad) = app
            .call_json(&billing, "admin/prices/add", &as_pairs(&past))
            .await;
        assert_eq!(
            bad,
            json!({"Invalid": {"problems": ["month_not_in_future"]}})
        );
        let (status, ok) = app
            .call_json(&billing, "admin/prices/add", &as_pairs(&f))
            .await;
        assert_eq!(
            (status, ok),
            (200, json!({"Added": {"effective_from": next}}))
        );
        let (_, taken) = app
            .call_json(&billing, "admin/prices/add", &as_pairs(&f))
            .await;
        assert_eq!(taken, json!({"Invalid": {"problems": ["month_taken"]}}));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'price_version.added'")
                .await,
            1
        );
        let html = app.page_html(&visitor, "/prices").await;
        assert!(html.contains("data-test=\"prices-next\""));
        assert!(html.contains(&next));
        assert!(html.contains("2.5"));
    }
);

both_backends!(
    the_demo_has_three_months_of_usage_and_invoices_one_overdue,
    |app: TestApp| async move {
        apm_portal::server::demo::ensure_demo_data(&app.state)
            .await
            .unwrap();
        apm_portal::server::demo::ensure_demo_data(&app.state)
            .await
            .unwrap();
        assert_eq!(app.count("SELECT COUNT(*) FROM invoices").await, 3);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM invoices WHERE paid_at IS NOT NULL")
                .await,
            1
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM invoices WHERE overdue_at IS NOT NULL")
                .await,
            1
        );
        assert!(app.count("SELECT COUNT(*) FROM usage_hourly").await > 3 * 28 * 24 * 3);
        let c = app.new_client();
        app.log_in(&c, "demo", "Demo-portal-2026!").await;
        let list = my_invoices(&app, &c).await;
        let statuses: Vec<&str> = list.iter().map(|i| i["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["Unpaid", "Overdue", "Paid"]);
        assert!(
            list.iter().all(|i| i["total"].as_i64().unwrap() > 100_000),
            "{list:?}"
        );
    }
);

both_backends!(
    the_usage_page_shows_a_projects_month_as_a_chart_a_table_and_csv,
    |app: TestApp| async move {
        let (c, id) = paid_project(&app, "usage.viewer", "viewed", 1).await;
        let token = app.platform_token(Scope::Usage).await;
        let m = last_month();
        send_usage(&app, &token, "viewed", m, 30, 0).await;
        let path = format!("/projects/{id}/usage?month={m}");
        let html = app.page_html(&c, &path).await;
        assert!(
            html.contains("<svg") && html.contains("class=\"bar\""),
            "a server-drawn chart"
        );
        assert!(
            html.contains("data-test=\"usage-table-agent_hours\""),
            "and the numbers as a table"
        );
        // 30 hours from 00:00 KST on the 1st: 24 on the 1st, 6 on the 2nd.
        assert!(
            html.contains("<title>1: 24</title>") && html.contains("<title>2: 6</title>"),
            "{html}"
        );
        let csv = c
            .get(app.url(&format!("/projects/{id}/usage.csv?month={m}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            csv.contains(&format!("{m}-01,모니터링 에이전트,24,")),
            "{csv}"
        );

        let other = app.new_customer("usage.snoop").await;
        let (status, _) = app
            .call_json(
                &other,
                "projects/usage",
                &[("project_id", &id.to_string()), ("month", &m.to_string())],
            )
            .await;
        assert_eq!(status, 404);
        let res = other
            .get(app.url(&format!("/projects/{id}/usage.csv")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
    }
);

fn credit_form<'a>(id: &'a str, amount: &'a str, reason: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("invoice_id", id), ("amount", amount), ("reason", reason)]
}

async fn invoice_as(app: &TestApp, c: &reqwest::Client, endpoint: &str, id: i64) -> Value {
    let (status, d) = app
        .call_json(c, endpoint, &[("invoice_id", &id.to_string())])
        .await;
    assert_eq!(status, 200, "{d}");
    d
}

both_backends!(
    billing_staff_write_credit_notes_up_to_the_balance_and_support_cannot,
    |app: TestApp| async move {
        let (c, _) = paid_project(&app, "cn.owner", "credited", 1).await;
        close(&app, last_month()).await;
        let id = my_invoices(&app, &c).await[0]["id"].as_i64().unwrap();
        let ids = id.to_string();
        // 40,000 of capacity + 4,000 VAT.
        assert_eq!(
            invoice_as(&app, &c, "invoice", id).await["summary"]["balance"],
            44_000
        );

        let support = app.as_staff(StaffRole::Support).await;
        let (_, refused) = app
            .call_json(
                &support,
                "admin/invoice/credit_note",
                &credit_form(&ids, "1000", "지원팀 임의 감액"),
            )
            .await;
        assert_eq!(refused, json!("NotAllowed"));
        assert_eq!(app.count("SELECT COUNT(*) FROM credit_notes").await, 0);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE target_kind = 'invoice'")
                .await,
            0
        );

        let billing = app.as_staff(StaffRole::Billing).await;
        let (_, bad) = app
            .call_json(
                &billing,
                "admin/invoice/credit_note",
                &credit_form(&ids, "44001", "짧음"),
            )
            .await;
        assert_eq!(
            bad,
            json!({"Invalid": {"problems": ["amount_over_balance", "reason_invalid"]}})
        );
        let (status, missing) = app
            .call_json(
                &billing,
                "admin/invoice/credit_note",
                &credit_form("999999", "1000", "없는 청구서 감액"),
            )
            .await;
        assert_eq!(status, 404, "{missing}");

        let (_, made) = app
            .call_json(
                &billing,
                "admin/invoice/credit_note",
                &credit_form(&ids, "4,000", "  용량 변경 반영 누락 정정  "),
            )
            .await;
        let month = apm_portal::domain::kst::kst_date(Utc::now()).format("%Y%m");
        let first = format!("CN-{month}-{id:06}-1");
        assert_eq!(
            made,
            json!({"Created": {"number": first, "invoice_paid": false}})
        );
        let mine = invoice_as(&app, &c, "invoice", id).await;
        assert_eq!(
            (
                mine["summary"]["balance"].as_i64(),
                mine["credit_noted"].as_i64(),
                mine["summary"]["status"].as_str()
            ),
            (Some(40_000), Some(4_000), Some("Unpaid"))
        );
        let note = &mine["credit_notes"][0];
        assert_eq!(
            (
                note["number"].as_str(),
                note["amount"].as_i64(),
                note["reason"].as_str()
            ),
            (
                Some(first.as_str()),
                Some(4_000),
                Some("용량 변경 반영 누락 정정")
            )
        );
        assert_eq!(note["created_by"], Value::Null, "customers do not see who");
        let staff_view = invoice_as(&app, &support, "admin/invoice", id).await;
        let by = staff_view["credit_notes"][0]["created_by"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(by.starts_with("billing"), "staff see who: {staff_view}");

        let (action, reason, detail): (String, String, String) = sqlx::query_as(
            "SELECT action, reason, detail FROM audit_log WHERE target_kind = 'invoice' AND target_id = $1",
        )
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
        assert_eq!(
            (action.as_str(), reason.as_str()),
            ("invoice.credit_note_created", "용량 변경 반영 누락 정정")
        );
        let detail: Value = serde_json::from_str(&detail).unwrap();
        assert_eq!(
            (
                &detail["amount"],
                &detail["before"]["balance"],
                &detail["after"]["balance"]
            ),
            (&json!(4_000), &json!(44_000), &json!(40_000))
        );

        // The ceiling is the balance now, not the total: earlier credit notes and payments count.
        let today = apm_portal::domain::kst::kst_date(Utc::now()).to_string();
        let (_, paid) = app
            .call_json(
                &billing,
                "admin/invoice/payment",
                &pay_form(&ids, "30000", &today),
            )
            .await;
        assert_eq!(paid, json!({"Recorded": {"invoice_paid": false}}));
        let (_, over) = app
            .call_json(
                &billing,
                "admin/invoice/credit_note",
                &credit_form(&ids, "10001", "남은 금액보다 많은 감액"),
            )
            .await;
        assert_eq!(
            over,
            json!({"Invalid": {"problems": ["amount_over_balance"]}})
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM credit_notes").await, 1);
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'invoice.credit_note_created'"
            )
            .await,
            1
        );

        // The customer's page and its print view list the note, without who wrote it.
        for path in [format!("/invoices/{id}"), format!("/invoices/{id}/print")] {
            let html = app.page_html(&c, &path).await;
            assert!(
                html.contains("data-test=\"credit-notes\"") && html.contains(&first),
                "{path}: {html}"
            );
            assert!(html.contains("용량 변경 반영 누락 정정"), "{path}");
            assert!(!html.contains(&by), "{path}: not who wrote it");
        }
        let csv = c
            .get(app.url(&format!("/invoices/{id}/csv")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            csv.contains("감액 전표,,,,,,-4000") && csv.contains("미납액,,,,,,10000"),
            "{csv}"
        );
    }
);

both_backends!(
    a_credit_note_covering_the_balance_pays_the_invoice_and_restores_access,
    |app: TestApp| async move {
        let (c, project) = paid_project(&app, "cn.late", "cnlate", 1).await;
        close(&app, last_month()).await;
        let id = my_invoices(&app, &c).await[0]["id"].as_i64().unwrap();
        let due = apm_portal::domain::kst::kst_date(Utc::now()) - Duration::days(2);
        sqlx::query("UPDATE invoices SET due_date = $1 WHERE id = $2")
            .bind(due.to_string())
            .bind(id)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        apm_portal::server::billing::mark_overdue(&app.state, Utc::now())
            .await
            .unwrap();
        assert_eq!(app.project(&c, project).await["state"], "access_stopped");
        let ids = id.to_string();
        let page = format!("/admin/invoices/{id}");
        let billing = app.as_staff(StaffRole::Billing).await;
        let html = app.page_html(&billing, &page).await;
        assert!(
            html.contains("id=\"credit-note-form\""),
            "the form is offered"
        );

        // Without JavaScript: refused, the message beside its field, nothing written.
        let res = app
            .post_without_js(
                &billing,
                "admin/invoice/credit_note",
                &page,
                &credit_form(&ids, "44000", "x"),
            )
            .await;
        assert!(res.status().is_redirection(), "{}", res.status());
        let html = app.page_html(&billing, &page).await;
        assert!(
            html.contains("사유를 5자 이상 500자 이하로 입력하세요."),
            "the message beside the field"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM credit_notes").await, 0);

        let res = app
            .post_without_js(
                &billing,
                "admin/invoice/credit_note",
                &page,
                &credit_form(&ids, "44000", "서비스 장애로 인한 전액 감액"),
            )
            .await;
        assert!(res.status().is_redirection(), "{}", res.status());
        let html = app.page_html(&billing, &page).await;
        assert!(
            html.contains("청구서가 납부 완료되었습니다."),
            "the confirmation after the form is gone: {html}"
        );
        assert!(
            !html.contains("id=\"credit-note-form\""),
            "nothing left to reduce"
        );

        assert_eq!(
            app.project(&c, project).await["state"],
            "active",
            "access back at once"
        );
        let missed: Option<String> =
            sqlx::query_scalar("SELECT missed_payment_date FROM projects WHERE id = $1")
                .bind(project)
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap();
        assert_eq!(missed, None);
        let mine = invoice_as(&app, &c, "invoice", id).await;
        assert_eq!(
            (
                mine["summary"]["status"].as_str(),
                mine["summary"]["balance"].as_i64()
            ),
            (Some("Paid"), Some(0))
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM invoices WHERE id = {id} AND paid_at IS NOT NULL"
            ))
            .await,
            1
        );
        let (_, again) = app
            .call_json(
                &billing,
                "admin/invoice/credit_note",
                &credit_form(&ids, "1", "이미 낸 청구서에 또 감액"),
            )
            .await;
        assert_eq!(again, json!({"Invalid": {"problems": ["already_paid"]}}));
    }
);

/// A trigger in the test database that refuses the insert of `project`'s invoice, as a
/// database failing part-way through the close would.
async fn refuse_invoice_of(app: &TestApp, project: i64) {
    let statements = match app.state.db.backend {
        apm_portal::server::db::Backend::Sqlite => vec![format!(
            "CREATE TRIGGER close_boom BEFORE INSERT ON invoices WHEN NEW.project_id = {project} \
             BEGIN SELECT RAISE(ABORT, 'boom'); END"
        )],
        apm_portal::server::db::Backend::Postgres => vec![
            format!(
                "CREATE FUNCTION close_boom() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN \
                 IF NEW.project_id = {project} THEN RAISE EXCEPTION 'boom'; END IF; \
                 RETURN NEW; END $f$"
            ),
            "CREATE TRIGGER close_boom BEFORE INSERT ON invoices FOR EACH ROW \
             EXECUTE FUNCTION close_boom()"
                .to_string(),
        ],
    };
    for sql in statements {
        sqlx::query(&sql).execute(&app.state.db.pool).await.unwrap();
    }
}

async fn stop_refusing_invoices(app: &TestApp) {
    let sql = match app.state.db.backend {
        apm_portal::server::db::Backend::Sqlite => "DROP TRIGGER close_boom",
        apm_portal::server::db::Backend::Postgres => "DROP TRIGGER close_boom ON invoices",
    };
    sqlx::query(sql).execute(&app.state.db.pool).await.unwrap();
}

// `close_month` is one transaction for the whole month (its doc comment): a failure at the
// second project's invoice leaves no invoice, no line and no used credit, and the month open.
both_backends!(
    a_month_close_that_fails_part_way_leaves_nothing_and_can_run_again,
    |app: TestApp| async move {
        let m = last_month();
        let mut owners = Vec::new();
        let mut projects = Vec::new();
        for (login, prefix) in [
            ("part.one", "partone"),
            ("part.two", "parttwo"),
            ("part.three", "partthree"),
        ] {
            let (c, id) = paid_project(&app, login, prefix, 1).await;
            owners.push(c);
            projects.push(id);
        }
        let token = app.platform_token(Scope::Usage).await;
        send_usage(&app, &token, "partone", m, 20, 0).await;
        // A credit waits for the first project: the failed close must not use it up.
        sqlx::query("INSERT INTO credits (project_id, amount, remaining, source, reason, created_at) VALUES ($1, 1000, 1000, 'sla', 'SLA', 0)")
            .bind(projects[0])
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        refuse_invoice_of(&app, projects[1]).await;

        let err = apm_portal::server::billing::close_month(&app.state, m, Utc::now())
            .await
            .expect_err("the second invoice cannot be written");
        assert!(err.to_string().contains("boom"), "{err}");
        let month = m.to_string();
        for sql in [
            format!("SELECT COUNT(*) FROM invoices WHERE month = '{month}'"),
            format!(
                "SELECT COUNT(*) FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id \
                 WHERE i.month = '{month}'"
            ),
            "SELECT COUNT(*) FROM invoice_lines".to_string(),
            "SELECT COUNT(*) FROM invoice_credits".to_string(),
            format!("SELECT COUNT(*) FROM closed_months WHERE month = '{month}'"),
        ] {
            assert_eq!(app.count(&sql).await, 0, "{sql}");
        }
        assert_eq!(
            app.count("SELECT remaining FROM credits").await,
            1000,
            "the credit is still waiting"
        );
        for c in &owners {
            assert!(my_invoices(&app, c).await.is_empty(), "no invoice is shown");
        }
        // Usage ingestion does not wait on a lock the failed close left behind.
        send_usage(&app, &token, "partone", m, 10, 100).await;

        stop_refusing_invoices(&app).await;
        assert_eq!(
            close(&app, m).await,
            apm_portal::server::billing::CloseReport {
                issued: 3,
                already: 0
            }
        );
        for (c, id) in owners.iter().zip(&projects) {
            assert_eq!(
                app.count(&format!(
                    "SELECT COUNT(*) FROM invoices WHERE project_id = {id} AND month = '{month}'"
                ))
                .await,
                1,
                "project {id}"
            );
            let list = my_invoices(&app, c).await;
            assert_eq!(list.len(), 1, "{list:?}");
            let d = invoice_as(&app, c, "invoice", list[0]["id"].as_i64().unwrap()).await;
            assert!(!d["lines"].as_array().unwrap().is_empty(), "{d}");
        }
        // The first project's invoice has all 30 hours and the credit, applied once.
        let first = &my_invoices(&app, &owners[0]).await[0];
        let d = invoice_as(&app, &owners[0], "invoice", first["id"].as_i64().unwrap()).await;
        let agents = d["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["code"] == "agent_hours")
            .cloned()
            .unwrap_or_else(|| panic!("no agent line in {d}"));
        assert_eq!(agents["quantity"], "30", "{d}");
        assert_eq!(d["credited"], 1000, "{d}");
        assert_eq!(app.count("SELECT remaining FROM credits").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM invoice_credits").await, 1);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM closed_months WHERE month = '{month}'"
            ))
            .await,
            1
        );
        assert_eq!(
            close(&app, m).await,
            apm_portal::server::billing::CloseReport {
                issued: 0,
                already: 3
            }
        );
    }
);

both_backends!(
    the_automatic_close_takes_last_month_once_its_settle_period_after_kst_midnight_has_passed,
    |app: TestApp| async move {
        use apm_portal::server::billing::{CloseReport, close_due_month, month_due_for_close};
        let m = last_month();
        let (c, id) = paid_project(&app, "settle.owner", "settled", 2).await;
        // The month before was closed in its time.
        close(&app, m.prev()).await;
        // `m` ends at midnight KST on the 1st of the next month: 15:00 UTC the day before.
        let (year, month) = m
            .next()
            .to_string()
            .split_once('-')
            .map(|(y, mo)| (y.parse::<i32>().unwrap(), mo.parse::<u32>().unwrap()))
            .unwrap();
        let first_day = chrono::NaiveDate::from_ymd_opt(year, month, 1).unwrap();
        let kst_midnight = (first_day - Duration::days(1))
            .and_hms_opt(15, 0, 0)
            .unwrap()
            .and_utc();
        let settle_hours = app.state.settings.month_close_settle_hours;
        let settled = kst_midnight + Duration::hours(i64::from(settle_hours));
        let month_count = |month: String| {
            let sql = format!("SELECT COUNT(*) FROM invoices WHERE month = '{month}'");
            let closed = format!("SELECT COUNT(*) FROM closed_months WHERE month = '{month}'");
            let app = &app;
            async move { (app.count(&sql).await, app.count(&closed).await) }
        };

        let before = settled - Duration::seconds(1);
        assert_eq!(month_due_for_close(before, settle_hours), m.prev());
        assert_eq!(
            close_due_month(&app.state, "instance-a", before)
                .await
                .unwrap(),
            None,
            "a second before the settle period ends"
        );
        assert_eq!(month_count(m.to_string()).await, (0, 0));

        let after = settled + Duration::seconds(1);
        assert_eq!(month_due_for_close(after, settle_hours), m);
        assert_eq!(
            close_due_month(&app.state, "instance-a", after)
                .await
                .unwrap(),
            Some(CloseReport {
                issued: 1,
                already: 0
            })
        );
        assert_eq!(month_count(m.to_string()).await, (1, 1));
        let months: Vec<String> = my_invoices(&app, &c)
            .await
            .iter()
            .map(|i| i["month"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(months, [m.to_string(), m.prev().to_string()]);
        let issued_at = app
            .count(&format!(
                "SELECT issued_at FROM invoices WHERE project_id = {id} AND month = '{m}'"
            ))
            .await;
        assert_eq!(issued_at, after.timestamp_millis());
        // The job's next minute finds the month closed and does nothing.
        assert_eq!(
            close_due_month(&app.state, "instance-b", after + Duration::minutes(1))
                .await
                .unwrap(),
            None
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM invoices").await, 2);
    }
);

/// Waits (up to 30 s) until `sql` counts `want`, and answers the last count.
async fn wait_for_count(app: &TestApp, sql: &str, want: i64) -> i64 {
    for _ in 0..300 {
        let n = app.count(sql).await;
        if n == want {
            return n;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.count(sql).await
}

fn eml_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| entries.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

// APM_RUN_JOBS: an instance started with it false serves, but closes no month and sends no
// mail however long it runs; one started with it true does both at once (its jobs run on
// start, then every minute; its mail worker every APM_MAIL_POLL_SECONDS).
both_backends!(
    only_an_instance_that_runs_jobs_closes_the_month_and_sends_mail,
    |app: TestApp| async move {
        use apm_portal::domain::account::Email;
        use apm_portal::domain::language::Language;
        use apm_portal::server::mail::{self, Content, Enqueued, Mail, Recipient, Text};
        let (c, project) = paid_project(&app, "jobs.owner", "jobsprj", 2).await;
        let mut b = [0u8; 4];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut b);
        let dir = std::env::temp_dir().join(format!("apm-jobs-outbox-{}", hex::encode(b)));
        let address = format!("jobs-{}@example.net", hex::encode(b));
        let mut tx = app.state.db.pool.begin().await.unwrap();
        let queued = mail::enqueue(
            &mut tx,
            &Mail {
                to: Recipient::Address {
                    email: Email::parse(&address).unwrap(),
                    language: Language::En,
                },
                content: Content::Text {
                    ko: Text {
                        subject: "작업 확인".into(),
                        body: "본문".into(),
                    },
                    en: Text {
                        subject: "Jobs check".into(),
                        body: "Body".into(),
                    },
                    link: None,
                },
                dedupe_key: None,
            },
            Utc::now(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let Enqueued::Queued(mail_id) = queued else {
            panic!("queued: {queued:?}")
        };
        let settings = |run_jobs: bool| {
            let dir = dir.clone();
            move |s: &mut apm_portal::server::config::Settings| {
                s.run_jobs = run_jobs;
                s.smtp_url = None;
                s.mail_outbox_dir = dir.display().to_string();
                s.mail_poll_interval = std::time::Duration::from_millis(100);
            }
        };
        let sent =
            format!("SELECT COUNT(*) FROM mail_outbox WHERE id = {mail_id} AND status = 'sent'");
        let invoices = format!("SELECT COUNT(*) FROM invoices WHERE project_id = {project}");

        let serving = app.start_instance(settings(false)).await;
        let health = app
            .new_client()
            .get(serving.url("/healthz"))
            .send()
            .await
            .unwrap();
        assert_eq!(health.status(), 200, "it serves");
        // Thirty mail polls' worth, and the jobs would have run on start.
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        assert_eq!(app.count(&sent).await, 0, "no mail sent");
        assert_eq!(
            app.count(&format!(
                "SELECT attempts FROM mail_outbox WHERE id = {mail_id}"
            ))
            .await,
            0,
            "not even tried"
        );
        assert!(eml_files(&dir).is_empty(), "{:?}", eml_files(&dir));
        assert_eq!(app.count(&invoices).await, 0, "no month closed");
        assert_eq!(app.count("SELECT COUNT(*) FROM closed_months").await, 0);
        drop(serving);

        let worker = app.start_instance(settings(true)).await;
        assert_eq!(wait_for_count(&app, &sent, 1).await, 1, "the mail is sent");
        let files = eml_files(&dir);
        assert_eq!(files.len(), 1, "{files:?}");
        let eml = std::fs::read_to_string(&files[0]).unwrap();
        assert!(eml.contains(&format!("To: {address}")), "{eml}");
        assert!(eml.contains("Subject: [APM] Jobs check"), "{eml}");
        assert_eq!(
            wait_for_count(&app, &invoices, 1).await,
            1,
            "the due month is closed"
        );
        assert_eq!(my_invoices(&app, &c).await.len(), 1);
        drop(worker);
        let _ = std::fs::remove_dir_all(&dir);
    }
);

/// The `<article>` of the invoice document in a page.
fn invoice_document(html: &str) -> String {
    let html = html.replace("<!>", "");
    let marker = html
        .find("data-test=\"invoice\"")
        .unwrap_or_else(|| panic!("no invoice document in {html}"));
    let start = html[..marker].rfind("<article").unwrap();
    let end = html[start..].find("</article>").unwrap() + start;
    html[start..end].to_string()
}

both_backends!(
    a_customer_who_chose_english_gets_the_invoice_its_print_view_and_csv_in_english,
    |app: TestApp| async move {
        let (c, _) = paid_project(&app, "en.owner", "english", 1).await;
        close(&app, last_month()).await;
        let id = my_invoices(&app, &c).await[0]["id"].as_i64().unwrap();
        let pages = [format!("/invoices/{id}"), format!("/invoices/{id}/print")];
        let korean = [
            "청구서",
            "청구월",
            "납부 기한",
            "금액(원)",
            "소계",
            "합계",
            "미납액",
            "수집 용량",
            "미납",
        ];
        let english = [
            "Invoice",
            "Month",
            "Due",
            "Amount (KRW)",
            "Subtotal",
            "Total",
            "Still owed",
            "Ingest capacity",
            "Unpaid",
        ];
        // In Korean by default...
        for path in &pages {
            let doc = invoice_document(&app.page_html(&c, path).await);
            for label in korean {
                assert!(doc.contains(label), "{path}: {label} in {doc}");
            }
        }
        app.switch_to_english(&c).await;
        for path in &pages {
            let html = app.page_html(&c, path).await;
            assert!(html.contains("<html lang=\"en\""), "{path}");
            let doc = invoice_document(&html);
            for label in english {
                assert!(doc.contains(label), "{path}: {label} in {doc}");
            }
            for label in korean {
                assert!(!doc.contains(label), "{path}: no {label} in {doc}");
            }
            assert!(doc.contains("10 × "), "{path}: {doc}");
            assert!(
                doc.contains(" days"),
                "{path}: pro-rating in English: {doc}"
            );
        }
        let csv = c
            .get(app.url(&format!("/invoices/{id}/csv")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            csv.starts_with(
                "\u{feff}invoice,month,item,usage_month,quantity,unit,unit_price_krw,paid_days,units_held,month_days,amount_krw\n"
            ),
            "{csv}"
        );
        assert!(csv.contains(",Ingest capacity,"), "{csv}");
        assert!(csv.contains(",total,,,,,,44000"), "{csv}");
        for label in ["청구서", "합계", "수집 용량", "소계"] {
            assert!(!csv.contains(label), "no {label} in {csv}");
        }
    }
);
