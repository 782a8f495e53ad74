//! Building the axum application and serving it.
use super::auth::password::PasswordHasherPool;
use super::auth::rate_limit::AuthRateLimiter;
use super::config::Settings;
use super::db::Db;
use crate::app::{App, shell};
use axum::Router;
use axum::extract::{FromRef, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::StatusCode;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use tokio::net::TcpListener;
use tower_http::services::ServeDir;

/// Everything a request handler needs, behind one `Arc`: every middleware layer and the
/// page context take their own copy per request, and cloning it is one reference-count
/// increment rather than a copy of each pool, limiter and the `LeptosOptions` strings.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

#[derive(Debug)]
pub struct Shared {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub hasher: PasswordHasherPool,
    pub auth_limiter: AuthRateLimiter,
    pub project_limiter: super::creation_limit::CreationLimiter,
    /// Sends the outbox (SMTP, or `.eml` files without `APM_SMTP_URL`).
    pub mailer: super::mail::Mailer,
    pub leptos_options: LeptosOptions,
    /// Metrics and price versions for the dashboard's month so far.
    pub price_catalogue: super::price_catalogue::CatalogueCache,
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Db(#[from] super::db::DbError),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Hash(#[from] super::auth::password::HashError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Mail(#[from] super::mail::transport::MailerError),
}

/// Connects, migrates, loads reference data (legal documents) and builds the state.
pub async fn prepare(settings: Settings) -> Result<AppState, StartupError> {
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    super::demo::ensure_reference_data(&db).await?;
    let leptos_options = LeptosOptions::builder()
        .output_name("apm-portal")
        .site_root(settings.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(settings.listen)
        // cargo-leptos writes hash.txt beside the release binary; without it (tests, a plain
        // `cargo run`) the unhashed file names are served, and leptos must not look for it.
        .hash_files(hash_file_present())
        .build();
    let mailer = super::mail::Mailer::from_settings(&settings)?;
    Ok(AppState(Arc::new(Shared {
        mailer,
        hasher: PasswordHasherPool::new(
            settings.max_concurrent_hashes,
            settings.max_queued_hashes,
        )?,
        auth_limiter: AuthRateLimiter::per_minute(settings.auth_rate_per_minute),
        project_limiter: super::creation_limit::CreationLimiter::per_hour(
            settings.project_creations_per_hour,
        ),
        db,
        settings: Arc::new(settings),
        leptos_options,
        price_catalogue: Default::default(),
    })))
}

fn hash_file_present() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("hash.txt").exists()))
        .unwrap_or(false)
}

/// The app's routes, generated once per process. Generating them runs the app while a
/// process-wide flag makes every resource that starts loading meanwhile wait for ever
/// (leptos issue #4773): a page another router of this process renders at that moment never
/// answers. A server builds one router, but the tests build one per test in one process, and
/// their pages hung now and then until the list was generated only once.
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let routes = routes();
    let ctx_state = state.clone();
    let leptos_context = move || provide_context(ctx_state.clone());
    let pages_and_functions = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/locale/{lang}", get(super::locale::switch))
        .nest("/api/v1", super::api::router())
        .merge(super::support::forms::routes())
        .merge(super::downloads::router())
        .route("/api/{*fn_name}", post(server_fn_handler))
        .leptos_routes_with_context(&state, routes, leptos_context, {
            let opts = state.leptos_options.clone();
            move || shell(opts.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            {
                let s = state.clone();
                move || provide_context(s.clone())
            },
            shell,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::flash::middleware,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::auth::session::middleware,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::http::auth_rate_limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::auth::csrf::middleware,
        ));
    let pages_and_functions = pages_and_functions
        // A bug must cost one request, not the process: answer 500 and keep serving.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            super::http::panic_response,
        ))
        .layer(axum::middleware::from_fn(
            super::http::json_errors_under_api,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::http::security_headers,
        ))
        // Pages only (the WASM and JS are precompressed at build time); see `compress_html`.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::compression::CompressionLevel::Precise(4))
                .compress_when(super::http::compress_html),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::http::request_context,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::cookies::middleware,
        ))
        .with_state(state.clone());
    // Static assets skip every page layer (request ids, cookies, sessions, CSP): they are the
    // same for everybody, served precompressed with one small header layer.
    let pkg_dir = format!("{}/pkg", state.settings.site_root);
    let assets = Router::new()
        .nest_service(
            "/pkg",
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(axum::middleware::map_response(super::http::asset_headers));
    assets.merge(pages_and_functions)
}

async fn server_fn_handler(State(state): State<AppState>, req: Request) -> impl IntoResponse {
    leptos_axum::handle_server_fns_with_context(move || provide_context(state.clone()), req).await
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "readiness check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

/// Serves until SIGTERM or Ctrl-C, finishing the requests in flight.
pub async fn serve(listener: TcpListener, state: AppState) -> Result<(), std::io::Error> {
    use axum::serve::ListenerExt;
    // APM_RUN_JOBS=false: an instance that only serves; the jobs (month close, statements,
    // lifecycle, mail) run on the instances chosen for them. They are once-only anyway.
    let (jobs, mail) = if state.settings.run_jobs {
        (
            Some(super::jobs::spawn(state.clone())),
            Some(super::mail::worker::spawn(
                state.db.clone(),
                state.mailer.clone(),
                &state.settings,
            )),
        )
    } else {
        tracing::info!("APM_RUN_JOBS=false: background jobs are not run by this instance");
        (None, None)
    };
    let app = router(state);
    // Without TCP_NODELAY every static asset stalls ~44 ms on delayed ACKs (TOOLCHAIN.md).
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let result = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    for task in [jobs, mail].into_iter().flatten() {
        task.abort();
    }
    result
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
