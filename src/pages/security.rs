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
    i18n::{date_time, t, t_with},
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
        <Title text=t("second-step-title")/>
        <h1>{t("second-step-title")}</h1>
        <QueryNotice notices=vec![
            ("turned_off", t("security-turned-off")),
            ("required", t("security-required")),
            ("passkey_added", t("security-passkey-added")),
            ("passkey_renamed", t("security-passkey-renamed")),
            ("passkey_removed", t("security-passkey-removed")),
        ]/>
        <p>{t("security-intro")}</p>
        <Transition fallback=|| view! { <p>{t("loading")}</p> }>
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
                    <p><a href="/login?next=/account/security">{t("security-sign-in-first")}</a></p>
                }
                .into_any(),
            })}
        </Transition>
        <p class="actions">
            <a class="button secondary" href="/account">{t("back-to-account")}</a>
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
                {t_with("security-on-since", &[("when", date_time(enabled_at).into())])} " "
                {t_with("security-codes-left", &[("left", status.recovery_codes_left.into())])}
            </p>
            <section aria-labelledby="renew-heading">
                <h2 id="renew-heading">{t("security-renew-heading")}</h2>
                <p>{t("security-renew-intro")}</p>
                <ActionForm action=renew attr:class="form" attr:novalidate=true>
                    <ProofFields
                        error=Signal::derive(move || renew.value().get().and_then(Result::err))
                        password_id="renew-password" code_id="renew-code" button=t("security-renew")/>
                </ActionForm>
            </section>
            {(!status.required).then(|| view! {
                <section aria-labelledby="disable-heading">
                    <h2 id="disable-heading">{t("security-disable")}</h2>
                    <p>{t("security-disable-intro")}</p>
                    <ActionForm action=disable attr:class="form" attr:novalidate=true>
                        <ProofFields
                            error=Signal::derive(move || disable.value().get().and_then(Result::err))
                            password_id="disable-password" code_id="disable-code" button=t("security-disable")
                            danger=true/>
                    </ActionForm>
                </section>
            })}
        }
        .into_any();
    }
    if !status.password_entered_recently {
        return view! {
            <p>{t("security-off-password-first")}</p>
            <PasswordFirst confirm id="confirm-password"/>
        }
        .into_any();
    }
    match status.setup {
        Some(setup) => view! { <Enrolment setup enable start/> }.into_any(),
        None => {
            let error = Signal::derive(move || start.value().get().and_then(Result::err));
            view! {
                <p>{t("security-off")}</p>
                <ActionForm action=start attr:class="form">
                    <ErrorNotice error/>
                    <button type="submit">{t("security-set-up")}</button>
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
            <FormField label=t("account-your-password") name="password" id=id input_type="password"
                autocomplete="current-password" message=field(Field::CurrentPassword)/>
            <ErrorNotice error=general/>
            <button type="submit">{t("account-continue")}</button>
        </ActionForm>
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
    view! {
        <section aria-labelledby="setup-heading">
            <h2 id="setup-heading">{t("security-setup-heading")}</h2>
            <ol class="steps">
                <li>
                    {t("security-scan")}
                    <div class="qr" role="img" aria-label=t("security-qr-label") inner_html=setup.qr_svg/>
                    <a href=setup.app_link data-testid="totp-app-link">{t("security-open-in-app")}</a>
                </li>
                <li>
                    {t("security-type-key")}
                    <code class="secret" data-testid="totp-secret">{setup.grouped_secret}</code>
                </li>
                <li>{t("security-enter-code")}</li>
            </ol>
            <ActionForm action=enable attr:class="form" attr:novalidate=true>
                <FormField label=t("security-code-label") name="code" id="enrol-code" inputmode="numeric"
                    autocomplete="one-time-code" maxlength="16" hint=t("security-code-hint") message=field(Field::Code)/>
                <ErrorNotice error=general/>
                <button type="submit">{t("security-enable")}</button>
            </ActionForm>
            <ActionForm action=start attr:class="inline">
                <button type="submit" class="link">{t("security-new-key")}</button>
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
            <h2 id="codes-heading">{t("security-codes-heading")}</h2>
            <p class="notice success" role="status">{t("security-on")}</p>
            <p>{t("security-codes-intro")}</p>
            <ul class="recovery-codes" data-testid="recovery-codes">
                {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
            </ul>
            <p class="actions">
                <CopyButton text copy=t("security-copy") copied=t("security-copied")/>
                <a class="button secondary" href="/account/security/recovery-codes.txt" download="">{t("security-download")}</a>
            </p>
            <ActionForm action=saved attr:class="form">
                <button type="submit">{t("security-saved")}</button>
            </ActionForm>
        </section>
    }
}

/// Copies `text` to the clipboard; only there once the page runs JavaScript.
#[island(lazy)]
fn CopyButton(text: String, copy: String, copied: String) -> impl IntoView {
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let labels = StoredValue::new((copy, copied));
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
                {move || labels.with_value(|(copy, copied_label)| match copied.get() {
                    true => copied_label.clone(),
                    false => copy.clone(),
                })}
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
    #[prop(into)] button: String,
    #[prop(optional)] danger: bool,
) -> impl IntoView {
    let (field, general) = split_errors(error);
    view! {
        <FormField label=t("account-your-password") name="password" id=password_id input_type="password"
            autocomplete="current-password" message=field(Field::CurrentPassword)/>
        <FormField label=t("security-proof-code") name="code" id=code_id
            autocomplete="one-time-code" maxlength="64" message=field(Field::Code)/>
        <ErrorNotice error=general/>
        <button type="submit" class:danger=danger>{button}</button>
    }
}
