//! The site's own name, logo, colour and support address, and its languages: pages and mails in
//! the reader's language, chosen from the account's saved choice, the switch's cookie, the
//! browser's `Accept-Language` and the site's default, in that order.

use gatehouse::{
    error::{AppError, ErrorAnswer},
    i18n::Language,
    server::{
        branding::{AccentColour, BrandFile, SiteName, SupportUrl},
        config::SettingValue,
    },
    validate::Field,
};
use percent_encoding::percent_decode_str;
use reqwest::{header, StatusCode};

use crate::support::{fixture, location, Browser, Fixture, PASSWORD};

fn speaking(f: &Fixture, accept_language: &str) -> Browser {
    let mut headers = header::HeaderMap::new();
    headers.insert(header::ACCEPT_LANGUAGE, accept_language.parse().unwrap());
    f.app.browser_with(headers)
}

/// The six digits after `after` in the newest mail to `address` that contains it.
async fn code_after(f: &Fixture, address: &str, after: &str) -> String {
    let text = f.sink.wait_for_containing(address, after, 1).await.text();
    let rest = &text[text.find(after).unwrap()..];
    rest.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_german_browser_gets_german_pages_and_a_german_code_mail() {
    let f = fixture(|_| {}).await;
    let browser = speaking(&f, "de-AT, de;q=0.9, en;q=0.5");
    let home = browser.page("/").await;
    assert!(home.contains("<html lang=\"de\""), "{home}");
    assert!(
        home.contains("Willkommen bei Gatehouse") && home.contains("<title>Willkommen · Gatehouse</title>")
    );
    let missing = browser.get("/no-such-page").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.text().await.unwrap().contains("Seite nicht gefunden"));

    assert_eq!(
        location(&browser.register("greta", "greta@example.test").await),
        "/verify"
    );
    assert_eq!(
        f.db.texts("select language from users where username = 'greta'")
            .await,
        ["de"]
    );
    let mail = f
        .sink
        .wait_for("greta@example.test", 1, std::time::Duration::from_secs(10))
        .await
        .text();
    assert!(mail.contains("Geben Sie ihn innerhalb von 5 Minuten"), "{mail}");
    let code = code_after(&f, "greta@example.test", "lautet:").await;
    assert_eq!(location(&browser.verify(&code).await), "/login?verified=1");

    let english = f.app.browser().page("/").await;
    assert!(english.contains("<html lang=\"en\"") && english.contains("Welcome to Gatehouse"));
}

