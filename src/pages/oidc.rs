//! "Sign in with Gatehouse": the consent page, the page that sends a browser on to the app, and
//! the question an app's sign-out asks when it cannot prove it is the user's app.
//! Both work without JavaScript (plain forms and a refresh), and load none.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::{
    api::oidc::{fetch_consent, fetch_continue, AnswerConsent, ConfirmAppLogout},
    components::ErrorNotice,
    i18n::{t, t_with},
    model::ConsentView,
};

/// `/oidc/consent`: an app asks for the signed-in user's details.
#[component]
pub fn ConsentPage() -> impl IntoView {
    let consent = Resource::new(|| (), |_| fetch_consent());
    view! {
        <Title text=t("oidc-allow-title")/>
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || consent.get().map(|view| match view {
                Ok(view) => view! { <ConsentForm view/> }.into_any(),
                Err(error) => view! {
                    <h1>{t("oidc-allow-title")}</h1>
                    <p>{error.to_string()}</p>
                }
                .into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ConsentForm(view: ConsentView) -> impl IntoView {
    let answer = ServerAction::<AnswerConsent>::new();
    let error = Signal::derive(move || answer.value().get().and_then(Result::err));
    view! {
        <h1>{t_with("oidc-allow-heading", &[("app", view.app_name.clone().into())])}</h1>
        <p>
            {t("oidc-signed-in-as")} " " <strong>{view.username}</strong> ". "
            {t_with("oidc-will-receive", &[("app", view.app_name.into())])}
        </p>
        <ul>
            {view.receives.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}
        </ul>
        <p>{t("oidc-withdraw-later")}</p>
        <ActionForm action=answer attr:class="form">
            <ErrorNotice error/>
            <p class="actions">
                <button type="submit" name="allow" value="yes">{t("oidc-allow")}</button>
                <button type="submit" name="allow" value="no" class="secondary">{t("oidc-deny")}</button>
            </p>
        </ActionForm>
    }
}

/// `/oidc/continue`: the browser moves on to the app by itself; the link is for when it does not.
#[component]
pub fn ContinuePage() -> impl IntoView {
    let destination = Resource::new(|| (), |_| fetch_continue());
    view! {
        <Title text=t("oidc-returning-title")/>
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || destination.get().map(|destination| match destination {
                Ok(destination) => view! {
                    <Meta http_equiv="refresh" content=format!("0;url={}", destination.url)/>
                    <h1>{t_with("oidc-returning", &[("app", destination.app_name.clone().into())])}</h1>
                    <p><a href=destination.url>{t_with("oidc-continue", &[("app", destination.app_name.into())])}</a></p>
                }
                .into_any(),
                Err(error) => view! {
                    <h1>{t("oidc-returning-title")}</h1>
                    <p>{error.to_string()}</p>
                }
                .into_any(),
            })}
        </Suspense>
    }
}

/// `/oidc/logout/confirm`: an app asked to sign the user out without an ID token of theirs.
#[component]
pub fn ConfirmLogoutPage() -> impl IntoView {
    let confirm = ServerAction::<ConfirmAppLogout>::new();
    let error = Signal::derive(move || confirm.value().get().and_then(Result::err));
    view! {
        <Title text=t("oidc-logout-title")/>
        <h1>{t("oidc-logout-heading")}</h1>
        <p>{t("oidc-logout-text")}</p>
        <ActionForm action=confirm attr:class="form">
            <ErrorNotice error/>
            <p class="actions">
                <button type="submit">{t("sign-out")}</button>
                <a class="button secondary" href="/dashboard">{t("oidc-stay")}</a>
            </p>
        </ActionForm>
    }
}
