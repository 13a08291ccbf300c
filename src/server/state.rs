use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use tokio::sync::{watch, Notify};

use super::{
    audit::RefusalLog,
    auth::{passkeys::RelyingParty, password::Argon2Slots},
    branding::{self, BrandFile},
    clock::{Clock, SystemClock},
    config::Settings,
    flows::forward_auth::SessionCache,
    keys::ServerKey,
    mail::Mailer,
    store::{self, SessionRecords, Store},
};

/// Everything a request or a background task needs, built once at start-up. Leptos hands it to
/// server functions as context (`leptos_routes_with_context`), axum to middleware as state. Every
/// middleware layer and every render takes its own copy, so a copy is one shared pointer.
#[derive(Clone)]
pub struct AppState(Arc<Parts>);

impl std::ops::Deref for AppState {
    type Target = Parts;

    fn deref(&self) -> &Parts {
        &self.0
    }
}

/// Leptos' file and error handlers read the site's options from the router's state.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos_options.clone()
    }
}

pub struct Parts {
    pub leptos_options: LeptosOptions,
    pub settings: Arc<Settings>,
    pub store: Arc<dyn Store>,
    pub sessions: SessionRecords,
    pub mailer: Mailer,
    pub hasher: Argon2Slots,
    pub server_key: Arc<ServerKey>,
    pub clock: Arc<dyn Clock>,
    pub refusals: RefusalLog,
    /// Wakes the outbox worker as soon as a flow commits a mail to send.
    pub outbox_wake: Arc<Notify>,
    /// Counts the worker's delivery attempts, so a request can wait for its mail's first one.
    pub delivery_attempts: Arc<watch::Sender<u64>>,
    /// What forward-auth read of sessions in the last second.
    pub forward_sessions: SessionCache,
    /// None where passkeys cannot work (see `RelyingParty::from_settings`).
    pub passkeys: Option<RelyingParty>,
    /// The stylesheet of `accent_colour`, if one is set.
    pub accent_stylesheet: Option<BrandFile>,
}

impl AppState {
    /// Where links in mail and on the command line point: the configured public origin, else the
    /// listen address.
    pub fn public_origin(&self) -> String {
        match &self.settings.public_url {
            Some(url) => url.0.clone(),
            None => format!("http://{}", self.leptos_options.site_addr),
        }
    }

    /// Opens (creating and migrating) the database, the session records, the mail transport and
    /// the server key. Any failure stops start-up.
    pub async fn open(
        settings: Settings,
        leptos_options: LeptosOptions,
    ) -> Result<AppState, super::StartupError> {
        AppState::open_with_clock(settings, leptos_options, Arc::new(SystemClock)).await
    }

    pub async fn open_with_clock(
        settings: Settings,
        leptos_options: LeptosOptions,
        clock: Arc<dyn Clock>,
    ) -> Result<AppState, super::StartupError> {
        let (store, sessions) = store::open(&settings.database_url).await?;
        let mailer = Mailer::from_settings(&settings).map_err(super::StartupError::Mail)?;
        let server_key = match settings
            .secret_key
            .as_ref()
            .and_then(|key| ServerKey::from_hex(&key.0))
        {
            Some(key) => key,
            None => ServerKey::load_or_create(&settings.secret_key_file)?,
        };
        let passkeys = RelyingParty::from_settings(&settings);
        let accent_stylesheet = settings.accent_colour.as_ref().map(branding::accent_stylesheet);
        let state = AppState(Arc::new(Parts {
            leptos_options,
            hasher: Argon2Slots::new(settings.hash_concurrency),
            settings: Arc::new(settings),
            store,
            sessions,
            mailer,
            server_key: Arc::new(server_key),
            clock,
            refusals: RefusalLog::default(),
            outbox_wake: Arc::new(Notify::new()),
            delivery_attempts: Arc::new(watch::Sender::new(0)),
            forward_sessions: SessionCache::default(),
            passkeys,
            accent_stylesheet,
        }));
        if state.settings.oidc_provider {
            super::flows::oidc::signing::ensure_key(&state)
                .await
                .map_err(|error| super::StartupError::Oidc(error.to_string()))?;
        }
        Ok(state)
    }
}
