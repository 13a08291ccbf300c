//! The console's groups: the list, one group with its members, and every change to them. A
//! change grants or takes away access to other apps, so, like an action on an account, it needs
//! the admin's password from the last few minutes, and is recorded with the admin as its actor.

use tower_sessions::Session;

use super::{password_entered_recently, require_recent_password};
use crate::{
    error::AppError,
    model::{AdminGroup, AdminGroupDetail, AdminGroupList},
    server::{
        auth::session::SignedIn,
        client::Client,
        domain::{GroupAction, GroupChange, GroupRefusal, GroupRow},
        state::AppState,
    },
    validate::{self, Field},
};

/// Longest description kept.
const DESCRIPTION_MAX: usize = 200;

pub async fn groups(state: &AppState, admin: &SignedIn) -> Result<AdminGroupList, AppError> {
    Ok(AdminGroupList {
        groups: state.store.groups().await?.into_iter().map(admin_group).collect(),
        password_entered_recently: password_entered_recently(state, admin).await?,
    })
}

pub async fn group(state: &AppState, admin: &SignedIn, name: &str) -> Result<AdminGroupDetail, AppError> {
    let (group, members) = state.store.group(name).await?.ok_or(AppError::NoSuchGroup)?;
    Ok(AdminGroupDetail {
        group: admin_group(group),
        members: members
            .into_iter()
            .map(|member| (member.user_id, member.username, member.email))
            .collect(),
        password_entered_recently: password_entered_recently(state, admin).await?,
    })
}

/// A change as the console's forms send it: `action` is `create`, `edit`, `delete`, `add` or
/// `remove`; `member` a username or an address.
pub struct GroupForm<'a> {
    pub action: &'a str,
    pub name: &'a str,
    pub new_name: &'a str,
    pub description: &'a str,
    pub member: &'a str,
    pub password: &'a str,
}

/// Makes the change the form asks for. The group's name afterwards (`None` once deleted).
pub async fn change_group(
    state: &AppState,
    admin: &SignedIn,
    session: &Session,
    client: &Client,
    form: &GroupForm<'_>,
) -> Result<Option<String>, AppError> {
    let name = validate::group_name(form.name)
        .map_err(|problem| AppError::on_field(Field::GroupName, problem.sentence()))?;
    let new_name = match form.action {
        "edit" => validate::group_name(form.new_name)
            .map_err(|problem| AppError::on_field(Field::GroupName, problem.sentence()))?,
        _ => name.clone(),
    };
    let description: String = form.description.trim().chars().take(DESCRIPTION_MAX).collect();
    let member = match form.action {
        "add" | "remove" => Some(member_id(state, form.member).await?),
        _ => None,
    };
    let action = match (form.action, member) {
        ("create", _) => GroupAction::Create {
            name: &name,
            description: &description,
        },
        ("edit", _) => GroupAction::Edit {
            name: &name,
            new_name: &new_name,
            description: &description,
        },
        ("delete", _) => GroupAction::Delete { name: &name },
        ("add", Some(user_id)) => GroupAction::AddMember { name: &name, user_id },
        ("remove", Some(user_id)) => GroupAction::RemoveMember { name: &name, user_id },
        _ => return Err(AppError::BadRequest),
    };
    require_recent_password(state, admin, session, client, form.password).await?;
    let change = GroupChange {
        action,
        actor_id: Some(admin.user_id),
        client: Some(client),
        now: state.clock.now(),
    };
    state.store.change_groups(change).await?.map_err(refused)?;
    Ok((form.action != "delete").then_some(new_name))
}

async fn member_id(state: &AppState, member: &str) -> Result<i64, AppError> {
    let identifier = member.trim().to_lowercase();
    state
        .store
        .user_id_of(&identifier)
        .await?
        .ok_or(AppError::NoSuchAccount)
}

/// What the console says when the store refused a change.
fn refused(refusal: GroupRefusal) -> AppError {
    match refusal {
        GroupRefusal::NoSuchGroup => AppError::NoSuchGroup,
        GroupRefusal::NameTaken => AppError::on_field(Field::GroupName, "Another group has that name."),
        GroupRefusal::NoSuchAccount => AppError::NoSuchAccount,
    }
}

fn admin_group(row: GroupRow) -> AdminGroup {
    AdminGroup {
        name: row.name,
        description: row.description,
        members: row.members,
        created_at: row.created_at,
    }
}
