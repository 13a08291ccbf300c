//! The mails Gatehouse sends, each a plain-text and an HTML part from askama templates (the HTML
//! ones escape whatever they are given, by construction). Built only with lettre's typed
//! builders: user data never becomes a header, and subjects are constant.

use std::time::Duration;

use askama::Template;
use lettre::{
    message::{Mailbox, MultiPart},
    Message,
};

use super::mask_email;
use crate::model::{utc_timestamp, CodePurpose};
use crate::server::domain::NoticeDetails;

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

/// What a code mail says, by what the code proves.
pub struct CodeWording {
    pub subject: &'static str,
    /// Ends in "code is:" (tests and people look for the digits after it).
    pub intro: &'static str,
    pub enter_it: &'static str,
    pub not_you: &'static str,
}

pub fn code_wording(purpose: CodePurpose) -> CodeWording {
    match purpose {
        CodePurpose::Registration => CodeWording {
            subject: "Your Gatehouse verification code",
            intro: "your Gatehouse verification code is:",
            enter_it: "Enter it on the verification page",
            not_you: "If you did not register, ignore this email: without the code no account is created.",
        },
        CodePurpose::Recovery => CodeWording {
            subject: "Your Gatehouse password reset code",
            intro: "your Gatehouse password reset code is:",
            enter_it: "Enter it on the password reset page",
            not_you: "If you did not ask to reset your password, ignore this email: without the code your password stays as it is.",
        },
        CodePurpose::EmailChange => CodeWording {
            subject: "Confirm your new Gatehouse address",
            intro: "your Gatehouse address confirmation code is:",
            enter_it: "Enter it on your account page",
            not_you: "If you did not ask to use this address, ignore this email: without the code nothing changes.",
        },
    }
}

#[derive(Template)]
#[template(
    ext = "txt",
    source = "Hello {{ username }},

{{ wording.intro }}

    {{ code }}

{{ wording.enter_it }} within {{ lifetime }}. {{ wording.not_you }}
{%- if let Some(link) = handoff %}

An administrator sent you this code. Open this link in your browser, then enter the code there:
{{ link }}
{%- endif %}
"
)]
struct CodeText<'a> {
    username: &'a str,
    code: &'a str,
    lifetime: &'a str,
    wording: &'a CodeWording,
    handoff: Option<&'a str>,
}

#[derive(Template)]
#[template(
    ext = "html",
    source = r#"<p>Hello {{ username }},</p>
<p>{{ wording.intro }}</p>
<p style="font-size:28px;font-weight:bold;letter-spacing:6px">{{ code }}</p>
<p>{{ wording.enter_it }} within {{ lifetime }}. {{ wording.not_you }}</p>
{%- if let Some(link) = handoff %}
<p>An administrator sent you this code. <a href="{{ link }}">Open the password reset page</a>, then enter the code there.</p>
{%- endif %}
"#
)]
struct CodeHtml<'a> {
    username: &'a str,
    code: &'a str,
    lifetime: &'a str,
    wording: &'a CodeWording,
    handoff: Option<&'a str>,
}

pub fn code(
    envelope: &Envelope,
    purpose: CodePurpose,
    username: &str,
    code: &str,
    ttl: Duration,
    handoff: Option<&str>,
) -> Result<Message, String> {
    let (lifetime, wording) = (&lifetime(ttl), &code_wording(purpose));
    build(
        envelope,
        wording.subject,
        CodeText {
            username,
            code,
            lifetime,
            wording,
            handoff,
        },
        CodeHtml {
            username,
            code,
            lifetime,
            wording,
            handoff,
        },
    )
}

#[derive(Template)]
#[template(
    ext = "txt",
    source = "Hello,

someone just tried to use this email address for a Gatehouse account. It already belongs to an account, so nothing was changed.

If it was you, sign in instead. If it was not, you can ignore this email: nothing changed.
"
)]
struct AlreadyRegisteredText;

#[derive(Template)]
#[template(
    ext = "html",
    source = "<p>Hello,</p>
<p>someone just tried to use this email address for a Gatehouse account. It already belongs to an account, so nothing was changed.</p>
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

/// A notice: what happened, when, from which device and address, and what to do if it was not the
/// reader. One template; each notice fills in its sentences.
#[derive(Template)]
#[template(
    ext = "txt",
    source = "Hello {{ greeting }},

