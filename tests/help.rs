//! Help content (issue 16, SPEC R8.1, R8.4, R8.5) on both databases: visitors read only
//! published entries, in their language, with no log-in; the FAQ search finds words in the
//! question or the answer and filters by category, also as a plain GET page; scripts and
//! `javascript:` links in a body never reach a page; customers, visitors and read-only staff
//! cannot change anything; every staff change is audited, a stale or invalid edit stores
//! nothing (also without JavaScript); and a resolved ticket's FAQ draft becomes an unpublished
//! entry.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use apm_portal::model::StaffRole;
use common::TestApp;
use reqwest::Client;
use serde_json::{Value, json};

/// The editor's form for a new article.
fn article<'a>(
    kind: &'a str,
    category: &'a str,
    language: &'a str,
    title: &'a str,
    body: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("id", "0"),
        ("revision", "0"),
        ("kind", kind),
        ("category", category),
        ("language", language),
        ("title", title),
        ("body", body),
        ("position", "5"),
        ("intent", "save"),
    ]
}

async fn save(app: &TestApp, c: &Client, form: &[(&str, &str)]) -> (u16, Value) {
    app.call_json(c, "admin/help/save", form).await
}

/// Creates an article that must be created; answers its id.
async fn created(app: &TestApp, c: &Client, form: &[(&str, &str)]) -> i64 {
    let (status, out) = save(app, c, form).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["Saved"]["created"], true, "{out}");
    out["Saved"]["id"].as_i64().unwrap()
}

async fn publish(app: &TestApp, c: &Client, id: i64, on: bool) -> Value {
    let (status, out) = app
        .call_json(
            c,
            "admin/help/publish",
            &[
                ("id", &id.to_string()),
                ("publish", if on { "1" } else { "0" }),
            ],
        )
        .await;
    assert_eq!(status, 200, "{out}");
    out
}

/// A published FAQ entry in Korean; answers its id.
async fn published_faq(
    app: &TestApp,
    c: &Client,
    category: &str,
    question: &str,
    answer: &str,
) -> i64 {
    let id = created(app, c, &article("faq", category, "ko", question, answer)).await;
    assert_eq!(
        publish(app, c, id, true).await,
        json!({"Published": {"id": id}})
    );
    id
}

async fn faq(app: &TestApp, c: &Client, q: &str, category: &str) -> Value {
    let (status, r) = app
        .call_json(c, "help/faq", &[("q", q), ("category", category)])
        .await;
    assert_eq!(status, 200, "{r}");
    r
}

