//! The server: start-up, the background tasks, and everything that must never reach the browser.

pub mod access_rules;
pub mod audit;
pub mod auth;
pub mod branding;
pub mod cli;
pub mod client;
pub mod clock;
pub mod codes;
pub mod config;
pub mod domain;
pub mod error;
pub mod flows;
pub mod http;
pub mod keys;
pub mod mail;
pub mod metrics;
pub mod pow_challenge;
pub mod registration_policy;
pub mod return_url;
pub mod state;
pub mod store;
pub mod throttle;

use std::{future::Future, process::ExitCode, time::Duration};

use tokio::{net::TcpListener, sync::watch};
use tower_sessions::session_store::ExpiredDeletion;

use config::Settings;
use domain::SweepPolicy;
use state::AppState;

/// How often expired rows are swept away.
const HOUSEKEEPING_PERIOD: Duration = Duration::from_secs(600);
/// How often counted refusals are written.
const REFUSAL_FLUSH_PERIOD: Duration = Duration::from_secs(10);
/// Rate-limit hits and sign-in throttle rows are kept this long: longer than any window may be.
const LIMIT_HISTORY_SECS: i64 = 7 * 24 * 3600;
const DAY_SECS: i64 = 24 * 3600;

pub async fn main() -> ExitCode {
    let logs = tracing_subscriber::fmt().with_env_filter(
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
    );
    // Read before the settings, so that their own errors are logged in the chosen format.
    if std::env::var("GATEHOUSE_LOG_FORMAT").as_deref() == Ok("json") {
        logs.json().init();
    } else {
        logs.init();
    }
    let cli = <cli::Cli as clap::Parser>::parse();
    match cli.run().await {
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
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("mail: {0}")]
    Mail(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("no account has the username or email address {0}")]
    NoSuchAccount(String),
    #[error("{0}")]
    Group(String),
    #[error("OpenID Connect provider: {0}")]
    Oidc(String),
    #[error("invitation: {0}")]
    Invitation(String),
}

pub async fn run() -> Result<(), StartupError> {
    let settings = Settings::load()?;
    let leptos_options = leptos::config::get_configuration(None)
        .map_err(|e| StartupError::Leptos(e.to_string()))?
        .leptos_options;
    let address = leptos_options.site_addr;
    if let Some(warning) = mail_to_files_warning(&settings, address) {
        tracing::warn!("{warning}");
    }
    let state = AppState::open(settings, leptos_options).await?;
    let listener = TcpListener::bind(address).await?;
    tracing::info!("Gatehouse listening on http://{address}");
    serve(state, listener, shutdown_signal()).await?;
    Ok(())
}

