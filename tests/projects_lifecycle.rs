//! The lifecycle job and projects, on both databases: notices and transitions are recorded once,
//! a stale read cannot stop an upgraded project, one instance holds the lease at a time.
//! (Two instances racing on one due project are tested in their own file.)
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;
use apm_portal::domain::stored::ProjectId;
use apm_portal::server::db::projects::{self as q, lifecycle_event_count};
use apm_portal::server::jobs;
use chrono::{Duration, Utc};
use common::TestApp;
use serde_json::{Value, json};

/// The customer's lifecycle notices as the notification page reads them (alerts left out).
async fn notifications(app: &TestApp, c: &reqwest::Client) -> Vec<Value> {
    let (status, list) = app.call_json(c, "notifications/list", &[]).await;
    assert_eq!(status, 200, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["notice"].get("Lifecycle").cloned())
        .collect()
}

both_backends!(
    a_trial_notice_and_its_expiry_are_each_recorded_once_however_often_the_job_runs,
    |app: TestApp| async move {
        let c = app.new_customer("trialist").await;
        let id = app.create_project(&c, "short-trial", "free").await;
        let db = &app.state.db;
        // Two days before the end: the 3-day notice, stored once.
        let notice_time = Utc::now() + Duration::days(13);
        let r = jobs::run_lifecycle(db, notice_time).await.unwrap();
        assert_eq!((r.transitions, r.notices), (0, 1));
        let again = jobs::run_lifecycle(db, notice_time).await.unwrap();
        assert_eq!((again.transitions, again.notices), (0, 0), "stored once");
        let notices = notifications(&app, &c).await;
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert_eq!(notices[0]["applied"], false);
        // After the end the project is deleted and the customer told; later runs change nothing.
        let after = Utc::now() + Duration::days(16);
        assert!(jobs::run_lifecycle(db, after).await.unwrap().transitions >= 1);
        let events = lifecycle_event_count(db, ProjectId(id)).await.unwrap();
        let told = notifications(&app, &c).await;
        assert!(events >= 1);
        assert!(told.iter().any(|n| n["applied"] == true), "{told:?}");
        for _ in 0..2 {
            let r = jobs::run_lifecycle(db, after).await.unwrap();
            assert_eq!((r.transitions, r.notices), (0, 0), "nothing left to do");
        }
        assert_eq!(
            lifecycle_event_count(db, ProjectId(id)).await.unwrap(),
            events
        );
        assert_eq!(notifications(&app, &c).await, told);
        // The API works the state out for the present; the job's result is the stored state.
        let stored = q::find(db, ProjectId(id)).await.unwrap().unwrap();
        assert_eq!(stored.state.code(), "deleted");
    }
);

both_backends!(
    a_job_that_read_the_project_before_an_upgrade_leaves_it_running,
    |app: TestApp| async move {
        let c = app.new_customer("racer").await;
        let id = app.create_project(&c, "late-upgrade", "free").await;
        let db = &app.state.db;
        // The job read the row while the project was still free...
        let stale = q::find(db, ProjectId(id)).await.unwrap().unwrap();
        // ...the customer upgrades...
        let upgrade = format!("/api/v1/projects/{id}/upgrade");
        assert_eq!(app.post_json(&c, &upgrade, json!({})).await.0, 200);
        // ...and the job's transition, worked out from the stale row, must not land.
        let later = Utc::now() + Duration::days(16);
        let ms = later.timestamp_millis();
        assert!(
            !q::apply_transition(db, &stale, "deleted", ms, ms)
                .await
                .unwrap()
        );
        assert_eq!(
            q::find(db, ProjectId(id))
                .await
                .unwrap()
                .unwrap()
                .state
                .code(),
            "active"
        );
        assert_eq!(app.project(&c, id).await["plan"], "paid");
        assert_eq!(lifecycle_event_count(db, ProjectId(id)).await.unwrap(), 0);
        // A fresh run at the same time finds nothing to do for a paid project.
        assert_eq!(jobs::run_lifecycle(db, later).await.unwrap().transitions, 0);
        assert_eq!(
            q::find(db, ProjectId(id))
                .await
                .unwrap()
                .unwrap()
                .state
                .code(),
            "active"
        );
    }
);

both_backends!(
    the_lease_lets_one_instance_run_at_a_time,
    |app: TestApp| async move {
        use apm_portal::server::db::leases::{release, try_acquire};
        let db = &app.state.db;
        let ms = Utc::now().timestamp_millis();
        assert!(try_acquire(db, "job", "a", ms, ms + 60_000).await.unwrap());
        assert!(
            !try_acquire(db, "job", "b", ms + 1, ms + 60_000)
                .await
                .unwrap()
        );
        assert!(
            try_acquire(db, "job", "b", ms + 60_001, ms + 120_000)
                .await
                .unwrap(),
            "an expired lease is taken over"
        );
        release(db, "job", "b").await.unwrap();
        assert!(
            try_acquire(db, "job", "a", ms + 60_002, ms + 120_000)
                .await
                .unwrap()
        );
    }
);
