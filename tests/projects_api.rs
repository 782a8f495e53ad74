//! Projects through `/api/v1` and the customer's server functions, on both databases: creating,
//! prefixes and their races, targets, capacity, isolation between customers, API tokens.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use apm_portal::domain::stored::UserId;
use common::TestApp;
use common::requests::{PASSWORD, send};
use serde_json::{Value, json};

both_backends!(
    create_read_and_list_through_the_api,
    |app: TestApp| async move {
        let c = app.new_customer("creator").await;
        let (status, p) = app.try_create_project(&c, "Pay-Shop", "free").await;
        assert_eq!(status, 201, "{p}");
        assert_eq!(p["prefix"], "pay-shop");
        assert_eq!(p["address"], "pay-shop.apm.example.kr");
        assert_eq!(p["plan"], "free");
        assert_eq!(p["state"], "active");
        assert_eq!(p["days_left"], 15);
        assert_eq!(p["targets_left"], 5);
        let id = p["id"].as_i64().unwrap();
        assert_eq!(app.project(&c, id).await["name"], "결제 서비스");
        let (_, list) = app.get_json(&c, "/api/v1/projects").await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
        // The plan choice is recorded with its time.
        let history = app.project_detail(&c, id).await["plan_history"].clone();
        assert_eq!(history.as_array().unwrap().len(), 1, "{history}");
        assert_eq!(history[0]["to_plan"], "Free");
        assert!(!history[0]["at"].as_str().unwrap().is_empty(), "{history}");
    }
);

both_backends!(
    invalid_input_is_explained_and_writes_nothing,
    |app: TestApp| async move {
        let c = app.new_customer("careful").await;
        for (prefix, code) in [
            ("ab", "prefix_too_short"),
            ("www", "prefix_reserved"),
            ("my--shop", "prefix_double_hyphen"),
            ("shop-", "prefix_ends_with_hyphen"),
            ("쇼핑", "prefix_invalid_character"),
        ] {
            let (status, e) = app.try_create_project(&c, prefix, "free").await;
            assert_eq!(status, 422, "{prefix}");
            assert_eq!(e["code"], "validation_failed");
            assert_eq!(e["fields"][0]["code"], code, "{prefix}: {e}");
        }
        let (_, bad_plan) = app.try_create_project(&c, "goodname", "gold").await;
        assert_eq!(bad_plan["fields"][0]["field"], "plan", "{bad_plan}");
        let (status, broken) = send(
            c.post(app.url("/api/v1/projects"))
                .header("content-type", "application/json")
                .body("{"),
        )
        .await;
        assert_eq!((status, &broken["code"]), (400, &json!("bad_request")));
        let (status, not_a_number) = app.get_json(&c, "/api/v1/projects/abc").await;
        assert_eq!(
            (status, &not_a_number["code"]),
            (400, &json!("bad_request"))
        );
        let (_, no_query) = app.get_json(&c, "/api/v1/prefix-availability").await;
        assert_eq!(no_query["code"], "bad_request");
        let (_, wrong_method) = send(c.put(app.url("/api/v1/projects"))).await;
        assert_eq!(wrong_method["code"], "method_not_allowed");
        let (_, list) = app.get_json(&c, "/api/v1/projects").await;
        assert_eq!(list, json!({"items": []}), "nothing was created");
    }
);

both_backends!(
    a_prefix_is_unique_across_customers,
    |app: TestApp| async move {
        let a = app.new_customer("alpha").await;
        let b = app.new_customer("bravo").await;
        app.create_project(&a, "shared", "free").await;
        let (status, e) = app.try_create_project(&b, "SHARED", "paid").await;
        assert_eq!((status, &e["code"]), (409, &json!("prefix_taken")));
        let (_, check) = app
            .get_json(&b, "/api/v1/prefix-availability?prefix=Shared")
            .await;
        assert_eq!(check["available"], false);
        assert_eq!(check["reason"], "prefix_taken");
        let (_, free) = app
            .get_json(&b, "/api/v1/prefix-availability?prefix=other-one")
            .await;
        assert_eq!(free["available"], true);
        assert_eq!(free["address"], "other-one.apm.example.kr");
    }
);

