//! SLA statements end to end, on both databases: probe results in (once, scope-checked, bad
//! ones named), a month closed into one statement that the page, the JSON API and the CSV
//! agree on, its credit applied once on the next invoice, maintenance and exclusions from
//! operations staff (role-checked, audited), revisions with a credit note, late results
//! flagged, and another customer's statement 404.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use apm_portal::domain::billing::BillingMonth;
use apm_portal::domain::platform_token::Scope;
use apm_portal::model::StaffRole;
use apm_portal::server::sla::{self, IssueOutcome};
use chrono::{DateTime, Duration, Utc};
use common::TestApp;
use common::requests::{STAFF_PASSWORD, send};
use serde_json::{Value, json};

/// Two KST months ago: ended long enough ago for its statements, and the month after it
/// (last month) can be closed too, so the credit's next invoice can be issued.
fn statement_month() -> BillingMonth {
    BillingMonth::containing(Utc::now()).prev().prev()
}

/// `minutes` down from `start`, then 10 up: the up minutes close the outage, since no-data
/// minutes between two down minutes would join it to a later one.
fn outage(prefix: &str, start: DateTime<Utc>, minutes: i64) -> Vec<Value> {
    let mut r = results(prefix, start, minutes, false);
    r.extend(results(
        prefix,
        start + Duration::minutes(minutes),
        10,
        true,
    ));
    r
}

/// A customer with a project on the paid plan since well before `statement_month`.
async fn paid_project(app: &TestApp, login: &str, prefix: &str) -> (reqwest::Client, i64) {
    app.paid_project_since(
        login,
        prefix,
        statement_month().start() - Duration::days(40),
    )
    .await
}

/// A staff member of `role` and an API token of theirs for `/api/v1/admin/`.
async fn staff_token(app: &TestApp, login: &str, role: StaffRole) -> String {
    apm_portal::server::staff::create(
        &app.state,
        login,
        "운영 담당",
        &format!("{login}@portal.example.kr"),
        role,
        STAFF_PASSWORD,
    )
    .await
    .unwrap();
    apm_portal::server::api_tokens::create_for_staff(&app.state.db, login, "tool", 30, Utc::now())
        .await
        .unwrap()
        .unwrap()
        .0
}

/// One result per minute from one location for `minutes` minutes from `from`.
fn results(prefix: &str, from: DateTime<Utc>, minutes: i64, ok: bool) -> Vec<Value> {
    (0..minutes)
        .map(|i| {
            json!({"project": prefix, "location": "seoul-1", "at": (from + Duration::minutes(i)).to_rfc3339(), "ok": ok, "latency_ms": 120})
        })
        .collect()
}

async fn post_results(app: &TestApp, token: &str, batch: Vec<Value>) -> (u16, Value) {
    send(
        reqwest::Client::new()
            .post(app.url("/api/v1/probe-results"))
            .bearer_auth(token)
            .json(&json!({"results": batch})),
    )
    .await
}

async fn close_invoices(app: &TestApp, m: BillingMonth) {
    apm_portal::server::billing::close_month(&app.state, m, Utc::now())
        .await
        .unwrap();
}

async fn issue(app: &TestApp, m: BillingMonth) -> IssueOutcome {
    sla::issue_month(&app.state, m, Utc::now()).await.unwrap()
}

/// 10 o'clock KST on the 10th of the month, a time every month has.
fn tenth(m: BillingMonth) -> DateTime<Utc> {
    m.start() + Duration::days(9) + Duration::hours(10)
}

/// The invoiced charge of the project's invoice for `m`, before VAT and credits.
async fn subtotal(app: &TestApp, project: i64, m: BillingMonth) -> i64 {
    app.count(&format!(
        "SELECT subtotal FROM invoices WHERE project_id = {project} AND month = '{m}'"
    ))
    .await
}

