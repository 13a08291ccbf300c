use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::{
        account::{fetch_account_settings, ChangeEmail, ChangePassword, ConfirmPassword, DeleteAccount},
        oidc::{fetch_allowed_apps, WithdrawApp},
    },
    components::{new_password_hint, split_errors, ErrorNotice, FormField, QueryNotice},
    i18n::{self, around, t, t_with, Language},
    model::AccountSettings,
    validate::Field,
};

/// Where people manage themselves: password, address, a copy of their data, deleting it all.
#[component]
pub fn AccountPage() -> impl IntoView {
    let confirm = ServerAction::<ConfirmPassword>::new();
    let settings = Resource::new(|| (), |_| fetch_account_settings());
    view! {
        <Title text=t("account-title")/>
        <h1>{t("account-title")}</h1>
        <QueryNotice notices=vec![
            ("password_changed", t("account-password-changed")),
            ("email_changed", t("account-email-changed")),
            ("app_withdrawn", t("account-app-withdrawn")),
        ]/>
        <Suspense fallback=|| view! { <p>{t("account-loading")}</p> }>
            {move || settings.get().map(|result| match result {
                Ok(settings) => view! { <AccountSections settings confirm/> }.into_any(),
                Err(_) => view! {
                    <p><a href="/login?next=/account">{t("account-sign-in-first")}</a></p>
                }
                .into_any(),
            })}
        </Suspense>
    }
}

