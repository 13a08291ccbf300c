//! Clients in the console: registered, given a new secret and removed, each behind the recent
//! password and on the record with its admin; a secret shown once.

use gatehouse::{error::AppError, validate::Field};
use reqwest::StatusCode;

use super::{admin, user_id};
use crate::{
    oidc::{provider, REDIRECT},
    support::{location, Fixture},
};

fn secret_on(page: &str) -> Option<String> {
    let shown = page.split("data-testid=\"client-secret\">").nth(1)?;
    Some(shown.split('<').next()?.to_string())
}

/// (kind, actor, detail) of every client event.
async fn client_events(f: &Fixture) -> Vec<String> {
    f.db.texts(
        "select kind || ' ' || coalesce(cast(actor_id as text), '-') || ' ' || detail
         from security_events where kind like 'oidc_client%' order by event_id",
    )
    .await
}

#[tokio::test]
async fn an_admin_registers_an_app_sees_its_secret_once_replaces_it_and_removes_the_app() {
    let f = provider().await;
    let alice = admin(&f, "alice").await.browser;
    let alice_id = user_id(&f, "alice").await;
    let added = alice
        .post_form(
            "/api/admin/change_client",
            "/admin/clients",
            &[
                ("action", "add"),
                ("client_id", "grafana"),
                ("name", "Grafana"),
                ("redirect_uris", &format!(" {REDIRECT} \n\n")),
                ("post_logout_uris", ""),
                ("groups", "staff, ops"),
                ("consent", "implicit"),
            ],
        )
        .await;
    assert_eq!(location(&added), "/admin/clients?done=add");
    let page = alice.page("/admin/clients?done=add").await;
    let secret = secret_on(&page).expect("the secret is shown");
    assert!(
        page.contains("The app is registered.") && page.contains("staff, ops"),
        "{page}"
    );
    assert_eq!(secret_on(&alice.page("/admin/clients").await), None, "once");
    let refresh = [("grant_type", "refresh_token"), ("refresh_token", "x")];
    let call = |secret: String| {
        let origin = f.app.origin();
        async move {
            let response = crate::oidc::http()
                .post(format!("{origin}/oidc/token"))
                .basic_auth("grafana", Some(secret))
                .form(&refresh)
                .send()
                .await
                .unwrap();
            response.status()
        }
    };
    assert_eq!(
        call(secret.clone()).await,
        StatusCode::BAD_REQUEST,
        "the shown secret works"
    );

    let confirm = alice.page("/admin/clients?confirm=rotate&client=grafana").await;
    assert!(confirm.contains("A new secret for Grafana?"), "{confirm}");
    let rotated = alice
        .post_form(
            "/api/admin/change_client",
            "/admin/clients",
            &[("action", "rotate"), ("client_id", "grafana")],
        )
        .await;
    assert_eq!(location(&rotated), "/admin/clients?done=rotate");
    let new_secret = secret_on(&alice.page("/admin/clients?done=rotate").await).unwrap();
    assert_eq!(call(secret).await, StatusCode::UNAUTHORIZED);
    assert_eq!(call(new_secret.clone()).await, StatusCode::BAD_REQUEST);

    let invalid = alice
        .call_for_error(
            "/api/admin/change_client",
            &[
                ("action", "add"),
                ("client_id", "grafana"),
                ("name", "Again"),
                ("redirect_uris", "http://not-loopback.example/cb"),
            ],
        )
        .await;
    assert_eq!(invalid.0, StatusCode::UNPROCESSABLE_ENTITY);
    let message = invalid.1.unwrap().field_message(Field::OidcClient).unwrap();
    assert!(message.contains("https"), "{message}");

    assert!(alice
        .page("/admin/clients?confirm=remove&client=grafana")
        .await
        .contains("Remove Grafana?"));
    let removed = alice
        .post_form(
            "/api/admin/change_client",
            "/admin/clients",
            &[("action", "remove"), ("client_id", "grafana")],
        )
        .await;
    assert_eq!(location(&removed), "/admin/clients?done=remove");
    assert_eq!(call(new_secret).await, StatusCode::UNAUTHORIZED);
    let gone = alice
        .call_for_error(
            "/api/admin/change_client",
            &[("action", "remove"), ("client_id", "grafana")],
        )
        .await;
    assert_eq!(gone, (StatusCode::NOT_FOUND, Some(AppError::NoSuchApp)));
    assert_eq!(
        client_events(&f).await,
        [
            format!("oidc_client_added {alice_id} grafana"),
            format!("oidc_client_secret_rotated {alice_id} grafana"),
            format!("oidc_client_removed {alice_id} grafana"),
        ]
    );
}

#[tokio::test]
async fn a_change_needs_the_admins_recent_password() {
    let f = provider().await;
    let alice = admin(&f, "alice").await.browser;
    f.advance(301);
    let fields = [
        ("action", "add"),
        ("client_id", "wiki"),
        ("name", "Wiki"),
        ("redirect_uris", REDIRECT),
    ];
    let asked = alice.call_for_error("/api/admin/change_client", &fields).await;
    assert_eq!(asked.1, Some(AppError::ReauthenticationRequired));
    assert!(alice
        .page("/admin/clients")
        .await
        .contains("Your password, or a current code"));
    assert_eq!(f.db.number("select count(*) from oidc_clients").await, 0);
}
