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
        <Title text=t("sign-in-title")/>
        <h1>{t("sign-in-title")}</h1>
        <QueryNotice notices=vec![
            ("verified", t("sign-in-verified")),
            ("reset", t("sign-in-reset")),
            ("unlocked", t("sign-in-unlocked")),
            ("signed_out", t("sign-in-signed-out")),
        ]/>
        <LoginForm next=next.clone() identifier words=SignInWords::new()/>
        <PasskeyChoice purpose="sign_in" label=t("sign-in-passkey") next autofill=true/>
        <p><A href="/recover">{t("sign-in-forgot")}</A></p>
        <p>{t("sign-in-no-account")} " " <A href="/register">{t("home-register")}</A></p>
    }
}

crate::island_words! {
    /// The words of the sign-in forms, in the reader's language.
    pub struct SignInWords {
        identifier,
        password,
        code,
        code_hint,
        sign_in,
        checking,
    }
}

impl SignInWords {
    fn new() -> SignInWords {
        SignInWords {
            identifier: t("sign-in-identifier"),
            password: t("register-password"),
            code: t("sign-in-code"),
            code_hint: t("sign-in-code-hint"),
            sign_in: t("sign-in-title"),
            checking: t("proof-of-work-checking"),
        }
    }
}

/// `next` is where a successful sign-in goes (checked on the server to be a local path);
/// `identifier` fills the first field.
#[island(lazy)]
fn LoginForm(next: String, identifier: String, words: SignInWords) -> impl IntoView {
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
            <FormField label=words.identifier name="identifier" autocomplete="username webauthn" maxlength="254"
                initial=identifier message=field_message(Field::Identifier)/>
            <FormField label=words.password name="password" input_type="password" autocomplete="current-password"
                message=field_message(Field::Password)/>
            <ErrorNotice error=general_error/>
            <ProofOfWork error form checking=words.checking/>
            <button type="submit" disabled=move || login.pending().get()>{words.sign_in}</button>
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
        <Title text=t("second-step-title")/>
        <h1>{t("second-step-heading")}</h1>
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || pending.get().map(|pending| match pending {
                Ok(true) => view! {
                    <PasskeyChoice purpose="second_step" label=t("second-step-passkey") next=next.clone() autofill=false/>
                    <p>{t("sign-in-app-code")} " " {t("second-step-lost")}</p>
                    <SecondStepForm next=next.clone() words=SignInWords::new()/>
                    <p><A href="/login">{t("start-again")}</A></p>
                }
                .into_any(),
                _ => view! {
                    <ErrorNotice error=general_error/>
                    <p>{t("second-step-nothing")}</p>
                    <p><A href="/login">{t("second-step-sign-in-again")}</A></p>
                }
                .into_any(),
            })}
        </Suspense>
    }
}

/// The passkey button, where this site can offer passkeys.
#[component]
fn PasskeyChoice(purpose: &'static str, label: String, next: String, autofill: bool) -> impl IntoView {
    let available = Resource::new(|| (), |_| passkeys_available());
    view! {
        <Suspense>
            {move || available.get().and_then(Result::ok).filter(|available| *available).map(|_| view! {
                <PasskeyButton purpose label=label.clone() next=next.clone() autofill/>
            })}
        </Suspense>
    }
}

#[island(lazy)]
fn SecondStepForm(next: String, words: SignInWords) -> impl IntoView {
    use_form_error_from_url();
    let step = ServerAction::<SecondStep>::new();
    let error = Signal::derive(move || step.value().get().and_then(Result::err));
    let code_message = Signal::derive(move || error.get().and_then(|error| error.field_message(Field::Code)));
    let general_error = error_beside_proof_of_work(error);
    let form = NodeRef::<html::Form>::new();
    view! {
        <ActionForm action=step node_ref=form attr:class="form" attr:novalidate=true>
            <input type="hidden" name="next" value=next/>
            <FormField label=words.code name="code" id="second-factor-code" autocomplete="one-time-code"
                maxlength="64" hint=words.code_hint message=code_message/>
            <ErrorNotice error=general_error/>
            <ProofOfWork error form checking=words.checking/>
            <button type="submit" disabled=move || step.pending().get()>{words.sign_in}</button>
        </ActionForm>
    }
}
