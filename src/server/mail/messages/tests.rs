use super::*;

fn raw(message: Message) -> String {
    String::from_utf8(message.formatted())
        .unwrap()
        .replace("=\r\n", "")
}

/// A code mail to alice@example.com, as sent.
fn code_mail(
    purpose: CodePurpose,
    username: &str,
    digits: &str,
    lifetime_secs: u64,
    link: Option<&str>,
) -> String {
    let envelope = Envelope {
        from: "Gatehouse <no-reply@example.com>",
        to: "alice@example.com",
        language: Language::English,
        site: "Gatehouse",
        support: None,
    };
    raw(code(
        &envelope,
        purpose,
        username,
        digits,
        Duration::from_secs(lifetime_secs),
        link,
    )
    .unwrap())
}

#[test]
fn the_code_mail_has_text_and_html_and_says_how_long_the_code_lives() {
    let message = code_mail(CodePurpose::Registration, "<alice>", "012345", 300, None);
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
        language: Language::English,
        site: "Gatehouse",
        support: None,
    };
    let link = "https://portal.example/unlock/00112233445566778899aabbccddeeff";
    let message = raw(account_locked(&envelope, "alice", link).unwrap());
    assert!(message.contains(link));
}

#[test]
fn notices_say_when_from_where_and_what_to_do() {
    let envelope = Envelope {
        from: "Gatehouse <no-reply@example.com>",
        to: "old@example.com",
        language: Language::English,
        site: "Gatehouse",
        support: None,
    };
    // Queued as JSON by one request, sent later in the recipient's language.
    let details: NoticeDetails =
        serde_json::from_str(r#"{"at": 1764000000, "device": "Firefox on Linux", "ip": "203.0.113.7"}"#)
            .unwrap();
    let in_german = raw(notice(
        &Envelope {
            language: Language::German,
            ..envelope
        },
        "alice",
        Notice::PasswordChanged,
        &details,
    )
    .unwrap());
    assert!(in_german.contains("Firefox unter Linux"));
    let changed = raw(notice(
        &envelope,
        "alice",
        Notice::EmailChanged {
            new_email: "new@example.com",
            to_old: true,
        },
        &details,
    )
    .unwrap());
    assert!(
        changed.contains("2025-11-24 16:00 UTC")
            && changed.contains("Firefox on Linux")
            && changed.contains("203.0.113.7")
    );
    assert!(
        changed.contains("n•••w@example.com") || changed.contains("n=E2=80=A2"),
        "the new address, masked"
    );
    assert!(!changed.contains("new@example.com"));
    let reset = code_mail(CodePurpose::Recovery, "alice", "654321", 600, None);
    assert!(reset.contains("password reset code is:") && reset.contains("10 minutes"));
    assert!(!reset.contains("administrator"));
    let link = "https://portal.example/recover/continue/00112233445566778899aabbccddeeff";
    let sent_by_admin = code_mail(CodePurpose::Recovery, "alice", "654321", 600, Some(link));
    assert!(sent_by_admin.contains("An administrator sent you this code") && sent_by_admin.contains(link));
}

#[test]
fn every_mail_has_a_plain_text_and_an_html_part() {
    let envelope = Envelope {
        from: "Gatehouse <no-reply@example.com>",
        to: "alice@example.com",
        language: Language::English,
        site: "Gatehouse",
        support: None,
    };
    let details = NoticeDetails::default();
    let mut mails = vec![
        already_registered(&envelope),
        account_locked(&envelope, "alice", "https://portal.example/unlock/00"),
        no_account(&envelope),
    ];
    for purpose in [
        CodePurpose::Registration,
        CodePurpose::Recovery,
        CodePurpose::EmailChange,
    ] {
        mails.push(code(
            &envelope,
            purpose,
            "alice",
            "012345",
            Duration::from_secs(600),
            None,
        ));
    }
    for kind in [
        Notice::PasswordChanged,
        Notice::EmailChanged {
            new_email: "new@example.com",
            to_old: true,
        },
        Notice::EmailChanged {
            new_email: "new@example.com",
            to_old: false,
        },
        Notice::AccountDeleted,
        Notice::NewDevice,
        Notice::TwoFactorEnabled,
        Notice::TwoFactorDisabled,
        Notice::RecoveryCodesReplaced,
        Notice::RecoveryCodeUsed { left: 3 },
        Notice::RecoveryPaused { until: 1_700_086_400 },
        Notice::PasskeyAdded { name: "Laptop" },
        Notice::PasskeyRenamed {
            names: "Laptop → Work laptop",
        },
        Notice::PasskeyRemoved { name: "Laptop" },
    ] {
        mails.push(notice(&envelope, "alice", kind, &details));
    }
    for mail in mails {
        let mail = raw(mail.unwrap());
        assert!(
            mail.contains("multipart/alternative")
                && mail.contains("text/plain")
                && mail.contains("text/html"),
            "{mail}"
        );
    }
}

#[test]
fn header_injection_is_impossible() {
    let envelope = Envelope {
        from: "Gatehouse <no-reply@example.com>",
        to: "victim@x.test\r\nBcc: attacker@y.test",
        language: Language::English,
        site: "Gatehouse",
        support: None,
    };
    assert!(already_registered(&envelope).is_err());
}

/// A mail to alice from the site "Northwind".
fn northwind(language: Language, support: Option<&'static str>) -> Envelope<'static> {
    Envelope {
        from: "Northwind <no-reply@example.com>",
        to: "alice@example.com",
        language,
        site: "Northwind",
        support,
    }
}

#[test]
fn every_mail_is_whole_in_every_language_and_names_the_site() {
    for language in Language::ALL {
        let envelope = northwind(language, Some("https://help.example.com"));
        let details = NoticeDetails {
            at: 1_764_000_000,
            ..NoticeDetails::default()
        };
        let mails = [
            code(
                &envelope,
                CodePurpose::Registration,
                "alice",
                "012345",
                Duration::from_secs(60),
                None,
            ),
            code(
                &envelope,
                CodePurpose::Recovery,
                "alice",
                "012345",
                Duration::from_secs(90),
                Some("https://x/y"),
            ),
            code(
                &envelope,
                CodePurpose::EmailChange,
                "alice",
                "012345",
                Duration::from_secs(600),
                None,
            ),
            already_registered(&envelope),
            no_account(&envelope),
            account_locked(&envelope, "alice", "https://x/unlock"),
            invitation(&envelope, "https://x/register?invitation=1", 1_764_000_000),
            notice(&envelope, "alice", Notice::RecoveryCodeUsed { left: 1 }, &details),
            notice(
                &envelope,
                "alice",
                Notice::EmailChanged {
                    new_email: "new@example.com",
                    to_old: true,
                },
                &details,
            ),
            notice(
                &envelope,
                "alice",
                Notice::PasskeyRenamed { names: "a → b" },
                &details,
            ),
            notice(
                &envelope,
                "alice",
                Notice::RecoveryPaused { until: 1_764_000_000 },
                &details,
            ),
        ];
        for mail in mails {
            let mail = raw(mail.unwrap());
            assert!(
                !mail.contains("mail-") && !mail.contains("{$"),
                "a message or placeholder is missing: {mail}"
            );
            assert!(mail.contains("https://help.example.com"), "{mail}");
            assert!(!mail.contains("Gatehouse"), "{mail}");
        }
    }
    let german = |purpose| {
        let envelope = northwind(Language::German, None);
        raw(code(
            &envelope,
            purpose,
            "alice",
            "012345",
            Duration::from_secs(300),
            None,
        )
        .unwrap())
    };
    let registration = german(CodePurpose::Registration);
    assert!(
        registration.contains("Geben Sie ihn innerhalb von 5 Minuten"),
        "{registration}"
    );
}
