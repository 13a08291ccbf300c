use std::time::Duration;

use leptos::prelude::*;

use crate::{
    api::email_code::{fetch_code_status, ResendCode, VerifyCode},
    components::{
        format_duration, use_countdown, use_form_error_from_url, use_interval, ErrorNotice, FormField,
    },
    error::AppError,
    i18n::{around, t, t_with},
    model::{CodePurpose, CodeState, VerificationStatus},
    validate::Field,
};

/// The page part every emailed code shares, whatever it proves: where it went, a live countdown
/// of its lifetime (the server's, ticking in the browser), attempts left, the code field, a new
/// code after the cooldown, and "start again".
#[island(lazy)]
pub fn CodeEntry(purpose: CodePurpose, words: CodeWords) -> impl IntoView {
    use_form_error_from_url();
    let verify = ServerAction::<VerifyCode>::new();
    let resend = ServerAction::<ResendCode>::new();
    let status = Resource::new(
        move || (verify.version().get(), resend.version().get()),
        move |_| fetch_code_status(purpose.as_str().to_string()),
    );
    let words = StoredValue::new(words);
    view! {
        <Transition fallback=move || view! { <p>{words.with_value(|words| words.loading.clone())}</p> }>
            {move || status.get().map(|result| match result {
                Ok(current) => view! { <CodeForm purpose current verify resend status words=words.get_value()/> }.into_any(),
                Err(error) => view! { <NothingToVerify purpose error words=words.get_value()/> }.into_any(),
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
    words: CodeWords,
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
    let unknown_destination = words.unknown_destination.clone();
    let destination = move || match &current.masked_email {
        Some(masked) => view! { <strong>{masked.clone()}</strong> }.into_any(),
        None => view! { {unknown_destination.clone()} }.into_any(),
    };
    let page = purpose.page();

    let state = current.code.clone();
    let CodeWords {
        on_its_way,
        on_its_way_end,
        delayed,
        delayed_end,
        sent,
        sent_end,
        expires_in,
        expires_in_end,
        attempts_left: attempts_template,
        check_again,
        code_label,
        verify: verify_label,
        expired,
        locked,
        send_new,
        send_new_in,
        start_again,
        resent: resent_text,
        ..
    } = words;
    let attempts = attempts_template.replace("{attempts}", &attempts_left.to_string());
    let body = move || match &state {
        CodeState::Sending { delivery_failures: 0 } => view! {
            <p class="notice" role="status">
                {on_its_way.clone()} {destination()} {on_its_way_end.clone()} " "
                <a href=page>{check_again.clone()}</a>
            </p>
        }
        .into_any(),
        CodeState::Sending { .. } => view! {
            <p class="notice warning" role="status">
                {delayed.clone()} {destination()} {delayed_end.clone()} " "
                <a href=page>{check_again.clone()}</a>
            </p>
        }
        .into_any(),
        CodeState::Sent { .. } if remaining.get() > 0 => {
            let (code_label, verify_label) = (code_label.clone(), verify_label.clone());
            view! {
            <p>{sent.clone()} {destination()} {sent_end.clone()}</p>
            <p class="countdown" role="timer" aria-live="off">
                {expires_in.clone()} <strong data-testid="countdown">{move || format_duration(remaining.get())}</strong>
                {expires_in_end.clone()} " · " {attempts.clone()}
            </p>
            <ActionForm action=verify attr:class="form" attr:novalidate=true>
                <input type="hidden" name="purpose" value=purpose.as_str()/>
                <FormField label=code_label name="code" inputmode="numeric" autocomplete="one-time-code"
                    maxlength="12" message=code_message/>
                <button type="submit" disabled=move || verify.pending().get()>{verify_label}</button>
            </ActionForm>
            }
            .into_any()
        }
        CodeState::Sent { .. } | CodeState::Expired => view! {
            <p class="notice warning" role="alert" data-testid="expired">{expired.clone()}</p>
        }
        .into_any(),
        CodeState::Locked => view! {
            <p class="notice warning" role="alert">{locked.clone()}</p>
            <ErrorNotice error=verify_error/>
        }
        .into_any(),
    };

    view! {
        {body}
        <div class="actions">
            <ActionForm action=resend>
                <input type="hidden" name="purpose" value=purpose.as_str()/>
                <button type="submit" class="secondary" disabled=move || { resend_wait.get() > 0 || resend.pending().get() }>
                    {move || match resend_wait.get() {
                        0 => send_new.clone(),
                        wait => send_new_in.replace("{wait}", &wait.to_string()),
                    }}
                </button>
            </ActionForm>
            <a href=purpose.start_page() class="button link">{start_again}</a>
        </div>
        <Show when=resent>
            <p class="notice success" role="status">{resent_text.clone()}</p>
        </Show>
        <ErrorNotice error=resend_error/>
    }
}

#[component]
fn NothingToVerify(purpose: CodePurpose, error: AppError, words: CodeWords) -> impl IntoView {
    view! {
        <p class="notice" role="status">{error.to_string()}</p>
        <div class="actions">
            <a class="button" href=purpose.start_page()>{words.start_again}</a>
            <a class="button secondary" href="/login">{words.sign_in}</a>
        </div>
    }
}

crate::island_words! {
    /// The code entry's words, in the reader's language. `{attempts}` and `{wait}` are filled in
    /// by the browser; each `_end` is what follows the address or the time in its sentence.
    pub struct CodeWords {
        loading,
        on_its_way,
        on_its_way_end,
        delayed,
        delayed_end,
        sent,
        sent_end,
        expires_in,
        expires_in_end,
        unknown_destination,
        attempts_left,
        check_again,
        code_label,
        verify,
        expired,
        locked,
        send_new,
        send_new_in,
        start_again,
        resent,
        sign_in,
    }
}

impl CodeWords {
    pub fn new() -> CodeWords {
        let (on_its_way, on_its_way_end) = around("code-on-its-way", "destination");
        let (delayed, delayed_end) = around("code-delayed", "destination");
        let (sent, sent_end) = around("code-sent", "destination");
        let (expires_in, expires_in_end) = around("code-expires-in", "time");
        CodeWords {
            loading: t("loading"),
            on_its_way,
            on_its_way_end,
            delayed,
            delayed_end,
            sent,
            sent_end,
            expires_in,
            expires_in_end,
            unknown_destination: t("code-unknown-destination"),
            attempts_left: t_with("code-attempts-left", &[("attempts", "{attempts}".into())]),
            check_again: t("code-check-again"),
            code_label: t("code-label"),
            verify: t("code-verify"),
            expired: t("code-expired"),
            locked: t("code-locked"),
            send_new: t("code-send-new"),
            send_new_in: t_with("code-send-new-in", &[("wait", "{wait}".into())]),
            start_again: t("start-again"),
            resent: t("code-resent"),
            sign_in: t("sign-in-link"),
        }
    }
}
