//! The outbox worker. Registrations commit a row to `email_outbox` in their own transaction;
//! this loop turns rows into mail, retrying with backoff while the mail server is down, so an
//! SMTP failure never loses a registration. A code is minted when its mail is handed to SMTP,
//! so its lifetime starts when it is actually sent.

use std::time::Duration;

use tokio::sync::watch;

use super::{mask_email, messages, messages::Envelope};
use crate::server::{
    audit::{self, Event, Outcome},
    codes,
    db::{self, outbox, outbox::MailKind, outbox::OutboxItem, users, verifications},
    state::AppState,
};

const MAX_BACKOFF_SECS: u64 = 3600;

pub async fn run(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        let max_attempts = state.settings.mail_max_attempts as i64;
        if let Err(error) = deliver_due(&state).await {
            tracing::error!(%error, "outbox: could not read the queue");
        }
        let wait = match outbox::next_due_at(&state.db, max_attempts).await {
            Ok(Some(next_at)) => Duration::from_secs((next_at - db::now()).clamp(1, 60) as u64),
            _ => Duration::from_secs(60),
        };
        tokio::select! {
            _ = state.outbox_wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return,
        }
    }
}

async fn deliver_due(state: &AppState) -> Result<(), sqlx::Error> {
    let due = outbox::due(&state.db, db::now(), state.settings.mail_max_attempts as i64).await?;
    for item in due {
        deliver(state, item).await?;
        state.delivery_attempts.send_modify(|attempts| *attempts += 1);
    }
    Ok(())
}

async fn deliver(state: &AppState, item: OutboxItem) -> Result<(), sqlx::Error> {
    let settings = &state.settings;
    let code = codes::generate();
    let mut tx = db::begin_immediate(&state.db).await?;
    let Some(verification) = verifications::find(&mut tx, item.verification_id).await? else {
        return Ok(()); // the registration is gone; its outbox rows went with it
    };
    let username = match verification.user_id {
        Some(user_id) => users::find(&mut tx, user_id).await?.map(|user| user.username),
        None => None,
    };
    let code_hash = state.server_key.hash(verification.verification_id, &code);
    let expires_at = db::now() + settings.code_ttl.as_secs() as i64;
    verifications::set_code(&mut tx, verification.verification_id, &code_hash, expires_at).await?;
    tx.commit().await?;

    let envelope = Envelope {
        from: &settings.mail_from,
        to: &verification.email,
    };
    // A decoy mints a code too (never sent), so its verify page behaves exactly like a real one.
    let message = match (item.kind, &username) {
        (MailKind::VerificationCode, Some(username)) => {
            messages::verification_code(&envelope, username, &code, settings.code_ttl)
        }
        _ => messages::already_registered(&envelope),
    };
    let recipient = mask_email(&verification.email);
    let outcome = match message {
        Ok(message) => state.mailer.send(message).await,
        Err(error) => Err(error),
    };
    match outcome {
        Ok(destination) => {
            tracing::info!(outbox_id = item.outbox_id, %recipient, %destination, "mail sent");
            outbox::mark_sent(&state.db, item.outbox_id, db::now()).await?;
            if verification.user_id.is_some() {
                let mut conn = state.db.acquire().await?;
                audit::record(
                    &mut conn,
                    Event::CodeIssued,
                    Outcome::Success,
                    verification.user_id,
                    None,
                )
                .await?;
            }
            Ok(())
        }
        Err(error) => {
            let delay = settings
                .mail_retry
                .as_secs()
                .saturating_mul(1 << item.attempts.min(20))
                .min(MAX_BACKOFF_SECS);
            tracing::warn!(outbox_id = item.outbox_id, %recipient, attempt = item.attempts + 1, retry_in_secs = delay, %error, "mail not sent");
            outbox::mark_failed(
                &state.db,
                item.outbox_id,
                db::now() + delay as i64,
                &truncate(&error, 500),
            )
            .await
        }
    }
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}
