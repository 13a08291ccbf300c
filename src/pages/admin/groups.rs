//! Groups: the list with a form to create one, and one group's page (rename and describe it, add
//! and remove members, delete it after a confirmation of its own). Access rules name groups, so
//! every change asks for the admin's password when the last one is a few minutes old.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{refused, AdminNav};
use crate::{
    api::admin::{fetch_admin_group, fetch_admin_groups, ChangeGroup},
    components::{split_errors, ErrorNotice},
    i18n::{t, t_with},
    model::{AdminGroup, AdminGroupDetail, AdminGroupList},
    validate::{Field, GROUP_NAME_MAX},
};

#[component]
pub fn AdminGroupsPage() -> impl IntoView {
    let query = use_query_map();
    let groups = Resource::new(move || query.read().get("done"), |_| fetch_admin_groups());
    view! {
        <Title text=t_with("console-page-title", &[("page", t("console-groups").into())])/>
        <h1>{t("console-groups")}</h1>
        <AdminNav/>
        {move || query.read().get("done").filter(|done| done == "delete").map(|_| view! {
            <p class="notice success" role="status">{t("console-group-deleted")}</p>
        })}
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || groups.get().map(|result| match result {
                Ok(list) => view! { <GroupList list/> }.into_any(),
                Err(error) => refused(error),
            })}
        </Suspense>
    }
}

