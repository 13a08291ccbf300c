//! The command line: serving the portal, and what an operator does without a browser.

use clap::{Parser, Subcommand};

use crate::model::AdminAction;

use super::{
    clock::{Clock, SystemClock},
    config::Settings,
    domain::{AccountAction, GroupAction, GroupChange, GroupRefusal, NoticeDetails},
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
        .map_err(|problem| StartupError::Group(format!("{group:?}: {problem}")))?;
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
