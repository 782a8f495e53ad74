//! Sign-up, log-in, sessions and the guards around them, over HTTP on both databases.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use common::{TestApp, signup_form};

both_backends!(
    sign_up_writes_the_account_and_both_consents,
    |app: TestApp| async move {
        let c = app.new_client();
        let out = app.sign_up(&c, "Hong.gildong", "Hong@Example.COM").await;
        assert_eq!(out["ok"], true, "{out}");
        // Stored lowercase, phone normalised, both consents with versions and IP.
        let u = apm_portal::server::db::users::find_by_login_id(&app.state.db, "hong.gildong")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(u.email, "hong@example.com");
        assert_eq!(u.phone.as_deref(), Some("+821023456789"));
        assert!(u.password_hash.starts_with("$argon2id$"));
        let consents = apm_portal::server::db::users::consents_of(&app.state.db, u.id)
            .await
            .unwrap();
        let kinds: Vec<_> = consents
            .iter()
            .map(|c| (c.kind.as_str(), c.version.as_str()))
            .collect();
        assert_eq!(kinds, vec![("terms", "1.0"), ("privacy", "1.0")]);
        assert!(consents.iter().all(|c| c.client_ip == "127.0.0.1"));
        // ...and is signed in straight away.
        let me: serde_json::Value = app.call(&c, "auth/me", &[]).await.json().await.unwrap();
        assert_eq!(me["Customer"]["login_id"], "hong.gildong");
    }
);

