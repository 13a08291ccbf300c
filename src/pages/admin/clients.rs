//! Clients: the apps that sign users in with Gatehouse (OpenID Connect). The list, with each
//! app's settings, a new secret and removal; a form to register one. A new secret is shown once.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{groups::password_field, refused, AdminNav};
use crate::{
    api::admin::{fetch_admin_clients, ChangeClient},
    components::{split_errors, ErrorNotice},
    i18n::{t, t_with},
    model::{AdminClient, AdminClientList},
    validate::Field,
};

#[component]
pub fn AdminClientsPage() -> impl IntoView {
    let query = use_query_map();
    let clients = Resource::new(move || query.read().get("done"), |_| fetch_admin_clients());
    // `?confirm=rotate&client=ID` or `?confirm=remove&client=ID`: that action's own page first.
    let confirm = move || {
        let query = query.read();
        query.get("confirm").zip(query.get("client"))
    };
    let done = move || {
        query.read().get("done").and_then(|done| match done.as_str() {
            "add" => Some(t("console-app-registered")),
            "rotate" => Some(t("console-app-new-secret")),
            "remove" => Some(t("console-app-removed")),
            _ => None,
        })
    };
    view! {
        <Title text=t_with("console-page-title", &[("page", t("console-clients").into())])/>
        <h1>{t("console-clients")}</h1>
        <AdminNav/>
        {move || done().map(|text| view! { <p class="notice success" role="status">{text}</p> })}
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || clients.get().map(|result| match result {
                Ok(list) => match confirm() {
                    Some((action, client_id)) => view! { <Confirm list action client_id/> }.into_any(),
                    None => view! { <ClientList list/> }.into_any(),
                },
                Err(error) => refused(error),
            })}
        </Suspense>
    }
}

#[component]
fn ClientList(list: AdminClientList) -> impl IntoView {
    let ask_password = !list.password_entered_recently;
    view! {
        {(!list.provider_on).then(|| view! {
            <p class="notice" role="status">
                {t("console-provider-off")}
            </p>
        })}
        {list.new_secret.map(|(client_id, secret)| view! {
            <section aria-labelledby="secret-heading" class="confirm">
                <h2 id="secret-heading">{t_with("console-secret-of", &[("client", client_id.into())])}</h2>
                <p>{t("console-copy-secret")}</p>
                <p><code data-testid="client-secret">{secret}</code></p>
            </section>
        })}
        {list.clients.is_empty().then(|| view! { <p role="status">{t("console-no-apps")}</p> })}
        <ul class="sessions" data-testid="clients">
            {list.clients.into_iter().map(|client| view! { <ClientItem client/> }).collect_view()}
        </ul>
        <AddClient ask_password/>
    }
}

#[component]
fn ClientItem(client: AdminClient) -> impl IntoView {
    let id = client.client_id.clone();
    let groups = match client.groups.is_empty() {
        true => t("console-every-account"),
        false => client.groups.join(", "),
    };
    let confidential = client.kind != "public";
    let kind = t(match client.kind.as_str() {
        "public" => "console-kind-public",
        "confidential" => "console-kind-confidential",
        _ => "console-kind-pkce-optional",
    });
    let confirm = |action: &str| format!("/admin/clients?confirm={action}&client={id}");
    view! {
        <li data-testid="client">
            <strong>{client.name.clone()}</strong> " " <span class="badge">{kind}</span>
            <dl class="account">
                <dt>{t("console-client-id")}</dt><dd><code>{id.clone()}</code></dd>
                <dt>{t("console-consent")}</dt><dd>{t(if client.consent == "implicit" { "console-consent-implicit" } else { "console-consent-explicit" })}</dd>
                <dt>{t("console-who-may-sign-in")}</dt><dd>{groups}</dd>
                <dt>{t("console-redirect-uris")}</dt><dd>{client.redirect_uris.join(" ")}</dd>
                <dt>{t("console-after-sign-out")}</dt><dd>{client.post_logout_uris.join(" ")}</dd>
            </dl>
            <p class="actions">
                {confidential.then(|| view! {
                    <a class="button secondary" href=confirm("rotate")
                        aria-label=t_with("console-new-secret-for", &[("app", client.name.as_str().into())])>
                        {t("console-new-secret")}
                    </a>
                })}
                <a class="button secondary" href=confirm("remove")
                    aria-label=t_with("console-remove-app-named", &[("app", client.name.as_str().into())])>
                    {t("console-remove")}
                </a>
            </p>
        </li>
    }
}

