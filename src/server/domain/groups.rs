//! Groups of accounts: what access rules name, and what the console and the command line change.

use crate::server::client::Client;

/// A group as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    pub group_id: i64,
    pub name: String,
    pub description: String,
    pub created_at: i64,
    pub members: i64,
}

/// A member as the group's page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupMember {
    pub user_id: i64,
    pub username: String,
    pub email: String,
    pub added_at: i64,
}

/// A change to the groups, by an admin (`actor_id`) or the command line (none), audited with it.
#[derive(Debug, Clone, Copy)]
pub struct GroupChange<'a> {
    pub action: GroupAction<'a>,
    pub actor_id: Option<i64>,
    pub client: Option<&'a Client>,
    pub now: i64,
}

/// Names are valid group names already (`validate::group_name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupAction<'a> {
    Create {
        name: &'a str,
        description: &'a str,
    },
    /// A new name and description; members and rules that name the old name follow the new one
    /// only where the operator rewrites them.
    Edit {
        name: &'a str,
        new_name: &'a str,
        description: &'a str,
    },
    Delete {
        name: &'a str,
    },
    AddMember {
        name: &'a str,
        user_id: i64,
    },
    RemoveMember {
        name: &'a str,
        user_id: i64,
    },
}

/// Why a group change was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupRefusal {
    NoSuchGroup,
    NameTaken,
    NoSuchAccount,
}