/// The account's language, for its pages and its mails (the switch at the top saves it too). A
/// plain form, like the switch.
#[component]
fn LanguageSection() -> impl IntoView {
    let current = i18n::language();
    let options = Language::ALL
        .into_iter()
        .map(|language| {
            view! {
                <option value=language.code() lang=language.code() selected=language == current>
                    {language.own_name()}
                </option>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="language-heading">
            <h2 id="language-heading">{t("account-language-heading")}</h2>
            <form method="post" action="/language" class="form">
                <input type="hidden" name="next" value="/account"/>
                <div class="field">
                    <label for="language">{t("account-language-label")}</label>
                    <select id="language" name="language">{options}</select>
                </div>
                <button type="submit">{t("account-language-save")}</button>
            </form>
        </section>
    }
}

#[component]
fn AccountSections(settings: AccountSettings, confirm: ServerAction<ConfirmPassword>) -> impl IntoView {
    view! {
        <dl class="account">
            <dt>{t("account-username")}</dt>
            <dd>{settings.username.clone()}</dd>
            <dt>{t("account-email")}</dt>
            <dd>{settings.email.clone()}</dd>
        </dl>
        <p class="actions">
            <a class="button secondary" href="/dashboard">{t("account-back-to-dashboard")}</a>
            <a class="button secondary" href="/account/security">{t("second-step-title")}</a>
            <a class="button secondary" href="/account/export" download="">{t("account-download")}</a>
        </p>
        <ChangePasswordSection/>
        <ChangeEmailSection recent=settings.password_entered_recently confirm/>
        <LanguageSection/>
        <AllowedAppsSection/>
        <DeleteSection username=settings.username/>
    }
}

#[component]
fn ChangePasswordSection() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let (field, general) = split_errors(Signal::derive(move || change.value().get().and_then(Result::err)));
    let password_hint = new_password_hint();
    view! {
        <section aria-labelledby="password-heading">
            <h2 id="password-heading">{t("account-password-heading")}</h2>
            <ActionForm action=change attr:class="form" attr:novalidate=true>
                <FormField label=t("account-current-password") name="current_password" id="current-password" input_type="password"
                    autocomplete="current-password" message=field(Field::CurrentPassword)/>
                <Transition fallback=|| ()>
                    {move || view! {
                        <FormField label=t("new-password") name="password" id="new-password" input_type="password" autocomplete="new-password"
                            hint=password_hint() message=field(Field::Password)/>
                    }}
                </Transition>
                <FormField label=t("new-password-repeat") name="password_confirm" id="new-password-confirm" input_type="password"
                    autocomplete="new-password" message=field(Field::PasswordConfirm)/>
                <ErrorNotice error=general/>
                <button type="submit">{t("account-change-password")}</button>
            </ActionForm>
        </section>
    }
}

/// Changing the address needs the password entered on this device in the last minutes; when it is
/// older, this section asks for it first.
#[component]
fn ChangeEmailSection(recent: bool, confirm: ServerAction<ConfirmPassword>) -> impl IntoView {
    let change = ServerAction::<ChangeEmail>::new();
    let (field, general) = split_errors(Signal::derive(move || change.value().get().and_then(Result::err)));
    let (confirm_field, confirm_general) = split_errors(Signal::derive(move || {
        confirm.value().get().and_then(Result::err)
    }));
    view! {
        <section aria-labelledby="email-heading">
            <h2 id="email-heading">{t("account-email-heading")}</h2>
            {if recent {
                view! {
                    <p>{t("account-email-intro")}</p>
                    <ActionForm action=change attr:class="form" attr:novalidate=true>
                        <FormField label=t("account-new-email") name="email" id="new-email" input_type="email" autocomplete="email"
                            maxlength="254" message=field(Field::Email)/>
                        <ErrorNotice error=general/>
                        <button type="submit">{t("recover-send")}</button>
                    </ActionForm>
                }
                .into_any()
            } else {
                view! {
                    <p>{t("account-password-first")}</p>
                    <ActionForm action=confirm attr:class="form" attr:novalidate=true>
                        <FormField label=t("account-your-password") name="password" id="confirm-password" input_type="password"
                            autocomplete="current-password" message=confirm_field(Field::CurrentPassword)/>
                        <ErrorNotice error=confirm_general/>
                        <button type="submit">{t("account-continue")}</button>
                    </ActionForm>
                }
                .into_any()
            }}
        </section>
    }
}

/// The apps that sign the user in with this account ("Sign in with Gatehouse").
#[component]
fn AllowedAppsSection() -> impl IntoView {
    let apps = Resource::new(|| (), |_| fetch_allowed_apps());
    let withdraw = ServerAction::<WithdrawApp>::new();
    let error = Signal::derive(move || withdraw.value().get().and_then(Result::err));
    view! {
        <section aria-labelledby="apps-heading">
            <h2 id="apps-heading">{t("account-apps-heading")}</h2>
            <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
                {move || apps.get().map(|apps| match apps {
                    Ok(apps) if apps.is_empty() => view! { <p>{t("account-no-apps")}</p> }.into_any(),
                    Ok(apps) => view! {
                        <ul class="apps">
                            {apps.into_iter().map(|app| view! {
                                <li>
                                    <strong>{app.name.clone()}</strong>
                                    " " {t_with("account-app-receives", &[("scopes", app.scope.replace(' ', ", ").into())])}
                                    <ActionForm action=withdraw attr:class="inline">
                                        <input type="hidden" name="client_id" value=app.client_id/>
                                        <button type="submit" class="secondary">
                                            {t_with("account-app-withdraw", &[("app", app.name.into())])}
                                        </button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                        <ErrorNotice error/>
                    }
                    .into_any(),
                    Err(_) => ().into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn DeleteSection(username: String) -> impl IntoView {
    let delete = ServerAction::<DeleteAccount>::new();
    let (field, general) = split_errors(Signal::derive(move || delete.value().get().and_then(Result::err)));
    let (warning, warning_end) = around("account-delete-warning", "name");
    view! {
        <section aria-labelledby="delete-heading">
            <h2 id="delete-heading">{t("account-delete-heading")}</h2>
            <p>{warning} <strong>{username}</strong> {warning_end}</p>
            <ActionForm action=delete attr:class="form" attr:novalidate=true>
                <FormField label=t("account-your-password") name="password" id="delete-password" input_type="password"
                    autocomplete="current-password" message=field(Field::CurrentPassword)/>
                <FormField label=t("account-username") name="confirmation" id="delete-confirmation" autocomplete="off" hint=t("account-delete-hint")
                    message=field(Field::Confirmation)/>
                <ErrorNotice error=general/>
                <button type="submit" class="danger">{t("account-delete")}</button>
            </ActionForm>
        </section>
    }
}
