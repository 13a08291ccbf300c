//! Invitations: sent from the console or the command line, mailed through the outbox, each step
//! audited with its actor; the link opens `/register` with the address fixed, makes a verified
//! account in the invitation's groups, and works once. Used, revoked, expired and unknown links
//! get one sentence.

use gatehouse::{error::AppError, server::registration_policy::RegistrationMode, validate::Field};
use reqwest::StatusCode;

use super::register_invited;
use crate::{
    admin::{admin, gatehouse, user_id},
    support::{burst, count, fixture, location, settings, Fixture, TestApp, PASSWORD},
};

async fn invite(
    browser: &crate::support::Browser,
    fields: &[(&str, &str)],
) -> (StatusCode, Option<AppError>) {
    let mut all = vec![("action", "invite")];
    all.extend_from_slice(fields);
    browser.call_for_error("/api/admin/change_invitation", &all).await
}

/// The token of the `n`-th invitation mailed to `address`.
async fn mailed_token(f: &Fixture, address: &str, n: usize) -> String {
    let mail = f
        .sink
        .wait_for_containing(address, "invited to create an account", n)
        .await;
    // The text part is quoted-printable: its `=` are `=3D`.
    token_in(&mail.text().replace("=3D", "="))
}

fn token_in(text: &str) -> String {
    let start = text.find("/register?invitation=").expect("a link") + "/register?invitation=".len();
    text[start..start + 32].to_string()
}

/// (kind, actor or -, detail) of every invitation event.
async fn invitation_events(f: &Fixture) -> Vec<String> {
    f.db.texts(
        "select kind || ' ' || coalesce(cast(actor_id as text), '-') || ' ' || detail
         from security_events where kind like 'invitation%' order by event_id",
    )
    .await
}

#[tokio::test]
async fn an_invited_address_registers_from_the_link_verified_and_in_its_groups() {
    let f = fixture(|_| {}).await;
    let alice = admin(&f, "alice").await.browser;
    let alice_id = user_id(&f, "alice").await;
    let (ok, output) = gatehouse(&f, &["groups", "create", "staff"]).await;
    assert!(ok, "{output}");

    // The console's form without JavaScript: a redirect back to the list, which shows it.
    let sent = alice
        .post_form(
            "/api/admin/change_invitation",
            "/admin/invitations",
            &[
                ("action", "invite"),
                ("email", " Nora@Example.TEST "),
                ("groups", "staff"),
                ("days", ""),
            ],
        )
        .await;
    assert_eq!(location(&sent), "/admin/invitations?done=invite");
    let list = alice.page("/admin/invitations").await;
    assert!(
        list.contains("nora@example.test") && list.contains("staff"),
        "{list}"
    );

    // The link, in another browser than any before, on an instance of the same site whose
    // registration is by invitation only: the address is fixed, no code is needed.
    let token = mailed_token(&f, "nora@example.test", 1).await;
    let mut invite_only = settings(&f.dir, &f.sink.url(), f.database_url.clone());
    invite_only.registration = RegistrationMode::Invite;
    let app = TestApp::start(invite_only, f.clock.clone()).await;
    let nora = app.browser();
    let page = nora.page(&format!("/register?invitation={token}")).await;
    assert!(
        page.contains("value=\"nora@example.test\"") && page.contains("readonly"),
        "{page}"
    );
    let registered = nora
        .post_form(
            "/api/register",
            &format!("/register?invitation={token}"),
            &[
                ("username", "nora"),
                ("email", "someone-else@example.test"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("invitation", &token),
            ],
        )
        .await;
    assert_eq!(location(&registered), "/login?verified=1");
    assert_eq!(location(&nora.login("nora", PASSWORD).await), "/dashboard");
    assert!(nora.page("/dashboard").await.contains("staff"));
    assert_eq!(
        f.sink.mails_to("nora@example.test").await.len(),
        1,
        "the invitation only, no code"
    );
    assert_eq!(
        f.db.number(
            "select count(*) from users where email = 'nora@example.test' and verified_at is not null"
        )
        .await,
        1
    );
    assert!(
        f.db.blobs("select token_hash from invitations").await[0].len() == 32,
        "the token is kept as its keyed hash only"
    );

    let nora_id = user_id(&f, "nora").await;
    assert_eq!(
        invitation_events(&f).await,
        [
            format!("invitation_sent {alice_id} nora@example.test"),
            "invitation_used - nora@example.test".to_string(),
        ]
    );
    let joined =
        f.db.texts(&format!(
            "select coalesce(cast(actor_id as text), '-') || ' ' || detail from security_events
             where kind = 'group_member_added' and user_id = {nora_id}"
        ))
        .await;
    assert_eq!(joined, [format!("{alice_id} staff")]);
    app.stop().await;
}

#[tokio::test]
async fn one_link_used_by_ten_browsers_at_once_makes_exactly_one_account() {
    let f = fixture(|settings| settings.registration = RegistrationMode::Closed).await;
    let (ok, output) = gatehouse(&f, &["invite", "pat@example.test", "--days", "3"]).await;
    assert!(ok, "{output}");
    let token = token_in(output.lines().last().unwrap());
    // The command line stamps its mail with the real clock, a moment after the test's clock
    // stopped: the test's clock moves past it. And the server's mail worker finds mail queued by
    // another process at its next look (every 5 s): the test wakes it rather than wait.
    f.advance(60);
    f.app.state.outbox_wake.notify_one();
    assert_eq!(
        mailed_token(&f, "pat@example.test", 1).await,
        token,
        "the printed link is the mailed one"
    );

    let statuses = burst(10, |i| {
        let browser = f.app.browser();
        let token = token.clone();
        async move { register_invited(&browser, &token, &format!("pat{i}")).await.0 }
    })
    .await;
    assert_eq!(count(&statuses, StatusCode::OK), 1, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::GONE), 9, "{statuses:?}");
    assert_eq!(
        f.db.number("select count(*) from users where email = 'pat@example.test'")
            .await,
        1
    );
    assert_eq!(
        invitation_events(&f).await,
        [
            "invitation_sent - pat@example.test".to_string(),
            "invitation_used - pat@example.test".to_string(),
        ],
        "the command line is recorded as no admin"
    );
}

