use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::recovery::{recovery_ready, ResetPassword, StartRecovery},
    components::{new_password_hint, CodeEntry, CodeWords, ErrorNotice, FormField},
    error::AppError,
    i18n::t,
    model::CodePurpose,
    validate::Field,
};

/// "Forgot your password?": a username or an address, and a code goes to the account's address.
#[component]
pub fn RecoverPage() -> impl IntoView {
    let start = ServerAction::<StartRecovery>::new();
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    let field_message = Signal::derive(move || {
        error
            .get()
            .and_then(|error| error.field_message(Field::Identifier))
    });
    let general_error = Signal::derive(move || {
        error
            .get()
            .filter(|error| !matches!(error, AppError::Validation(_)))
    });
    let query = use_query_map();
    let link_expired = move || query.read().get("link_expired").is_some();
    view! {
        <Title text=t("recover-title")/>
        <h1>{t("recover-title")}</h1>
        <Show when=link_expired>
            <p class="notice" role="status">{t("recover-link-expired")}</p>
        </Show>
        <p>{t("recover-intro")}</p>
        <ActionForm action=start attr:class="form" attr:novalidate=true>
            <FormField label=t("sign-in-identifier") name="identifier" autocomplete="username" maxlength="254"
                message=field_message/>
            <ErrorNotice error=general_error/>
            <button type="submit">{t("recover-send")}</button>
        </ActionForm>
        <p><a href="/login">{t("recover-back")}</a></p>
    }
}

#[component]
pub fn RecoverVerifyPage() -> impl IntoView {
    view! {
        <Title text=t("recover-title")/>
        <h1>{t("verify-heading")}</h1>
        <CodeEntry purpose=CodePurpose::Recovery words=CodeWords::new()/>
    }
}

/// The last step of a recovery: a new password (the registration rules, not the current one).
#[component]
pub fn NewPasswordPage() -> impl IntoView {
    let reset = ServerAction::<ResetPassword>::new();
    let ready = Resource::new(|| (), |_| recovery_ready());
    let password_hint = new_password_hint();
    let error = Signal::derive(move || reset.value().get().and_then(Result::err));
    let field_message =
        move |field| Signal::derive(move || error.get().and_then(|error| error.field_message(field)));
    let general_error = Signal::derive(move || {
        error
            .get()
            .filter(|error| !matches!(error, AppError::Validation(_)))
    });
    view! {
        <Title text=t("new-password-title")/>
        <h1>{t("new-password-title")}</h1>
        <Transition fallback=|| view! { <p>{t("loading")}</p> }>
            {move || ready.get().map(|ready| match ready {
                Ok(true) => view! {
                    <ActionForm action=reset attr:class="form" attr:novalidate=true>
                        <FormField label=t("new-password") name="password" input_type="password" autocomplete="new-password"
                            hint=password_hint() message=field_message(Field::Password)/>
                        <FormField label=t("new-password-repeat") name="password_confirm" input_type="password"
                            autocomplete="new-password" message=field_message(Field::PasswordConfirm)/>
                        <ErrorNotice error=general_error/>
                        <button type="submit">{t("new-password-set")}</button>
                    </ActionForm>
                }
                .into_any(),
                _ => view! {
                    <p class="notice" role="status">{t("new-password-nothing")}</p>
                    <div class="actions"><a class="button" href="/recover">{t("start-again")}</a></div>
                }
                .into_any(),
            })}
        </Transition>
    }
}
