//! The mails Gatehouse sends. Built only with lettre's typed builders: user data never becomes
//! a header, subjects are constant, and anything user-supplied is escaped in the HTML part.

use std::time::Duration;

use lettre::{
    message::{Mailbox, MultiPart},
    Message,
};

pub struct Envelope<'a> {
    pub from: &'a str,
    pub to: &'a str,
}

fn build(envelope: &Envelope, subject: &str, text: String, html: String) -> Result<Message, String> {
    let from: Mailbox = envelope.from.parse().map_err(|e| format!("mail_from: {e}"))?;
    let to: Mailbox = envelope.to.parse().map_err(|e| format!("recipient: {e}"))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(|e| e.to_string())
}

pub fn verification_code(
    envelope: &Envelope,
    username: &str,
    code: &str,
    ttl: Duration,
) -> Result<Message, String> {
    let minutes = lifetime(ttl);
    let text = format!(
        "Hello {username},\n\nyour Gatehouse verification code is:\n\n    {code}\n\n\
         Enter it on the verification page within {minutes}. If you did not register, ignore this email: \
         without the code no account is created.\n"
    );
    let html = format!(
        "<p>Hello {name},</p><p>your Gatehouse verification code is:</p>\
         <p style=\"font-size:28px;font-weight:bold;letter-spacing:6px\">{code}</p>\
         <p>Enter it on the verification page within {minutes}. If you did not register, ignore this email: \
         without the code no account is created.</p>",
        name = escape_html(username)
    );
    build(envelope, "Your Gatehouse verification code", text, html)
}

pub fn already_registered(envelope: &Envelope) -> Result<Message, String> {
    let text = "Hello,\n\nsomeone just tried to register a new Gatehouse account with this email address. \
                It already belongs to an account, so no new account was created.\n\n\
                If it was you, sign in instead. If it was not, you can ignore this email: nothing changed.\n"
        .to_string();
    let html = "<p>Hello,</p><p>someone just tried to register a new Gatehouse account with this email address. \
                It already belongs to an account, so no new account was created.</p>\
                <p>If it was you, sign in instead. If it was not, you can ignore this email: nothing changed.</p>"
        .to_string();
    build(
        envelope,
        "Someone tried to register with your address",
        text,
        html,
    )
}

fn lifetime(ttl: Duration) -> String {
    match ttl.as_secs() {
        60 => "1 minute".into(),
        secs if secs % 60 == 0 => format!("{} minutes", secs / 60),
        secs => format!("{secs} seconds"),
    }
}

fn escape_html(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".into(),
            '<' => "&lt;".into(),
            '>' => "&gt;".into(),
            '"' => "&quot;".into(),
            '\'' => "&#39;".into(),
            other => other.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_mail_has_text_and_html_and_says_how_long_the_code_lives() {
        let envelope = Envelope {
            from: "Gatehouse <no-reply@example.com>",
            to: "alice@example.com",
        };
        let message = verification_code(&envelope, "<alice>", "012345", Duration::from_secs(300)).unwrap();
        let raw = String::from_utf8(message.formatted()).unwrap();
        assert!(raw.contains("text/plain") && raw.contains("text/html"));
        assert!(raw.contains("012345"));
        assert!(raw.contains("5 minutes"));
        assert!(raw.contains("&lt;alice&gt;") && !raw.contains("<p>Hello <alice>"));
    }

    #[test]
    fn header_injection_is_impossible() {
        let envelope = Envelope {
            from: "Gatehouse <no-reply@example.com>",
            to: "victim@x.test\r\nBcc: attacker@y.test",
        };
        assert!(already_registered(&envelope).is_err());
    }
}
