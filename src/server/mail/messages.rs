//! The mails Gatehouse sends, each a plain-text and an HTML part from askama templates (the HTML
//! ones escape whatever they are given, by construction). Built only with lettre's typed
//! builders: user data never becomes a header, and subjects are constant.

use std::time::Duration;

use askama::Template;
use lettre::{
    message::{Mailbox, MultiPart},
    Message,
};

pub struct Envelope<'a> {
    pub from: &'a str,
    pub to: &'a str,
}

fn build(
    envelope: &Envelope,
    subject: &str,
    text: impl Template,
    html: impl Template,
) -> Result<Message, String> {
    let from: Mailbox = envelope.from.parse().map_err(|e| format!("mail_from: {e}"))?;
    let to: Mailbox = envelope.to.parse().map_err(|e| format!("recipient: {e}"))?;
    let text = text.render().map_err(|e| e.to_string())?;
    let html = html.render().map_err(|e| e.to_string())?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(|e| e.to_string())
}

#[derive(Template)]
#[template(
    ext = "txt",
    source = "Hello {{ username }},

your Gatehouse verification code is:

    {{ code }}

Enter it on the verification page within {{ lifetime }}. If you did not register, ignore this email: without the code no account is created.
"
)]
struct CodeText<'a> {
    username: &'a str,
    code: &'a str,
    lifetime: &'a str,
}

#[derive(Template)]
#[template(
    ext = "html",
    source = r#"<p>Hello {{ username }},</p>
<p>your Gatehouse verification code is:</p>
<p style="font-size:28px;font-weight:bold;letter-spacing:6px">{{ code }}</p>
<p>Enter it on the verification page within {{ lifetime }}. If you did not register, ignore this email: without the code no account is created.</p>
"#
)]
struct CodeHtml<'a> {
    username: &'a str,
    code: &'a str,
    lifetime: &'a str,
}

pub fn verification_code(
    envelope: &Envelope,
    username: &str,
    code: &str,
    ttl: Duration,
) -> Result<Message, String> {
    let lifetime = &lifetime(ttl);
    build(
        envelope,
        "Your Gatehouse verification code",
        CodeText {
            username,
            code,
            lifetime,
        },
        CodeHtml {
            username,
            code,
            lifetime,
        },
    )
}

#[derive(Template)]
#[template(
    ext = "txt",
    source = "Hello,

someone just tried to register a new Gatehouse account with this email address. It already belongs to an account, so no new account was created.

If it was you, sign in instead. If it was not, you can ignore this email: nothing changed.
"
)]
struct AlreadyRegisteredText;

#[derive(Template)]
#[template(
    ext = "html",
    source = "<p>Hello,</p>
<p>someone just tried to register a new Gatehouse account with this email address. It already belongs to an account, so no new account was created.</p>
<p>If it was you, sign in instead. If it was not, you can ignore this email: nothing changed.</p>
"
)]
struct AlreadyRegisteredHtml;

pub fn already_registered(envelope: &Envelope) -> Result<Message, String> {
    build(
        envelope,
        "Someone tried to register with your address",
        AlreadyRegisteredText,
        AlreadyRegisteredHtml,
    )
}

#[derive(Template)]
#[template(
    ext = "txt",
    source = "Hello {{ username }},

your Gatehouse account was locked: someone tried to sign in to it with a wrong password too many times in a row. Nobody can sign in to it until it is unlocked, not even with the right password.

If you want to sign in, unlock it with this link (it works once, for 24 hours):

    {{ link }}

If the failed sign-ins were not you, your password held: nobody got in. Unlock the account when you want to use it, and consider choosing a longer password.
"
)]
struct LockedText<'a> {
    username: &'a str,
    link: &'a str,
}

#[derive(Template)]
#[template(
    ext = "html",
    source = r#"<p>Hello {{ username }},</p>
<p>your Gatehouse account was locked: someone tried to sign in to it with a wrong password too many times in a row. Nobody can sign in to it until it is unlocked, not even with the right password.</p>
<p>If you want to sign in, unlock it with this link (it works once, for 24 hours):</p>
<p><a href="{{ link }}">Unlock my account</a></p>
<p>If the failed sign-ins were not you, your password held: nobody got in. Unlock the account when you want to use it, and consider choosing a longer password.</p>
"#
)]
struct LockedHtml<'a> {
    username: &'a str,
    link: &'a str,
}

pub fn account_locked(envelope: &Envelope, username: &str, link: &str) -> Result<Message, String> {
    build(
        envelope,
        "Your Gatehouse account was locked",
        LockedText { username, link },
        LockedHtml { username, link },
    )
}

fn lifetime(ttl: Duration) -> String {
    match ttl.as_secs() {
        60 => "1 minute".into(),
        secs if secs % 60 == 0 => format!("{} minutes", secs / 60),
        secs => format!("{secs} seconds"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(message: Message) -> String {
        String::from_utf8(message.formatted())
            .unwrap()
            .replace("=\r\n", "")
    }

    #[test]
    fn the_code_mail_has_text_and_html_and_says_how_long_the_code_lives() {
        let envelope = Envelope {
            from: "Gatehouse <no-reply@example.com>",
            to: "alice@example.com",
        };
        let message =
            raw(verification_code(&envelope, "<alice>", "012345", Duration::from_secs(300)).unwrap());
        assert!(message.contains("text/plain") && message.contains("text/html"));
        assert!(message.contains("012345"));
        assert!(message.contains("5 minutes"));
        assert!(
            message.contains("&lt;alice&gt;") || message.contains("&#60;alice&#62;"),
            "{message}"
        );
        assert!(!message.contains("<p>Hello <alice>"));
    }

    #[test]
    fn the_lock_mail_carries_its_link() {
        let envelope = Envelope {
            from: "Gatehouse <no-reply@example.com>",
            to: "alice@example.com",
        };
        let link = "https://portal.example/unlock/00112233445566778899aabbccddeeff";
        let message = raw(account_locked(&envelope, "alice", link).unwrap());
        assert!(message.contains(link));
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