both_backends!(
    probe_results_are_kept_once_and_each_bad_one_is_named,
    |app: TestApp| async move {
        paid_project(&app, "probe.owner", "probed").await;
        let token = app.platform_token(Scope::Probes).await;
        let at = Utc::now() - Duration::hours(2);
        let mut batch = results("probed", at, 3, false);
        batch.push(batch[0].clone());
        batch.push(
            json!({"project": "nobody", "location": "seoul-1", "at": at.to_rfc3339(), "ok": true}),
        );
        batch.push(
            json!({"project": "probed", "location": "Seoul 1", "at": at.to_rfc3339(), "ok": true}),
        );
        batch
            .push(json!({"project": "probed", "location": "busan", "at": "yesterday", "ok": true}));
        batch.push(json!({"project": "probed", "location": "busan", "at": at.to_rfc3339()}));
        let (status, out) = post_results(&app, &token, batch.clone()).await;
        assert_eq!(status, 200, "{out}");
        assert_eq!(out["accepted"], 3, "{out}");
        assert_eq!(
            out["duplicates"], 1,
            "the same result twice in one batch counts once"
        );
        let codes: Vec<(i64, &str)> = out["rejected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["index"].as_i64().unwrap(), r["code"].as_str().unwrap()))
            .collect();
        assert_eq!(
            codes,
            [
                (4, "unknown_project"),
                (5, "invalid_location"),
                (6, "invalid_time"),
                (7, "malformed")
            ]
        );
        // Sent again: nothing new, nothing counted twice in the roll-up.
        let (_, again) = post_results(&app, &token, batch).await;
        assert_eq!(
            (again["accepted"].as_i64(), again["duplicates"].as_i64()),
            (Some(0), Some(4))
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM probe_results").await, 3);
        assert_eq!(
            app.count("SELECT CAST(SUM(failed_count) AS BIGINT) FROM probe_minutes")
                .await,
            3
        );

        // Tokens: none 401, a usage-scope token 403, a customer's session 401.
        let (s, e) = post_results(&app, "apmp_not_a_token", vec![]).await;
        assert_eq!(s, 401, "{e}");
        let usage = app.platform_token(Scope::Usage).await;
        let (s, e) = post_results(&app, &usage, vec![]).await;
        assert_eq!((s, e["code"].as_str()), (403, Some("not_allowed")));
        let many = results("probed", at - Duration::days(30), 10_001, true);
        let (s, e) = post_results(&app, &token, many).await;
        assert_eq!((s, e["code"].as_str()), (413, Some("payload_too_large")));
    }
);

both_backends!(
    a_month_gets_one_statement_that_page_api_and_csv_agree_on,
    |app: TestApp| async move {
        let (c, id) = paid_project(&app, "sla.owner", "slashop").await;
        let token = app.platform_token(Scope::Probes).await;
        let ops = staff_token(&app, "ops.sla", StaffRole::Operations).await;
        let m = statement_month();
        let down_from = tenth(m);
        // Up before and after, 300 minutes down in between.
        let mut batch = results("slashop", down_from - Duration::minutes(10), 10, true);
        batch.extend(results("slashop", down_from, 300, false));
        batch.extend(results(
            "slashop",
            down_from + Duration::minutes(300),
            10,
            true,
        ));
        let (status, out) = post_results(&app, &token, batch).await;
        assert_eq!(
            (status, out["accepted"].as_i64()),
            (200, Some(320)),
            "{out}"
        );
        // A maintenance window over the first 60 minutes of it, published in time.
        let (status, w) = send(
            reqwest::Client::new()
                .post(app.url("/api/v1/admin/maintenance-windows"))
                .bearer_auth(&ops)
                .json(&json!({"projects": ["slashop"], "start": down_from.to_rfc3339(),
                    "end": (down_from + Duration::minutes(60)).to_rfc3339(), "notice": "DB 정기 점검"})),
        )
        .await;
        assert_eq!(status, 201, "{w}");
        // The window lies in the past; it is dated back as though published two days ahead.
        sqlx::query(&format!(
            "UPDATE maintenance_windows SET published_at = {} WHERE id = {}",
            (down_from - Duration::days(2)).timestamp_millis(),
            w["id"]
        ))
        .execute(&app.state.db.pool)
        .await
        .unwrap();
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'sla.maintenance_window.published'"
            )
            .await,
            1
        );

        // Statements wait for the month's invoices.
        assert_eq!(issue(&app, m).await, IssueOutcome::InvoicesFirst);
        close_invoices(&app, m).await;
        let basis = subtotal(&app, id, m).await;
        assert!(basis > 0);
        let (a, b) = tokio::join!(issue(&app, m), issue(&app, m));
        let issued = |o: &IssueOutcome| match o {
            IssueOutcome::Issued(r) => r.issued,
            other => panic!("{other:?}"),
        };
        assert_eq!(issued(&a) + issued(&b), 1, "{a:?} {b:?}");
        assert_eq!(
            issued(&issue(&app, m).await),
            0,
            "a second run issues nothing"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM sla_statements").await, 1);

        // 300 down minutes, 60 of them in announced maintenance: 240 counted.
        let minutes = i64::from(m.days()) * 1440;
        let availability = (minutes - 240) * 100_000 / minutes;
        let shown = format!("{}.{:03}", availability / 1000, availability % 1000);
        // Between 99.0 and 99.5 % in a month of any length: 10 %, rounded down to 10 KRW.
        let credit = basis / 10 / 10 * 10;
        let (status, api) = app
            .get_json(&c, &format!("/api/v1/projects/{id}/sla-statements/{m}"))
            .await;
        assert_eq!(status, 200, "{api}");
        assert_eq!(api["domain_prefix"], "slashop");
        assert_eq!(api["revision"], 1);
        assert_eq!(api["service_minutes"], minutes);
        assert_eq!(api["outage_minutes"], 240);
        assert_eq!(api["excluded_minutes"], 60);
        assert_eq!(api["availability_percent"], shown);
        assert_eq!(api["credit_rate_percent"], "10");
        assert_eq!(api["fee_basis_krw"], basis);
        assert_eq!(api["credit_krw"], credit);
        assert_eq!(api["eligible"], true);
        assert_eq!(api["ineligible_reason"], Value::Null, "{api}");
        // 320 minutes have results; every other minute of the month has none (counted as up).
        assert_eq!(api["no_data_minutes"], minutes - 320);
        assert_eq!(
            api["policy_version"],
            app.count("SELECT version FROM credit_policies").await,
            "the one policy in force"
        );
        assert_eq!(api["outages"].as_array().unwrap().len(), 1);
        assert_eq!(api["outages"][0]["minutes"], 300);
        assert_eq!(
            api["outages"][0]["start"],
            down_from
                .with_timezone(&apm_portal::domain::kst::KST)
                .to_rfc3339()
        );
        assert_eq!(api["exclusions"][0]["kind"], "maintenance");
        assert_eq!(api["exclusions"][0]["reason"], "DB 정기 점검");
        let (_, list) = app
            .get_json(&c, &format!("/api/v1/projects/{id}/sla-statements"))
            .await;
        assert_eq!(list["items"][0]["month"], m.to_string());
        assert_eq!(list["items"][0]["credit_krw"], credit);

        // The page's server function shows the same figures, and a timeline mark of each kind.
        let (status, page) = app
            .call_json(
                &c,
                "projects/sla-statement",
                &[
                    ("project_id", &id.to_string()),
                    ("month", &m.to_string()),
                    ("revision", "0"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["availability_percent"], shown);
        assert_eq!(page["credit_krw"], credit);
        let kinds: Vec<&str> = page["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["kind"].as_str().unwrap())
            .collect();
        assert!(
            kinds.contains(&"Down") && kinds.contains(&"Excluded"),
            "{kinds:?}"
        );
        // Server-rendered page and CSV.
        let html = app.page_html(&c, &format!("/projects/{id}/sla/{m}")).await;
        assert!(html.contains(&shown), "the page shows the availability");
        assert!(html.contains("data-test=\"timeline\""));
        let csv = c
            .get(app.url(&format!("/projects/{id}/sla/{m}/csv")))
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), 200);
        let text = csv.text().await.unwrap();
        assert!(text.contains(&format!("가용성(%),{shown}")), "{text}");
        assert!(text.contains(&format!("보상액(원),{credit}")), "{text}");
        assert!(text.contains("DB 정기 점검"));

        // The credit waits for the project's next invoice and is applied there once.
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM credits WHERE project_id = {id} AND source = 'sla'"
            ))
            .await,
            1
        );
        close_invoices(&app, m.next()).await;
        close_invoices(&app, m.next()).await;
        assert_eq!(
            app.count(&format!(
                "SELECT credited FROM invoices WHERE project_id = {id} AND month = '{}'",
                m.next()
            ))
            .await,
            credit.min(subtotal(&app, id, m.next()).await)
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM invoice_credits").await, 1);
    }
);

