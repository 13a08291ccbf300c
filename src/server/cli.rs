//! The command line: serving the portal, and what an operator does without a browser.

use clap::{Parser, Subcommand};

use crate::model::AdminAction;

use super::{
    clock::{Clock, SystemClock},
    config::Settings,
    domain::{AccountAction, GroupAction, GroupChange, GroupRefusal, InvitationActor, NoticeDetails},
    flows::{
        invitations,
        oidc::{
            clients::{self as oidc_clients, ClientError, ClientRequest},
            signing,
        },
    },
    state::AppState,
    store, StartupError,
};

#[derive(Debug, Parser)]
#[command(name = "gatehouse", version, about = "A self-hostable registration portal.")]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the portal (what `gatehouse` alone does).
    Serve,
    /// Apply the database migrations, then exit (serving applies them too).
    Migrate,
    /// Print the effective settings, secrets redacted; exit non-zero if one is bad.
    CheckConfig,
    /// Lift an account's sign-in lockout and forget its failed sign-ins.
    Unlock {
        /// The account's username or email address.
        account: String,
    },
    /// Grant or revoke the admin role (the first admin is made here).
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Groups of accounts, which forward-auth's access rules name.
    Groups {
        #[command(subcommand)]
        command: GroupsCommand,
    },
    /// The apps that sign users in with Gatehouse (OpenID Connect clients).
    Clients {
        #[command(subcommand)]
        command: ClientsCommand,
    },
    /// The keys that sign ID tokens.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Invite an address: the invitation is mailed, and its link printed on the last line. The
    /// link works once, in every registration mode.
    Invite {
        address: String,
        /// A group the account joins (repeat for several).
        #[arg(long = "group")]
        groups: Vec<String>,
        /// How many days the link works (1 to 90).
        #[arg(long, default_value_t = invitations::DEFAULT_DAYS)]
        days: i64,
    },
}

#[derive(Debug, Subcommand)]
enum ClientsCommand {
    /// Register an app. A confidential app's secret is printed once, alone on the last line.
    Add {
        /// The client id the app is configured with.
        #[arg(long)]
        id: String,
        /// The app's name, shown to users on the consent page.
        #[arg(long)]
        name: String,
        /// Where the app receives its code; exact match (repeat for several).
        #[arg(long = "redirect-uri", required = true)]
        redirect_uris: Vec<String>,
        /// A native or browser app that cannot keep a secret (PKCE alone authenticates it).
        #[arg(long)]
        public: bool,
        /// Only members of these groups may sign in to it (repeat for several).
        #[arg(long = "group")]
        groups: Vec<String>,
        /// Where the app may send users after signing them out (repeat for several).
        #[arg(long = "post-logout-uri")]
        post_logout_uris: Vec<String>,
        /// `explicit` asks each user once; `implicit` (the operator's own apps) does not.
        #[arg(long, value_parser = ["implicit", "explicit"], default_value = "explicit")]
        consent: String,
        /// A legacy confidential app that cannot send PKCE.
        #[arg(long)]
        allow_without_pkce: bool,
    },
    /// Every app: id, name, kind, consent, groups, redirect URIs.
    List,
    /// Remove an app: its tokens stop working at once.
    Remove { id: String },
    /// A new secret for a confidential app, printed once; the old one stops working at once.
    RotateSecret { id: String },
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// A new ID-token signing key; the old one stays published until its tokens have expired.
    Rotate,
}