both_backends!(
    many_customers_racing_for_a_prefix_exactly_one_wins,
    |app: TestApp| async move {
        let mut clients = Vec::new();
        for i in 0..6 {
            clients.push(app.new_customer(&format!("racer{i}")).await);
        }
        let attempts = clients
            .iter()
            .map(|c| app.try_create_project(c, "contested", "free"));
        let results = futures::future::join_all(attempts).await;
        let statuses: Vec<u16> = results.iter().map(|(s, _)| *s).collect();
        assert_eq!(
            statuses.iter().filter(|s| **s == 201).count(),
            1,
            "{statuses:?}"
        );
        for (status, body) in &results {
            assert!(
                *status == 201 || (*status == 409 && body["code"] == "prefix_taken"),
                "{status}: {body}"
            );
        }
        // Exactly one customer owns it.
        let mut owners = 0;
        for c in &clients {
            let (_, list) = app.get_json(c, "/api/v1/projects").await;
            owners += list["items"].as_array().unwrap().len();
        }
        assert_eq!(owners, 1);
    }
);

/// Creates a trigger that, when `loser` inserts a project, first inserts the same prefix for
/// `winner` inside the same statement: the rival's row lands after the availability check and
/// before the insert, so only the unique index can refuse the loser.
async fn a_rival_claims_the_prefix_first(app: &TestApp, winner: i64, loser: i64) {
    let columns = "owner_id, name, prefix, plan, created_at, state, state_changed_at, \
                   ingest_gb_per_day, storage_gb";
    let values = format!(
        "{winner}, 'rival', NEW.prefix, NEW.plan, NEW.created_at, NEW.state, \
         NEW.state_changed_at, NEW.ingest_gb_per_day, NEW.storage_gb"
    );
    let statements = match app.state.db.backend {
        apm_portal::server::db::Backend::Sqlite => vec![format!(
            "CREATE TRIGGER rival_first BEFORE INSERT ON projects WHEN NEW.owner_id = {loser} \
             BEGIN INSERT INTO projects ({columns}) VALUES ({values}); END"
        )],
        apm_portal::server::db::Backend::Postgres => vec![
            format!(
                "CREATE FUNCTION rival_first() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN \
                 IF NEW.owner_id = {loser} THEN INSERT INTO projects ({columns}) VALUES ({values}); \
                 END IF; RETURN NEW; END $f$"
            ),
            "CREATE TRIGGER rival_first BEFORE INSERT ON projects FOR EACH ROW \
             EXECUTE FUNCTION rival_first()"
                .to_string(),
        ],
    };
    for sql in statements {
        sqlx::query(&sql).execute(&app.state.db.pool).await.unwrap();
    }
}

async fn user_id(app: &TestApp, c: &reqwest::Client) -> i64 {
    let (_, me) = app.call_json(c, "auth/me", &[]).await;
    me["Customer"]["id"].as_i64().unwrap()
}

both_backends!(
    a_prefix_claimed_after_the_availability_check_is_refused_by_the_unique_index_with_409,
    |app: TestApp| async move {
        let alpha = app.new_customer("alpha").await;
        let bravo = app.new_customer("bravo").await;
        let (alpha_id, bravo_id) = (user_id(&app, &alpha).await, user_id(&app, &bravo).await);
        a_rival_claims_the_prefix_first(&app, alpha_id, bravo_id).await;
        let (_, check) = app
            .get_json(&bravo, "/api/v1/prefix-availability?prefix=contested")
            .await;
        assert_eq!(
            check["available"], true,
            "nothing holds it before the insert"
        );
        let (status, e) = app.try_create_project(&bravo, "contested", "free").await;
        assert_eq!((status, &e["code"]), (409, &json!("prefix_taken")), "{e}");
        // The refused insert left nothing behind for the loser.
        let (_, list) = app.get_json(&bravo, "/api/v1/projects").await;
        assert_eq!(list, json!({"items": []}));
    }
);