/// The questions of a FAQ answer, category by category: `[(category, [question, ...])]`.
fn questions(r: &Value) -> Vec<(String, Vec<String>)> {
    r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["category"].as_str().unwrap().to_string(),
                g["entries"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["title"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

fn all_questions(r: &Value) -> Vec<String> {
    questions(r).into_iter().flat_map(|(_, q)| q).collect()
}

/// A visitor reading the portal in English (the language link sets the cookie).
async fn english_visitor(app: &TestApp) -> Client {
    let c = app.new_client();
    c.get(app.url("/locale/en?next=/help"))
        .send()
        .await
        .unwrap();
    c
}

async fn audit_actions(app: &TestApp, id: i64) -> Vec<String> {
    sqlx::query_scalar::<_, String>(
        "SELECT action FROM audit_log WHERE target_kind = 'help_article' AND target_id = $1 \
         ORDER BY id",
    )
    .bind(id)
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap()
}

both_backends!(
    visitors_read_what_is_published_in_their_language_and_nothing_else,
    |app: TestApp| async move {
        let visitor = app.new_client();
        // The content the portal ships with is there, without a log-in.
        for (path, text) in [
            ("/help", "사용자 매뉴얼"),
            ("/help/manual", "가입과 로그인"),
            ("/help/manual", "청구서와 납부"),
            ("/help/faq", "비밀번호는 어떤 규칙으로 만들어야 하나요?"),
            ("/help/sla", "월간 가용성 99.9% 이상"),
            ("/help/notices", "원격 지원과 방문 교육 신청 안내"),
            ("/help/compensation", "SLA 보상 기준"),
        ] {
            let res = visitor.get(app.url(path)).send().await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            let html = res.text().await.unwrap();
            assert!(html.contains(text), "{path} shows {text}");
        }
        // The index links what R8.1 lists, the footer links the index from every page.
        let index = app.page_html(&visitor, "/help").await;
        for href in [
            "/help/manual",
            "/help/faq",
            "/help/sla",
            "/help/compensation",
            "/help/notices",
            "/incidents",
            "/terms",
            "/privacy",
        ] {
            assert!(index.contains(&format!("href=\"{href}\"")), "{href}");
        }
        assert!(
            app.page_html(&visitor, "/login")
                .await
                .contains("href=\"/help\"")
        );
        // The SLA guide sends readers to the compensation page for the rates.
        assert!(
            app.page_html(&visitor, "/help/sla")
                .await
                .contains("href=\"/help/compensation\"")
        );

        let support = app.as_staff(StaffRole::Support).await;
        let draft = created(
            &app,
            &support,
            &article(
                "faq",
                "projects",
                "ko",
                "초안질문보라색",
                "아직 공개되지 않은 답변",
            ),
        )
        .await;
        let manual = created(
            &app,
            &support,
            &article(
                "manual",
                "",
                "ko",
                "초안매뉴얼주황색",
                "아직 공개되지 않은 매뉴얼",
            ),
        )
        .await;
        assert!(
            !all_questions(&faq(&app, &visitor, "", "").await)
                .contains(&"초안질문보라색".to_string())
        );
        assert!(
            !app.page_html(&visitor, "/help/faq")
                .await
                .contains("초안질문보라색")
        );
        assert!(
            !app.page_html(&visitor, "/help/manual")
                .await
                .contains("초안매뉴얼주황색")
        );
        let (_, articles) = app
            .call_json(&visitor, "help/articles", &[("kind", "manual")])
            .await;
        assert!(!articles.to_string().contains("초안매뉴얼주황색"));

        // Published, they are there at once; withdrawn, gone again.
        publish(&app, &support, draft, true).await;
        publish(&app, &support, manual, true).await;
        assert!(
            all_questions(&faq(&app, &visitor, "", "").await)
                .contains(&"초안질문보라색".to_string())
        );
        assert!(
            app.page_html(&visitor, "/help/faq")
                .await
                .contains("초안질문보라색")
        );
        assert!(
            app.page_html(&visitor, "/help/manual")
                .await
                .contains("초안매뉴얼주황색")
        );
        assert_eq!(
            publish(&app, &support, draft, false).await,
            json!({"Unpublished": {"id": draft}})
        );
        assert!(
            !app.page_html(&visitor, "/help/faq")
                .await
                .contains("초안질문보라색")
        );

        // An English reader reads the English rows, not the Korean ones.
        let en = english_visitor(&app).await;
        let html = app.page_html(&en, "/help/manual").await;
        assert!(html.contains("Signing up and logging in"));
        assert!(!html.contains("초안매뉴얼주황색"));
        assert!(!html.contains("가입과 로그인"));
        let r = faq(&app, &en, "", "").await;
        assert!(all_questions(&r).contains(&"What are the rules for a password?".to_string()));
        assert!(!all_questions(&r).iter().any(|q| q.contains("비밀번호")));
        // The FAQ is not an article page of its own kind.
        let (status, _) = app
            .call_json(&visitor, "help/articles", &[("kind", "faq")])
            .await;
        assert_eq!(status, 404);
    }
);

both_backends!(
    the_faq_search_finds_words_in_questions_and_answers_and_filters_by_category,
    |app: TestApp| async move {
        let admin = app.as_staff(StaffRole::Admin).await;
        published_faq(
            &app,
            &admin,
            "billing",
            "환불코끼리 신청은 어떻게 하나요?",
            "청구서 화면에서 신청합니다.",
        )
        .await;
        published_faq(
            &app,
            &admin,
            "support",
            "원격 접속은 안전한가요?",
            "모든 세션은 **Zebra-암호** 방식으로 보호됩니다.",
        )
        .await;
        let visitor = app.new_client();

        // A word of the question (Korean particles attached), a word of the answer (any case).
        assert_eq!(
            questions(&faq(&app, &visitor, "환불코끼리", "").await),
            [(
                "billing".to_string(),
                vec!["환불코끼리 신청은 어떻게 하나요?".to_string()]
            )]
        );
        assert_eq!(
            questions(&faq(&app, &visitor, "zebra", "").await),
            [(
                "support".to_string(),
                vec!["원격 접속은 안전한가요?".to_string()]
            )]
        );
        // Every word must match; a word nobody wrote finds nothing.
        assert!(questions(&faq(&app, &visitor, "환불코끼리 zebra", "").await).is_empty());
        assert!(questions(&faq(&app, &visitor, "없는단어하마", "").await).is_empty());

        // By category: only that group, shipped entries included, in the fixed order.
        let billing = questions(&faq(&app, &visitor, "", "billing").await);
        assert_eq!(billing.len(), 1);
        assert_eq!(billing[0].0, "billing");
        assert!(
            billing[0]
                .1
                .contains(&"환불코끼리 신청은 어떻게 하나요?".to_string())
        );
        assert!(
            billing[0]
                .1
                .contains(&"청구서는 언제 나오고 언제까지 내야 하나요?".to_string())
        );
        assert!(questions(&faq(&app, &visitor, "zebra", "billing").await).is_empty());
        let all: Vec<String> = questions(&faq(&app, &visitor, "", "").await)
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        assert_eq!(all, ["account", "projects", "billing", "sla", "support"]);
        let r = faq(&app, &visitor, "", "gossip").await;
        assert_eq!(r["category"], "", "an unknown category shows them all");
        assert_eq!(questions(&r).len(), 5);

        // The plain GET page says the same, so it works without JavaScript.
        let html = app
            .page_html(
                &visitor,
                "/help/faq?q=%ED%99%98%EB%B6%88%EC%BD%94%EB%81%BC%EB%A6%AC",
            )
            .await;
        assert!(html.contains("환불코끼리 신청은 어떻게 하나요?"));
        assert!(!html.contains("원격 접속은 안전한가요?"));
        assert!(
            html.contains("value=\"환불코끼리\""),
            "the query stays in its field"
        );
        let html = app.page_html(&visitor, "/help/faq?category=support").await;
        assert!(html.contains("원격 접속은 안전한가요?"));
        assert!(!html.contains("환불코끼리 신청은"));
    }
);

both_backends!(
    scripts_and_javascript_links_in_a_body_never_reach_the_page,
    |app: TestApp| async move {
        let support = app.as_staff(StaffRole::Support).await;
        let body = "설치 안내입니다.\n\n<script>alert('xss')</script>\n\n\
                    [눌러 보세요](javascript:alert(1)) 그리고 [대시보드](/dashboard)\n\n\
                    <img src=x onerror=alert(2)>";
        let id = created(
            &app,
            &support,
            &article("manual", "", "ko", "위험한 본문 검사", body),
        )
        .await;
        publish(&app, &support, id, true).await;
        let visitor = app.new_client();
        let html = app.page_html(&visitor, "/help/manual").await;
        assert!(html.contains("위험한 본문 검사"));
        assert!(html.contains("설치 안내입니다."));
        assert!(!html.contains("<script>alert"), "no script tag");
        assert!(
            !html.to_lowercase().contains("javascript:"),
            "no javascript: URL"
        );
        // Raw HTML is shown as the text typed (escaped), never as a tag with its handler.
        assert!(
            !html.contains("<img"),
            "no image tag, so no onerror handler"
        );
        assert!(html.contains("&lt;script&gt;"), "the script shown as text");
        assert!(html.contains("href=\"/dashboard\""), "ordinary links stay");
        // The editor's preview is made the same way.
        let mut form = article("manual", "", "ko", "미리보기", body);
        form.retain(|(k, _)| *k != "intent");
        form.push(("intent", "preview"));
        let (_, out) = save(&app, &support, &form).await;
        let preview = out["Preview"]["html"].as_str().unwrap();
        assert!(!preview.contains("<script") && !preview.to_lowercase().contains("javascript:"));
        assert!(
            preview.contains("&lt;script&gt;"),
            "shown as the text typed: {preview}"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM help_articles WHERE title = '미리보기'")
                .await,
            0,
            "a preview stores nothing"
        );
    }
);

both_backends!(
    customers_visitors_and_read_only_staff_change_nothing,
    |app: TestApp| async move {
        let support = app.as_staff(StaffRole::Support).await;
        let id = published_faq(
            &app,
            &support,
            "account",
            "바뀌면 안 되는 질문",
            "원래 답변",
        )
        .await;
        let ids = id.to_string();
        let articles = app.count("SELECT COUNT(*) FROM help_articles").await;
        let audits = app.count("SELECT COUNT(*) FROM audit_log").await;
        let edit: Vec<(&str, &str)> = vec![
            ("id", &ids),
            ("revision", "1"),
            ("kind", "faq"),
            ("category", "account"),
            ("language", "ko"),
            ("title", "고객이 바꾼 질문"),
            ("body", "고객이 바꾼 답변"),
            ("position", "0"),
            ("intent", "save"),
        ];
        let customer = app.new_customer("help-customer").await;
        let visitor = app.new_client();
        for c in [&customer, &visitor] {
            // Customers and visitors do not learn the staff area exists.
            assert_eq!(save(&app, c, &edit).await.0, 404);
            assert_eq!(
                save(
                    &app,
                    c,
                    &article("faq", "account", "ko", "새 질문", "새 답변")
                )
                .await
                .0,
                404
            );
            let (status, _) = app
                .call_json(c, "admin/help/publish", &[("id", &ids), ("publish", "0")])
                .await;
            assert_eq!(status, 404);
            assert_eq!(app.call_json(c, "admin/help", &[]).await.0, 404);
            // Without JavaScript neither (the counts below say so).
            app.post_without_js(c, "admin/help/save", &format!("/admin/help/{id}"), &edit)
                .await;
        }
        for role in [StaffRole::Billing, StaffRole::Operations] {
            let c = app.as_staff(role).await;
            assert_eq!(
                save(&app, &c, &edit).await.1,
                json!("NotAllowed"),
                "{role:?}"
            );
            assert_eq!(publish(&app, &c, id, false).await, json!("NotAllowed"));
            // They read the list and the editor, which says they may not edit.
            let (_, list) = app.call_json(&c, "admin/help", &[]).await;
            assert_eq!(list["may_edit"], false);
            let (_, a) = app
                .call_json(&c, "admin/help/article", &[("id", &ids)])
                .await;
            assert_eq!(a["may_edit"], false);
            assert_eq!(a["form"]["title"], "바뀌면 안 되는 질문");
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM help_articles").await,
            articles
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log").await,
            audits,
            "nothing audited"
        );
        let r = faq(&app, &visitor, "", "account").await;
        assert!(all_questions(&r).contains(&"바뀌면 안 되는 질문".to_string()));
        assert!(!r.to_string().contains("고객이 바꾼"));
    }
);

both_backends!(
    staff_edits_are_audited_and_stale_or_invalid_ones_store_nothing,
    |app: TestApp| async move {
        let support = app.as_staff(StaffRole::Support).await;
        let id = created(
            &app,
            &support,
            &article("notice", "", "ko", "점검 안내", "12월 점검이 있습니다."),
        )
        .await;
        let ids = id.to_string();
        let edit = |revision: &'static str, title: &'static str| {
            vec![
                ("id", ids.clone()),
                ("revision", revision.to_string()),
                ("kind", "notice".to_string()),
                ("category", String::new()),
                ("language", "ko".to_string()),
                ("title", title.to_string()),
                ("body", "12월 20일 02:00-04:00 점검이 있습니다.".to_string()),
                ("position", "5".to_string()),
                ("intent", "save".to_string()),
            ]
        };
        let (_, out) = save(&app, &support, &pairs(&edit("1", "12월 정기 점검 안내"))).await;
        assert_eq!(out, json!({"Saved": {"id": id, "created": false}}));
        publish(&app, &support, id, true).await;
        assert_eq!(
            publish(&app, &support, id, true).await,
            json!({"Unchanged": {"id": id}}),
            "publishing twice changes nothing"
        );
        publish(&app, &support, id, false).await;
        assert_eq!(
            audit_actions(&app, id).await,
            [
                "help.created",
                "help.edited",
                "help.published",
                "help.unpublished"
            ]
        );
        let detail: String = sqlx::query_scalar(
            "SELECT detail FROM audit_log WHERE target_id = $1 AND action = 'help.edited'",
        )
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
        let detail: Value = serde_json::from_str(&detail).unwrap();
        assert_eq!(detail["changed"], json!(["title", "body"]));
        assert_eq!(detail["revision"], 2);
        let actor: String = sqlx::query_scalar(
            "SELECT actor_role FROM audit_log WHERE target_id = $1 AND action = 'help.edited'",
        )
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
        assert_eq!(actor, "support");

        // A save from an editor opened before that edit (revision 1) is refused.
        let (_, out) = save(&app, &support, &pairs(&edit("1", "덮어쓰면 안 되는 제목"))).await;
        assert_eq!(out["Changed"]["id"], id, "{out}");
        assert_eq!(out["Changed"]["kept"]["title"], "덮어쓰면 안 되는 제목");
        // Invalid input: every problem beside its field, the values kept, nothing stored.
        let mut bad = edit("2", " ");
        bad[2].1 = "faq".into();
        bad[6].1 = "x".repeat(20_001);
        bad[7].1 = "-3".into();
        let (_, out) = save(&app, &support, &pairs(&bad)).await;
        let problems: Vec<(String, String)> = out["Invalid"]["problems"]
            .as_array()
            .unwrap_or_else(|| panic!("{out}"))
            .iter()
            .map(|p| {
                (
                    p["field"].as_str().unwrap().into(),
                    p["code"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert_eq!(
            problems,
            [
                ("category".to_string(), "category_unknown".to_string()),
                ("title".into(), "title_missing".into()),
                ("body".into(), "body_too_long".into()),
                ("position".into(), "position_invalid".into()),
            ]
        );
        assert_eq!(out["Invalid"]["kept"]["position"], "-3");
        let (title, revision): (String, i64) =
            sqlx::query_as("SELECT title, revision FROM help_articles WHERE id = $1")
                .bind(id)
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap();
        assert_eq!((title.as_str(), revision), ("12월 정기 점검 안내", 2));
        assert_eq!(
            audit_actions(&app, id).await.len(),
            4,
            "refused saves are not audited"
        );

        // Without JavaScript: a refused form comes back with its message and what was typed,
        // and a new article opens at its own address.
        let form = article("faq", "billing", "ko", "", "자바스크립트 없이 쓴 답변");
        let res = app
            .post_without_js(&support, "admin/help/save", "/admin/help/new", &form)
            .await;
        assert!(res.status().is_redirection(), "{}", res.status());
        let html = app.page_html(&support, "/admin/help/new").await;
        assert!(
            html.contains("제목(질문)을 입력하세요."),
            "the message beside the field"
        );
        assert!(
            html.contains("자바스크립트 없이 쓴 답변"),
            "the typed answer is kept"
        );
        let res = app
            .post_without_js(
                &support,
                "admin/help/save",
                "/admin/help/new",
                &article("faq", "billing", "ko", "자바스크립트 없이 쓴 질문", "답변"),
            )
            .await;
        assert_eq!(res.status(), 302);
        let new_id: i64 = app
            .count("SELECT MAX(id) FROM help_articles WHERE title = '자바스크립트 없이 쓴 질문'")
            .await;
        assert_eq!(
            res.headers()["location"],
            format!("/admin/help/{new_id}").as_str()
        );
        let html = app
            .page_html(&support, &format!("/admin/help/{new_id}"))
            .await;
        assert!(html.contains("저장했습니다."));
        assert!(html.contains("value=\"자바스크립트 없이 쓴 질문\""));
    }
);

const BOUNDARY: &str = "----apmhelpboundary42";

fn multipart(fields: &[(&str, &str)]) -> Vec<u8> {
    let mut b = Vec::new();
    for (k, v) in fields {
        b.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

/// A plain (no-JavaScript) multipart form post, as the support forms are sent.
async fn post_multipart(
    app: &TestApp,
    c: &Client,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    c.post(app.url(path))
        .header("accept", "text/html")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(fields))
        .send()
        .await
        .unwrap()
}

both_backends!(
    a_resolved_tickets_faq_draft_becomes_an_unpublished_entry,
    |app: TestApp| async move {
        let customer = app.new_customer("help-asker").await;
        let res = post_multipart(
            &app,
            &customer,
            "/support/tickets",
            &[
                ("kind", "incident"),
                ("severity", "major"),
                ("project_id", ""),
                ("subject", "대시보드가 비어 있어요"),
                ("body", "오늘 10시부터 그래프가 보이지 않습니다."),
            ],
        )
        .await;
        assert_eq!(res.status(), 303);
        let ticket: i64 = app.count("SELECT MAX(id) FROM tickets").await;
        let support = app.as_staff(StaffRole::Support).await;
        let res = post_multipart(
            &app,
            &support,
            &format!("/admin/support/{ticket}/message"),
            &[
                ("purpose", "reply"),
                ("body", "수집기를 다시 시작하면 해결됩니다."),
            ],
        )
        .await;
        assert_eq!(res.status(), 303);
        let res = support
            .post(app.url(&format!("/admin/support/{ticket}/status")))
            .header("accept", "text/html")
            .form(&[("status", "resolved")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let (_, staff_view) = app
            .call_json(
                &support,
                "admin/support/ticket",
                &[("id", &ticket.to_string())],
            )
            .await;
        let draft = staff_view["faq_draft"].as_str().unwrap().to_string();
        assert!(draft.contains("수집기를 다시 시작하면"), "{draft}");
        let tid = ticket.to_string();

        // Read-only staff cannot make one; a missing field is named; nothing stored so far.
        let billing = app.as_staff(StaffRole::Billing).await;
        let form = |question: &'static str, category: &'static str| {
            vec![
                ("ticket_id", tid.clone()),
                ("category", category.to_string()),
                ("language", "ko".to_string()),
                ("question", question.to_string()),
                ("answer", draft.clone()),
            ]
        };
        let (_, out) = app
            .call_json(
                &billing,
                "admin/support/faq-draft",
                &pairs(&form("", "support")),
            )
            .await;
        assert_eq!(out, json!("NotAllowed"));
        let (_, out) = app
            .call_json(
                &support,
                "admin/support/faq-draft",
                &pairs(&form("", "weather")),
            )
            .await;
        assert_eq!(out["Invalid"]["problems"][0]["field"], "category", "{out}");
        let before = app.count("SELECT COUNT(*) FROM help_articles").await;

        // The question defaults to the ticket's subject; the entry is a draft from the ticket.
        let (status, out) = app
            .call_json(
                &support,
                "admin/support/faq-draft",
                &pairs(&form("", "projects")),
            )
            .await;
        assert_eq!(status, 200, "{out}");
        let id = out["Drafted"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{out}"));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM help_articles").await,
            before + 1
        );
        let (_, a) = app
            .call_json(&support, "admin/help/article", &[("id", &id.to_string())])
            .await;
        assert_eq!(a["published"], false);
        assert_eq!(a["source_ticket"], ticket);
        assert_eq!(a["form"]["kind"], "faq");
        assert_eq!(a["form"]["category"], "projects");
        assert_eq!(a["form"]["title"], "대시보드가 비어 있어요");
        assert!(
            a["form"]["body"]
                .as_str()
                .unwrap()
                .contains("수집기를 다시 시작하면")
        );
        assert_eq!(audit_actions(&app, id).await, ["help.faq_drafted"]);
        // Visitors do not see it until staff publish it.
        let visitor = app.new_client();
        assert!(
            !all_questions(&faq(&app, &visitor, "", "").await)
                .contains(&"대시보드가 비어 있어요".to_string())
        );
        publish(&app, &support, id, true).await;
        assert!(
            all_questions(&faq(&app, &visitor, "대시보드", "projects").await)
                .contains(&"대시보드가 비어 있어요".to_string())
        );
        // The staff list shows where it came from.
        let (_, list) = app.call_json(&support, "admin/help", &[]).await;
        let row = list["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone();
        assert_eq!(row["source_ticket"], ticket);
    }
);

fn pairs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}
