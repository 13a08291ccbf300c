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
        <nav aria-label="Admin console" class="actions">
            <a class="button secondary" href="/admin">"Overview"</a>
            <a class="button secondary" href="/admin/users">"Users"</a>
            <a class="button secondary" href="/admin/groups">"Groups"</a>
            <a class="button secondary" href="/admin/invitations">"Invitations"</a>
            <a class="button secondary" href="/admin/clients">"Clients"</a>
            <a class="button secondary" href="/admin/events">"Security log"</a>
            <a class="button secondary" href="/admin/codes">"Code log"</a>
            <a class="button secondary" href="/dashboard">"Your dashboard"</a>
        </nav>
    }
}

fn refused(error: impl std::fmt::Display) -> AnyView {
    view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any()
}

/// A labelled text field of a filter form (a plain GET form), filled with the current value.
fn filter_input(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    value: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
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
            <label for=id>{label}</label>
            <select id=id name=name>
                {options.iter().map(|(value, text)| {
                    let selected = *value == chosen;
                    view! { <option value=*value selected=selected>{*text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// One page of a console list (`/admin/<name>`): the link to its CSV, its rows or a sentence when
/// none match, and the link to the next page (`next`: its cursor and label). `query(cursor)` is
/// the list's query string.
fn list_page(
    name: &'static str,
    (plural, singular): (&'static str, &'static str),
    class: &'static str,
    query: impl Fn(&str) -> String,
    next: Option<(String, &'static str)>,
    rows: Vec<AnyView>,
) -> AnyView {
    let export = format!("/admin/{name}.csv?{}", query(""));
    let next = next.map(|(cursor, label)| {
        view! { <a class="button secondary" href=format!("/admin/{name}?{}", query(&cursor))>{label}</a> }
    });
    view! {
        <p><a href=export download="">{format!("Download these {plural} as CSV")}</a></p>
        {rows.is_empty().then(|| view! { <p role="status">{format!("No {singular} matches.")}</p> })}
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