{{ what }}

    When:    {{ when }}
    Device:  {{ device }}
    Address: {{ ip }}

{{ advice }}
"
)]
struct NoticeText<'a> {
    greeting: &'a str,
    what: &'a str,
    when: &'a str,
    device: &'a str,
    ip: &'a str,
    advice: &'a str,
}

#[derive(Template)]
#[template(
    ext = "html",
    source = r#"<p>Hello {{ greeting }},</p>
<p>{{ what }}</p>
<table><tr><th align="left">When</th><td>{{ when }}</td></tr><tr><th align="left">Device</th><td>{{ device }}</td></tr><tr><th align="left">Address</th><td>{{ ip }}</td></tr></table>
<p>{{ advice }}</p>
"#
)]
struct NoticeHtml<'a> {
    greeting: &'a str,
    what: &'a str,
    when: &'a str,
    device: &'a str,
    ip: &'a str,
    advice: &'a str,
}

const PASSKEY_ADVICE: &str = "If this was you, there is nothing to do. If it was not, someone is signed in to your account: remove passkeys you do not know on the account's security page, change your password and end the other sessions.";

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

pub fn notice(
    envelope: &Envelope,
    username: &str,
    notice: Notice,
    details: &NoticeDetails,
) -> Result<Message, String> {
    let (subject, what, advice) = match notice {
        Notice::PasswordChanged => (
            "Your Gatehouse password was changed".to_string(),
            "the password of your Gatehouse account was just changed, and every session that was signed in was ended.".to_string(),
            "If this was you, there is nothing to do. If it was not, reset your password now with \"Forgot your password?\" on the sign-in page: only someone who can read this mailbox can do that.".to_string(),
        ),
        Notice::EmailChanged { new_email, to_old: true } => (
            "Your Gatehouse address was changed".to_string(),
            format!("the email address of your Gatehouse account was changed to {}. Mail about the account goes there from now on.", mask_email(new_email)),
            "If this was you, there is nothing to do. If it was not, someone has your password: sign in, change the password and the address back, and end the other sessions.".to_string(),
        ),
        Notice::EmailChanged { to_old: false, .. } => (
            "This is now your Gatehouse address".to_string(),
            "this address is now the email address of your Gatehouse account.".to_string(),
            "If you did not ask for this, write to the site's operators.".to_string(),
        ),
        Notice::AccountDeleted => (
            "Your Gatehouse account was deleted".to_string(),
            "your Gatehouse account and everything in it were deleted. This is the last mail you get from us about it.".to_string(),
            "If this was not you, someone had your password; the account cannot be brought back, but you can register again.".to_string(),
        ),
        Notice::NewDevice => (
            "A new sign-in to your Gatehouse account".to_string(),
            "your Gatehouse account was just signed in to from a device or network it had not been signed in from before.".to_string(),
            "If this was you, there is nothing to do. If it was not, change your password now and end the other sessions on your dashboard.".to_string(),
        ),
        Notice::TwoFactorEnabled => (
            "Two-factor sign-in is on for your Gatehouse account".to_string(),
            "two-factor sign-in was turned on for your Gatehouse account: signing in now also asks for a code from an authenticator app.".to_string(),
            "If this was you, keep your recovery codes somewhere safe. If it was not, someone has your password: reset it with \"Forgot your password?\" and write to the site's operators.".to_string(),
        ),
        Notice::TwoFactorDisabled => (
            "Two-factor sign-in is off for your Gatehouse account".to_string(),
            "two-factor sign-in was turned off for your Gatehouse account: signing in now asks for the password only.".to_string(),
            "If this was you, there is nothing to do. If it was not, change your password now, end the other sessions on your dashboard and turn two-factor on again.".to_string(),
        ),
        Notice::RecoveryCodesReplaced => (
            "New recovery codes for your Gatehouse account".to_string(),
            "a new set of recovery codes was made for your Gatehouse account; the old codes no longer work.".to_string(),
            "If this was you, keep the new codes somewhere safe. If it was not, change your password now and end the other sessions on your dashboard.".to_string(),
        ),
        Notice::RecoveryCodeUsed { left } => (
            "A recovery code was used on your Gatehouse account".to_string(),
            format!("one of your recovery codes was just used to sign in to your Gatehouse account. {left} of your recovery codes are left."),
            "If this was you, make a new set on the account's security page when few are left. If it was not, someone has your password and a recovery code: change the password, make new recovery codes, and end the other sessions.".to_string(),
        ),
        Notice::RecoveryPaused { until } => (
            "Password recovery for your Gatehouse account is paused".to_string(),
            format!("many wrong password reset codes were entered for your Gatehouse account, so password recovery for it is paused until {}: no code works and none is sent until then. Your password has not changed.", utc_timestamp(until)),
            "If this was you, wait until then and ask for a new code. If it was not, someone is trying to take over your account: there is nothing to do, the pause protects it, and you can still sign in with your password.".to_string(),
        ),
        Notice::PasskeyAdded { name } => (
            "A passkey was added to your Gatehouse account".to_string(),
            format!("a passkey named \"{name}\" was added to your Gatehouse account: it can now sign in to it."),
            PASSKEY_ADVICE.to_string(),
        ),
        Notice::PasskeyRenamed { names } => (
            "A passkey of your Gatehouse account was renamed".to_string(),
            format!("a passkey of your Gatehouse account was renamed ({names})."),
            PASSKEY_ADVICE.to_string(),
        ),
        Notice::PasskeyRemoved { name } => (
            "A passkey was removed from your Gatehouse account".to_string(),
            format!("the passkey named \"{name}\" was removed from your Gatehouse account: it no longer signs in to it."),
            PASSKEY_ADVICE.to_string(),
        ),
    };
    let when = utc_timestamp(details.at);
    let (greeting, device, ip) = (username, details.device.as_str(), details.ip.as_str());
    build(
        envelope,
        &subject,
        NoticeText {
            greeting,
            what: &what,
            when: &when,
            device,
            ip,
            advice: &advice,
        },
        NoticeHtml {
            greeting,
            what: &what,
            when: &when,
            device,
            ip,
            advice: &advice,
        },
    )
}

