//! Who may use the console: the role granted on the command line, two-factor required, every admin
//! server function (enumerated from the app itself) refusing anyone else, behind the request
//! guard and without it; the fresh password actions need and the admin's shorter idle limit.

use std::collections::BTreeSet;

use gatehouse::{
    error::AppError,
    server::{auth::session::SignedIn, client::Client, clock::Clock, http::guard::Viewer},
};
use reqwest::StatusCode;

use super::{act, admin, admin_events, gatehouse, grant, signed_in, user_id};
use crate::{
    support::{app_error, location, Fixture, PASSWORD},
    two_factor::{code_at, enrol},
};

#[tokio::test]
async fn the_first_admin_is_made_on_the_command_line_and_the_console_needs_two_factor() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = enrol(&f, "alice").await;
    assert_eq!(alice.browser.get("/admin").await.status(), StatusCode::FORBIDDEN);

    grant(&f, "alice").await;
    let overview = alice.browser.page("/admin").await;
    assert!(overview.contains("Admin console"), "{overview}");
    assert!(overview.contains("data-testid=\"account-counts\""));

    // An admin without two-factor is sent to turn it on.
    let bob = signed_in(&f, "bob").await;
    grant(&f, "bob").await;
    assert_eq!(
        location(&bob.get("/admin/users").await),
        "/account/security?required=1"
    );
    let (status, error) = bob.call_for_error("/api/admin/overview", &[]).await;
    assert_eq!(
        (status, error),
        (StatusCode::FORBIDDEN, Some(AppError::AdminNeedsTwoFactor))
    );

    // Revoking counts at once, in the session already open.
    let (ok, output) = gatehouse(&f, &["admin", "revoke", "alice@example.test"]).await;
    assert!(ok && output.contains("is no longer an admin"), "{output}");
    assert_eq!(alice.browser.get("/admin").await.status(), StatusCode::FORBIDDEN);

    let (ok, output) = gatehouse(&f, &["admin", "grant", "nobody"]).await;
    assert!(
        !ok && output.contains("no account has the username or email address nobody"),
        "{output}"
    );
    let (ok, output) = gatehouse(&f, &["--help"]).await;
    assert!(
        ok && output.contains("admin") && output.contains("unlock"),
        "{output}"
    );

    let alice_id = user_id(&f, "alice").await;
    let bob_id = user_id(&f, "bob").await;
    assert_eq!(
        admin_events(&f).await,
        [
            format!("admin_granted {alice_id} -"),
            format!("admin_granted {bob_id} -"),
            format!("admin_revoked {alice_id} -"),
        ]
    );
}

#[tokio::test]
async fn every_admin_endpoint_refuses_anonymous_callers_and_non_admins() {
    let f = crate::support::fixture(|_| {}).await;
    let paths: BTreeSet<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    let admin_paths: Vec<&str> = paths
        .iter()
        .copied()
        .filter(|path| path.starts_with("/api/admin/"))
        .collect();
    assert!(admin_paths.len() >= 4, "{paths:?}");
    for path in &paths {
        assert!(
            !path.contains("admin") || path.starts_with("/api/admin/"),
            "{path}: admin functions belong under /api/admin/, where the guard is"
        );
    }

    let anonymous = f.app.browser();
    let user = signed_in(&f, "carol").await;
    let without_two_factor = signed_in(&f, "dave").await;
    grant(&f, "dave").await;
    let real_admin = admin(&f, "alice").await;
    let carol_id = user_id(&f, "carol").await.to_string();
    let fields = [
        ("user_id", carol_id.as_str()),
        ("action", "disable"),
        ("search", ""),
        ("filter", ""),
        ("after", ""),
        ("password", PASSWORD),
    ];
    for path in &admin_paths {
        assert_eq!(
            anonymous.call(path, &fields).await.status(),
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        assert_eq!(
            user.call(path, &fields).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(
            without_two_factor.call(path, &fields).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
        let cross_site = real_admin
            .browser
            .client
            .post(real_admin.browser.url(path))
            .header("sec-fetch-site", "cross-site")
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(cross_site.status(), StatusCode::FORBIDDEN, "{path}");
    }
    for page in ["/admin", "/admin/users", &format!("/admin/users/{carol_id}")] {
        assert_eq!(
            location(&anonymous.get(page).await),
            format!("/login?next={page}")
        );
        assert_eq!(user.get(page).await.status(), StatusCode::FORBIDDEN, "{page}");
    }
    // Nothing reached the account.
    assert!(admin_events(&f)
        .await
        .iter()
        .all(|event| event.starts_with("admin_granted")));
    assert_eq!(location(&user.get("/dashboard").await), "");
}

/// The admin server functions on a router without the request guard, as a route mistake would
/// leave them, for one request as `viewer`: the typed refusal each answered, if any.
async fn call_without_the_guard(
    f: &Fixture,
    viewer: Option<SignedIn>,
    path: &str,
    fields: &[(&str, &str)],
) -> Option<AppError> {
    let state = f.app.state.clone();
    let sessions = tower_sessions::SessionManagerLayer::new(state.sessions.clone());
    let client = Client {
        ip: "127.0.0.1".parse().unwrap(),
        user_agent: "test".into(),
        language: Default::default(),
    };
    let server_functions = move |request: axum::extract::Request| {
        let state = state.clone();
        leptos_axum::handle_server_fns_with_context(
            move || leptos::prelude::provide_context(state.clone()),
            request,
        )
    };
    let unguarded = axum::Router::new()
        .route("/api/{*function}", axum::routing::post(server_functions))
        .layer(axum::Extension(Viewer(viewer)))
        .layer(axum::Extension(client))
        .layer(sessions);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, unguarded).await });
    let body = reqwest::Client::new()
        .post(format!("http://{address}{path}"))
        .header("accept", "application/json")
        .form(fields)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    app_error(&body)
}

