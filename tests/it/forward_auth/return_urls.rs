//! After signing in, a browser sent by forward-auth returns to the address it asked for (after
//! the second factor too), but only on a host a rule names: never an open redirect. And the
//! cookie forward-auth reads is set by the sign-in, with the attributes its setting asks for.

use gatehouse::server::{
    clock::Clock,
    config::{CookieDomain, PublicUrl},
};
use reqwest::{header, StatusCode};

use super::{protected, rules, RULES};
use crate::{
    support::{cluster::free_port, fixture_on, location, verified_user, PASSWORD},
    two_factor::{code_at, enrol},
};

async fn sign_in_returning_to(
    browser: &crate::support::Browser,
    username: &str,
    rd: &str,
) -> reqwest::Response {
    let from = format!(
        "/login?rd={}",
        form_urlencoded::byte_serialize(rd.as_bytes()).collect::<String>()
    );
    browser
        .post_form(
            "/api/login",
            &from,
            &[("identifier", username), ("password", PASSWORD), ("next", rd)],
        )
        .await
}

#[tokio::test]
async fn a_sign_in_returns_to_the_original_address_after_each_step() {
    let f = protected().await;
    let original = "https://wiki.app.test/page?id=7&x=%C3%A9#part";
    let rd: String = form_urlencoded::byte_serialize(original.as_bytes()).collect();
    let anna = verified_user(&f, "anna").await;
    let response = anna.get(&format!("/login?rd={rd}")).await;
    // A browser checks a form post's redirect against `form-action`: the rules' hosts are in it.
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        policy.contains("form-action 'self' public.app.test:* app.test:*"),
        "{policy}"
    );
    assert!(policy.contains(" *.app.test:*;"), "{policy}");
    let page = response.text().await.unwrap();
    // The page's field holds it decoded; the redirect writes it encoded again.
    let field = r#"name="next" value="https://wiki.app.test/page?id=7&amp;x=é#part""#;
    assert!(page.contains(field), "{page}");
    assert_eq!(
        location(&sign_in_returning_to(&anna, "anna", original).await),
        original
    );
    // Signed in already: the sign-in page sends the browser straight back.
    assert_eq!(location(&anna.get(&format!("/login?rd={rd}")).await), original);

    let ben = enrol(&f, "ben").await;
    ben.browser.post_form("/api/logout", "/dashboard", &[]).await;
    let first = sign_in_returning_to(&ben.browser, "ben", original).await;
    assert_eq!(location(&first), format!("/login/verify?next={rd}"));
    let code = code_at(&ben.secret, f.clock.now());
    let second = ben
        .browser
        .post_form(
            "/api/second_step",
            &location(&first),
            &[("code", &code), ("next", original)],
        )
        .await;
    assert_eq!(location(&second), original);
}

#[tokio::test]
async fn no_trick_turns_the_return_into_an_open_redirect() {
    let f = protected().await;
    let cleo = verified_user(&f, "cleo").await;
    for hostile in [
        "//evil.test/",
        "\\\\evil.test\\",
        "/\\evil.test",
        "http:evil.test",
        "https:/app.test/",
        "https://evil.test/",
        "https://app.test@evil.test/",
        "https://evil.test\\@app.test/",
        "https://evil.test#@app.test/",
        "https://user:pass@app.test/",
        "https://app.test.evil.test/",
        "javascript:alert(1)//app.test/",
        "ftp://app.test/",
        "data:text/html,hi",
    ] {
        assert_eq!(
            location(&sign_in_returning_to(&cleo, "cleo", hostile).await),
            "/dashboard",
            "{hostile}"
        );
        cleo.post_form("/api/logout", "/dashboard", &[]).await;
    }
}

#[tokio::test]
async fn the_sign_in_sets_a_narrow_cookie_scoped_to_the_parent_domain_when_asked() {
    let port = free_port();
    let public = format!("http://portal.app.test:{port}");
    let f = fixture_on(&format!("127.0.0.1:{port}"), |settings| {
        settings.public_url = Some(PublicUrl(public.clone()));
        settings.cookie_domain = Some(CookieDomain("app.test".into()));
        settings.access_rules = rules(RULES);
    })
    .await;
    // A browser on the public address: its posts are same-origin.
    let mut same_origin = header::HeaderMap::new();
    same_origin.insert("sec-fetch-site", "same-origin".parse().unwrap());
    let dora = f.app.browser_with(same_origin);
    assert_eq!(
        location(&dora.register("dora", "dora@example.test").await),
        "/verify"
    );
    let code = f.sink.wait_for_code("dora@example.test", 1).await;
    assert_eq!(location(&dora.verify(&code).await), "/login?verified=1");
    let signed_in = dora.login("dora", PASSWORD).await;
    assert_eq!(location(&signed_in), "/dashboard");
    let cookie = signed_in
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|value| value.to_str().unwrap().to_string())
        .find(|cookie| cookie.starts_with("gatehouse-auth="))
        .expect("the forward-auth cookie is set");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Domain=app.test"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    let value = cookie.split(';').next().unwrap();
    let asked = reqwest::Client::new()
        .get(dora.url("/auth/verify"))
        .header(header::COOKIE, value)
        .header("x-original-url", "https://app.test/home")
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), StatusCode::OK);
    assert_eq!(asked.headers()["remote-user"], "dora");
}
