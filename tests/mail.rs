//! E-mail through the outbox, sent to a real SMTP server (maildev), on both databases:
//! a mail enqueued in a transaction arrives in the recipient's language with a link to the
//! portal; lifecycle notices are mailed once; two instances on one database send each mail
//! once; an SMTP server that is down is retried with back-off and the mail delivered later;
//! without SMTP the mail is written as an `.eml` file.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use apm_portal::domain::account::Email;
use apm_portal::domain::language::Language;
use apm_portal::domain::stored::UserId;
use apm_portal::server::db::Db;
use apm_portal::server::jobs;
use apm_portal::server::mail::worker::{self, Policy, WorkerRun};
use apm_portal::server::mail::{self, Content, Enqueued, Mail, Mailer, Recipient, Text, outbox};
use apm_portal::server::startup;
use chrono::{DateTime, Duration, Utc};
use common::TestApp;
use common::maildev::MailDev;
use rand::RngCore;

fn unique(prefix: &str) -> String {
    let mut b = [0u8; 4];
    rand::rng().fill_bytes(&mut b);
    format!("{prefix}{}", hex::encode(b))
}

fn policy(app: &TestApp) -> Policy {
    Policy {
        portal: app.state.settings.public_base_url.clone(),
        first_retry_wait: Duration::seconds(60),
        max_attempts: 3,
    }
}

fn smtp(maildev: &MailDev) -> Mailer {
    Mailer::new(
        Some(&maildev.smtp_url),
        "APM Portal <no-reply@apm.example.kr>",
        "unused",
    )
    .unwrap()
}

/// A signed-up customer's id and contact address (unique across the whole test run).
async fn customer(app: &TestApp) -> (i64, String) {
    let (id, address, _) = customer_with_client(app).await;
    (id, address)
}

async fn customer_with_client(app: &TestApp) -> (i64, String, reqwest::Client) {
    let login = unique("mail");
    let client = app.new_customer(&login).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE login_id = $1")
        .bind(&login)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    (id, format!("{login}@example.com"), client)
}

