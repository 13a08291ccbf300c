//! The console's clients (the apps that "Sign in with Gatehouse"): the registered ones, adding one, replacing
//! its secret, removing it. Like a change to the groups, each needs the admin's recent password
//! and is recorded with the admin as its actor. A new secret is shown once: it waits, sealed, in
//! the admin's session until the next view of the page.

use tower_sessions::Session;

use super::{password_entered_recently, require_recent_password};
use crate::{
    error::AppError,
    model::{AdminClient, AdminClientList},
    server::{
        auth::session::SignedIn,
        client::Client,
        flows::oidc::clients::{self as oidc_clients, ClientError, ClientRequest},
        state::AppState,
    },
    validate::Field,
};

const NEW_SECRET_KEY: &str = "admin.new_client_secret";
const SEAL_PURPOSE: &str = "new client secret";

pub async fn clients(
    state: &AppState,
    admin: &SignedIn,
    session: &Session,
) -> Result<AdminClientList, AppError> {
    let registered = state.store.oidc_clients().await?;
    let new_secret = match session.remove::<(String, Vec<u8>)>(NEW_SECRET_KEY).await? {
        Some((client_id, sealed)) => state
            .server_key
            .open(SEAL_PURPOSE, admin.handle.as_bytes(), &sealed)
            .and_then(|secret| String::from_utf8(secret).ok())
            .map(|secret| (client_id, secret)),
        None => None,
    };
    Ok(AdminClientList {
        clients: registered
            .into_iter()
            .map(|app| AdminClient {
                kind: oidc_clients::kind_of(&app).to_string(),
                consent: app.consent.as_str().to_string(),
                client_id: app.client_id,
                name: app.name,
                groups: app.allowed_groups,
                redirect_uris: app.redirect_uris,
                post_logout_uris: app.post_logout_uris,
            })
            .collect(),
        provider_on: state.settings.oidc_provider,
        password_entered_recently: password_entered_recently(state, admin).await?,
        new_secret,
    })
}

/// A change as the console's forms send it: `action` is `add`, `rotate` or `remove`. Lists are
/// one entry per line (addresses) or separated by spaces and commas (groups).
pub struct ClientForm<'a> {
    pub action: &'a str,
    pub client_id: &'a str,
    pub name: &'a str,
    pub redirect_uris: &'a str,
    pub post_logout_uris: &'a str,
    pub groups: &'a str,
    pub public: bool,
    pub consent: &'a str,
    pub allow_without_pkce: bool,
    pub password: &'a str,
}

pub async fn change_client(
    state: &AppState,
    admin: &SignedIn,
    session: &Session,
    client: &Client,
    form: &ClientForm<'_>,
) -> Result<(), AppError> {
    require_recent_password(state, admin, session, client, form.password).await?;
    let actor = Some((admin.user_id, client));
    let secret = match form.action {
        "add" => {
            let lines = |text: &str| {
                text.lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(str::to_string)
                    .collect()
            };
            let request = ClientRequest {
                client_id: form.client_id.to_string(),
                name: form.name.to_string(),
                redirect_uris: lines(form.redirect_uris),
                post_logout_uris: lines(form.post_logout_uris),
                groups: form
                    .groups
                    .split([' ', ','])
                    .filter(|group| !group.is_empty())
                    .map(str::to_string)
                    .collect(),
                public: form.public,
                consent: Some(form.consent.to_string()).filter(|consent| !consent.is_empty()),
                allow_without_pkce: form.allow_without_pkce,
            };
            oidc_clients::add(state, &request, actor)
                .await
                .map_err(refused)?
                .1
        }
        "rotate" => Some(
            oidc_clients::rotate_secret(state, form.client_id, actor)
                .await
                .map_err(refused)?,
        ),
        "remove" => {
            oidc_clients::remove(state, form.client_id, actor)
                .await
                .map_err(refused)?;
            None
        }
        _ => return Err(AppError::BadRequest),
    };
    if let Some(secret) = secret {
        let sealed = state
            .server_key
            .seal(SEAL_PURPOSE, admin.handle.as_bytes(), secret.as_bytes());
        session
            .insert(NEW_SECRET_KEY, (form.client_id.trim().to_string(), sealed))
            .await?;
    }
    Ok(())
}

fn refused(error: ClientError) -> AppError {
    match error {
        ClientError::Invalid(problem) => AppError::on_field(Field::OidcClient, capitalised(&problem)),
        ClientError::IdTaken(_) => AppError::on_field(Field::OidcClient, "Another app has that client id."),
        ClientError::NoSuchClient(_) => AppError::NoSuchApp,
        ClientError::PublicClient(_) => {
            AppError::on_field(Field::OidcClient, "A public app has no secret to replace.")
        }
        ClientError::Failed(cause) => crate::server::error::internal(cause),
    }
}

fn capitalised(problem: &str) -> String {
    let mut chars = problem.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}