#[component]
fn GroupList(list: AdminGroupList) -> impl IntoView {
    let create = ServerAction::<ChangeGroup>::new();
    let (field, general) = split_errors(Signal::derive(move || create.value().get().and_then(Result::err)));
    view! {
        {list.groups.is_empty().then(|| view! { <p role="status">{t("console-no-groups-listed")}</p> })}
        <ul class="sessions" data-testid="groups">
            {list.groups.into_iter().map(|group| view! { <GroupItem group/> }).collect_view()}
        </ul>
        <section aria-labelledby="create-group-heading">
            <h2 id="create-group-heading">{t("console-create-group")}</h2>
            <ActionForm action=create attr:class="form" attr:novalidate=true>
                <input type="hidden" name="action" value="create"/>
                {name_field("group-name", "name", "console-name", String::new(), field(Field::GroupName))}
                {description_field("group-description", String::new())}
                {password_field(!list.password_entered_recently, "create-password".into(), field(Field::CurrentPassword))}
                <ErrorNotice error=general/>
                <button type="submit">{t("console-create")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn GroupItem(group: AdminGroup) -> impl IntoView {
    let members = match group.members {
        1 => "1 member".to_string(),
        count => format!("{count} members"),
    };
    view! {
        <li data-testid="group">
            <a href=format!("/admin/groups/{}", group.name)><strong>{group.name.clone()}</strong></a>
            " " <span class="badge">{members}</span>
            {(!group.description.is_empty()).then(|| view! { <br/><span class="muted">{group.description}</span> })}
        </li>
    }
}

#[component]
pub fn AdminGroupPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let group = Resource::new(
        move || {
            (
                params.read().get("name").unwrap_or_default(),
                query.read().get("done"),
            )
        },
        |(name, _)| fetch_admin_group(name),
    );
    let done = move || {
        query.read().get("done").and_then(|done| match done.as_str() {
            "create" => Some(t("console-group-created")),
            "edit" => Some(t("console-group-saved")),
            "add" => Some(t("console-member-added")),
            "remove" => Some(t("console-member-removed")),
            _ => None,
        })
    };
    let confirm_delete = move || {
        query
            .read()
            .get("confirm")
            .is_some_and(|confirm| confirm == "delete")
    };
    view! {
        <Title text=t_with("console-page-title", &[("page", t("console-group").into())])/>
        <AdminNav/>
        {move || done().map(|text| view! { <p class="notice success" role="status">{text}</p> })}
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || group.get().map(|result| match result {
                Ok(detail) => view! { <GroupDetail detail confirm_delete=confirm_delete()/> }.into_any(),
                Err(error) => view! { <h1>{t("console-group")}</h1> {refused(error)} }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn GroupDetail(detail: AdminGroupDetail, confirm_delete: bool) -> impl IntoView {
    let name = detail.group.name.clone();
    let ask_password = !detail.password_entered_recently;
    let edit = ServerAction::<ChangeGroup>::new();
    let (edit_field, edit_general) =
        split_errors(Signal::derive(move || edit.value().get().and_then(Result::err)));
    let add = ServerAction::<ChangeGroup>::new();
    let (add_field, add_general) =
        split_errors(Signal::derive(move || add.value().get().and_then(Result::err)));
    let page = format!("/admin/groups/{name}");
    let (add_to, edit_of) = (name.clone(), name.clone());
    view! {
        <h1>{name.clone()}</h1>
        {confirm_delete.then(|| view! { <ConfirmDelete name=name.clone() ask_password/> })}
        <section aria-labelledby="members-heading">
            <h2 id="members-heading">{t("console-members")}</h2>
            {detail.members.is_empty().then(|| view! { <p>{t("console-nobody-yet")}</p> })}
            <ul class="sessions" data-testid="members">
                {detail.members.into_iter().map(|(user_id, username, email)| view! {
                    <MemberItem group=name.clone() user_id username email ask_password/>
                }).collect_view()}
            </ul>
            <ActionForm action=add attr:class="form" attr:novalidate=true>
                <input type="hidden" name="action" value="add"/>
                <input type="hidden" name="name" value=add_to.clone()/>
                <div class="field">
                    <label for="new-member">{t("console-add-member")}</label>
                    <input id="new-member" name="member" type="text" autocomplete="off" maxlength="254" required/>
                </div>
                {password_field(ask_password, "add-password".into(), add_field(Field::CurrentPassword))}
                <ErrorNotice error=add_general/>
                <button type="submit">{t("console-add")}</button>
            </ActionForm>
        </section>
        <section aria-labelledby="edit-heading">
            <h2 id="edit-heading">{t("console-name-and-description")}</h2>
            <ActionForm action=edit attr:class="form" attr:novalidate=true>
                <input type="hidden" name="action" value="edit"/>
                <input type="hidden" name="name" value=edit_of.clone()/>
                {name_field("new-group-name", "new_name", "console-name", edit_of.clone(), edit_field(Field::GroupName))}
                {description_field("edit-description", detail.group.description)}
                {password_field(ask_password, "edit-password".into(), edit_field(Field::CurrentPassword))}
                <ErrorNotice error=edit_general/>
                <button type="submit">{t("console-save")}</button>
            </ActionForm>
            <p class="hint">{t("console-rename-hint")}</p>
        </section>
        <p><a class="button secondary" href=format!("{page}?confirm=delete")>{t("console-delete-group-link")}</a></p>
    }
}

#[component]
fn MemberItem(
    group: String,
    user_id: i64,
    username: String,
    email: String,
    ask_password: bool,
) -> impl IntoView {
    let remove = ServerAction::<ChangeGroup>::new();
    let error = Signal::derive(move || remove.value().get().and_then(Result::err));
    let label = t_with("console-remove-member", &[("name", username.as_str().into())]);
    view! {
        <li data-testid="member">
            <a href=format!("/admin/users/{user_id}")><strong>{username.clone()}</strong></a>
            <br/><span class="muted">{email}</span>
            <ActionForm action=remove attr:class="inline-form">
                <input type="hidden" name="action" value="remove"/>
                <input type="hidden" name="name" value=group/>
                <input type="hidden" name="member" value=username/>
                {password_field(ask_password, format!("remove-{user_id}-password"), Signal::derive(|| None))}
                <ErrorNotice error/>
                <button type="submit" class="secondary" aria-label=label>{t("console-remove")}</button>
            </ActionForm>
        </li>
    }
}

#[component]
fn ConfirmDelete(name: String, ask_password: bool) -> impl IntoView {
    let delete = ServerAction::<ChangeGroup>::new();
    let (field, general) = split_errors(Signal::derive(move || delete.value().get().and_then(Result::err)));
    view! {
        <section aria-labelledby="confirm-heading" class="confirm">
            <h2 id="confirm-heading">{t("console-delete-group-question")}</h2>
            <p>{t("console-delete-group-warning")}</p>
            <ActionForm action=delete attr:class="form" attr:novalidate=true>
                <input type="hidden" name="action" value="delete"/>
                <input type="hidden" name="name" value=name.clone()/>
                {password_field(ask_password, "delete-password".into(), field(Field::CurrentPassword))}
                <ErrorNotice error=general/>
                <div class="actions">
                    <button type="submit" class="danger">{t("console-delete-group")}</button>
                    <a class="button secondary" href=format!("/admin/groups/{name}")>{t("console-cancel")}</a>
                </div>
            </ActionForm>
        </section>
    }
}

fn name_field(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    value: String,
    message: Signal<Option<String>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let message_id = format!("{id}-message");
    view! {
        <div class="field" class:invalid=move || message.get().is_some()>
            <label for=id>{t(label)}</label>
            <p class="hint" id=hint_id.clone()>{t("console-group-name-hint")}</p>
            <input id=id name=name type="text" autocomplete="off" maxlength=GROUP_NAME_MAX.to_string()
                pattern="[a-z0-9_\\-]+" required value=value
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=format!("{hint_id} {message_id}")/>
            <p class="field-message" id=message_id aria-live="polite">{move || message.get()}</p>
        </div>
    }
}

fn description_field(id: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{t("console-description")}</label>
            <input id=id name="description" type="text" autocomplete="off" maxlength="200" value=value/>
        </div>
    }
}

/// The admin's password (or app code), asked for when the last one is older than a few minutes.
pub(super) fn password_field(ask: bool, id: String, message: Signal<Option<String>>) -> Option<AnyView> {
    ask.then(|| {
        let message_id = format!("{id}-message");
        view! {
            <div class="field" class:invalid=move || message.get().is_some()>
                <label for=id.clone()>{t("console-password-or-code")}</label>
                <input id=id name="password" type="password" autocomplete="current-password" required
                    aria-describedby=message_id.clone()/>
                <p class="field-message" id=message_id aria-live="polite">{move || message.get()}</p>
            </div>
        }
        .into_any()
    })
}
