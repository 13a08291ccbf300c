//! The actions on an account, each with its audit record naming the admin and, where the owner
//! should know, a notice mail.

use gatehouse::error::AppError;
use reqwest::StatusCode;

use super::{act, admin, admin_events, events_page, signed_in, user_id};
use crate::{
    support::{location, PASSWORD},
    two_factor::enrol,
};

#[tokio::test]
async fn an_admin_finds_disables_enables_unlocks_and_ends_sessions_each_on_the_record() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    let carol = signed_in(&f, "carol").await;
    let alice_id = user_id(&f, "alice").await;
    let carol_id = user_id(&f, "carol").await;

    let found = alice.browser.page("/admin/users?search=CAR&filter=all").await;
    assert!(
        found.contains(">carol</strong>") && !found.contains(">alice</strong>"),
        "{found}"
    );
    let admins = alice.browser.page("/admin/users?filter=admin").await;
    assert!(admins.contains(">alice</strong>") && !admins.contains(">carol</strong>"));
    let page = alice
        .browser
        .page(&format!("/admin/users/{carol_id}?confirm=disable"))
        .await;
    assert!(page.contains("Disable the account?") && page.contains("carol@example.test"));

    // Disabled: the open session ends at once, and the right password no longer signs in.
    let disabled = alice
        .browser
        .post_form(
            "/api/admin/act",
            &format!("/admin/users/{carol_id}?confirm=disable"),
            &[("user_id", &carol_id.to_string()), ("action", "disable")],
        )
        .await;
    assert_eq!(
        location(&disabled),
        format!("/admin/users/{carol_id}?done=disable")
    );
    assert_eq!(location(&carol.get("/dashboard").await), "/login?next=/dashboard");
    let (status, error) = carol.try_login("carol", PASSWORD, "").await;
    assert_eq!(
        (status, error),
        (StatusCode::UNAUTHORIZED, Some(AppError::InvalidCredentials))
    );
    let listed = alice.browser.page("/admin/users?filter=disabled").await;
    assert!(listed.contains(">carol</strong>"));

    assert_eq!(
        act(&alice.browser, carol_id, "enable", "").await,
        (StatusCode::OK, None)
    );
    assert_eq!(location(&carol.login("carol", PASSWORD).await), "/dashboard");

    f.db.execute(&format!(
        "update users set locked_at = 1, failed_sign_ins = 10 where user_id = {carol_id}"
    ))
    .await
    .unwrap();
    assert_eq!(
        act(&alice.browser, carol_id, "unlock", "").await,
        (StatusCode::OK, None)
    );
    assert_eq!(
        f.db.number(&format!(
            "select failed_sign_ins + coalesce(locked_at, 0) from users where user_id = {carol_id}"
        ))
        .await,
        0
    );

    assert_eq!(
        act(&alice.browser, carol_id, "end_sessions", "").await,
        (StatusCode::OK, None)
    );
    assert_eq!(location(&carol.get("/dashboard").await), "/login?next=/dashboard");

    assert_eq!(
        act(&alice.browser, carol_id, "grant_admin", "").await,
        (StatusCode::OK, None)
    );
    assert_eq!(
        act(&alice.browser, carol_id, "revoke_admin", "").await,
        (StatusCode::OK, None)
    );

    // Not on one's own role or access; an unknown id or action is refused.
    for action in ["revoke_admin", "disable"] {
        assert_eq!(
            act(&alice.browser, alice_id, action, "").await,
            (StatusCode::FORBIDDEN, Some(AppError::NotOnOwnAccount))
        );
    }
    assert_eq!(
        act(&alice.browser, 999_999, "disable", "").await,
        (StatusCode::NOT_FOUND, Some(AppError::NoSuchAccount))
    );
    assert_eq!(
        act(&alice.browser, carol_id, "delete_everything", "").await.0,
        StatusCode::BAD_REQUEST
    );

    assert_eq!(
        admin_events(&f).await,
        [
            format!("admin_granted {alice_id} -"),
            format!("account_disabled {carol_id} {alice_id}"),
            format!("account_enabled {carol_id} {alice_id}"),
            format!("unlock {carol_id} {alice_id}"),
            format!("sessions_ended {carol_id} {alice_id}"),
            format!("admin_granted {carol_id} {alice_id}"),
            format!("admin_revoked {carol_id} {alice_id}"),
        ]
    );
    // The account's own page shows what the admin did.
    let carol_page = alice.browser.page(&format!("/admin/users/{carol_id}")).await;
    assert!(
        carol_page.contains("Account disabled by an administrator"),
        "{carol_page}"
    );
}

