//! API tokens, sessions and cookies (issue 14, "Tokens, sessions, limits"): password changes
//! end every session and token, tokens need the password and expire, no secret rides in a
//! cookie, cookies are `Secure`/`__Host-` on https, CSRF compares whole origins, and the
//! contact change neither reveals registered e-mails nor runs unlimited. Both databases.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use common::TestApp;
use serde_json::Value;

const PW: &str = "Valid-pass-2026!";
const NEW_PW: &str = "Other-pass-2027#";
const HTTPS_BASE: &str = "https://portal.example.kr";

fn set_cookies(res: &reqwest::Response) -> Vec<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect()
}

/// `name=value` of the cookie called `name` among a response's Set-Cookie headers.
fn cookie_pair(res: &reqwest::Response, name: &str) -> Option<String> {
    set_cookies(res)
        .into_iter()
        .filter_map(|c| c.split(';').next().map(str::to_string))
        .find(|pair| pair.starts_with(&format!("{name}=")))
}

/// A client without a cookie jar, so each test says exactly which session it uses.
fn bare(origin: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("origin", origin.parse().unwrap());
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

/// Calls a server function with an explicit session cookie (`name=value`).
async fn call_as(
    app: &TestApp,
    client: &reqwest::Client,
    cookie: &str,
    endpoint: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/{endpoint}")))
        .header("accept", "application/json")
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .unwrap()
}

/// Signs a customer up and logs in once more; returns that log-in's `apm_session=...`.
async fn customer_session(app: &TestApp, login_id: &str) -> String {
    app.sign_up(
        &app.new_client(),
        login_id,
        &format!("{login_id}@example.com"),
    )
    .await;
    let res = bare(&app.base)
        .post(app.url("/api/auth/login"))
        .header("accept", "application/json")
        .form(&[("login_id", login_id), ("password", PW)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    cookie_pair(&res, "apm_session").unwrap()
}

async fn me(app: &TestApp, cookie: &str) -> Value {
    me_from(app, &app.base, cookie).await
}

/// Who `cookie` signs in, asked from `origin` (the https tests' public origin).
async fn me_from(app: &TestApp, origin: &str, cookie: &str) -> Value {
    call_as(app, &bare(origin), cookie, "auth/me", &[])
        .await
        .json()
        .await
        .unwrap()
}

async fn make_token(app: &TestApp, cookie: &str, form: &[(&str, &str)]) -> Value {
    let res = call_as(app, &bare(&app.base), cookie, "account/tokens/create", form).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn api_status(app: &TestApp, secret: &str) -> u16 {
    reqwest::Client::new()
        .get(app.url("/api/v1/projects"))
        .bearer_auth(secret)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

both_backends!(
    a_password_change_rotates_the_session_ends_the_others_and_revokes_tokens,
    |app: TestApp| async move {
        let current = customer_session(&app, "rotator").await;
        let elsewhere = customer_session_again(&app, "rotator").await;
        let made = make_token(&app, &current, &[("name", "CI"), ("current_password", PW)]).await;
        let secret = made["secret"].as_str().unwrap().to_string();
        assert_eq!(api_status(&app, &secret).await, 200);

        let res = call_as(
            &app,
            &bare(&app.base),
            &current,
            "account/password",
            &[
                ("current_password", PW),
                ("new_password", NEW_PW),
                ("new_password_confirm", NEW_PW),
            ],
        )
        .await;
        assert_eq!(res.status(), 200);
        let rotated = cookie_pair(&res, "apm_session").expect("a new session cookie");
        let out: Value = res.json().await.unwrap();
        assert_eq!(out["outcome"], "changed", "{out}");
        assert_ne!(rotated, current);

        assert!(me(&app, &current).await.is_null(), "the old cookie is dead");
        assert!(me(&app, &elsewhere).await.is_null(), "other devices too");
        assert_eq!(me(&app, &rotated).await["Customer"]["login_id"], "rotator");
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
        assert_eq!(api_status(&app, &secret).await, 401, "tokens are revoked");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NULL")
                .await,
            0
        );
        // A failed change leaves everything as it was.
        let wrong = call_as(
            &app,
            &bare(&app.base),
            &rotated,
            "account/password",
            &[
                ("current_password", PW),
                ("new_password", "Third-pass-2028$"),
                ("new_password_confirm", "Third-pass-2028$"),
            ],
        )
        .await;
        assert!(cookie_pair(&wrong, "apm_session").is_none());
        assert_eq!(wrong.json::<Value>().await.unwrap()["wrong_current"], true);
        assert!(!me(&app, &rotated).await.is_null());
    }
);

/// A second, independent log-in of the same account (another device).
async fn customer_session_again(app: &TestApp, login_id: &str) -> String {
    let res = bare(&app.base)
        .post(app.url("/api/auth/login"))
        .header("accept", "application/json")
        .form(&[("login_id", login_id), ("password", PW)])
        .send()
        .await
        .unwrap();
    cookie_pair(&res, "apm_session").unwrap()
}

both_backends!(
    creating_a_token_needs_the_current_password_and_a_valid_expiry,
    |app: TestApp| async move {
        let s = customer_session(&app, "minter").await;
        let missing = make_token(&app, &s, &[("name", "CI")]).await;
        assert_eq!(missing["wrong_password"], true, "{missing}");
        assert!(missing["secret"].is_null());
        let wrong = make_token(
            &app,
            &s,
            &[("name", "CI"), ("current_password", "nope-2026!")],
        )
        .await;
        assert_eq!(wrong["wrong_password"], true);
        assert!(wrong["secret"].is_null());
        let too_long = make_token(
            &app,
            &s,
            &[
                ("name", "CI"),
                ("current_password", PW),
                ("expiry_days", "366"),
            ],
        )
        .await;
        assert_eq!(too_long["expiry_invalid"], true, "{too_long}");
        assert!(too_long["secret"].is_null());
        assert_eq!(app.count("SELECT COUNT(*) FROM api_tokens").await, 0);

        let made = make_token(&app, &s, &[("name", "CI"), ("current_password", PW)]).await;
        assert!(made["secret"].as_str().unwrap().starts_with("apm_"));
        assert!(made["expires_at"].as_str().unwrap().ends_with("KST"));
        let life = app
            .count("SELECT expires_at - created_at FROM api_tokens")
            .await;
        assert_eq!(life, 90 * 86_400_000, "90 days unless chosen");
        let year = make_token(
            &app,
            &s,
            &[
                ("name", "yearly"),
                ("current_password", PW),
                ("expiry_days", "365"),
            ],
        )
        .await;
        assert!(year["secret"].is_string());
        assert_eq!(
            app.count("SELECT MAX(expires_at - created_at) FROM api_tokens")
                .await,
            365 * 86_400_000
        );
    }
);

both_backends!(
    expired_tokens_are_refused_and_use_is_recorded,
    |app: TestApp| async move {
        let s = customer_session(&app, "expirer").await;
        let made = make_token(
            &app,
            &s,
            &[
                ("name", "short"),
                ("current_password", PW),
                ("expiry_days", "1"),
            ],
        )
        .await;
        let secret = made["secret"].as_str().unwrap().to_string();
        assert_eq!(
            app.count("SELECT COUNT(*) FROM api_tokens WHERE last_used_at IS NULL")
                .await,
            1
        );
        let listed: Value = call_as(&app, &bare(&app.base), &s, "account/tokens", &[])
            .await
            .json()
            .await
            .unwrap();
        assert!(listed[0]["last_used_at"].is_null());
        assert_eq!(listed[0]["expired"], false);

        assert_eq!(api_status(&app, &secret).await, 200);
        let listed: Value = call_as(&app, &bare(&app.base), &s, "account/tokens", &[])
            .await
            .json()
            .await
            .unwrap();
        assert!(
            listed[0]["last_used_at"].as_str().unwrap().ends_with("KST"),
            "{listed}"
        );
        assert!(listed[0]["expires_at"].as_str().unwrap().ends_with("KST"));

        // Time moves past the expiry.
        sqlx::query("UPDATE api_tokens SET expires_at = $1")
            .bind(now_ms() - 1)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(api_status(&app, &secret).await, 401);
        let listed: Value = call_as(&app, &bare(&app.base), &s, "account/tokens", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(listed[0]["expired"], true);
        // A row without an expiry (never written by the portal) is refused, not eternal.
        sqlx::query("UPDATE api_tokens SET expires_at = NULL")
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(api_status(&app, &secret).await, 401);
    }
);

both_backends!(
    the_flash_cookie_never_carries_a_token_secret,
    |app: TestApp| async move {
        let c = app.new_client();
        app.sign_up(&c, "nojs.minter", "nojs.minter@example.com")
            .await;
        let res = app
            .post_without_js(
                &c,
                "account/tokens/create",
                "/account",
                &[
                    ("name", "no-js"),
                    ("current_password", PW),
                    ("expiry_days", "30"),
                ],
            )
            .await;
        assert_eq!(res.status(), 302);
        let cookies = set_cookies(&res);
        let flash = cookie_pair(&res, "apm_form").expect("a flash key");
        let key = flash.trim_start_matches("apm_form=");
        assert_eq!(key.len(), 32, "only a random key: {flash}");
        assert!(key.chars().all(|ch| ch.is_ascii_hexdigit()));
        assert!(cookies.iter().all(|c| !c.contains("apm_")
            || c.starts_with("apm_form=")
            || c.starts_with("apm_session=")));

        let html = app.page_html(&c, "/account").await;
        let at = html.find("data-test=\"token-secret\"").expect("shown once");
        let secret: String = html[at..]
            .split('>')
            .nth(1)
            .unwrap()
            .chars()
            .take_while(|ch| *ch != '<')
            .collect();
        assert!(secret.starts_with("apm_") && secret.len() > 20, "{secret}");
        for c in &cookies {
            assert!(!c.contains(&secret), "secret in a cookie: {c}");
            assert!(!c.contains(&secret[4..]), "secret in a cookie: {c}");
        }
        assert_eq!(
            api_status(&app, &secret).await,
            200,
            "the shown secret works"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM form_flashes").await,
            0,
            "read once"
        );
        let again = app.page_html(&c, "/account").await;
        assert!(!again.contains(&secret), "never shown twice");
    }
);

both_backends!(
    no_js_sign_up_details_stay_on_the_server,
    |app: TestApp| async move {
        let c = app.new_client();
        let mut form = common::signup_form("private.person", PW, "private.person@example.com");
        form.retain(|(k, _)| *k != "agree_privacy");
        let res = app
            .post_without_js(&c, "auth/sign_up", "/signup", &form)
            .await;
        assert_eq!(res.status(), 302);
        let flash = cookie_pair(&res, "apm_form").unwrap();
        assert_eq!(flash.len(), "apm_form=".len() + 32, "{flash}");
        let html = app.page_html(&c, "/signup").await;
        assert!(
            html.contains("private.person@example.com"),
            "kept for the form"
        );
    }
);

both_backends_with!(
    cookies_are_secure_and_host_prefixed_on_https,
    |s: &mut apm_portal::server::config::Settings| s.public_base_url = HTTPS_BASE.into(),
    |app: TestApp| async move {
        let b = bare(HTTPS_BASE);
        let res = b
            .post(app.url("/api/auth/sign_up"))
            .header("accept", "application/json")
            .form(&common::signup_form(
                "secure.one",
                PW,
                "secure.one@example.com",
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let session = set_cookies(&res)
            .into_iter()
            .find(|c| c.starts_with("__Host-apm_session="))
            .expect("the __Host- session cookie");
        assert!(session.contains("; Secure"), "{session}");
        assert!(session.contains("Path=/"), "{session}");
        assert!(
            !session.to_ascii_lowercase().contains("domain="),
            "{session}"
        );
        assert!(cookie_pair(&res, "apm_session").is_none());
        let pair = session.split(';').next().unwrap().to_string();
        let signed_in = me_from(&app, HTTPS_BASE, &pair).await;
        assert!(
            signed_in["Customer"].is_object(),
            "read by its name: {signed_in}"
        );
        let plain = pair.replacen("__Host-", "", 1);
        let ignored = me_from(&app, HTTPS_BASE, &plain).await;
        assert!(
            ignored.is_null(),
            "the unprefixed name is ignored: {ignored}"
        );

        // Every other cookie gets Secure too: the no-JS flash, the language, the clearing.
        let failed = app
            .post_without_js(
                &b,
                "auth/login",
                "/login",
                &[("login_id", "secure.one"), ("password", "wrong-2026!")],
            )
            .await;
        let lang = b.get(app.url("/locale/en?next=/")).send().await.unwrap();
        let logout = call_as(&app, &b, &pair, "auth/logout", &[]).await;
        let all: Vec<String> = [failed, lang, logout]
            .iter()
            .flat_map(set_cookies)
            .collect();
        assert!(all.len() >= 3, "{all:?}");
        for c in all {
            assert!(c.contains("; Secure"), "{c}");
        }
    }
);

both_backends!(
    cookies_on_plain_http_keep_the_plain_name,
    |app: TestApp| async move {
        let s = customer_session(&app, "plain.http").await;
        assert!(s.starts_with("apm_session="));
        let res = bare(&app.base)
            .post(app.url("/api/auth/login"))
            .header("accept", "application/json")
            .form(&[("login_id", "plain.http"), ("password", PW)])
            .send()
            .await
            .unwrap();
        for c in set_cookies(&res) {
            assert!(
                !c.contains("Secure"),
                "a browser would drop it on http: {c}"
            );
        }
    }
);

both_backends_with!(
    csrf_refuses_the_right_host_with_the_wrong_scheme,
    |s: &mut apm_portal::server::config::Settings| s.public_base_url = HTTPS_BASE.into(),
    |app: TestApp| async move {
        let login = |origin: &'static str, host: &'static str| {
            let app = &app;
            async move {
                bare(origin)
                    .post(app.url("/api/auth/login"))
                    .header("accept", "application/json")
                    .header("host", host)
                    .form(&[("login_id", "nobody"), ("password", "x")])
                    .send()
                    .await
                    .unwrap()
            }
        };
        let refused = login("http://portal.example.kr", "portal.example.kr").await;
        assert_eq!(refused.status(), 403);
        assert_eq!(
            refused.json::<Value>().await.unwrap()["code"],
            "cross_origin_refused"
        );
        assert_eq!(
            login("https://portal.example.kr:8443", "portal.example.kr:8443")
                .await
                .status(),
            403
        );
        assert_eq!(
            login(HTTPS_BASE, "portal.example.kr").await.status(),
            200,
            "the public origin passes"
        );
    }
);

both_backends!(
    csrf_compares_the_scheme_on_plain_http_too,
    |app: TestApp| async move {
        let wrong_scheme = app.base.replacen("http://", "https://", 1);
        let res = bare(&wrong_scheme)
            .post(app.url("/api/auth/login"))
            .header("accept", "application/json")
            .form(&[("login_id", "nobody"), ("password", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "same host and port, other scheme");
    }
);

async fn change_contact(app: &TestApp, cookie: &str, email: &str, phone: &str) -> (u16, Value) {
    let res = call_as(
        app,
        &bare(&app.base),
        cookie,
        "account/contact",
        &[
            ("name", "김철수"),
            ("company", ""),
            ("email", email),
            ("phone", phone),
        ],
    )
    .await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

/// The answer with the e-mail itself blanked, so two answers can be compared.
fn without_email(mut v: Value) -> Value {
    v["values"]["email"] = Value::Null;
    v
}

both_backends!(
    a_taken_email_gets_the_same_answer_as_a_free_one,
    |app: TestApp| async move {
        app.sign_up(&app.new_client(), "owner.one", "taken@example.com")
            .await;
        let s = customer_session(&app, "prober").await;
        let (st_taken, taken) =
            change_contact(&app, &s, "taken@example.com", "010-2345-6789").await;
        let (st_free, free) = change_contact(&app, &s, "free@example.com", "010-2345-6789").await;
        assert_eq!(st_taken, st_free);
        assert_eq!(taken["outcome"], "saved", "{taken}");
        assert_eq!(without_email(taken), without_email(free));
        // With another field wrong, both answers name only that field.
        let (_, taken_bad) = change_contact(&app, &s, "taken@example.com", "12").await;
        let (_, free_bad) = change_contact(&app, &s, "free@example.com", "12").await;
        assert!(taken_bad["problems"]["email"].is_null(), "{taken_bad}");
        assert!(!taken_bad["problems"]["phone"].is_null());
        assert_eq!(without_email(taken_bad), without_email(free_bad));
    }
);

both_backends_with!(
    contact_changes_are_rate_limited_per_ip,
    |s: &mut apm_portal::server::config::Settings| s.auth_rate_per_minute = 4,
    |app: TestApp| async move {
        // Sign-up and one log-in spend two of the four.
        let s = customer_session(&app, "hammer").await;
        let mut statuses = Vec::new();
        for i in 0..4 {
            let (status, _) =
                change_contact(&app, &s, &format!("p{i}@example.com"), "010-2345-6789").await;
            statuses.push(status);
        }
        assert_eq!(statuses, [200, 200, 429, 429], "{statuses:?}");
        let res = call_as(
            &app,
            &bare(&app.base),
            &s,
            "account/contact",
            &[
                ("name", "a"),
                ("email", "a@example.com"),
                ("phone", "010-2345-6789"),
            ],
        )
        .await;
        assert_eq!(res.status(), 429);
        assert!(res.headers().contains_key("retry-after"));
    }
);

both_backends!(
    staff_change_their_own_password_and_it_is_audited,
    |app: TestApp| async move {
        apm_portal::server::staff::create(
            &app.state,
            "ops.lee",
            "이운영",
            "ops.lee@portal.example.kr",
            apm_portal::model::StaffRole::Support,
            "Staff-pass-2026!",
        )
        .await
        .unwrap();
        let res = bare(&app.base)
            .post(app.url("/api/auth/login"))
            .header("accept", "application/json")
            .form(&[("login_id", "ops.lee"), ("password", "Staff-pass-2026!")])
            .send()
            .await
            .unwrap();
        let staff = cookie_pair(&res, "apm_session").unwrap();
        let page = bare(&app.base)
            .get(app.url("/admin/account"))
            .header("cookie", &staff)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("password-form"));

        let res = call_as(
            &app,
            &bare(&app.base),
            &staff,
            "account/password",
            &[
                ("current_password", "Staff-pass-2026!"),
                ("new_password", NEW_PW),
                ("new_password_confirm", NEW_PW),
            ],
        )
        .await;
        let rotated = cookie_pair(&res, "apm_session").unwrap();
        assert_eq!(res.json::<Value>().await.unwrap()["outcome"], "changed");
        assert!(me(&app, &staff).await.is_null());
        assert!(me(&app, &rotated).await["Staff"].is_object());
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'staff.password_changed' \
                 AND target_kind = 'user' AND customer_user_id IS NULL"
            )
            .await,
            1
        );
        let relog = app.log_in(&app.new_client(), "ops.lee", NEW_PW).await;
        assert_eq!(relog["outcome"], "LoggedIn", "{relog}");
    }
);

/// The dashboard's cards: its HTML, as the customer's browser gets it.
async fn dashboard_html(app: &TestApp, client: &reqwest::Client) -> String {
    let res = client.get(app.url("/dashboard")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

both_backends!(
    reads_on_the_kept_connections_and_on_the_pool_see_every_write_at_once,
    |app: TestApp| async move {
        // On SQLite the session lookup and the dashboard read on kept connections of their
        // own (db::sqlite_readers); a write through the pool must show on the next view.
        let c = app.new_client();
        app.sign_up(&c, "reader", "reader@example.com").await;
        let res = c
            .post(app.url("/api/v1/projects"))
            .json(&serde_json::json!({"name": "첫 화면 프로젝트", "prefix": "reader-one", "plan": "free"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        let html = dashboard_html(&app, &c).await;
        assert!(
            html.contains("첫 화면 프로젝트"),
            "the new project is on the dashboard"
        );
        assert!(html.contains("reader-one"));

        // Every kept connection busy (other requests holding them): the same reads go to the
        // pool and answer the same.
        let mut held = Vec::new();
        for _ in 0..apm_portal::server::db::sqlite_readers::KEPT {
            held.push(app.state.db.reader().await.unwrap());
        }
        use apm_portal::server::db::{Backend, ReadConnection};
        let kept = app.state.db.backend == Backend::Sqlite;
        assert!(
            held.iter()
                .all(|r| matches!(r, ReadConnection::Inline(_)) == kept),
            "SQLite keeps its own; PostgreSQL reads on the pool"
        );
        assert!(matches!(
            app.state.db.reader().await.unwrap(),
            ReadConnection::Pooled(_)
        ));
        let me: Value = app.call(&c, "auth/me", &[]).await.json().await.unwrap();
        assert_eq!(
            me["Customer"]["login_id"], "reader",
            "the session is found on the pool"
        );
        let res = c
            .post(app.url("/api/v1/projects"))
            .json(&serde_json::json!({"name": "둘째 프로젝트", "prefix": "reader-two", "plan": "free"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        let html = dashboard_html(&app, &c).await;
        assert!(html.contains("첫 화면 프로젝트") && html.contains("둘째 프로젝트"));
        drop(held);

        // Back on the kept connections: the same cards, and an unknown cookie finds nothing.
        let again = dashboard_html(&app, &c).await;
        assert!(again.contains("첫 화면 프로젝트") && again.contains("둘째 프로젝트"));
        let gone = call_as(
            &app,
            &bare(&app.base),
            "apm_session=not-a-session",
            "auth/me",
            &[],
        )
        .await;
        assert!(gone.json::<Value>().await.unwrap().is_null());
    }
);
