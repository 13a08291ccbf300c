//! The authenticator-app factor (its sealed secret, the last step accepted) and recovery codes.

use sqlx::{SqliteConnection, SqlitePool};

use super::{outbox, security_log};
use crate::server::store::{
    AuditEntry, EnableTwoFactor, EventKind, MailKind, Outcome, TwoFactorChange, TwoFactorRow,
};

pub(super) async fn get(pool: &SqlitePool, user_id: i64) -> Result<Option<TwoFactorRow>, sqlx::Error> {
    sqlx::query_as!(
        TwoFactorRow,
        r#"select sealed_secret, enabled_at, last_used_step,
                  (select count(*) from recovery_codes r where r.user_id = t.user_id and r.used_at is null)
                      as "recovery_codes_left!: i64"
           from totp_factors t where user_id = ?"#,
        user_id
    )
    .fetch_optional(pool)
    .await
}

pub(super) async fn begin(
    conn: &mut SqliteConnection,
    user_id: i64,
    sealed_secret: &[u8],
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "insert into totp_factors (user_id, sealed_secret, created_at) values (?, ?, ?)
         on conflict (user_id) do update set sealed_secret = excluded.sealed_secret, created_at = excluded.created_at
         where totp_factors.enabled_at is null",
        user_id,
        sealed_secret,
        now
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub(super) async fn enable(
    conn: &mut SqliteConnection,
    enable: &EnableTwoFactor<'_>,
) -> Result<bool, sqlx::Error> {
    let change = &enable.change;
    let enabled = sqlx::query!(
        "update totp_factors set enabled_at = ?, last_used_step = ? where user_id = ? and enabled_at is null",
        change.now,
        enable.step,
        change.user_id
    )
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if !enabled {
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

pub(super) async fn disable(
    conn: &mut SqliteConnection,
    change: &TwoFactorChange<'_>,
) -> Result<bool, sqlx::Error> {
    let was_on = sqlx::query_scalar!(
        "delete from totp_factors where user_id = ? returning enabled_at",
        change.user_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .flatten()
    .is_some();
    sqlx::query!("delete from recovery_codes where user_id = ?", change.user_id)
        .execute(&mut *conn)
        .await?;
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
    conn: &mut SqliteConnection,
    change: &TwoFactorChange<'_>,
    hashes: &[Vec<u8>],
) -> Result<bool, sqlx::Error> {
    let on = sqlx::query_scalar!(
        "select count(*) from totp_factors where user_id = ? and enabled_at is not null",
        change.user_id
    )
    .fetch_one(&mut *conn)
    .await?
        == 1;
    if !on {
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
    conn: &mut SqliteConnection,
    change: &TwoFactorChange<'_>,
    hashes: &[Vec<u8>],
) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from recovery_codes where user_id = ?", change.user_id)
        .execute(&mut *conn)
        .await?;
    for hash in hashes {
        sqlx::query!(
            "insert into recovery_codes (user_id, code_hash, created_at) values (?, ?, ?)",
            change.user_id,
            hash,
            change.now
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn record(
    conn: &mut SqliteConnection,
    change: &TwoFactorChange<'_>,
    event: EventKind,
    mail: MailKind,
) -> Result<(), sqlx::Error> {
    let entry = AuditEntry::new(
        event,
        Outcome::Success,
        Some(change.user_id),
        Some(change.client),
        change.now,
    );
    security_log::insert(conn, &entry).await?;
    outbox::queue_notice(conn, mail, change.user_id, change.details, change.now).await
}
