//! Only errors this server produced for this browser's own form submission are shown on a page;
//! a link carrying made-up error text leads to the page without it.

use base64::Engine;

use crate::support::{fixture, location, verified_user};

fn forged_error(text: &str) -> String {
    let payload = base64::engine::general_purpose::URL_SAFE
        .encode(format!("{{\"Internal\":{{\"reference\":\"{text}\"}}}}"));
    format!("/login?__path=%2Fapi%2Flogin&__err={payload}")
}

#[tokio::test]
async fn a_link_with_error_text_does_not_make_the_page_say_it() {
    let f = fixture(|_| {}).await;
    let victim = f.app.browser();
    let response = victim.get(&forged_error("CALL +1-555-0100 NOW")).await;
    assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/login");
    let page = victim.follow(&response).await;
    assert!(!page.contains("CALL +1-555-0100"));
}

#[tokio::test]
async fn a_real_error_is_shown_to_the_browser_that_caused_it_and_no_other() {
    let f = fixture(|_| {}).await;
    let browser = verified_user(&f, "gina").await;
    let failed = browser.login("gina", "not her password!").await;
    let back = location(&failed);
    assert!(back.contains("__err=") && back.contains("__sig="), "{back}");
    assert!(browser
        .follow(&failed)
        .await
        .contains("Incorrect username, email or password."));
    // The same link opened by someone else (another cookie jar) shows nothing.
    let other = f.app.browser();
    let path = &back[back.find("/login").unwrap()..];
    let response = other.get(path).await;
    assert_eq!(location(&response), "/login");
}
