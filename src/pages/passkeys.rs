use leptos::prelude::*;

use crate::{
    api::{
        account::ConfirmPassword,
        passkeys::{fetch_passkeys, PasskeyView, RemovePasskey, RenamePasskey},
    },
    components::{split_errors, ErrorNotice, FormField, PasskeyButton},
    i18n::date_time,
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
            <h2 id="passkeys-heading">"Passkeys"</h2>
            <p>
                "A passkey signs you in with your device's screen lock or a security key, without your password. "
                "It works only on this site's own address, so a look-alike site cannot use it. "
                "A passkey also counts as a second factor after your password."
            </p>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || list.get().and_then(Result::ok).map(|list| match list.available {
                    false => view! {
                        <p>"Passkeys are not available on this site: it has no public web address set."</p>
                    }
                    .into_any(),
                    true => view! {
                        <PasskeyList passkeys=list.passkeys changeable=password_entered_recently/>
                        {match password_entered_recently {
                            true => view! {
                                <PasskeyButton purpose="register" label="Add a passkey"/>
                            }
                            .into_any(),
                            false => view! {
                                <p>"For your safety, enter your password to add, rename or remove passkeys."</p>
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
        return view! { <p>"You have no passkeys yet."</p> }.into_any();
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
        .map_or_else(|| "never".to_string(), date_time);
    let when = format!(
        " — added {}, last used {last_used}.",
        date_time(passkey.created_at)
    );
    let id = passkey.id.to_string();
    let (rename_id, remove_id, field_id) = (id.clone(), id.clone(), format!("passkey-{id}-name"));
    let (name, remove_label) = (passkey.name.clone(), format!("Remove {}", passkey.name));
    view! {
        <li>
            <p>
                <strong>{passkey.name.clone()}</strong>
                {when}
            </p>
            {changeable.then(move || view! {
                <ActionForm action=rename attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="passkey" value=rename_id/>
                    <FormField label="New name" name="name" id=field_id maxlength="60"
                        initial=name message=field(Field::PasskeyName)/>
                    <ErrorNotice error=general/>
                    <button type="submit" class="secondary">"Rename"</button>
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