both_backends!(
    two_inserts_past_the_availability_check_are_settled_by_the_unique_index,
    |app: TestApp| async move {
        use apm_portal::server::db::projects::{InsertError, NewProject, insert};
        let a = app.new_customer("alpha").await;
        let b = app.new_customer("bravo").await;
        let now = chrono::Utc::now().timestamp_millis();
        let new = |owner_id| NewProject {
            owner_id,
            name: "결제 서비스",
            prefix: "contested",
            plan: "free",
            ingest_gb_per_day: 5,
            storage_gb: 50,
            next_step_at: None,
            max_projects: None,
        };
        let (first, second) = (
            new(UserId(user_id(&app, &a).await)),
            new(UserId(user_id(&app, &b).await)),
        );
        let db = &app.state.db;
        // Neither insert checks availability first: only the index can refuse one of them.
        let (x, y) = tokio::join!(insert(db, &first, now), insert(db, &second, now));
        let results = [x, y];
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
        assert!(
            results
                .iter()
                .any(|r| matches!(r, Err(InsertError::PrefixTaken))),
            "{results:?}"
        );
    }
);

both_backends!(
    another_customers_project_is_not_found_on_pages_and_api,
    |app: TestApp| async move {
        let owner = app.new_customer("owner").await;
        let id = app.create_project(&owner, "owned-one", "paid").await;
        let other = app.new_customer("intruder").await;
        let sid = id.to_string();
        for path in [
            format!("/api/v1/projects/{id}"),
            format!("/api/v1/projects/{id}/targets"),
            format!("/api/v1/projects/{id}/capacity-changes"),
        ] {
            let (status, e) = app.get_json(&other, &path).await;
            assert_eq!((status, &e["code"]), (404, &json!("not_found")), "{path}");
        }
        assert_eq!(app.add_target(&other, id, "x").await.0, 404);
        let upgrade = format!("/api/v1/projects/{id}/upgrade");
        assert_eq!(app.post_json(&other, &upgrade, json!({})).await.0, 404);
        // Server functions and the page itself.
        let detail = [("project_id", sid.as_str())];
        assert_eq!(
            app.call_json(&other, "projects/detail", &detail).await.0,
            404
        );
        let add = [
            ("project_id", sid.as_str()),
            ("kind", "url"),
            ("name", "x"),
            ("detail", "https://a.example.com"),
        ];
        assert_eq!(
            app.call_json(&other, "projects/targets/add", &add).await.0,
            404
        );
        let page = format!("/projects/{id}");
        assert_eq!(send(other.get(app.url(&page))).await.0, 404);
        assert_eq!(send(owner.get(app.url(&page))).await.0, 200);
        assert!(app.targets(&owner, id).await.is_empty());
        // The owner's own target cannot be renamed or removed by anyone else either, and
        // neither the capacity nor the plan moves.
        let (status, added) = app.add_target(&owner, id, "mine").await;
        assert_eq!(status, 201);
        let tid = added["items"][0]["id"].as_i64().unwrap().to_string();
        let target = format!("/api/v1/projects/{id}/targets/{tid}");
        let rename = app
            .patch_json(&other, &target, json!({"name": "theirs"}))
            .await;
        assert_eq!(rename.0, 404);
        assert_eq!(app.delete_json(&other, &target).await.0, 404);
        let capacity = json!({"ingest_gb_per_day": 50, "storage_gb": 500,
            "extended_retention": true, "remote_support": true});
        let cap = format!("/api/v1/projects/{id}/capacity-changes");
        assert_eq!(app.post_json(&other, &cap, capacity).await.0, 404);
        for (endpoint, form) in [
            (
                "projects/targets/rename",
                vec![
                    ("project_id", sid.as_str()),
                    ("target_id", tid.as_str()),
                    ("name", "theirs"),
                ],
            ),
            (
                "projects/targets/remove",
                vec![("project_id", sid.as_str()), ("target_id", tid.as_str())],
            ),
            ("projects/upgrade", vec![("project_id", sid.as_str())]),
            (
                "projects/capacity",
                vec![
                    ("project_id", sid.as_str()),
                    ("ingest_gb_per_day", "50"),
                    ("storage_gb", "500"),
                ],
            ),
        ] {
            assert_eq!(
                app.call_json(&other, endpoint, &form).await.0,
                404,
                "{endpoint}"
            );
        }
        let targets = app.targets(&owner, id).await;
        assert_eq!(targets.len(), 1);
        assert_eq!(targets[0]["name"], "mine");
        assert!(app.capacity_history(&owner, id).await.is_empty());
        assert_eq!(app.project(&owner, id).await["plan"], "paid");
        // Without any credentials the API says so.
        let (status, _) = send(reqwest::Client::new().get(app.url("/api/v1/projects"))).await;
        assert_eq!(status, 401);
    }
);

