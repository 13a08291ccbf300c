use reqwest::StatusCode;

use gatehouse::server::{
    client::Client,
    config::PublicUrl,
    domain::{
        LockNotice, NoticeDetails, PasswordCheck, SecondFactorProof, SignInGate, SignInOutcome,
        SignInRequest, SignInSettled, SignInSettlement, SignInStep,
    },
};

use crate::support::{fixture, location, verified_user, Fixture, TestApp, PASSWORD};

#[tokio::test]
async fn every_failure_gets_the_same_answer() {
    let f = fixture(|_| {}).await;
    let browser = verified_user(&f, "liam").await;
    let wrong_password = browser
        .call(
            "/api/login",
            &[
                ("identifier", "liam"),
                ("password", "not the password!"),
                ("next", ""),
            ],
        )
        .await;
    let status = wrong_password.status();
    let body = wrong_password.text().await.unwrap();
    let unknown_user = browser
        .call(
            "/api/login",
            &[
                ("identifier", "nobody"),
                ("password", "not the password!"),
                ("next", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_user.status(), status);
    assert_eq!(unknown_user.text().await.unwrap(), body);
    assert!(body.contains("InvalidCredentials"));
}

pub fn session_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| value.strip_prefix(&format!("{name}=")))
        .map(|value| value.split(';').next().unwrap_or_default().to_string())
}

#[tokio::test]
async fn the_session_id_changes_with_every_privilege_change() {
    let f = fixture(|_| {}).await;
    let browser = verified_user(&f, "nils").await;
    let mut seen = vec![session_cookie(&browser.login("nils", PASSWORD).await, "gatehouse").unwrap()];
    let confirmed = browser
        .post_form("/api/confirm_password", "/account", &[("password", PASSWORD)])
        .await;
    assert_eq!(location(&confirmed), "/account");
    let changed = browser
        .post_form(
            "/api/change_password",
            "/account",
            &[
                ("current_password", PASSWORD),
                ("password", "quarry-lantern-violet-4"),
                ("password_confirm", "quarry-lantern-violet-4"),
            ],
        )
        .await;
    assert_eq!(location(&changed), "/account?password_changed=1");
    for (step, response) in [
        ("the password entered again", confirmed),
        ("a new password", changed),
    ] {
        let id = session_cookie(&response, "gatehouse").unwrap_or_else(|| panic!("{step}: no new id"));
        assert!(!seen.contains(&id), "{step}: the id was seen before");
        seen.push(id);
    }
    assert_eq!(
        browser.get("/dashboard").await.status(),
        StatusCode::OK,
        "still signed in"
    );
}

#[tokio::test]
async fn the_session_id_changes_at_sign_in() {
    let f = fixture(|_| {}).await;
    let browser = f.app.browser();
    let registered = browser.register("mia", "mia@example.test").await;
    let before = session_cookie(&registered, "gatehouse").expect("registration starts a session");
    browser
        .verify(&f.sink.wait_for_code("mia@example.test", 1).await)
        .await;
    let signed_in = browser.login("mia", PASSWORD).await;
    let after = session_cookie(&signed_in, "gatehouse").expect("signing in sets a new session cookie");
    assert_ne!(before, after, "a fresh session id after sign-in");
    let header = signed_in.headers()["set-cookie"].to_str().unwrap();
    assert!(header.contains("HttpOnly") && header.contains("SameSite=Lax") && header.contains("Path=/"));
    assert!(
        !header.contains("Secure"),
        "plain HTTP: no Secure flag the browser would refuse"
    );
}

#[tokio::test]
async fn behind_https_cookies_are_secure_host_cookies_and_hsts_is_sent() {
    let f = fixture(|s| s.public_url = Some(PublicUrl("https://portal.example".into()))).await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("sec-fetch-site", "same-origin".parse().unwrap());
    let browser = f.app.browser_with(headers);
    let registered = browser.register("nils", "nils@example.test").await;
    let cookie = registered.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("__Host-gatehouse="), "{cookie}");
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"),
        "{cookie}"
    );
    let page = browser.get("/").await;
    assert_eq!(
        page.headers()["strict-transport-security"],
        "max-age=63072000; includeSubDomains"
    );
}