#[tokio::test]
async fn the_saved_choice_beats_the_switch_and_the_browser_and_mails_follow_it() {
    let f = fixture(|_| {}).await;
    let browser = speaking(&f, "en");
    assert_eq!(
        location(&browser.register("sven", "sven@example.test").await),
        "/verify"
    );
    let code = f.sink.wait_for_code("sven@example.test", 1).await;
    browser.verify(&code).await;
    assert_eq!(location(&browser.login("sven", PASSWORD).await), "/dashboard");

    // The switch, a plain form: a cookie for the browser and the choice saved on the account.
    let switched = browser
        .post_form(
            "/language",
            "/dashboard",
            &[("language", "de"), ("next", "/dashboard")],
        )
        .await;
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&switched), "/dashboard");
    let cookie = switched.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.starts_with("gatehouse_language=de;") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    assert_eq!(
        f.db.texts("select language from users where username = 'sven'")
            .await,
        ["de"]
    );

    // Another browser that asks for English, signed in to the account: the saved choice wins.
    let elsewhere = speaking(&f, "en-GB");
    assert_eq!(location(&elsewhere.login("sven", PASSWORD).await), "/dashboard");
    assert!(elsewhere.page("/").await.contains("<html lang=\"de\""));
    let dashboard = elsewhere.page("/dashboard").await;
    assert!(
        dashboard.contains("Wo Sie angemeldet sind") && dashboard.contains("Hallo, sven"),
        "{dashboard}"
    );
    // Its sessions' devices and its security events are named in German too.
    assert!(
        dashboard.contains("Unbekannter Browser") && dashboard.contains("Konto registriert"),
        "{dashboard}"
    );
    // Signed out, the same browser is English again: only its own header speaks for it.
    assert!(speaking(&f, "en-GB")
        .page("/")
        .await
        .contains("<html lang=\"en\""));

    // Mail to the account is in its language, whoever asks.
    speaking(&f, "en").start_recovery("sven").await;
    let mail = f
        .sink
        .wait_for_containing("sven@example.test", "Passworts", 1)
        .await
        .text();
    assert!(mail.contains("lautet:"), "{mail}");

    let refused = browser.post_form("/language", "/", &[("language", "xx")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The account speaks German, so does its refusal.
    assert_eq!(
        refused.text().await.unwrap(),
        "Diese Sprache spricht diese Website nicht."
    );
    let refused = f
        .app
        .browser()
        .post_form("/language", "/", &[("language", "xx")])
        .await;
    assert_eq!(
        refused.text().await.unwrap(),
        "This site does not speak that language."
    );
}

#[tokio::test]
async fn the_switch_cookie_beats_the_browser_and_the_default_language_comes_last() {
    let f = fixture(|settings| settings.default_language = Language::German).await;
    let browser = speaking(&f, "fr");
    assert!(
        browser.page("/").await.contains("<html lang=\"de\""),
        "the default"
    );
    let switched = browser
        .post_form("/language", "/", &[("language", "en"), ("next", "/")])
        .await;
    assert_eq!(location(&switched), "/");
    assert!(
        browser.page("/").await.contains("<html lang=\"en\""),
        "the cookie"
    );
    assert!(
        speaking(&f, "en").page("/").await.contains("<html lang=\"en\""),
        "the browser's header"
    );
}

#[tokio::test]
async fn a_mail_to_an_address_without_an_account_speaks_the_askers_language() {
    let f = fixture(|_| {}).await;
    speaking(&f, "de").start_recovery("nobody@example.test").await;
    let mail = f
        .sink
        .wait_for("nobody@example.test", 1, std::time::Duration::from_secs(10))
        .await
        .text();
    assert!(
        mail.contains("Hallo,") && mail.contains("kein Konto verwendet sie"),
        "{mail}"
    );
}

#[tokio::test]
async fn the_site_name_reaches_the_page_the_mail_the_authenticator_and_the_password_rule() {
    let f = fixture(|settings| settings.site_name = SiteName("Northwind".into())).await;
    let browser = f.app.browser();
    let home = browser.page("/").await;
    assert!(home.contains("<title>Welcome · Northwind</title>") && home.contains("Welcome to Northwind"));
    assert!(!home.contains("Gatehouse"), "{home}");

    let fields = [
        ("username", "nora"),
        ("email", "nora@example.test"),
        ("password", "my-northwind-pass-1"),
        ("password_confirm", "my-northwind-pass-1"),
    ];
    let (status, error) = browser.call_for_error("/api/register", &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = error.unwrap().field_message(Field::Password).unwrap();
    assert!(message.contains("name of this site"), "{message}");

    assert_eq!(
        location(&browser.register("nora", "nora@example.test").await),
        "/verify"
    );
    let mail = f
        .sink
        .wait_for_containing("nora@example.test", "code is:", 1)
        .await;
    assert!(
        mail.text().contains("Subject: Your Northwind verification code"),
        "{}",
        mail.text()
    );
    browser.verify(&mail.code().unwrap()).await;
    assert_eq!(location(&browser.login("nora", PASSWORD).await), "/dashboard");
    browser
        .post_form("/api/start_two_factor", "/account/security", &[])
        .await;
    let security = browser.page("/account/security").await;
    assert!(
        security.contains("href=\"otpauth://totp/Northwind:nora?"),
        "{security}"
    );
    assert!(security.contains("issuer=Northwind"));
}

#[tokio::test]
async fn the_logo_and_the_accent_are_served_under_hashed_names_and_the_policy_stays_strict() {
    let dir = tempfile::tempdir().unwrap();
    let logo_path = dir.path().join("logo.svg");
    std::fs::write(
        &logo_path,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"/>",
    )
    .unwrap();
    let plain = fixture(|_| {}).await;
    let plain_policy = plain.app.browser().get("/").await.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    let f = fixture(|settings| {
        settings.logo_file = Option::<BrandFile>::parse_setting(logo_path.to_str().unwrap()).unwrap();
        settings.accent_colour = Option::<AccentColour>::parse_setting("rebeccapurple").unwrap();
        settings.support_url = Some(SupportUrl("https://help.example.test".into()));
    })
    .await;
    let browser = f.app.browser();
    let page = browser.get("/").await;
    let policy = page.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    let strip_nonce = |policy: &str| {
        policy
            .split(';')
            .filter(|part| !part.contains("nonce"))
            .collect::<Vec<_>>()
            .join(";")
    };
    assert_eq!(
        strip_nonce(&policy),
        strip_nonce(&plain_policy),
        "branding loosens nothing"
    );
    let page = page.text().await.unwrap();
    let url_after = |marker: &str| {
        let start = page.find(marker).unwrap_or_else(|| panic!("{marker} in {page}")) + marker.len();
        page[start..start + page[start..].find('"').unwrap()].to_string()
    };
    let logo = url_after("<img src=\"");
    let accent = url_after("<link rel=\"stylesheet\" href=\"/brand/");
    assert!(
        logo.starts_with("/brand/logo-") && logo.ends_with(".svg"),
        "{logo}"
    );
    for (url, content_type) in [
        (logo.clone(), "image/svg+xml"),
        (format!("/brand/{accent}"), "text/css; charset=utf-8"),
    ] {
        let response = browser.get(&url).await;
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        assert_eq!(response.headers()[header::CONTENT_TYPE], content_type);
        assert_eq!(
            response.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
    }
    let css = browser
        .get(&format!("/brand/{accent}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(css.contains("--brand:#663399"), "{css}");
    assert_eq!(
        browser.get("/brand/logo-0000000000000000.svg").await.status(),
        StatusCode::NOT_FOUND
    );

    // The support address at the foot of every page, the error pages' too, and in every mail.
    let missing = browser.get("/no-such-page").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing
        .text()
        .await
        .unwrap()
        .contains("href=\"https://help.example.test\""));
    browser.register("hugo", "hugo@example.test").await;
    let mail = f
        .sink
        .wait_for_containing("hugo@example.test", "code is:", 1)
        .await
        .text();
    assert!(mail.contains("Need help? https://help.example.test"), "{mail}");
}

#[tokio::test]
async fn an_invitation_is_mailed_in_the_inviting_admins_language() {
    let f = fixture(|_| {}).await;
    let alice = crate::admin::admin(&f, "alice").await.browser;
    let switched = alice
        .post_form(
            "/language",
            "/admin",
            &[("language", "de"), ("next", "/admin/invitations")],
        )
        .await;
    assert_eq!(location(&switched), "/admin/invitations");
    let fields = [("action", "invite"), ("email", "ida@example.test")];
    let (status, error) = alice
        .call_for_error("/api/admin/change_invitation", &fields)
        .await;
    assert_eq!((status, error), (StatusCode::OK, None));
    let mail = f
        .sink
        .wait_for("ida@example.test", 1, std::time::Duration::from_secs(10))
        .await
        .text();
    assert!(
        mail.contains("Sie sind eingeladen, ein Konto bei Gatehouse anzulegen"),
        "{mail}"
    );

    // The console speaks German to her too: its pages, its lists' words and the log's events.
    let invitations = alice.page("/admin/invitations").await;
    assert!(invitations.contains("Jemanden einladen") && invitations.contains("Erneut senden"));
    assert!(invitations.contains("<title>Einladungen · Verwaltung · Gatehouse</title>"));
    let events = alice.page("/admin/events").await;
    assert!(
        events.contains("Einladung gesendet") && events.contains("Diese Ereignisse als CSV herunterladen")
    );
    let overview = alice.page("/admin").await;
    assert!(overview.contains("Die letzten 30 Tage") && !overview.contains("Registrations"));
}

#[tokio::test]
async fn forms_their_checks_and_every_refusal_speak_the_readers_language() {
    let f = fixture(|_| {}).await;
    let german = speaking(&f, "de");
    let register = german.page("/register").await;
    for words in [
        "Konto anlegen",
        "Benutzername",
        "Passwort wiederholen",
        "Sie haben schon ein Konto?",
    ] {
        assert!(register.contains(words), "{words}: {register}");
    }
    // The island's live check says its sentences from props, the typed length left for the browser.
    assert!(register.contains("Verwenden Sie 3 bis 32 Zeichen (Sie haben {length})."));
    assert!(
        !register.contains("Use at least"),
        "no English in the German page"
    );
    let sign_in = german.page("/login").await;
    assert!(sign_in.contains("Passwort vergessen?") && sign_in.contains("Noch kein Konto?"));

    // A broken rule: the field's sentence and the error's, both German, with the numbers filled.
    let fields = [
        ("username", "ab"),
        ("email", "greta@example.test"),
        ("password", "correct horse battery staple"),
        ("password_confirm", "correct horse battery staple"),
        ("invitation", ""),
        ("pow", ""),
    ];
    let response = german.call("/api/register", &fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let answer: ErrorAnswer = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(answer.sentence, "Bitte korrigieren Sie die markierten Felder.");
    assert_eq!(
        answer.error.field_message(Field::Username).as_deref(),
        Some("Verwenden Sie 3 bis 32 Zeichen (Sie haben 2).")
    );

    // A refusal: the sentence in the body and, for the passkey script, in a header.
    let german_refusal = "Benutzername, E-Mail-Adresse oder Passwort ist falsch.";
    let fields = [
        ("identifier", "nobody"),
        ("password", "wrong"),
        ("next", ""),
        ("pow", ""),
    ];
    let response = german.call("/api/login", &fields).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let header = response.headers()["x-error-sentence"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(percent_decode_str(&header).decode_utf8().unwrap(), german_refusal);
    let answer: ErrorAnswer = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(answer.sentence, german_refusal);
    let english = f.app.browser().call("/api/login", &fields).await;
    let answer: ErrorAnswer = serde_json::from_str(&english.text().await.unwrap()).unwrap();
    assert_eq!(answer.sentence, "Incorrect username, email or password.");

    // A form sent without JavaScript comes back with its page, the sentence German there too.
    let response = german
        .post_form(
            "/api/login",
            "/login",
            &[("identifier", "nobody"), ("password", "wrong"), ("next", "")],
        )
        .await;
    let page = german.follow(&response).await;
    assert!(page.contains(german_refusal), "{page}");

    // A wait, in the reader's words.
    assert_eq!(
        AppError::RateLimited {
            retry_after_secs: 150
        }
        .sentence_in(Language::German, "Gatehouse"),
        "Zu viele Versuche. Bitte versuchen Sie es in 3 Minuten erneut."
    );
}
