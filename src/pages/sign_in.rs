use leptos::{html, prelude::*};
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::{
        passkeys::passkeys_available,
        sign_in::{second_step_pending, Login, SecondStep},
    },
    components::{
        error_beside_proof_of_work, use_form_error_from_url, ErrorNotice, FormField, PasskeyButton,
        ProofOfWork, QueryNotice,
    },
    i18n::t,
    validate::Field,
};

#[component]
pub fn SignInPage() -> impl IntoView {
    // `rd` is where forward-auth sends a browser from another app: its original address.
    let query = use_query_map().read_untracked();
    let next = query.get("rd").or_else(|| query.get("next")).unwrap_or_default();
    // An app that knows who is signing in says so (OpenID Connect's `login_hint`).
    let identifier = query.get("login_hint").unwrap_or_default();
    view! {
        <Title text="Sign in"/>
        <h1>"Sign in"</h1>
        <QueryNotice notices=vec![
            ("verified", "Your email address is verified. Sign in to continue.".into()),
            ("reset", "Your password is changed, and every session of your account was ended. Sign in with the new password.".into()),
            ("unlocked", "Your account is unlocked. Sign in to continue.".into()),
            ("signed_out", "You are signed out.".into()),
        ]/>
        <LoginForm next=next.clone() identifier/>
        <PasskeyChoice purpose="sign_in" label="Sign in with a passkey" next autofill=true/>
        <p><A href="/recover">"Forgot your password?"</A></p>
        <p>"No account yet? " <A href="/register">"Register"</A></p>
    }
}

/// `next` is where a successful sign-in goes (checked on the server to be a local path);
/// `identifier` fills the first field.
#[island(lazy)]
fn LoginForm(next: String, identifier: String) -> impl IntoView {
    use_form_error_from_url();
    let login = ServerAction::<Login>::new();
    let error = Signal::derive(move || login.value().get().and_then(Result::err));
    let field_message =
        move |field| Signal::derive(move || error.get().and_then(|error| error.field_message(field)));
    let general_error = error_beside_proof_of_work(error);
    let form = NodeRef::<html::Form>::new();
    view! {
        <ActionForm action=login node_ref=form attr:class="form" attr:novalidate=true>
            <input type="hidden" name="next" value=next/>
            <FormField label="Username or email" name="identifier" autocomplete="username webauthn" maxlength="254"
                initial=identifier message=field_message(Field::Identifier)/>
            <FormField label="Password" name="password" input_type="password" autocomplete="current-password"
                message=field_message(Field::Password)/>
            <ErrorNotice error=general_error/>
            <ProofOfWork error form/>
            <button type="submit" disabled=move || login.pending().get()>"Sign in"</button>
        </ActionForm>
    }
}

/// `/login/verify`: the second step of a sign-in with two-factor on.
#[component]
pub fn SecondStepPage() -> impl IntoView {
    // Only to show an error a form without JavaScript came back with, when nothing waits any more.
    let step = ServerAction::<SecondStep>::new();
    let pending = Resource::new(|| (), |_| second_step_pending());
    let next = use_query_map().read_untracked().get("next").unwrap_or_default();
    let general_error =
        error_beside_proof_of_work(Signal::derive(move || step.value().get().and_then(Result::err)));
    view! {
        <Title text="Two-factor sign-in"/>
        <h1>"One more step"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || pending.get().map(|pending| match pending {
                Ok(true) => view! {
                    <PasskeyChoice purpose="second_step" label="Use a passkey" next=next.clone() autofill=false/>
                    <p>
                        {t("sign-in-app-code")} " "
                        "Lost your phone or your passkey? Enter one of your recovery codes instead."
                    </p>
                    <SecondStepForm next=next.clone()/>
                    <p><A href="/login">"Start again"</A></p>
                }
                .into_any(),
                _ => view! {
                    <ErrorNotice error=general_error/>
                    <p>"No sign-in is waiting for its second step in this browser: it finished, or it waited more than 5 minutes."</p>
                    <p><A href="/login">"Sign in again"</A></p>
                }
                .into_any(),
            })}
        </Suspense>
    }
}

/// The passkey button, where this site can offer passkeys.
#[component]
fn PasskeyChoice(purpose: &'static str, label: &'static str, next: String, autofill: bool) -> impl IntoView {
    let available = Resource::new(|| (), |_| passkeys_available());
    view! {
        <Suspense>
            {move || available.get().and_then(Result::ok).filter(|available| *available).map(|_| view! {
                <PasskeyButton purpose label next=next.clone() autofill/>
            })}
        </Suspense>
    }
}

#[island(lazy)]
fn SecondStepForm(next: String) -> impl IntoView {
    use_form_error_from_url();
    let step = ServerAction::<SecondStep>::new();
    let error = Signal::derive(move || step.value().get().and_then(Result::err));
    let code_message = Signal::derive(move || error.get().and_then(|error| error.field_message(Field::Code)));
    let general_error = error_beside_proof_of_work(error);
    let form = NodeRef::<html::Form>::new();
    let hint: &'static str = "6 digits from the app, or a recovery code such as 7K3Q-DM9X-TA2B-C4EF.";
    view! {
        <ActionForm action=step node_ref=form attr:class="form" attr:novalidate=true>
            <input type="hidden" name="next" value=next/>
            <FormField label="Code" name="code" id="second-factor-code" autocomplete="one-time-code"
                maxlength="64" hint=hint message=code_message/>
            <ErrorNotice error=general_error/>
            <ProofOfWork error form/>
            <button type="submit" disabled=move || step.pending().get()>"Sign in"</button>
        </ActionForm>
    }
}
