use leptos::{html, prelude::*};
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::account::{second_step_pending, Login, SecondStep},
    components::{error_beside_proof_of_work, ErrorNotice, FormField, ProofOfWork},
    validate::Field,
};

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let verified = move || query.read().get("verified").is_some();
    let signed_out = move || query.read().get("signed_out").is_some();
    let unlocked = move || query.read().get("unlocked").is_some();
    let reset = move || query.read().get("reset").is_some();

    let error = Signal::derive(move || login.value().get().and_then(Result::err));
    let field_message =
        move |field| Signal::derive(move || error.get().and_then(|error| error.field_message(field)));
    let general_error = error_beside_proof_of_work(error);
    let form = NodeRef::<html::Form>::new();

    view! {
        <Title text="Sign in"/>
        <h1>"Sign in"</h1>
        <Show when=verified>
            <p class="notice success" role="status">"Your email address is verified. Sign in to continue."</p>
        </Show>
        <Show when=reset>
            <p class="notice success" role="status">
                "Your password is changed, and every session of your account was ended. Sign in with the new password."
            </p>
        </Show>
        <Show when=unlocked>
            <p class="notice success" role="status">"Your account is unlocked. Sign in to continue."</p>
        </Show>
        <Show when=signed_out>
            <p class="notice success" role="status">"You are signed out."</p>
        </Show>
        <ActionForm action=login node_ref=form attr:class="form" attr:novalidate=true>
            <input type="hidden" name="next" value=next/>
            <FormField label="Username or email" name="identifier" autocomplete="username" maxlength="254"
                message=field_message(Field::Identifier)/>
            <FormField label="Password" name="password" input_type="password" autocomplete="current-password"
                message=field_message(Field::Password)/>
            <ErrorNotice error=general_error/>
            <ProofOfWork error form/>
            <button type="submit" disabled=move || login.pending().get()>"Sign in"</button>
        </ActionForm>
        <p><A href="/recover">"Forgot your password?"</A></p>
        <p>"No account yet? " <A href="/register">"Register"</A></p>
    }
}

/// `/login/verify`: the second step of a sign-in with two-factor on.
#[component]
pub fn SecondStepPage() -> impl IntoView {
    let step = ServerAction::<SecondStep>::new();
    let pending = Resource::new(|| (), |_| second_step_pending());
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = Signal::derive(move || step.value().get().and_then(Result::err));
    let code_message = Signal::derive(move || error.get().and_then(|error| error.field_message(Field::Code)));
    let general_error = error_beside_proof_of_work(error);
    let form = NodeRef::<html::Form>::new();
    let hint: &'static str = "6 digits from the app, or a recovery code such as 7K3QD-M9XTA.";
    view! {
        <Title text="Two-factor sign-in"/>
        <h1>"One more step"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || pending.get().map(|pending| match pending {
                Ok(true) => view! {
                    <p>
                        "Enter the code your authenticator app shows for Gatehouse. "
                        "Lost your phone? Enter one of your recovery codes instead."
                    </p>
                    <ActionForm action=step node_ref=form attr:class="form" attr:novalidate=true>
                        <input type="hidden" name="next" value=next/>
                        <FormField label="Code" name="code" id="second-factor-code" autocomplete="one-time-code"
                            maxlength="64" hint=hint message=code_message/>
                        <ErrorNotice error=general_error/>
                        <ProofOfWork error form/>
                        <button type="submit" disabled=move || step.pending().get()>"Sign in"</button>
                    </ActionForm>
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
