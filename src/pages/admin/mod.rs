//! The admin console: the overview, the user list, an account's page, groups, invitations, the apps that sign
//! users in with Gatehouse (clients), the security log and the code log. Every page reads and works without JavaScript: the searches are plain GET forms, and
//! each action is confirmed on a page of its own (`?confirm=<action>`) before its form is posted.

mod clients;
mod codes;
mod events;
mod groups;
mod invitations;
mod overview;
mod user;
mod users;

use leptos::prelude::*;

use crate::i18n::t;

pub use clients::AdminClientsPage;
pub use codes::AdminCodesPage;
pub use events::AdminEventsPage;
pub use groups::{AdminGroupPage, AdminGroupsPage};
pub use invitations::AdminInvitationsPage;
pub use overview::AdminOverviewPage;
pub use user::AdminUserPage;
pub use users::AdminUsersPage;

#[component]
fn AdminNav() -> impl IntoView {
    view! {
        <nav aria-label=t("console-title") class="actions">
            <a class="button secondary" href="/admin">{t("console-overview")}</a>
            <a class="button secondary" href="/admin/users">{t("console-users")}</a>
            <a class="button secondary" href="/admin/groups">{t("console-groups")}</a>
            <a class="button secondary" href="/admin/invitations">{t("console-invitations")}</a>
            <a class="button secondary" href="/admin/clients">{t("console-clients")}</a>
            <a class="button secondary" href="/admin/events">{t("console-events")}</a>
            <a class="button secondary" href="/admin/codes">{t("console-codes")}</a>
            <a class="button secondary" href="/dashboard">{t("console-your-dashboard")}</a>
        </nav>
    }
}

fn refused(error: impl std::fmt::Display) -> AnyView {
    view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any()
}

/// A labelled text field of a filter form (a plain GET form), filled with the current value.
/// `label` is a catalogue key, as are the labels of [`choice`]'s options and [`list_page`]'s words.
fn filter_input(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    value: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            <input id=id name=name type=kind maxlength="254" value=value/>
        </div>
    }
}

fn choice(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    options: &'static [(&'static str, &'static str)],
    chosen: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            <select id=id name=name>
                {options.iter().map(|(value, text)| {
                    let selected = *value == chosen;
                    view! { <option value=*value selected=selected>{t(text)}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// One page of a console list (`/admin/<name>`): the link to its CSV, its rows or a sentence when
/// none match, and the link to the next page (`next`: its cursor and label). `query(cursor)` is
/// the list's query string. `csv` and `none` are the keys of the CSV link's words and of the
/// sentence for no rows.
fn list_page(
    name: &'static str,
    (csv, none): (&'static str, &'static str),
    class: &'static str,
    query: impl Fn(&str) -> String,
    next: Option<(String, &'static str)>,
    rows: Vec<AnyView>,
) -> AnyView {
    let export = format!("/admin/{name}.csv?{}", query(""));
    let next = next.map(|(cursor, label)| {
        view! { <a class="button secondary" href=format!("/admin/{name}?{}", query(&cursor))>{t(label)}</a> }
    });
    view! {
        <p><a href=export download="">{t(csv)}</a></p>
        {rows.is_empty().then(|| view! { <p role="status">{t(none)}</p> })}
        <ul class=class data-testid=name>{rows}</ul>
        {next}
    }
    .into_any()
}

fn query_string(pairs: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        query.append_pair(name, value);
    }
    query.finish()
}
