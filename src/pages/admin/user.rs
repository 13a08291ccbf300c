//! One account: what it is, and the actions on it, each confirmed on a page of its own.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{codes::CodeItem, query_string, refused, AdminNav};
use crate::{
    api::admin::{fetch_admin_user, ActOnAccount, ChangeGroup},
    components::ErrorNotice,
    i18n::{t, t_with},
    model::{utc_timestamp, AdminAction, AdminUserDetail},
};

#[component]
pub fn AdminUserPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let user_id = move || params.read().get("id").and_then(|id| id.parse::<i64>().ok());
    // Read again after each action (its redirect names it in `done`).
    let detail = Resource::new(
        move || (user_id(), query.read().get("done")),
        |(user_id, _)| async move {
            match user_id {
                Some(user_id) => fetch_admin_user(user_id).await,
                None => Err(crate::error::AppError::NoSuchAccount),
            }
        },
    );
    let done = move || query.read().get("done").as_deref().and_then(AdminAction::parse);
    let confirm = move || {
        query
            .read()
            .get("confirm")
            .as_deref()
            .and_then(AdminAction::parse)
    };
    view! {
        <Title text=t_with("console-page-title", &[("page", t("console-account").into())])/>
        <AdminNav/>
        {move || done().map(|action| view! {
            <p class="notice success" role="status">{t_with("console-done", &[("action", t(action.label()).into())])}</p>
        })}
        {move || query.read().get("done").filter(|done| done.ends_with("_group")).map(|_| view! {
            <p class="notice success" role="status">{t("console-groups-saved")}</p>
        })}
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || detail.get().map(|result| match result {
                Ok(detail) => view! { <UserDetail detail confirm=confirm()/> }.into_any(),
                Err(error) => view! { <h1>{t("console-account")}</h1> {refused(error)} }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn UserDetail(detail: AdminUserDetail, confirm: Option<AdminAction>) -> impl IntoView {
    let user = detail.user.clone();
    let actions: Vec<AdminAction> = AdminAction::ALL
        .into_iter()
        .filter(|action| action.applies_to(&user))
        .filter(|action| !detail.own_account || action.allowed_on_own_account())
        .collect();
    let confirmation = confirm
        .filter(|action| actions.contains(action))
        .map(|action| view! { <Confirm user_id=user.user_id action ask_password=!detail.password_entered_recently/> });
    let page = format!("/admin/users/{}", user.user_id);
    view! {
        <h1>{user.username.clone()}</h1>
        <dl class="account" data-testid="profile">
            <dt>{t("account-email")}</dt>
            <dd>{user.email.clone()}</dd>
            <dt>{t("console-state")}</dt>
            <dd data-testid="state">{t(user.state.label())}</dd>
            <dt>{t("console-role")}</dt>
            <dd>{t(if user.admin { "console-role-admin" } else { "console-role-user" })}</dd>
            <dt>{t("second-step-title")}</dt>
            <dd>{t(if user.two_factor { "dashboard-on" } else { "dashboard-off" })}</dd>
            <dt>{t("console-created")}</dt>
            <dd>{utc_timestamp(user.created_at)}</dd>
            <dt>{t("console-last-sign-in")}</dt>
            <dd>{user.last_login_at.map(utc_timestamp).unwrap_or_else(|| t("console-never"))}</dd>
        </dl>
        {confirmation}
        <UserGroups user_id=user.user_id username=user.username.clone() groups=detail.groups all_groups=detail.all_groups
            ask_password=!detail.password_entered_recently/>
        <section aria-labelledby="actions-heading">
            <h2 id="actions-heading">{t("console-actions")}</h2>
            <ul class="actions">
                {actions.into_iter().map(|action| view! {
                    <li><a class="button secondary" href=format!("{page}?confirm={}", action.as_str())>{t(action.label())}</a></li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="user-sessions-heading">
            <h2 id="user-sessions-heading">{t("console-sessions")}</h2>
            {detail.sessions.is_empty().then(|| view! { <p>{t("console-no-sessions")}</p> })}
            <ul class="sessions">
                {detail.sessions.into_iter().map(|session| view! {
                    <li data-testid="session">
                        <strong>{session.device}</strong><br/>
                        <span class="muted">
                            {session.ip} " · " {t_with("session-signed-in", &[("when", utc_timestamp(session.signed_in_at).into())])}
                            " · " {t_with("session-last-seen", &[("when", utc_timestamp(session.last_seen_at).into())])}
                        </span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="user-codes-heading">
            <h2 id="user-codes-heading">{t("console-emailed-codes")}</h2>
            {detail.codes.is_empty().then(|| view! { <p>{t("console-none")}</p> })}
            <ul class="activity" data-testid="codes">
                {detail.codes.into_iter().map(|code| view! { <CodeItem code/> }).collect_view()}
            </ul>
            <p><a href=format!("/admin/codes?{}", query_string(&[("account", &user.username)]))>{t("console-all-codes")}</a></p>
        </section>
        <section aria-labelledby="user-events-heading">
            <h2 id="user-events-heading">{t("console-security-events")}</h2>
            <ul class="activity" data-testid="events">
                {detail.events.into_iter().map(|event| view! {
                    <li>
                        <strong>{event.description}</strong><br/>
                        <span class="muted">
                            {[utc_timestamp(event.at), event.ip, event.device]
                                .into_iter()
                                .filter(|part| !part.is_empty())
                                .collect::<Vec<_>>()
                                .join(" · ")}
                        </span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The confirmation of one action: what it does, the admin's password when the last one is old,
/// and the button that posts it.
#[component]
fn Confirm(user_id: i64, action: AdminAction, ask_password: bool) -> impl IntoView {
    let act = ServerAction::<ActOnAccount>::new();
    let error = Signal::derive(move || act.value().get().and_then(Result::err));
    view! {
        <section aria-labelledby="confirm-heading" class="confirm">
            <h2 id="confirm-heading">{t_with("console-confirm-question", &[("action", t(action.label()).into())])}</h2>
            <p>{t(action.consequence())}</p>
            <ActionForm action=act attr:class="form" attr:novalidate=true>
                <input type="hidden" name="user_id" value=user_id.to_string()/>
                <input type="hidden" name="action" value=action.as_str()/>
                {ask_password.then(|| view! {
                    <div class="field">
                        <label for="admin-password">{t("console-password-or-code")}</label>
                        <input id="admin-password" name="password" type="password" autocomplete="current-password"
                            aria-describedby="admin-password-hint" required/>
                        <p class="hint" id="admin-password-hint">{t("console-proof-hint")}</p>
                    </div>
                })}
                <ErrorNotice error/>
                <div class="actions">
                    <button type="submit">{t("console-confirm")}</button>
                    <a class="button secondary" href=format!("/admin/users/{user_id}")>{t("console-cancel")}</a>
                </div>
            </ActionForm>
        </section>
    }
}

/// The account's groups, each with a button that removes it, and a choice of the others to add.
#[component]
fn UserGroups(
    user_id: i64,
    username: String,
    groups: Vec<String>,
    all_groups: Vec<String>,
    ask_password: bool,
) -> impl IntoView {
    let change = ServerAction::<ChangeGroup>::new();
    let error = Signal::derive(move || change.value().get().and_then(Result::err));
    let others: Vec<String> = all_groups
        .into_iter()
        .filter(|group| !groups.contains(group))
        .collect();
    let password =
        move |id: String| {
            ask_password.then(|| view! {
            <div class="field">
                <label for=id.clone()>{t("console-password-or-code")}</label>
                <input id=id name="password" type="password" autocomplete="current-password" required/>
            </div>
        })
        };
    view! {
        <section aria-labelledby="groups-heading">
            <h2 id="groups-heading">{t("console-groups")}</h2>
            <ErrorNotice error/>
            {groups.is_empty().then(|| view! { <p>{t("console-in-no-group")}</p> })}
            <ul class="sessions" data-testid="user-groups">
                {groups.into_iter().map(|group| { let username = username.clone(); view! {
                    <li>
                        <a href=format!("/admin/groups/{group}")><strong>{group.clone()}</strong></a>
                        <ActionForm action=change attr:class="inline-form">
                            <input type="hidden" name="action" value="remove"/>
                            <input type="hidden" name="name" value=group.clone()/>
                            <input type="hidden" name="member" value=username.clone()/>
                            <input type="hidden" name="back_to_user" value=user_id.to_string()/>
                            {password(format!("leave-{group}-password"))}
                            <button type="submit" class="secondary" aria-label=t_with("console-remove-from", &[("group", group.as_str().into())])>{t("console-remove")}</button>
                        </ActionForm>
                    </li>
                }}).collect_view()}
            </ul>
            {(!others.is_empty()).then(move || view! {
                <ActionForm action=change attr:class="form">
                    <input type="hidden" name="action" value="add"/>
                    <input type="hidden" name="member" value=username.clone()/>
                    <input type="hidden" name="back_to_user" value=user_id.to_string()/>
                    <div class="field">
                        <label for="add-to-group">{t("console-add-to-group")}</label>
                        <select id="add-to-group" name="name">
                            {others.iter().map(|group| view! { <option value=group.clone()>{group.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                    {password("join-password".to_string())}
                    <button type="submit">{t("console-add")}</button>
                </ActionForm>
            })}
        </section>
    }
}
