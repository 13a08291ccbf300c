//! The admin console's reads, and its actions on accounts.

use super::{account, mail::queue_notice, sessions, statements::Statements, AccountAction, MailKind};
use crate::model::AdminAction;

/// An action on an account with its security event (naming the acting admin); false when it
/// changed nothing.
pub(super) async fn act(conn: &mut impl Statements, action: &AccountAction<'_>) -> sqlx::Result<bool> {
    let user_id = action.user_id;
    let changed = match action.kind {
        AdminAction::Disable => {
            let disabled = conn.disable_user(user_id, action.now).await?;
            sessions::end_all(conn, user_id).await?;
            disabled
        }
        AdminAction::Enable => conn.enable_user(user_id).await?,
        AdminAction::Unlock => conn.unlock_user(user_id).await?,
        AdminAction::EndSessions => sessions::end_all(conn, user_id).await?,
        AdminAction::GrantAdmin => conn.grant_admin(user_id).await?,
        AdminAction::RevokeAdmin => conn.revoke_admin(user_id).await?,
        AdminAction::ResetTwoFactor => {
            conn.delete_recovery_codes(user_id).await?;
            let reset = conn.delete_factors_of(user_id).await? + conn.delete_passkeys_of(user_id).await?;
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
            account::delete(conn, user_id, &action.details, action.now, action.actor_id).await?;
            return Ok(true);
        }
    };
    if changed > 0 {
        conn.insert_event(&action.audit_entry()).await?;
    }
    Ok(changed > 0)
}