#[derive(Debug, Subcommand)]
enum GroupsCommand {
    /// Create a group (lower-case letters, digits, - and _).
    Create {
        name: String,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Add an account to a group.
    Add {
        group: String,
        /// The account's username or email address.
        account: String,
    },
    /// Remove an account from a group.
    Remove {
        group: String,
        /// The account's username or email address.
        account: String,
    },
    /// Every group, one per line: its name, its member count, its members.
    List,
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Make the account an admin. The console opens once it has two-factor turned on.
    Grant {
        /// The account's username or email address.
        account: String,
    },
    /// Take the admin role away.
    Revoke {
        /// The account's username or email address.
        account: String,
    },
}

impl Cli {
    pub async fn run(self) -> Result<(), StartupError> {
        match self.command.unwrap_or(Command::Serve) {
            Command::Serve => super::run().await,
            Command::Migrate => {
                let settings = Settings::load()?;
                let (store, _) = store::open(&settings.database_url).await?;
                store.close().await;
                println!("migrations applied to {:?}", settings.database_url);
                Ok(())
            }
            Command::CheckConfig => {
                println!("{:#?}", Settings::load()?);
                Ok(())
            }
            Command::Unlock { account } => {
                act(
                    &account,
                    AdminAction::Unlock,
                    "unlocked: its failed sign-ins are cleared",
                )
                .await
            }
            Command::Admin {
                command: AdminCommand::Grant { account },
            } => act(&account, AdminAction::GrantAdmin, "is an admin now").await,
            Command::Admin {
                command: AdminCommand::Revoke { account },
            } => act(&account, AdminAction::RevokeAdmin, "is no longer an admin").await,
            Command::Groups { command } => groups(command).await,
            Command::Invite {
                address,
                groups,
                days,
            } => invite(&address, &groups, days).await,
            Command::Clients { command } => clients(command).await,
            Command::Keys {
                command: KeysCommand::Rotate,
            } => {
                let state = open_state().await?;
                let key_id = signing::rotate(&state)
                    .await
                    .map_err(|error| StartupError::Oidc(error.to_string()))?;
                println!(
                    "new signing key {key_id}; the previous one stays published until its tokens expire"
                );
                state.store.close().await;
                Ok(())
            }
        }
    }
}

/// Everything a flow needs, as the server has it (the server key, the database, the clock, the
/// listen address that links name when no public address is set); no site is served.
async fn open_state() -> Result<AppState, StartupError> {
    let settings = Settings::load()?;
    let site_addr: std::net::SocketAddr = std::env::var("LEPTOS_SITE_ADDR")
        .ok()
        .and_then(|address| address.parse().ok())
        .unwrap_or_else(|| ([127, 0, 0, 1], 3000).into());
    let site = leptos::config::LeptosOptions::builder()
        .output_name("gatehouse")
        .site_addr(site_addr)
        .build();
    AppState::open(settings, site).await
}

/// Sends an invitation with no acting admin (recorded so) and prints its link.
async fn invite(address: &str, groups: &[String], days: i64) -> Result<(), StartupError> {
    let state = open_state().await?;
    let request = invitations::InvitationRequest {
        email: address,
        groups: &groups.join(","),
        days: &days.to_string(),
    };
    let by = InvitationActor {
        actor_id: None,
        client: None,
        now: SystemClock.now(),
    };
    let outcome = invitations::invite(&state, &request, by).await;
    state.store.close().await;
    let sent = outcome.map_err(|error| {
        let sentence = match &error {
            crate::error::AppError::Validation(fields) => fields
                .iter()
                .map(|field| field.message.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            other => other.to_string(),
        };
        StartupError::Invitation(sentence)
    })?;
    println!(
        "invitation for {} queued; the server mails it. Its link, on the next line, works once:",
        sent.email
    );
    println!("{}", sent.link);
    Ok(())
}

async fn clients(command: ClientsCommand) -> Result<(), StartupError> {
    let state = open_state().await?;
    let outcome = run_clients(&state, command).await;
    state.store.close().await;
    outcome.map_err(|error| StartupError::Oidc(error.to_string()))
}

async fn run_clients(state: &AppState, command: ClientsCommand) -> Result<(), ClientError> {
    match command {
        ClientsCommand::Add {
            id,
            name,
            redirect_uris,
            public,
            groups,
            post_logout_uris,
            consent,
            allow_without_pkce,
        } => {
            let request = ClientRequest {
                client_id: id,
                name,
                redirect_uris,
                post_logout_uris,
                groups,
                public,
                consent: Some(consent),
                allow_without_pkce,
            };
            let (client, secret) = oidc_clients::add(state, &request, None).await?;
            println!(
                "client {} registered ({})",
                client.client_id,
                oidc_clients::kind_of(&client)
            );
            if let Some(secret) = secret {
                println!("its secret, shown this once, is on the next line");
                println!("{secret}");
            }
        }
        ClientsCommand::List => {
            for client in state.store.oidc_clients().await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    client.client_id,
                    client.name,
                    oidc_clients::kind_of(&client),
                    client.consent.as_str(),
                    client.allowed_groups.join(","),
                    client.redirect_uris.join(" ")
                );
            }
        }
        ClientsCommand::Remove { id } => {
            oidc_clients::remove(state, &id, None).await?;
            println!("client {id} removed; its tokens no longer work");
        }
        ClientsCommand::RotateSecret { id } => {
            let secret = oidc_clients::rotate_secret(state, &id, None).await?;
            println!("client {id} has a new secret, shown this once, on the next line; the old one no longer works");
            println!("{secret}");
        }
    }
    Ok(())
}