#[tokio::test]
async fn an_admin_resets_a_lost_second_factor_and_deletes_an_account_each_with_a_notice() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    let alice_id = user_id(&f, "alice").await;
    let frank = enrol(&f, "frank").await;
    let frank_id = user_id(&f, "frank").await;
    let carol = signed_in(&f, "carol").await;
    let carol_id = user_id(&f, "carol").await;

    // Frank lost his phone and his recovery codes: the password alone signs in afterwards.
    let page = alice.browser.page(&format!("/admin/users/{frank_id}")).await;
    assert!(page.contains("Reset two-factor sign-in"));
    assert_eq!(
        act(&alice.browser, frank_id, "reset_two_factor", "").await,
        (StatusCode::OK, None)
    );
    f.sink
        .wait_for_containing("frank@example.test", "two-factor sign-in was turned off", 1)
        .await;
    assert_eq!(
        f.db.number(&format!(
            "select count(*) from recovery_codes where user_id = {frank_id}"
        ))
        .await,
        0
    );
    assert_eq!(
        location(&frank.browser.login("frank", PASSWORD).await),
        "/dashboard"
    );
    let page = alice.browser.page(&format!("/admin/users/{frank_id}")).await;
    assert!(
        !page.contains("Reset two-factor sign-in"),
        "only offered while it is on"
    );

    // Deleting: confirmed without JavaScript, the session ends, a last mail, the events stay.
    let deleted = alice
        .browser
        .post_form(
            "/api/admin/act",
            &format!("/admin/users/{carol_id}?confirm=delete"),
            &[("user_id", &carol_id.to_string()), ("action", "delete")],
        )
        .await;
    assert_eq!(location(&deleted), "/admin/users?deleted=1");
    assert!(alice
        .browser
        .follow(&deleted)
        .await
        .contains("The account was deleted"));
    f.sink
        .wait_for_containing("carol@example.test", "This is the last mail", 1)
        .await;
    assert_eq!(location(&carol.get("/dashboard").await), "/login?next=/dashboard");
    assert_eq!(
        f.db.number("select count(*) from users where username = 'carol'")
            .await,
        0
    );
    assert_eq!(
        act(&alice.browser, carol_id, "delete", "").await,
        (StatusCode::NOT_FOUND, Some(AppError::NoSuchAccount))
    );
    assert_eq!(
        act(&alice.browser, alice_id, "delete", "").await,
        (StatusCode::FORBIDDEN, Some(AppError::NotOnOwnAccount))
    );
    let log = f
        .db
        .texts(
            "select kind || ' ' || user_id || ' ' || coalesce(cast(actor_id as text), '-') from security_events
             where kind in ('two_factor_reset', 'account_deleted') order by event_id",
        )
        .await;
    assert_eq!(
        log,
        [
            format!("two_factor_reset {frank_id} {alice_id}"),
            format!("account_deleted {carol_id} {alice_id}"),
        ]
    );
    let events = events_page(&alice.browser, &[("kind", "account_deleted")]).await;
    assert_eq!(events.events[0].username, None, "the account's name went with it");
}

