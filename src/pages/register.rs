use leptos::{html, prelude::*};
use leptos_meta::Title;
use leptos_router::components::A;

use crate::{
    api::registration::{fetch_password_policy, Register},
    components::{
        error_beside_proof_of_work, password_hint, use_form_error_from_url, ErrorNotice, FormField,
        ProofOfWork,
    },
    validate::{self, Field, PASSWORD_MIN_DEFAULT},
};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let policy = Resource::new(|| (), |_| fetch_password_policy());
    view! {
        <Title text="Register"/>
        <h1>"Create your account"</h1>
        <Suspense fallback=|| ()>
            {move || policy.get().map(|policy| {
                let min_length = policy.map_or(PASSWORD_MIN_DEFAULT, |policy| policy.min_length);
                view! { <RegisterForm min_length/> }
            })}
        </Suspense>
        <p>"Already have an account? " <A href="/login">"Sign in"</A></p>
    }
}

/// The form, checked as the user types against the rules the server applies.
#[island(lazy)]
fn RegisterForm(min_length: usize) -> impl IntoView {
    use_form_error_from_url();
    let register = ServerAction::<Register>::new();
    let username = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let password_confirm = RwSignal::new(String::new());

    let error = Signal::derive(move || register.value().get().and_then(Result::err));
    // A rule broken by what is typed now wins; otherwise show the server's last word on the field.
    let message = move |field: Field,
                        typed: RwSignal<String>,
                        rule: fn(&str, usize, &[String; 4]) -> Result<(), String>| {
        Signal::derive(move || {
            let value = typed.get();
            let all = [
                username.get(),
                email.get(),
                password.get(),
                password_confirm.get(),
            ];
            let typed_problem = (!value.is_empty())
                .then(|| rule(&value, min_length, &all).err())
                .flatten();
            typed_problem.or_else(|| error.get().and_then(|error| error.field_message(field)))
        })
    };
    let username_message = message(Field::Username, username, |value, _, _| {
        validate::username(value).map(|_| ())
    });
    let email_message = message(Field::Email, email, |value, _, _| {
        validate::email(value).map(|_| ())
    });
    let password_message = message(Field::Password, password, |value, min, all| {
        validate::password(value, &all[0], &all[1], min)
    });
    let confirm_message = message(Field::PasswordConfirm, password_confirm, |value, _, all| {
        validate::passwords_match(&all[2], value)
    });
    let general_error = error_beside_proof_of_work(error);
    let form = NodeRef::<html::Form>::new();

    view! {
        <ActionForm action=register node_ref=form attr:class="form" attr:novalidate=true>
            <FormField label="Username" name="username" autocomplete="username" maxlength="32"
                hint="3 to 32 characters: letters a–z, digits, dots, underscores, hyphens."
                message=username_message value=username/>
            <FormField label="Email address" name="email" input_type="email" autocomplete="email"
                maxlength="254" hint="We send a 6-digit code to this address."
                message=email_message value=email/>
            <FormField label="Password" name="password" input_type="password" autocomplete="new-password"
                hint=password_hint(min_length) message=password_message value=password/>
            <FormField label="Repeat the password" name="password_confirm" input_type="password"
                autocomplete="new-password" message=confirm_message value=password_confirm/>
            <ErrorNotice error=general_error/>
            <ProofOfWork error form/>
            <button type="submit" disabled=move || register.pending().get()>
                {move || if register.pending().get() { "Creating account…" } else { "Create account" }}
            </button>
        </ActionForm>
    }
}
