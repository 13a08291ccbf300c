//! The user list: search, filter, order, and pages of accounts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{choice, filter_input, list_page, query_string, refused, AdminNav};
use crate::{
    api::admin::fetch_admin_users,
    model::{utc_timestamp, AdminUser, AdminUserPage},
};

/// The user list's orders: (value, label).
const SORTS: &[(&str, &str)] = &[("", "By username"), ("newest", "Newest first")];

/// The user list's state filter: (value, label).
const FILTERS: &[(&str, &str)] = &[
    ("", "Everyone"),
    ("unverified", "Unverified"),
    ("active", "Active"),
    ("locked", "Locked"),
    ("disabled", "Disabled"),
    ("admin", "Administrators"),
    ("two_factor_on", "Two-factor on"),
    ("two_factor_off", "Two-factor off"),
];

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let query = use_query_map();
    let field = move |name: &str| query.read().get(name).unwrap_or_default();
    let users = Resource::new(
        move || (field("search"), field("filter"), field("sort"), field("after")),
        |(search, filter, sort, after)| fetch_admin_users(search, filter, sort, after),
    );
    view! {
        <Title text="Users · Admin console"/>
        <h1>"Users"</h1>
        <AdminNav/>
        {move || query.read().get("deleted").map(|_| view! {
            <p class="notice success" role="status">"The account was deleted, and its owner mailed a last notice."</p>
        })}
        <form method="get" action="/admin/users" class="form" role="search">
            {filter_input("user-search", "search", "Username or email starts with", "search", field("search"))}
            {choice("user-filter", "filter", "Show", FILTERS, field("filter"))}
            {choice("user-sort", "sort", "Order", SORTS, field("sort"))}
            <button type="submit">"Search"</button>
        </form>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || users.get().map(|result| match result {
                Ok(page) => view! {
                    <UserList page search=field("search") filter=field("filter") sort=field("sort")/>
                }
                .into_any(),
                Err(error) => refused(error),
            })}
        </Transition>
    }
}

#[component]
fn UserList(page: AdminUserPage, search: String, filter: String, sort: String) -> impl IntoView {
    let query = |after: &str| {
        query_string(&[
            ("search", &search),
            ("filter", &filter),
            ("sort", &sort),
            ("after", after),
        ])
    };
    let next = page.next_after.map(|after| (after, "Next page"));
    let rows = page
        .users
        .into_iter()
        .map(|user| view! { <UserItem user/> }.into_any())
        .collect();
    list_page("users", ("accounts", "account"), "sessions", query, next, rows)
}

#[component]
fn UserItem(user: AdminUser) -> impl IntoView {
    view! {
        <li data-testid="user">
            <a href=format!("/admin/users/{}", user.user_id)><strong>{user.username.clone()}</strong></a>
            " " <span class="badge">{user.state.label()}</span>
            {user.admin.then(|| view! { " " <span class="badge">"admin"</span> })}
            {user.two_factor.then(|| view! { " " <span class="badge">"two-factor"</span> })}
            <br/>
            <span class="muted">
                {user.email} " · created " {utc_timestamp(user.created_at)}
                " · last sign-in " {user.last_login_at.map(utc_timestamp).unwrap_or_else(|| "never".into())}
            </span>
        </li>
    }
}