/// The customer picks English in the portal, as the language link does.
async fn switch_to_english(app: &TestApp, c: &reqwest::Client) {
    let res = c
        .get(app.url("/locale/en?next=/dashboard"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "the switch redirects back");
}

fn ticket_reply(key: Option<String>, to: Recipient) -> Mail {
    Mail {
        to,
        content: Content::Text {
            ko: Text {
                subject: "문의에 답변이 등록되었습니다".into(),
                body: "담당자가 답변을 남겼습니다.".into(),
            },
            en: Text {
                subject: "Your ticket has a reply".into(),
                body: "Support replied to your ticket.".into(),
            },
            link: Some("/tickets/12".into()),
        },
        dedupe_key: key,
    }
}

/// Enqueues as a use case does: inside its transaction, committed with its change.
async fn enqueue_committed(db: &Db, m: &Mail, now: DateTime<Utc>) -> Enqueued {
    let mut tx = db.pool.begin().await.unwrap();
    let out = mail::enqueue(&mut tx, m, now).await.unwrap();
    tx.commit().await.unwrap();
    out
}

async fn status(db: &Db, id: i64) -> outbox::OutboxRow {
    outbox::find(db, id).await.unwrap().unwrap()
}

both_backends!(
    an_enqueued_mail_arrives_in_the_recipients_language_with_a_portal_link,
    |app: TestApp| async move {
        let Some(maildev) = MailDev::from_env() else {
            return;
        };
        let db = &app.state.db;
        let (ko_user, ko_address) = customer(&app).await;
        let (en_user, en_address, en_client) = customer_with_client(&app).await;
        switch_to_english(&app, &en_client).await;
        let now = Utc::now();
        // A transaction that rolls back takes its mail with it.
        let mut tx = db.pool.begin().await.unwrap();
        mail::enqueue(
            &mut tx,
            &ticket_reply(None, Recipient::User(UserId(ko_user))),
            now,
        )
        .await
        .unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(app.count("SELECT COUNT(*) FROM mail_outbox").await, 0);

        let Enqueued::Queued(ko_id) = enqueue_committed(
            db,
            &ticket_reply(None, Recipient::User(UserId(ko_user))),
            now,
        )
        .await
        else {
            panic!("queued")
        };
        let Enqueued::Queued(en_id) = enqueue_committed(
            db,
            &ticket_reply(None, Recipient::User(UserId(en_user))),
            now,
        )
        .await
        else {
            panic!("queued")
        };
        let bare = unique("visitor") + "@example.org";
        enqueue_committed(
            db,
            &ticket_reply(
                None,
                Recipient::Address {
                    email: Email::parse(&bare).unwrap(),
                    language: Language::En,
                },
            ),
            now,
        )
        .await;
        let run = worker::run_once(db, &smtp(&maildev), &policy(&app), "w1", now)
            .await
            .unwrap();
        assert_eq!(
            run,
            WorkerRun {
                sent: 3,
                ..WorkerRun::default()
            }
        );

        let ko = maildev.wait_for(&ko_address, 1).await;
        assert_eq!(ko.len(), 1, "{ko:?}");
        assert_eq!(ko[0].subject, "[APM] 문의에 답변이 등록되었습니다");
        assert!(
            ko[0].text.contains("담당자가 답변을 남겼습니다."),
            "{}",
            ko[0].text
        );
        assert!(
            ko[0].text.contains(&format!("{}/tickets/12", app.base)),
            "{}",
            ko[0].text
        );
        assert_eq!(ko[0].from, "no-reply@apm.example.kr");
        let en = maildev.wait_for(&en_address, 1).await;
        assert_eq!(en[0].subject, "[APM] Your ticket has a reply");
        assert!(en[0].text.contains(&format!("{}/tickets/12", app.base)));
        assert_eq!(
            maildev.wait_for(&bare, 1).await[0].subject,
            "[APM] Your ticket has a reply"
        );

        for id in [ko_id, en_id] {
            let row = status(db, id).await;
            assert_eq!((row.status.as_str(), row.attempts), ("sent", 1));
            assert!(row.sent_at.is_some() && row.last_error.is_none());
        }
        // Nothing left: a second look sends nothing again.
        let again = worker::run_once(db, &smtp(&maildev), &policy(&app), "w1", now)
            .await
            .unwrap();
        assert_eq!(again, WorkerRun::default());
        assert_eq!(maildev.messages_to(&ko_address).await.len(), 1);
    }
);

both_backends!(
    the_same_dedupe_key_is_queued_once,
    |app: TestApp| async move {
        let db = &app.state.db;
        let (user, _) = customer(&app).await;
        let m = ticket_reply(
            Some(format!("reply:{user}:1")),
            Recipient::User(UserId(user)),
        );
        assert!(matches!(
            enqueue_committed(db, &m, Utc::now()).await,
            Enqueued::Queued(_)
        ));
        assert_eq!(
            enqueue_committed(db, &m, Utc::now()).await,
            Enqueued::AlreadyQueued
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM mail_outbox").await, 1);
        // Withdrawn before it was sent: gone.
        let mut conn = db.pool.acquire().await.unwrap();
        assert!(
            mail::cancel_pending(&mut conn, &format!("reply:{user}:1"))
                .await
                .unwrap()
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM mail_outbox").await, 0);
    }
);

both_backends!(
    a_lifecycle_notice_is_mailed_once_in_korean_with_the_project_link,
    |app: TestApp| async move {
        let Some(maildev) = MailDev::from_env() else {
            return;
        };
        let db = &app.state.db;
        let login = unique("life");
        let c = app.new_customer(&login).await;
        let address = format!("{login}@example.com");
        let project = app.create_project(&c, &unique("p"), "free").await;
        // Two days before the trial ends: the 3-day notice, in the portal and by mail.
        let notice_time = Utc::now() + Duration::days(13);
        for _ in 0..2 {
            jobs::run_lifecycle(db, notice_time).await.unwrap();
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'lifecycle_notice'")
                .await,
            1,
            "one mail however often the job runs"
        );
        let run = worker::run_once(db, &smtp(&maildev), &policy(&app), "w1", notice_time)
            .await
            .unwrap();
        assert_eq!(run.sent, 1);
        let got = maildev.wait_for(&address, 1).await;
        assert_eq!(got.len(), 1);
        assert!(
            got[0].subject.contains("데이터 삭제 3일 전 안내"),
            "{}",
            got[0].subject
        );
        assert!(
            got[0].text.contains("KST에 모니터링 데이터가 삭제됩니다"),
            "{}",
            got[0].text
        );
        assert!(
            got[0]
                .text
                .contains(&format!("{}/projects/{project}", app.base))
        );

        // The trial ends: the customer is told it happened, by mail too.
        let after = Utc::now() + Duration::days(16);
        jobs::run_lifecycle(db, after).await.unwrap();
        worker::run_once(db, &smtp(&maildev), &policy(&app), "w1", after)
            .await
            .unwrap();
        let got = maildev.wait_for(&address, 2).await;
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(
            got.iter().any(|m| m.subject.contains("데이터 삭제 안내")),
            "{got:?}"
        );
    }
);

both_backends!(
    a_withdrawn_notice_takes_its_unsent_mail_with_it,
    |app: TestApp| async move {
        let db = &app.state.db;
        let c = app.new_customer(&unique("up")).await;
        let project = app.create_project(&c, &unique("p"), "free").await;
        jobs::run_lifecycle(db, Utc::now() + Duration::days(13))
            .await
            .unwrap();
        assert_eq!(app.count("SELECT COUNT(*) FROM mail_outbox").await, 1);
        // Upgrading makes "deleted in 3 days" untrue: the notice and its mail go.
        let (status, body) = app
            .post_json(
                &c,
                &format!("/api/v1/projects/{project}/upgrade"),
                serde_json::json!({}),
            )
            .await;
        assert!(status < 300, "{status} {body}");
        assert_eq!(app.count("SELECT COUNT(*) FROM mail_outbox").await, 0);
    }
);

// Two portal instances (two pools, two workers) on one database: every mail arrives once.
both_backends!(
    two_instances_send_each_mail_once,
    |app: TestApp| async move {
        let Some(maildev) = MailDev::from_env() else {
            return;
        };
        let mut settings = (*app.state.settings).clone();
        settings.smtp_url = Some(maildev.smtp_url.clone());
        settings.mail_poll_interval = std::time::Duration::from_millis(50);
        let one = startup::prepare(settings.clone()).await.unwrap();
        let two = startup::prepare(settings.clone()).await.unwrap();
        let recipients: Vec<String> = (0..12).map(|_| unique("twice") + "@example.net").collect();
        for r in &recipients {
            enqueue_committed(
                &app.state.db,
                &ticket_reply(
                    None,
                    Recipient::Address {
                        email: Email::parse(r).unwrap(),
                        language: Language::Ko,
                    },
                ),
                Utc::now(),
            )
            .await;
        }
        let w1 = worker::spawn(one.db.clone(), one.mailer.clone(), &settings);
        let w2 = worker::spawn(two.db.clone(), two.mailer.clone(), &settings);
        // And two looks racing head-on, on top of the two running workers.
        let p = policy(&app);
        let (a, b) = tokio::join!(
            worker::run_once(&one.db, &one.mailer, &p, "race-a", Utc::now()),
            worker::run_once(&two.db, &two.mailer, &p, "race-b", Utc::now()),
        );
        a.unwrap();
        b.unwrap();
        for _ in 0..200 {
            if app
                .count("SELECT COUNT(*) FROM mail_outbox WHERE status = 'sent'")
                .await
                == 12
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM mail_outbox WHERE status = 'sent'")
                .await,
            12
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM mail_outbox WHERE attempts <> 1")
                .await,
            0
        );
        // A moment for a duplicate to show up, if one were on its way.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        for r in &recipients {
            assert_eq!(maildev.wait_for(r, 1).await.len(), 1, "{r} got exactly one");
        }
        w1.abort();
        w2.abort();
    }
);

/// A TCP forwarder standing in for "the SMTP server is back": listens where the portal's
/// SMTP URL points and passes each connection on to maildev.
async fn smtp_comes_back(
    listen: std::net::SocketAddr,
    maildev: String,
) -> tokio::task::JoinHandle<()> {
    let listener = tokio::net::TcpListener::bind(listen).await.unwrap();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            let target = maildev.clone();
            tokio::spawn(async move {
                if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    })
}

both_backends!(
    a_mail_is_retried_with_back_off_while_smtp_is_down_then_delivered,
    |app: TestApp| async move {
        let Some(maildev) = MailDev::from_env() else {
            return;
        };
        let db = &app.state.db;
        // A port nothing listens on: the SMTP server is down.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let down = Mailer::new(
            Some(&format!("smtp://{port}")),
            "APM Portal <no-reply@apm.example.kr>",
            "unused",
        )
        .unwrap();
        let (user, address) = customer(&app).await;
        let t0 = Utc::now();
        let Enqueued::Queued(id) =
            enqueue_committed(db, &ticket_reply(None, Recipient::User(UserId(user))), t0).await
        else {
            panic!("queued")
        };
        let p = policy(&app);
        let r = worker::run_once(db, &down, &p, "w1", t0).await.unwrap();
        assert_eq!(r.retried, 1);
        let row = status(db, id).await;
        assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
        assert!(
            row.last_error.as_deref().is_some_and(|e| !e.is_empty()),
            "{row:?}"
        );
        assert_eq!(
            row.next_attempt_at,
            t0.timestamp_millis() + 60_000,
            "first wait"
        );
        // Not due yet: a look before the wait is over leaves it alone.
        let early = worker::run_once(db, &down, &p, "w1", t0 + Duration::seconds(59))
            .await
            .unwrap();
        assert_eq!(early, WorkerRun::default());
        // Still down at the second attempt: the wait doubles.
        let t1 = t0 + Duration::seconds(60);
        assert_eq!(
            worker::run_once(db, &down, &p, "w1", t1)
                .await
                .unwrap()
                .retried,
            1
        );
        let row = status(db, id).await;
        assert_eq!(row.attempts, 2);
        assert_eq!(
            row.next_attempt_at,
            t1.timestamp_millis() + 120_000,
            "doubled"
        );
        // The server is back: the third attempt delivers it.
        let proxy = smtp_comes_back(port, maildev.smtp_addr()).await;
        let t2 = t1 + Duration::seconds(120);
        assert_eq!(
            worker::run_once(db, &down, &p, "w1", t2)
                .await
                .unwrap()
                .sent,
            1
        );
        let row = status(db, id).await;
        assert_eq!((row.status.as_str(), row.attempts), ("sent", 3));
        let got = maildev.wait_for(&address, 1).await;
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].subject, "[APM] 문의에 답변이 등록되었습니다");
        proxy.abort();
    }
);

