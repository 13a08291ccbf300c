//! Outgoing mail: the transport (SMTP, or `.eml` files when no SMTP server is configured), the
//! messages, and the outbox worker that delivers them.

pub mod messages;
pub mod smtp;
pub mod worker;

use std::{path::PathBuf, sync::Arc, time::Duration};

use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};

use super::config::Settings;

#[derive(Clone)]
pub enum Mailer {
    Smtp(Arc<smtp::SmtpPool>),
    /// Development default: each message becomes `<outbox_dir>/<id>.eml`, named in the log.
    File {
        transport: AsyncFileTransport<Tokio1Executor>,
        dir: PathBuf,
    },
}

impl Mailer {
    pub fn from_settings(settings: &Settings) -> Result<Mailer, String> {
        match &settings.smtp_url {
            Some(url) => {
                let pool = smtp::SmtpPool::from_url(&url.0, Duration::from_secs(15))
                    .map_err(|e| format!("GATEHOUSE_SMTP_URL: {e}"))?;
                Ok(Mailer::Smtp(Arc::new(pool)))
            }
            None => {
                std::fs::create_dir_all(&settings.outbox_dir)
                    .map_err(|e| format!("outbox_dir {}: {e}", settings.outbox_dir.display()))?;
                Ok(Mailer::File {
                    transport: AsyncFileTransport::new(&settings.outbox_dir),
                    dir: settings.outbox_dir.clone(),
                })
            }
        }
    }

    /// Returns where the message went, for the log (never the message itself).
    pub async fn send(&self, message: Message) -> Result<String, String> {
        match self {
            Mailer::Smtp(pool) => pool.send(&message).await.map(|code| format!("SMTP {code}")),
            Mailer::File { transport, dir } => transport
                .send(message)
                .await
                .map(|id| dir.join(format!("{id}.eml")).display().to_string())
                .map_err(|e| e.to_string()),
        }
    }
}

/// `alice@example.com` → `a•••e@example.com`: enough for the owner to recognise, little for
/// anyone looking over a shoulder or reading a log.
pub fn mask_email(email: &str) -> String {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let mut chars = local.chars();
    let first = chars.next().unwrap_or('•');
    let masked = match chars.next_back() {
        Some(last) if local.chars().count() > 2 => format!("{first}•••{last}"),
        _ => format!("{first}•••"),
    };
    format!("{masked}@{domain}")
}

#[cfg(test)]
mod tests {
    /// What `send` names, and the worker logs, is the `.eml` file the message went to.
    #[tokio::test]
    async fn a_mail_written_to_a_file_is_named_by_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = super::Mailer::File {
            transport: lettre::AsyncFileTransport::new(dir.path()),
            dir: dir.path().to_path_buf(),
        };
        let message = lettre::Message::builder()
            .from("Gatehouse <gatehouse@example.test>".parse().unwrap())
            .to("ines@example.test".parse().unwrap())
            .subject("Your code")
            .body("the body of the mail".to_string())
            .unwrap();
        let destination = mailer.send(message).await.unwrap();
        let path = std::path::Path::new(&destination);
        assert!(
            path.parent() == Some(dir.path()) && path.extension().is_some_and(|e| e == "eml"),
            "{destination}"
        );
        assert!(std::fs::read_to_string(path)
            .unwrap()
            .contains("the body of the mail"));
    }

    #[test]
    fn masks_the_local_part() {
        assert_eq!(super::mask_email("alice@example.com"), "a•••e@example.com");
        assert_eq!(super::mask_email("al@example.com"), "a•••@example.com");
    }
}
