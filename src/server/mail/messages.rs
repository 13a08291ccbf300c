//! The mails Gatehouse sends, in the recipient's language: each a greeting and a few blocks
//! (sentences from the catalogue, a code, a link, facts) rendered as a plain-text and an HTML part;
//! the HTML one escapes whatever it is given, by construction (askama). Built only with lettre's
//! typed builders: user data never becomes a header, and subjects come from the catalogue.

use std::time::Duration;

use askama::Template;
use lettre::{
    message::{Mailbox, MultiPart},
    Message,
};

use super::mask_email;
use crate::i18n::{catalogue, Arg, Language};
use crate::model::CodePurpose;
use crate::server::domain::NoticeDetails;

/// Who a mail goes to and from, and how it speaks: the reader's language, the site's name and
/// where to get help.
pub struct Envelope<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub language: Language,
    pub site: &'a str,
    pub support: Option<&'a str>,
}

impl Envelope<'_> {
    fn say(&self, key: &str, args: &[(&str, Arg)]) -> String {
        catalogue::text(self.language, self.site, key, args)
    }
}

/// One paragraph of a mail.
enum Block {
    Text(String),
    /// A one-time code, set large in the HTML part.
    Code(String),
    Link {
        label: String,
        url: String,
    },
    /// Label and value pairs: when, from which device, from which address.
    Facts(Vec<(String, String)>),
}

#[derive(Template)]
#[template(
    ext = "html",
    source = r#"<p>{{ greeting }}</p>
{%- for block in blocks %}
{%- match block %}
{%- when Block::Text(text) %}
<p>{{ text }}</p>
{%- when Block::Code(code) %}
<p style="font-size:28px;font-weight:bold;letter-spacing:6px">{{ code }}</p>
{%- when Block::Link { label, url } %}
<p><a href="{{ url }}">{{ label }}</a></p>
{%- when Block::Facts(facts) %}
<table>{% for (label, value) in facts %}<tr><th align="left">{{ label }}</th><td>{{ value }}</td></tr>{% endfor %}</table>
{%- endmatch %}
{%- endfor %}
"#
)]
struct Html<'a> {
    greeting: &'a str,
    blocks: &'a [Block],
}

fn plain(greeting: &str, blocks: &[Block]) -> String {
    let mut text = format!("{greeting}\n");
    for block in blocks {
        text.push('\n');
        match block {
            Block::Text(sentence) => text.push_str(sentence),
            Block::Code(code) => text.push_str(&format!("    {code}")),
            Block::Link { url, .. } => text.push_str(&format!("    {url}")),
            Block::Facts(facts) => {
                let lines: Vec<String> = facts
                    .iter()
                    .map(|(label, value)| format!("    {label}: {value}"))
                    .collect();
                text.push_str(&lines.join("\n"));
            }
        }
        text.push('\n');
    }
    text
}

fn build(
    envelope: &Envelope,
    subject: &str,
    greeting: &str,
    mut blocks: Vec<Block>,
) -> Result<Message, String> {
    let from: Mailbox = envelope.from.parse().map_err(|e| format!("mail_from: {e}"))?;
    let to: Mailbox = envelope.to.parse().map_err(|e| format!("recipient: {e}"))?;
    if let Some(url) = envelope.support {
        blocks.push(Block::Text(envelope.say("mail-support", &[("url", url.into())])));
    }
    let html = Html {
        greeting,
        blocks: &blocks,
    }
    .render()
    .map_err(|e| e.to_string())?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .multipart(MultiPart::alternative_plain_html(plain(greeting, &blocks), html))
        .map_err(|e| e.to_string())
}

fn hello(envelope: &Envelope, username: &str) -> String {
    envelope.say("mail-hello", &[("name", username.into())])
}

/// The catalogue's prefix for each purpose's code mail.
fn code_messages(purpose: CodePurpose) -> &'static str {
    match purpose {
        CodePurpose::Registration => "mail-registration",
        CodePurpose::Recovery => "mail-recovery",
        CodePurpose::EmailChange => "mail-email-change",
    }
}

/// A one-time code; `handoff` is the link an administrator's recovery opens.
pub fn code(
    envelope: &Envelope,
    purpose: CodePurpose,
    username: &str,
    code: &str,
    ttl: Duration,
    handoff: Option<&str>,
) -> Result<Message, String> {
    let prefix = code_messages(purpose);
    let say = |suffix: &str, args: &[(&str, Arg)]| envelope.say(&format!("{prefix}-{suffix}"), args);
    let mut blocks = vec![
        Block::Text(say("intro", &[])),
        Block::Code(code.to_string()),
        Block::Text(say("enter", &[("lifetime", lifetime(envelope, ttl).into())])),
    ];
    if let Some(url) = handoff {
        blocks.push(Block::Text(envelope.say("mail-recovery-handoff", &[])));
        blocks.push(Block::Link {
            label: envelope.say("mail-recovery-handoff-link", &[]),
            url: url.to_string(),
        });
    }
    build(envelope, &say("subject", &[]), &hello(envelope, username), blocks)
}

/// A mail that says what happened and what to do, to whoever reads the address.
fn to_anyone(envelope: &Envelope, prefix: &str) -> Result<Message, String> {
    let say = |suffix: &str| envelope.say(&format!("{prefix}-{suffix}"), &[]);
    let blocks = vec![Block::Text(say("what")), Block::Text(say("advice"))];
    build(
        envelope,
        &say("subject"),
        &envelope.say("mail-hello-anyone", &[]),
        blocks,
    )
}

