//! The NIST cap on evaluated failures locks an account, but its owner always keeps a way in that
//! an attacker cannot block: the lock mails them a single-use unlock link. An attacker's failures
//! delay the attacker's client, not the owner's.

use gatehouse::{
    error::AppError,
    server::domain::{AccountAction, AdminAction, NoticeDetails},
};
use reqwest::StatusCode;

use crate::{
    admin::gatehouse,
    support::{fixture, location, per, shipped_limits, verified_user, Fixture, PASSWORD},
};

fn proxied_with_lock_after(lock_after: u32) -> impl FnOnce(&mut gatehouse::server::config::Settings) {
    move |s| {
        shipped_limits(s);
        s.trusted_proxies = gatehouse::server::config::SettingValue::parse_setting("127.0.0.1").unwrap();
        s.login_lock_after = lock_after;
        s.login_failures_per_ip = per(1000, 300);
        s.pow_after_login_failures = 1000;
        s.pow_after_client_login_failures = 1000;
    }
}

async fn unlock_link(f: &Fixture, address: &str, nth: usize) -> String {
    let mail = f
        .sink
        .wait_for(address, nth, std::time::Duration::from_secs(10))
        .await;
    let text = mail.text();
    assert!(text.contains("Your Gatehouse account was locked"), "{text}");
    let start = text.find("/unlock/").expect("the mail carries an unlock link");
    text[start..start + "/unlock/".len() + 32].to_string()
}

