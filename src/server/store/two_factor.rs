//! The authenticator-app factor (its sealed secret, the last step accepted) and recovery codes.

use super::{
    mail::queue_notice, security_log, statements::Statements, EnableTwoFactor, EventKind, MailKind,
    TwoFactorChange,
};

pub(super) async fn enable(conn: &mut impl Statements, enable: &EnableTwoFactor<'_>) -> sqlx::Result<bool> {
    let change = &enable.change;
    if !conn
        .enable_factor(change.user_id, enable.sealed_secret, enable.step, change.now)
        .await?
    {
        return Ok(false);
    }
    store_recovery_codes(conn, change, enable.recovery_code_hashes).await?;
    record(
        conn,
        change,
        EventKind::TwoFactorEnabled,
        MailKind::TwoFactorEnabled,
    )
    .await?;
    Ok(true)
}

pub(super) async fn disable(conn: &mut impl Statements, change: &TwoFactorChange<'_>) -> sqlx::Result<bool> {
    let was_on = conn.delete_factor(change.user_id).await?;
    // The codes stand in for passkeys too, while the account has one.
    if conn.count_passkeys(change.user_id).await? == 0 {
        conn.delete_recovery_codes(change.user_id).await?;
    }
    if was_on {
        record(
            conn,
            change,
            EventKind::TwoFactorDisabled,
            MailKind::TwoFactorDisabled,
        )
        .await?;
    }
    Ok(was_on)
}

pub(super) async fn replace_recovery_codes(
    conn: &mut impl Statements,
    change: &TwoFactorChange<'_>,
    hashes: &[Vec<u8>],
) -> sqlx::Result<bool> {
    // Two new sets made at once are made one after the other.
    if !conn.lock_enabled_factor(change.user_id).await? && conn.count_passkeys(change.user_id).await? == 0 {
        return Ok(false);
    }
    store_recovery_codes(conn, change, hashes).await?;
    record(
        conn,
        change,
        EventKind::RecoveryCodesReplaced,
        MailKind::RecoveryCodesReplaced,
    )
    .await?;
    Ok(true)
}

/// The new set replaces the old one whole.
async fn store_recovery_codes(
    conn: &mut impl Statements,
    change: &TwoFactorChange<'_>,
    hashes: &[Vec<u8>],
) -> sqlx::Result<()> {
    conn.delete_recovery_codes(change.user_id).await?;
    for hash in hashes {
        conn.insert_recovery_code(change.user_id, hash, change.now)
            .await?;
    }
    Ok(())
}

async fn record(
    conn: &mut impl Statements,
    change: &TwoFactorChange<'_>,
    event: EventKind,
    mail: MailKind,
) -> sqlx::Result<()> {
    security_log::record_success(conn, event, Some(change.user_id), Some(change.client), change.now).await?;
    queue_notice(conn, mail, change.user_id, change.details, change.now).await
}
