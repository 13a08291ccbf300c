//! The server: start-up, the axum router, and everything that must never reach the browser.

pub mod audit;
pub mod auth;
pub mod challenge;
pub mod client;
pub mod codes;
pub mod config;
pub mod db;
pub mod error;
pub mod flows;
pub mod http;
pub mod mail;
pub mod state;
pub mod throttle;

use std::{future::Future, net::SocketAddr, process::ExitCode, time::Duration};

use axum::{middleware, routing::get, Router};
use leptos::prelude::use_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio::{net::TcpListener, sync::watch};
use tower_http::limit::RequestBodyLimitLayer;
use tower_sessions::{
    cookie::SameSite, session_store::ExpiredDeletion, Expiry, Session, SessionManagerLayer,
};

use crate::{
    app::{shell, App},
    error::AppError,
};
use client::Client;
use config::Settings;
use state::AppState;

/// Forms are a few fields; nothing legitimate comes close.
const MAX_REQUEST_BODY_BYTES: usize = 16 * 1024;

/// How often expired rate-limit hits, challenges and sessions are swept away.
const HOUSEKEEPING_PERIOD: Duration = Duration::from_secs(600);
/// Rate-limit hits are kept this long (longer than any sensible window).
const RATE_LIMIT_HISTORY_SECS: i64 = 24 * 3600;

pub async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match arguments.as_slice() {
        [] => run().await,
        [command, identifier] if command == "unlock" => unlock(identifier).await,
        _ => {
            eprintln!("usage: gatehouse            serve the portal\n       gatehouse unlock NAME  lift a sign-in lockout (NAME: username or email)");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("gatehouse: {error}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error("leptos configuration: {0}")]
    Leptos(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("mail: {0}")]
    Mail(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

pub async fn run() -> Result<(), StartupError> {
    let settings = Settings::load()?;
    let leptos_options = leptos::config::get_configuration(None)
        .map_err(|e| StartupError::Leptos(e.to_string()))?
        .leptos_options;
    let address = leptos_options.site_addr;
    let state = AppState::open(settings, leptos_options).await?;
    let listener = TcpListener::bind(address).await?;
    tracing::info!("Gatehouse listening on http://{address}");
    serve(state, listener, shutdown_signal()).await?;
    Ok(())
}

async fn unlock(identifier: &str) -> Result<(), StartupError> {
    let settings = Settings::load()?;
    let db = db::connect(&settings.database_url).await?;
    if flows::account::unlock(&db, identifier).await? {
        println!("unlocked {identifier}: its failed sign-ins are cleared");
    } else {
        println!("no account matches {identifier}");
    }
    db.close().await;
    Ok(())
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish, stops the outbox
/// worker between two mails, and closes the database (checkpointing the WAL).
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop_worker, worker_stopped) = watch::channel(false);
    let worker = tokio::spawn(mail::outbox::run(state.clone(), worker_stopped));
    let session_cleanup = tokio::spawn(
        state
            .sessions
            .clone()
            .continuously_delete_expired(HOUSEKEEPING_PERIOD),
    );
    let housekeeping = tokio::spawn(sweep_expired_rows(state.clone()));
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, app).with_graceful_shutdown(shutdown).await;
    let _ = stop_worker.send(true);
    let _ = worker.await;
    session_cleanup.abort();
    housekeeping.abort();
    state.db.close().await;
    served
}

async fn sweep_expired_rows(state: AppState) {
    let mut period = tokio::time::interval(HOUSEKEEPING_PERIOD);
    loop {
        period.tick().await;
        let now = db::now();
        let settings = &state.settings;
        let swept = async {
            db::rate_limits::delete_before(&state.db, now - RATE_LIMIT_HISTORY_SECS).await?;
            db::challenges::delete_expired(&state.db, now).await?;
            db::user_sessions::delete_dead(
                &state.db,
                now - settings.session_idle.as_secs() as i64,
                now - settings.session_lifetime.as_secs() as i64,
            )
            .await
        };
        if let Err(error) = swept.await {
            tracing::warn!(%error, "housekeeping failed; retrying later");
        }
    }
}

pub fn router(state: AppState) -> Router {
    let https = state.settings.serves_https();
    let sessions = SessionManagerLayer::new(state.sessions.clone())
        // `__Host-` binds the cookie to this exact origin; browsers accept it only when Secure.
        .with_name(if https { "__Host-gatehouse" } else { "gatehouse" })
        .with_secure(https)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(
            time::Duration::try_from(state.settings.session_idle).unwrap_or(time::Duration::minutes(30)),
        ));
    let options = state.leptos_options.clone();
    Router::<AppState>::new()
        .route("/healthz", get(|| async { "ok" }))
        .leptos_routes_with_context(
            &state,
            generate_route_list(App),
            http::provide_csp_nonce,
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            http::provide_csp_nonce,
            shell,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            http::redirect_anonymous,
        ))
        .layer(sessions)
        .layer(middleware::from_fn(http::api_error_status))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            http::reject_cross_site,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            client::identify_client,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            http::response_headers,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BODY_BYTES))
        .with_state(state)
}

/// What a server function works with: the shared state, this request's session and client.
pub struct RequestContext {
    pub state: AppState,
    pub session: Session,
    pub client: Client,
}

pub async fn request_context() -> Result<RequestContext, AppError> {
    let state = use_context::<AppState>().ok_or_else(|| error::internal("AppState missing from context"))?;
    let session = leptos_axum::extract::<Session>().await.map_err(error::internal)?;
    let axum::Extension(client) = leptos_axum::extract::<axum::Extension<Client>>()
        .await
        .map_err(error::internal)?;
    Ok(RequestContext {
        state,
        session,
        client,
    })
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down");
}