both_backends!(
    the_free_plan_allows_five_targets_and_paid_any_number,
    |app: TestApp| async move {
        let c = app.new_customer("targeter").await;
        let id = app.create_project(&c, "five-targets", "free").await;
        for n in 0..5 {
            assert_eq!(app.add_target(&c, id, &format!("check {n}")).await.0, 201);
        }
        let (status, refused) = app.add_target(&c, id, "check 5").await;
        assert_eq!(
            (status, &refused["code"]),
            (409, &json!("target_limit_reached"))
        );
        // Bad details are explained per field.
        let targets_path = format!("/api/v1/projects/{id}/targets");
        let bad = json!({"kind": "system", "name": "", "detail": "not a host"});
        assert_eq!(app.post_json(&c, &targets_path, bad).await.0, 422);
        let upgrade = format!("/api/v1/projects/{id}/upgrade");
        let (status, up) = app.post_json(&c, &upgrade, json!({})).await;
        assert_eq!(status, 200, "{up}");
        assert_eq!(up["plan"], "paid");
        assert_eq!(up["days_left"], Value::Null);
        assert_eq!(app.add_target(&c, id, "check 6").await.0, 201);
        assert_eq!(app.targets(&c, id).await.len(), 6);
        // Rename and remove.
        let tid = app.targets(&c, id).await[0]["id"].as_i64().unwrap();
        let target = format!("/api/v1/projects/{id}/targets/{tid}");
        assert_eq!(
            app.patch_json(&c, &target, json!({"name": "홈"})).await.0,
            204
        );
        assert!(app.targets(&c, id).await.iter().any(|t| t["name"] == "홈"));
        assert_eq!(app.delete_json(&c, &target).await.0, 204);
        assert_eq!(app.delete_json(&c, &target).await.0, 404);
        assert_eq!(app.targets(&c, id).await.len(), 5);
        // Upgrading twice records one change.
        assert_eq!(app.post_json(&c, &upgrade, json!({})).await.0, 409);
        let history = app.project_detail(&c, id).await["plan_history"].clone();
        let upgrades = history
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["to_plan"] == "Paid")
            .count();
        assert_eq!(upgrades, 1, "{history}");
    }
);