both_backends!(
    another_customers_statement_is_not_found,
    |app: TestApp| async move {
        let (_, id) = paid_project(&app, "sla.mine", "mineprj").await;
        let m = statement_month();
        close_invoices(&app, m).await;
        assert!(matches!(issue(&app, m).await, IssueOutcome::Issued(_)));
        let other = app.new_customer("sla.other").await;
        for path in [
            format!("/api/v1/projects/{id}/sla-statements"),
            format!("/api/v1/projects/{id}/sla-statements/{m}"),
        ] {
            let (status, body) = app.get_json(&other, &path).await;
            assert_eq!(status, 404, "{path}: {body}");
        }
        let (status, _) = app
            .call_json(
                &other,
                "projects/sla-statement",
                &[
                    ("project_id", &id.to_string()),
                    ("month", &m.to_string()),
                    ("revision", "0"),
                ],
            )
            .await;
        assert_eq!(status, 404);
        let csv = other
            .get(app.url(&format!("/projects/{id}/sla/{m}/csv")))
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), 404);
        let staff = app.as_staff(StaffRole::Admin).await;
        let (status, _) = app
            .get_json(&staff, &format!("/api/v1/projects/{id}/sla-statements/{m}"))
            .await;
        assert_eq!(status, 404, "the customer API has nothing for staff");
    }
);

both_backends!(
    a_month_waits_for_its_settle_period,
    |app: TestApp| async move {
        let last = BillingMonth::containing(Utc::now()).prev();
        let just_after = last.end() + Duration::hours(1);
        let out = sla::issue_month(&app.state, last, just_after)
            .await
            .unwrap();
        assert_eq!(
            out,
            IssueOutcome::NotSettled {
                ready_at: last.end() + Duration::hours(48)
            }
        );
    }
);

