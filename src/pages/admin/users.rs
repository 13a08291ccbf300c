//! The user list: search, filter, order, and pages of accounts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{choice, filter_input, list_page, query_string, refused, AdminNav};
use crate::{
    api::admin::fetch_admin_users,
    i18n::{t, t_with},
    model::{utc_timestamp, AdminUser, AdminUserPage},
};

/// The user list's orders: (value, label).
const SORTS: &[(&str, &str)] = &[("", "console-sort-username"), ("newest", "console-sort-newest")];

/// The user list's state filter: (value, label).
const FILTERS: &[(&str, &str)] = &[
    ("", "console-filter-everyone"),
    ("unverified", "console-unverified"),
    ("active", "console-active"),
    ("locked", "console-locked"),
    ("disabled", "console-disabled"),
    ("admin", "console-administrators"),
    ("two_factor_on", "console-two-factor-on"),
    ("two_factor_off", "console-two-factor-off"),
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
        <Title text=t_with("console-page-title", &[("page", t("console-users").into())])/>
        <h1>{t("console-users")}</h1>
        <AdminNav/>
        {move || query.read().get("deleted").map(|_| view! {
            <p class="notice success" role="status">{t("console-account-deleted")}</p>
        })}
        <form method="get" action="/admin/users" class="form" role="search">
            {filter_input("user-search", "search", "console-search-label", "search", field("search"))}
            {choice("user-filter", "filter", "console-show", FILTERS, field("filter"))}
            {choice("user-sort", "sort", "console-order", SORTS, field("sort"))}
            <button type="submit">{t("console-search")}</button>
        </form>
        <Transition fallback=|| view! { <p>{t("loading")}</p> }>
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
    let next = page.next_after.map(|after| (after, "console-next-page"));
    let rows = page
        .users
        .into_iter()
        .map(|user| view! { <UserItem user/> }.into_any())
        .collect();
    list_page(
        "users",
        ("console-users-csv", "console-users-none"),
        "sessions",
        query,
        next,
        rows,
    )
}

#[component]
fn UserItem(user: AdminUser) -> impl IntoView {
    view! {
        <li data-testid="user">
            <a href=format!("/admin/users/{}", user.user_id)><strong>{user.username.clone()}</strong></a>
            " " <span class="badge">{user.state.label()}</span>
            {user.admin.then(|| view! { " " <span class="badge">{t("console-badge-admin")}</span> })}
            {user.two_factor.then(|| view! { " " <span class="badge">{t("console-badge-two-factor")}</span> })}
            <br/>
            <span class="muted">
                {user.email} " · created " {utc_timestamp(user.created_at)}
                " · last sign-in " {user.last_login_at.map(utc_timestamp).unwrap_or_else(|| "never".into())}
            </span>
        </li>
    }
}
