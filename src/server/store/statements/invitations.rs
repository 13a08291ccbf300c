//! `invitations`, and the verified account an invitation makes.

use async_trait::async_trait;

/// A pending invitation, as the console lists it (`group_names`: one per line).
pub struct PendingInvitation {
    pub invitation_id: i64,
    pub email: String,
    pub group_names: String,
    pub invited_by: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
}

/// An invitation taken by a registration.
pub struct ClaimedInvitation {
    pub invitation_id: i64,
    pub email: String,
    pub group_names: String,
    pub invited_by: Option<i64>,
}

#[async_trait]
pub trait InvitationStatements {
    #[allow(clippy::too_many_arguments)]
    async fn insert_invitation(
        &mut self,
        email: &str,
        group_names: &str,
        token_hash: &[u8],
        invited_by: Option<i64>,
        now: i64,
        expires_at: i64,
    ) -> sqlx::Result<i64>;
    /// Pending at `now`: neither used nor revoked, not expired. Newest first.
    async fn pending_invitations(&mut self, now: i64) -> sqlx::Result<Vec<PendingInvitation>>;
    /// The pending invitation the token hash names.
    async fn pending_invitation(
        &mut self,
        token_hash: &[u8],
        now: i64,
    ) -> sqlx::Result<Option<PendingInvitation>>;
    /// The address of a pending invitation, locked until the transaction ends.
    async fn lock_pending_invitation(&mut self, invitation_id: i64, now: i64)
        -> sqlx::Result<Option<String>>;
    async fn renew_invitation(
        &mut self,
        invitation_id: i64,
        token_hash: &[u8],
        expires_at: i64,
    ) -> sqlx::Result<()>;
    async fn revoke_invitation(&mut self, invitation_id: i64, now: i64) -> sqlx::Result<()>;
    /// Marks the pending invitation used, once: a parallel claim of the same token finds nothing.
    async fn claim_invitation(
        &mut self,
        token_hash: &[u8],
        now: i64,
    ) -> sqlx::Result<Option<ClaimedInvitation>>;
    async fn set_invitation_account(&mut self, invitation_id: i64, user_id: i64) -> sqlx::Result<()>;
    /// A verified account (the invitation proved the address).
    #[allow(clippy::too_many_arguments)]
    async fn insert_verified_user(
        &mut self,
        username: &str,
        email: &str,
        password_hash: &str,
        terms_version: Option<&str>,
        now: i64,
    ) -> sqlx::Result<i64>;
}

for_both_databases! {
    impl InvitationStatements {
        async fn insert_invitation(
            &mut self,
            email: &str,
            group_names: &str,
            token_hash: &[u8],
            invited_by: Option<i64>,
            now: i64,
            expires_at: i64,
        ) -> sqlx::Result<i64> {
            query_scalar!(
                r#"insert into invitations (email, group_names, token_hash, invited_by, created_at, expires_at)
                   values ($1, $2, $3, $4, $5, $6) returning invitation_id as "invitation_id!""#,
                email,
                group_names,
                token_hash,
                invited_by,
                now,
                expires_at
            )
            .fetch_one(self)
            .await
        }

        async fn pending_invitations(&mut self, now: i64) -> sqlx::Result<Vec<PendingInvitation>> {
            query_as!(
                PendingInvitation,
                r#"select i.invitation_id as "invitation_id!", i.email, i.group_names,
                          u.username as "invited_by?", i.created_at, i.expires_at
                   from invitations i left join users u on u.user_id = i.invited_by
                   where i.used_at is null and i.revoked_at is null and i.expires_at > $1
                   order by i.created_at desc, i.invitation_id desc"#,
                now
            )
            .fetch_all(self)
            .await
        }

        async fn pending_invitation(&mut self, token_hash: &[u8], now: i64) -> sqlx::Result<Option<PendingInvitation>> {
            query_as!(
                PendingInvitation,
                r#"select i.invitation_id as "invitation_id!", i.email, i.group_names,
                          u.username as "invited_by?", i.created_at, i.expires_at
                   from invitations i left join users u on u.user_id = i.invited_by
                   where i.token_hash = $1 and i.used_at is null and i.revoked_at is null and i.expires_at > $2"#,
                token_hash,
                now
            )
            .fetch_optional(self)
            .await
        }

        async fn lock_pending_invitation(&mut self, invitation_id: i64, now: i64) -> sqlx::Result<Option<String>> {
            query_scalar!(
                "select email from invitations
                 where invitation_id = $1 and used_at is null and revoked_at is null and expires_at > $2",
                postgres_lock: "for update",
                invitation_id,
                now
            )
            .fetch_optional(self)
            .await
        }

        async fn renew_invitation(&mut self, invitation_id: i64, token_hash: &[u8], expires_at: i64) -> sqlx::Result<()> {
            query!(
                "update invitations set token_hash = $1, expires_at = $2 where invitation_id = $3",
                token_hash,
                expires_at,
                invitation_id
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn revoke_invitation(&mut self, invitation_id: i64, now: i64) -> sqlx::Result<()> {
            query!(
                "update invitations set revoked_at = $1 where invitation_id = $2",
                now,
                invitation_id
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn claim_invitation(&mut self, token_hash: &[u8], now: i64) -> sqlx::Result<Option<ClaimedInvitation>> {
            query_as!(
                ClaimedInvitation,
                r#"update invitations set used_at = $1
                   where token_hash = $2 and used_at is null and revoked_at is null and expires_at > $1
                   returning invitation_id as "invitation_id!", email, group_names, invited_by"#,
                now,
                token_hash
            )
            .fetch_optional(self)
            .await
        }

        async fn set_invitation_account(&mut self, invitation_id: i64, user_id: i64) -> sqlx::Result<()> {
            query!(
                "update invitations set used_by = $1 where invitation_id = $2",
                user_id,
                invitation_id
            )
            .execute(self)
            .await?;
            Ok(())
        }

        async fn insert_verified_user(
            &mut self,
            username: &str,
            email: &str,
            password_hash: &str,
            terms_version: Option<&str>,
            now: i64,
        ) -> sqlx::Result<i64> {
            let terms_accepted_at = terms_version.map(|_| now);
            query_scalar!(
                r#"insert into users (username, email, password_hash, created_at, verified_at, terms_version, terms_accepted_at)
                   values ($1, $2, $3, $4, $4, $5, $6)
                   returning user_id as "user_id!""#,
                username,
                email,
                password_hash,
                now,
                terms_version,
                terms_accepted_at
            )
            .fetch_one(self)
            .await
        }
    }
}
