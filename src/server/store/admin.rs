//! The admin console's reads, and its actions on accounts.

use async_trait::async_trait;

use super::{
    accounts, outbox::queue_notice, sql::Statements, AccountAction, AdminCounts, CodeQuery, DailyCount,
    EventQuery, LoggedCode, LoggedEvent, MailKind, UserQuery, UserSummary,
};
use crate::model::AdminAction;

#[async_trait]
pub trait AdminStatements {
    /// The account a username or an address names (any state).
    async fn user_id_of(&mut self, identifier: &str) -> sqlx::Result<Option<i64>>;
    async fn admin_counts(&mut self, since: i64) -> sqlx::Result<AdminCounts>;
    async fn daily_activity(&mut self, since: i64) -> sqlx::Result<Vec<DailyCount>>;
    async fn find_users(&mut self, query: &UserQuery) -> sqlx::Result<Vec<UserSummary>>;
    async fn user_summary(&mut self, user_id: i64) -> sqlx::Result<Option<UserSummary>>;
    async fn find_codes(&mut self, query: &CodeQuery) -> sqlx::Result<Vec<LoggedCode>>;
    async fn find_events(&mut self, query: &EventQuery) -> sqlx::Result<Vec<LoggedEvent>>;
    // Each action's statement answers how many rows it changed.
    async fn disable_user(&mut self, user_id: i64, now: i64) -> sqlx::Result<u64>;
    async fn enable_user(&mut self, user_id: i64) -> sqlx::Result<u64>;
    async fn unlock_user(&mut self, user_id: i64) -> sqlx::Result<u64>;
    async fn delete_devices_of(&mut self, user_id: i64) -> sqlx::Result<u64>;
    async fn grant_admin(&mut self, user_id: i64) -> sqlx::Result<u64>;
    async fn revoke_admin(&mut self, user_id: i64) -> sqlx::Result<u64>;
    async fn delete_factors_of(&mut self, user_id: i64) -> sqlx::Result<u64>;
}

/// An action on an account with its security event (naming the acting admin); false when it
/// changed nothing.
pub(super) async fn act(conn: &mut impl Statements, action: &AccountAction<'_>) -> sqlx::Result<bool> {
    let user_id = action.user_id;
    let changed = match action.kind {
        AdminAction::Disable => {
            let disabled = conn.disable_user(user_id, action.now).await?;
            conn.delete_devices_of(user_id).await?;
            disabled
        }
        AdminAction::Enable => conn.enable_user(user_id).await?,
        AdminAction::Unlock => conn.unlock_user(user_id).await?,
        AdminAction::EndSessions => conn.delete_devices_of(user_id).await?,
        AdminAction::GrantAdmin => conn.grant_admin(user_id).await?,
        AdminAction::RevokeAdmin => conn.revoke_admin(user_id).await?,
        AdminAction::ResetTwoFactor => {
            conn.delete_recovery_codes(user_id).await?;
            let reset = conn.delete_factors_of(user_id).await?;
            if reset > 0 {
                queue_notice(
                    conn,
                    MailKind::TwoFactorDisabled,
                    user_id,
                    &action.details,
                    action.now,
                )
                .await?;
            }
            reset
        }
        // Code flows' operations, not the account's: `flows::admin::act` sends them that way.
        AdminAction::ResendVerification | AdminAction::SendRecoveryCode => 0,
        AdminAction::Delete => {
            // Deleting writes its own event (naming the admin) and the last mail.
            accounts::delete(conn, user_id, &action.details, action.now, action.actor_id).await?;
            return Ok(true);
        }
    };
    if changed > 0 {
        conn.insert_event(&action.audit_entry()).await?;
    }
    Ok(changed > 0)
}