#[tokio::test]
async fn sign_in_only_redirects_to_local_paths() {
    let f = fixture(|_| {}).await;
    let browser = verified_user(&f, "noah").await;
    let response = browser
        .post_form(
            "/api/login",
            "/login",
            &[
                ("identifier", "noah"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/dashboard");
}

#[tokio::test]
async fn the_identifier_is_canonical_and_invisible_characters_are_refused() {
    let f = fixture(|_| {}).await;
    let browser = verified_user(&f, "olaf").await;
    assert_eq!(
        location(&browser.login(" ＯＬＡＦ ", PASSWORD).await),
        "/dashboard",
        "full-width letters fold (NFKC)"
    );
    for hostile in ["olaf\u{202E}", "ol\u{200B}af", "olaf\u{7}"] {
        let (status, error) = browser.try_login(hostile, PASSWORD, "").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{hostile:?}: {error:?}");
    }
}

#[tokio::test]
async fn signing_out_ends_the_session_for_good_and_clears_the_site_data() {
    let f = fixture(|_| {}).await;
    let browser = verified_user(&f, "pia").await;
    let signed_in = browser.login("pia", PASSWORD).await;
    let cookie = session_cookie(&signed_in, "gatehouse").unwrap();
    let signed_out = browser.post_form("/api/logout", "/dashboard", &[]).await;
    assert_eq!(
        signed_out.headers()["clear-site-data"],
        "\"cookies\", \"storage\""
    );
    // The old cookie, replayed by someone who copied it: the record behind it is gone.
    let replayed = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(browser.url("/dashboard"))
        .header("cookie", format!("gatehouse={cookie}"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&replayed), "/login?next=/dashboard");
    assert_eq!(f.db.number("select count(*) from sessions").await, 0);
}

#[tokio::test]
async fn a_password_hashed_with_weaker_parameters_is_rehashed_at_sign_in() {
    use argon2::{password_hash::SaltString, Algorithm, Argon2, Params, PasswordHasher, Version};
    let f = fixture(|_| {}).await;
    let browser = verified_user(&f, "quin").await;
    let salt = SaltString::from_b64("c29tZXNhbHRzb21lc2FsdA").unwrap();
    let weak = Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(8_192, 1, 1, None).unwrap(),
    )
    .hash_password(PASSWORD.as_bytes(), &salt)
    .unwrap()
    .to_string();
    f.db.execute(&format!(
        "update users set password_hash = '{weak}' where username = 'quin'"
    ))
    .await
    .unwrap();
    assert_eq!(
        location(&browser.login("quin", PASSWORD).await),
        "/dashboard",
        "the old hash still verifies"
    );
    let stored =
        f.db.texts("select password_hash from users where username = 'quin'")
            .await;
    assert!(
        stored[0].starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "rehashed: {}",
        stored[0]
    );
    browser.post_form("/api/logout", "/dashboard", &[]).await;
    assert_eq!(
        location(&browser.login("quin", PASSWORD).await),
        "/dashboard",
        "the new hash verifies"
    );
}

#[tokio::test]
async fn a_restart_keeps_sessions_and_limits() {
    let f = fixture(|s| s.login_failures_per_ip = crate::support::per(2, 3600)).await;
    let browser = verified_user(&f, "olga").await;
    browser.login("olga", PASSWORD).await;
    assert_eq!(browser.get("/dashboard").await.status(), StatusCode::OK);
    let stranger = f.app.browser();
    stranger.try_login("olga", "wrong password 1", "").await;
    stranger.try_login("olga", "wrong password 2", "").await;
    assert_eq!(
        stranger.try_login("olga", PASSWORD, "").await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    let Fixture {
        sink,
        app,
        dir,
        clock,
        database_url,
        ..
    } = f;
    let settings = app.state.settings.as_ref().clone();
    app.stop().await;

    let restarted = TestApp::start(settings, clock).await;
    // The cookie jar is per host, so the same cookie goes to the restarted server's new port.
    let response = browser
        .client
        .get(format!("{}/dashboard", restarted.origin()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "still signed in: sessions live in the database"
    );
    assert_eq!(
        location(&restarted.browser().get("/dashboard").await),
        "/login?next=/dashboard",
        "a stranger is not"
    );
    let (status, _) = restarted.browser().try_login("olga", PASSWORD, "").await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "the limit held across the restart"
    );
    drop((sink, dir, database_url));
}

/// Reserves a sign-in `step` and settles it with `outcome`, as the flow does around argon2 or the
/// second factor's check, with the statement `between` run in the gap.
async fn settle_with_a_gap(
    f: &Fixture,
    step: SignInStep<'_>,
    outcome: SignInOutcome,
    handle: &str,
    between: &str,
) -> SignInSettled {
    use gatehouse::server::flows::sign_in::rules;
    let state = &f.app.state;
    let client = Client {
        ip: "127.0.0.1".parse().unwrap(),
        user_agent: "test".into(),
        language: Default::default(),
    };
    let (now, rules) = (state.clock.now(), rules(state));
    let request = SignInRequest {
        step,
        client: &client,
        rules: &rules,
        proof: None,
        now,
    };
    let SignInGate::Reserved(reservation) = state.store.reserve_sign_in(request).await.unwrap() else {
        panic!("reserved");
    };
    if !between.is_empty() {
        f.db.execute(between).await.unwrap();
    }
    let details = NoticeDetails::default();
    let settlement = SignInSettlement {
        reservation: &reservation,
        outcome,
        check: PasswordCheck::SignIn {
            fingerprint: b"a device",
            notify_new_device: false,
            details: &details,
            session_handle: handle,
            forward_token_hash: handle.as_bytes(),
        },
        lock_after: 100,
        client: &client,
        now,
    };
    state.store.settle_sign_in(settlement).await.unwrap()
}

fn right_password() -> SignInOutcome {
    SignInOutcome::Succeeded { rehashed: None }
}

/// An app code checked right for `step`: what the settlement is told after the hash comparison.
fn app_code(step: i64) -> SignInOutcome {
    SignInOutcome::SecondFactor {
        proof: SecondFactorProof::AppCode { step },
        lock: LockNotice {
            token_hash: vec![1; 32],
            nonce: vec![2; 16],
            expires_at: 0,
        },
    }
}

#[tokio::test]
async fn the_sign_in_that_succeeds_makes_its_session_and_rechecks_the_password_it_checked() {
    let f = fixture(|_| {}).await;
    verified_user(&f, "olga").await;
    let olga = SignInStep::Password { identifier: "olga" };
    let settled = settle_with_a_gap(&f, olga, right_password(), "first-handle", "").await;
    assert!(matches!(settled, SignInSettled::SignedIn { .. }), "{settled:?}");
    assert_eq!(
        f.db.texts("select handle from sessions").await,
        vec!["first-handle"],
        "the session row is made by the settlement itself, in its transaction"
    );
    let changed = "update users set password_hash = 'changed meanwhile' where username = 'olga'";
    let settled = settle_with_a_gap(&f, olga, right_password(), "second-handle", changed).await;
    assert!(!matches!(settled, SignInSettled::SignedIn { .. }), "{settled:?}");
    assert_eq!(
        f.db.texts("select handle from sessions").await,
        vec!["first-handle"]
    );
}

#[tokio::test]
async fn a_second_factor_settled_after_a_disable_signs_nobody_in() {
    let f = fixture(|_| {}).await;
    crate::two_factor::enrol(&f, "dora").await;
    let user_id =
        f.db.number("select user_id from users where username = 'dora'")
            .await;
    let disabled = "update users set disabled_at = 1 where username = 'dora'";
    let step = SignInStep::SecondFactor { user_id };
    let settled = settle_with_a_gap(&f, step, app_code(i64::MAX / 2), "dora-handle", disabled).await;
    assert!(!matches!(settled, SignInSettled::SignedIn { .. }), "{settled:?}");
    assert_eq!(
        f.db.number("select count(*) from sessions where handle = 'dora-handle'")
            .await,
        0
    );
}

/// Two browsers can both check one app code before either settles; the settlement's conditional
/// update is what lets only the first in.
#[tokio::test]
async fn an_app_code_step_settles_once_even_when_two_checks_passed() {
    let f = fixture(|_| {}).await;
    crate::two_factor::enrol(&f, "ezra").await;
    let user_id =
        f.db.number("select user_id from users where username = 'ezra'")
            .await;
    let step = SignInStep::SecondFactor { user_id };
    let first = settle_with_a_gap(&f, step, app_code(i64::MAX / 2), "ezra-first", "").await;
    assert!(matches!(first, SignInSettled::SignedIn { .. }), "{first:?}");
    let replayed = settle_with_a_gap(&f, step, app_code(i64::MAX / 2), "ezra-replay", "").await;
    assert!(
        !matches!(replayed, SignInSettled::SignedIn { .. }),
        "{replayed:?}"
    );
    assert_eq!(
        f.db.texts("select handle from sessions where handle like 'ezra-%'")
            .await,
        vec!["ezra-first"]
    );
}
