//! The stored schema and what is read back from it: both migration dialects define the same
//! tables and columns, enum columns refuse unknown codes, a row with an unknown code is an
//! error when read (never a default), and every JSON error has the one error body.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use apm_portal::domain::stored::ProjectId;
use apm_portal::server::db::{Backend, Db};
use apm_portal::server::jobs;
use chrono::{Duration, Utc};
use common::TestApp;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// `table.column` for every column of our tables (migration bookkeeping left out).
async fn columns(db: &Db) -> BTreeSet<String> {
    match db.backend {
        Backend::Sqlite => {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
            )
            .fetch_all(&db.pool)
            .await
            .unwrap();
            let mut out = BTreeSet::new();
            for t in tables {
                let cols: Vec<String> =
                    sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{t}')"))
                        .fetch_all(&db.pool)
                        .await
                        .unwrap();
                out.extend(cols.into_iter().map(|c| format!("{t}.{c}")));
            }
            out
        }
        Backend::Postgres => sqlx::query_scalar::<_, String>(
            "SELECT CAST(table_name AS TEXT) || '.' || CAST(column_name AS TEXT) \
             FROM information_schema.columns WHERE table_schema = 'public' \
             AND table_name <> '_sqlx_migrations'",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .into_iter()
        .collect(),
    }
}

async fn migrated(backend: common::Backend) -> Option<(Db, TestDb)> {
    let (url, cleanup) = common::fresh_database(backend).await?;
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    Some((db, TestDb(Some(cleanup))))
}

/// Removes the database when the test ends.
struct TestDb(Option<common::Cleanup>);

impl Drop for TestDb {
    fn drop(&mut self) {
        match self.0.take() {
            Some(common::Cleanup::File(p)) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
                }
            }
            Some(common::Cleanup::Postgres(name)) => {
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    rt.block_on(async move {
                        if let Ok(db) = Db::connect(&common::pg_admin_url()).await {
                            let _ = sqlx::query(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .execute(&db.pool)
                            .await;
                        }
                    });
                })
                .join();
            }
            None => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_migration_dialects_define_the_same_tables_and_columns() {
    let Some((sqlite, _s)) = migrated(common::Backend::Sqlite).await else {
        return;
    };
    let Some((pg, _p)) = migrated(common::Backend::Postgres).await else {
        return;
    };
    let lite = columns(&sqlite).await;
    let post = columns(&pg).await;
    assert!(lite.contains("projects.plan"), "{lite:?}");
    let only_sqlite: Vec<_> = lite.difference(&post).collect();
    let only_pg: Vec<_> = post.difference(&lite).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "only in SQLite: {only_sqlite:?}; only in PostgreSQL: {only_pg:?}"
    );
}

async fn customer_with_paid_project(app: &TestApp) -> (reqwest::Client, i64) {
    let c = app.new_client();
    assert_eq!(
        app.sign_up(&c, "schema.user", "schema@example.com").await["outcome"],
        "signed_up"
    );
    let res = c
        .post(app.url("/api/v1/projects"))
        .json(&json!({"name": "결제 서비스", "prefix": "schema-paid", "plan": "paid"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    (c, id)
}

async fn execute(app: &TestApp, sql: &str) -> Result<u64, sqlx::Error> {
    sqlx::query(sql)
        .execute(&app.state.db.pool)
        .await
        .map(|r| r.rows_affected())
}

both_backends!(
    enum_columns_refuse_unknown_codes,
    |app: TestApp| async move {
        let (_c, id) = customer_with_paid_project(&app).await;
        for sql in [
            format!("UPDATE projects SET plan = 'enterprise', next_step_at = 0 WHERE id = {id}"),
            format!("UPDATE projects SET state = 'paused' WHERE id = {id}"),
            format!("UPDATE projects SET extended_retention = 2 WHERE id = {id}"),
            format!(
                "INSERT INTO monitoring_targets (project_id, kind, name, detail, created_at, \
             updated_at) VALUES ({id}, 'ftp', 'n', 'd', 0, 0)"
            ),
            format!(
                "INSERT INTO plan_changes (project_id, at, from_plan, to_plan, actor_user_id, \
             reason) VALUES ({id}, 0, 'free', 'gold', 1, 'r')"
            ),
            "UPDATE users SET staff_role = 'janitor'".to_string(),
        ] {
            assert!(execute(&app, &sql).await.is_err(), "accepted: {sql}");
        }
        // Known codes still pass the same checks.
        assert_eq!(
            execute(
                &app,
                &format!("UPDATE projects SET state = 'active', plan = 'paid' WHERE id = {id}")
            )
            .await
            .unwrap(),
            1
        );
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM projects WHERE id = {id} AND plan = 'paid'"
            ))
            .await,
            1
        );
    }
);

