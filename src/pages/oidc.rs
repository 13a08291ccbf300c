//! "Sign in with Gatehouse": the consent page, the page that sends a browser on to the app, and
//! the question an app's sign-out asks when it cannot prove it is the user's app.
//! Both work without JavaScript (plain forms and a refresh), and load none.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::{
    api::oidc::{fetch_consent, fetch_continue, AnswerConsent, ConfirmAppLogout},
    components::ErrorNotice,
    model::ConsentView,
};

/// `/oidc/consent`: an app asks for the signed-in user's details.
#[component]
pub fn ConsentPage() -> impl IntoView {
    let consent = Resource::new(|| (), |_| fetch_consent());
    view! {
        <Title text="Allow an app"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || consent.get().map(|view| match view {
                Ok(view) => view! { <ConsentForm view/> }.into_any(),
                Err(error) => view! {
                    <h1>"Allow an app"</h1>
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
        <h1>{format!("Allow {} to sign you in?", view.app_name)}</h1>
        <p>"You are signed in as " <strong>{view.username}</strong> ". " {format!("{} will receive:", view.app_name)}</p>
        <ul>
            {view.receives.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}
        </ul>
        <p>"You can withdraw this on your account page at any time."</p>
        <ActionForm action=answer attr:class="form">
            <ErrorNotice error/>
            <p class="actions">
                <button type="submit" name="allow" value="yes">"Allow"</button>
                <button type="submit" name="allow" value="no" class="secondary">"Deny"</button>
            </p>
        </ActionForm>
    }
}

/// `/oidc/continue`: the browser moves on to the app by itself; the link is for when it does not.
#[component]
pub fn ContinuePage() -> impl IntoView {
    let destination = Resource::new(|| (), |_| fetch_continue());
    view! {
        <Title text="Returning to the app"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || destination.get().map(|destination| match destination {
                Ok(destination) => view! {
                    <Meta http_equiv="refresh" content=format!("0;url={}", destination.url)/>
                    <h1>{format!("Returning you to {}", destination.app_name)}</h1>
                    <p><a href=destination.url>{format!("Continue to {}", destination.app_name)}</a></p>
                }
                .into_any(),
                Err(error) => view! {
                    <h1>"Returning to the app"</h1>
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
        <Title text="Sign out?"/>
        <h1>"Sign out of this site?"</h1>
        <p>"An app asked to sign you out. Signing out here signs you out of every app that uses this sign-in."</p>
        <ActionForm action=confirm attr:class="form">
            <ErrorNotice error/>
            <p class="actions">
                <button type="submit">"Sign out"</button>
                <a class="button secondary" href="/dashboard">"Stay signed in"</a>
            </p>
        </ActionForm>
    }
}
