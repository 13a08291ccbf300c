use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::{
        account::ConfirmPassword,
        two_factor::{
            fetch_two_factor, DisableTwoFactor, EnableTwoFactor, NewRecoveryCodes, RecoveryCodesSaved,
            StartTwoFactor,
        },
    },
    components::{split_errors, ErrorNotice, FormField, QueryNotice},
    error::AppError,
    i18n::date_time,
    model::{TotpSetup, TwoFactorStatus},
    pages::passkeys::PasskeySection,
    validate::Field,
};

/// `/account/security`: two-factor sign-in with an authenticator app, and recovery codes.
#[component]
pub fn SecurityPage() -> impl IntoView {
    let confirm = ServerAction::<ConfirmPassword>::new();
    let start = ServerAction::<StartTwoFactor>::new();
    let enable = ServerAction::<EnableTwoFactor>::new();
    let saved = ServerAction::<RecoveryCodesSaved>::new();
    let renew = ServerAction::<NewRecoveryCodes>::new();
    let disable = ServerAction::<DisableTwoFactor>::new();
    let status = Resource::new(|| (), |_| fetch_two_factor());
    view! {
        <Title text="Two-factor sign-in"/>
        <h1>"Two-factor sign-in"</h1>
        <QueryNotice notices=vec![
            ("turned_off", "Two-factor sign-in is off. We mailed you a notice.".into()),
            ("required", "This site requires two-factor sign-in for every account. Set it up to continue.".into()),
            ("passkey_added", "Your passkey is added. We mailed you a notice.".into()),
            ("passkey_renamed", "Your passkey is renamed. We mailed you a notice.".into()),
            ("passkey_removed", "Your passkey is removed. We mailed you a notice.".into()),
        ]/>
        <p>
            "With two-factor on, signing in asks for your password and a code from an authenticator app on "
            "your phone (any app that reads QR codes for sign-in, such as Aegis, Google Authenticator, "
            "Microsoft Authenticator or 1Password)."
        </p>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || status.get().map(|result| match result {
                Ok(status) => {
                    let password_entered_recently = status.password_entered_recently;
                    view! {
                        <TwoFactorSections status confirm start enable saved renew disable/>
                        <PasskeySection password_entered_recently/>
                    }
                    .into_any()
                }
                Err(_) => view! {
                    <p>"Please " <a href="/login?next=/account/security">"sign in"</a> " to manage two-factor sign-in."</p>
                }
                .into_any(),
            })}
        </Transition>
        <p class="actions">
            <a class="button secondary" href="/account">"Back to your account"</a>
        </p>
    }
}

#[component]
fn TwoFactorSections(
    status: TwoFactorStatus,
    confirm: ServerAction<ConfirmPassword>,
    start: ServerAction<StartTwoFactor>,
    enable: ServerAction<EnableTwoFactor>,
    saved: ServerAction<RecoveryCodesSaved>,
    renew: ServerAction<NewRecoveryCodes>,
    disable: ServerAction<DisableTwoFactor>,
) -> impl IntoView {
    if !status.new_recovery_codes.is_empty() {
        return view! { <NewRecoveryCodesShown codes=status.new_recovery_codes saved/> }.into_any();
    }
    if let Some(enabled_at) = status.enabled_at {
        return view! {
            <p class="notice success" role="status">
                "Two-factor sign-in is on (since " {date_time(enabled_at)} "). "
                {recovery_codes_left_sentence(status.recovery_codes_left)}
            </p>
            <section aria-labelledby="renew-heading">
                <h2 id="renew-heading">"New recovery codes"</h2>
                <p>"A new set of ten codes replaces the old set: the old codes stop working."</p>
                <ActionForm action=renew attr:class="form" attr:novalidate=true>
                    <ProofFields
                        error=Signal::derive(move || renew.value().get().and_then(Result::err))
                        password_id="renew-password" code_id="renew-code" button="Make new recovery codes"/>
                </ActionForm>
            </section>
            {(!status.required).then(|| view! {
                <section aria-labelledby="disable-heading">
                    <h2 id="disable-heading">"Turn two-factor off"</h2>
                    <p>"Signing in will ask for your password only."</p>
                    <ActionForm action=disable attr:class="form" attr:novalidate=true>
                        <ProofFields
                            error=Signal::derive(move || disable.value().get().and_then(Result::err))
                            password_id="disable-password" code_id="disable-code" button="Turn two-factor off"
                            danger=true/>
                    </ActionForm>
                </section>
            })}
        }
        .into_any();
    }
    if !status.password_entered_recently {
        return view! {
            <p>"Two-factor sign-in is off. For your safety, enter your password to set it up."</p>
            <PasswordFirst confirm id="confirm-password"/>
        }
        .into_any();
    }
    match status.setup {
        Some(setup) => view! { <Enrolment setup enable start/> }.into_any(),
        None => {
            let error = Signal::derive(move || start.value().get().and_then(Result::err));
            view! {
                <p>"Two-factor sign-in is off."</p>
                <ActionForm action=start attr:class="form">
                    <ErrorNotice error/>
                    <button type="submit">"Set up two-factor sign-in"</button>
                </ActionForm>
            }
            .into_any()
        }
    }
}

