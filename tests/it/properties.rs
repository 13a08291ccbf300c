//! Property tests: every validator over arbitrary Unicode and sizes never panics and only ever
//! accepts what its rule allows; a corpus of hostile input posted to every server function never
//! gets a 5xx and is never stored.

use gatehouse::validate;
use proptest::prelude::*;
use reqwest::StatusCode;

use crate::support::{fixture, verified_user, PASSWORD};

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn usernames_accepted_are_short_lowercase_ascii(raw in "\\PC{0,40}|[a-zA-Z0-9._-]{0,40}") {
        if let Ok(username) = validate::username(&raw) {
            prop_assert!((validate::USERNAME_MIN..=validate::USERNAME_MAX).contains(&username.len()));
            prop_assert!(username.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b)));
        }
    }

    #[test]
    fn emails_accepted_fit_in_a_header_and_are_lowercase(raw in "\\PC{0,300}|[a-zA-Z0-9.+-]{1,70}@[a-z0-9.-]{1,200}") {
        if let Ok(email) = validate::email(&raw) {
            prop_assert!(email.len() <= validate::EMAIL_MAX);
            prop_assert!(!email.contains(['\r', '\n', '\0', '"', '<', '>', ',', ' ']));
            prop_assert_eq!(email.matches('@').count(), 1);
            prop_assert_eq!(email.clone(), email.to_lowercase());
        }
    }

    #[test]
    fn passwords_are_judged_by_code_points_without_panicking(raw in "\\PC{0,200}", min in 8usize..=64) {
        let verdict = validate::password(&raw, "someone", "someone@example.test", "Gatehouse", min);
        let length = validate::normalize_password(&raw).chars().count();
        if verdict.is_ok() {
            prop_assert!((min..=validate::PASSWORD_MAX).contains(&length));
        }
    }

    #[test]
    fn codes_accepted_are_six_ascii_digits(raw in "\\PC{0,20}|[0-9 ]{0,10}") {
        if let Ok(code) = validate::code(&raw) {
            prop_assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn identifiers_never_panic(raw in "\\PC{0,400}") {
        let _ = validate::identifier(&raw);
    }

    #[test]
    fn sign_in_redirects_stay_on_this_site(next in "\\PC{0,80}|/[/\\\\]?[a-z.:@%/\\\\]{0,30}|https?://[a-z.]{1,20}") {
        let target = gatehouse::server::return_url::local(&next);
        prop_assert!(target.starts_with('/'));
        prop_assert!(!target.starts_with("//") && !target.starts_with("/\\"));
        prop_assert!(!target.contains(':') && !target.contains('\\'));
    }
}

/// The server functions that sign the browser out, whatever else they are given.
const SIGN_OUT: [&str; 2] = ["/api/logout", "/api/confirm_app_logout"];

pub(crate) const HOSTILE: &[&str] = &[
    "' OR '1'='1' --",
    "\"; DROP TABLE users; --",
    "<script>alert(1)</script>",
    "\"><svg onload=alert(1)>",
    "victim@x.test\r\nBcc: attacker@y.test",
    "bob\r\nBcc: attacker@y.test",
    "\0",
    "\u{202E}admin",
    "\u{FEFF}alice",
    "%C0%AF%00",
    "../../etc/passwd",
    "${jndi:ldap://x}",
];

#[tokio::test]
async fn hostile_input_to_every_server_function_never_gets_a_5xx_nor_is_stored() {
    let f = fixture(|_| {}).await;
    let signed_in = verified_user(&f, "nina").await;
    signed_in.login("nina", PASSWORD).await;
    let anonymous = f.app.browser();
    // Each endpoint with the fields it reads (the others take none).
    let endpoints: &[(&str, &[&str])] = &[
        (
            "/api/register",
            &[
                "username",
                "email",
                "password",
                "password_confirm",
                "pow",
                "accept_terms",
                "invitation",
            ],
        ),
        ("/api/registration_policy", &["invitation"]),
        ("/api/terms", &[]),
        ("/api/accept_terms", &["accept_terms", "next"]),
        ("/api/code_status", &["purpose"]),
        ("/api/verify", &["purpose", "code"]),
        ("/api/resend_code", &["purpose"]),
        ("/api/recover", &["identifier"]),
        ("/api/recovery_ready", &[]),
        ("/api/reset_password", &["password", "password_confirm"]),
        ("/api/account_settings", &[]),
        ("/api/confirm_password", &["password", "next"]),
        (
            "/api/change_password",
            &["current_password", "password", "password_confirm"],
        ),
        ("/api/change_email", &["email"]),
        ("/api/delete_account", &["password", "confirmation"]),
        ("/api/password_policy", &[]),
        ("/api/login", &["identifier", "password", "next", "pow"]),
        ("/api/logout", &[]),
        ("/api/unlock", &["token"]),
        ("/api/account", &[]),
        ("/api/sessions", &[]),
        ("/api/end_session", &["id"]),
        ("/api/end_other_sessions", &[]),
        ("/api/recent_activity", &[]),
        ("/api/second_step", &["code", "next", "pow"]),
        ("/api/second_step_pending", &[]),
        ("/api/two_factor", &[]),
        ("/api/start_two_factor", &[]),
        ("/api/enable_two_factor", &["code"]),
        ("/api/disable_two_factor", &["password", "code"]),
        ("/api/new_recovery_codes", &["password", "code"]),
        ("/api/recovery_codes_saved", &[]),
        ("/api/passkeys", &[]),
        ("/api/passkeys_available", &[]),
        ("/api/begin_passkey", &["purpose"]),
        (
            "/api/finish_passkey",
            &["purpose", "ceremony", "answer", "name", "next"],
        ),
        ("/api/rename_passkey", &["passkey", "name"]),
        ("/api/remove_passkey", &["passkey"]),
        ("/api/oidc_consent", &[]),
        ("/api/answer_consent", &["allow"]),
        ("/api/oidc_continue", &[]),
        ("/api/allowed_apps", &[]),
        ("/api/withdraw_app", &["client_id"]),
        ("/api/confirm_app_logout", &[]),
        ("/api/admin/overview", &[]),
        ("/api/admin/users", &["search", "filter", "sort", "after"]),
        ("/api/admin/user", &["user_id"]),
        ("/api/admin/act", &["user_id", "action", "password"]),
        ("/api/admin/groups", &[]),
        ("/api/admin/group", &["name"]),
        (
            "/api/admin/change_group",
            &[
                "action",
                "name",
                "new_name",
                "description",
                "member",
                "back_to_user",
                "password",
            ],
        ),
        ("/api/admin/invitations", &[]),
        (
            "/api/admin/change_invitation",
            &["action", "invitation", "email", "groups", "days", "password"],
        ),
        ("/api/admin/clients", &[]),
        (
            "/api/admin/change_client",
            &[
                "action",
                "client_id",
                "name",
                "redirect_uris",
                "post_logout_uris",
                "groups",
                "public",
                "consent",
                "allow_without_pkce",
                "password",
            ],
        ),
        (
            "/api/admin/codes",
            &["purpose", "state", "account", "from", "to", "before"],
        ),
        (
            "/api/admin/events",
            &["kind", "account", "actor", "ip", "from", "to", "before"],
        ),
    ];
    // The list above must name every server function the app has: a new one is attacked too.
    let listed: std::collections::BTreeSet<&str> = endpoints.iter().map(|(path, _)| *path).collect();
    let registered: std::collections::BTreeSet<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    assert_eq!(listed, registered, "every server function is in this test's list");
    // Valid values everywhere but the field under attack, so each hostile value reaches the rule
    // (and the code) of its own field instead of being refused by another field's check first.
    let valid: &[(&str, &str)] = &[
        ("username", "fresh-user"),
        ("email", "fresh@example.test"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
        ("code", "123456"),
        ("identifier", "nina"),
        ("next", "/dashboard"),
        ("pow", ""),
        ("id", "1"),
        ("token", "00112233445566778899aabbccddeeff"),
        ("purpose", "registration"),
        ("current_password", "not-the-password-at-all"),
        ("confirmation", "nobody-of-that-name"),
        ("user_id", "1"),
        ("action", "unlock"),
        ("search", "a"),
        ("filter", "all"),
        ("after", ""),
        ("kind", "sign_in"),
        ("account", "nina"),
        ("actor", ""),
        ("ip", "127.0.0.1"),
        ("from", "2026-01-01"),
        ("to", ""),
        ("before", ""),
        ("state", "pending"),
        ("sort", "newest"),
        ("name", "staff"),
        ("new_name", "staff-2"),
        ("description", "The staff"),
        ("member", "nina"),
        ("back_to_user", "1"),
        ("allow", "yes"),
        ("ceremony", "00112233445566778899aabbccddeeff"),
        ("answer", "{}"),
        ("passkey", "1"),
        ("client_id", "app"),
        ("redirect_uris", "https://app.example.test/callback"),
        ("post_logout_uris", ""),
        ("groups", ""),
        ("public", "on"),
        ("consent", "explicit"),
        ("allow_without_pkce", ""),
    ];
    let megabyte = "x".repeat(1024 * 1024);
    let mut inputs: Vec<&str> = HOSTILE.to_vec();
    inputs.push(&megabyte);
    for &(endpoint, fields) in endpoints {
        let attacked_fields: Vec<&str> = if fields.is_empty() {
            vec!["username"]
        } else {
            fields.to_vec()
        };
        for attacked in &attacked_fields {
            for input in &inputs {
                let form: Vec<(&str, &str)> = valid
                    .iter()
                    .map(|(field, value)| (*field, if field == attacked { *input } else { *value }))
                    .collect();
                // Signing out is the one thing the signed-in browser must not do here.
                let browsers: &[&crate::support::Browser] = if SIGN_OUT.contains(&endpoint) {
                    &[&anonymous]
                } else {
                    &[&anonymous, &signed_in]
                };
                for browser in browsers {
                    let status = browser.call(endpoint, &form).await.status();
                    assert!(
                        !status.is_server_error(),
                        "{endpoint} {attacked}={:?}: {status}",
                        &input[..input.len().min(40)]
                    );
                }
            }
        }
        // Not form-encoded at all: wrong content types and bytes that are not UTF-8.
        let browser = if SIGN_OUT.contains(&endpoint) {
            &anonymous
        } else {
            &signed_in
        };
        for (content_type, body) in [
            ("application/json", b"{\"username\": [1]}".to_vec()),
            ("text/plain", b"username=a".to_vec()),
            ("multipart/form-data; boundary=x", b"--x\r\n".to_vec()),
            (
                "application/x-www-form-urlencoded",
                vec![b'u', b'=', 0xff, 0xfe, b'%', b'C', b'3', b'%', b'2', b'8'],
            ),
        ] {
            let response = browser
                .client
                .post(browser.url(endpoint))
                .header("content-type", content_type)
                .header("accept", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            assert!(
                !response.status().is_server_error(),
                "{endpoint} {content_type}: {}",
                response.status()
            );
        }
    }
    assert_eq!(
        signed_in.get("/dashboard").await.status(),
        StatusCode::OK,
        "hostile input did not disturb the session"
    );
    let users = f.db.texts("select username || ' ' || email from users").await;
    for user in &users {
        assert!(
            HOSTILE.iter().all(|hostile| !user.contains(hostile.trim())),
            "stored: {user}"
        );
    }
    assert!(
        users
            .iter()
            .all(|user| user == "nina nina@example.test" || user == "fresh-user fresh@example.test"),
        "{users:?}"
    );
    assert!(
        f.sink.mails_to("attacker@y.test").await.is_empty(),
        "a header injection reached the mail server"
    );
}
