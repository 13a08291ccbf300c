use std::time::Duration;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::{
    api::registration::{fetch_verification_status, ResendCode, Verify},
    components::{format_duration, use_countdown, use_interval, ErrorNotice, FormField},
    error::AppError,
    model::{CodeState, VerificationStatus},
    validate::Field,
};

#[component]
pub fn VerifyPage() -> impl IntoView {
    let verify = ServerAction::<Verify>::new();
    let resend = ServerAction::<ResendCode>::new();
    let status = Resource::new(
        move || (verify.version().get(), resend.version().get()),
        |_| fetch_verification_status(),
    );
    view! {
        <Title text="Verify your email"/>
        <h1>"Check your email"</h1>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || status.get().map(|result| match result {
                Ok(current) => view! { <VerifyCode current verify resend status/> }.into_any(),
                Err(error) => view! { <NothingToVerify error/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn VerifyCode(
    current: VerificationStatus,
    verify: ServerAction<Verify>,
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

    let state = current.code.clone();
    let body = move || {
        match &state {
        CodeState::Sending { delivery_failures: 0 } => view! {
            <p class="notice" role="status">
                "Your code is on its way to " <strong>{current.masked_email.clone()}</strong> ". "
                <a href="/verify">"Check again"</a>
            </p>
        }.into_any(),
        CodeState::Sending { .. } => view! {
            <p class="notice warning" role="status">
                "Sending your code to " <strong>{current.masked_email.clone()}</strong>
                " is delayed: our mail server is not answering right now. We keep trying, and this page updates when it has gone out. Your registration is saved. "
                <a href="/verify">"Check again"</a>
            </p>
        }.into_any(),
        CodeState::Sent { .. } if remaining.get() > 0 => view! {
            <p>"We sent a 6-digit code to " <strong>{current.masked_email.clone()}</strong> "."</p>
            <p class="countdown" role="timer" aria-live="off">
                "The code expires in " <strong data-testid="countdown">{move || format_duration(remaining.get())}</strong>
                " · " {attempts_left} " attempt(s) left"
            </p>
            <ActionForm action=verify attr:class="form" attr:novalidate=true>
                <FormField label="Verification code" name="code" inputmode="numeric" autocomplete="one-time-code"
                    maxlength="12" message=code_message/>
                <button type="submit" disabled=move || verify.pending().get()>"Verify"</button>
            </ActionForm>
        }.into_any(),
        CodeState::Sent { .. } | CodeState::Expired => view! {
            <p class="notice warning" role="alert" data-testid="expired">
                "Your code has expired. Request a new code, or start again."
            </p>
        }.into_any(),
        CodeState::Locked => view! {
            <p class="notice warning" role="alert">"Too many wrong attempts for this code. Request a new code, or start again."</p>
            <ErrorNotice error=verify_error/>
        }.into_any(),
    }
    };

    view! {
        {body}
        <div class="actions">
            <ActionForm action=resend>
                <button type="submit" class="secondary" disabled=move || { resend_wait.get() > 0 || resend.pending().get() }>
                    {move || match resend_wait.get() {
                        0 => "Send a new code".to_string(),
                        wait => format!("Send a new code (in {wait} s)"),
                    }}
                </button>
            </ActionForm>
            <A href="/register" attr:class="button link">"Start again"</A>
        </div>
        <Show when=resent>
            <p class="notice success" role="status">"A new code is on its way. It replaces the previous one."</p>
        </Show>
        <ErrorNotice error=resend_error/>
    }
}

#[component]
fn NothingToVerify(error: AppError) -> impl IntoView {
    view! {
        <p class="notice" role="status">{error.to_string()}</p>
        <div class="actions">
            <a class="button" href="/register">"Register"</a>
            <a class="button secondary" href="/login">"Sign in"</a>
        </div>
    }
}
