//! What ends an app's tokens, what parallel calls may get, key rotation, several instances, and
//! the command line.

use std::sync::Arc;

use gatehouse::{
    model::AdminAction,
    server::{
        clock::Clock,
        domain::{AccountAction, NoticeDetails},
        flows::oidc::signing,
    },
};
use openidconnect::{OAuth2TokenResponse, TokenResponse};
use reqwest::StatusCode;

use super::{
    access_token, answer, app, code_of, http, provider, register, relying_party, sign_in_at, signed_in,
    start, userinfo, REDIRECT,
};
use crate::support::{burst, count, Fixture, TestApp};

async fn act(f: &Fixture, username: &str, kind: AdminAction) {
    let user_id = f.app.state.store.user_id_of(username).await.unwrap().unwrap();
    let action = AccountAction {
        kind,
        user_id,
        actor_id: None,
        client: None,
        details: NoticeDetails::default(),
        now: f.clock.now(),
    };
    f.app.state.store.act_on_account(action).await.unwrap();
}

#[tokio::test]
async fn an_admins_end_all_sessions_and_a_disable_end_every_app_token_of_the_account() {
    let f = provider().await;
    let secret = register(&f, app()).await.unwrap();
    let rp = relying_party(&f, "app", Some(&secret)).await;
    for (username, kind) in [("alice", AdminAction::EndSessions), ("bob", AdminAction::Disable)] {
        let browser = signed_in(&f, username).await;
        let (tokens, _) = sign_in_at(&f, &rp, &browser, &["offline_access"]).await;
        let started = start(&rp, &[], &[]);
        let unredeemed = code_of(&f, &answer(&browser, &started.url).await, &started);
        act(&f, username, kind).await;
        assert_eq!(
            userinfo(&f, &access_token(&tokens)).await.0,
            StatusCode::UNAUTHORIZED,
            "{kind:?}"
        );
        let refresh = rp
            .exchange_refresh_token(tokens.refresh_token().unwrap())
            .unwrap();
        assert!(refresh.request_async(&http()).await.is_err(), "{kind:?}");
        let late = rp
            .exchange_code(unredeemed)
            .unwrap()
            .set_pkce_verifier(started.verifier);
        assert!(
            late.request_async(&http()).await.is_err(),
            "{kind:?}: its codes too"
        );
    }
}

#[tokio::test]
async fn parallel_redemptions_of_one_code_and_of_one_refresh_token_succeed_once() {
    let f = provider().await;
    let secret = Arc::new(register(&f, app()).await.unwrap());
    let rp = relying_party(&f, "app", Some(&secret)).await;
    let browser = signed_in(&f, "alice").await;
    let started = start(&rp, &["offline_access"], &[]);
    let code = code_of(&f, &answer(&browser, &started.url).await, &started)
        .secret()
        .clone();
    let verifier = started.verifier.secret().clone();
    let origin = f.app.origin();
    let statuses = burst(20, |_| {
        let (code, verifier, secret, origin) =
            (code.clone(), verifier.clone(), secret.clone(), origin.clone());
        async move {
            let fields = [
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", REDIRECT),
                ("code_verifier", verifier.as_str()),
            ];
            let request = http()
                .post(format!("{origin}/oidc/token"))
                .basic_auth("app", Some(secret.as_str()));
            request.form(&fields).send().await.unwrap().status()
        }
    })
    .await;
    assert_eq!(count(&statuses, StatusCode::OK), 1, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::BAD_REQUEST), 19, "{statuses:?}");
    let refresh_tokens =
        f.db.number("select count(*) from oidc_tokens where kind = 'refresh'")
            .await;
    assert_eq!(refresh_tokens, 0, "the replays revoked what the winner got");

    let (tokens, _) = sign_in_at(&f, &rp, &browser, &["offline_access"]).await;
    let refresh = tokens.refresh_token().unwrap().secret().clone();
    let statuses = burst(20, |_| {
        let (refresh, secret, origin) = (refresh.clone(), secret.clone(), origin.clone());
        async move {
            let fields = [
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh.as_str()),
            ];
            let request = http()
                .post(format!("{origin}/oidc/token"))
                .basic_auth("app", Some(secret.as_str()));
            request.form(&fields).send().await.unwrap().status()
        }
    })
    .await;
    assert_eq!(count(&statuses, StatusCode::OK), 1, "{statuses:?}");
}

