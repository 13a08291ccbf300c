//! Who may register: the three modes (here), invitations (`invitations`), the address rules
//! (`address_rules`) and the terms (`terms`). The helpers below are theirs.

mod address_rules;
mod invitations;
mod terms;

use gatehouse::{error::AppError, server::registration_policy::RegistrationMode};
use reqwest::StatusCode;

use crate::support::{fixture, Browser, Fixture, PASSWORD};

/// A registration from the page `/register?invitation=<token>`, as its form posts it.
pub(crate) async fn register_invited(
    browser: &Browser,
    token: &str,
    username: &str,
) -> (StatusCode, Option<AppError>) {
    let fields = [
        ("username", username),
        ("email", "ignored@elsewhere.test"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
        ("invitation", token),
    ];
    browser.call_for_error("/api/register", &fields).await
}

/// Rows an attempted registration would have left.
async fn traces(f: &Fixture) -> (i64, i64, i64) {
    (
        f.db.number("select count(*) from users").await,
        f.db.number("select count(*) from email_codes").await,
        f.db.number("select count(*) from email_outbox").await,
    )
}

#[tokio::test]
async fn a_closed_site_shows_no_form_and_refuses_registrations_with_403() {
    let f = fixture(|settings| settings.registration = RegistrationMode::Closed).await;
    let browser = f.app.browser();
    let page = browser.page("/register").await;
    assert!(page.contains(&AppError::RegistrationClosed.to_string()), "{page}");
    assert!(!page.contains("name=\"username\""));
    let (status, error) = browser.register_call("ann", "ann@example.test").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error, Some(AppError::RegistrationClosed));
    assert_eq!(traces(&f).await, (0, 0, 0));
}

#[tokio::test]
async fn an_invitation_only_site_explains_itself_and_refuses_registrations_without_a_link() {
    let f = fixture(|settings| settings.registration = RegistrationMode::Invite).await;
    let browser = f.app.browser();
    let page = browser.page("/register").await;
    assert!(page.contains(&AppError::InvitationRequired.to_string()), "{page}");
    assert!(!page.contains("name=\"username\""));
    let (status, error) = browser.register_call("ann", "ann@example.test").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error, Some(AppError::InvitationRequired));
    assert_eq!(traces(&f).await, (0, 0, 0));
}

#[tokio::test]
async fn an_open_site_is_the_default_and_shows_the_form() {
    let f = fixture(|_| {}).await;
    assert_eq!(f.app.state.settings.registration, RegistrationMode::Open);
    let page = f.app.browser().page("/register").await;
    assert!(page.contains("name=\"username\""), "{page}");
    assert!(!page.contains("accept_terms"), "no terms, no tick-box");
}