/// The second layer: each admin function checks the caller itself, so one reached past the guard
/// still refuses an anonymous caller, a non-admin and an admin without two-factor.
#[tokio::test]
async fn every_admin_function_refuses_by_itself_when_the_guard_is_not_in_front() {
    let f = crate::support::fixture(|_| {}).await;
    signed_in(&f, "erin").await;
    signed_in(&f, "fred").await;
    grant(&f, "fred").await;
    let (erin, fred) = (user_id(&f, "erin").await, user_id(&f, "fred").await);
    let as_viewer = |user_id, admin| {
        Some(SignedIn {
            user_id,
            handle: "unguarded".into(),
            admin,
            language: None,
        })
    };
    let callers = [
        (None, AppError::NotAuthenticated),
        (as_viewer(erin, false), AppError::NotAdmin),
        (as_viewer(fred, true), AppError::AdminNeedsTwoFactor),
    ];
    let erin_id = erin.to_string();
    // Every field any admin function takes, so each one's arguments parse and its own check runs.
    let fields = [
        ("user_id", erin_id.as_str()),
        ("action", "disable"),
        ("password", PASSWORD),
        ("search", ""),
        ("filter", ""),
        ("sort", ""),
        ("after", ""),
        ("kind", ""),
        ("account", ""),
        ("actor", ""),
        ("ip", ""),
        ("purpose", ""),
        ("state", ""),
        ("from", ""),
        ("to", ""),
        ("before", ""),
        ("name", "staff"),
        ("client_id", "app"),
    ];
    let admin_paths: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .filter(|path| path.starts_with("/api/admin/"))
        .collect();
    for path in admin_paths {
        for (viewer, refusal) in &callers {
            let answer = call_without_the_guard(&f, viewer.clone(), path, &fields).await;
            assert_eq!(answer.as_ref(), Some(refusal), "{path}");
        }
    }
    assert_eq!(
        f.db.number("select count(*) from users where disabled_at is not null")
            .await,
        0
    );
}

#[tokio::test]
async fn actions_need_a_recent_password_and_an_idle_admin_is_signed_out_sooner() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    let _carol = signed_in(&f, "carol").await;
    let carol_id = user_id(&f, "carol").await;

    f.advance(301);
    let confirm = alice
        .browser
        .page(&format!("/admin/users/{carol_id}?confirm=disable"))
        .await;
    assert!(
        confirm.contains("id=\"admin-password\""),
        "the confirmation asks for the password"
    );
    assert_eq!(
        act(&alice.browser, carol_id, "disable", "").await,
        (StatusCode::FORBIDDEN, Some(AppError::ReauthenticationRequired))
    );
    let (status, _) = act(&alice.browser, carol_id, "disable", "not the password").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        act(&alice.browser, carol_id, "disable", PASSWORD).await,
        (StatusCode::OK, None)
    );
    assert_eq!(
        f.db.number(&format!(
            "select count(*) from users where user_id = {carol_id} and disabled_at is not null"
        ))
        .await,
        1
    );

    // Or a current code from the app instead of the password.
    f.advance(301);
    let code = code_at(&alice.secret, f.clock.now());
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, _) = act(&alice.browser, carol_id, "enable", wrong).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        act(&alice.browser, carol_id, "enable", &code).await,
        (StatusCode::OK, None)
    );

    // 15 minutes without a request end an admin's sign-in; a user's lasts 30.
    let user = signed_in(&f, "erin").await;
    f.advance(15 * 60 + 1);
    assert_eq!(location(&alice.browser.get("/admin").await), "/login?next=/admin");
    assert_eq!(user.get("/dashboard").await.status(), StatusCode::OK);
}