both_backends!(
    a_mail_is_given_up_after_the_last_attempt,
    |app: TestApp| async move {
        let db = &app.state.db;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let down = Mailer::new(
            Some(&format!("smtp://{port}")),
            "no-reply@apm.example.kr",
            "unused",
        )
        .unwrap();
        let (user, _) = customer(&app).await;
        let t0 = Utc::now();
        let Enqueued::Queued(id) =
            enqueue_committed(db, &ticket_reply(None, Recipient::User(UserId(user))), t0).await
        else {
            panic!("queued")
        };
        let p = Policy {
            max_attempts: 2,
            ..policy(&app)
        };
        worker::run_once(db, &down, &p, "w1", t0).await.unwrap();
        let r = worker::run_once(db, &down, &p, "w1", t0 + Duration::minutes(1))
            .await
            .unwrap();
        assert_eq!(r.failed, 1);
        let row = status(db, id).await;
        assert_eq!((row.status.as_str(), row.attempts), ("failed", 2));
        assert!(row.last_error.is_some());
        // Never tried again.
        let later = worker::run_once(db, &down, &p, "w1", t0 + Duration::days(1))
            .await
            .unwrap();
        assert_eq!(later, WorkerRun::default());
    }
);

both_backends!(
    without_smtp_the_mail_is_written_as_an_eml_file,
    |app: TestApp| async move {
        let db = &app.state.db;
        let dir = std::env::temp_dir().join(unique("apm-outbox-"));
        let folder = Mailer::new(None, "APM Portal <no-reply@apm.example.kr>", &dir).unwrap();
        let (user, address, client) = customer_with_client(&app).await;
        switch_to_english(&app, &client).await;
        let now = Utc::now();
        enqueue_committed(db, &ticket_reply(None, Recipient::User(UserId(user))), now).await;
        let r = worker::run_once(db, &folder, &policy(&app), "w1", now)
            .await
            .unwrap();
        assert_eq!(r.sent, 1);
        let files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
        let eml = std::fs::read_to_string(&files[0]).unwrap();
        assert!(eml.contains(&format!("To: {address}")), "{eml}");
        assert!(
            eml.contains("Subject: [APM] Your ticket has a reply"),
            "{eml}"
        );
        assert!(eml.contains(&format!("{}/tickets/12", app.base)), "{eml}");
        assert!(
            eml.contains("Message-ID: <20"),
            "names the outbox row: {eml}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
);

both_backends!(
    an_account_keeps_the_language_it_signed_up_and_switched_in,
    |app: TestApp| async move {
        let language = |login: String| {
            let pool = app.state.db.pool.clone();
            async move {
                sqlx::query_scalar::<_, String>("SELECT locale FROM users WHERE login_id = $1")
                    .bind(login)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
            }
        };
        // A visitor reading in English signs up: their mail will be in English.
        let visitor = app.new_client();
        visitor
            .get(app.url("/locale/en?next=/signup"))
            .send()
            .await
            .unwrap();
        let login = unique("eng");
        app.sign_up(&visitor, &login, &format!("{login}@example.com"))
            .await;
        assert_eq!(language(login.clone()).await, "en");
        // Switching back while signed in is kept too.
        let res = visitor
            .get(app.url("/locale/ko?next=/dashboard"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(language(login).await, "ko");
        // Korean by default.
        let korean = unique("kor");
        app.new_customer(&korean).await;
        assert_eq!(language(korean).await, "ko");
    }
);

both_backends!(
    a_mail_whose_sender_died_mid_send_is_not_sent_again,
    |app: TestApp| async move {
        let db = &app.state.db;
        let dir = std::env::temp_dir().join(unique("apm-outbox-"));
        let folder = Mailer::new(None, "no-reply@apm.example.kr", &dir).unwrap();
        let (user, _) = customer(&app).await;
        let t0 = Utc::now();
        let Enqueued::Queued(id) =
            enqueue_committed(db, &ticket_reply(None, Recipient::User(UserId(user))), t0).await
        else {
            panic!("queued")
        };
        // An instance claims it and stops before recording the outcome.
        let until = t0 + Duration::minutes(2);
        let claimed = outbox::claim(
            db,
            id,
            "dead-instance",
            t0.timestamp_millis(),
            until.timestamp_millis(),
        )
        .await
        .unwrap();
        assert!(claimed.is_some());
        // While the claim holds, another worker leaves it alone...
        let r = worker::run_once(db, &folder, &policy(&app), "w2", t0 + Duration::minutes(1))
            .await
            .unwrap();
        assert_eq!(r, WorkerRun::default());
        assert_eq!(status(db, id).await.status, "sending");
        // ...and once it has run out the mail is marked failed, not sent a second time: the
        // SMTP server may already have it.
        let r = worker::run_once(db, &folder, &policy(&app), "w2", t0 + Duration::minutes(3))
            .await
            .unwrap();
        assert_eq!((r.sent, r.failed), (0, 1));
        let row = status(db, id).await;
        assert_eq!(row.status, "failed");
        assert!(row.last_error.unwrap_or_default().contains("interrupted"));
        assert!(!dir.exists(), "nothing written");
    }
);
