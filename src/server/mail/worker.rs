//! The outbox worker. Flows commit what to send to `email_outbox` in their own transaction; this
//! loop only renders and sends it, retrying with backoff while the mail server is down, so an SMTP
//! failure never loses anything. It claims a batch under a lease (so with several instances each
//! mail goes out once, and one held by an instance that died is taken over when its lease runs out)
//! and sends the batch concurrently over the transport's pooled connections.

use std::time::Duration;

use tokio::{sync::watch, task::JoinSet};

use super::{
    mask_email, messages,
    messages::{Envelope, Notice},
};
use crate::{
    i18n::Language,
    model::CodePurpose,
    server::{
        codes,
        domain::{ClaimedMail, MailClaim, MailKind},
        keys::random_token,
        metrics::{self, CodeOutcome},
        state::AppState,
        store::StoreError,
    },
};

const MAX_BACKOFF_SECS: u64 = 3600;
/// Mails claimed (and sent concurrently) at a time.
const BATCH: i64 = 16;
/// Longest sleep between two looks at the queue when nothing wakes the worker (mail queued by
/// another instance is found at the latest after this).
const IDLE_LOOK: Duration = Duration::from_secs(5);

pub async fn run(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        if let Err(error) = deliver_due(&state, &stop).await {
            tracing::error!(%error, "outbox: could not read the queue");
        }
        if *stop.borrow() {
            return;
        }
        let now = state.clock.now();
        let wait = match state
            .store
            .next_mail_due_at(state.settings.mail_max_attempts)
            .await
        {
            Ok(Some(next_at)) => {
                Duration::from_secs(u64::try_from((next_at - now).max(1)).unwrap_or(1)).min(IDLE_LOOK)
            }
            _ => IDLE_LOOK,
        };
        tokio::select! {
            _ = state.outbox_wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Claims and sends batches until nothing is due (or the server is stopping: the batch in hand
/// is finished first).
async fn deliver_due(state: &AppState, stop: &watch::Receiver<bool>) -> Result<(), StoreError> {
    while !*stop.borrow() {
        let claim_token = random_token();
        let claim = MailClaim {
            claim_token: &claim_token,
            batch: BATCH,
            lease_secs: state.settings.mail_lease_secs.signed(),
            max_attempts: state.settings.mail_max_attempts,
            now: state.clock.now(),
        };
        let claimed = state.store.claim_due_mail(claim).await?;
        if claimed.is_empty() {
            return Ok(());
        }
        let mut sending = JoinSet::new();
        for mail in claimed {
            let (state, claim_token) = (state.clone(), claim_token.clone());
            sending.spawn(async move { deliver(&state, &claim_token, mail).await });
        }
        while let Some(sent) = sending.join_next().await {
            match sent {
                Ok(outcome) => outcome?,
                Err(error) => tracing::error!(%error, "outbox: a delivery task failed"),
            }
        }
    }
    Ok(())
}

async fn deliver(state: &AppState, claim_token: &str, mail: ClaimedMail) -> Result<(), StoreError> {
    let settings = &state.settings;
    let recipient = mask_email(&mail.recipient);
    let outcome = match render(state, &mail) {
        Ok(Rendered::Message(message)) => state.mailer.send(*message).await,
        Ok(Rendered::Nothing) => Ok("nowhere (nothing to send)".to_string()),
        Err(error) => Err(error),
    };
    let now = state.clock.now();
    let lifetime = codes::lifetime(settings, mail.purpose.unwrap_or(CodePurpose::Registration)).signed();
    if let (MailKind::Code, Some(purpose)) = (mail.kind, mail.purpose) {
        let counted = if outcome.is_ok() {
            CodeOutcome::Sent
        } else {
            CodeOutcome::Failed
        };
        metrics::code(purpose, counted);
    }
    match outcome {
        Ok(destination) => {
            tracing::info!(outbox_id = mail.outbox_id, kind = mail.kind.as_str(), %recipient, %destination, "mail sent");
            state
                .store
                .mail_delivered(mail.outbox_id, claim_token, now, lifetime)
                .await?;
        }
        Err(error) => {
            let doublings = u32::try_from(mail.attempts.clamp(0, 20)).unwrap_or(20);
            let delay = settings
                .mail_retry_secs
                .0
                .saturating_mul(1 << doublings)
                .min(MAX_BACKOFF_SECS);
            tracing::warn!(
                outbox_id = mail.outbox_id, %recipient, attempt = mail.attempts + 1, retry_in_secs = delay, %error,
                "mail not sent"
            );
            let retry_at = now + i64::try_from(delay).unwrap_or(3600);
            state
                .store
                .mail_failed(mail.outbox_id, claim_token, retry_at, &truncate(&error, 500))
                .await?;
        }
    }
    state.delivery_attempts.send_modify(|attempts| *attempts += 1);
    Ok(())
}

/// What became of a queued row: a message to send, or nothing (a decoy flow's stand-in).
enum Rendered {
    Message(Box<lettre::Message>),
    Nothing,
}

/// The message for a queued row. Codes and link tokens are derived from the row's nonce with the
/// server key here, at sending time; neither is ever stored.
fn render(state: &AppState, mail: &ClaimedMail) -> Result<Rendered, String> {
    let details = mail.details.clone().unwrap_or_default();
    let settings = &state.settings;
    let envelope = Envelope {
        from: &settings.mail_from.0,
        to: &mail.recipient,
        language: mail
            .language
            .as_deref()
            .or(details.language.as_deref())
            .and_then(Language::from_tag)
            .unwrap_or(settings.default_language),
        site: &settings.site_name.0,
        support: settings.support_url.as_ref().map(|url| url.0.as_str()),
    };
    let username = mail
        .username
        .as_deref()
        .or(details.username.as_deref())
        .unwrap_or("there");
    let nonce = || {
        mail.secret_nonce
            .as_deref()
            .ok_or_else(|| "the queued mail lost its nonce".to_string())
    };
    let notice = |notice: Notice| messages::notice(&envelope, username, notice, &details);
    let passkey_name = details.passkey_name.clone().unwrap_or_default();
    let message = match mail.kind {
        MailKind::Nothing => return Ok(Rendered::Nothing),
        MailKind::Code => {
            let purpose = mail.purpose.unwrap_or(CodePurpose::Registration);
            let code = state.server_key.derive_code(nonce()?);
            let lifetime = codes::lifetime(&state.settings, purpose).duration();
            let handoff = details
                .handoff_flow
                .as_ref()
                .map(|flow| format!("{}/recover/continue/{flow}", state.public_origin()));
            messages::code(&envelope, purpose, username, &code, lifetime, handoff.as_deref())
        }
        MailKind::AlreadyRegistered => messages::already_registered(&envelope),
        MailKind::NoAccount => messages::no_account(&envelope),
        MailKind::AccountLocked => {
            let token = state.server_key.derive_link_token(nonce()?);
            messages::account_locked(
                &envelope,
                username,
                &format!("{}/unlock/{token}", state.public_origin()),
            )
        }
        MailKind::PasswordChanged => notice(Notice::PasswordChanged),
        MailKind::EmailChanged => {
            let new_email = details.new_email.clone().unwrap_or_default();
            notice(Notice::EmailChanged {
                to_old: new_email != mail.recipient,
                new_email: &new_email,
            })
        }
        MailKind::AccountDeleted => notice(Notice::AccountDeleted),
        MailKind::NewDevice => notice(Notice::NewDevice),
        MailKind::TwoFactorEnabled => notice(Notice::TwoFactorEnabled),
        MailKind::TwoFactorDisabled => notice(Notice::TwoFactorDisabled),
        MailKind::RecoveryCodesReplaced => notice(Notice::RecoveryCodesReplaced),
        MailKind::RecoveryCodeUsed => notice(Notice::RecoveryCodeUsed {
            left: details.recovery_codes_left.unwrap_or_default(),
        }),
        MailKind::RecoveryPaused => notice(Notice::RecoveryPaused {
            until: details.at + state.settings.recovery_failures_per_account.window_secs(),
        }),
        MailKind::PasskeyAdded => notice(Notice::PasskeyAdded { name: &passkey_name }),
        MailKind::PasskeyRenamed => notice(Notice::PasskeyRenamed { names: &passkey_name }),
        MailKind::PasskeyRemoved => notice(Notice::PasskeyRemoved { name: &passkey_name }),
        MailKind::Invitation => {
            let token = state.server_key.derive_link_token(nonce()?);
            let link = crate::server::flows::invitations::link(state, &token);
            let until = details.invitation_expires_at.unwrap_or(details.at);
            messages::invitation(&envelope, &link, until)
        }
    };
    message.map(|message| Rendered::Message(Box::new(message)))
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}