#[tokio::test]
async fn a_rotated_key_stays_published_until_its_tokens_expire() {
    let f = provider().await;
    let secret = register(&f, app()).await.unwrap();
    let browser = signed_in(&f, "alice").await;
    let rp = relying_party(&f, "app", Some(&secret)).await;
    let (old, _) = sign_in_at(&f, &rp, &browser, &[]).await;
    let old_kid = old.id_token().unwrap().to_string();
    let new_kid = signing::rotate(&f.app.state).await.unwrap();
    let jwks = super::jwks(&f.app.origin()).await;
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2, "{jwks}");
    let rp = relying_party(&f, "app", Some(&secret)).await;
    let (new, nonce) = sign_in_at(&f, &rp, &browser, &[]).await;
    let verified = new.id_token().unwrap().claims(&rp.id_token_verifier(), &nonce);
    assert!(verified.is_ok(), "signed with the new key {new_kid}");
    let hint = start(&rp, &[], &[("prompt", "none"), ("id_token_hint", &old_kid)]);
    assert!(
        answer(&browser, &hint.url).await.contains_key("code"),
        "the old key still verifies its tokens"
    );
    f.advance(601);
    let jwks = super::jwks(&f.app.origin()).await;
    assert_eq!(
        jwks["keys"].as_array().unwrap().len(),
        1,
        "once its tokens expired: {jwks}"
    );
    assert_eq!(jwks["keys"][0]["kid"], new_kid);
}

