use std::time::Duration;

use leptos::prelude::*;

use crate::{
    api::email_code::{fetch_code_status, ResendCode, VerifyCode},
    components::{
        format_duration, use_countdown, use_form_error_from_url, use_interval, ErrorNotice, FormField,
    },
    error::AppError,
    model::{CodePurpose, CodeState, VerificationStatus},
    validate::Field,
};

/// The page part every emailed code shares, whatever it proves: where it went, a live countdown
/// of its lifetime (the server's, ticking in the browser), attempts left, the code field, a new
/// code after the cooldown, and "start again".
#[island(lazy)]
pub fn CodeEntry(purpose: CodePurpose) -> impl IntoView {
    use_form_error_from_url();
    let verify = ServerAction::<VerifyCode>::new();
    let resend = ServerAction::<ResendCode>::new();
    let status = Resource::new(
        move || (verify.version().get(), resend.version().get()),
        move |_| fetch_code_status(purpose.as_str().to_string()),
    );
    view! {
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || status.get().map(|result| match result {
                Ok(current) => view! { <CodeForm purpose current verify resend status/> }.into_any(),
                Err(error) => view! { <NothingToVerify purpose error/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn CodeForm(
    purpose: CodePurpose,
    current: VerificationStatus,
    verify: ServerAction<VerifyCode>,
    resend: ServerAction<ResendCode>,
    status: Resource<Result<VerificationStatus, AppError>>,
) -> impl IntoView {
    let (seconds_left, attempts_left) = match current.code {
        CodeState::Sent {
            seconds_left,
            attempts_left,
        } => (seconds_left, attempts_left),
        _ => (0, 0),
    };
    let remaining = use_countdown(seconds_left);
    let resend_wait = use_countdown(current.resend_in_secs);
    if matches!(current.code, CodeState::Sending { .. }) {
        // The mail is still queued: look again every few seconds until it has gone out.
        Effect::new(move |_| use_interval(Duration::from_secs(3), move || status.refetch()));
    }
    let verify_error = Signal::derive(move || verify.value().get().and_then(Result::err));
    let code_message = Signal::derive(move || match verify_error.get() {
        Some(AppError::Validation(_)) => verify_error
            .get()
            .and_then(|error| error.field_message(Field::Code)),
        Some(error) => Some(error.to_string()),
        None => None,
    });
    let resend_error = Signal::derive(move || resend.value().get().and_then(Result::err));
    let resent = move || matches!(resend.value().get(), Some(Ok(())));
    let destination = move || match &current.masked_email {
        Some(masked) => view! { <strong>{masked.clone()}</strong> }.into_any(),
        None => view! { "the address of that account, if there is one" }.into_any(),
    };
    let page = purpose.page();

    let state = current.code.clone();
    let body = move || {
        match &state {
        CodeState::Sending { delivery_failures: 0 } => view! {
            <p class="notice" role="status">
                "Your code is on its way to " {destination()} ". " <a href=page>"Check again"</a>
            </p>
        }
        .into_any(),
        CodeState::Sending { .. } => view! {
            <p class="notice warning" role="status">
                "Sending your code to " {destination()}
                " is delayed: our mail server is not answering right now. We keep trying, and this page updates when it has gone out. "
                <a href=page>"Check again"</a>
            </p>
        }
        .into_any(),
        CodeState::Sent { .. } if remaining.get() > 0 => view! {
            <p>"We sent a 6-digit code to " {destination()} "."</p>
            <p class="countdown" role="timer" aria-live="off">
                "The code expires in " <strong data-testid="countdown">{move || format_duration(remaining.get())}</strong>
                " · " {attempts_left} " attempt(s) left"
            </p>
            <ActionForm action=verify attr:class="form" attr:novalidate=true>
                <input type="hidden" name="purpose" value=purpose.as_str()/>
                <FormField label="Verification code" name="code" inputmode="numeric" autocomplete="one-time-code"
                    maxlength="12" message=code_message/>
                <button type="submit" disabled=move || verify.pending().get()>"Verify"</button>
            </ActionForm>
        }
        .into_any(),
        CodeState::Sent { .. } | CodeState::Expired => view! {
            <p class="notice warning" role="alert" data-testid="expired">
                "Your code has expired. Request a new code, or start again."
            </p>
        }
        .into_any(),
        CodeState::Locked => view! {
            <p class="notice warning" role="alert">"Too many wrong attempts for this code. Request a new code, or start again."</p>
            <ErrorNotice error=verify_error/>
        }
        .into_any(),
    }
    };

    view! {
        {body}
        <div class="actions">
            <ActionForm action=resend>
                <input type="hidden" name="purpose" value=purpose.as_str()/>
                <button type="submit" class="secondary" disabled=move || { resend_wait.get() > 0 || resend.pending().get() }>
                    {move || match resend_wait.get() {
                        0 => "Send a new code".to_string(),
                        wait => format!("Send a new code (in {wait} s)"),
                    }}
                </button>
            </ActionForm>
            <a href=purpose.start_page() class="button link">"Start again"</a>
        </div>
        <Show when=resent>
            <p class="notice success" role="status">"A new code is on its way. It replaces the previous one."</p>
        </Show>
        <ErrorNotice error=resend_error/>
    }
}

#[component]
fn NothingToVerify(purpose: CodePurpose, error: AppError) -> impl IntoView {
    view! {
        <p class="notice" role="status">{error.to_string()}</p>
        <div class="actions">
            <a class="button" href=purpose.start_page()>"Start again"</a>
            <a class="button secondary" href="/login">"Sign in"</a>
        </div>
    }
}