/// The password, entered again on this device, before a change of the account's second factors.
#[component]
pub(super) fn PasswordFirst(confirm: ServerAction<ConfirmPassword>, id: &'static str) -> impl IntoView {
    let (field, general) = split_errors(Signal::derive(move || {
        confirm.value().get().and_then(Result::err)
    }));
    view! {
        <ActionForm action=confirm attr:class="form" attr:novalidate=true>
            <input type="hidden" name="next" value="/account/security"/>
            <FormField label="Your password" name="password" id=id input_type="password"
                autocomplete="current-password" message=field(Field::CurrentPassword)/>
            <ErrorNotice error=general/>
            <button type="submit">"Continue"</button>
        </ActionForm>
    }
}

fn recovery_codes_left_sentence(left: i64) -> String {
    match left {
        0 => "No recovery codes are left: make a new set now.".into(),
        1 => "1 recovery code is left.".into(),
        n => format!("{n} recovery codes are left."),
    }
}

/// The secret to put into the app (QR code or typed), then its first code turns two-factor on.
#[component]
fn Enrolment(
    setup: TotpSetup,
    enable: ServerAction<EnableTwoFactor>,
    start: ServerAction<StartTwoFactor>,
) -> impl IntoView {
    let (field, general) = split_errors(Signal::derive(move || enable.value().get().and_then(Result::err)));
    let hint: &'static str = "6 digits. The code changes every 30 seconds.";
    view! {
        <section aria-labelledby="setup-heading">
            <h2 id="setup-heading">"Set up your authenticator app"</h2>
            <ol class="steps">
                <li>
                    "Scan this QR code with the app:"
                    <div class="qr" role="img" aria-label="QR code for your authenticator app" inner_html=setup.qr_svg/>
                    <a href=setup.app_link data-testid="totp-app-link">"Or open it in the authenticator app on this device"</a>
                </li>
                <li>
                    "Or, if you cannot scan it, add an account by hand with this key (time-based):"
                    <code class="secret" data-testid="totp-secret">{setup.grouped_secret}</code>
                </li>
                <li>"Enter the code the app shows now:"</li>
            </ol>
            <ActionForm action=enable attr:class="form" attr:novalidate=true>
                <FormField label="Code from the app" name="code" id="enrol-code" inputmode="numeric"
                    autocomplete="one-time-code" maxlength="16" hint=hint message=field(Field::Code)/>
                <ErrorNotice error=general/>
                <button type="submit">"Turn two-factor on"</button>
            </ActionForm>
            <ActionForm action=start attr:class="inline">
                <button type="submit" class="link">"Start over with a new key"</button>
            </ActionForm>
        </section>
    }
}

/// The recovery codes, shown once: to copy, to download, to write down.
#[component]
fn NewRecoveryCodesShown(codes: Vec<String>, saved: ServerAction<RecoveryCodesSaved>) -> impl IntoView {
    let text = codes.join("\n");
    view! {
        <section aria-labelledby="codes-heading">
            <h2 id="codes-heading">"Your recovery codes"</h2>
            <p class="notice success" role="status">"Two-factor sign-in is on."</p>
            <p>
                "If you lose your phone or your passkeys, each of these codes signs you in once in their place. "
                "Keep them somewhere safe, away from your devices. They are shown only now."
            </p>
            <ul class="recovery-codes" data-testid="recovery-codes">
                {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
            </ul>
            <p class="actions">
                <CopyButton text/>
                <a class="button secondary" href="/account/security/recovery-codes.txt" download="">"Download the codes"</a>
            </p>
            <ActionForm action=saved attr:class="form">
                <button type="submit">"I have saved my recovery codes"</button>
            </ActionForm>
        </section>
    }
}

/// Copies `text` to the clipboard; only there once the page runs JavaScript.
#[island(lazy)]
fn CopyButton(text: String) -> impl IntoView {
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let copied = RwSignal::new(false);
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            // The promise is not awaited: the browser shows nothing if it refuses, and the codes
            // stay on the page to copy by hand.
            let _ = window.navigator().clipboard().write_text(&text);
            copied.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &text;
    };
    view! {
        <Show when=move || ready.get()>
            <button type="button" class="secondary" on:click=copy.clone()>
                {move || if copied.get() { "Copied" } else { "Copy the codes" }}
            </button>
        </Show>
    }
}

/// The proof a change of two-factor needs: the password and a current code (or a recovery code).
#[component]
fn ProofFields(
    error: Signal<Option<AppError>>,
    password_id: &'static str,
    code_id: &'static str,
    button: &'static str,
    #[prop(optional)] danger: bool,
) -> impl IntoView {
    let (field, general) = split_errors(error);
    view! {
        <FormField label="Your password" name="password" id=password_id input_type="password"
            autocomplete="current-password" message=field(Field::CurrentPassword)/>
        <FormField label="Code from your app, or a recovery code" name="code" id=code_id
            autocomplete="one-time-code" maxlength="64" message=field(Field::Code)/>
        <ErrorNotice error=general/>
        <button type="submit" class:danger=danger>{button}</button>
    }
}
