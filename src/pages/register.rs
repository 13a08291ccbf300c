use leptos::{html, prelude::*};
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use serde::{Deserialize, Serialize};

use crate::{
    api::registration::{fetch_registration_policy, Register, RegistrationPolicy},
    components::{
        error_beside_proof_of_work, password_hint, use_form_error_from_url, ErrorNotice, FormField,
        ProofOfWork, TermsBox,
    },
    error::AppError,
    i18n::t,
    validate::{self, Field, Problem, ProblemWords},
};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let invitation = use_query_map().read_untracked().get("invitation");
    let policy = Resource::new(move || invitation.clone(), fetch_registration_policy);
    view! {
        <Title text=t("register-title")/>
        <h1>{t("register-heading")}</h1>
        <Suspense fallback=|| ()>
            {move || policy.get().map(|policy| match policy {
                Ok(policy) => registration(policy),
                Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
            })}
        </Suspense>
        <p>{t("register-have-account")} " " <A href="/login">{t("sign-in-link")}</A></p>
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
            let words = RegisterWords::new(min_length, true);
            view! {
                <p>{t("register-invited")}</p>
                {fixed(invitation)}
                <RegisterForm min_length invited_email=Some(invited.email) words/>
            }
            .into_any()
        }
        (Some(Err(error)), _) => closed(error.to_string()),
        (None, "closed") => closed(AppError::RegistrationClosed.to_string()),
        (None, "invite") => closed(AppError::InvitationRequired.to_string()),
        (None, _) => {
            let words = RegisterWords::new(min_length, false);
            view! { {fixed(None)} <RegisterForm min_length invited_email=None words/> }.into_any()
        }
    }
}

/// The register form's words, in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterWords {
    username: String,
    username_hint: String,
    email: String,
    email_hint: String,
    password: String,
    password_hint: String,
    repeat: String,
    create: String,
    creating: String,
    checking: String,
    problems: ProblemWords,
}

impl RegisterWords {
    fn new(min_length: usize, invited: bool) -> RegisterWords {
        RegisterWords {
            username: t("account-username"),
            username_hint: t("register-username-hint"),
            email: t("register-email"),
            email_hint: match invited {
                true => t("register-email-invited"),
                false => t("register-email-hint"),
            },
            password: t("register-password"),
            password_hint: password_hint(min_length),
            repeat: t("register-repeat"),
            create: t("register-create"),
            creating: t("register-creating"),
            checking: t("proof-of-work-checking"),
            problems: ProblemWords::of(&[
                Problem::UsernameLength {
                    min: 0,
                    max: 0,
                    length: 0,
                },
                Problem::UsernameCharacters,
                Problem::UsernameReserved,
                Problem::EmailMissing,
                Problem::TooLong { max: 0 },
                Problem::EmailInvalid,
                Problem::PasswordTooShort { min: 0, length: 0 },
                Problem::PasswordTooLong { max: 0, length: 0 },
                Problem::PasswordPredictable,
                Problem::PasswordHasUsername,
                Problem::PasswordHasEmail,
                Problem::PasswordsDiffer,
            ]),
        }
    }
}

/// The form, checked as the user types against the rules the server applies.
#[island(lazy)]
fn RegisterForm(
    min_length: usize,
    /// From an invitation link: the address, fixed.
    invited_email: Option<String>,
    words: RegisterWords,
) -> impl IntoView {
    use_form_error_from_url();
    let register = ServerAction::<Register>::new();
    let username = RwSignal::new(String::new());
    let invited = invited_email.is_some();
    let email = RwSignal::new(invited_email.unwrap_or_default());
    let password = RwSignal::new(String::new());
    let password_confirm = RwSignal::new(String::new());
    let problems = StoredValue::new(words.problems);

    let error = Signal::derive(move || register.value().get().and_then(Result::err));
    // A rule broken by what is typed now wins; otherwise show the server's last word on the field.
    let message = move |field: Field,
                        typed: RwSignal<String>,
                        rule: fn(&str, usize, &[String; 4]) -> Result<(), Problem>| {
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
                .flatten()
                .map(|problem| problems.with_value(|problems| problems.sentence(problem)));
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
    let (create, creating) = (words.create, words.creating);

    view! {
        <ActionForm action=register node_ref=form attr:id="register-form" attr:class="form" attr:novalidate=true>
            <FormField label=words.username name="username" autocomplete="username" maxlength="32"
                hint=words.username_hint message=username_message value=username/>
            <FormField label=words.email name="email" input_type="email" autocomplete="email"
                maxlength="254" hint=words.email_hint message=email_message value=email initial=email.get_untracked()
                readonly=invited/>
            <FormField label=words.password name="password" input_type="password" autocomplete="new-password"
                hint=words.password_hint message=password_message value=password/>
            <FormField label=words.repeat name="password_confirm" input_type="password"
                autocomplete="new-password" message=confirm_message value=password_confirm/>
            <ErrorNotice error=general_error/>
            <ProofOfWork error form checking=words.checking/>
            <button type="submit" disabled=move || register.pending().get()>
                {move || if register.pending().get() { creating.clone() } else { create.clone() }}
            </button>
        </ActionForm>
    }
}