both_backends!(
    late_results_are_flagged_and_a_revision_grants_the_difference_as_a_credit_note,
    |app: TestApp| async move {
        let (c, id) = paid_project(&app, "rev.owner", "revprj").await;
        let token = app.platform_token(Scope::Probes).await;
        let m = statement_month();
        // 100 minutes down: 99.77 % or so, 5 %.
        // Up minutes after each outage: no-data minutes between two down minutes would join
        // them into one outage.
        let first = outage("revprj", tenth(m), 100);
        post_results(&app, &token, first).await;
        close_invoices(&app, m).await;
        issue(&app, m).await;
        let first_credit = app
            .count("SELECT credit_krw FROM sla_statements WHERE revision = 1")
            .await;
        // A second outage of 400 minutes reported late, after the statement.
        let late = outage("revprj", tenth(m) + Duration::days(5), 400);
        let (_, out) = post_results(&app, &token, late).await;
        assert_eq!(out["accepted"], 410);
        assert_eq!(app.count("SELECT results FROM sla_late_results").await, 410);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM sla_statements").await,
            1,
            "issued statements never change"
        );

        // Support may not revise; nothing changes.
        let support = app.as_staff(StaffRole::Support).await;
        let (_, out) = app
            .call_json(
                &support,
                "admin/sla/revise",
                &[
                    ("project", "revprj"),
                    ("month", &m.to_string()),
                    ("reason", "누락된 장애"),
                ],
            )
            .await;
        assert_eq!(out, json!("NotAllowed"));
        // Operations must give a reason.
        let ops = app.as_staff(StaffRole::Operations).await;
        let (_, out) = app
            .call_json(
                &ops,
                "admin/sla/revise",
                &[
                    ("project", "revprj"),
                    ("month", &m.to_string()),
                    ("reason", " "),
                ],
            )
            .await;
        assert_eq!(out["Invalid"]["fields"][0]["field"], "reason", "{out}");
        let (status, out) = app
            .call_json(
                &ops,
                "admin/sla/revise",
                &[
                    ("project", "revprj"),
                    ("month", &m.to_string()),
                    ("reason", "늦게 도착한 측정 결과 반영"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{out}");
        assert!(out["Done"]["id"].is_i64(), "{out}");

        let (_, api) = app
            .get_json(&c, &format!("/api/v1/projects/{id}/sla-statements/{m}"))
            .await;
        assert_eq!(api["revision"], 2);
        assert_eq!(api["outage_minutes"], 500);
        let second_credit = api["credit_krw"].as_i64().unwrap();
        assert!(
            second_credit > first_credit,
            "{first_credit} -> {second_credit}"
        );
        // Revision 1 is still there as issued; the difference is a credit note on that month's invoice.
        let (_, r1) = app
            .call_json(
                &c,
                "projects/sla-statement",
                &[
                    ("project_id", &id.to_string()),
                    ("month", &m.to_string()),
                    ("revision", "1"),
                ],
            )
            .await;
        assert_eq!(r1["outage_minutes"], 100);
        assert_eq!(r1["revisions"], json!([1, 2]));
        assert_eq!(
            r1["revised_from"],
            Value::Null,
            "revision 1 revises nothing"
        );
        // Revision 2 shows what changed: revision 1's figures beside its own, changed ones marked.
        let (_, r2) = app
            .call_json(
                &c,
                "projects/sla-statement",
                &[
                    ("project_id", &id.to_string()),
                    ("month", &m.to_string()),
                    ("revision", "0"),
                ],
            )
            .await;
        assert_eq!(r2["revision"], 2);
        let changes = &r2["revised_from"];
        assert_eq!(changes["previous_revision"], 1, "{r2}");
        let figure = |name: &str| {
            changes["figures"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["figure"] == name)
                .cloned()
                .unwrap_or_else(|| panic!("no {name} in {changes}"))
        };
        let outage = figure("OutageMinutes");
        assert_eq!(
            (&outage["before"], &outage["after"], &outage["changed"]),
            (&json!("100"), &json!("500"), &json!(true))
        );
        assert_eq!(outage["difference"], "+400");
        let krw = apm_portal::domain::billing::money::format_krw;
        let credit = figure("CreditKrw");
        assert_eq!(credit["before"], format!("{} KRW", krw(first_credit)));
        assert_eq!(credit["after"], format!("{} KRW", krw(second_credit)));
        assert_eq!(
            credit["difference"],
            format!("+{} KRW", krw(second_credit - first_credit))
        );
        let availability = figure("AvailabilityPercent");
        assert_eq!(
            availability["after"],
            format!("{} %", api["availability_percent"].as_str().unwrap())
        );
        assert_eq!(
            availability["before"],
            format!("{} %", r1["availability_percent"].as_str().unwrap())
        );
        assert!(
            availability["difference"]
                .as_str()
                .unwrap()
                .starts_with('-'),
            "{availability}"
        );
        for unchanged in ["ExcludedMinutes", "FeeBasisKrw"] {
            let f = figure(unchanged);
            assert_eq!(f["changed"], false, "{f}");
            assert_eq!(f["difference"], Value::Null, "{f}");
            assert_eq!(f["before"], f["after"]);
        }
        assert_eq!(changes["figures"].as_array().unwrap().len(), 7);
        // The server-rendered page shows the comparison with the reason.
        let html = app.page_html(&c, &format!("/projects/{id}/sla/{m}")).await;
        assert!(html.contains("data-test=\"revision-changes\""), "{html}");
        assert!(html.contains("이번 개정에서 바뀐 점"));
        assert!(html.contains("+400"));
        assert!(html.contains("늦게 도착한 측정 결과 반영"));
        let html = app
            .page_html(&c, &format!("/projects/{id}/sla/{m}?revision=1"))
            .await;
        assert!(!html.contains("data-test=\"revision-changes\""));
        assert_eq!(
            app.count(&format!("SELECT CAST(SUM(n.amount) AS BIGINT) FROM credit_notes n JOIN invoices i ON i.id = n.invoice_id WHERE i.month = '{m}'")).await,
            second_credit - first_credit
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM sla_late_results WHERE reviewed_at IS NULL")
                .await,
            0
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'sla.statement.revised'")
                .await,
            1
        );
    }
);

both_backends!(
    a_revised_credit_beyond_what_is_owed_waits_for_the_next_invoice,
    |app: TestApp| async move {
        let (c, id) = paid_project(&app, "revpaid.owner", "revpaid").await;
        let token = app.platform_token(Scope::Probes).await;
        let m = statement_month();
        let first = outage("revpaid", tenth(m), 100);
        post_results(&app, &token, first).await;
        close_invoices(&app, m).await;
        issue(&app, m).await;
        let first_credit = app
            .count("SELECT credit_krw FROM sla_statements WHERE revision = 1")
            .await;
        // The customer has paid all of that month's invoice but 100 KRW.
        let invoice: i64 = app
            .count(&format!(
                "SELECT id FROM invoices WHERE project_id = {id} AND month = '{m}'"
            ))
            .await;
        sqlx::query("UPDATE invoices SET paid_amount = total - 100 WHERE id = $1")
            .bind(invoice)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let late = outage("revpaid", tenth(m) + Duration::days(5), 400);
        post_results(&app, &token, late).await;
        let ops = app.as_staff(StaffRole::Operations).await;
        let (status, out) = app
            .call_json(
                &ops,
                "admin/sla/revise",
                &[
                    ("project", "revpaid"),
                    ("month", &m.to_string()),
                    ("reason", "늦게 도착한 측정 결과 반영"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{out}");
        let (_, api) = app
            .get_json(&c, &format!("/api/v1/projects/{id}/sla-statements/{m}"))
            .await;
        let extra = api["credit_krw"].as_i64().unwrap() - first_credit;
        assert!(
            extra > 100,
            "the late outage adds more than is owed: {extra}"
        );
        // 100 KRW settles the invoice; the rest waits for the next one, none is lost.
        assert_eq!(
            app.count(&format!(
                "SELECT CAST(SUM(amount) AS BIGINT) FROM credit_notes WHERE invoice_id = {invoice}"
            ))
            .await,
            100
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM invoices WHERE id = {invoice} AND paid_at IS NOT NULL"
            ))
            .await,
            1,
            "a credit note that covers the balance settles the invoice"
        );
        let revision_id = out["Done"]["id"].as_i64().unwrap();
        assert_eq!(
            app.count(&format!(
                "SELECT c.remaining FROM credits c JOIN sla_statements s ON s.credit_id = c.id \
                 WHERE s.id = {revision_id} AND c.project_id = {id}"
            ))
            .await,
            extra - 100
        );
    }
);

both_backends!(
    the_admin_api_checks_roles_and_input,
    |app: TestApp| async move {
        paid_project(&app, "adm.owner", "admprj").await;
        let support = staff_token(&app, "sup.sla", StaffRole::Support).await;
        let ops = staff_token(&app, "ops.adm", StaffRole::Operations).await;
        let post = |token: String, path: &'static str, body: Value| {
            let url = app.url(path);
            async move {
                send(
                    reqwest::Client::new()
                        .post(url)
                        .bearer_auth(token)
                        .json(&body),
                )
                .await
            }
        };
        let good = json!({"project": "admprj", "start": "2026-10-10T12:00:00+09:00", "end": "2026-10-10T13:00:00+09:00", "category": "customer_equipment", "reason": "고객 방화벽 변경"});
        let (s, e) = post(support.clone(), "/api/v1/admin/exclusions", good.clone()).await;
        assert_eq!((s, e["code"].as_str()), (403, Some("not_allowed")));
        let (s, _) = post(
            "apm_not_a_token".into(),
            "/api/v1/admin/exclusions",
            good.clone(),
        )
        .await;
        assert_eq!(s, 401);
        let (s, e) = post(ops.clone(), "/api/v1/admin/exclusions", json!({"project": "nope", "start": "x", "end": "2026-10-10T13:00:00+09:00", "category": "maintenance", "reason": ""})).await;
        assert_eq!(s, 422, "{e}");
        let fields: Vec<&str> = e["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["project", "start", "category", "reason"]);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM sla_exclusions").await,
            0,
            "nothing stored"
        );
        let (s, e) = post(ops.clone(), "/api/v1/admin/exclusions", good).await;
        assert_eq!(s, 201, "{e}");
        let (s, e) = post(ops, "/api/v1/admin/maintenance-windows", json!({"projects": "all", "start": "2026-10-10T12:00:00+09:00", "end": "2026-10-10T11:00:00+09:00", "notice": "점검"})).await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["fields"][0]["code"], "end_before_start");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'sla.exclusion.recorded'")
                .await,
            1
        );
    }
);

