//! Passkeys added, renamed and removed: each change is a security event (naming the passkey) and
//! a notice to the owner. An account's second factors are its authenticator app and its
//! passkeys; its recovery codes live as long as one of them does.

use super::{
    mail::queue_notice, statements::Statements, AuditEntry, EventKind, MailKind, NewPasskey, NoticeDetails,
    Outcome, PasskeyChange,
};
use crate::server::client::Client;

/// `None` when the credential is registered already; else whether the account's recovery codes
/// were made with it (it had no second factor before).
pub(super) async fn add(conn: &mut impl Statements, passkey: &NewPasskey<'_>) -> sqlx::Result<Option<bool>> {
    let first_factor =
        !conn.lock_enabled_factor(passkey.user_id).await? && conn.count_passkeys(passkey.user_id).await? == 0;
    if !conn
        .insert_passkey(
            passkey.user_id,
            passkey.credential_id,
            passkey.name,
            passkey.credential,
            passkey.now,
        )
        .await?
    {
        return Ok(None);
    }
    if first_factor {
        conn.delete_recovery_codes(passkey.user_id).await?;
        for hash in passkey.recovery_code_hashes {
            conn.insert_recovery_code(passkey.user_id, hash, passkey.now)
                .await?;
        }
    }
    let change = Recorded {
        user_id: passkey.user_id,
        name: passkey.name,
        details: passkey.details,
        client: passkey.client,
        now: passkey.now,
    };
    record(conn, &change, EventKind::PasskeyAdded, MailKind::PasskeyAdded).await?;
    Ok(Some(first_factor))
}

pub(super) async fn change(conn: &mut impl Statements, change: &PasskeyChange<'_>) -> sqlx::Result<bool> {
    let (old_name, kind, mail) = match change.new_name {
        Some(name) => (
            conn.rename_passkey(change.user_id, change.passkey_id, name)
                .await?,
            EventKind::PasskeyRenamed,
            MailKind::PasskeyRenamed,
        ),
        None => (
            conn.delete_passkey(change.user_id, change.passkey_id).await?,
            EventKind::PasskeyRemoved,
            MailKind::PasskeyRemoved,
        ),
    };
    let Some(old_name) = old_name else {
        return Ok(false);
    };
    // The last second factor gone, the recovery codes that stood in for it go too.
    if change.new_name.is_none()
        && conn.count_passkeys(change.user_id).await? == 0
        && !conn.lock_enabled_factor(change.user_id).await?
    {
        conn.delete_recovery_codes(change.user_id).await?;
    }
    let name = match change.new_name {
        Some(new_name) => format!("{old_name} → {new_name}"),
        None => old_name,
    };
    let recorded = Recorded {
        user_id: change.user_id,
        name: &name,
        details: change.details,
        client: change.client,
        now: change.now,
    };
    record(conn, &recorded, kind, mail).await?;
    Ok(true)
}

struct Recorded<'a> {
    user_id: i64,
    name: &'a str,
    details: &'a NoticeDetails,
    client: &'a Client,
    now: i64,
}

async fn record(
    conn: &mut impl Statements,
    change: &Recorded<'_>,
    event: EventKind,
    mail: MailKind,
) -> sqlx::Result<()> {
    let entry = AuditEntry {
        detail: Some(change.name),
        ..AuditEntry::new(
            event,
            Outcome::Success,
            Some(change.user_id),
            Some(change.client),
            change.now,
        )
    };
    conn.insert_event(&entry).await?;
    let details = NoticeDetails {
        passkey_name: Some(change.name.to_string()),
        ..change.details.clone()
    };
    queue_notice(conn, mail, change.user_id, &details, change.now).await
}