/// "Someone tried to register with your address": sent instead of a code.
pub fn already_registered(envelope: &Envelope) -> Result<Message, String> {
    to_anyone(envelope, "mail-already-registered")
}

/// "Someone asked to recover an account by this address, but no account uses it."
pub fn no_account(envelope: &Envelope) -> Result<Message, String> {
    to_anyone(envelope, "mail-no-account")
}

pub fn account_locked(envelope: &Envelope, username: &str, link: &str) -> Result<Message, String> {
    let say = |key: &str| envelope.say(key, &[]);
    let blocks = vec![
        Block::Text(say("mail-locked-what")),
        Block::Text(say("mail-locked-how")),
        Block::Link {
            label: say("mail-locked-link"),
            url: link.to_string(),
        },
        Block::Text(say("mail-locked-advice")),
    ];
    build(
        envelope,
        &say("mail-locked-subject"),
        &hello(envelope, username),
        blocks,
    )
}

/// "You are invited": the link that opens the registration page with the address fixed.
pub fn invitation(envelope: &Envelope, link: &str, until: i64) -> Result<Message, String> {
    let say = |key: &str, args: &[(&str, Arg)]| envelope.say(key, args);
    let until = envelope.language.date_time(until);
    let blocks = vec![
        Block::Text(say("mail-invitation-what", &[("until", until.into())])),
        Block::Link {
            label: say("mail-invitation-link", &[]),
            url: link.to_string(),
        },
        Block::Text(say("mail-invitation-advice", &[])),
    ];
    build(
        envelope,
        &say("mail-invitation-subject", &[]),
        &say("mail-hello-anyone", &[]),
        blocks,
    )
}

/// The notices that tell an account's owner what happened to it.
pub enum Notice<'a> {
    PasswordChanged,
    /// To the address the account left (`to_old`) or to the one it moved to.
    EmailChanged {
        new_email: &'a str,
        to_old: bool,
    },
    AccountDeleted,
    NewDevice,
    TwoFactorEnabled,
    TwoFactorDisabled,
    RecoveryCodesReplaced,
    RecoveryCodeUsed {
        left: i64,
    },
    RecoveryPaused {
        until: i64,
    },
    PasskeyAdded {
        name: &'a str,
    },
    PasskeyRenamed {
        names: &'a str,
    },
    PasskeyRemoved {
        name: &'a str,
    },
}

impl Notice<'_> {
    /// The catalogue's prefix for the notice, and the placeholders of its "what" sentence.
    fn messages(&self, language: Language) -> (&'static str, Vec<(&'static str, Arg)>) {
        match self {
            Notice::PasswordChanged => ("mail-password-changed", vec![]),
            Notice::EmailChanged {
                new_email,
                to_old: true,
            } => (
                "mail-email-changed",
                vec![("address", mask_email(new_email).into())],
            ),
            Notice::EmailChanged { to_old: false, .. } => ("mail-email-now-yours", vec![]),
            Notice::AccountDeleted => ("mail-account-deleted", vec![]),
            Notice::NewDevice => ("mail-new-device", vec![]),
            Notice::TwoFactorEnabled => ("mail-two-factor-on", vec![]),
            Notice::TwoFactorDisabled => ("mail-two-factor-off", vec![]),
            Notice::RecoveryCodesReplaced => ("mail-recovery-codes-replaced", vec![]),
            Notice::RecoveryCodeUsed { left } => ("mail-recovery-code-used", vec![("left", (*left).into())]),
            Notice::RecoveryPaused { until } => (
                "mail-recovery-paused",
                vec![("until", language.date_time(*until).into())],
            ),
            Notice::PasskeyAdded { name } => ("mail-passkey-added", vec![("name", (*name).into())]),
            Notice::PasskeyRenamed { names } => ("mail-passkey-renamed", vec![("names", (*names).into())]),
            Notice::PasskeyRemoved { name } => ("mail-passkey-removed", vec![("name", (*name).into())]),
        }
    }
}

/// A notice: what happened, when, from which device and address, and what to do if it was not the
/// reader.
pub fn notice(
    envelope: &Envelope,
    username: &str,
    notice: Notice,
    details: &NoticeDetails,
) -> Result<Message, String> {
    let (prefix, args) = notice.messages(envelope.language);
    let advice = match notice {
        Notice::PasskeyAdded { .. } | Notice::PasskeyRenamed { .. } | Notice::PasskeyRemoved { .. } => {
            "mail-passkey-advice".to_string()
        }
        _ => format!("{prefix}-advice"),
    };
    let say = |key: &str| envelope.say(key, &[]);
    let blocks = vec![
        Block::Text(envelope.say(&format!("{prefix}-what"), &args)),
        Block::Facts(vec![
            (say("mail-fact-when"), envelope.language.date_time(details.at)),
            (
                say("mail-fact-device"),
                details.device.describe_in(envelope.language),
            ),
            (say("mail-fact-address"), details.ip.clone()),
        ]),
        Block::Text(say(&advice)),
    ];
    build(
        envelope,
        &say(&format!("{prefix}-subject")),
        &hello(envelope, username),
        blocks,
    )
}

/// "5 minutes", "90 seconds", in the reader's language.
fn lifetime(envelope: &Envelope, ttl: Duration) -> String {
    match ttl.as_secs() {
        secs if secs.is_multiple_of(60) => envelope.say(
            "duration-minutes",
            &[("count", i64::try_from(secs / 60).unwrap_or(i64::MAX).into())],
        ),
        secs => envelope.say(
            "duration-seconds",
            &[("count", i64::try_from(secs).unwrap_or(i64::MAX).into())],
        ),
    }
}

#[cfg(test)]
mod tests;