both_backends!(
    capacity_changes_apply_at_once_and_keep_history,
    |app: TestApp| async move {
        let c = app.new_customer("grower").await;
        let id = app.create_project(&c, "growing", "paid").await;
        let url = format!("/api/v1/projects/{id}/capacity-changes");
        let capacity = |ingest: u32, extended: bool, remote: bool| {
            json!({"ingest_gb_per_day": ingest, "storage_gb": 500,
                "extended_retention": extended, "remote_support": remote})
        };
        assert_eq!(
            app.post_json(&c, &url, capacity(50, true, false)).await.0,
            201
        );
        let (status, history) = app.post_json(&c, &url, capacity(20, true, true)).await;
        assert_eq!(status, 201);
        assert_eq!(history["items"].as_array().unwrap().len(), 2);
        assert_eq!(history["items"][0]["from"]["ingest_gb_per_day"], 50);
        assert_eq!(history["items"][0]["to"]["ingest_gb_per_day"], 20);
        assert!(history["items"][0]["applied_at"].is_string());
        assert_eq!(
            history["items"][0]["requested_at"],
            history["items"][0]["applied_at"]
        );
        assert_eq!(
            app.post_json(&c, &url, capacity(0, true, true)).await.0,
            422
        );
        let (_, same) = app.post_json(&c, &url, capacity(20, true, true)).await;
        assert_eq!(same["fields"][0]["code"], "no_change");
        let now = &app.project_detail(&c, id).await["capacity"];
        assert_eq!(now["ingest_gb_per_day"], 20, "{now}");
        assert_eq!(now["remote_support"], true, "{now}");
        assert_eq!(app.capacity_history(&c, id).await.len(), 2);
        // Free projects cannot change capacity.
        let fid = app.create_project(&c, "still-free", "free").await;
        let small = json!({"ingest_gb_per_day": 5, "storage_gb": 50,
            "extended_retention": false, "remote_support": false});
        let (_, free) = app
            .post_json(
                &c,
                &format!("/api/v1/projects/{fid}/capacity-changes"),
                small,
            )
            .await;
        assert_eq!(free["fields"][0]["code"], "not_paid");
    }
);

both_backends!(
    personal_api_tokens_work_until_revoked,
    |app: TestApp| async move {
        let c = app.new_customer("automator").await;
        let (_, made) = app
            .call_json(
                &c,
                "account/tokens/create",
                &[("name", "CI"), ("current_password", PASSWORD)],
            )
            .await;
        let secret = made["secret"].as_str().unwrap().to_string();
        assert!(secret.starts_with("apm_"));
        // No API shows the stored form, so this one look is at the table itself.
        let stored: String = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        assert_ne!(stored, secret, "only the hash is kept");
        let bot = reqwest::Client::new();
        let (status, _) = send(
            bot.post(app.url("/api/v1/projects"))
                .bearer_auth(&secret)
                .json(&json!({"name": "From CI", "prefix": "from-ci", "plan": "free"})),
        )
        .await;
        assert_eq!(status, 201, "a bearer token needs no Origin");
        // A token is no key to the account itself: it cannot mint more tokens, even same-origin.
        let (minted, _) = send(
            bot.post(app.url("/api/account/tokens/create"))
                .bearer_auth(&secret)
                .header("origin", app.url(""))
                .header("accept", "application/json")
                .form(&[("name", "more")]),
        )
        .await;
        assert_ne!(minted, 200);
        let (_, list) = app.call_json(&c, "account/tokens", &[]).await;
        assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
        let tid = list[0]["id"].as_i64().unwrap().to_string();
        app.call_json(&c, "account/tokens/revoke", &[("token_id", &tid)])
            .await;
        let (after, _) = send(bot.get(app.url("/api/v1/projects")).bearer_auth(&secret)).await;
        assert_eq!(after, 401);
    }
);

#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let app = common::spawn_app(common::Backend::Sqlite).await.unwrap();
    let (status, doc) = send(reqwest::Client::new().get(app.url("/api/v1/openapi.json"))).await;
    assert_eq!(status, 200);
    assert_eq!(doc["info"]["title"], "APM portal API");
    for path in [
        "/api/v1/projects",
        "/api/v1/projects/{id}/targets",
        "/api/v1/projects/{id}/capacity-changes",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
}