#[derive(Template)]
#[template(
    ext = "txt",
    source = "Hello,

someone asked to reset the password of a Gatehouse account with this email address, but no account uses it. If it was you, you may have registered with another address.

If it was not you, you can ignore this email: nothing happened.
"
)]
struct NoAccountText;

#[derive(Template)]
#[template(
    ext = "html",
    source = "<p>Hello,</p>
<p>someone asked to reset the password of a Gatehouse account with this email address, but no account uses it. If it was you, you may have registered with another address.</p>
<p>If it was not you, you can ignore this email: nothing happened.</p>
"
)]
struct NoAccountHtml;

pub fn no_account(envelope: &Envelope) -> Result<Message, String> {
    build(
        envelope,
        "No Gatehouse account uses this address",
        NoAccountText,
        NoAccountHtml,
    )
}

fn lifetime(ttl: Duration) -> String {
    match ttl.as_secs() {
        60 => "1 minute".into(),
        secs if secs % 60 == 0 => format!("{} minutes", secs / 60),
        secs => format!("{secs} seconds"),
    }
}

/// "You are invited": the link that opens the registration page with the address fixed.
pub fn invitation(envelope: &Envelope, site: &str, link: &str, until: i64) -> Result<Message, String> {
    let until = utc_timestamp(until);
    build(
        envelope,
        "You are invited to create an account",
        InvitationText {
            site,
            link,
            until: &until,
        },
        InvitationHtml {
            site,
            link,
            until: &until,
        },
    )
}

#[derive(Template)]
#[template(
    ext = "txt",
    source = "Hello,

you are invited to create an account at {{ site }}. Choose a username and a password here (the link works once, until {{ until }}):

    {{ link }}

If you did not expect this invitation, ignore this email: without the link no account is created.
"
)]
struct InvitationText<'a> {
    site: &'a str,
    link: &'a str,
    until: &'a str,
}

#[derive(Template)]
#[template(
    ext = "html",
    source = r#"<p>Hello,</p>
<p>you are invited to create an account at {{ site }}. Choose a username and a password here (the link works once, until {{ until }}):</p>
<p><a href="{{ link }}">Create my account</a></p>
<p>If you did not expect this invitation, ignore this email: without the link no account is created.</p>
"#
)]
struct InvitationHtml<'a> {
    site: &'a str,
    link: &'a str,
    until: &'a str,
}

#[cfg(test)]
mod tests;
