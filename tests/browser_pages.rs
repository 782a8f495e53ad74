//! What the server-rendered pages state and keep: the free-plan terms come from the settings,
//! the home page promises only what works, and a refused no-JS sign-up keeps the consents.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use common::{Backend, TestApp, signup_form};

/// The portal with a free-plan target limit that no text could have hard-coded.
async fn app_with_limit_7(backend: Backend) -> Option<TestApp> {
    common::spawn_app_with(backend, |s| s.free_target_limit = 7).await
}

async fn page(app: &TestApp, c: &reqwest::Client, path: &str) -> String {
    let res = c.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

/// The `<input ...>` tag with this id, as rendered.
fn input_tag<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

async fn free_plan_text_follows_the_setting(app: TestApp) {
    let c = app.new_client();
    let home = page(&app, &c, "/").await;
    assert!(home.contains("모니터링 대상 7개까지"), "home: {home}");
    assert!(!home.contains("5개까지"));

    app.sign_up(&c, "limit.seven", "seven@example.com").await;
    let new = page(&app, &c, "/projects/new").await;
    assert!(
        new.contains("생성일로부터 15일, 모니터링 대상 7개까지"),
        "new: {new}"
    );
    assert!(!new.contains("5개까지"));

    // The same in English.
    let en = app.new_client();
    let res = en.get(app.url("/locale/en?next=/")).send().await.unwrap();
    assert!(res.status().is_redirection());
    let home_en = page(&app, &en, "/").await;
    assert!(home_en.contains("up to 7 monitoring targets"), "{home_en}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn free_plan_text_follows_the_setting_sqlite() {
    if let Some(app) = app_with_limit_7(Backend::Sqlite).await {
        free_plan_text_follows_the_setting(app).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn free_plan_text_follows_the_setting_postgres() {
    if let Some(app) = app_with_limit_7(Backend::Postgres).await {
        free_plan_text_follows_the_setting(app).await;
    }
}

both_backends!(
    home_page_promises_only_what_works,
    |app: TestApp| async move {
        let c = app.new_client();
        for (path, gone) in [
            ("/", ["사용량을 언제든", "자동으로 감면", "SLA 보상"]),
            (
                "/locale/en?next=/",
                ["usage per project", "credited automatically", "SLA credits"],
            ),
        ] {
            let res = c.get(app.url(path)).send().await.unwrap();
            let html = if res.status().is_redirection() {
                page(&app, &c, "/").await
            } else {
                res.text().await.unwrap()
            };
            for promise in gone {
                assert!(!html.contains(promise), "{path} still says {promise:?}");
            }
        }
    }
);

both_backends!(
    refused_no_js_sign_up_keeps_the_consents_as_left,
    |app: TestApp| async move {
        // (terms, privacy) as sent with a broken e-mail; each comes back as it was.
        for (terms, privacy) in [(true, false), (false, true), (true, true), (false, false)] {
            let c = app.new_client();
            let mut form = signup_form("consent.user", "Valid-pass-2026!", "not-an-email");
            form.retain(|(k, _)| {
                (*k != "agree_terms" || terms) && (*k != "agree_privacy" || privacy)
            });
            let res = app
                .post_without_js(&c, "auth/sign_up", "/signup", &form)
                .await;
            assert_eq!(res.status(), 302);
            let html = page(&app, &c, "/signup").await;
            assert!(html.contains("value=\"consent.user\""), "values kept");
            assert_eq!(
                input_tag(&html, "agree_terms").contains("checked"),
                terms,
                "terms sent {terms}: {}",
                input_tag(&html, "agree_terms")
            );
            assert_eq!(
                input_tag(&html, "agree_privacy").contains("checked"),
                privacy,
                "privacy sent {privacy}: {}",
                input_tag(&html, "agree_privacy")
            );
        }
        // A fresh form starts with neither box ticked.
        let html = page(&app, &app.new_client(), "/signup").await;
        assert!(!input_tag(&html, "agree_terms").contains("checked"));
        assert!(!input_tag(&html, "agree_privacy").contains("checked"));
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
    }
);
