//! The admin console (`/admin`). Every function here is under `/api/admin/`, which the request
//! guard refuses to anyone but an admin with two-factor on, and each checks again itself.
// A server function takes each field of its form as an argument; the console's forms have many.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::{
    error::AppError,
    model::{
        AdminClientList, AdminCodePage, AdminEventPage, AdminGroupDetail, AdminGroupList, AdminOverview,
        AdminUserDetail, AdminUserPage,
    },
};

#[server(endpoint = "admin/overview")]
pub async fn fetch_admin_overview() -> Result<AdminOverview, AppError> {
    let context = crate::server::http::request_context().await?;
    context.require_admin().await?;
    crate::server::flows::admin::overview(&context.state).await
}

/// Accounts whose username or address starts with `search`, in the state `filter`, in the order
/// `sort`, from `after` (one page).
#[server(endpoint = "admin/users")]
pub async fn fetch_admin_users(
    search: String,
    filter: String,
    sort: String,
    after: String,
) -> Result<AdminUserPage, AppError> {
    let context = crate::server::http::request_context().await?;
    context.require_admin().await?;
    crate::server::flows::admin::users(&context.state, &search, &filter, &sort, &after).await
}

#[server(endpoint = "admin/user")]
pub async fn fetch_admin_user(user_id: i64) -> Result<AdminUserDetail, AppError> {
    let context = crate::server::http::request_context().await?;
    let admin = context.require_admin().await?;
    crate::server::flows::admin::user(&context.state, admin, user_id).await
}

/// An action on an account, confirmed on its page; `password` when the admin's last one is old.
#[server(endpoint = "admin/act")]
pub async fn act_on_account(user_id: i64, action: String, password: Option<String>) -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    let admin = context.require_admin().await?;
    let action = crate::model::AdminAction::parse(&action).ok_or(AppError::BadRequest)?;
    let password = password.unwrap_or_default();
    let session = &context.session;
    crate::server::flows::admin::act(
        &context.state,
        admin,
        session,
        &context.client,
        user_id,
        action,
        &password,
    )
    .await?;
    if action == crate::model::AdminAction::Delete {
        leptos_axum::redirect("/admin/users?deleted=1");
    } else {
        leptos_axum::redirect(&format!("/admin/users/{user_id}?done={}", action.as_str()));
    }
    Ok(())
}

/// One page of the security log for the filter's fields, before the event id `before`.
#[server(endpoint = "admin/events")]
pub async fn fetch_admin_events(
    kind: String,
    account: String,
    actor: String,
    ip: String,
    from: String,
    to: String,
    before: String,
) -> Result<AdminEventPage, AppError> {
    let context = crate::server::http::request_context().await?;
    context.require_admin().await?;
    let filter = crate::model::EventFilter {
        kind,
        account,
        actor,
        ip,
        from,
        to,
    };
    crate::server::flows::admin::events(&context.state, &filter, &before).await
}

/// One page of the emailed-code log for the filter's fields, before the code id `before`.
#[server(endpoint = "admin/codes")]
pub async fn fetch_admin_codes(
    purpose: String,
    state: String,
    account: String,
    from: String,
    to: String,
    before: String,
) -> Result<AdminCodePage, AppError> {
    let context = crate::server::http::request_context().await?;
    context.require_admin().await?;
    let filter = crate::model::CodeFilter {
        purpose,
        state,
        account,
        from,
        to,
    };
    crate::server::flows::admin::codes(&context.state, &filter, &before).await
}

#[server(endpoint = "admin/groups")]
pub async fn fetch_admin_groups() -> Result<AdminGroupList, AppError> {
    let context = crate::server::http::request_context().await?;
    let admin = context.require_admin().await?;
    crate::server::flows::admin::groups(&context.state, admin).await
}

#[server(endpoint = "admin/group")]
pub async fn fetch_admin_group(name: String) -> Result<AdminGroupDetail, AppError> {
    let context = crate::server::http::request_context().await?;
    let admin = context.require_admin().await?;
    crate::server::flows::admin::group(&context.state, admin, &name).await
}

/// A change to the groups (`action`: create, edit, delete, add, remove), from the groups pages or
/// an account's page (`back_to_user`, to return there); `password` when the admin's last one is old.
#[server(endpoint = "admin/change_group")]
pub async fn change_group(
    action: String,
    name: String,
    new_name: Option<String>,
    description: Option<String>,
    member: Option<String>,
    back_to_user: Option<i64>,
    password: Option<String>,
) -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    let admin = context.require_admin().await?;
    let form = crate::server::flows::admin::GroupForm {
        action: &action,
        name: &name,
        new_name: new_name.as_deref().unwrap_or_default(),
        description: description.as_deref().unwrap_or_default(),
        member: member.as_deref().unwrap_or_default(),
        password: password.as_deref().unwrap_or_default(),
    };
    let session = &context.session;
    let changed =
        crate::server::flows::admin::change_group(&context.state, admin, session, &context.client, &form)
            .await?;
    let done = format!("done={action}");
    match (back_to_user, changed) {
        (Some(user_id), _) => leptos_axum::redirect(&format!("/admin/users/{user_id}?{done}_group")),
        (None, Some(name)) => leptos_axum::redirect(&format!("/admin/groups/{name}?{done}")),
        (None, None) => leptos_axum::redirect(&format!("/admin/groups?{done}")),
    }
    Ok(())
}

#[server(endpoint = "admin/clients")]
pub async fn fetch_admin_clients() -> Result<AdminClientList, AppError> {
    let context = crate::server::http::request_context().await?;
    let admin = context.require_admin().await?;
    crate::server::flows::admin::clients(&context.state, admin, &context.session).await
}

/// A change to the registered clients (`action`: add, rotate, remove); checkboxes send "on".
#[server(endpoint = "admin/change_client")]
pub async fn change_client(
    action: String,
    client_id: String,
    name: Option<String>,
    redirect_uris: Option<String>,
    post_logout_uris: Option<String>,
    groups: Option<String>,
    public: Option<String>,
    consent: Option<String>,
    allow_without_pkce: Option<String>,
    password: Option<String>,
) -> Result<(), AppError> {
    let context = crate::server::http::request_context().await?;
    let admin = context.require_admin().await?;
    let form = crate::server::flows::admin::ClientForm {
        action: &action,
        client_id: &client_id,
        name: name.as_deref().unwrap_or_default(),
        redirect_uris: redirect_uris.as_deref().unwrap_or_default(),
        post_logout_uris: post_logout_uris.as_deref().unwrap_or_default(),
        groups: groups.as_deref().unwrap_or_default(),
        public: public.is_some(),
        consent: consent.as_deref().unwrap_or_default(),
        allow_without_pkce: allow_without_pkce.is_some(),
        password: password.as_deref().unwrap_or_default(),
    };
    let session = &context.session;
    crate::server::flows::admin::change_client(&context.state, admin, session, &context.client, &form)
        .await?;
    leptos_axum::redirect(&format!("/admin/clients?done={action}"));
    Ok(())
}
