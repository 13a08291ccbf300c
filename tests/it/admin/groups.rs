//! Groups: made and changed in the console (each change audited with its admin, behind the same
//! recent-password rule as an action on an account) and on the command line; shown to their
//! members on the dashboard and in the data export.

use gatehouse::{error::AppError, validate::Field};
use reqwest::StatusCode;

use super::{admin, gatehouse, signed_in, user_id};
use crate::support::{burst, count, location, Browser, Fixture, PASSWORD};

async fn change(browser: &Browser, fields: &[(&str, &str)]) -> (StatusCode, Option<AppError>) {
    browser.call_for_error("/api/admin/change_group", fields).await
}

/// (kind, account or -, actor or -, detail) of every group event.
async fn group_events(f: &Fixture) -> Vec<String> {
    f.db.texts(
        "select kind || ' ' || coalesce(cast(user_id as text), '-') || ' ' || coalesce(cast(actor_id as text), '-')
                || ' ' || detail
         from security_events where kind like 'group%' order by event_id",
    )
    .await
}

#[tokio::test]
async fn an_admin_creates_fills_renames_and_deletes_a_group_each_on_the_record() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await.browser;
    let dave = signed_in(&f, "dave").await;
    let (alice_id, dave_id) = (user_id(&f, "alice").await, user_id(&f, "dave").await);

    // The no-JavaScript form of the groups page.
    let created = alice
        .post_form(
            "/api/admin/change_group",
            "/admin/groups",
            &[
                ("action", "create"),
                ("name", " staff "),
                ("description", "The staff"),
            ],
        )
        .await;
    assert_eq!(location(&created), "/admin/groups/staff?done=create");
    assert!(alice.page("/admin/groups").await.contains(">staff</strong>"));
    let taken = change(&alice, &[("action", "create"), ("name", "staff")]).await;
    let bad = change(&alice, &[("action", "create"), ("name", "Staff!")]).await;
    for (status, error) in [taken, bad] {
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error.unwrap().field_message(Field::GroupName).is_some());
    }

    let added = change(
        &alice,
        &[
            ("action", "add"),
            ("name", "staff"),
            ("member", "DAVE@example.test"),
        ],
    )
    .await;
    assert_eq!(added, (StatusCode::OK, None));
    let page = alice.page("/admin/groups/staff").await;
    assert!(
        page.contains(">dave</strong>") && page.contains("dave@example.test"),
        "{page}"
    );
    assert!(alice
        .page(&format!("/admin/users/{dave_id}"))
        .await
        .contains(">staff</strong>"));
    assert!(dave
        .page("/dashboard")
        .await
        .contains(r#"data-testid="groups">staff<"#));
    let export: serde_json::Value =
        serde_json::from_str(&dave.get("/account/export").await.text().await.unwrap()).unwrap();
    assert_eq!(export["groups"], serde_json::json!(["staff"]));
    let nobody = change(
        &alice,
        &[("action", "add"), ("name", "staff"), ("member", "nobody")],
    )
    .await;
    assert_eq!(nobody, (StatusCode::NOT_FOUND, Some(AppError::NoSuchAccount)));

    let renamed = change(
        &alice,
        &[
            ("action", "edit"),
            ("name", "staff"),
            ("new_name", "team"),
            ("description", "Everyone"),
        ],
    )
    .await;
    assert_eq!(renamed, (StatusCode::OK, None));
    let gone = change(
        &alice,
        &[("action", "add"), ("name", "staff"), ("member", "dave")],
    )
    .await;
    assert_eq!(gone, (StatusCode::NOT_FOUND, Some(AppError::NoSuchGroup)));
    // From the account's page: remove, then add back.
    let removed = alice
        .post_form(
            "/api/admin/change_group",
            &format!("/admin/users/{dave_id}"),
            &[
                ("action", "remove"),
                ("name", "team"),
                ("member", "dave"),
                ("back_to_user", &dave_id.to_string()),
            ],
        )
        .await;
    assert_eq!(
        location(&removed),
        format!("/admin/users/{dave_id}?done=remove_group")
    );
    assert!(dave
        .page("/dashboard")
        .await
        .contains(r#"data-testid="groups">None<"#));
    let deleted = change(&alice, &[("action", "delete"), ("name", "team")]).await;
    assert_eq!(deleted, (StatusCode::OK, None));
    assert!(alice.page("/admin/groups").await.contains("No groups yet."));

    let (a, d) = (alice_id.to_string(), dave_id.to_string());
    assert_eq!(
        group_events(&f).await,
        [
            format!("group_created - {a} staff"),
            format!("group_member_added {d} {a} staff"),
            format!("group_changed - {a} staff → team"),
            format!("group_member_removed {d} {a} team"),
            format!("group_deleted - {a} team"),
        ]
    );
    let refused = change(&dave, &[("action", "create"), ("name", "mine")]).await;
    assert_eq!(refused, (StatusCode::FORBIDDEN, Some(AppError::NotAdmin)));
}

#[tokio::test]
async fn a_group_change_needs_the_admins_password_from_the_last_minutes() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await.browser;
    f.advance(f.app.state.settings.admin_reauthentication_secs.signed() + 1);
    let create = [("action", "create"), ("name", "staff")];
    let refused = change(&alice, &create).await;
    assert_eq!(
        refused,
        (StatusCode::FORBIDDEN, Some(AppError::ReauthenticationRequired))
    );
    let page = alice.page("/admin/groups").await;
    assert!(page.contains("Your password, or a current code"), "{page}");
    let created = change(
        &alice,
        &[("action", "create"), ("name", "staff"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(created, (StatusCode::OK, None));
}

#[tokio::test]
async fn twenty_creations_of_one_group_at_once_make_one_group_and_one_event() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await.browser;
    let statuses = burst(20, |_| {
        let alice = alice.clone();
        async move { change(&alice, &[("action", "create"), ("name", "staff")]).await.0 }
    })
    .await;
    assert_eq!(count(&statuses, StatusCode::OK), 1, "{statuses:?}");
    assert_eq!(
        count(&statuses, StatusCode::UNPROCESSABLE_ENTITY),
        19,
        "{statuses:?}"
    );
    assert_eq!(group_events(&f).await.len(), 1);
}

#[tokio::test]
async fn the_command_line_manages_groups_and_says_in_one_line_what_it_does_not_know() {
    let f = crate::support::fixture(|_| {}).await;
    signed_in(&f, "dave").await;
    for (arguments, said) in [
        (
            &["groups", "create", "staff", "--description", "The staff"][..],
            "group staff created",
        ),
        (&["groups", "add", "staff", "dave"], "dave is in staff"),
        (
            &["groups", "add", "staff", "dave"],
            "dave is in staff (was so already)",
        ),
        (&["groups", "list"], "staff\t1\tdave"),
        (
            &["groups", "remove", "staff", "dave@example.test"],
            "dave@example.test is not in staff",
        ),
        (&["groups", "list"], "staff\t0\t"),
    ] {
        let (ok, output) = gatehouse(&f, arguments).await;
        assert!(ok, "{arguments:?}: {output}");
        assert_eq!(output.trim_end_matches('\n'), said, "{arguments:?}");
    }
    for (arguments, said) in [
        (
            &["groups", "add", "nosuch", "dave"][..],
            "no group is named nosuch",
        ),
        (
            &["groups", "add", "staff", "nobody"],
            "no account has the username or email address nobody",
        ),
        (&["groups", "create", "Not OK"], "Use lower-case letters"),
        (
            &["groups", "create", "staff"],
            "a group named staff exists already",
        ),
    ] {
        let (ok, output) = gatehouse(&f, arguments).await;
        assert!(!ok, "{arguments:?} fails");
        assert_eq!(output.trim().lines().count(), 1, "{arguments:?}: {output}");
        assert!(output.contains(said), "{arguments:?}: {output}");
    }
    let events = group_events(&f).await;
    assert!(
        events.iter().all(|event| event.split(' ').nth(2) == Some("-")),
        "no actor: {events:?}"
    );
}