/// Does `kind` to the account `identifier` names, recorded in its security log with no acting admin.
async fn act(identifier: &str, kind: AdminAction, done: &str) -> Result<(), StartupError> {
    let settings = Settings::load()?;
    let (store, _) = store::open(&settings.database_url).await?;
    let identifier = identifier.trim().to_lowercase();
    let outcome = match store.user_id_of(&identifier).await? {
        None => Err(StartupError::NoSuchAccount(identifier)),
        Some(user_id) => {
            let action = AccountAction {
                kind,
                user_id,
                actor_id: None,
                client: None,
                details: NoticeDetails::default(),
                now: SystemClock.now(),
            };
            let changed = store.act_on_account(action).await?;
            println!("{identifier} {}", if changed { done } else { "was so already" });
            Ok(())
        }
    };
    store.close().await;
    outcome
}

/// Changes or lists the groups, each change recorded in the security log with no acting admin.
async fn groups(command: GroupsCommand) -> Result<(), StartupError> {
    let settings = Settings::load()?;
    let (store, _) = store::open(&settings.database_url).await?;
    let outcome = run_groups(&*store, command).await;
    store.close().await;
    outcome
}

async fn run_groups(store: &dyn store::Store, command: GroupsCommand) -> Result<(), StartupError> {
    if let GroupsCommand::List = command {
        for group in store.groups().await? {
            let members = match store.group(&group.name).await? {
                Some((_, members)) => members.into_iter().map(|member| member.username).collect(),
                None => Vec::new(),
            };
            println!("{}\t{}\t{}", group.name, group.members, members.join(","));
        }
        return Ok(());
    }
    let (group, account) = match &command {
        GroupsCommand::Create { name, .. } => (name, None),
        GroupsCommand::Add { group, account } | GroupsCommand::Remove { group, account } => {
            (group, Some(account))
        }
        GroupsCommand::List => unreachable!("listed above"),
    };
    let name = crate::validate::group_name(group)
        .map_err(|problem| StartupError::Group(format!("{group:?}: {}", problem.in_english())))?;
    let user_id = match account {
        Some(account) => {
            let identifier = account.trim().to_lowercase();
            Some(
                store
                    .user_id_of(&identifier)
                    .await?
                    .ok_or(StartupError::NoSuchAccount(identifier))?,
            )
        }
        None => None,
    };
    let (action, done) = match (&command, user_id) {
        (GroupsCommand::Create { description, .. }, _) => (
            GroupAction::Create {
                name: &name,
                description: description.trim(),
            },
            format!("group {name} created"),
        ),
        (GroupsCommand::Add { account, .. }, Some(user_id)) => (
            GroupAction::AddMember { name: &name, user_id },
            format!("{account} is in {name}"),
        ),
        (_, Some(user_id)) => (
            GroupAction::RemoveMember { name: &name, user_id },
            format!(
                "{} is not in {name}",
                account.map(String::as_str).unwrap_or_default()
            ),
        ),
        _ => unreachable!("every command but create names an account"),
    };
    let change = GroupChange {
        action,
        actor_id: None,
        client: None,
        now: SystemClock.now(),
    };
    match store.change_groups(change).await? {
        Ok(changed) => {
            println!("{done}{}", if changed { "" } else { " (was so already)" });
            Ok(())
        }
        Err(GroupRefusal::NoSuchGroup) => Err(StartupError::Group(format!("no group is named {name}"))),
        Err(GroupRefusal::NameTaken) => Err(StartupError::Group(format!(
            "a group named {name} exists already"
        ))),
        Err(GroupRefusal::NoSuchAccount) => {
            Err(StartupError::Group("the account was deleted meanwhile".into()))
        }
    }
}