/// Entering the password again raises what the session may do, as a sign-in does: its id is new,
/// and the one before signs nobody in any more.
#[tokio::test]
async fn entering_the_password_again_for_an_action_renews_the_session_id() {
    let f = crate::support::fixture(|_| {}).await;
    let alice = admin(&f, "alice").await;
    let _carol = signed_in(&f, "carol").await;
    let carol_id = user_id(&f, "carol").await.to_string();
    let session_cookie = |response: &reqwest::Response| crate::sign_in::session_cookie(response, "gatehouse");

    let fields = [("user_id", carol_id.as_str()), ("action", "disable")];
    let recent = alice.browser.call("/api/admin/act", &fields).await;
    assert_eq!(recent.status(), StatusCode::OK);
    assert_eq!(session_cookie(&recent), None, "a recent password: the same id");
    let mut renewed = Vec::new();
    for action in ["enable", "disable"] {
        f.advance(301);
        let fields = [
            ("user_id", carol_id.as_str()),
            ("action", action),
            ("password", PASSWORD),
        ];
        let response = alice.browser.call("/api/admin/act", &fields).await;
        assert_eq!(response.status(), StatusCode::OK, "{action}");
        renewed.push(session_cookie(&response).expect("a new session id"));
    }
    assert_ne!(renewed[0], renewed[1]);
    let replayed = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(alice.browser.url("/admin"))
        .header(reqwest::header::COOKIE, format!("gatehouse={}", renewed[0]))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&replayed), "/login?next=/admin", "the id before");
    assert_eq!(alice.browser.get("/admin").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn wrong_reauthentication_passwords_delay_and_lock_the_admin_as_sign_ins_would() {
    let f = crate::support::fixture(|s| {
        s.login_delay_after = 2;
        s.login_lock_after = 4;
    })
    .await;
    let alice = admin(&f, "alice").await;
    let _carol = signed_in(&f, "carol").await;
    let carol_id = user_id(&f, "carol").await;
    let carol_disabled =
        format!("select count(*) from users where user_id = {carol_id} and disabled_at is not null");
    f.advance(301); // the console asks for the password again

    for _ in 0..2 {
        let (status, error) = act(&alice.browser, carol_id, "disable", "not the password").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error:?}");
    }
    // Two failures: 1 s to wait, and an attempt inside the wait is refused, even the right password.
    assert_eq!(
        act(&alice.browser, carol_id, "disable", PASSWORD).await,
        (
            StatusCode::TOO_MANY_REQUESTS,
            Some(AppError::RateLimited { retry_after_secs: 1 })
        ),
        "wrong re-auth passwords delay like wrong sign-ins"
    );
    assert_eq!(f.db.number(&carol_disabled).await, 0);

    // Two more failures, each after its wait, reach the lock at 4.
    f.advance(1);
    assert_eq!(
        act(&alice.browser, carol_id, "disable", "not the password")
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    f.advance(2);
    assert_eq!(
        act(&alice.browser, carol_id, "disable", "not the password")
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    f.sink
        .wait_for_containing("alice@example.test", "/unlock/", 1)
        .await;
    assert_eq!(
        f.db.number("select count(*) from users where username = 'alice' and locked_at is not null")
            .await,
        1,
        "locked by its re-auth failures"
    );
    f.advance(4);
    assert_eq!(
        act(&alice.browser, carol_id, "disable", PASSWORD).await.0,
        StatusCode::UNPROCESSABLE_ENTITY,
        "locked: even the right password does not confirm"
    );
    assert_eq!(f.db.number(&carol_disabled).await, 0, "nothing was done to carol");

    // The lock is the sign-in's lock: the right password no longer signs in either.
    f.advance(300);
    assert_eq!(
        f.app.browser().try_login("alice", PASSWORD, "").await,
        (StatusCode::UNAUTHORIZED, Some(AppError::InvalidCredentials))
    );
}
