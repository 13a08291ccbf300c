use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::{
        account::{account, fetch_recent_activity, fetch_sessions, EndOtherSessions, EndSession},
        sign_in::Logout,
    },
    components::ErrorNotice,
    i18n::{date_time, t, t_with},
    model::{AccountView, ActivityEntry, SessionView},
};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let account = Resource::new(|| (), |_| account());
    let query = use_query_map();
    let recovery_codes_left = move || {
        query
            .read()
            .get("recovery_codes_left")
            .and_then(|left| left.parse::<u32>().ok())
    };
    view! {
        <Title text=t("dashboard-title")/>
        {move || recovery_codes_left().map(|left| view! {
            <p class="notice" role="status">
                {t_with("dashboard-recovery-code-used", &[("left", left.into())])} " "
                <a href="/account/security">{t("dashboard-new-recovery-codes")}</a>
            </p>
        })}
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || account.get().map(|result| match result {
                Ok(account) => view! { <AccountDetails account/> <Sessions/> <RecentActivity/> }.into_any(),
                // The server sends a visit without a session to sign in first; this is a session that
                // ended while the page was being made.
                Err(_) => view! {
                    <p>{t("dashboard-sign-in-first")} " " <a href="/login?next=/dashboard">{t("sign-in-link")}</a></p>
                }
                .into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn AccountDetails(account: AccountView) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let error = Signal::derive(move || logout.value().get().and_then(Result::err));
    let groups = match account.groups.is_empty() {
        true => t("dashboard-no-groups"),
        false => account.groups.join(", "),
    };
    let previous = account
        .previous_login_at
        .map(date_time)
        .unwrap_or_else(|| t("dashboard-first-sign-in"));
    view! {
        <h1>{t_with("dashboard-hello", &[("name", account.username.clone().into())])}</h1>
        <dl class="account">
            <dt>{t("account-username")}</dt>
            <dd>{account.username}</dd>
            <dt>{t("account-email")}</dt>
            <dd>{account.email}</dd>
            <dt>{t("dashboard-created")}</dt>
            <dd>{date_time(account.created_at)}</dd>
            <dt>{t("dashboard-previous-sign-in")}</dt>
            <dd>{previous}</dd>
            <dt>{t("dashboard-two-factor")}</dt>
            <dd>{t(if account.two_factor_on { "dashboard-on" } else { "dashboard-off" })}</dd>
            <dt>{t("dashboard-groups")}</dt>
            <dd data-testid="groups">{groups}</dd>
        </dl>
        {(!account.two_factor_on).then(|| view! {
            <p class="notice" role="status">
                {t("dashboard-protect")} " "
                <a href="/account/security">{t("dashboard-turn-on-two-factor")}</a>
            </p>
        })}
        <div class="actions">
            <a class="button secondary" href="/account">{t("dashboard-account-settings")}</a>
            <ActionForm action=logout>
                <button type="submit" class="secondary">{t("sign-out")}</button>
            </ActionForm>
        </div>
        <ErrorNotice error/>
    }
}

/// Where the account is signed in; any other session can be ended from here.
#[component]
fn Sessions() -> impl IntoView {
    let end_one = ServerAction::<EndSession>::new();
    let end_others = ServerAction::<EndOtherSessions>::new();
    let sessions = Resource::new(|| (), |_| fetch_sessions());
    let error = Signal::derive(move || {
        end_one
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| end_others.value().get().and_then(Result::err))
    });
    view! {
        <section aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">{t("sessions-heading")}</h2>
            <Transition fallback=|| view! { <p>{t("loading")}</p> }>
                {move || sessions.get().map(|result| match result {
                    Ok(list) => {
                        let others = list.iter().filter(|session| !session.current).count();
                        view! {
                            <ul class="sessions">
                                {list.into_iter().map(|session| view! { <SessionItem session end_one/> }).collect_view()}
                            </ul>
                            <Show when=move || { others > 0 }>
                                <ActionForm action=end_others>
                                    <button type="submit" class="secondary">{t("sessions-sign-out-others")}</button>
                                </ActionForm>
                            </Show>
                        }.into_any()
                    }
                    Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                })}
            </Transition>
            <ErrorNotice error/>
        </section>
    }
}

#[component]
fn SessionItem(session: SessionView, end_one: ServerAction<EndSession>) -> impl IntoView {
    let label = t_with(
        "session-sign-out-label",
        &[
            ("device", session.device.clone().into()),
            ("ip", session.ip.clone().into()),
        ],
    );
    view! {
        <li data-testid="session">
            <strong>{session.device}</strong>
            {session.current.then(|| view! { " " <span class="badge">{t("session-this-device")}</span> })}
            <br/>
            <span class="muted">
                {session.ip} " · " {t_with("session-signed-in", &[("when", date_time(session.signed_in_at).into())])}
                " · " {t_with("session-last-seen", &[("when", date_time(session.last_seen_at).into())])}
            </span>
            {(!session.current).then(|| view! {
                <ActionForm action=end_one attr:class="inline">
                    <input type="hidden" name="id" value=session.id.to_string()/>
                    <button type="submit" class="link" aria-label=label>{t("sign-out")}</button>
                </ActionForm>
            })}
        </li>
    }
}

/// The user's own security events: sign-ins, failures, lockouts, sessions ended.
#[component]
fn RecentActivity() -> impl IntoView {
    let activity = Resource::new(|| (), |_| fetch_recent_activity());
    view! {
        <section aria-labelledby="activity-heading">
            <h2 id="activity-heading">{t("activity-heading")}</h2>
            <Transition fallback=|| view! { <p>{t("loading")}</p> }>
                {move || activity.get().map(|result| match result {
                    Ok(entries) => view! {
                        <ul class="activity">
                            {entries.into_iter().map(|entry| view! { <ActivityItem entry/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ActivityItem(entry: ActivityEntry) -> impl IntoView {
    let source = [entry.device, entry.ip]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <li data-testid="activity" class=format!("outcome-{}", entry.outcome)>
            {entry.description}
            <br/>
            <span class="muted">{date_time(entry.at)} {(!source.is_empty()).then(|| format!(" · {source}"))}</span>
        </li>
    }
}