both_backends!(
    each_invalid_field_writes_nothing,
    |app: TestApp| async move {
        let c = app.new_client();
        let cases: Vec<(&str, &str, &str)> = vec![
            ("login_id", "ab", "login_id"),
            ("login_id", "1abc", "login_id"),
            ("password", "short1!", "password"),
            ("password", "nodigits!!", "password"),
            ("password", "Password1!", "password"),
            ("password_confirm", "Different-2026!", "password_mismatch"),
            ("name", "  ", "name"),
            ("email", "not-an-email", "email"),
            ("phone", "02-123-4567", "phone"),
            ("agree_terms", "", "terms_missing"),
            ("agree_privacy", "", "privacy_missing"),
        ];
        for (field, value, error_key) in cases {
            let mut form: Vec<(&str, &str)> =
                signup_form("valid.user", "Valid-pass-2026!", "valid@example.com");
            form.retain(|(k, _)| *k != field || !value.is_empty());
            for (k, v) in form.iter_mut() {
                if *k == field {
                    *v = value;
                }
            }
            let out: serde_json::Value = app
                .call(&c, "auth/sign_up", &form)
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(out["ok"], false, "{field}={value}: {out}");
            let e = &out["errors"][error_key];
            assert!(
                !(e.is_null() || *e == false || e.as_array().is_some_and(|a| a.is_empty())),
                "{field}: {out}"
            );
            // The other fields come back for the form, never the password.
            assert_eq!(out["values"]["company"], "에이피엠 주식회사");
            assert!(out.to_string().find("Valid-pass-2026!").is_none());
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM consents").await, 0);
    }
);

both_backends!(
    duplicate_id_and_email_are_refused_regardless_of_case,
    |app: TestApp| async move {
        let c = app.new_client();
        assert_eq!(
            app.sign_up(&c, "first.user", "one@example.com").await["ok"],
            true
        );
        let again = app
            .sign_up(&app.new_client(), "FIRST.user", "two@example.com")
            .await;
        assert_eq!(again["errors"]["login_id"], "Taken", "{again}");
        let email = app
            .sign_up(&app.new_client(), "second.user", "ONE@example.com")
            .await;
        assert_eq!(email["errors"]["email"], "Taken", "{email}");
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    }
);

both_backends!(
    log_in_rotates_the_session_and_log_out_ends_it,
    |app: TestApp| async move {
        let c = app.new_client();
        app.sign_up(&c, "rotating", "rot@example.com").await;
        let before: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(before.len(), 1);
        let res = app
            .call(
                &c,
                "auth/login",
                &[("login_id", "rotating"), ("password", "Valid-pass-2026!")],
            )
            .await;
        let cookie = res
            .headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let token = cookie
            .split(';')
            .next()
            .unwrap()
            .trim_start_matches("apm_session=")
            .to_string();
        assert_eq!(token.len(), 32, "128-bit token, hex");
        let out: serde_json::Value = res.json().await.unwrap();
        assert_eq!(out["outcome"], "LoggedIn");
        assert_eq!(out["next"], "/dashboard");
        let after: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(after.len(), 1, "the pre-login session is gone");
        assert_ne!(before, after);
        // The old token no longer signs anyone in.
        let stale = reqwest::Client::new()
            .post(app.url("/api/auth/me"))
            .header("origin", &app.base)
            .header("cookie", format!("apm_session={}", "0".repeat(32)))
            .send()
            .await
            .unwrap();
        assert_eq!(
            stale.json::<serde_json::Value>().await.unwrap(),
            serde_json::Value::Null
        );
        assert_eq!(app.call(&c, "auth/logout", &[]).await.status(), 200);
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
        let me: serde_json::Value = app.call(&c, "auth/me", &[]).await.json().await.unwrap();
        assert!(me.is_null());
    }
);

both_backends!(
    wrong_id_and_wrong_password_say_the_same,
    |app: TestApp| async move {
        let c = app.new_client();
        app.sign_up(&c, "someone", "someone@example.com").await;
        let wrong_pw = app
            .log_in(&app.new_client(), "someone", "Wrong-pass-2026!")
            .await;
        let wrong_id = app
            .log_in(&app.new_client(), "nobody", "Valid-pass-2026!")
            .await;
        assert_eq!(wrong_pw["outcome"], "InvalidCredentials");
        assert_eq!(wrong_id["outcome"], wrong_pw["outcome"]);
    }
);

both_backends!(
    repeated_failures_slow_the_account_down_but_do_not_lock_it,
    |app: TestApp| async move {
        let c = app.new_client();
        app.sign_up(&c, "targeted", "targeted@example.com").await;
        for _ in 0..5 {
            assert_eq!(
                app.log_in(&app.new_client(), "targeted", "Wrong-pass-2026!")
                    .await["outcome"],
                "InvalidCredentials"
            );
        }
        // Even the right password waits now: the answer says how long.
        let slowed = app
            .log_in(&app.new_client(), "targeted", "Valid-pass-2026!")
            .await;
        assert_eq!(slowed["outcome"], "SlowDown", "{slowed}");
        assert!(slowed["seconds"].as_i64().unwrap() >= 1, "{slowed}");
        // Once the wait has passed, the owner gets in (simulate the time by moving the failure back).
        sqlx::query(
            "UPDATE login_throttle SET last_failure_at = last_failure_at - 3600000, \
             ready_at = ready_at - 3600000",
        )
        .execute(&app.state.db.pool)
        .await
        .unwrap();
        assert_eq!(
            app.log_in(&app.new_client(), "targeted", "Valid-pass-2026!")
                .await["outcome"],
            "LoggedIn"
        );
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM login_throttle WHERE login_id = 'targeted' AND network <> '*'"
            )
            .await,
            0
        );
    }
);

both_backends!(an_idle_session_expires, |app: TestApp| async move {
    let c = app.new_client();
    app.sign_up(&c, "sleepy", "sleepy@example.com").await;
    // 31 minutes without a request: past the 30-minute idle limit.
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 1860000")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let me: serde_json::Value = app.call(&c, "auth/me", &[]).await.json().await.unwrap();
    assert!(me.is_null());
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
});

both_backends!(
    a_session_ends_after_twelve_hours_however_busy,
    |app: TestApp| async move {
        let c = app.new_client();
        app.sign_up(&c, "busy.bee", "busy@example.com").await;
        sqlx::query("UPDATE sessions SET created_at = created_at - 43260000")
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let me: serde_json::Value = app.call(&c, "auth/me", &[]).await.json().await.unwrap();
        assert!(me.is_null());
    }
);