both_backends!(
    a_statement_without_a_credit_says_why_and_keeps_every_figure,
    |app: TestApp| async move {
        let m = statement_month();
        // Paid from 00:00 KST on the 16th: not for the whole month.
        let since = m.start() + Duration::days(15);
        let (c, id) = app.paid_project_since("mid.owner", "midmonth", since).await;
        let token = app.platform_token(Scope::Probes).await;
        let (status, out) = post_results(
            &app,
            &token,
            outage("midmonth", since + Duration::days(2), 300),
        )
        .await;
        assert_eq!(
            (status, out["accepted"].as_i64()),
            (200, Some(310)),
            "{out}"
        );
        close_invoices(&app, m).await;
        assert!(matches!(issue(&app, m).await, IssueOutcome::Issued(r) if r.issued == 1));
        let (status, api) = app
            .get_json(&c, &format!("/api/v1/projects/{id}/sla-statements/{m}"))
            .await;
        assert_eq!(status, 200, "{api}");
        assert_eq!(api["eligible"], false, "{api}");
        assert_eq!(api["ineligible_reason"], "not_paid_all_month");
        // Every figure is still there, for the paid minutes only.
        let paid_minutes = (m.end() - since).num_minutes();
        assert_eq!(api["service_minutes"], paid_minutes);
        assert_eq!(api["outage_minutes"], 300);
        assert_eq!(api["excluded_minutes"], 0);
        assert_eq!(api["no_data_minutes"], paid_minutes - 310);
        assert_eq!(
            api["policy_version"],
            app.count("SELECT version FROM credit_policies").await
        );
        let availability = (paid_minutes - 300) * 100_000 / paid_minutes;
        let shown = format!("{}.{:03}", availability / 1000, availability % 1000);
        assert_eq!(api["availability_percent"], shown);
        // Below 99 % (and above 95 %) of the paid half month: the 25 % tier, but not due.
        assert_eq!(api["credit_rate_percent"], "25");
        assert_eq!(api["fee_basis_krw"], subtotal(&app, id, m).await);
        assert_eq!(api["credit_krw"], 0);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM credits WHERE project_id = {id}"
            ))
            .await,
            0,
            "no credit waits for the next invoice"
        );
        let (_, list) = app
            .get_json(&c, &format!("/api/v1/projects/{id}/sla-statements"))
            .await;
        assert_eq!(
            (
                &list["items"][0]["eligible"],
                &list["items"][0]["credit_krw"]
            ),
            (&json!(false), &json!(0)),
            "{list}"
        );
        let (_, page) = app
            .call_json(
                &c,
                "projects/sla-statement",
                &[
                    ("project_id", &id.to_string()),
                    ("month", &m.to_string()),
                    ("revision", "0"),
                ],
            )
            .await;
        assert_eq!(page["ineligible_reason"], "not_paid_all_month", "{page}");
        assert_eq!(page["availability_percent"], shown);
    }
);

