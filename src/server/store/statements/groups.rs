//! `user_groups` and `group_members`.

use async_trait::async_trait;

use crate::server::domain::{GroupMember, GroupRow};

#[async_trait]
pub trait GroupStatements {
    /// Every group, by name, with its member count.
    async fn groups(&mut self) -> sqlx::Result<Vec<GroupRow>>;
    async fn group_named(&mut self, name: &str) -> sqlx::Result<Option<GroupRow>>;
    /// The group's id, locked until the transaction ends (changes to one group take turns).
    async fn lock_group(&mut self, name: &str) -> sqlx::Result<Option<i64>>;
    /// Whether the account exists, kept from being deleted until the transaction ends.
    async fn lock_account_for_share(&mut self, user_id: i64) -> sqlx::Result<bool>;
    async fn group_members(&mut self, group_id: i64) -> sqlx::Result<Vec<GroupMember>>;
    /// The names of the account's groups, in order.
    async fn group_names_of(&mut self, user_id: i64) -> sqlx::Result<Vec<String>>;
    /// False when the name is taken.
    async fn insert_group(&mut self, name: &str, description: &str, now: i64) -> sqlx::Result<bool>;
    /// False when the new name is taken by another group.
    async fn update_group(&mut self, group_id: i64, name: &str, description: &str) -> sqlx::Result<bool>;
    async fn delete_group(&mut self, group_id: i64) -> sqlx::Result<()>;
    /// How many were added (0 when already a member).
    async fn add_group_member(&mut self, group_id: i64, user_id: i64, now: i64) -> sqlx::Result<u64>;
    /// How many were removed (0 when not a member).
    async fn remove_group_member(&mut self, group_id: i64, user_id: i64) -> sqlx::Result<u64>;
}

/// A name taken by a parallel rename is an answer ("taken"), not a failure; the transaction it
/// was in ends there.
fn taken_is_false(outcome: sqlx::Result<u64>) -> sqlx::Result<bool> {
    match outcome {
        Ok(rows) => Ok(rows > 0),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(false),
        Err(error) => Err(error),
    }
}

for_both_databases! {
    impl GroupStatements {
        async fn groups(&mut self) -> sqlx::Result<Vec<GroupRow>> {
            query_as!(
                GroupRow,
                r#"select g.group_id as "group_id!", g.name, g.description, g.created_at,
                          (select count(*) from group_members m where m.group_id = g.group_id) as "members!: i64"
                   from user_groups g order by g.name"#
            )
            .fetch_all(self)
            .await
        }

        async fn group_named(&mut self, name: &str) -> sqlx::Result<Option<GroupRow>> {
            query_as!(
                GroupRow,
                r#"select g.group_id as "group_id!", g.name, g.description, g.created_at,
                          (select count(*) from group_members m where m.group_id = g.group_id) as "members!: i64"
                   from user_groups g where g.name = $1"#,
                name
            )
            .fetch_optional(self)
            .await
        }

        async fn lock_group(&mut self, name: &str) -> sqlx::Result<Option<i64>> {
            query_scalar!(
                r#"select group_id as "group_id!" from user_groups where name = $1"#,
                postgres_lock: "for update",
                name
            )
            .fetch_optional(self)
            .await
        }

        async fn lock_account_for_share(&mut self, user_id: i64) -> sqlx::Result<bool> {
            let found = query_scalar!(
                r#"select user_id as "user_id!" from users where user_id = $1"#,
                postgres_lock: "for share",
                user_id
            )
            .fetch_optional(self)
            .await?;
            Ok(found.is_some())
        }

        async fn group_members(&mut self, group_id: i64) -> sqlx::Result<Vec<GroupMember>> {
            query_as!(
                GroupMember,
                r#"select u.user_id as "user_id!", u.username, u.email, m.added_at
                   from group_members m join users u on u.user_id = m.user_id
                   where m.group_id = $1 order by u.username"#,
                group_id
            )
            .fetch_all(self)
            .await
        }

        async fn group_names_of(&mut self, user_id: i64) -> sqlx::Result<Vec<String>> {
            query_scalar!(
                "select g.name from group_members m join user_groups g on g.group_id = m.group_id
                 where m.user_id = $1 order by g.name",
                user_id
            )
            .fetch_all(self)
            .await
        }

        async fn insert_group(&mut self, name: &str, description: &str, now: i64) -> sqlx::Result<bool> {
            let inserted = query!(
                "insert into user_groups (name, description, created_at) values ($1, $2, $3)
                 on conflict (name) do nothing",
                name,
                description,
                now
            )
            .execute(self)
            .await?;
            Ok(inserted.rows_affected() > 0)
        }

        async fn update_group(&mut self, group_id: i64, name: &str, description: &str) -> sqlx::Result<bool> {
            let updated = query!(
                "update user_groups set name = $1, description = $2 where group_id = $3",
                name,
                description,
                group_id
            )
            .execute(self)
            .await
            .map(|done| done.rows_affected());
            taken_is_false(updated)
        }

        async fn delete_group(&mut self, group_id: i64) -> sqlx::Result<()> {
            query!("delete from user_groups where group_id = $1", group_id)
                .execute(self)
                .await?;
            Ok(())
        }

        async fn add_group_member(&mut self, group_id: i64, user_id: i64, now: i64) -> sqlx::Result<u64> {
            let added = query!(
                "insert into group_members (group_id, user_id, added_at) values ($1, $2, $3)
                 on conflict (group_id, user_id) do nothing",
                group_id,
                user_id,
                now
            )
            .execute(self)
            .await?;
            Ok(added.rows_affected())
        }

        async fn remove_group_member(&mut self, group_id: i64, user_id: i64) -> sqlx::Result<u64> {
            let removed = query!(
                "delete from group_members where group_id = $1 and user_id = $2",
                group_id,
                user_id
            )
            .execute(self)
            .await?;
            Ok(removed.rows_affected())
        }
    }
}