/// Mail written to files holds codes and unlock links in clear on this machine: fine on a
/// developer's loopback, a hazard on a listener others can reach.
pub fn mail_to_files_warning(settings: &Settings, address: std::net::SocketAddr) -> Option<String> {
    (settings.smtp_url.is_none() && !address.ip().is_loopback()).then(|| {
        format!(
            "GATEHOUSE_SMTP_URL is not set: every mail, codes and unlock links included, is written to files \
             in {} while the portal listens on {address}, reachable beyond this machine. Set GATEHOUSE_SMTP_URL \
             before anyone else uses it.",
            settings.outbox_dir.display()
        )
    })
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish (within the grace
/// period), lets the outbox worker finish the batch it is sending, writes the counted refusals,
/// and closes the database.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop_background, background_stopped) = watch::channel(false);
    let worker = tokio::spawn(mail::worker::run(state.clone(), background_stopped.clone()));
    let session_cleanup = tokio::spawn(
        state
            .sessions
            .clone()
            .continuously_delete_expired(HOUSEKEEPING_PERIOD),
    );
    let metrics = match state.settings.metrics_addr {
        Some(address) => {
            metrics::recorder();
            let listener = TcpListener::bind(address).await?;
            tracing::info!("metrics on http://{address}/metrics");
            Some(tokio::spawn(http::metrics::serve(
                state.clone(),
                listener,
                background_stopped.clone(),
            )))
        }
        None => None,
    };
    let housekeeping = tokio::spawn(housekeeping(state.clone(), background_stopped));
    let settings = &state.settings;
    let limits = http::listener::ConnectionLimits {
        header_timeout: settings.http_header_timeout_secs.duration(),
        max_connections: settings.http_max_connections,
        max_per_client: settings.http_max_connections_per_client,
        uncapped: settings.trusted_proxies.clone(),
        shutdown_grace: settings.shutdown_grace_secs.duration(),
    };
    let served = http::listener::serve(listener, http::router(state.clone()), limits, shutdown).await;
    let _ = stop_background.send(true);
    let _ = worker.await;
    let _ = housekeeping.await;
    if let Some(metrics) = metrics {
        let _ = metrics.await;
    }
    session_cleanup.abort();
    if let Err(error) = state.refusals.flush(state.store.as_ref()).await {
        tracing::warn!(%error, "could not write the last counted refusals");
    }
    state.store.close().await;
    served
}

/// Writes counted refusals every few seconds and sweeps expired rows every ten minutes.
async fn housekeeping(state: AppState, mut stop: watch::Receiver<bool>) {
    let mut flush = tokio::time::interval(REFUSAL_FLUSH_PERIOD);
    let mut sweep = tokio::time::interval(HOUSEKEEPING_PERIOD);
    loop {
        tokio::select! {
            _ = flush.tick() => {
                if let Err(error) = state.refusals.flush(state.store.as_ref()).await {
                    tracing::warn!(%error, "could not write counted refusals; retrying later");
                }
            }
            _ = sweep.tick() => {
                match state.store.sweep(&sweep_policy(&state)).await {
                    Ok(report) => tracing::debug!(rows = report.rows_deleted, "housekeeping swept"),
                    Err(error) => tracing::warn!(%error, "housekeeping failed; retrying later"),
                }
            }
            _ = stop.changed() => return,
        }
    }
}

/// What the sweep deletes, as of now.
pub fn sweep_policy(state: &AppState) -> SweepPolicy {
    let settings = &state.settings;
    let now = state.clock.now();
    let days = |count: u32| i64::from(count) * DAY_SECS;
    SweepPolicy {
        now,
        rate_limit_hits_before: now - LIMIT_HISTORY_SECS,
        sign_in_throttle_before: now - LIMIT_HISTORY_SECS,
        devices_seen_before: now - settings.session_idle_secs.signed(),
        devices_signed_in_before: now - settings.session_lifetime_secs.signed(),
        unverified_before: now - flows::registration::UNVERIFIED_HOLD_SECS,
        finished_codes_before: now - days(settings.code_log_retention_days),
        sent_mail_before: now - days(settings.code_log_retention_days),
        events_before: now - days(settings.event_retention_days),
        refusals_before: now - days(settings.event_retention_days),
        app_codes_before: now - DAY_SECS,
        signing_keys_retired_before: now - settings.oidc_token_secs.signed(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_to_files_is_a_warning_only_beyond_loopback() {
        let files = Settings::default();
        assert!(mail_to_files_warning(&files, "127.0.0.1:3000".parse().unwrap()).is_none());
        assert!(mail_to_files_warning(&files, "[::1]:3000".parse().unwrap()).is_none());
        let warning = mail_to_files_warning(&files, "0.0.0.0:3000".parse().unwrap()).expect("a warning");
        assert!(warning.contains("GATEHOUSE_SMTP_URL") && warning.contains("data/outbox"));
        let smtp = Settings {
            smtp_url: Some(config::Secret("smtp://mail:25".into())),
            ..Settings::default()
        };
        assert!(mail_to_files_warning(&smtp, "0.0.0.0:3000".parse().unwrap()).is_none());
    }
}