#[tokio::test]
async fn an_admin_resends_a_verification_code_that_the_owners_browser_can_use() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    let alice_id = user_id(&f, "alice").await;
    let gina = f.app.browser();
    assert_eq!(
        location(&gina.register("gina", "gina@example.test").await),
        "/verify"
    );
    let first = f.sink.wait_for_code("gina@example.test", 1).await;
    let gina_id = user_id(&f, "gina").await;
    let page = alice.browser.page(&format!("/admin/users/{gina_id}")).await;
    assert!(page.contains("Resend the verification code"));
    assert!(
        page.contains("Waiting for the code"),
        "the account's codes are on its page"
    );

    // The same cooldown as the verify page's button.
    let (status, _) = act(&alice.browser, gina_id, "resend_verification", "").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    f.advance(61);
    assert_eq!(
        act(&alice.browser, gina_id, "resend_verification", "").await,
        (StatusCode::OK, None)
    );
    let second = f.sink.wait_for_code("gina@example.test", 2).await;
    assert_ne!(first, second);
    assert_eq!(location(&gina.verify(&second).await), "/login?verified=1");

    assert_eq!(
        act(&alice.browser, gina_id, "resend_verification", "").await,
        (StatusCode::CONFLICT, Some(AppError::AlreadyVerified))
    );
    assert_eq!(
        f.db.texts(&format!(
            "select coalesce(cast(actor_id as text), '-') from security_events where kind = 'resend' and user_id = {gina_id}"
        ))
        .await,
        [alice_id.to_string()]
    );
}

#[tokio::test]
async fn an_admin_sends_a_reset_code_whose_link_opens_the_reset_in_any_browser() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    let alice_id = user_id(&f, "alice").await;
    let _carol = signed_in(&f, "carol").await;
    let carol_id = user_id(&f, "carol").await;
    assert!(alice
        .browser
        .page(&format!("/admin/users/{carol_id}"))
        .await
        .contains("Send a password reset code"));

    assert_eq!(
        act(&alice.browser, carol_id, "send_recovery_code", "").await,
        (StatusCode::OK, None)
    );
    let mail = f
        .sink
        .wait_for_containing("carol@example.test", "An administrator sent you this code", 1)
        .await;
    let text = mail.text();
    let code = mail.code().expect("the code");
    let link = text
        .split_whitespace()
        .find(|word| word.contains("/recover/continue/"))
        .expect("the link");
    let path = &link[link.find("/recover/continue/").unwrap()..];

    // Carol's phone, a browser that never saw the portal: the link takes up the reset.
    let phone = f.app.browser();
    assert_eq!(location(&phone.get(path).await), "/recover/verify");
    let verified = phone
        .post_form(
            "/api/verify",
            "/recover/verify",
            &[("purpose", "recovery"), ("code", &code)],
        )
        .await;
    assert_eq!(location(&verified), "/recover/password");
    let new_password = "violet-harbour-lantern-42";
    let reset = phone
        .post_form(
            "/api/reset_password",
            "/recover/password",
            &[("password", new_password), ("password_confirm", new_password)],
        )
        .await;
    assert!(location(&reset).starts_with("/login"), "{}", location(&reset));
    assert_eq!(location(&phone.login("carol", new_password).await), "/dashboard");

    // Used: the link no longer opens anything.
    let late = f.app.browser();
    assert_eq!(location(&late.get(path).await), "/recover?link_expired=1");
    assert_eq!(
        location(&late.get("/recover/continue/not-a-flow").await),
        "/recover?link_expired=1"
    );
    assert_eq!(
        act(&alice.browser, alice_id, "send_recovery_code", "").await,
        (StatusCode::FORBIDDEN, Some(AppError::NotOnOwnAccount))
    );
    assert_eq!(
        f.db.texts(&format!(
            "select coalesce(cast(actor_id as text), '-') from security_events where kind = 'recovery_requested' and user_id = {carol_id}"
        ))
        .await,
        [alice_id.to_string()]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_action_sent_twenty_times_at_once_changes_the_account_once() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    let _carol = signed_in(&f, "carol").await;
    let carol_id = user_id(&f, "carol").await.to_string();
    let client = alice.browser.client.clone();
    let url = alice.browser.url("/api/admin/act");
    let statuses = crate::support::burst(20, |_| {
        let request = client
            .post(&url)
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&[("user_id", carol_id.as_str()), ("action", "disable")]);
        async move { request.send().await.unwrap().status() }
    })
    .await;
    assert_eq!(
        crate::support::count(&statuses, StatusCode::OK),
        20,
        "{statuses:?}"
    );
    assert_eq!(
        f.db.number("select count(*) from security_events where kind = 'account_disabled'")
            .await,
        1,
        "one change, one record"
    );
}
