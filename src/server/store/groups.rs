//! Groups and their members: every change in one transaction with its security event.

use super::{statements::Statements, AuditEntry, EventKind, GroupAction, GroupChange, GroupRefusal, Outcome};

pub(super) async fn change(
    conn: &mut impl Statements,
    change: &GroupChange<'_>,
) -> sqlx::Result<Result<bool, GroupRefusal>> {
    let (kind, user_id, detail) = match change.action {
        GroupAction::Create { name, description } => {
            if !conn.insert_group(name, description, change.now).await? {
                return Ok(Err(GroupRefusal::NameTaken));
            }
            (EventKind::GroupCreated, None, name.to_string())
        }
        GroupAction::Edit {
            name,
            new_name,
            description,
        } => {
            let Some(group_id) = conn.lock_group(name).await? else {
                return Ok(Err(GroupRefusal::NoSuchGroup));
            };
            if !conn.update_group(group_id, new_name, description).await? {
                return Ok(Err(GroupRefusal::NameTaken));
            }
            let detail = if name == new_name {
                name.to_string()
            } else {
                format!("{name} → {new_name}")
            };
            (EventKind::GroupChanged, None, detail)
        }
        GroupAction::Delete { name } => {
            let Some(group_id) = conn.lock_group(name).await? else {
                return Ok(Err(GroupRefusal::NoSuchGroup));
            };
            conn.delete_group(group_id).await?;
            (EventKind::GroupDeleted, None, name.to_string())
        }
        GroupAction::AddMember { name, user_id } | GroupAction::RemoveMember { name, user_id } => {
            let Some(group_id) = conn.lock_group(name).await? else {
                return Ok(Err(GroupRefusal::NoSuchGroup));
            };
            if !conn.lock_account_for_share(user_id).await? {
                return Ok(Err(GroupRefusal::NoSuchAccount));
            }
            let (changed, kind) = match change.action {
                GroupAction::AddMember { .. } => (
                    conn.add_group_member(group_id, user_id, change.now).await?,
                    EventKind::GroupMemberAdded,
                ),
                _ => (
                    conn.remove_group_member(group_id, user_id).await?,
                    EventKind::GroupMemberRemoved,
                ),
            };
            if changed == 0 {
                return Ok(Ok(false));
            }
            (kind, Some(user_id), name.to_string())
        }
    };
    let entry = AuditEntry {
        actor_id: change.actor_id,
        detail: Some(&detail),
        ..AuditEntry::new(kind, Outcome::Success, user_id, change.client, change.now)
    };
    conn.insert_event(&entry).await?;
    Ok(Ok(true))
}
