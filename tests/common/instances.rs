//! More portal instances on a test's database, as a deployment of several runs them: each
//! with its own state and connection pools, and (`start_instance`) serving as `apm-portal
//! run` does, with or without the background jobs (`APM_RUN_JOBS`).
use super::TestApp;
use apm_portal::server::config::Settings;
use apm_portal::server::startup::{self, AppState};

/// An instance started by [`TestApp::start_instance`]; dropping it stops serving. Background
/// tasks it spawned (jobs, mail worker) run on until the test's runtime ends.
pub struct Instance {
    pub state: AppState,
    pub base: String,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Instance {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl TestApp {
    /// Another instance's state on this app's database (its own pools), with `tweak` applied
    /// to a copy of this app's settings.
    pub async fn instance_state(&self, tweak: impl FnOnce(&mut Settings)) -> AppState {
        let mut settings = (*self.state.settings).clone();
        tweak(&mut settings);
        startup::prepare(settings).await.unwrap()
    }

    /// A second instance's state on this app's database, with the same settings.
    pub async fn second_instance(&self) -> AppState {
        self.instance_state(|_| {}).await
    }

    /// Another instance started as `apm-portal run` starts one (`startup::serve`: the
    /// background jobs and mail worker unless `run_jobs` is false), on its own port.
    pub async fn start_instance(&self, tweak: impl FnOnce(&mut Settings)) -> Instance {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let state = self
            .instance_state(|s| {
                s.listen = addr;
                s.public_base_url = base.clone();
                tweak(s);
            })
            .await;
        let serving = state.clone();
        let server = tokio::spawn(async move {
            let _ = startup::serve(listener, serving).await;
        });
        Instance {
            state,
            base,
            server,
        }
    }
}