async fn lock(f: &Fixture, username: &str, failures: u32) {
    for attempt in 0..failures {
        let attacker = f.app.browser_from(&format!("203.0.113.{}", attempt + 1));
        let (status, _) = attacker.try_login(username, "wrong password!", "").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn the_owner_of_a_locked_account_is_mailed_a_link_that_unlocks_it_once() {
    let f = fixture(proxied_with_lock_after(4)).await;
    let owner = verified_user(&f, "ulla").await;
    lock(&f, "ulla", 4).await;
    let (status, error) = owner.try_login("ulla", PASSWORD, "").await;
    assert_eq!(
        (status, error),
        (StatusCode::UNAUTHORIZED, Some(AppError::InvalidCredentials)),
        "locked, said generically"
    );

    let link = unlock_link(&f, "ulla@example.test", 2).await;
    assert!(
        owner.page(&link).await.contains("Unlock my account"),
        "opening the link changes nothing"
    );
    assert_eq!(
        owner.try_login("ulla", PASSWORD, "").await.0,
        StatusCode::UNAUTHORIZED,
        "still locked until the button"
    );
    let token = link.trim_start_matches("/unlock/");
    let unlocked = owner.post_form("/api/unlock", &link, &[("token", token)]).await;
    assert_eq!(location(&unlocked), "/login?unlocked=1");
    assert_eq!(location(&owner.login("ulla", PASSWORD).await), "/dashboard");
    let (status, error) = f
        .app
        .browser()
        .call_for_error("/api/unlock", &[("token", token)])
        .await;
    assert_eq!(
        (status, error),
        (StatusCode::GONE, Some(AppError::UnlockLinkInvalid)),
        "the link works once"
    );
    assert!(owner.page("/dashboard").await.contains("Account unlocked"));
}

#[tokio::test]
async fn an_unlock_link_lives_a_day_and_a_forged_one_does_nothing() {
    let f = fixture(proxied_with_lock_after(2)).await;
    let owner = verified_user(&f, "vito").await;
    lock(&f, "vito", 2).await;
    let link = unlock_link(&f, "vito@example.test", 2).await;
    let forged = format!("{:032x}", 0xdead_beef_u128);
    assert_eq!(
        owner.call_for_error("/api/unlock", &[("token", &forged)]).await.1,
        Some(AppError::UnlockLinkInvalid)
    );
    assert_eq!(
        owner
            .call_for_error("/api/unlock", &[("token", "../../etc")])
            .await
            .1,
        Some(AppError::UnlockLinkInvalid)
    );
    f.advance(24 * 3600);
    let token = link.trim_start_matches("/unlock/");
    assert_eq!(
        owner.call_for_error("/api/unlock", &[("token", token)]).await.1,
        Some(AppError::UnlockLinkInvalid)
    );
    // The operator can still lift it.
    let store = &f.app.state.store;
    let user_id = store.user_id_of("vito").await.unwrap().unwrap();
    let unlock = AccountAction {
        kind: AdminAction::Unlock,
        user_id,
        actor_id: None,
        client: None,
        details: NoticeDetails::default(),
        now: 0,
    };
    assert!(store.act_on_account(unlock).await.unwrap());
    assert_eq!(location(&owner.login("vito", PASSWORD).await), "/dashboard");
}

/// A lock must not show in the work a sign-in costs: the right password of a locked account is
/// checked against the stand-in hash, once, as a wrong password of an open account is checked.
#[tokio::test]
async fn a_sign_in_to_a_locked_account_costs_one_hash_like_a_wrong_password() {
    let f = fixture(proxied_with_lock_after(4)).await;
    let owner = verified_user(&f, "yves").await;
    verified_user(&f, "zita").await;
    lock(&f, "yves", 4).await;
    let hasher = &f.app.state.hasher;
    let before = hasher.computations();
    assert_eq!(
        owner.try_login("yves", PASSWORD, "").await.0,
        StatusCode::UNAUTHORIZED
    );
    let locked = hasher.computations() - before;
    let before = hasher.computations();
    assert_eq!(
        owner.try_login("zita", "wrong password!", "").await.0,
        StatusCode::UNAUTHORIZED
    );
    let wrong = hasher.computations() - before;
    assert_eq!((locked, wrong), (1, 1));
}

#[tokio::test]
async fn the_unlock_token_is_stored_only_as_a_keyed_hash() {
    let f = fixture(proxied_with_lock_after(2)).await;
    verified_user(&f, "wren").await;
    lock(&f, "wren", 2).await;
    let link = unlock_link(&f, "wren@example.test", 2).await;
    let token = link.trim_start_matches("/unlock/");
    let raw: Vec<u8> = (0..token.len() / 2)
        .map(|at| u8::from_str_radix(&token[2 * at..2 * at + 2], 16).unwrap())
        .collect();
    let stored =
        f.db.blobs("select unlock_token_hash from users where locked_at is not null")
            .await;
    assert_eq!(
        stored,
        [f.app.state.server_key.link_token_hash(token)],
        "the server key's hash of it"
    );
    for kept_as_is in [token.as_bytes(), raw.as_slice()] {
        assert!(
            !stored[0]
                .windows(kept_as_is.len())
                .any(|window| window == kept_as_is),
            "the token itself is stored"
        );
    }
    let in_text = format!(
        "select count(*) from users
         where username like '%{token}%' or email like '%{token}%' or password_hash like '%{token}%'"
    );
    assert_eq!(f.db.number(&in_text).await, 0);
}

#[tokio::test]
async fn the_unlock_command_lifts_a_lock() {
    let f = fixture(proxied_with_lock_after(2)).await;
    let owner = verified_user(&f, "yann").await;
    lock(&f, "yann", 2).await;
    assert_eq!(
        owner.try_login("yann", PASSWORD, "").await.0,
        StatusCode::UNAUTHORIZED,
        "locked"
    );
    let (ok, output) = gatehouse(&f, &["unlock", "yann"]).await;
    assert!(ok, "{output}");
    assert!(
        output.contains("yann unlocked: its failed sign-ins are cleared"),
        "{output}"
    );
    assert_eq!(location(&owner.login("yann", PASSWORD).await), "/dashboard");
}

#[tokio::test]
async fn an_attackers_failures_delay_the_attacker_not_the_owner() {
    let f = fixture(proxied_with_lock_after(100)).await;
    let owner = verified_user(&f, "wim").await;
    let attacker = f.app.browser_from("203.0.113.50");
    for _ in 0..5 {
        attacker.try_login("wim", "wrong password!", "").await;
    }
    let (status, _) = attacker.try_login("wim", "wrong password!", "").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the attacker waits");
    let owner_elsewhere = f.app.browser_from("198.51.100.80");
    assert_eq!(
        location(&owner_elsewhere.login("wim", PASSWORD).await),
        "/dashboard",
        "the owner does not"
    );
    drop(owner);
}

/// A right password wipes the account's count, not only the attempt that carried it: three
/// failures, a sign-in, three more failures stay under a lock after four.
#[tokio::test]
async fn a_right_password_clears_every_earlier_failure() {
    let f = fixture(proxied_with_lock_after(4)).await;
    let owner = verified_user(&f, "xena").await;
    lock(&f, "xena", 3).await;
    assert_eq!(location(&owner.login("xena", PASSWORD).await), "/dashboard");
    lock(&f, "xena", 3).await;
    assert_eq!(
        f.db.number("select count(*) from users where locked_at is not null")
            .await,
        0
    );
    let laptop = f.app.browser_from("198.51.100.9");
    assert_eq!(location(&laptop.login("xena", PASSWORD).await), "/dashboard");
}

/// A browser as on the real site: `Sec-Fetch-Site: same-origin` on every request, so the
/// cross-site guard lets its posts through whatever `public_url` says.
fn same_origin_browser(f: &crate::support::Fixture) -> crate::support::Browser {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("sec-fetch-site", "same-origin".parse().unwrap());
    f.app.browser_with(headers)
}

#[tokio::test]
async fn the_unlock_link_starts_with_the_public_url() {
    const PUBLIC: &str = "https://portal.example.test";
    let f = fixture(|s| {
        s.public_url = Some(gatehouse::server::config::PublicUrl(PUBLIC.into()));
        s.login_lock_after = 2;
    })
    .await;
    let owner = same_origin_browser(&f);
    assert_eq!(
        location(&owner.register("ulrike", "ulrike@example.test").await),
        "/verify"
    );
    let code = f.sink.wait_for_code("ulrike@example.test", 1).await;
    assert_eq!(location(&owner.verify(&code).await), "/login?verified=1");
    for _ in 0..2 {
        assert_eq!(
            owner.try_login("ulrike", "wrong password!", "").await.0,
            StatusCode::UNAUTHORIZED
        );
    }

    let mail = f
        .sink
        .wait_for_containing("ulrike@example.test", "/unlock/", 1)
        .await;
    let text = mail.text();
    // The plain-text part comes first and carries the bare link.
    let link = text
        .split_whitespace()
        .find(|word| word.contains("/unlock/"))
        .expect("the mail carries an unlock link");
    let prefix = format!("{PUBLIC}/unlock/");
    assert!(link.starts_with(&prefix), "{link}");
    assert_eq!(link.len(), prefix.len() + 32, "{link}");
    // Behind the public URL is this app: the link's path opens its unlock page.
    assert!(owner
        .page(&link[PUBLIC.len()..])
        .await
        .contains("Unlock my account"));
}