/// A new secret or a removal, on a page of its own: either stops the app's sign-ins until its
/// operator acts.
#[component]
fn Confirm(list: AdminClientList, action: String, client_id: String) -> impl IntoView {
    let change = ServerAction::<ChangeClient>::new();
    let (field, general) = split_errors(Signal::derive(move || change.value().get().and_then(Result::err)));
    let Some(client) = list
        .clients
        .into_iter()
        .find(|client| client.client_id == client_id)
    else {
        return refused(crate::error::AppError::NoSuchApp);
    };
    let (heading, warning, button) = match action.as_str() {
        "rotate" => (
            t_with("console-rotate-question", &[("app", client.name.as_str().into())]),
            t("console-rotate-warning"),
            t("console-rotate"),
        ),
        _ => (
            t_with("console-remove-question", &[("app", client.name.as_str().into())]),
            t("console-remove-warning"),
            t("console-remove-app"),
        ),
    };
    view! {
        <section aria-labelledby="confirm-heading" class="confirm">
            <h2 id="confirm-heading">{heading}</h2>
            <p>{warning}</p>
            <ActionForm action=change attr:class="form" attr:novalidate=true>
                <input type="hidden" name="action" value=action.clone()/>
                <input type="hidden" name="client_id" value=client_id/>
                {password_field(!list.password_entered_recently, "confirm-password".into(), field(Field::CurrentPassword))}
                <ErrorNotice error=general/>
                <div class="actions">
                    <button type="submit" class="danger">{button}</button>
                    <a class="button secondary" href="/admin/clients">{t("console-cancel")}</a>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
fn AddClient(ask_password: bool) -> impl IntoView {
    let add = ServerAction::<ChangeClient>::new();
    let (field, general) = split_errors(Signal::derive(move || add.value().get().and_then(Result::err)));
    let message = field(Field::OidcClient);
    view! {
        <section aria-labelledby="add-client-heading">
            <h2 id="add-client-heading">{t("console-register-app")}</h2>
            <ActionForm action=add attr:class="form" attr:novalidate=true>
                <input type="hidden" name="action" value="add"/>
                {text_field("client-id", "client_id", "console-client-id", "console-client-id-hint")}
                {text_field("client-name", "name", "console-app-name", "console-app-name-hint")}
                {list_field("client-redirects", "redirect_uris", "console-redirects-label", "console-redirects-hint")}
                {list_field("client-after-logout", "post_logout_uris", "console-after-logout-label", "console-after-logout-hint")}
                {text_field("client-groups", "groups", "console-only-groups", "console-only-groups-hint")}
                <div class="field">
                    <label for="client-consent">{t("console-consent")}</label>
                    <select id="client-consent" name="consent">
                        <option value="explicit" selected=true>{t("console-consent-explicit")}</option>
                        <option value="implicit">{t("console-consent-implicit")}</option>
                    </select>
                </div>
                <div class="field checkbox">
                    <input id="client-public" name="public" type="checkbox"/>
                    <label for="client-public">{t("console-public-app")}</label>
                </div>
                <div class="field checkbox">
                    <input id="client-legacy" name="allow_without_pkce" type="checkbox"/>
                    <label for="client-legacy">{t("console-legacy-app")}</label>
                </div>
                <p class="field-message" role="alert">{move || message.get()}</p>
                {password_field(ask_password, "add-client-password".into(), field(Field::CurrentPassword))}
                <ErrorNotice error=general/>
                <button type="submit">{t("console-register")}</button>
            </ActionForm>
        </section>
    }
}

/// A labelled field with its hint: one line, or several (`lines`, one address per line).
fn text_field(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    hint: &'static str,
) -> impl IntoView {
    labelled(
        id,
        label,
        hint,
        view! {
            <input id=id name=name type="text" autocomplete="off" maxlength="200" aria-describedby=format!("{id}-hint")/>
        },
    )
}

fn list_field(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    hint: &'static str,
) -> impl IntoView {
    labelled(
        id,
        label,
        hint,
        view! {
            <textarea id=id name=name rows="3" autocomplete="off" aria-describedby=format!("{id}-hint")></textarea>
        },
    )
}

fn labelled(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    input: impl IntoView,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            <p class="hint" id=format!("{id}-hint")>{t(hint)}</p>
            {input}
        </div>
    }
}
