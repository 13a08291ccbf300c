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
    i18n::t,
    validate::{self, Field, Problem},
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

crate::island_words! {
    /// The register form's words, in the reader's language, with the sentences of the rules it
    /// checks as the user types (the typed length left as `{length}`).
    pub struct RegisterWords {
        username,
        username_hint,
        email,
        email_hint,
        password,
        password_hint,
        repeat,
        create,
        creating,
        checking,
        username_length,
        username_characters,
        username_reserved,
        email_too_long,
        email_invalid,
        password_too_short,
        password_too_long,
        password_predictable,
        password_has_username,
        password_has_email,
        passwords_differ,
    }
}

impl RegisterWords {
    fn new(min_length: usize, invited: bool) -> RegisterWords {
        let rule = |problem: Problem| problem.template();
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
            username_length: rule(Problem::UsernameLength {
                min: validate::USERNAME_MIN,
                max: validate::USERNAME_MAX,
                length: 0,
            }),
            username_characters: rule(Problem::UsernameCharacters),
            username_reserved: rule(Problem::UsernameReserved),
            email_too_long: rule(Problem::TooLong {
                max: validate::EMAIL_MAX,
            }),
            email_invalid: rule(Problem::EmailInvalid),
            password_too_short: rule(Problem::PasswordTooShort {
                min: min_length,
                length: 0,
            }),
            password_too_long: rule(Problem::PasswordTooLong {
                max: validate::PASSWORD_MAX,
                length: 0,
            }),
            password_predictable: rule(Problem::PasswordPredictable),
            password_has_username: rule(Problem::PasswordHasUsername),
            password_has_email: rule(Problem::PasswordHasEmail),
            passwords_differ: rule(Problem::PasswordsDiffer),
        }
    }

    /// The sentence for a rule the browser checks, its typed length filled in; the rarer ones
    /// (a password over 1 KiB) are left to the server's answer.
    fn problem(&self, problem: Problem) -> String {
        let (template, length) = match problem {
            Problem::UsernameLength { length, .. } => (&self.username_length, length),
            Problem::PasswordTooShort { length, .. } => (&self.password_too_short, length),
            Problem::PasswordTooLong { length, .. } => (&self.password_too_long, length),
            Problem::UsernameCharacters => (&self.username_characters, 0),
            Problem::UsernameReserved => (&self.username_reserved, 0),
            Problem::TooLong {
                max: validate::EMAIL_MAX,
            } => (&self.email_too_long, 0),
            Problem::EmailInvalid => (&self.email_invalid, 0),
            Problem::PasswordPredictable => (&self.password_predictable, 0),
            Problem::PasswordHasUsername => (&self.password_has_username, 0),
            Problem::PasswordHasEmail => (&self.password_has_email, 0),
            Problem::PasswordsDiffer => (&self.passwords_differ, 0),
            _ => return String::new(),
        };
        template.replace("{length}", &length.to_string())
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
    let rules = StoredValue::new(words.clone());

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
                .map(|problem| rules.with_value(|rules| rules.problem(problem)));
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
