//! `next=` after log-in and after a language switch only ever leads to a path of this site,
//! checked on the `Location` header; and the sign-up input decisions of SPEC R1.2 end to end;
//! over HTTP on both databases.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use common::TestApp;

/// Raw query values (already percent-encoded as a link would carry them) and where they
/// must lead; `None`: to the route's default.
const CASES: &[(&str, Option<&str>)] = &[
    ("/account", Some("/account")),
    ("/projects%3Fq%3D%ED%99%8D", Some("/projects?q=%ED%99%8D")),
    ("%2Fprojects%2F7", Some("/projects/7")),
    ("/%09/evil.example", None),
    ("%2F%09%2Fevil.example", None),
    ("/%0A", None),
    ("/%0D%0ASet-Cookie:%20x=1", None),
    ("//evil.example", None),
    ("%2F%2Fevil.example", None),
    ("/%252F%252Fevil.example", None),
    ("/%5Cevil.example", None),
    ("%5C%5Cevil.example", None),
    ("https://evil.example/", None),
    ("https:evil.example", None),
    ("javascript:alert(1)", None),
    ("", None),
];

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .unwrap_or_else(|| panic!("no Location: {}", res.status()))
        .to_str()
        .unwrap()
        .to_string()
}

both_backends!(
    the_language_switch_goes_back_only_to_our_paths,
    |app: TestApp| async move {
        let c = app.new_client();
        for (next, want) in CASES {
            let res = c
                .get(app.url(&format!("/locale/en?next={next}")))
                .send()
                .await
                .unwrap();
            assert!(res.status().is_redirection(), "{next}: {}", res.status());
            assert_eq!(location(&res), want.unwrap_or("/"), "{next}");
        }
        let res = c.get(app.url("/locale/ko")).send().await.unwrap();
        assert_eq!(location(&res), "/", "no next at all");
    }
);

both_backends!(
    log_in_goes_on_only_to_our_paths,
    |app: TestApp| async move {
        let c = app.new_client();
        app.sign_up(&c, "redirected", "redirected@example.com")
            .await;
        for (next, want) in CASES {
            // A plain form post (no JavaScript): the browser follows the Location header.
            let body = format!("login_id=redirected&password=Valid-pass-2026%21&next={next}");
            let res = c
                .post(app.url("/api/auth/login"))
                .header("accept", "text/html")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body.clone())
                .send()
                .await
                .unwrap();
            assert!(res.status().is_redirection(), "{next}: {}", res.status());
            assert_eq!(location(&res), want.unwrap_or("/dashboard"), "{next}");
            // The hydrated app is told the same place in the JSON answer.
            let res = c
                .post(app.url("/api/auth/login"))
                .header("accept", "application/json")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{next}");
            let out: serde_json::Value = res.json().await.unwrap();
            assert_eq!(out["next"], want.unwrap_or("/dashboard"), "{next}: {out}");
        }
    }
);

// The SPEC R1.2 input decisions that sit next to these in issue 14, end to end: the
// confirmation is compared after the password's normalisation, an internationalised e-mail
// domain is stored in ASCII, full-width phone digits are read.
both_backends!(
    sign_up_reads_full_width_and_internationalised_input,
    |app: TestApp| async move {
        let c = app.new_client();
        let mut form = common::signup_form("wide.input", "Valid-pass-2026!", "Hong@예시.한국");
        for (k, v) in form.iter_mut() {
            match *k {
                "password_confirm" => *v = "Ｖａｌｉｄ－ｐａｓｓ－２０２６！",
                "phone" => *v = "０１０－２３４５－６７８９",
                _ => {}
            }
        }
        let out: serde_json::Value = app
            .call(&c, "auth/sign_up", &form)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(out["outcome"], "signed_up", "{out}");
        let u = apm_portal::server::db::users::find_by_login_id(&app.state.db, "wide.input")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(u.email, "hong@xn--vv4b11d.xn--3e0b707e");
        assert_eq!(u.phone.as_deref(), Some("+821023456789"));
        // The same address typed in ASCII is the same address.
        let again = app
            .sign_up(
                &app.new_client(),
                "wide.other",
                "hong@xn--vv4b11d.xn--3e0b707e",
            )
            .await;
        assert_eq!(again["outcome"], "refused", "{again}");
        assert_eq!(again["errors"]["email"], "Taken", "{again}");
        // A confirmation that differs after normalisation is still a mismatch.
        let mut form = common::signup_form("wide.third", "Valid-pass-2026!", "third@example.com");
        for (k, v) in form.iter_mut() {
            if *k == "password_confirm" {
                *v = "Ｖａｌｉｄ－ｐａｓｓ－２０２６";
            }
        }
        let out: serde_json::Value = app
            .call(&app.new_client(), "auth/sign_up", &form)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(out["errors"]["password_mismatch"], true, "{out}");
    }
);
