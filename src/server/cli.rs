//! The command line: serving the portal, and what an operator does without a browser.

use clap::{Parser, Subcommand};

use crate::model::AdminAction;

use super::{
    clock::{Clock, SystemClock},
    config::Settings,
    domain::{AccountAction, NoticeDetails},
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
        }
    }
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
