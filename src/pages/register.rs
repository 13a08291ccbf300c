use leptos::{html, prelude::*};
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::registration::{fetch_registration_policy, Register, RegistrationPolicy},
    components::{
        error_beside_proof_of_work, password_hint, use_form_error_from_url, ErrorNotice, FormField,
        ProofOfWork, TermsBox,
    },
    error::AppError,
    validate::{self, Field},
};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let invitation = use_query_map().read_untracked().get("invitation");
    let policy = Resource::new(move || invitation.clone(), fetch_registration_policy);
    view! {
        <Title text="Register"/>
        <h1>"Create your account"</h1>
        <Suspense fallback=|| ()>
            {move || policy.get().map(|policy| match policy {
                Ok(policy) => registration(policy),
                Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
            })}
        </Suspense>
        <p>"Already have an account? " <A href="/login">"Sign in"</A></p>
    }
}

/// The form, or why there is none: a link that does not work, or a site closed to registrations
/// without an invitation.
fn registration(policy: RegistrationPolicy) -> AnyView {
    let min_length = policy.min_length;
    // The tick-box and the link's token stand outside the island's form (`form="register-form"`):
    // elements inside it would cost the first visit several KB of WASM.
    let fixed = move |invitation: Option<String>| {
        let terms = policy
            .terms
            .map(|terms| view! { <TermsBox url=terms.url form="register-form"/> });
        view! {
            <input type="hidden" name="invitation" form="register-form" value=invitation/>
            {terms}
        }
    };
    let closed = |sentence: String| view! { <p class="notice" role="status">{sentence}</p> }.into_any();
    match (policy.invitation, policy.mode.as_str()) {
        (Some(Ok(invited)), _) => {
            let invitation = use_query_map().read_untracked().get("invitation");
            view! {
                <p>"You were invited: choose a username and a password. The link proved your address, so no code is needed."</p>
                {fixed(invitation)}
                <RegisterForm min_length invited_email=Some(invited.email)/>
            }
            .into_any()
        }
        (Some(Err(error)), _) => closed(error.to_string()),
        (None, "closed") => closed(AppError::RegistrationClosed.to_string()),
        (None, "invite") => closed(AppError::InvitationRequired.to_string()),
        (None, _) => view! { {fixed(None)} <RegisterForm min_length invited_email=None/> }.into_any(),
    }
}

/// The form, checked as the user types against the rules the server applies.
#[island(lazy)]
fn RegisterForm(
    min_length: usize,
    /// From an invitation link: the address, fixed.
    invited_email: Option<String>,
) -> impl IntoView {
    use_form_error_from_url();
    let register = ServerAction::<Register>::new();
    let username = RwSignal::new(String::new());
    let invited = invited_email.is_some();
    let email_hint = match invited {
        true => "The invitation is for this address.",
        false => "We send a 6-digit code to this address.",
    };
    let email = RwSignal::new(invited_email.unwrap_or_default());
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
        validate::password(value, &all[0], &all[1], "", min)
    });
    let confirm_message = message(Field::PasswordConfirm, password_confirm, |value, _, all| {
        validate::passwords_match(&all[2], value)
    });
    let general_error = error_beside_proof_of_work(error);
    let form = NodeRef::<html::Form>::new();

    view! {
        <ActionForm action=register node_ref=form attr:id="register-form" attr:class="form" attr:novalidate=true>
            <FormField label="Username" name="username" autocomplete="username" maxlength="32"
                hint="3 to 32 characters: letters a–z, digits, dots, underscores, hyphens."
                message=username_message value=username/>
            <FormField label="Email address" name="email" input_type="email" autocomplete="email"
                maxlength="254" hint=email_hint message=email_message value=email initial=email.get_untracked()
                readonly=invited/>
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
