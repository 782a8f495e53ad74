//! Request helpers: one call per step, answering `(status, json)`, so a test reads as what it
//! does. Results are read back through the API wherever the API shows them.
use super::TestApp;
use apm_portal::model::StaffRole;
use reqwest::{Client, RequestBuilder};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};

pub const PASSWORD: &str = "Valid-pass-2026!";
pub const STAFF_PASSWORD: &str = "Staff-pass-2026!";

/// Sends the request and answers its status and JSON body (`Null` when the body is empty, the
/// text as a JSON string when it is not JSON, so a failing assertion still shows it).
pub async fn send(req: RequestBuilder) -> (u16, Value) {
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body)
}

/// The value of one cookie set by a response, if it sets it.
pub fn set_cookie_value(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next()?.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

static STAFF_COUNTER: AtomicUsize = AtomicUsize::new(1);

impl TestApp {
    pub async fn get_json(&self, c: &Client, path: &str) -> (u16, Value) {
        send(c.get(self.url(path))).await
    }

    pub async fn post_json(&self, c: &Client, path: &str, body: Value) -> (u16, Value) {
        send(c.post(self.url(path)).json(&body)).await
    }

    pub async fn patch_json(&self, c: &Client, path: &str, body: Value) -> (u16, Value) {
        send(c.patch(self.url(path)).json(&body)).await
    }

    pub async fn delete_json(&self, c: &Client, path: &str) -> (u16, Value) {
        send(c.delete(self.url(path))).await
    }

    /// A server function called as the hydrated app calls it.
    pub async fn call_json(
        &self,
        c: &Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> (u16, Value) {
        send(
            c.post(self.url(&format!("/api/{endpoint}")))
                .header("accept", "application/json")
                .form(form),
        )
        .await
    }

    /// A new customer, signed up and signed in on its own client.
    pub async fn new_customer(&self, login_id: &str) -> Client {
        let c = self.new_client();
        let out = self
            .sign_up(&c, login_id, &format!("{login_id}@example.com"))
            .await;
        assert_eq!(out["outcome"], "signed_up", "signing up {login_id}: {out}");
        c
    }

    /// The client picks English in the portal, as the language link does (the choice is
    /// kept in a cookie, and on the account of a signed-in customer).
    pub async fn switch_to_english(&self, c: &Client) {
        let res = c
            .get(self.url("/locale/en?next=/dashboard"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "the switch redirects back");
    }

    /// A page's HTML as this client sees it.
    pub async fn page_html(&self, c: &Client, path: &str) -> String {
        c.get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// A form posted from `page` to the server function at `/api/{endpoint}` the way a
    /// browser without JavaScript sends it (answered with a redirect back to the page).
    pub async fn post_without_js<F: serde::Serialize + ?Sized>(
        &self,
        c: &Client,
        endpoint: &str,
        page: &str,
        form: &F,
    ) -> reqwest::Response {
        c.post(self.url(&format!("/api/{endpoint}")))
            .header("accept", "text/html")
            .header("referer", self.url(page))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// A staff member with this role, created as operators do and signed in on its own client.
    pub async fn as_staff(&self, role: StaffRole) -> Client {
        let n = STAFF_COUNTER.fetch_add(1, Ordering::Relaxed);
        let login_id = format!("{}{n}", role.code());
        apm_portal::server::staff::create(
            &self.state,
            &login_id,
            "지원 담당",
            &format!("{login_id}@portal.example.kr"),
            role,
            STAFF_PASSWORD,
        )
        .await
        .unwrap();
        let c = self.new_client();
        let out = self.log_in(&c, &login_id, STAFF_PASSWORD).await;
        assert_eq!(out["next"], "/admin", "{out}");
        c
    }

    /// `POST /api/v1/projects`, whatever the answer.
    pub async fn try_create_project(&self, c: &Client, prefix: &str, plan: &str) -> (u16, Value) {
        self.post_json(
            c,
            "/api/v1/projects",
            json!({"name": "결제 서비스", "prefix": prefix, "plan": plan}),
        )
        .await
    }

    /// Creates a project that must be created and answers its id.
    pub async fn create_project(&self, c: &Client, prefix: &str, plan: &str) -> i64 {
        let (status, p) = self.try_create_project(c, prefix, plan).await;
        assert_eq!(status, 201, "creating {prefix}: {p}");
        p["id"].as_i64().unwrap()
    }

    /// The project as its owner reads it through `/api/v1`.
    pub async fn project(&self, c: &Client, id: i64) -> Value {
        let (status, p) = self.get_json(c, &format!("/api/v1/projects/{id}")).await;
        assert_eq!(status, 200, "project {id}: {p}");
        p
    }

    /// The project page's data (capacity, plan history), as the owner's browser reads it.
    pub async fn project_detail(&self, c: &Client, id: i64) -> Value {
        let (status, d) = self
            .call_json(c, "projects/detail", &[("project_id", &id.to_string())])
            .await;
        assert_eq!(status, 200, "project {id}: {d}");
        d
    }

    /// Adds a URL check named `name`; answers the API's status and body (all targets on 201).
    pub async fn add_target(&self, c: &Client, project_id: i64, name: &str) -> (u16, Value) {
        self.post_json(
            c,
            &format!("/api/v1/projects/{project_id}/targets"),
            json!({"kind": "url", "name": name, "detail": "https://shop.example.com/health"}),
        )
        .await
    }

    /// The project's targets as its owner reads them.
    pub async fn targets(&self, c: &Client, project_id: i64) -> Vec<Value> {
        let (status, t) = self
            .get_json(c, &format!("/api/v1/projects/{project_id}/targets"))
            .await;
        assert_eq!(status, 200, "targets of {project_id}: {t}");
        t["items"].as_array().unwrap().clone()
    }

    /// The project's capacity history, newest first, as its owner reads it.
    pub async fn capacity_history(&self, c: &Client, project_id: i64) -> Vec<Value> {
        let (status, h) = self
            .get_json(
                c,
                &format!("/api/v1/projects/{project_id}/capacity-changes"),
            )
            .await;
        assert_eq!(status, 200, "capacity history of {project_id}: {h}");
        h["items"].as_array().unwrap().clone()
    }
}

/// [`both_backends!`] with the settings changed first.
#[macro_export]
macro_rules! both_backends_with {
    ($name:ident, $tweak:expr, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(app) = common::spawn_app_with(common::Backend::Sqlite, $tweak).await {
                    common::within_time_limit(($body)(app)).await;
                }
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = common::spawn_app_with(common::Backend::Postgres, $tweak).await {
                    common::within_time_limit(($body)(app)).await;
                }
            }
        }
    };
}
