//! Sign-up, log-in, sessions and the guards around them, over HTTP on both databases.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use common::requests::{PASSWORD, send, set_cookie_value};
use common::{TestApp, signup_form};
use serde_json::{Value, json};

both_backends!(
    sign_up_writes_the_account_and_both_consents,
    |app: TestApp| async move {
        let c = app.new_client();
        let out = app.sign_up(&c, "Hong.gildong", "Hong@Example.COM").await;
        assert_eq!(out["outcome"], "signed_up", "{out}");
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
        let (_, me) = app.call_json(&c, "auth/me", &[]).await;
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
                signup_form("valid.user", PASSWORD, "valid@example.com");
            form.retain(|(k, _)| *k != field || !value.is_empty());
            for (k, v) in form.iter_mut() {
                if *k == field {
                    *v = value;
                }
            }
            let (_, out) = app.call_json(&c, "auth/sign_up", &form).await;
            assert_eq!(out["outcome"], "refused", "{field}={value}: {out}");
            let e = &out["errors"][error_key];
            assert!(
                !(e.is_null() || *e == false || e.as_array().is_some_and(|a| a.is_empty())),
                "{field}: {out}"
            );
            // The other fields come back for the form, never the password.
            assert_eq!(out["values"]["company"], "에이피엠 주식회사");
            assert!(!out.to_string().contains(PASSWORD));
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
            app.sign_up(&c, "first.user", "one@example.com").await["outcome"],
            "signed_up"
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
        // Signing up signs in: that session is the one a later log-in must replace.
        let signed_up = c
            .post(app.url("/api/auth/sign_up"))
            .header("accept", "application/json")
            .form(&signup_form("rotating", PASSWORD, "rot@example.com"))
            .send()
            .await
            .unwrap();
        let old = set_cookie_value(&signed_up, "apm_session").unwrap();
        // Who a bare cookie signs in, from a client that has no other state.
        let who = |token: String| {
            let req = reqwest::Client::new()
                .post(app.url("/api/auth/me"))
                .header("origin", &app.base)
                .header("cookie", format!("apm_session={token}"));
            async move { send(req).await.1["Customer"]["login_id"].clone() }
        };
        assert_eq!(who(old.clone()).await, "rotating", "the old token worked");
        let before: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(before.len(), 1);
        let res = app
            .call(
                &c,
                "auth/login",
                &[("login_id", "rotating"), ("password", PASSWORD)],
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
        let new = set_cookie_value(&res, "apm_session").unwrap();
        assert_eq!(new.len(), 32, "128-bit token, hex");
        assert_ne!(new, old);
        let out: Value = res.json().await.unwrap();
        assert_eq!(out["outcome"], "LoggedIn");
        assert_eq!(out["next"], "/dashboard");
        let after: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(after.len(), 1, "the pre-login session is gone");
        assert_ne!(before, after);
        // The old token no longer signs anyone in; the new one does.
        assert_eq!(who(old).await, Value::Null);
        assert_eq!(who(new.clone()).await, "rotating");
        // A token planted in the browser before log-in is never adopted either.
        let planted = "0".repeat(32);
        let fixated = reqwest::Client::new()
            .post(app.url("/api/auth/login"))
            .header("origin", &app.base)
            .header("accept", "application/json")
            .header("cookie", format!("apm_session={planted}"))
            .form(&[("login_id", "rotating"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        let issued = set_cookie_value(&fixated, "apm_session").unwrap();
        assert!(issued != planted && issued.len() == 32, "{issued}");
        assert_eq!(who(planted).await, Value::Null);
        assert_eq!(app.call_json(&c, "auth/logout", &[]).await.0, 200);
        assert_eq!(who(new).await, Value::Null, "log-out ends the session");
        let (_, me) = app.call_json(&c, "auth/me", &[]).await;
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
    assert!(app.call_json(&c, "auth/me", &[]).await.1.is_null());
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
        assert!(app.call_json(&c, "auth/me", &[]).await.1.is_null());
    }
);

both_backends!(
    cross_origin_posts_are_refused_and_change_nothing,
    |app: TestApp| async move {
        let evil = reqwest::Client::new();
        let form = signup_form("victim", PASSWORD, "victim@example.com");
        let (status, body) = send(
            evil.post(app.url("/api/auth/sign_up"))
                .header("origin", "https://evil.example")
                .form(&form),
        )
        .await;
        assert_eq!(
            (status, &body["code"]),
            (403, &json!("cross_origin_refused"))
        );
        let (status, _) = send(evil.post(app.url("/api/auth/sign_up")).form(&form)).await;
        assert_eq!(status, 403, "no Origin at all");
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
    }
);

both_backends!(
    customers_get_404_on_admin_and_staff_land_there,
    |app: TestApp| async move {
        let c = app.new_customer("plain.customer").await;
        assert_eq!(send(c.get(app.url("/admin"))).await.0, 404);
        let search = [("q", ""), ("page", "1")];
        assert_eq!(app.call_json(&c, "admin/projects", &search).await.0, 404);
        // A visitor too.
        assert_eq!(send(app.new_client().get(app.url("/admin"))).await.0, 404);
        // Staff land on /admin when they log in (as_staff checks it) and may open it.
        let s = app.as_staff(apm_portal::model::StaffRole::Operations).await;
        assert_eq!(send(s.get(app.url("/admin"))).await.0, 200);
        // Staff cannot act as a customer: customer functions answer 404.
        assert_eq!(app.call_json(&s, "projects/list", &[]).await.0, 404);
        assert_eq!(app.call_json(&s, "dashboard/read", &[]).await.0, 404);
        let visitor = app.new_client();
        assert_eq!(app.call_json(&visitor, "dashboard/read", &[]).await.0, 404);
    }
);

both_backends!(
    plain_form_posts_redirect_and_keep_values_in_a_flash,
    |app: TestApp| async move {
        let c = app.new_client();
        let mut form = signup_form("nojs.user", "Valid-pass-2026!", "not-an-email");
        form.retain(|(k, _)| *k != "agree_privacy");
        let res = app
            .post_without_js(&c, "auth/sign_up", "/signup", &form)
            .await;
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
        let again = app.page_html(&c, "/signup").await;
        assert!(!again.contains("value=\"nojs.user\""));
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
    }
);

both_backends!(health_and_readiness, |app: TestApp| async move {
    let c = app.new_client();
    assert_eq!(send(c.get(app.url("/healthz"))).await.0, 200);
    assert_eq!(send(c.get(app.url("/readyz"))).await.0, 200);
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

both_backends_with!(
    an_ip_that_floods_log_in_gets_429_with_retry_after,
    |s: &mut apm_portal::server::config::Settings| s.auth_rate_per_minute = 3,
    |app: TestApp| async move {
        let c = app.new_client();
        let attempt = [("login_id", "x1234"), ("password", "y")];
        for _ in 0..3 {
            assert_eq!(app.call_json(&c, "auth/login", &attempt).await.0, 200);
        }
        let limited = app.call(&c, "auth/login", &attempt).await;
        assert_eq!(limited.status(), 429);
        let retry_after: u64 = limited.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(retry_after >= 1);
        let body: Value = limited.json().await.unwrap();
        assert_eq!(body["code"], "rate_limited");
        // Other pages are not limited.
        assert_eq!(send(c.get(app.url("/login"))).await.0, 200);
    }
);
