use leptos::prelude::*;

use crate::{
    api::{
        account::ConfirmPassword,
        passkeys::{fetch_passkeys, PasskeyView, RemovePasskey, RenamePasskey},
    },
    components::{split_errors, ErrorNotice, FormField, PasskeyButton},
    i18n::{date_time, t, t_with},
    pages::security::PasswordFirst,
    validate::Field,
};

/// The security page's passkeys: the list (added, last used), each renamed or removed by a form
/// that works without JavaScript, and the button that adds one. Changes need the password entered
/// again on this device first, as two-factor's do.
#[component]
pub fn PasskeySection(password_entered_recently: bool) -> impl IntoView {
    let confirm = ServerAction::<ConfirmPassword>::new();
    let list = Resource::new(|| (), |_| fetch_passkeys());
    view! {
        <section aria-labelledby="passkeys-heading">
            <h2 id="passkeys-heading">{t("passkeys-heading")}</h2>
            <p>{t("passkeys-intro")}</p>
            <Transition fallback=|| view! { <p>{t("loading")}</p> }>
                {move || list.get().and_then(Result::ok).map(|list| match list.available {
                    false => view! {
                        <p>{t("passkeys-unavailable")}</p>
                    }
                    .into_any(),
                    true => view! {
                        <PasskeyList passkeys=list.passkeys changeable=password_entered_recently/>
                        {match password_entered_recently {
                            true => view! {
                                <PasskeyButton purpose="register" label=t("passkeys-add")/>
                            }
                            .into_any(),
                            false => view! {
                                <p>{t("passkeys-password-first")}</p>
                                <PasswordFirst confirm id="passkey-confirm-password"/>
                            }
                            .into_any(),
                        }}
                    }
                    .into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn PasskeyList(passkeys: Vec<PasskeyView>, changeable: bool) -> impl IntoView {
    if passkeys.is_empty() {
        return view! { <p>{t("passkeys-none")}</p> }.into_any();
    }
    view! {
        <ul class="passkeys">
            {passkeys.into_iter().map(|passkey| view! { <PasskeyItem passkey changeable/> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn PasskeyItem(passkey: PasskeyView, changeable: bool) -> impl IntoView {
    let rename = ServerAction::<RenamePasskey>::new();
    let remove = ServerAction::<RemovePasskey>::new();
    let (field, general) = split_errors(Signal::derive(move || rename.value().get().and_then(Result::err)));
    let remove_error = Signal::derive(move || remove.value().get().and_then(Result::err));
    let last_used = passkey
        .last_used_at
        .map_or_else(|| t("passkeys-never"), date_time);
    let when = t_with(
        "passkeys-added-used",
        &[
            ("added", date_time(passkey.created_at).into()),
            ("used", last_used.into()),
        ],
    );
    let id = passkey.id.to_string();
    let (rename_id, remove_id, field_id) = (id.clone(), id.clone(), format!("passkey-{id}-name"));
    let remove_label = t_with("passkeys-remove", &[("name", passkey.name.as_str().into())]);
    let name = passkey.name.clone();
    view! {
        <li>
            <p>
                <strong>{passkey.name.clone()}</strong>
                " — " {when}
            </p>
            {changeable.then(move || view! {
                <ActionForm action=rename attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="passkey" value=rename_id/>
                    <FormField label=t("passkeys-new-name") name="name" id=field_id maxlength="60"
                        initial=name message=field(Field::PasskeyName)/>
                    <ErrorNotice error=general/>
                    <button type="submit" class="secondary">{t("passkeys-rename")}</button>
                </ActionForm>
                <ActionForm action=remove attr:class="form">
                    <input type="hidden" name="passkey" value=remove_id/>
                    <ErrorNotice error=remove_error/>
                    <button type="submit" class="danger">{remove_label}</button>
                </ActionForm>
            })}
        </li>
    }
}
