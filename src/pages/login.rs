use leptos::{html, prelude::*};
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::account::Login,
    components::{ErrorNotice, FormField, ProofOfWork},
    error::AppError,
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
    // Proof-of-work requests have their own notice (see `ProofOfWork`).
    let general_error = Signal::derive(move || {
        error.get().filter(|error| {
            !matches!(
                error,
                AppError::Validation(_) | AppError::ProofOfWorkRequired { .. }
            )
        })
    });
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
