use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::SqlitePool;
use tokio::sync::{watch, Notify};
use tower_sessions_sqlx_store::SqliteStore;

use super::{auth::password::PasswordHasher, codes::ServerKey, config::Settings, mail::Mailer};

/// Everything a request or the outbox worker needs, built once at start-up. Leptos hands it to
/// server functions as context (`leptos_routes_with_context`), axum to middleware as state.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub settings: Arc<Settings>,
    pub db: SqlitePool,
    pub sessions: SqliteStore,
    pub mailer: Mailer,
    pub hasher: PasswordHasher,
    pub server_key: Arc<ServerKey>,
    /// Wakes the outbox worker as soon as a registration commits a mail to send.
    pub outbox_wake: Arc<Notify>,
    /// Counts the worker's delivery attempts, so a registration can wait for its first one.
    pub delivery_attempts: Arc<watch::Sender<u64>>,
}

impl AppState {
    /// Opens (creating and migrating) the database, the session store, the mail transport and
    /// the code key. Any failure stops start-up.
    pub async fn open(
        settings: Settings,
        leptos_options: LeptosOptions,
    ) -> Result<AppState, super::StartupError> {
        let db = super::db::connect(&settings.database_url).await?;
        let sessions = SqliteStore::new(db.clone());
        sessions.migrate().await?;
        let mailer = Mailer::from_settings(&settings).map_err(super::StartupError::Mail)?;
        let server_key = match settings
            .secret_key_env
            .as_ref()
            .and_then(|key| super::config::decode_hex_key(&key.0))
        {
            Some(key) => ServerKey::from_bytes(key),
            None => ServerKey::load_or_create(&settings.secret_key_file)?,
        };
        Ok(AppState {
            leptos_options,
            hasher: PasswordHasher::new(settings.hash_concurrency),
            settings: Arc::new(settings),
            db,
            sessions,
            mailer,
            server_key: Arc::new(server_key),
            outbox_wake: Arc::new(Notify::new()),
            delivery_attempts: Arc::new(watch::Sender::new(0)),
        })
    }
}