both_backends!(
    cross_origin_posts_are_refused_and_change_nothing,
    |app: TestApp| async move {
        let evil = reqwest::Client::new();
        let res = evil
            .post(app.url("/api/auth/sign_up"))
            .header("origin", "https://evil.example")
            .form(&signup_form(
                "victim",
                "Valid-pass-2026!",
                "victim@example.com",
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["code"], "cross_origin_refused");
        let no_origin = evil
            .post(app.url("/api/auth/sign_up"))
            .form(&signup_form(
                "victim",
                "Valid-pass-2026!",
                "victim@example.com",
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(no_origin.status(), 403);
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
    }
);

both_backends!(
    customers_get_404_on_admin_and_staff_land_there,
    |app: TestApp| async move {
        let c = app.new_client();
        app.sign_up(&c, "plain.customer", "plain@example.com").await;
        let page = c.get(app.url("/admin")).send().await.unwrap();
        assert_eq!(page.status(), 404);
        assert_eq!(
            app.call(&c, "admin/projects", &[("q", ""), ("page", "1")])
                .await
                .status(),
            404
        );
        // A visitor too.
        assert_eq!(
            app.new_client()
                .get(app.url("/admin"))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );

        apm_portal::server::staff::create(
            &app.state,
            "ops.kim",
            "김운영",
            "ops@portal.example.kr",
            apm_portal::model::StaffRole::Operations,
            "Staff-pass-2026!",
        )
        .await
        .unwrap();
        let s = app.new_client();
        let out = app.log_in(&s, "ops.kim", "Staff-pass-2026!").await;
        assert_eq!(out["next"], "/admin");
        let admin = s.get(app.url("/admin")).send().await.unwrap();
        assert_eq!(admin.status(), 200);
        // Staff cannot act as a customer: customer functions answer 404.
        assert_eq!(app.call(&s, "projects/list", &[]).await.status(), 404);
    }
);

both_backends!(
    plain_form_posts_redirect_and_keep_values_in_a_flash,
    |app: TestApp| async move {
        let c = app.new_client();
        let mut form = signup_form("nojs.user", "Valid-pass-2026!", "not-an-email");
        form.retain(|(k, _)| *k != "agree_privacy");
        let res = c
            .post(app.url("/api/auth/sign_up"))
            .header("accept", "text/html")
            .header("referer", app.url("/signup"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 302);
        assert!(
            res.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with(&app.url("/signup"))
        );
        let page = c.get(app.url("/signup")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("value=\"nojs.user\""), "kept value");
        assert!(html.contains("not-an-email"));
        assert!(!html.contains("Valid-pass-2026!"), "never the password");
        // The flash is used once.
        let again = c
            .get(app.url("/signup"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!again.contains("value=\"nojs.user\""));
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
    }
);

both_backends!(health_and_readiness, |app: TestApp| async move {
    let c = app.new_client();
    assert_eq!(
        c.get(app.url("/healthz")).send().await.unwrap().status(),
        200
    );
    assert_eq!(
        c.get(app.url("/readyz")).send().await.unwrap().status(),
        200
    );
});

both_backends!(
    pages_carry_security_headers_and_a_nonce_csp,
    |app: TestApp| async move {
        let res = app
            .new_client()
            .get(app.url("/login"))
            .send()
            .await
            .unwrap();
        let h = res.headers().clone();
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert!(h["x-request-id"].to_str().unwrap().len() >= 8);
        let csp = h["content-security-policy"].to_str().unwrap().to_string();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"),
            "{csp}"
        );
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .unwrap()
            .split('\'')
            .next()
            .unwrap()
            .to_string();
        let html = res.text().await.unwrap();
        assert!(
            html.contains(&format!("nonce=\"{nonce}\"")),
            "the inline hydration script carries the header's nonce"
        );
        assert!(!csp.contains("unsafe-inline"));
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ip_that_floods_log_in_gets_429_with_retry_after() {
    let app = common::spawn_app_with(common::Backend::Sqlite, |s| s.auth_rate_per_minute = 3)
        .await
        .unwrap();
    let c = app.new_client();
    for _ in 0..3 {
        let r = app
            .call(
                &c,
                "auth/login",
                &[("login_id", "x1234"), ("password", "y")],
            )
            .await;
        assert_eq!(r.status(), 200);
    }
    let limited = app
        .call(
            &c,
            "auth/login",
            &[("login_id", "x1234"), ("password", "y")],
        )
        .await;
    assert_eq!(limited.status(), 429);
    assert!(
        limited.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    let body: serde_json::Value = limited.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited");
    // Other pages are not limited.
    assert_eq!(c.get(app.url("/login")).send().await.unwrap().status(), 200);
}
