//! The admin console: the overview, the user list, an account's page, the security log and the
//! code log. Every page reads and works without JavaScript: the searches are plain GET forms, and
//! each action is confirmed on a page of its own (`?confirm=<action>`) before its form is posted.

mod codes;
mod events;
mod overview;
mod user;
mod users;

use leptos::prelude::*;

pub use codes::AdminCodesPage;
pub use events::AdminEventsPage;
pub use overview::AdminOverviewPage;
pub use user::AdminUserPage;
pub use users::AdminUsersPage;

#[component]
fn AdminNav() -> impl IntoView {
    view! {
        <nav aria-label="Admin console" class="actions">
            <a class="button secondary" href="/admin">"Overview"</a>
            <a class="button secondary" href="/admin/users">"Users"</a>
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

fn query_string(pairs: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        query.append_pair(name, value);
    }
    query.finish()
}
