//! Support tickets on both databases: the life cycle with the incident clocks, internal notes
//! hidden from the customer, attachments only for those allowed, upload limits, read-only roles,
//! and the ticket e-mails (through a real SMTP server when one is configured).
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use apm_portal::model::StaffRole;
use apm_portal::server::mail::Mailer;
use apm_portal::server::mail::worker::{self, Policy};
use common::TestApp;
use common::maildev::{MailDev, Received};
use rand::RngCore;
use reqwest::Client;
use serde_json::Value;

const BOUNDARY: &str = "----apmtestboundary7d1";

/// A multipart body as a browser sends it: text fields, then files.
fn multipart(fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = Vec::new();
    for (k, v) in fields {
        b.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (name, bytes) in files {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        b.extend_from_slice(bytes);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

async fn post_form(app: &TestApp, c: &Client, path: &str, body: Vec<u8>) -> reqwest::Response {
    c.post(app.url(path))
        .header("accept", "text/html")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn post_plain(
    app: &TestApp,
    c: &Client,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    c.post(app.url(path))
        .header("accept", "text/html")
        .form(form)
        .send()
        .await
        .unwrap()
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\nfake-image-bytes";

/// Files an incident with one attachment; answers the ticket id.
async fn file_incident(app: &TestApp, c: &Client, subject: &str) -> i64 {
    let body = multipart(
        &[
            ("kind", "incident"),
            ("severity", "critical"),
            ("project_id", ""),
            ("subject", subject),
            ("body", "Dashboards are **empty** since 10:00."),
        ],
        &[("screen.png", PNG)],
    );
    let res = post_form(app, c, "/support/tickets", body).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let loc = location(&res);
    assert!(loc.starts_with("/support/tickets/"), "{loc}");
    loc.trim_start_matches("/support/tickets/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn customer_view(app: &TestApp, c: &Client, id: i64) -> (u16, Value) {
    app.call_json(c, "support/ticket", &[("id", &id.to_string())])
        .await
}

async fn staff_view(app: &TestApp, c: &Client, id: i64) -> Value {
    let (s, v) = app
        .call_json(c, "admin/support/ticket", &[("id", &id.to_string())])
        .await;
    assert_eq!(s, 200, "{v}");
    v
}

fn clock<'a>(detail: &'a Value, kind: &str) -> &'a Value {
    detail["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c[0] == kind)
        .map(|c| &c[1])
        .unwrap_or_else(|| panic!("no clock {kind} in {detail}"))
}

both_backends!(
    an_incident_moves_through_its_clocks,
    |app: TestApp| async move {
        let customer = app.new_customer("clockcust").await;
        let agent = app.as_staff(StaffRole::Support).await;
        let id = file_incident(&app, &customer, "수집 중단").await;

        let (s, d) = customer_view(&app, &customer, id).await;
        assert_eq!(s, 200, "{d}");
        assert_eq!(d["summary"]["status"], "New");
        for k in [
            "StartOfWork",
            "FirstProgress",
            "Resolution",
            "WrittenReport",
        ] {
            assert!(
                clock(&d, k).get("Running").is_some() || clock(&d, k).get("Breached").is_some(),
                "{d}"
            );
        }
        assert!(d["summary"]["next_promise"].is_array(), "{d}");
        assert_eq!(
            d["messages"][0]["attachments"][0]["file_name"],
            "screen.png"
        );
        assert!(
            d["messages"][0]["html"]
                .as_str()
                .unwrap()
                .contains("<strong>empty</strong>")
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM ticket_notifications WHERE kind = 'new_ticket'")
                .await,
            1
        );

        // The first staff reply stops the start-of-work clock and starts work.
        let res = post_form(
            &app,
            &agent,
            &format!("/admin/support/{id}/message"),
            multipart(&[("purpose", "reply"), ("body", "Looking into it.")], &[]),
        )
        .await;
        assert_eq!(res.status(), 303);
        let d = staff_view(&app, &agent, id).await;
        assert_eq!(d["detail"]["summary"]["status"], "InProgress");
        assert!(
            clock(&d["detail"], "StartOfWork").get("Met").is_some(),
            "{d}"
        );
        assert!(clock(&d["detail"], "FirstProgress").get("Met").is_none());

        // Waiting for the customer pauses the running clocks; their reply resumes them.
        let res = post_plain(
            &app,
            &agent,
            &format!("/admin/support/{id}/status"),
            &[("status", "waiting_for_customer")],
        )
        .await;
        assert_eq!(res.status(), 303);
        let (_, d) = customer_view(&app, &customer, id).await;
        assert!(clock(&d, "Resolution").get("Paused").is_some(), "{d}");
        assert!(d["summary"]["next_promise"].is_null(), "{d}");
        let res = post_form(
            &app,
            &customer,
            &format!("/support/tickets/{id}/reply"),
            multipart(
                &[("body", "Here is the log.")],
                &[("agent.log", b"ERROR 1\n")],
            ),
        )
        .await;
        assert_eq!(res.status(), 303);
        let (_, d) = customer_view(&app, &customer, id).await;
        assert_eq!(d["summary"]["status"], "InProgress");
        assert!(clock(&d, "Resolution").get("Paused").is_none(), "{d}");

        // Progress, resolution and the written report stop the other three.
        post_form(
            &app,
            &agent,
            &format!("/admin/support/{id}/message"),
            multipart(
                &[("purpose", "progress"), ("body", "Collector restarted.")],
                &[],
            ),
        )
        .await;
        post_plain(
            &app,
            &agent,
            &format!("/admin/support/{id}/status"),
            &[("status", "resolved")],
        )
        .await;
        post_form(
            &app,
            &agent,
            &format!("/admin/support/{id}/message"),
            multipart(
                &[("purpose", "report"), ("body", "Root cause: disk full.")],
                &[("report.pdf", b"%PDF-1.7 report")],
            ),
        )
        .await;
        let d = staff_view(&app, &agent, id).await;
        for k in [
            "StartOfWork",
            "FirstProgress",
            "Resolution",
            "WrittenReport",
        ] {
            assert!(clock(&d["detail"], k).get("Met").is_some(), "{k}: {d}");
        }
        assert!(
            d["faq_draft"].as_str().unwrap().contains("Root cause"),
            "{d}"
        );

        // The customer rates and may reopen within the window.
        let res = post_plain(
            &app,
            &customer,
            &format!("/support/tickets/{id}/action"),
            &[("action", "rate"), ("rating", "5")],
        )
        .await;
        assert_eq!(res.status(), 303);
        let (_, d) = customer_view(&app, &customer, id).await;
        assert_eq!(d["rating"], 5);
        assert_eq!(d["may_reopen"], true);
        post_plain(
            &app,
            &customer,
            &format!("/support/tickets/{id}/action"),
            &[("action", "reopen")],
        )
        .await;
        let (_, d) = customer_view(&app, &customer, id).await;
        assert_eq!(d["summary"]["status"], "InProgress");

        // Staff changes are audited; the customer was notified of replies and status changes.
        assert!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'ticket.status_changed'")
                .await
                >= 2
        );
        assert!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'ticket.replied'")
                .await
                >= 3
        );
        assert!(
            app.count("SELECT COUNT(*) FROM ticket_notifications WHERE kind = 'reply'")
                .await
                >= 3
        );
    }
);

both_backends!(
    internal_notes_never_reach_the_customer,
    |app: TestApp| async move {
        let customer = app.new_customer("notecust").await;
        let agent = app.as_staff(StaffRole::Support).await;
        let id = file_incident(&app, &customer, "느린 응답").await;
        let secret = "SECRET-NOTE-customer-is-difficult";
        let res = post_form(
            &app,
            &agent,
            &format!("/admin/support/{id}/message"),
            multipart(
                &[("purpose", "internal_note"), ("body", secret)],
                &[("note.txt", b"internal file")],
            ),
        )
        .await;
        assert_eq!(res.status(), 303);
        // Staff see it.
        let d = staff_view(&app, &agent, id).await;
        assert!(d.to_string().contains(secret));
        // The customer sees it nowhere: server function, page, notifications.
        let (_, d) = customer_view(&app, &customer, id).await;
        assert!(!d.to_string().contains(secret), "{d}");
        assert_eq!(d["messages"].as_array().unwrap().len(), 1);
        let html = app
            .page_html(&customer, &format!("/support/tickets/{id}"))
            .await;
        assert!(!html.contains(secret));
        assert!(!html.contains("note.txt"));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM ticket_notifications WHERE kind = 'reply'")
                .await,
            0
        );
        // An internal note is not a reply: the start-of-work clock still runs.
        assert!(clock(&d, "StartOfWork").get("Met").is_none(), "{d}");
        // Nor can the customer download the note's file.
        let att: i64 = app.count("SELECT MAX(id) FROM ticket_attachments").await;
        let res = customer
            .get(app.url(&format!("/support/attachments/{att}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
    }
);

both_backends!(
    another_customers_ticket_and_attachment_are_not_found,
    |app: TestApp| async move {
        let owner = app.new_customer("owner1").await;
        let other = app.new_customer("other1").await;
        let id = file_incident(&app, &owner, "내 티켓").await;
        let att = app.count("SELECT MIN(id) FROM ticket_attachments").await;

        let res = owner
            .get(app.url(&format!("/support/attachments/{att}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        assert!(
            res.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment;")
        );
        assert_eq!(res.bytes().await.unwrap().as_ref(), PNG);

        let res = other
            .get(app.url(&format!("/support/attachments/{att}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        let res = app
            .new_client()
            .get(app.url(&format!("/support/attachments/{att}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        let (s, _) = customer_view(&app, &other, id).await;
        assert_eq!(s, 404);
        let res = post_form(
            &app,
            &other,
            &format!("/support/tickets/{id}/reply"),
            multipart(&[("body", "hi")], &[]),
        )
        .await;
        assert_eq!(res.status(), 404);
        let res = post_plain(
            &app,
            &other,
            &format!("/support/tickets/{id}/action"),
            &[("action", "close")],
        )
        .await;
        assert_eq!(res.status(), 404);
        assert_eq!(app.count("SELECT COUNT(*) FROM ticket_messages").await, 1);
    }
);

both_backends!(refused_uploads_store_nothing, |app: TestApp| async move {
    let c = app.new_customer("uploader").await;
    let fields = [("kind", "inquiry"), ("subject", "질문"), ("body", "내용")];
    for (name, bytes, code) in [
        (
            "page.html",
            b"<script>alert(1)</script>".to_vec(),
            "attachment_type_not_allowed",
        ),
        (
            "fake.png",
            b"<svg onload=alert(1)>".to_vec(),
            "attachment_content_mismatch",
        ),
        (
            "big.txt",
            vec![b'a'; 5 * 1024 * 1024 + 1],
            "attachment_too_large",
        ),
    ] {
        let res = post_form(
            &app,
            &c,
            "/support/tickets",
            multipart(&fields, &[(name, &bytes)]),
        )
        .await;
        assert_eq!(res.status(), 303);
        assert_eq!(location(&res), "/support/new");
        let html = app.page_html(&c, "/support/new").await;
        assert!(html.contains("질문"), "the typed subject is kept");
        let _ = code;
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM tickets").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM ticket_attachments").await,
        0
    );
    // A missing severity on an incident is refused too.
    let res = post_form(
        &app,
        &c,
        "/support/tickets",
        multipart(
            &[("kind", "incident"), ("subject", "x"), ("body", "y")],
            &[],
        ),
    )
    .await;
    assert_eq!(location(&res), "/support/new");
    assert_eq!(app.count("SELECT COUNT(*) FROM tickets").await, 0);
});

both_backends!(
    read_only_roles_cannot_work_tickets,
    |app: TestApp| async move {
        let customer = app.new_customer("rocust").await;
        let billing = app.as_staff(StaffRole::Billing).await;
        let id = file_incident(&app, &customer, "청구 문의").await;
        let d = staff_view(&app, &billing, id).await;
        assert_eq!(d["may_work"], false);
        let res = post_plain(
            &app,
            &billing,
            &format!("/admin/support/{id}/status"),
            &[("status", "resolved")],
        )
        .await;
        assert_eq!(res.status(), 403);
        let res = post_form(
            &app,
            &billing,
            &format!("/admin/support/{id}/message"),
            multipart(&[("purpose", "reply"), ("body", "x")], &[]),
        )
        .await;
        assert_eq!(res.status(), 403);
        assert_eq!(app.count("SELECT COUNT(*) FROM ticket_messages").await, 1);
        // Customers cannot reach the staff endpoints at all.
        let res = post_plain(
            &app,
            &customer,
            &format!("/admin/support/{id}/status"),
            &[("status", "resolved")],
        )
        .await;
        assert_eq!(res.status(), 404);
    }
);

both_backends!(
    the_holiday_calendar_is_seeded_and_edited_by_admins_only,
    |app: TestApp| async move {
        let rows =
            sqlx::query_as::<_, (String, String)>("SELECT day, name_ko FROM holidays ORDER BY day")
                .fetch_all(&app.state.db.pool)
                .await
                .unwrap();
        let expected: Vec<(String, String)> =
            apm_portal::domain::support::holidays::KOREAN_PUBLIC_HOLIDAYS_2026_2027
                .iter()
                .map(|(d, ko, _)| (d.to_string(), ko.to_string()))
                .collect();
        assert_eq!(rows, expected, "migration 0010 and the domain list agree");
        let support = app.as_staff(StaffRole::Support).await;
        let res = post_plain(
            &app,
            &support,
            "/admin/support-holidays",
            &[("day", "2027-05-01"), ("name_ko", "노동절")],
        )
        .await;
        assert_eq!(res.status(), 403);
        let admin = app.as_staff(StaffRole::Admin).await;
        let res = post_plain(
            &app,
            &admin,
            "/admin/support-holidays",
            &[
                ("day", "2027-05-01"),
                ("name_ko", "노동절"),
                ("name_en", "Labour Day"),
            ],
        )
        .await;
        assert_eq!(res.status(), 303);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM holidays WHERE day = '2027-05-01'")
                .await,
            1
        );
        let res = post_plain(
            &app,
            &admin,
            "/admin/support-holidays",
            &[("action", "remove"), ("day", "2027-05-01")],
        )
        .await;
        assert_eq!(res.status(), 303);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM holidays WHERE day = '2027-05-01'")
                .await,
            0
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE target_kind = 'holiday'")
                .await,
            2
        );
    }
);

both_backends!(
    the_tickets_api_files_lists_reads_and_replies,
    |app: TestApp| async move {
        let c = app.new_customer("apicust").await;
        let other = app.new_customer("apiother").await;
        let agent = app.as_staff(StaffRole::Support).await;
        let (s, v) = app.post_json(&c, "/api/v1/tickets", serde_json::json!({
            "kind": "incident", "subject": "API down", "description": "500s <script>x</script>"
        })).await;
        assert_eq!(s, 422, "{v}");
        assert_eq!(v["code"], "validation_failed");
        assert_eq!(v["fields"][0]["field"], "severity");
        assert_eq!(app.count("SELECT COUNT(*) FROM tickets").await, 0);

        let (s, v) = app.post_json(&c, "/api/v1/tickets", serde_json::json!({
            "kind": "incident", "severity": "major", "subject": "API down", "description": "500s <script>x</script>"
        })).await;
        assert_eq!(s, 201, "{v}");
        let id = v["ticket"]["id"].as_i64().unwrap();
        assert_eq!(v["ticket"]["status"], "new");
        assert_eq!(v["clocks"].as_array().unwrap().len(), 4);
        assert!(
            !v["messages"][0]["html"]
                .as_str()
                .unwrap()
                .contains("<script")
        );
        for n in 0..2 {
            let (s, _) = app
                .post_json(
                    &c,
                    "/api/v1/tickets",
                    serde_json::json!({
                        "kind": "inquiry", "subject": format!("q{n}"), "description": "?"
                    }),
                )
                .await;
            assert_eq!(s, 201);
        }
        let (s, v) = app.get_json(&c, "/api/v1/tickets?limit=2").await;
        assert_eq!(s, 200);
        assert_eq!(v["items"].as_array().unwrap().len(), 2);
        let cursor = v["next_cursor"].as_str().unwrap().to_string();
        let (_, v) = app
            .get_json(&c, &format!("/api/v1/tickets?limit=2&cursor={cursor}"))
            .await;
        assert_eq!(v["items"][0]["id"], id);
        assert!(v.get("next_cursor").is_none());
        let (s, _) = app.get_json(&c, "/api/v1/tickets?limit=0").await;
        assert_eq!(s, 400);

        // An internal note and a reply from staff: only the reply comes back.
        post_form(
            &app,
            &agent,
            &format!("/admin/support/{id}/message"),
            multipart(
                &[("purpose", "internal_note"), ("body", "HIDDEN-NOTE")],
                &[],
            ),
        )
        .await;
        post_form(
            &app,
            &agent,
            &format!("/admin/support/{id}/message"),
            multipart(&[("purpose", "reply"), ("body", "Fixed soon")], &[]),
        )
        .await;
        let (s, v) = app.get_json(&c, &format!("/api/v1/tickets/{id}")).await;
        assert_eq!(s, 200);
        assert!(!v.to_string().contains("HIDDEN-NOTE"), "{v}");
        assert_eq!(v["messages"].as_array().unwrap().len(), 2);
        assert_eq!(v["clocks"][0]["state"], "met");

        let (s, v) = app
            .post_json(
                &c,
                &format!("/api/v1/tickets/{id}/messages"),
                serde_json::json!({"body": "thanks"}),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(v["messages"].as_array().unwrap().len(), 3);
        let (s, _) = app
            .post_json(
                &c,
                &format!("/api/v1/tickets/{id}/messages"),
                serde_json::json!({"body": "  "}),
            )
            .await;
        assert_eq!(s, 422);

        // Another customer: 404 everywhere.
        let (s, _) = app.get_json(&other, &format!("/api/v1/tickets/{id}")).await;
        assert_eq!(s, 404);
        let (s, _) = app
            .post_json(
                &other,
                &format!("/api/v1/tickets/{id}/messages"),
                serde_json::json!({"body": "x"}),
            )
            .await;
        assert_eq!(s, 404);
        let (_, v) = app.get_json(&other, "/api/v1/tickets").await;
        assert_eq!(v["items"].as_array().unwrap().len(), 0);

        let (_, doc) = app.get_json(&c, "/api/v1/openapi.json").await;
        assert!(doc["paths"]["/api/v1/tickets/{id}/messages"]["post"].is_object());
    }
);

both_backends!(
    demo_data_has_tickets_in_several_states_and_one_breached,
    |app: TestApp| async move {
        apm_portal::server::demo::ensure_demo_data(&app.state)
            .await
            .unwrap();
        // Idempotent: a second start adds nothing.
        apm_portal::server::demo::ensure_demo_data(&app.state)
            .await
            .unwrap();
        assert_eq!(app.count("SELECT COUNT(*) FROM tickets").await, 4);
        assert_eq!(
            app.count("SELECT COUNT(DISTINCT status) FROM tickets")
                .await,
            4
        );
        let admin = app.new_client();
        app.log_in(&admin, "admin", "Admin-portal-2026!").await;
        let (s, q) = app
            .call_json(&admin, "admin/support/queue", &[("due", "breached")])
            .await;
        assert_eq!(s, 200, "{q}");
        let breached = q["tickets"].as_array().unwrap();
        assert_eq!(breached.len(), 1, "{q}");
        assert_eq!(breached[0]["breached"], true);
        let (s, t) = app.call_json(&admin, "admin/support/targets", &[]).await;
        assert_eq!(s, 200, "{t}");
    }
);

/// A login unique across the whole run: one maildev serves every test, so each test mails
/// addresses of its own.
fn unique(prefix: &str) -> String {
    let mut b = [0u8; 4];
    rand::rng().fill_bytes(&mut b);
    format!("{prefix}{}", hex::encode(b))
}

/// A customer with a unique address: its client, user id and address.
async fn mailed_customer(app: &TestApp) -> (Client, i64, String) {
    let login = unique("tcust");
    let c = app.new_customer(&login).await;
    let id = user_id(app, &login).await;
    (c, id, format!("{login}@example.com"))
}

/// A staff member with a unique address, signed in: its client, user id and address.
async fn mailed_staff(app: &TestApp, role: StaffRole) -> (Client, i64, String) {
    let login = unique("tstaff");
    let email = format!("{login}@portal.example.kr");
    let password = common::requests::STAFF_PASSWORD;
    apm_portal::server::staff::create(&app.state, &login, "지원 담당", &email, role, password)
        .await
        .unwrap();
    let c = app.new_client();
    app.log_in(&c, &login, password).await;
    let id = user_id(app, &login).await;
    (c, id, email)
}

async fn user_id(app: &TestApp, login: &str) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE login_id = $1")
        .bind(login)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

/// The kinds of the mails queued for one user, oldest first.
async fn queued_for(app: &TestApp, user: i64) -> Vec<String> {
    sqlx::query_scalar::<_, String>(
        "SELECT kind FROM mail_outbox WHERE recipient_user_id = $1 ORDER BY id",
    )
    .bind(user)
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap()
}

/// Sends what is queued through maildev, as an instance's worker does.
async fn deliver(app: &TestApp, maildev: &MailDev) {
    let mailer = Mailer::new(
        Some(&maildev.smtp_url),
        "APM Portal <no-reply@apm.example.kr>",
        "unused",
    )
    .unwrap();
    let policy = Policy {
        portal: app.state.settings.public_base_url.clone(),
        first_retry_wait: chrono::Duration::seconds(60),
        max_attempts: 3,
    };
    let run = worker::run_once(&app.state.db, &mailer, &policy, "w1", chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(run.failed + run.retried, 0, "{run:?}");
}

async fn staff_message(app: &TestApp, c: &Client, id: i64, purpose: &str, body: &str) {
    let res = post_form(
        app,
        c,
        &format!("/admin/support/{id}/message"),
        multipart(&[("purpose", purpose), ("body", body)], &[]),
    )
    .await;
    assert_eq!(res.status(), 303);
}

async fn set_status(app: &TestApp, c: &Client, id: i64, status: &str) {
    let res = post_plain(
        app,
        c,
        &format!("/admin/support/{id}/status"),
        &[("status", status)],
    )
    .await;
    assert_eq!(res.status(), 303);
}

fn subjects(got: &[Received]) -> Vec<&str> {
    got.iter().map(|m| m.subject.as_str()).collect()
}

both_backends!(
    a_new_ticket_mails_each_agent_and_a_customer_reply_its_assignee,
    |app: TestApp| async move {
        let (support, support_id, support_mail) = mailed_staff(&app, StaffRole::Support).await;
        let (_admin, admin_id, admin_mail) = mailed_staff(&app, StaffRole::Admin).await;
        let (_billing, billing_id, billing_mail) = mailed_staff(&app, StaffRole::Billing).await;
        let (customer, _, _) = mailed_customer(&app).await;
        let id = file_incident(&app, &customer, "수집 중단").await;

        // Each agent (support and admin) gets one; billing does not work tickets.
        assert_eq!(queued_for(&app, support_id).await, ["ticket_new"]);
        assert_eq!(queued_for(&app, admin_id).await, ["ticket_new"]);
        assert!(queued_for(&app, billing_id).await.is_empty());

        // The first reply assigns the ticket; the customer's answer mails that agent only.
        staff_message(&app, &support, id, "reply", "Looking into it.").await;
        let res = post_form(
            &app,
            &customer,
            &format!("/support/tickets/{id}/reply"),
            multipart(&[("body", "Here is the log:\n\nERROR 1")], &[]),
        )
        .await;
        assert_eq!(res.status(), 303);
        assert_eq!(
            queued_for(&app, support_id).await,
            ["ticket_new", "ticket_customer_reply"]
        );
        assert_eq!(queued_for(&app, admin_id).await, ["ticket_new"]);
        // Resolved, then reopened by the customer: the assignee hears of it (their clocks run
        // again); nobody else does.
        set_status(&app, &support, id, "resolved").await;
        let res = post_plain(
            &app,
            &customer,
            &format!("/support/tickets/{id}/action"),
            &[("action", "reopen")],
        )
        .await;
        assert_eq!(res.status(), 303);
        assert_eq!(
            queued_for(&app, support_id).await,
            ["ticket_new", "ticket_customer_reply", "ticket_reopened"]
        );
        assert_eq!(queued_for(&app, admin_id).await, ["ticket_new"]);

        let Some(maildev) = MailDev::from_env() else {
            return;
        };
        deliver(&app, &maildev).await;
        let got = maildev.wait_for(&support_mail, 3).await;
        assert_eq!(
            subjects(&got),
            [
                format!("[APM 지원] 새 티켓 #{id} - 수집 중단"),
                format!("[APM 지원] 티켓 #{id} 고객 답변 - 수집 중단"),
                format!("[APM 지원] 티켓 #{id} 다시 열림 - 수집 중단"),
            ],
            "{got:?}"
        );
        let staff_link = app.url(&format!("/admin/support/{id}"));
        assert!(got[0].text.contains("유형: 장애 신고"), "{}", got[0].text);
        assert!(got[0].text.contains("심각도: 긴급"), "{}", got[0].text);
        assert!(got[0].text.contains(&staff_link), "{}", got[0].text);
        assert!(
            got[1].text.contains("> Here is the log: ERROR 1"),
            "{}",
            got[1].text
        );
        assert!(got[1].text.contains(&staff_link), "{}", got[1].text);
        let got = maildev.wait_for(&admin_mail, 1).await;
        assert_eq!(
            subjects(&got),
            [format!("[APM 지원] 새 티켓 #{id} - 수집 중단")]
        );
        assert!(maildev.messages_to(&billing_mail).await.is_empty());
    }
);

both_backends!(
    a_staff_reply_mails_the_customer_in_english_with_a_link_to_the_ticket,
    |app: TestApp| async move {
        let (agent, _, _) = mailed_staff(&app, StaffRole::Support).await;
        let (customer, customer_id, address) = mailed_customer(&app).await;
        // The customer reads the portal in English, as the language link stores it.
        let res = customer
            .get(app.url("/locale/en?next=/dashboard"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let id = file_incident(&app, &customer, "Agent offline").await;
        // Filing mails staff, not the customer who filed.
        assert!(queued_for(&app, customer_id).await.is_empty());

        staff_message(&app, &agent, id, "reply", "Collector restarted at 10:42.").await;
        staff_message(&app, &agent, id, "progress", "Disk cleaned up.").await;
        assert_eq!(
            queued_for(&app, customer_id).await,
            ["ticket_staff_reply", "ticket_staff_reply"]
        );

        let Some(maildev) = MailDev::from_env() else {
            return;
        };
        deliver(&app, &maildev).await;
        let got = maildev.wait_for(&address, 2).await;
        assert_eq!(
            subjects(&got),
            [
                format!("[APM support] Ticket #{id}: new reply - Agent offline"),
                format!("[APM support] Ticket #{id}: progress report - Agent offline"),
            ],
            "{got:?}"
        );
        let link = app.url(&format!("/support/tickets/{id}"));
        assert!(
            got[0]
                .text
                .contains(&format!("Support replied to ticket #{id} 'Agent offline'.")),
            "{}",
            got[0].text
        );
        assert!(got[0].text.contains("> Collector restarted at 10:42."));
        assert!(got[0].text.contains(&link), "{}", got[0].text);
        assert!(!got[0].text.contains("/admin/"), "{}", got[0].text);
        assert!(
            got[1].text.contains("> Disk cleaned up."),
            "{}",
            got[1].text
        );
    }
);

both_backends!(
    an_internal_note_mails_the_customer_nothing,
    |app: TestApp| async move {
        let (agent, agent_id, _) = mailed_staff(&app, StaffRole::Support).await;
        let (customer, customer_id, address) = mailed_customer(&app).await;
        let id = file_incident(&app, &customer, "느린 응답").await;
        let secret = "SECRET-NOTE-do-not-mail";
        staff_message(&app, &agent, id, "internal_note", secret).await;
        assert!(queued_for(&app, customer_id).await.is_empty());
        // The note is in no queued mail at all, staff's included.
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM mail_outbox WHERE payload LIKE '%{secret}%'"
            ))
            .await,
            0
        );
        assert_eq!(queued_for(&app, agent_id).await, ["ticket_new"]);

        // The public reply after it is mailed, and quotes only itself.
        staff_message(&app, &agent, id, "reply", "We are on it.").await;
        assert_eq!(queued_for(&app, customer_id).await, ["ticket_staff_reply"]);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM mail_outbox WHERE payload LIKE '%{secret}%'"
            ))
            .await,
            0
        );

        let Some(maildev) = MailDev::from_env() else {
            return;
        };
        deliver(&app, &maildev).await;
        let got = maildev.wait_for(&address, 1).await;
        assert_eq!(
            subjects(&got),
            [format!("[APM 지원] 티켓 #{id} 답변 - 느린 응답")],
            "{got:?}"
        );
        assert!(got[0].text.contains("> We are on it."), "{}", got[0].text);
        assert!(
            got.iter()
                .all(|m| !m.text.contains(secret) && !m.subject.contains(secret))
        );
    }
);

both_backends!(
    a_status_change_mails_the_customer,
    |app: TestApp| async move {
        let (agent, _, _) = mailed_staff(&app, StaffRole::Support).await;
        let (customer, customer_id, address) = mailed_customer(&app).await;
        let id = file_incident(&app, &customer, "수집 중단").await;
        set_status(&app, &agent, id, "waiting_for_customer").await;
        set_status(&app, &agent, id, "resolved").await;
        assert_eq!(
            queued_for(&app, customer_id).await,
            ["ticket_status", "ticket_status"]
        );
        // The customer's own close tells them nothing new.
        let res = post_plain(
            &app,
            &customer,
            &format!("/support/tickets/{id}/action"),
            &[("action", "close")],
        )
        .await;
        assert_eq!(res.status(), 303);
        assert_eq!(queued_for(&app, customer_id).await.len(), 2);
        // A refused move stores nothing, so it mails nothing.
        let res = post_plain(
            &app,
            &agent,
            &format!("/admin/support/{id}/status"),
            &[("status", "in_progress")],
        )
        .await;
        assert!(location(&res).ends_with("?problem=invalid"), "{res:?}");
        assert_eq!(queued_for(&app, customer_id).await.len(), 2);

        let Some(maildev) = MailDev::from_env() else {
            return;
        };
        deliver(&app, &maildev).await;
        let got = maildev.wait_for(&address, 2).await;
        assert_eq!(
            subjects(&got),
            [
                format!("[APM 지원] 티켓 #{id} 상태 변경: 고객 답변 대기 - 수집 중단"),
                format!("[APM 지원] 티켓 #{id} 상태 변경: 해결됨 - 수집 중단"),
            ],
            "{got:?}"
        );
        let link = app.url(&format!("/support/tickets/{id}"));
        assert!(
            got[0].text.contains("'고객 답변 대기'로 바뀌었습니다."),
            "{}",
            got[0].text
        );
        assert!(
            got[1].text.contains("'해결됨'으로 바뀌었습니다."),
            "{}",
            got[1].text
        );
        assert!(got.iter().all(|m| m.text.contains(&link)), "{got:?}");
    }
);