#[tokio::test]
async fn used_revoked_expired_and_unknown_links_get_the_same_sentence() {
    let f = fixture(|_| {}).await;
    let alice = admin(&f, "alice").await.browser;
    let alice_id = user_id(&f, "alice").await;
    for address in ["used@example.test", "revoked@example.test", "resent@example.test"] {
        assert_eq!(
            invite(&alice, &[("email", address)]).await,
            (StatusCode::OK, None)
        );
    }
    assert_eq!(
        invite(&alice, &[("email", "late@example.test"), ("days", "1")])
            .await
            .0,
        StatusCode::OK
    );
    let token = |address: &'static str| mailed_token(&f, address, 1);
    let (used, revoked, resent, late) = (
        token("used@example.test").await,
        token("revoked@example.test").await,
        token("resent@example.test").await,
        token("late@example.test").await,
    );
    assert_eq!(
        register_invited(&f.app.browser(), &used, "used").await,
        (StatusCode::OK, None)
    );

    let id_of = |address: &str| format!("select invitation_id from invitations where email = '{address}'");
    let revoked_id = f.db.number(&id_of("revoked@example.test")).await.to_string();
    let resent_id = f.db.number(&id_of("resent@example.test")).await.to_string();
    let change = |action: &'static str, id: String| {
        let alice = alice.clone();
        async move {
            alice
                .call_for_error(
                    "/api/admin/change_invitation",
                    &[("action", action), ("invitation", &id)],
                )
                .await
        }
    };
    assert_eq!(change("revoke", revoked_id.clone()).await, (StatusCode::OK, None));
    assert_eq!(change("resend", resent_id.clone()).await, (StatusCode::OK, None));
    let (status, error) = change("revoke", revoked_id).await;
    assert_eq!(
        (status, error),
        (StatusCode::NOT_FOUND, Some(AppError::NoSuchInvitation))
    );
    let renewed = mailed_token(&f, "resent@example.test", 2).await;
    f.advance(86_400 + 1);

    let unknown = "0123456789abcdef0123456789abcdef".to_string();
    for dead in [used, revoked, resent, late, unknown] {
        let browser = f.app.browser();
        let page = browser.page(&format!("/register?invitation={dead}")).await;
        assert!(page.contains(&AppError::InvitationInvalid.to_string()), "{page}");
        assert!(!page.contains("name=\"username\""));
        let answer = register_invited(&browser, &dead, "someone").await;
        assert_eq!(answer, (StatusCode::GONE, Some(AppError::InvitationInvalid)));
    }
    assert_eq!(
        register_invited(&f.app.browser(), &renewed, "resent").await,
        (StatusCode::OK, None),
        "the new link lasts 7 days from its sending"
    );
    let events = invitation_events(&f).await;
    assert!(
        events.contains(&format!("invitation_revoked {alice_id} revoked@example.test")),
        "{events:?}"
    );
    assert!(
        events.contains(&format!("invitation_resent {alice_id} resent@example.test")),
        "{events:?}"
    );
}

#[tokio::test]
async fn an_invitation_names_a_free_address_existing_groups_and_a_sensible_lifetime() {
    let f = fixture(|_| {}).await;
    let alice = admin(&f, "alice").await.browser;
    let refused = [
        (vec![("email", "alice@example.test")], Field::Email),
        (vec![("email", "not-an-address")], Field::Email),
        (
            vec![("email", "ok@example.test"), ("groups", "nobody-made-this")],
            Field::GroupName,
        ),
        (
            vec![("email", "ok@example.test"), ("days", "0")],
            Field::InvitationDays,
        ),
        (
            vec![("email", "ok@example.test"), ("days", "91")],
            Field::InvitationDays,
        ),
    ];
    for (fields, field) in refused {
        let (status, error) = invite(&alice, &fields).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(error.unwrap().field_message(field).is_some(), "{fields:?}");
    }
    assert_eq!(f.db.number("select count(*) from invitations").await, 0);
    let (ok, output) = gatehouse(&f, &["invite", "alice@example.test"]).await;
    assert!(!ok && output.contains("exists already"), "{output}");
    // In open mode a link works too, and fixes the address.
    assert_eq!(
        invite(&alice, &[("email", "ok@example.test")]).await.0,
        StatusCode::OK
    );
    let token = mailed_token(&f, "ok@example.test", 1).await;
    assert_eq!(
        register_invited(&f.app.browser(), &token, "okay").await,
        (StatusCode::OK, None)
    );
}