/// One minute of the job on one instance: the month close, then the statements.
async fn job_tick(
    state: &apm_portal::server::startup::AppState,
    holder: &str,
    now: DateTime<Utc>,
) -> (
    Option<apm_portal::server::billing::CloseReport>,
    Option<sla::StatementsReport>,
) {
    let closed = apm_portal::server::billing::close_due_month(state, holder, now)
        .await
        .unwrap();
    let statements = sla::issue_due_month(state, holder, now).await.unwrap();
    (closed, statements)
}

// Two portal instances (each its own pools) on one database run the job at the same
// moments: every invoice and every statement is issued once, and the credit granted once.
both_backends!(
    two_instances_running_the_jobs_at_once_issue_each_invoice_and_statement_once,
    |app: TestApp| async move {
        let m = BillingMonth::containing(Utc::now()).prev();
        let since = m.start() - Duration::days(40);
        let mut projects = Vec::new();
        for (login, prefix) in [
            ("twin.a", "twina"),
            ("twin.b", "twinb"),
            ("twin.c", "twinc"),
        ] {
            projects.push(app.paid_project_since(login, prefix, since).await.1);
        }
        let token = app.platform_token(Scope::Probes).await;
        let (status, out) = post_results(&app, &token, outage("twina", tenth(m), 300)).await;
        assert_eq!(status, 200, "{out}");
        let other = app.second_instance().await;
        // Once both settle periods after the month have passed.
        let s = &app.state.settings;
        let settle = s.month_close_settle_hours.max(s.sla_settle_hours);
        let now = m.end() + Duration::hours(i64::from(settle) + 1);
        assert_eq!(
            apm_portal::server::billing::month_due_for_close(now, s.month_close_settle_hours),
            m
        );
        assert_eq!(sla::month_due(now, s.sla_settle_hours), m);
        let (mut invoices, mut statements) = (0, 0);
        // Two ticks a minute apart: an instance that found the other's lease tries again then.
        for minute in 0..2 {
            let at = now + Duration::minutes(minute);
            let (a, b) = tokio::join!(
                job_tick(&app.state, "instance-one", at),
                job_tick(&other, "instance-two", at)
            );
            for (closed, issued) in [a, b] {
                invoices += closed.map_or(0, |r| r.issued);
                statements += issued.map_or(0, |r| r.issued);
            }
        }
        assert_eq!((invoices, statements), (3, 3), "as the instances report it");
        for id in &projects {
            for table in ["invoices", "sla_statements"] {
                assert_eq!(
                    app.count(&format!(
                        "SELECT COUNT(*) FROM {table} WHERE project_id = {id} AND month = '{m}'"
                    ))
                    .await,
                    1,
                    "{table} of project {id}"
                );
            }
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM invoices").await, 3);
        assert_eq!(app.count("SELECT COUNT(*) FROM sla_statements").await, 3);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM credits WHERE source = 'sla' AND project_id = {}",
                projects[0]
            ))
            .await,
            1,
            "the outage's credit, once"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM credits").await,
            1,
            "and no other"
        );
    }
);

both_backends!(
    the_demos_outage_credit_is_on_the_next_invoice_once,
    |app: TestApp| async move {
        apm_portal::server::demo::ensure_demo_data(&app.state)
            .await
            .unwrap();
        let c = app.new_client();
        app.log_in(&c, "demo", "Demo-portal-2026!").await;
        let project = app
            .count("SELECT id FROM projects WHERE prefix = 'demo-pay'")
            .await;
        let (status, list) = app
            .get_json(&c, &format!("/api/v1/projects/{project}/sla-statements"))
            .await;
        assert_eq!(status, 200, "{list}");
        let with_credit: Vec<&Value> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["credit_krw"].as_i64().unwrap() > 0)
            .collect();
        assert_eq!(with_credit.len(), 1, "one month had an outage: {list}");
        let month = BillingMonth::parse(with_credit[0]["month"].as_str().unwrap()).unwrap();
        let (_, s) = app
            .get_json(
                &c,
                &format!("/api/v1/projects/{project}/sla-statements/{month}"),
            )
            .await;
        // 90 minutes down, the first 30 in the maintenance window announced 3 days ahead.
        assert_eq!(s["outages"].as_array().unwrap().len(), 1, "{s}");
        assert_eq!(s["outages"][0]["minutes"], 90);
        assert_eq!(
            (s["outage_minutes"].as_i64(), s["excluded_minutes"].as_i64()),
            (Some(60), Some(30))
        );
        assert_eq!(s["exclusions"][0]["kind"], "maintenance", "{s}");
        assert_eq!(s["exclusions"][0]["counted"], true);
        assert_eq!(s["eligible"], true);
        let credit = s["credit_krw"].as_i64().unwrap();

        let (_, invoices) = app.call_json(&c, "invoices", &[]).await;
        let invoices = invoices.as_array().unwrap().clone();
        let next = month.next().to_string();
        assert!(
            invoices.iter().any(|i| i["month"] == next),
            "the month after has its invoice: {invoices:?}"
        );
        let credit_row = format!(
            "<th scope=\"row\" colspan=\"3\">크레딧</th><td class=\"num\">-{}</td>",
            apm_portal::domain::billing::money::format_krw(credit)
        );
        for i in &invoices {
            let id = i["id"].as_i64().unwrap();
            let (_, d) = app
                .call_json(&c, "invoice", &[("invoice_id", &id.to_string())])
                .await;
            let html = app
                .page_html(&c, &format!("/invoices/{id}"))
                .await
                .replace("<!>", "");
            if i["month"] == next {
                assert_eq!(d["credited"], credit, "{d}");
                assert!(html.contains(&credit_row), "{credit_row} in {html}");
            } else {
                assert_eq!(d["credited"], 0, "{} has no credit: {d}", i["month"]);
                assert!(
                    !html.contains("colspan=\"3\">크레딧</th>"),
                    "{} shows no credit line",
                    i["month"]
                );
            }
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM invoice_credits").await,
            1,
            "applied once"
        );
        assert_eq!(
            app.count("SELECT CAST(SUM(amount) AS BIGINT) FROM invoice_credits")
                .await,
            credit
        );
        assert_eq!(
            app.count("SELECT CAST(SUM(remaining) AS BIGINT) FROM credits")
                .await,
            0,
            "nothing left to apply again"
        );
    }
);

