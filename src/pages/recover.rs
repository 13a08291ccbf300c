use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::recovery::{recovery_ready, ResetPassword, StartRecovery},
    components::{new_password_hint, CodeEntry, ErrorNotice, FormField},
    error::AppError,
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
        <Title text="Reset your password"/>
        <h1>"Reset your password"</h1>
        <Show when=link_expired>
            <p class="notice" role="status">"That link no longer works: its code expired or a newer one replaced it. Start again here."</p>
        </Show>
        <p>"Enter your username or your email address. We send a code to the account's address; with it you choose a new password."</p>
        <ActionForm action=start attr:class="form" attr:novalidate=true>
            <FormField label="Username or email" name="identifier" autocomplete="username" maxlength="254"
                message=field_message/>
            <ErrorNotice error=general_error/>
            <button type="submit">"Send a code"</button>
        </ActionForm>
        <p><a href="/login">"Back to sign in"</a></p>
    }
}

#[component]
pub fn RecoverVerifyPage() -> impl IntoView {
    view! {
        <Title text="Reset your password"/>
        <h1>"Check your email"</h1>
        <CodeEntry purpose=CodePurpose::Recovery/>
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
        <Title text="Choose a new password"/>
        <h1>"Choose a new password"</h1>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || ready.get().map(|ready| match ready {
                Ok(true) => view! {
                    <ActionForm action=reset attr:class="form" attr:novalidate=true>
                        <FormField label="New password" name="password" input_type="password" autocomplete="new-password"
                            hint=password_hint() message=field_message(Field::Password)/>
                        <FormField label="Repeat the new password" name="password_confirm" input_type="password"
                            autocomplete="new-password" message=field_message(Field::PasswordConfirm)/>
                        <ErrorNotice error=general_error/>
                        <button type="submit">"Set the new password"</button>
                    </ActionForm>
                }
                .into_any(),
                _ => view! {
                    <p class="notice" role="status">
                        "This browser has no password reset waiting for a new password: it was finished, or it "
                        "expired (you have ten minutes after entering the code)."
                    </p>
                    <div class="actions"><a class="button" href="/recover">"Start again"</a></div>
                }
                .into_any(),
            })}
        </Transition>
    }
}