both_backends!(
    an_unknown_stored_plan_is_an_error_never_free,
    |app: TestApp| async move {
        let (c, id) = customer_with_paid_project(&app).await;
        // What a bad manual fix could leave behind, with the check taken away to get it in.
        match app.state.db.backend {
            Backend::Sqlite => {
                execute(&app, "DROP TRIGGER projects_codes_known_update")
                    .await
                    .unwrap();
            }
            Backend::Postgres => {
                execute(
                    &app,
                    "ALTER TABLE projects DROP CONSTRAINT projects_codes_known",
                )
                .await
                .unwrap();
            }
        }
        execute(
            &app,
            &format!("UPDATE projects SET plan = 'enterprise', next_step_at = 0 WHERE id = {id}"),
        )
        .await
        .unwrap();
        assert!(
            apm_portal::server::db::projects::find(&app.state.db, ProjectId(id))
                .await
                .is_err(),
            "a row with an unknown plan must not decode"
        );
        // The customer gets our error body, with the request id to quote.
        let res = c
            .get(app.url(&format!("/api/v1/projects/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 500);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], "internal_error", "{body}");
        assert!(body["request_id"].as_str().is_some_and(|s| !s.is_empty()));
        // Long after a free trial would have ended, the job refuses to act instead of
        // expiring what may be a paying project.
        let later = Utc::now() + Duration::days(400);
        assert!(jobs::run_lifecycle(&app.state.db, later).await.is_err());
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM projects WHERE id = {id} AND state = 'active'"
            ))
            .await,
            1
        );
    }
);

both_backends!(
    every_json_error_has_the_one_body,
    |app: TestApp| async move {
        let c = app.new_client();
        let check = |res: reqwest::Response, status: u16, code: &'static str| async move {
            assert_eq!(res.status(), status, "{code}");
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["code"], code, "{body}");
            assert!(body["message"].is_string(), "{body}");
        };
        check(
            c.delete(app.url("/api/v1/projects")).send().await.unwrap(),
            405,
            "method_not_allowed",
        )
        .await;
        check(
            c.get(app.url("/api/v1/projects/not-a-number"))
                .send()
                .await
                .unwrap(),
            401,
            "unauthenticated",
        )
        .await;
        let (owner, _) = customer_with_paid_project(&app).await;
        check(
            owner
                .get(app.url("/api/v1/projects/999999"))
                .send()
                .await
                .unwrap(),
            404,
            "not_found",
        )
        .await;
        check(
            owner
                .get(app.url("/api/v1/projects/not-a-number"))
                .send()
                .await
                .unwrap(),
            400,
            "bad_request",
        )
        .await;
        // Last on this client: the server answers 413 before reading the whole body and closes
        // the connection, which the client's pool must not hand to a later request.
        check(
            owner
                .post(app.url("/api/v1/projects"))
                .header("content-type", "application/json")
                .body(vec![b' '; 3 * 1024 * 1024])
                .send()
                .await
                .unwrap(),
            413,
            "payload_too_large",
        )
        .await;
        // A server function's error is the same body: someone else's project is not found.
        let stranger = app.new_client();
        assert_eq!(
            app.sign_up(&stranger, "stranger", "stranger@example.com")
                .await["outcome"],
            "signed_up"
        );
        let res = app
            .call(&stranger, "projects/detail", &[("project_id", "1")])
            .await;
        assert!(res.status().is_client_error(), "{}", res.status());
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], "not_found", "{body}");
        // An unknown server function, too.
        check(
            app.call(&stranger, "no/such/function", &[]).await,
            400,
            "bad_request",
        )
        .await;
    }
);