#[tokio::test]
async fn a_code_issued_by_one_instance_is_redeemed_at_another() {
    let f = provider().await;
    let secret = register(&f, app()).await.unwrap();
    let mut settings = (*f.app.state.settings).clone();
    settings.public_url = f.app.state.settings.public_url.clone();
    let second = TestApp::start(settings, f.clock.clone()).await;
    let rp = relying_party(&f, "app", Some(&secret)).await;
    let browser = signed_in(&f, "alice").await;
    let started = start(&rp, &[], &[]);
    let code = code_of(&f, &answer(&browser, &started.url).await, &started);
    let (status, tokens) = super::token_call_at(
        &second.origin(),
        &[
            ("grant_type", "authorization_code"),
            ("code", code.secret()),
            ("redirect_uri", REDIRECT),
            ("code_verifier", started.verifier.secret()),
            ("client_id", "app"),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(
        super::jwks(&f.app.origin()).await,
        super::jwks(&second.origin()).await,
        "one key for every instance"
    );
    second.stop().await;
}

#[tokio::test]
async fn the_command_line_adds_lists_rotates_and_removes_clients() {
    let f = provider().await;
    let (ok, output) = cli(
        &f,
        &[
            "clients",
            "add",
            "--id",
            "grafana",
            "--name",
            "Grafana",
            "--redirect-uri",
            REDIRECT,
            "--group",
            "staff",
            "--consent",
            "implicit",
        ],
    )
    .await;
    assert!(ok, "{output}");
    let secret = output.lines().last().unwrap().to_string();
    assert_eq!(secret.len(), 43, "the secret, alone on the last line: {output}");
    let (ok, listed) = cli(&f, &["clients", "list"]).await;
    assert!(ok);
    assert_eq!(
        listed.trim(),
        format!("grafana\tGrafana\tconfidential\timplicit\tstaff\t{REDIRECT}")
    );
    let exchange_with = |secret: String| {
        let origin = f.app.origin();
        async move {
            let response = http()
                .post(format!("{origin}/oidc/token"))
                .basic_auth("grafana", Some(secret))
                .form(&[("grant_type", "refresh_token"), ("refresh_token", "nothing")])
                .send()
                .await
                .unwrap();
            let status = response.status();
            let body: serde_json::Value = response.json().await.unwrap();
            (status, body["error"].as_str().unwrap().to_string())
        }
    };
    assert_eq!(
        exchange_with(secret.clone()).await.1,
        "invalid_grant",
        "the secret authenticates"
    );
    let (ok, rotated) = cli(&f, &["clients", "rotate-secret", "grafana"]).await;
    assert!(ok, "{rotated}");
    let new_secret = rotated.lines().last().unwrap().to_string();
    assert_eq!(
        exchange_with(secret).await,
        (StatusCode::UNAUTHORIZED, "invalid_client".into())
    );
    assert_eq!(exchange_with(new_secret.clone()).await.1, "invalid_grant");
    for (arguments, said) in [
        (
            &[
                "clients",
                "add",
                "--id",
                "grafana",
                "--name",
                "G",
                "--redirect-uri",
                REDIRECT,
            ][..],
            "exists already",
        ),
        (
            &[
                "clients",
                "add",
                "--id",
                "x",
                "--name",
                "X",
                "--redirect-uri",
                "http://x.example/cb",
            ],
            "https",
        ),
        (&["clients", "remove", "nosuch"], "no client has the id"),
    ] {
        let (ok, output) = cli(&f, arguments).await;
        assert!(!ok, "{arguments:?}");
        assert_eq!(output.trim().lines().count(), 1, "{output}");
        assert!(output.contains(said), "{arguments:?}: {output}");
    }
    let (ok, _) = cli(&f, &["clients", "remove", "grafana"]).await;
    assert!(ok);
    assert_eq!(exchange_with(new_secret).await.1, "invalid_client");
    let (ok, output) = cli(&f, &["keys", "rotate"]).await;
    assert!(ok, "{output}");
    assert_eq!(f.db.number("select count(*) from oidc_signing_keys").await, 2);
    assert_eq!(
        super::app_events(&f, "grafana").await,
        [
            "oidc_client_added",
            "oidc_client_secret_rotated",
            "oidc_client_removed"
        ]
    );
}

/// Runs the gatehouse binary on the fixture's database and key, with the provider on.
async fn cli(f: &Fixture, arguments: &[&str]) -> (bool, String) {
    let origin = f.app.origin();
    let provider_on = [
        ("GATEHOUSE_PUBLIC_URL", origin.as_str()),
        ("GATEHOUSE_OIDC_PROVIDER", "true"),
    ];
    crate::admin::gatehouse_with(f, arguments, &provider_on).await
}

#[tokio::test]
async fn a_password_reset_ends_every_app_token_of_the_account() {
    let f = provider().await;
    let secret = register(&f, app()).await.unwrap();
    let rp = relying_party(&f, "app", Some(&secret)).await;
    let browser = signed_in(&f, "carol").await;
    let (tokens, _) = sign_in_at(&f, &rp, &browser, &["offline_access"]).await;
    let recovering = f.app.browser();
    recovering.start_recovery("carol").await;
    let code = f.recovery_code("carol@example.test", 1).await;
    let mut entered = recovering.enter_recovery_code(&code).await;
    for _ in 0..50 {
        if crate::support::location(&entered) == "/recover/password" {
            break;
        }
        // The code works once its mail is recorded as sent.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        entered = recovering.enter_recovery_code(&code).await;
    }
    let new_password = [
        ("password", "a-brand-new-passphrase-9"),
        ("password_confirm", "a-brand-new-passphrase-9"),
    ];
    let reset = recovering
        .post_form("/api/reset_password", "/recover/password", &new_password)
        .await;
    assert_eq!(crate::support::location(&reset), "/login?reset=1");
    assert_eq!(
        userinfo(&f, &access_token(&tokens)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let refresh = rp
        .exchange_refresh_token(tokens.refresh_token().unwrap())
        .unwrap();
    assert!(refresh.request_async(&http()).await.is_err());
}
