use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::{
        account::{fetch_account_settings, ChangeEmail, ChangePassword, ConfirmPassword, DeleteAccount},
        oidc::{fetch_allowed_apps, WithdrawApp},
    },
    components::{new_password_hint, split_errors, ErrorNotice, FormField, QueryNotice},
    i18n::{self, t, Language},
    model::AccountSettings,
    validate::Field,
};

/// Where people manage themselves: password, address, a copy of their data, deleting it all.
#[component]
pub fn AccountPage() -> impl IntoView {
    let confirm = ServerAction::<ConfirmPassword>::new();
    let settings = Resource::new(|| (), |_| fetch_account_settings());
    view! {
        <Title text="Your account"/>
        <h1>"Your account"</h1>
        <QueryNotice notices=vec![
            ("password_changed", "Your password is changed. Your other sessions were ended, and we mailed you a notice.".into()),
            ("email_changed", "Your address is changed. We told both addresses.".into()),
            ("app_withdrawn", "The app's access is withdrawn: it is signed out, and asks you again next time.".into()),
        ]/>
        <Suspense fallback=|| view! { <p>"Loading your account…"</p> }>
            {move || settings.get().map(|result| match result {
                Ok(settings) => view! { <AccountSections settings confirm/> }.into_any(),
                Err(_) => view! {
                    <p>"Please " <a href="/login?next=/account">"sign in"</a> " to manage your account."</p>
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
            <dt>"Username"</dt>
            <dd>{settings.username.clone()}</dd>
            <dt>"Email"</dt>
            <dd>{settings.email.clone()}</dd>
        </dl>
        <p class="actions">
            <a class="button secondary" href="/dashboard">"Back to the dashboard"</a>
            <a class="button secondary" href="/account/security">"Two-factor sign-in"</a>
            <a class="button secondary" href="/account/export" download="">"Download my data"</a>
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
            <h2 id="password-heading">"Change your password"</h2>
            <ActionForm action=change attr:class="form" attr:novalidate=true>
                <FormField label="Current password" name="current_password" id="current-password" input_type="password"
                    autocomplete="current-password" message=field(Field::CurrentPassword)/>
                <Transition fallback=|| ()>
                    {move || view! {
                        <FormField label="New password" name="password" id="new-password" input_type="password" autocomplete="new-password"
                            hint=password_hint() message=field(Field::Password)/>
                    }}
                </Transition>
                <FormField label="Repeat the new password" name="password_confirm" id="new-password-confirm" input_type="password"
                    autocomplete="new-password" message=field(Field::PasswordConfirm)/>
                <ErrorNotice error=general/>
                <button type="submit">"Change password"</button>
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
            <h2 id="email-heading">"Change your email address"</h2>
            {if recent {
                view! {
                    <p>"We send a code to the new address; the change takes effect when you enter it."</p>
                    <ActionForm action=change attr:class="form" attr:novalidate=true>
                        <FormField label="New email address" name="email" id="new-email" input_type="email" autocomplete="email"
                            maxlength="254" message=field(Field::Email)/>
                        <ErrorNotice error=general/>
                        <button type="submit">"Send a code"</button>
                    </ActionForm>
                }
                .into_any()
            } else {
                view! {
                    <p>"For your safety, enter your password first."</p>
                    <ActionForm action=confirm attr:class="form" attr:novalidate=true>
                        <FormField label="Your password" name="password" id="confirm-password" input_type="password"
                            autocomplete="current-password" message=confirm_field(Field::CurrentPassword)/>
                        <ErrorNotice error=confirm_general/>
                        <button type="submit">"Continue"</button>
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
            <h2 id="apps-heading">"Apps you allowed"</h2>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || apps.get().map(|apps| match apps {
                    Ok(apps) if apps.is_empty() => view! { <p>"No app signs you in with this account."</p> }.into_any(),
                    Ok(apps) => view! {
                        <ul class="apps">
                            {apps.into_iter().map(|app| view! {
                                <li>
                                    <strong>{app.name.clone()}</strong>
                                    " receives: " {app.scope.replace(' ', ", ")}
                                    <ActionForm action=withdraw attr:class="inline">
                                        <input type="hidden" name="client_id" value=app.client_id/>
                                        <button type="submit" class="secondary">"Withdraw " {app.name}</button>
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
    let hint: &'static str = "Type your username to confirm.";
    view! {
        <section aria-labelledby="delete-heading">
            <h2 id="delete-heading">"Delete your account"</h2>
            <p>
                "This deletes the account " <strong>{username}</strong>
                " and signs you out everywhere. It cannot be undone. We keep the security log of the account, "
                "without addresses or devices, until it expires."
            </p>
            <ActionForm action=delete attr:class="form" attr:novalidate=true>
                <FormField label="Your password" name="password" id="delete-password" input_type="password"
                    autocomplete="current-password" message=field(Field::CurrentPassword)/>
                <FormField label="Username" name="confirmation" id="delete-confirmation" autocomplete="off" hint=hint
                    message=field(Field::Confirmation)/>
                <ErrorNotice error=general/>
                <button type="submit" class="danger">"Delete my account"</button>
            </ActionForm>
        </section>
    }
}
