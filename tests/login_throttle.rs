//! Log-in abuse (issue 14, R1): concurrent attempts cannot share a throttle slot, made-up IDs
//! answer like real ones, a stranger cannot keep the owner out, the client network comes
//! from the trusted end of X-Forwarded-For, and a full hashing queue answers 503 at once.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;

use common::TestApp;
use serde_json::Value;

const RIGHT: &str = "Valid-pass-2026!";
const WRONG: &str = "Wrong-pass-2026!";

/// A log-in as the hydrated page sends it, from `forwarded_for` when given.
async fn attempt(
    app: &TestApp,
    login_id: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> (u16, Value) {
    let mut req = app
        .new_client()
        .post(app.url("/api/auth/login"))
        .header("accept", "application/json")
        .form(&[("login_id", login_id), ("password", password)]);
    if let Some(xff) = forwarded_for {
        req = req.header("x-forwarded-for", xff);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Moves every stored failure and wait an hour back, as if the time had passed.
async fn let_an_hour_pass(app: &TestApp) {
    sqlx::query(
        "UPDATE login_throttle SET last_failure_at = last_failure_at - 3600000, \
         ready_at = ready_at - 3600000",
    )
    .execute(&app.state.db.pool)
    .await
    .unwrap();
}

async fn network_failures(app: &TestApp, login_id: &str, network: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(
        "SELECT failures FROM login_throttle WHERE login_id = $1 AND network = $2",
    )
    .bind(login_id)
    .bind(network)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap()
}

both_backends!(
    thirty_concurrent_attempts_after_a_wait_check_at_most_one_password,
    |app: TestApp| async move {
        app.sign_up(&app.new_client(), "racer", "racer@example.com")
            .await;
        for _ in 0..5 {
            let (_, out) = attempt(&app, "racer", WRONG, None).await;
            assert_eq!(out["outcome"], "InvalidCredentials", "{out}");
        }
        let (_, out) = attempt(&app, "racer", WRONG, None).await;
        assert_eq!(out["outcome"], "SlowDown", "{out}");
        let_an_hour_pass(&app).await;
        let failures_before = network_failures(&app, "racer", "127.0.0.1").await;
        let verified_before = app.state.hasher.verifications();

        let tries = (0..30).map(|_| attempt(&app, "racer", WRONG, None));
        let answers = futures::future::join_all(tries).await;

        let checked = answers
            .iter()
            .filter(|(_, o)| o["outcome"] == "InvalidCredentials")
            .count();
        let slowed = answers
            .iter()
            .filter(|(_, o)| o["outcome"] == "SlowDown")
            .count();
        assert!(answers.iter().all(|(s, _)| *s == 200), "{answers:?}");
        assert!(checked <= 1, "{checked} passwords checked: {answers:?}");
        assert_eq!(checked + slowed, 30, "{answers:?}");
        assert!(app.state.hasher.verifications() - verified_before <= 1);
        assert_eq!(
            network_failures(&app, "racer", "127.0.0.1").await,
            failures_before + i64::try_from(checked).unwrap()
        );
    }
);

both_backends!(
    the_sixth_wrong_attempt_answers_alike_for_a_real_and_a_made_up_id,
    |app: TestApp| async move {
        app.sign_up(&app.new_client(), "realuser", "real@example.com")
            .await;
        for _ in 0..5 {
            let (rs, real) = attempt(&app, "realuser", WRONG, None).await;
            let (ms, made_up) = attempt(&app, "madeupuser", WRONG, None).await;
            assert_eq!((rs, ms), (200, 200));
            assert_eq!(real["outcome"], "InvalidCredentials", "{real}");
            assert_eq!(made_up["outcome"], "InvalidCredentials", "{made_up}");
        }
        let verified_before = app.state.hasher.verifications();
        let (real_status, mut real) = attempt(&app, "realuser", WRONG, None).await;
        let (made_up_status, mut made_up) = attempt(&app, "madeupuser", WRONG, None).await;
        // Neither was checked: a slow-down costs no hash for anyone.
        assert_eq!(app.state.hasher.verifications(), verified_before);
        assert_eq!(real_status, made_up_status);
        assert_eq!(real["outcome"], "SlowDown", "{real}");
        // The only difference is the ID echoed back for the form, which the client sent.
        assert_eq!(real["login_id"], "realuser");
        assert_eq!(made_up["login_id"], "madeupuser");
        real["login_id"] = Value::Null;
        made_up["login_id"] = Value::Null;
        assert_eq!(real, made_up);
    }
);

both_backends_with!(
    the_owner_gets_in_from_another_network_while_a_stranger_keeps_failing,
    |s: &mut apm_portal::server::config::Settings| {
        s.trust_forwarded_for = true;
        s.trusted_proxies = 1;
    },
    |app: TestApp| async move {
        app.sign_up(&app.new_client(), "ownerkim", "owner@example.com")
            .await;
        // The stranger writes a different leftmost entry each time: our proxy's entry decides.
        for round in 0..3 {
            for i in 0..8 {
                let spoofed = format!("10.9.{round}.{i}, 203.0.113.66");
                attempt(&app, "ownerkim", WRONG, Some(&spoofed)).await;
            }
            let (_, stranger) = attempt(&app, "ownerkim", RIGHT, Some("203.0.113.66")).await;
            assert_eq!(
                stranger["outcome"], "SlowDown",
                "even the right password waits on the stranger's network: {stranger}"
            );
            let (_, owner) = attempt(&app, "ownerkim", RIGHT, Some("198.51.100.7")).await;
            assert_eq!(owner["outcome"], "LoggedIn", "round {round}: {owner}");
            let_an_hour_pass(&app).await;
        }
        // The owner's log-ins gave their account-wide claims back: only the stranger's count.
        let account_wide = network_failures(&app, "ownerkim", "*").await;
        assert!(account_wide <= 3 * 8, "{account_wide}");
    }
);

both_backends_with!(
    ipv6_clients_are_throttled_by_slash_64,
    |s: &mut apm_portal::server::config::Settings| {
        s.trust_forwarded_for = true;
    },
    |app: TestApp| async move {
        for i in 1..=5 {
            let ip = format!("2001:db8:1:2::{i}");
            let (_, out) = attempt(&app, "somebody", WRONG, Some(&ip)).await;
            assert_eq!(out["outcome"], "InvalidCredentials", "{out}");
        }
        let (_, same_64) = attempt(&app, "somebody", WRONG, Some("2001:db8:1:2:ffff::9")).await;
        assert_eq!(same_64["outcome"], "SlowDown", "{same_64}");
        let (_, next_64) = attempt(&app, "somebody", WRONG, Some("2001:db8:1:3::1")).await;
        assert_eq!(next_64["outcome"], "InvalidCredentials", "{next_64}");
        assert_eq!(
            network_failures(&app, "somebody", "2001:db8:1:2::/64").await,
            5
        );
    }
);

both_backends_with!(
    a_full_hashing_queue_answers_503_at_once,
    |s: &mut apm_portal::server::config::Settings| {
        s.max_concurrent_hashes = 1;
        s.max_queued_hashes = 0;
    },
    |app: TestApp| async move {
        let ids: Vec<String> = (0..12).map(|i| format!("crowd{i:02}")).collect();
        let tries = ids.iter().map(|id| {
            let c = app.new_client();
            let url = app.url("/api/auth/login");
            async move {
                let res = c
                    .post(url)
                    .header("accept", "application/json")
                    .form(&[("login_id", id.as_str()), ("password", WRONG)])
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                let retry_after = res
                    .headers()
                    .get("retry-after")
                    .map(|v| v.to_str().unwrap().to_string());
                (status, retry_after, res.text().await.unwrap())
            }
        });
        let answers = futures::future::join_all(tries).await;
        let busy: Vec<_> = answers.iter().filter(|(s, _, _)| *s == 503).collect();
        let checked = answers.iter().filter(|(s, _, _)| *s == 200).count();
        assert!(!busy.is_empty(), "{answers:?}");
        assert!(checked >= 1, "{answers:?}");
        assert_eq!(busy.len() + checked, 12, "{answers:?}");
        for (_, retry_after, body) in busy {
            assert_eq!(retry_after.as_deref(), Some("2"));
            assert!(body.contains("server_busy"), "{body}");
        }
        // Turned-away requests counted against nobody.
        let counted = app
            .count("SELECT COUNT(*) FROM login_throttle WHERE network <> '*'")
            .await;
        assert_eq!(counted, i64::try_from(checked).unwrap());
    }
);

both_backends_with!(
    a_full_hashing_queue_sends_a_browser_without_javascript_back_to_the_form,
    |s: &mut apm_portal::server::config::Settings| {
        s.max_concurrent_hashes = 1;
        s.max_queued_hashes = 0;
    },
    |app: TestApp| async move {
        // Hold the only hashing place, as a log-in in progress would.
        let ticket = app.state.hasher.admit().unwrap();
        let res = app
            .new_client()
            .post(app.url("/api/auth/login"))
            .header("accept", "text/html")
            .header("referer", app.url("/login"))
            .form(&[("login_id", "nojs.user"), ("password", WRONG)])
            .send()
            .await
            .unwrap();
        drop(ticket);
        assert_eq!(res.status(), 302);
        let flash = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap().starts_with("apm_form="));
        assert!(flash, "the form is shown again with the busy message");
    }
);