fn exclusion_form<'a>(
    project: &'a str,
    start: &'a str,
    end: &'a str,
    category: &'a str,
    reason: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("project", project),
        ("start", start),
        ("end", end),
        ("category", category),
        ("reason", reason),
    ]
}

both_backends!(
    operations_record_an_exclusion_on_the_admin_form_audited_and_support_cannot,
    |app: TestApp| async move {
        let (c, id) = paid_project(&app, "excl.owner", "exclprj").await;
        let m = statement_month();
        // 12:00-13:30 KST on the 10th, as the form's datetime-local fields send it (KST).
        let from = tenth(m) + Duration::hours(2);
        let kst = |t: DateTime<Utc>| {
            t.with_timezone(&apm_portal::domain::kst::KST)
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        };
        let (start, end) = (kst(from), kst(from + Duration::minutes(90)));
        let reason = "고객 방화벽 변경";
        let good = exclusion_form("exclprj", &start, &end, "customer_equipment", reason);
        let stored = "SELECT COUNT(*) FROM sla_exclusions";
        let audited = "SELECT COUNT(*) FROM audit_log WHERE action = 'sla.exclusion.recorded'";

        let support = app.as_staff(StaffRole::Support).await;
        let (status, out) = app.call_json(&support, "admin/sla/exclusion", &good).await;
        assert_eq!((status, out), (200, json!("NotAllowed")));
        let (status, _) = app.call_json(&c, "admin/sla/exclusion", &good).await;
        assert_eq!(status, 404, "a customer is not staff");
        assert_eq!((app.count(stored).await, app.count(audited).await), (0, 0));

        let ops = app.as_staff(StaffRole::Operations).await;
        for (bad, field, code) in [
            (
                exclusion_form("exclprj", &end, &start, "customer_equipment", reason),
                "end",
                "end_before_start",
            ),
            (
                exclusion_form("exclprj", &start, &end, "customer_equipment", "  "),
                "reason",
                "missing",
            ),
            (
                exclusion_form("exclprj", &start, &end, "bad_weather", reason),
                "category",
                "unknown_category",
            ),
            (
                exclusion_form("nosuchprj", &start, &end, "customer_equipment", reason),
                "project",
                "unknown_project",
            ),
        ] {
            let (status, out) = app.call_json(&ops, "admin/sla/exclusion", &bad).await;
            assert_eq!(status, 200, "{out}");
            assert_eq!(
                out,
                json!({"Invalid": {"fields": [{"field": field, "code": code}]}}),
                "{bad:?}"
            );
            assert_eq!(
                (app.count(stored).await, app.count(audited).await),
                (0, 0),
                "{bad:?} changes nothing"
            );
        }
        // Without JavaScript the form comes back with the message beside its field.
        let res = app
            .post_without_js(
                &ops,
                "admin/sla/exclusion",
                "/admin/sla",
                &exclusion_form("exclprj", &end, &start, "customer_equipment", reason),
            )
            .await;
        assert!(res.status().is_redirection(), "{}", res.status());
        let html = app.page_html(&ops, "/admin/sla").await;
        assert!(html.contains("종료는 시작보다 늦어야 합니다."), "{html}");
        assert_eq!(app.count(stored).await, 0);

        let (status, out) = app.call_json(&ops, "admin/sla/exclusion", &good).await;
        assert_eq!(status, 200, "{out}");
        let exclusion = out["Done"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{out}"));
        let row: (i64, i64, i64, String, String) = sqlx::query_as(
            "SELECT project_id, starts_at, ends_at, category, reason FROM sla_exclusions",
        )
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
        assert_eq!(
            row,
            (
                id,
                from.timestamp_millis(),
                (from + Duration::minutes(90)).timestamp_millis(),
                "customer_equipment".to_string(),
                reason.to_string()
            )
        );
        let (login, role, kind, target, customer, detail): (
            String,
            String,
            String,
            i64,
            Option<i64>,
            String,
        ) = sqlx::query_as(
            "SELECT u.login_id, a.actor_role, a.target_kind, a.target_id, a.customer_user_id, \
             a.detail FROM audit_log a JOIN users u ON u.id = a.actor_user_id \
             WHERE a.action = 'sla.exclusion.recorded'",
        )
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
        assert!(login.starts_with("operations"), "{login}");
        assert_eq!(
            (role.as_str(), kind.as_str(), target),
            ("operations", "sla_exclusion", exclusion)
        );
        let owner = app
            .count(&format!("SELECT owner_id FROM projects WHERE id = {id}"))
            .await;
        assert_eq!(customer, Some(owner));
        let detail: Value = serde_json::from_str(&detail).unwrap();
        assert_eq!(
            (&detail["project"], &detail["category"], &detail["reason"]),
            (
                &json!("exclprj"),
                &json!("customer_equipment"),
                &json!(reason)
            )
        );
        // The overview lists it with who recorded it.
        let html = app.page_html(&ops, "/admin/sla").await;
        assert!(
            html.contains("data-test=\"exclusions\"") && html.contains(&login),
            "{html}"
        );

        // The customer's statement leaves an outage inside it out, and names it.
        let token = app.platform_token(Scope::Probes).await;
        post_results(&app, &token, outage("exclprj", from, 90)).await;
        close_invoices(&app, m).await;
        issue(&app, m).await;
        let (_, api) = app
            .get_json(&c, &format!("/api/v1/projects/{id}/sla-statements/{m}"))
            .await;
        assert_eq!(
            (
                api["outage_minutes"].as_i64(),
                api["excluded_minutes"].as_i64()
            ),
            (Some(0), Some(90)),
            "{api}"
        );
        assert_eq!(api["exclusions"][0]["kind"], "exclusion");
        assert_eq!(api["exclusions"][0]["category"], "customer_equipment");
        assert_eq!(api["exclusions"][0]["reason"], reason);
    }
);

both_backends!(
    raw_results_are_kept_for_the_dispute_period_after_the_months_last_statement,
    |app: TestApp| async move {
        let (_c, id) = paid_project(&app, "keep.owner", "keepprj").await;
        let token = app.platform_token(Scope::Probes).await;
        let m = statement_month();
        let (status, body) = post_results(&app, &token, outage("keepprj", tenth(m), 10)).await;
        assert_eq!(status, 200, "{body}");
        close_invoices(&app, m).await;
        assert!(matches!(issue(&app, m).await, IssueOutcome::Issued(_)));
        let raw = format!("SELECT COUNT(*) FROM probe_results WHERE project_id = {id}");
        let rolled = format!("SELECT COUNT(*) FROM probe_minutes WHERE project_id = {id}");
        let (raw_before, rolled_before) = (app.count(&raw).await, app.count(&rolled).await);
        assert_eq!(raw_before, 20);
        let issued_at = apm_portal::domain::kst::from_millis(
            app.count(&format!(
                "SELECT MAX(issued_at) FROM sla_statements WHERE project_id = {id}"
            ))
            .await,
        )
        .unwrap();
        let dispute = Duration::days(i64::from(app.state.settings.sla_dispute_days));
        // Still within the dispute period: everything behind the statement stays.
        let kept = sla::purge_raw_results(&app.state, issued_at + dispute - Duration::seconds(1))
            .await
            .unwrap();
        assert_eq!((kept, app.count(&raw).await), (0, raw_before));
        // Once it has passed, the raw results go; the roll-up and the statement stay.
        let gone = sla::purge_raw_results(&app.state, issued_at + dispute)
            .await
            .unwrap();
        assert_eq!((gone, app.count(&raw).await), (20, 0));
        assert_eq!(app.count(&rolled).await, rolled_before);
        let statement = sla::detail(&app.state.db, id, "keep", "keepprj", m, None, false)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(statement.outage_minutes, 10);
    }
);

both_backends!(
    staff_make_their_own_admin_api_token_on_their_account_page,
    |app: TestApp| async move {
        use common::requests::{PASSWORD, STAFF_PASSWORD};
        let ops = app.as_staff(StaffRole::Operations).await;
        let html = app.page_html(&ops, "/admin/account").await;
        assert!(html.contains("id=\"token-form\""), "{html}");
        assert!(html.contains("/api/v1/admin/"));
        // The current password is asked for, as for customers.
        let (_, refused) = app
            .call_json(
                &ops,
                "account/tokens/create",
                &[("name", "ops tool"), ("current_password", "wrong-Pass-1!")],
            )
            .await;
        assert_eq!(
            (&refused["outcome"], &refused["wrong_password"]),
            (&json!("invalid"), &json!(true)),
            "{refused}"
        );
        let (_, made) = app
            .call_json(
                &ops,
                "account/tokens/create",
                &[("name", "ops tool"), ("current_password", STAFF_PASSWORD)],
            )
            .await;
        let secret = made["secret"].as_str().unwrap().to_string();
        let window = json!({"projects": "all", "start": "2026-10-10T12:00:00+09:00",
            "end": "2026-10-10T13:00:00+09:00", "notice": "정기 점검"});
        let publish = |token: String| {
            let url = app.url("/api/v1/admin/maintenance-windows");
            let body = window.clone();
            async move {
                send(
                    reqwest::Client::new()
                        .post(url)
                        .bearer_auth(token)
                        .json(&body),
                )
                .await
            }
        };
        let (status, w) = publish(secret.clone()).await;
        assert_eq!(status, 201, "{w}");
        // It opens nothing outside /api/v1/admin/.
        let (status, _) = send(
            reqwest::Client::new()
                .get(app.url("/api/v1/projects"))
                .bearer_auth(&secret),
        )
        .await;
        assert_eq!(status, 401);
        let (_, list) = app.call_json(&ops, "account/tokens", &[]).await;
        assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
        assert!(
            app.page_html(&ops, "/admin/account")
                .await
                .contains("ops tool")
        );
        // A customer's own token never works on the admin API.
        let c = app.new_customer("not.staff").await;
        let (_, theirs) = app
            .call_json(
                &c,
                "account/tokens/create",
                &[("name", "mine"), ("current_password", PASSWORD)],
            )
            .await;
        let (status, _) = publish(theirs["secret"].as_str().unwrap().to_string()).await;
        assert_eq!(status, 401);
        // Revoked, the staff token stops at once.
        let tid = list[0]["id"].as_i64().unwrap().to_string();
        app.call_json(&ops, "account/tokens/revoke", &[("token_id", &tid)])
            .await;
        let (status, _) = publish(secret).await;
        assert_eq!(status, 401);
    }
);
